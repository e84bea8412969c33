//! Group messages: staff write to the guardians of a group or a whole unit. Answers are never
//! shared with other families (see `reply`).

use super::Draft;
use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Somewhere a staff member can send a group message: `value` is `group:<id>` or `unit:<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupTarget {
    pub value: String,
    pub label: String,
    /// How many children's families it reaches today.
    pub children: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupData {
    pub targets: Vec<GroupTarget>,
    /// The children of all the targets, for the guard.
    pub other_children: Vec<String>,
    pub draft: Option<Draft>,
    /// Units whose staff hours the caller may set: (unit id, name, current hours as typed).
    pub hour_units: Vec<(String, String, String)>,
}

#[cfg(feature = "ssr")]
async fn targets_of(
    state: &crate::backend::AppState,
    person_id: &str,
    today: &str,
) -> Result<Vec<(GroupTarget, String, Option<String>)>, AppError> {
    use crate::api::error::ResultExt;
    let rows = crate::backend::messaging::send::group_targets(&state.db, person_id, today)
        .await
        .context("listing where a staff member can send group messages")?;
    let mut out = Vec::new();
    for (unit_id, unit_name, group_id, group_name, children) in rows {
        let (value, label) = match (&group_id, group_name) {
            (Some(g), Some(name)) => (format!("group:{g}"), format!("{unit_name}, {name}")),
            _ => (format!("unit:{unit_id}"), unit_name.clone()),
        };
        if !out
            .iter()
            .any(|(t, _, _): &(GroupTarget, String, Option<String>)| t.value == value)
        {
            out.push((
                GroupTarget {
                    value,
                    label,
                    children,
                },
                unit_id,
                group_id,
            ));
        }
    }
    Ok(out)
}

/// Where the caller (staff) can send group messages, and a draft brought back.
#[server(prefix = "/api/messages", endpoint = "group_context")]
pub async fn group_context(draft: Option<String>) -> Result<GroupData, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::send;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let targets = targets_of(&state, &user.person_id, &today).await?;
            let mut other_children = Vec::new();
            for (_, unit_id, group_id) in &targets {
                other_children.extend(
                    send::children_of(&state.db, &user, unit_id, group_id.as_deref(), &today)
                        .await
                        .context("listing the children of a group")?,
                );
            }
            other_children.sort();
            other_children.dedup();
            let draft =
                super::load_draft(&state, &user.person_id, draft, "group", &other_children).await?;
            let mut hour_units = Vec::new();
            for (target, unit_id, group_id) in &targets {
                if group_id.is_none() {
                    let hours = send::unit_hours(&state.db, unit_id)
                        .await
                        .context("loading a unit's staff hours")?
                        .map(|h| h.canonical())
                        .unwrap_or_default();
                    hour_units.push((unit_id.clone(), target.label.clone(), hours));
                }
            }
            Ok(GroupData {
                targets: targets.into_iter().map(|(t, _, _)| t).collect(),
                other_children,
                draft,
                hour_units,
            })
        }
        .await,
    )
}

/// Sends a group message to the guardians of a group or unit the caller works in.
#[server(prefix = "/api/messages", endpoint = "send_group")]
pub async fn send_group(
    target: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::{drafts, send, threads};
            use crate::backend::{authorize, policy};
            use crate::domain::guard::MAX_SUBJECT_CHARS;

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let target = target.unwrap_or_default();
            let subject: String = subject
                .unwrap_or_default()
                .trim()
                .chars()
                .take(MAX_SUBJECT_CHARS)
                .collect();
            let body = body.unwrap_or_default();
            let form = "/ansatt/gruppemelding";
            let targets = targets_of(&state, &user.person_id, &today).await?;
            let chosen = targets.iter().find(|(t, _, _)| t.value == target);
            let problem = match chosen {
                None => Some("messages.problem.group"),
                Some(_) if subject.is_empty() => Some("messages.problem.subject"),
                Some(_) => None,
            };
            let keep = |problem: &'static str| drafts::NewDraft {
                person_id: &user.person_id,
                target: "group",
                subject: &subject,
                body: &body,
                recipient: Some(&target),
                problem,
            };
            if let Some(problem) = problem {
                return super::keep_draft(&state, keep(problem), form).await;
            }
            let Some((_, unit_id, group_id)) = chosen else {
                return Err(AppError::NotFound);
            };
            let others = send::children_of(&state.db, &user, unit_id, group_id.as_deref(), &today)
                .await
                .context("listing the children of a group")?;
            let flagged = match send::validate(&subject, &body, &others, super::ticked(&confirmed))
            {
                Ok(flagged) => flagged,
                Err(problem) => return super::keep_draft(&state, keep(problem.key()), form).await,
            };
            let recipients =
                send::group_recipients(&state.db, unit_id, group_id.as_deref(), &today)
                    .await
                    .context("listing a group's guardians")?;
            let message = threads::NewMessage {
                author_id: &user.person_id,
                body: &body,
                flagged: &flagged,
                confirmed: !flagged.is_empty(),
            };
            let new = threads::NewThread::Group {
                group_id: group_id.as_deref(),
                recipients: &recipients,
            };
            let id = threads::create(&state.db, unit_id, &subject, new, message)
                .await
                .context("sending a group message")?;
            drafts::clear(&state.db, &user.person_id, "group")
                .await
                .context("clearing message drafts")?;
            leptos_axum::redirect(&format!("/samtale/{id}"));
            Ok(())
        }
        .await,
    )
}

/// Sets when a unit reads messages ("man-fre 08-16"); empty clears it. Only the unit's
/// principal or administrator may.
#[server(prefix = "/api/messages", endpoint = "hours")]
pub async fn set_hours(unit_id: String, hours: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::send;
            use crate::backend::{authorize, policy};
            use crate::domain::hours::StaffHours;

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            if !crate::backend::access::leads(&state.db, &user.person_id, &unit_id)
                .await
                .context("checking who leads a unit")?
            {
                return Err(AppError::Forbidden);
            }
            let parsed = if hours.trim().is_empty() {
                None
            } else {
                match StaffHours::parse(&hours) {
                    Some(h) => Some(h),
                    None => {
                        // Back to the form, which explains the format; nothing is changed.
                        leptos_axum::redirect("/ansatt/gruppemelding?timer=ugyldig");
                        return Ok(());
                    }
                }
            };
            send::set_unit_hours(&state.db, &unit_id, parsed.as_ref())
                .await
                .context("setting a unit's staff hours")?;
            crate::backend::audit::record(
                &state.db,
                Some(&user.person_id),
                "staff_hours.set",
                Some(&unit_id),
                parsed.map(|h| h.canonical()).as_deref(),
            )
            .await
            .context("recording an audit event")?;
            leptos_axum::redirect("/ansatt/gruppemelding");
            Ok(())
        }
        .await,
    )
}
