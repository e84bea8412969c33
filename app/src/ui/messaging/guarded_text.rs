//! The message text box with the sensitive-text guard: the standing warning, findings
//! highlighted and explained as the person types, and the "send anyway" confirmation — for
//! what the guard finds in any field of the form (see `FormGuard`). Each is an island: the
//! guard runs in the browser, the rest of the page is server-rendered HTML.

use super::guard::{FieldGuard, Findings, FormGuard, texts_for, typed_before_hydration};
use super::guarded_input::{InputField, InputProps};
use crate::domain::guard::{MAX_MESSAGE_CHARS, MAX_SUBJECT_CHARS};
use crate::domain::messaging::Draft;
use crate::i18n::{Texts, use_i18n};
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
    let mut keys = vec![label_key];
    keys.extend(problem.as_deref());
    let texts = texts_for(use_i18n(), &keys);
    let field = TextProps {
        initial,
        other_children,
        problem,
        label_key: label_key.to_owned(),
        form_name: form_name.map(str::to_owned),
    };
    view! { <GuardedTextIsland texts field /> }.into_any()
}

/// What a guarded text box is made of (sent to the browser with its island).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct TextProps {
    initial: String,
    other_children: Vec<String>,
    problem: Option<String>,
    label_key: String,
    form_name: Option<String>,
}

#[island(lazy)]
fn GuardedTextIsland(texts: Texts, field: TextProps) -> impl IntoView {
    texts.provide();
    view! { <TextField field /> }
}

#[component]
fn TextField(field: TextProps) -> impl IntoView {
    let i18n = use_i18n();
    let TextProps { initial, other_children, problem, label_key, form_name } = field;
    let (text, set_text) = signal(initial.clone());
    let field = FieldGuard::new(text, other_children);
    typed_before_hydration("body".to_owned(), text, set_text);
    let count = Memo::new(move |_| text.read().chars().count());
    // The confirmation (or refusal) answers for the whole form: its subject as well.
    let form_categories = Memo::new(move |_| field.form_categories());
    let form_flagged = Memo::new(move |_| !form_categories.read().is_empty());
    let refused = Memo::new(move |_| form_categories.read().iter().any(|c| c.refused()));
    view! {
        <p class="standing-warning" role="note">{i18n.t("messages.standing_warning")}</p>
        // Said again beside the box; the form's error summary (`#feil`) is the alert.
        {problem.clone().map(|key| view! { <p class="error">{i18n.t(&key)}</p> })}
        <label for="body">{i18n.t(&label_key)}</label>
        <textarea
            id="body"
            name=form_name.unwrap_or_else(|| "body".to_owned())
            rows="8"
            aria-invalid=problem.is_some().then_some("true")
            aria-describedby=if problem.is_some() { "feil char-count guard-status" } else { "char-count guard-status" }
            on:input=move |ev| set_text.set(event_target_value(&ev))
        >
            // Escaped here: tachys 0.2 writes a <textarea>'s text unescaped (as for <script>), so
            // a kept draft with "</textarea>" in it would end the box and put markup on the page.
            {crate::domain::html::escape(&initial)}
        </textarea>
        <p
            id="char-count"
            class=move || { if count.get() > MAX_MESSAGE_CHARS { "hint error" } else { "hint" } }
        >
            {move || {
                i18n.t_with(
                    "messages.char_count",
                    &[("count", &i18n.number(count.get())), ("max", &i18n.number(MAX_MESSAGE_CHARS))],
                )
            }}
        </p>
        <div id="guard-status" class="guard" aria-live="polite">
            // Each part follows only what it shows, so that typing does not reset the
            // confirmation box.
            <Findings field />
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

/// A new message's subject, text and send button, with what was kept of one that was not sent:
/// one island, whose "send anyway" answers for both fields.
#[component]
pub(super) fn SubjectAndBody(
    draft: Option<Draft>,
    other_children: Vec<String>,
    #[prop(optional)] subject_required: bool,
) -> impl IntoView {
    let mut keys = vec!["messages.compose.subject", "messages.compose.body", "messages.send"];
    keys.extend(draft.as_ref().map(|d| d.problem.as_str()));
    let texts = texts_for(use_i18n(), &keys);
    view! { <SubjectAndBodyIsland texts draft other_children subject_required /> }.into_any()
}

#[island(lazy)]
fn SubjectAndBodyIsland(
    texts: Texts,
    draft: Option<Draft>,
    other_children: Vec<String>,
    subject_required: bool,
) -> impl IntoView {
    let i18n = texts.provide();
    FormGuard::provide();
    let (subject, body, problem) = match draft {
        Some(d) => (d.subject, d.body, Some(d.problem)),
        None => Default::default(),
    };
    let subject = InputProps {
        name: "subject".to_owned(),
        label_key: "messages.compose.subject".to_owned(),
        initial: subject,
        maxlength: MAX_SUBJECT_CHARS,
        required: subject_required,
        other_children: other_children.clone(),
        placeholder: None,
        form_name: None,
        invalid: false,
    };
    let body = TextProps {
        initial: body,
        other_children,
        problem,
        label_key: "messages.compose.body".to_owned(),
        form_name: None,
    };
    view! {
        <InputField field=subject />
        <TextField field=body />
        <button type="submit" class="primary main-action">{i18n.t("messages.send")}</button>
    }
}
