//! The one-time token of a form that sends or saves something (`backend::once`): a double tap
//! or a repeated post of the same form takes effect once.

use leptos::prelude::*;

/// A hidden field carrying a token made for this rendering of the form. Pages are rendered on
/// the server only (islands), so the token is always the server's.
#[component]
pub fn OnceField() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let token = crate::backend::once::fresh_token();
    #[cfg(not(feature = "ssr"))]
    let token = String::new();
    view! { <input type="hidden" name="once" value=token /> }
}

/// Marks a form as being sent on its first submit and swallows the next ones, so a second tap on
/// "Send" while the answer is on its way does nothing; the button shows it is busy. Inline and
/// tiny, so it works from the first paint, long before the WASM arrives on a slow phone. A form
/// an island handles itself (it prevents the default) is left alone; a page shown again from
/// the back-forward cache, or a send that never got an answer (offline), is released again.
/// Also: a `data-copy` button (hidden in the HTML) appears where the clipboard can be written,
/// and copies its text.
const SUBMIT_ONCE: &str = r#"(function(){
function release(f){delete f.dataset.sending;f.removeAttribute("aria-busy");}
addEventListener("submit",function(e){var f=e.target;if(e.defaultPrevented||!(f instanceof HTMLFormElement))return;
if(f.dataset.sending){e.preventDefault();return;}
f.dataset.sending="1";f.setAttribute("aria-busy","true");setTimeout(function(){release(f);},15000);});
addEventListener("pageshow",function(){document.querySelectorAll("form[data-sending]").forEach(release);});
addEventListener("DOMContentLoaded",function(){if(navigator.clipboard)document.querySelectorAll("[data-copy]").forEach(function(b){b.hidden=false;});});
addEventListener("click",function(e){var b=e.target.closest&&e.target.closest("[data-copy]");if(!b||!navigator.clipboard)return;
navigator.clipboard.writeText(b.dataset.copy).then(function(){b.textContent=b.dataset.copied;},function(){b.hidden=true;});});
})();"#;

/// The script of [`SUBMIT_ONCE`], with this response's CSP nonce.
#[component]
pub fn SubmitOnceScript() -> impl IntoView {
    view! { <script nonce=leptos::nonce::use_nonce() inner_html=SUBMIT_ONCE></script> }
}
