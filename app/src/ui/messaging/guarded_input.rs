//! One-line text fields with the sensitive-text guard (a subject, who picks a child up, an
//! activity's place), and the guard of a whole form, so that every field a person types is
//! checked as they type, not only the message body.

use crate::domain::guard::{self, Category};
use crate::i18n::use_i18n;
use leptos::prelude::*;

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

/// A text input with the guard (id `name`; posted as `form_name`, `name` by default): what it finds is highlighted and explained below
/// it as the person types. Inside a form with a [`FormGuard`] the form's confirmation covers
/// it; alone (a form without "send anyway") it says itself that an identity number is refused.
#[component]
pub fn GuardedInput(
    name: &'static str,
    label_key: &'static str,
    #[prop(into)] initial: String,
    maxlength: usize,
    #[prop(optional)] required: bool,
    #[prop(optional)] other_children: Vec<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional)] form_name: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (text, set_text) = signal(initial.clone());
    let others = StoredValue::new(other_children);
    let findings = Memo::new(move |_| others.with_value(|o| guard::check(&text.read(), o)));
    let categories = Memo::new(move |_| guard::categories(&findings.read()));
    let has_findings = Memo::new(move |_| !categories.read().is_empty());
    let refused = Memo::new(move |_| categories.read().iter().any(|c| c.refused()));
    let form = use_context::<FormGuard>();
    if let Some(form) = form {
        form.register(categories);
    }
    let status = format!("{name}-guard");
    view! {
        <label for=name>{i18n.t(label_key)}</label>
        <input
            type="text"
            id=name
            name=form_name.unwrap_or(name)
            maxlength=maxlength
            required=required
            placeholder=placeholder
            value=initial
            aria-describedby=status.clone()
            on:input=move |ev| set_text.set(event_target_value(&ev))
        />
        <div id=status class="guard" aria-live="polite">
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
                                        .map(|c| view! { <li>{i18n.t(c.message_key())}</li> })
                                        .collect_view()
                                }}
                            </ul>
                            {move || {
                                (form.is_none() && refused.get())
                                    .then(|| view! { <p class="error">{i18n.t("messages.guard.refused")}</p> })
                            }}
                        </div>
                    }
                })
            }}
        </div>
    }
}

/// `text` with each finding marked and explained in its title.
pub(super) fn highlighted(
    text: &str,
    findings: &[guard::Finding],
    i18n: crate::i18n::I18n,
) -> impl IntoView + use<> {
    guard::segments(text, findings)
        .into_iter()
        .map(|(piece, category)| match category {
            Some(c) => view! {
                <mark class=format!("guard-mark {}", c.code()) title=i18n.t(c.message_key())>{piece}</mark>
            }
            .into_any(),
            None => piece.into_any(),
        })
        .collect_view()
}
