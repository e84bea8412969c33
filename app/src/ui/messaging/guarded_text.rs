//! The message text box with the sensitive-text guard: the standing warning, findings
//! highlighted and explained as the person types, and the "send anyway" confirmation — for
//! what the guard finds in any field of the form (see [`FormGuard`]).

use super::guarded_input::{FormGuard, highlighted};
use crate::domain::guard::{self, Category, MAX_MESSAGE_CHARS};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// A `body` text area (posted as `form_name`, `body` by default). `initial` is the text to start
/// with (a draft brought back), `problem` the i18n key of why it was not sent.
#[component]
pub fn GuardedText(
    #[prop(into)] initial: String,
    other_children: Vec<String>,
    problem: Option<String>,
    label_key: &'static str,
    #[prop(optional)] form_name: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (text, set_text) = signal(initial.clone());
    let others = StoredValue::new(other_children);
    let findings = Memo::new(move |_| others.with_value(|o| guard::check(&text.read(), o)));
    let count = Memo::new(move |_| text.read().chars().count());
    let categories = Memo::new(move |_| guard::categories(&findings.read()));
    let has_findings = Memo::new(move |_| !categories.read().is_empty());
    // The confirmation (or refusal) answers for the whole form: its subject as well.
    let form = use_context::<FormGuard>();
    if let Some(form) = form {
        form.register(categories);
    }
    let form_categories = Memo::new(move |_| match form {
        Some(form) => form.categories(),
        None => categories.get(),
    });
    let form_flagged = Memo::new(move |_| !form_categories.read().is_empty());
    let refused = Memo::new(move |_| form_categories.read().iter().any(|c| c.refused()));
    view! {
        <p class="standing-warning" role="note">{i18n.t("messages.standing_warning")}</p>
        {problem.map(|key| view! { <p class="error" role="alert">{i18n.t(&key)}</p> })}
        <label for="body">{i18n.t(label_key)}</label>
        <textarea
            id="body"
            name=form_name.unwrap_or("body")
            rows="8"
            aria-describedby="char-count guard-status"
            on:input=move |ev| set_text.set(event_target_value(&ev))
        >
            {initial}
        </textarea>
        <p
            id="char-count"
            class=move || { if count.get() > MAX_MESSAGE_CHARS { "hint error" } else { "hint" } }
        >
            {move || {
                i18n.t_with(
                    "messages.char_count",
                    &[("count", &count.get().to_string()), ("max", &MAX_MESSAGE_CHARS.to_string())],
                )
            }}
        </p>
        <div id="guard-status" class="guard" aria-live="polite">
            // Each part follows only what it shows, so that typing does not reset the
            // confirmation box.
            {move || {
                has_findings.get().then(|| {
                    view! {
                        <div class="guard-warning">
                            <p><strong>{i18n.t("messages.guard.title")}</strong></p>
                            <p class="guard-preview">
                                {move || highlighted(&text.read(), &findings.read(), i18n)}
                            </p>
                            <ul>
                                {move || {
                                    categories
                                        .get()
                                        .into_iter()
                                        .map(|c: Category| view! { <li>{i18n.t(c.message_key())}</li> })
                                        .collect_view()
                                }}
                            </ul>
                        </div>
                    }
                })
            }}
            {move || {
                form_flagged.get().then_some(move || {
                    {
                        if refused.get() {
                            view! { <p class="error">{i18n.t("messages.guard.refused")}</p> }.into_any()
                        } else {
                            view! {
                                <p class="confirm">
                                    <input type="checkbox" id="confirmed" name="confirmed" value="on" />
                                    <label for="confirmed">{i18n.t("messages.guard.confirm")}</label>
                                </p>
                            }.into_any()
                        }
                    }
                })
            }}
        </div>
    }
}
