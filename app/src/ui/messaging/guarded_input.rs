//! One-line text fields with the sensitive-text guard (a subject, who picks a child up, an
//! activity's place), so that every field a person types is checked as they type, not only the
//! message body.

use super::guard::{FieldGuard, Findings, texts_for, typed_before_hydration};
use crate::i18n::{Texts, use_i18n};
use leptos::prelude::*;

/// A text input with the guard (id `name`; posted as `form_name`, `name` by default): what it
/// finds is highlighted and explained below it as the person types. Alone in its form (no "send
/// anyway"), it says itself that an identity number is refused.
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
    /// The form was refused because of this field: it is marked, and described by the form's
    /// error summary (`ui::error_summary`).
    #[prop(optional)]
    invalid: bool,
) -> impl IntoView {
    let field = InputProps {
        invalid,
        name: name.to_owned(),
        label_key: label_key.to_owned(),
        initial,
        maxlength,
        required,
        other_children,
        placeholder,
        form_name: form_name.map(str::to_owned),
    };
    let texts = texts_for(use_i18n(), &[label_key]);
    view! { <GuardedInputIsland texts field /> }.into_any()
}

/// What a guarded one-line field is made of (sent to the browser with its island).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct InputProps {
    pub name: String,
    pub label_key: String,
    pub initial: String,
    pub maxlength: usize,
    pub required: bool,
    pub other_children: Vec<String>,
    pub placeholder: Option<String>,
    pub form_name: Option<String>,
    pub invalid: bool,
}

#[island(lazy)]
fn GuardedInputIsland(texts: Texts, field: InputProps) -> impl IntoView {
    texts.provide();
    view! { <InputField field /> }
}

/// The field itself, inside an island of its own or of its form's.
#[component]
pub(super) fn InputField(field: InputProps) -> impl IntoView {
    let i18n = use_i18n();
    let InputProps {
        name,
        label_key,
        initial,
        maxlength,
        required,
        other_children,
        placeholder,
        form_name,
        invalid,
    } = field;
    let (text, set_text) = signal(initial.clone());
    let guard = FieldGuard::new(text, other_children);
    typed_before_hydration(name.clone(), text, set_text);
    let status = format!("{name}-guard");
    let described = if invalid { format!("feil {status}") } else { status.clone() };
    view! {
        <label for=name.clone()>{i18n.t(&label_key)}</label>
        <input
            type="text"
            id=name.clone()
            name=form_name.unwrap_or(name)
            maxlength=maxlength
            required=required
            placeholder=placeholder
            value=initial
            aria-invalid=invalid.then_some("true")
            aria-describedby=described
            on:input=move |ev| set_text.set(event_target_value(&ev))
        />
        <div id=status class="guard" aria-live="polite">
            <Findings field=guard say_refused=guard.form.is_none() />
        </div>
    }
}
