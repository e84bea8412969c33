//! The kindergarten/SFO day on a (shared) tablet: a group's board, and the pick-up notes shown
//! on it and to the family.

use super::{absence, board};
use crate::backend::Database;
use crate::backend::access::{Caller, GuardianOf};
use crate::backend::clock::time_of_day_text;
use crate::backend::messaging::send;
use crate::domain::DisplayName;
use crate::domain::board::{Board, PickupView, TileView};
use crate::error::{AppError, ResultExt};

/// Today's board for `group` (one of the caller's kindergarten or SFO groups; the first when
/// `group` is not theirs or not given).
pub async fn board(caller: &Caller, group: Option<&str>) -> Result<Board, AppError> {
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let groups = board::groups_for_staff(db, &user.person_id, today)
        .await
        .context("listing a staff member's groups")?;
    let chosen = groups
        .iter()
        .find(|g| Some(g.group_id.as_str()) == group)
        .or(groups.first());
    let mut out = Board {
        groups: groups
            .iter()
            .map(|g| {
                (
                    g.group_id.clone(),
                    format!("{}, {}", g.unit_name, g.group_name),
                )
            })
            .collect(),
        group: chosen.map(|g| g.group_id.clone()),
        label: chosen
            .map(|g| format!("{}, {}", g.unit_name, g.group_name))
            .unwrap_or_default(),
        present: 0,
        tiles: Vec::new(),
    };
    let Some(chosen) = chosen else {
        return Ok(out);
    };
    let absent = absence::on_day_for_staff(db, &user.person_id, today)
        .await
        .context("listing today's absence")?;
    for t in board::tiles(db, &chosen.group_id, &chosen.unit_id, today)
        .await
        .context("loading a group's day")?
    {
        let state_text = match (t.checked_in_at, t.checked_out_at) {
            (_, Some(_)) => "gone",
            (Some(_), None) => "here",
            (None, None) => "not_arrived",
        };
        if state_text == "here" {
            out.present += 1;
        }
        out.tiles.push(TileView {
            name: DisplayName::from_register(&t.given_names, t.middle_name.as_deref(), &t.surname)
                .to_string(),
            state: state_text.to_owned(),
            checked_in: t.checked_in_at.map(time_of_day_text),
            checked_out: t.checked_out_at.map(time_of_day_text),
            absence: absent.iter().find(|a| a.child_id == t.child_id).map(|a| {
                (
                    crate::domain::absence::kind_key(&a.kind).to_owned(),
                    a.from_time.clone(),
                    a.to_time.clone(),
                )
            }),
            pickups: pickups(db, &t.child_id, today).await?,
            child_id: t.child_id,
        });
    }
    Ok(out)
}

/// The pick-up notes for `child_id` on `day`, with who wrote and who saw each.
pub async fn pickups(
    db: &Database,
    child_id: &str,
    day: &str,
) -> Result<Vec<PickupView>, AppError> {
    Ok(board::pickups_on(db, child_id, day)
        .await
        .context("loading pick-up notes")?
        .into_iter()
        .map(|p| PickupView {
            id: p.id,
            who: p.who,
            at_time: p.at_time,
            written_by: format!("{} {}", p.written_given, p.written_surname),
            seen_by: p
                .ack_given
                .map(|g| format!("{g} {}", p.ack_surname.unwrap_or_default())),
        })
        .collect())
}

/// Where a guardian's unsent pick-up note for a child is filed among their drafts.
pub fn pickup_draft_target(child_id: &str) -> String {
    format!("pickup:{child_id}")
}

/// How writing a pick-up note went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Noted {
    Saved,
    /// Not saved: the i18n key of why.
    Refused(&'static str),
}

/// The longest "who picks up", in characters.
pub const MAX_WHO_CHARS: usize = 200;

/// A guardian's note that `who` picks their child up today at `at_time` (`tt:mm`). The form
/// has no "send anyway": "who" is a name or two, read by the staff of the day, so an identity
/// number is refused and anything else the guard finds is only shown to the writer as they type.
pub async fn note_pickup(
    guardian: &GuardianOf,
    who: &str,
    at_time: &str,
) -> Result<Noted, AppError> {
    let GuardianOf(access) = guardian;
    let caller = &access.caller;
    if who.is_empty() || who.chars().count() > MAX_WHO_CHARS {
        return Ok(Noted::Refused("pickup.error.who"));
    }
    if crate::domain::days::minutes(at_time).is_none() {
        return Ok(Noted::Refused("pickup.error.time"));
    }
    if send::screen(&[("who", who)], &[], true).is_err() {
        return Ok(Noted::Refused("guard.problem.national_id"));
    }
    board::write_pickup(
        &caller.state.db,
        &access.child_id,
        &caller.today,
        who,
        at_time,
        &caller.user.person_id,
    )
    .await
    .context("writing a pick-up note")?;
    Ok(Noted::Saved)
}
