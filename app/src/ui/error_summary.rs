//! The error summary every form shows when what was posted could not be saved or sent: at the
//! top of the form, where the page is opened (`#feil`) and where the focus goes, saying what
//! went wrong and in which field, with a link to it. The field itself is marked
//! (`aria-invalid`) and described by the summary (`aria-describedby="feil"`), see [`Problem`].

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The element id of the summary, and the fragment a refused form's page is opened at.
pub const SUMMARY_ID: &str = "feil";

/// Why a form was refused (an i18n key), and the field it is about: its element id and its
/// label's i18n key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub field: Option<(&'static str, &'static str)>,
}

impl Problem {
    /// `aria-invalid` and `aria-describedby` for the field with element id `id`, when a form
    /// that may have been refused (`problem`) was refused because of it.
    pub fn marks(
        problem: &Option<Problem>,
        id: &str,
    ) -> (Option<&'static str>, Option<&'static str>) {
        match problem {
            Some(p) if p.field.is_some_and(|(f, _)| f == id) => (Some("true"), Some(SUMMARY_ID)),
            _ => (None, None),
        }
    }
}

/// The summary: `heading_key` says what did not happen ("Fraværet ble ikke meldt").
#[component]
pub fn ErrorSummary(heading_key: &'static str, problem: Problem) -> impl IntoView {
    let i18n = use_i18n();
    let Problem { key, field } = problem;
    let text = match field {
        Some((id, label)) => view! {
            <a class="nav-link" href=format!("#{id}")>{format!("{}: {}", i18n.t(label), i18n.t(&key))}</a>
        }
        .into_any(),
        None => view! { {i18n.t(&key)} }.into_any(),
    };
    view! {
        <div class="error-summary" id=SUMMARY_ID role="alert" tabindex="-1" autofocus>
            <h2>{i18n.t(heading_key)}</h2>
            <p>{text}</p>
        </div>
    }
}
