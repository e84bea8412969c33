//! One-line text fields with the sensitive-text guard (a subject, who picks a child up, an
//! activity's place), so that every field a person types is checked as they type, not only the
//! message body.

use super::guard::{FieldGuard, Findings};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// A text input with the guard (id `name`; posted as `form_name`, `name` by default): what it
/// finds is highlighted and explained below it as the person types. Inside a form with a
/// `FormGuard` the form's confirmation covers it; alone (a form without "send anyway") it says
/// itself that an identity number is refused.
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
    let field = FieldGuard::new(text, other_children);
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
            <Findings field say_refused=field.form.is_none() />
        </div>
    }
}
