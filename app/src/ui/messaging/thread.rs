//! `/samtale/:id`: a conversation, read receipts, and the answer form. New messages appear
//! without a reload (`ui::live`); the answer being typed is never disturbed by that.

use super::guarded_text::GuardedText;
use super::hours::HoursNotice;
use crate::api::AppError;
use crate::api::messaging::{MessageView, Reply, ThreadView, get_thread};
use crate::i18n::use_i18n;
use crate::ui::error::{ErrorMessage, login_first, no_store};
use crate::ui::layout::Page;
use crate::ui::live::Live;
use crate::ui::once::OnceField;
use crate::ui::title::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    no_store();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // The conversation: heading, messages (which follow new ones by themselves), answer form.
    let thread = Resource::new(
        move || (id(), query.read().get("utkast")),
        |(id, draft)| get_thread(id, draft),
    );
    view! {
        <Page account=true>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match thread.await {
                        Ok(view) => {
                            let shown = view.clone();
                            view! {
                                <ThreadHeader view=view.clone() />
                                <Live id="thread-messages" on_messages=true><Messages view=shown /></Live>
                                <AnswerForm view />
                            }.into_any()
                        },
                        Err(AppError::Unauthenticated) => {
                            login_first();
                            ().into_any()
                        }
                        Err(error) => view! {
                            <PageTitle text=i18n.t("messages.not_found") />
                            <h1>{i18n.t("messages.not_found")}</h1>
                            <ErrorMessage error />
                            <p><a class="nav-link" href="/meldinger">{i18n.t("messages.back_to_inbox")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn ThreadHeader(view: ThreadView) -> impl IntoView {
    let i18n = use_i18n();
    let back = match &view.child_id {
        Some(child) if !view.staff => format!("/barn/{child}/meldinger"),
        _ => "/meldinger".to_owned(),
    };
    let kind = if view.is_group {
        i18n.t_with("messages.thread.group_to", &[("place", &view.about)])
    } else if view.is_reply {
        i18n.t_with("messages.thread.reply_about", &[("child", &view.about)])
    } else {
        i18n.t_with("messages.thread.about", &[("child", &view.about)])
    };
    let readers = if view.is_group {
        i18n.t_with("messages.thread.group_readers", &[("place", &view.about)])
    } else {
        i18n.t_with("messages.thread.readers", &[("names", &view.readers.join(", "))])
    };
    view! {
        <PageTitle text=view.subject.clone() />
        <p class="breadcrumb"><a href=back>{i18n.t("messages.back_to_inbox")}</a></p>
        <h1>{view.subject.clone()}</h1>
        <p class="lead">{kind}</p>
        <p class="readers" role="note">{readers}</p>
    }
}

#[component]
fn Messages(view: ThreadView) -> impl IntoView {
    let i18n = use_i18n();
    // Who has read it, by family, and which families cannot be reached digitally (reserved
    // in KRR): they need a note in the school bag or a phone call.
    let families = view.group_families.clone();
    let group_read = view.group_read.map(move |(read, all)| {
        let summary = i18n.t_with("messages.thread.read_count", &[("read", &read.to_string()), ("all", &all.to_string())]);
        let unreachable = families.iter().filter(|f| f.unreachable).count();
        view! {
            <details class="answers read-count">
                <summary>
                    {summary}
                    {(unreachable > 0).then(|| format!(" · {}", i18n.t_with("messages.thread.unreachable_count", &[("count", &unreachable.to_string())])))}
                </summary>
                <ul class="families">
                    {families
                        .into_iter()
                        .map(|f| {
                            let guardians = f
                                .guardians
                                .iter()
                                .map(|(name, read)| {
                                    let key = if *read { "messages.thread.family_read" } else { "messages.thread.family_not_read" };
                                    i18n.t_with(key, &[("name", name)])
                                })
                                .collect::<Vec<_>>()
                                .join(", ");
                            view! {
                                <li>
                                    <strong>{f.child.clone()}</strong>": "{guardians}
                                    {f.unreachable.then(|| view! { " " <span class="tag">{i18n.t("messages.thread.unreachable")}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    });
    let is_group = view.is_group;
    let notified = view.group_notified.map(|n| {
        let all = n.of.to_string();
        let text = i18n.t_with(
            "messages.thread.notified",
            &[
                ("people", &n.people.to_string()),
                ("all", &all),
                ("push", &n.push.to_string()),
                ("email", &n.email.to_string()),
                ("sms", &n.sms.to_string()),
            ],
        );
        let waiting = (n.waiting > 0).then(|| {
            format!(
                " · {}",
                i18n.t_with(
                    "messages.thread.notified_waiting",
                    &[("count", &n.waiting.to_string())]
                )
            )
        });
        view! { <p class="readers notified">{text}{waiting}</p> }
    });
    view! {
        <ol class="messages" aria-label=i18n.t("messages.thread.messages")>
            {view
                .messages
                .into_iter()
                .map(|m| view! { <MessageItem m is_group /> })
                .collect_view()}
        </ol>
        {group_read}
        {notified}
    }
}

#[component]
fn MessageItem(m: MessageView, is_group: bool) -> impl IntoView {
    let i18n = use_i18n();
    let author = if m.own {
        i18n.t("messages.thread.you").to_owned()
    } else if m.author.is_empty() {
        i18n.t("messages.thread.a_guardian").to_owned()
    } else {
        m.author.clone()
    };
    let receipt = (m.own && !is_group).then(|| {
        let text = if m.read_by.is_empty() {
            i18n.t("messages.thread.not_read").to_owned()
        } else {
            i18n.t_with("messages.thread.read_by", &[("names", &m.read_by.join(", "))])
        };
        view! { <p class="receipt">{text}</p> }
    });
    view! {
        <li class={if m.own { "message own" } else { "message" }}>
            <p class="meta"><strong>{author}</strong>" · "<time>{m.at.clone()}</time></p>
            // Stored as typed; shown as text (escaped), line breaks kept by CSS.
            <p class="body">{m.body.clone()}</p>
            {receipt}
        </li>
    }
}

#[component]
fn AnswerForm(view: ThreadView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Reply>::new();
    let draft = view.draft.clone();
    let private_note = (view.is_group && !view.staff).then(
        || view! { <p class="notice" role="note">{i18n.t("messages.thread.private_answer")}</p> },
    );
    let child_choice = match view.reply_children.len() {
        0 => None,
        1 => Some(
            view! { <input type="hidden" name="child_id" value=view.reply_children[0].0.clone() /> }
                .into_any(),
        ),
        _ => Some(
            view! {
                <label for="child_id">{i18n.t("messages.thread.answer_about")}</label>
                <select id="child_id" name="child_id">
                    {view
                        .reply_children
                        .iter()
                        .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
                        .collect_view()}
                </select>
            }
            .into_any(),
        ),
    };
    let heading = if view.is_group && view.staff {
        i18n.t("messages.thread.follow_up")
    } else {
        i18n.t("messages.thread.answer")
    };
    view! {
        <section class="answer" aria-labelledby="answer-heading">
            <h2 id="answer-heading">{heading}</h2>
            <ActionForm action attr:class="compose">
                <input type="hidden" name="thread_id" value=view.id.clone() />
                <OnceField />
                <super::DraftSummary draft=draft.clone() label_key="messages.thread.answer_label" />
                {private_note}
                {child_choice}
                <HoursNotice hours=view.hours.clone() />
                <GuardedText
                    initial=draft.as_ref().map(|d| d.body.clone()).unwrap_or_default()
                    other_children=view.other_children.clone()
                    problem=draft.as_ref().map(|d| d.problem.clone())
                    label_key="messages.thread.answer_label"
                />
                <button type="submit" class="primary main-action">{i18n.t("messages.send")}</button>
            </ActionForm>
        </section>
    }
}
