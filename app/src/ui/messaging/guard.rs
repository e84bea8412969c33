//! What the sensitive-text guard shows under a field as it is typed, shared by the one-line
//! inputs and the message text box: the findings of one field, the guard of a whole form, and
//! the warning with each finding highlighted and explained.

use crate::domain::guard::{self, Category, Finding};
use crate::i18n::{I18n, Texts, use_i18n};
use leptos::prelude::*;

/// The texts every guarded field shows: the standing warning, the counter, the findings.
const GUARD_TEXTS: [&str; 4] =
    ["messages.guard.", "guard.", "messages.standing_warning", "messages.char_count"];

/// The texts a guarded field's island needs: the guard's own and `extra` (its label, …).
pub(super) fn texts_for(i18n: I18n, extra: &[&str]) -> Texts {
    let keys: Vec<&str> = GUARD_TEXTS.iter().chain(extra).copied().collect();
    Texts::pick(i18n, &keys)
}

/// The guard of a whole form: each guarded field in it reports what it finds here, so that the
/// form's one "send anyway" box, or its refusal, answers for all of them — a flagged subject
/// needs the confirmation as much as a flagged body. Provided by the form's component before
/// its fields are made.
#[derive(Debug, Clone, Copy)]
pub struct FormGuard(RwSignal<Vec<Memo<Vec<Category>>>>);

impl FormGuard {
    pub fn provide() -> FormGuard {
        let guard = FormGuard(RwSignal::new(Vec::new()));
        provide_context(guard);
        guard
    }

    pub(super) fn register(self, field: Memo<Vec<Category>>) {
        self.0.update(|fields| fields.push(field));
    }

    /// What the guard finds in any field of the form, each category once.
    pub(super) fn categories(self) -> Vec<Category> {
        let mut all: Vec<Category> = self.0.read().iter().flat_map(|f| f.get()).collect();
        all.sort();
        all.dedup();
        all
    }
}

/// What was typed into the field `id` before its island came alive (the page works, and a
/// person types, before the WASM arrives): its value then goes into `set`, so it is checked too.
pub fn typed_before_hydration(id: String, text: ReadSignal<String>, set: WriteSignal<String>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let typed = document()
            .get_element_by_id(&id)
            .and_then(|field| js_sys::Reflect::get(&field, &"value".into()).ok())
            .and_then(|value| value.as_string());
        if let Some(typed) = typed
            && typed != text.get_untracked()
        {
            set.set(typed);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, text, set);
}

/// What the guard finds in one field as it is typed (names of `other_children` too), reported to
/// the form's [`FormGuard`] when there is one.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldGuard {
    text: ReadSignal<String>,
    findings: Memo<Vec<Finding>>,
    categories: Memo<Vec<Category>>,
    /// The form this field belongs to, if it has a guard of its own.
    pub form: Option<FormGuard>,
}

impl FieldGuard {
    pub fn new(text: ReadSignal<String>, other_children: Vec<String>) -> FieldGuard {
        let others = StoredValue::new(other_children);
        // In the browser the guard's lexicon arrives after the field wakes (see
        // `domain::guard::data`): the findings are worked out again when it does.
        let ready = RwSignal::new(guard::data::ready());
        #[cfg(feature = "hydrate")]
        lexicon::when_loaded(ready);
        let findings = Memo::new(move |_| {
            ready.track();
            others.with_value(|o| guard::check(&text.read(), o))
        });
        let categories = Memo::new(move |_| guard::categories(&findings.read()));
        let form = use_context::<FormGuard>();
        if let Some(form) = form {
            form.register(categories);
        }
        FieldGuard { text, findings, categories, form }
    }

    /// What the field's form asks to confirm: every field's findings, or this field's alone.
    pub fn form_categories(self) -> Vec<Category> {
        match self.form {
            Some(form) => form.categories(),
            None => self.categories.get(),
        }
    }
}

/// The warning under a field while the guard finds something in it: the text with each
/// finding marked, and what each kind of finding means. With `say_refused` it also says that
/// the text cannot be sent as it is (for a field whose form has no "send anyway" of its own).
#[component]
pub(super) fn Findings(field: FieldGuard, #[prop(optional)] say_refused: bool) -> impl IntoView {
    let i18n = use_i18n();
    let FieldGuard { text, findings, categories, .. } = field;
    let has_findings = Memo::new(move |_| !categories.read().is_empty());
    let refused = Memo::new(move |_| categories.read().iter().any(|c| c.refused()));
    move || {
        has_findings.get().then(|| {
            view! {
                <div class="guard-warning">
                    <p><strong>{i18n.t("messages.guard.title")}</strong></p>
                    <p class="guard-preview">
                        {move || highlighted(&text.read(), &findings.read(), i18n)}
                    </p>
                    <ul>
                        {move || {
                            let found = findings.read();
                            categories
                                .get()
                                .into_iter()
                                .map(|c| {
                                    // What the category is, then why each piece of it was marked.
                                    let mine: Vec<Finding> =
                                        found.iter().filter(|f| f.category == c).cloned().collect();
                                    let why: Vec<&str> = guard::reasons(&mine)
                                        .into_iter()
                                        .map(|r| i18n.t(r.message_key()))
                                        .collect();
                                    view! {
                                        <li>
                                            <strong>{i18n.t(c.message_key())}</strong>
                                            " "
                                            {why.join(" ")}
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    {move || {
                        (say_refused && refused.get())
                            .then(|| view! { <p class="error">{i18n.t("messages.guard.refused")}</p> })
                    }}
                </div>
            }
        })
    }
}

/// `text` with each finding marked and explained in its title.
fn highlighted(text: &str, findings: &[Finding], i18n: I18n) -> impl IntoView + use<> {
    guard::segments(text, findings)
        .into_iter()
        .map(|(piece, mark)| match mark {
            Some((c, why)) => view! {
                <mark class=format!("guard-mark {}", c.code()) title=i18n.t(why.message_key())>{piece}</mark>
            }
            .into_any(),
            None => piece.into_any(),
        })
        .collect_view()
}

/// Fetches the guard's lexicon and weights once per page, for every guarded field on it.
#[cfg(feature = "hydrate")]
mod lexicon {
    use crate::domain::guard;
    use leptos::prelude::*;
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        /// The fields waiting for the lexicon; `None` before the first asks (no fetch yet).
        static WAITING: RefCell<Option<Vec<RwSignal<bool>>>> = const { RefCell::new(None) };
    }

    /// Sets `ready` once the lexicon and weights are loaded, fetching them if nobody has yet.
    pub fn when_loaded(ready: RwSignal<bool>) {
        if guard::data::ready() {
            ready.set(true);
            return;
        }
        let first = WAITING.with_borrow_mut(|waiting| {
            let first = waiting.is_none();
            waiting.get_or_insert_with(Vec::new).push(ready);
            first
        });
        if first {
            leptos::task::spawn_local(async {
                match (text("/guard/lexicon.txt").await, text("/guard/model.tsv").await) {
                    (Some(lexicon), Some(model)) => guard::data::load(lexicon, model),
                    // The server checks every text anyway; the browser keeps to identity
                    // numbers.
                    _ => leptos::logging::warn!("the guard's lexicon could not be fetched"),
                }
                let waiting = WAITING.with_borrow_mut(|w| w.take()).unwrap_or_default();
                for ready in waiting {
                    ready.set(guard::data::ready());
                }
            });
        }
    }

    async fn text(path: &str) -> Option<String> {
        let window = web_sys::window()?;
        let response = JsFuture::from(window.fetch_with_str(path)).await.ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?).await.ok()?.as_string()
    }
}
