//! The kindergarten/SFO day on a (shared) tablet: a group's board, and the pick-up notes shown
//! on it and to the family.

use super::{absence, board};
use crate::backend::Database;
use crate::backend::access::Caller;
use crate::backend::clock::time_of_day_text;
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
