//! Starting a conversation about a child: a guardian writes to the child's staff, a staff
//! member to the child's guardians.

use super::{Draft, HoursInfo};
use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Someone a guardian can write to: `value` names the person and the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub value: String,
    pub name: String,
    /// i18n key of the role.
    pub role_key: String,
    pub place: String,
    pub preselected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeData {
    pub child_id: String,
    pub child_name: String,
    /// Whether the writer is staff (writing to the guardians).
    pub staff: bool,
    /// Staff to choose from (guardians only), the child's contact first and preselected.
    pub recipients: Vec<Recipient>,
    /// The guardians who will read the conversation.
    pub guardians: Vec<String>,
    /// Staff hours of the units the recipients belong to.
    pub hours: Vec<HoursInfo>,
    /// The other children of the child's groups, for the guard.
    pub other_children: Vec<String>,
    pub draft: Option<Draft>,
}

/// What a compose screen about `child_id` needs; `draft` brings back a text that was not sent.
#[server(prefix = "/api/child", endpoint = "compose")]
pub async fn compose_context(
    child_id: String,
    draft: Option<String>,
) -> Result<ComposeData, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::send;
            use crate::backend::repo::children;
            use crate::domain::Audience;

            let (state, user, today) = crate::api::children::child_access(&child_id).await?;
            let child = children::get(&state.db, &child_id)
                .await
                .context("loading a child")?
                .ok_or(AppError::NotFound)?;
            let staff_options = send::staff_for_child(&state.db, &child_id, &today)
                .await
                .context("listing a child's staff")?;
            let staff = user.audience == Audience::Staff;
            let recipients: Vec<Recipient> = if staff {
                Vec::new()
            } else {
                staff_options
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Recipient {
                        value: format!("{}:{}", s.unit_id, s.person_id),
                        name: s.name(),
                        role_key: crate::domain::staff::role_key(&s.role).to_owned(),
                        place: match &s.group_name {
                            Some(g) if s.for_group == 1 => format!("{}, {g}", s.unit_name),
                            _ => s.unit_name.clone(),
                        },
                        preselected: i == 0,
                    })
                    .collect()
            };
            let mut hours = Vec::new();
            let mut seen = Vec::new();
            for s in &staff_options {
                if !staff && !seen.contains(&s.unit_id) {
                    seen.push(s.unit_id.clone());
                    if let Some(h) = super::hours_info(&state, &s.unit_id, &s.unit_name).await? {
                        hours.push(h);
                    }
                }
            }
            let guardians = send::guardians(&state.db, &child_id, &today)
                .await
                .context("listing a child's guardians")?
                .into_iter()
                // A guardian with a confidential address is not shown to another family member.
                .filter(|g| staff || g.id == user.person_id || !g.protected())
                .map(|g| g.name())
                .collect();
            let other_children = send::other_children(&state.db, &user, &child_id, &today)
                .await
                .context("listing the other children of a group")?;
            let draft = super::load_draft(
                &state,
                &user.person_id,
                draft,
                &format!("child:{child_id}"),
                &other_children,
            )
            .await?;
            Ok(ComposeData {
                child_name: child.display_name().to_string(),
                child_id,
                staff,
                recipients,
                guardians,
                hours,
                other_children,
                draft,
            })
        }
        .await,
    )
}

/// Starts a conversation about a child. On success the browser goes to the new conversation; a
/// text that cannot be sent yet is kept as a draft and the browser goes back to the form.
#[server(prefix = "/api/child", endpoint = "start_thread")]
pub async fn start_thread(
    child_id: String,
    recipient: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::{drafts, send, threads};
            use crate::domain::Audience;
            use crate::domain::guard::MAX_SUBJECT_CHARS;

            let (state, user, today) = crate::api::children::child_access(&child_id).await?;
            let body = body.unwrap_or_default();
            let subject: String = subject
                .unwrap_or_default()
                .trim()
                .chars()
                .take(MAX_SUBJECT_CHARS)
                .collect();
            let target = format!("child:{child_id}");
            let form = format!("/barn/{child_id}/ny-melding");
            let staff_options = send::staff_for_child(&state.db, &child_id, &today)
                .await
                .context("listing a child's staff")?;
            // Who takes part on the staff side, and for which unit.
            let (unit_id, staff) = if user.audience == Audience::Staff {
                let mine = staff_options
                    .iter()
                    .find(|s| s.person_id == user.person_id)
                    .ok_or(AppError::Forbidden)?;
                (mine.unit_id.clone(), vec![user.person_id.clone()])
            } else {
                let chosen = recipient.as_deref().unwrap_or_default();
                let Some(option) = staff_options
                    .iter()
                    .find(|s| format!("{}:{}", s.unit_id, s.person_id) == chosen)
                else {
                    let draft = drafts::NewDraft {
                        person_id: &user.person_id,
                        target: &target,
                        subject: &subject,
                        body: &body,
                        recipient: None,
                        problem: "messages.problem.recipient",
                    };
                    return super::keep_draft(&state, draft, &form).await;
                };
                (option.unit_id.clone(), vec![option.person_id.clone()])
            };
            let others = send::other_children(&state.db, &user, &child_id, &today)
                .await
                .context("listing the other children of a group")?;
            let flagged = match send::validate(&subject, &body, &others, super::ticked(&confirmed))
            {
                Ok(flagged) => flagged,
                Err(problem) => {
                    let draft = drafts::NewDraft {
                        person_id: &user.person_id,
                        target: &target,
                        subject: &subject,
                        body: &body,
                        recipient: recipient.as_deref(),
                        problem: problem.key(),
                    };
                    return super::keep_draft(&state, draft, &form).await;
                }
            };
            let subject: String = if subject.is_empty() {
                super::preview(&body).chars().take(60).collect()
            } else {
                subject
            };
            let message = threads::NewMessage {
                author_id: &user.person_id,
                body: &body,
                flagged: &flagged,
                confirmed: !flagged.is_empty(),
            };
            let target_thread = threads::NewThread::Child {
                child_id: &child_id,
                staff: &staff,
                origin_id: None,
            };
            let id = threads::create(&state.db, &unit_id, &subject, target_thread, message)
                .await
                .context("starting a conversation")?;
            drafts::clear(&state.db, &user.person_id, &target)
                .await
                .context("clearing message drafts")?;
            leptos_axum::redirect(&format!("/samtale/{id}"));
            Ok(())
        }
        .await,
    )
}
