//! The kindergarten/SFO day on a (shared) tablet: a group's board, and the pick-up notes shown
//! on it and to the family.

use super::{absence, board};
use crate::backend::Database;
use crate::backend::access::{Caller, ChildAccess, GuardianOf, StaffOfChild};
use crate::backend::clock::time_of_day_text;
use crate::backend::kept::{self, KeptForm, cut};
use crate::backend::messaging::{realtime, send};
use crate::backend::repo::children;
use crate::domain::DisplayName;
use crate::domain::board::{
    Board, MAX_PICKUP_COMMENT_CHARS, PickupForm, PickupPage, PickupView, TileView, UNDO_MS,
    UNDO_SHOWN_MS,
};
use crate::error::{AppError, ResultExt};

/// Today's board for `group` (one of the caller's kindergarten or SFO groups; the first when
/// `group` is not theirs or not given).
pub async fn board(caller: &Caller, group: Option<&str>) -> Result<Board, AppError> {
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let mut groups = board::groups_for_staff(db, &user.person_id, today)
        .await
        .context("listing a staff member's groups")?;
    // Switched in on a tablet: the tablet's unit only.
    if let Some(unit) = caller.tablet_unit() {
        groups.retain(|g| g.unit_id == unit);
    }
    let chosen = groups.iter().find(|g| Some(g.group_id.as_str()) == group).or(groups.first());
    let mut out = Board {
        groups: groups
            .iter()
            .map(|g| (g.group_id.clone(), format!("{}, {}", g.unit_name, g.group_name)))
            .collect(),
        group: chosen.map(|g| g.group_id.clone()),
        label: chosen.map(|g| format!("{}, {}", g.unit_name, g.group_name)).unwrap_or_default(),
        present: 0,
        tiles: Vec::new(),
        tablet_idle_minutes: crate::backend::tablet::idle_minutes_of(caller).await?,
        activities: Vec::new(),
    };
    let Some(chosen) = chosen else {
        return Ok(out);
    };
    out.activities = super::activities::of_group_on(db, &chosen.unit_id, &chosen.group_id, today)
        .await
        .context("loading the day's activities")?
        .into_iter()
        .map(|a| {
            let time = match &a.ends {
                Some(ends) => format!("{}–{ends}", a.starts),
                None => a.starts.clone(),
            };
            (a.title, time, a.place)
        })
        .collect();
    let now = db.clock.now_ms();
    let absent = absence::on_day_for_staff(db, &user.person_id, today)
        .await
        .context("listing today's absence")?;
    let notes = board::pickups_in_group(db, &chosen.group_id, today)
        .await
        .context("loading pick-up notes")?;
    let noted = if chosen.unit_kind == "kindergarten" {
        Some(
            super::daily_note::written_in_group(db, &chosen.group_id, today)
                .await
                .context("loading daily notes")?,
        )
    } else {
        None
    };
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
        let last_change = t.checked_out_at.or(t.checked_in_at);
        let settles_in_ms = last_change
            .map(|at| UNDO_SHOWN_MS - (now - at))
            .filter(|left| *left > 0 && state_text != "not_arrived");
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
            pickups: notes.iter().filter(|n| n.child_id == t.child_id).map(pickup_view).collect(),
            settles_in_ms,
            shielded: crate::backend::access::is_protected(&t.address_protection),
            noted: noted.as_ref().map(|n| n.contains(&t.child_id)),
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
        .iter()
        .map(pickup_view)
        .collect())
}

fn pickup_view(p: &board::PickupRow) -> PickupView {
    PickupView {
        id: p.id.clone(),
        who: p.who.clone(),
        at_time: p.at_time.clone(),
        comment: p.comment.clone(),
        written_by: format!("{} {}", p.written_given, p.written_surname),
        seen_by: p
            .ack_given
            .as_ref()
            .map(|g| format!("{g} {}", p.ack_surname.clone().unwrap_or_default())),
    }
}

/// The pick-up page of the child of `access` for today: the notes, and the form — blank, or as
/// typed in kept form `draft`.
pub async fn pickup_page(
    access: &ChildAccess,
    draft: Option<String>,
) -> Result<PickupPage, AppError> {
    let ChildAccess { caller, child_id } = access;
    let db = &caller.state.db;
    let child =
        children::get(db, child_id).await.context("loading a child")?.ok_or(AppError::NotFound)?;
    let mut page = PickupPage {
        child_name: child.display_name().to_string(),
        notes: pickups(db, child_id, &caller.today).await?,
        tomorrow: pickups(db, child_id, &tomorrow(&caller.today)).await?,
        child_id: child_id.clone(),
        problem: None,
        form: PickupForm::default(),
        today: caller.today.clone(),
        next_day: tomorrow(&caller.today),
    };
    if let Some(id) = draft.filter(|d| !d.is_empty())
        && let Some(kept) = kept::load::<PickupForm>(
            db,
            &id,
            &caller.user.person_id,
            &pickup_draft_target(child_id),
        )
        .await
        .context("loading a pick-up draft")?
    {
        page.form = kept.fields;
        page.problem = Some(kept.problem);
    }
    Ok(page)
}

impl KeptForm for PickupForm {
    fn cut_to_limits(&mut self) {
        cut(&mut self.who, MAX_WHO_CHARS);
        cut(&mut self.at_time, 20);
        cut(&mut self.day, 20);
        cut(&mut self.comment, MAX_PICKUP_COMMENT_CHARS);
    }
}

/// The day after `today` (today itself if it does not read as a date, which the clock's
/// dates always do).
fn tomorrow(today: &str) -> String {
    crate::domain::days::next_day(today).unwrap_or_else(|| today.to_owned())
}

/// Checks a child in or out on the board of the child's kindergarten or SFO that `staff` works
/// in; `action` is "in", "out", or "undo-in"/"undo-out" (take back the day's check-in or
/// check-out if it was made in the last [`UNDO_MS`]; later it stays, and is changed like any
/// other).
pub async fn check(staff: &StaffOfChild, action: Option<&str>) -> Result<(), AppError> {
    let ChildAccess { caller, child_id } = &staff.0;
    let (db, person_id, today) = (&caller.state.db, &caller.user.person_id, &caller.today);
    let unit = board_unit(caller, child_id).await?;
    let mark = board::Mark { child_id, unit_id: &unit, day: today, by: person_id };
    match action {
        Some("in") => board::check_in(db, &mark).await.context("checking a child in")?,
        Some("out") => board::check_out(db, &mark).await.context("checking a child out")?,
        Some(undo @ ("undo-in" | "undo-out")) => {
            let since = db.clock.now_ms() - UNDO_MS;
            let what = undo.trim_start_matches("undo-");
            board::undo(db, &mark, what, since).await.context("undoing a check-in or check-out")?
        }
        _ => return Err(AppError::invalid("board.error.action")),
    }
    // Every other board showing the child, and the family's page, fetch it again.
    realtime::announce_day(db, child_id).await;
    Ok(())
}

/// The kindergarten or SFO whose board has `child_id` for `caller` (on a tablet: the tablet's
/// unit, or none).
pub async fn board_unit(caller: &Caller, child_id: &str) -> Result<String, AppError> {
    let (db, person_id, today) = (&caller.state.db, &caller.user.person_id, &caller.today);
    board::board_unit_for(db, person_id, child_id, today, caller.tablet_unit())
        .await
        .context("finding a child's kindergarten or SFO")?
        .ok_or(AppError::NotFound)
}

/// `staff` marks pick-up note `note_id` of their child as seen.
pub async fn ack_pickup(staff: &StaffOfChild, note_id: &str) -> Result<(), AppError> {
    let ChildAccess { caller, child_id } = &staff.0;
    board::ack_pickup(&caller.state.db, note_id, child_id, &caller.user.person_id)
        .await
        .context("acknowledging a pick-up note")?;
    realtime::announce_day(&caller.state.db, child_id).await;
    Ok(())
}

/// Where a guardian's unsent pick-up note for a child is filed among their drafts.
pub fn pickup_draft_target(child_id: &str) -> String {
    format!("pickup:{child_id}")
}

/// How writing a pick-up note went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Noted {
    Saved,
    /// Not saved, nothing changed: the form is kept with why, under this id.
    Kept(String),
}

/// The longest "who picks up", in characters.
pub const MAX_WHO_CHARS: usize = 200;

/// A guardian's note that `who` picks their child up today at `at_time` (`tt:mm`). The form
/// has no "send anyway": "who" is a name or two, read by the staff of the day, so an identity
/// number is refused and anything else the guard finds is only shown to the writer as they type.
pub async fn note_pickup(guardian: &GuardianOf, form: &PickupForm) -> Result<Noted, AppError> {
    let caller = &guardian.0.caller;
    match save_pickup(guardian, form).await? {
        Ok(()) => Ok(Noted::Saved),
        Err(problem) => {
            let target = pickup_draft_target(&guardian.0.child_id);
            let id = kept::keep(&caller.state.db, &caller.user.person_id, &target, form, problem)
                .await
                .context("keeping a pick-up note")?;
            Ok(Noted::Kept(id))
        }
    }
}

async fn save_pickup(
    guardian: &GuardianOf,
    form: &PickupForm,
) -> Result<Result<(), &'static str>, AppError> {
    let GuardianOf(access) = guardian;
    let caller = &access.caller;
    let (who, at_time, comment) = (form.who.trim(), form.at_time.trim(), form.comment.trim());
    if who.is_empty() || who.chars().count() > MAX_WHO_CHARS {
        return Ok(Err("pickup.error.who"));
    }
    if crate::domain::days::minutes(at_time).is_none() {
        return Ok(Err("pickup.error.time"));
    }
    if comment.chars().count() > MAX_PICKUP_COMMENT_CHARS {
        return Ok(Err("pickup.error.comment"));
    }
    if send::screen(&[("who", who), ("comment", comment)], &[], true).is_err() {
        return Ok(Err("guard.problem.national_id"));
    }
    // A note for tomorrow, written the evening before, is on tomorrow's board.
    let day = match form.day_for(&caller.today, &tomorrow(&caller.today)) {
        Ok(day) => day,
        Err(problem) => return Ok(Err(problem)),
    };
    let note = board::NewPickup {
        child_id: &access.child_id,
        day: &day,
        who,
        at_time,
        comment,
        written_by: &caller.user.person_id,
    };
    board::write_pickup(&caller.state.db, &note).await.context("writing a pick-up note")?;
    realtime::announce_day(&caller.state.db, &access.child_id).await;
    let target = pickup_draft_target(&access.child_id);
    kept::clear(&caller.state.db, &caller.user.person_id, &target)
        .await
        .context("clearing kept pick-up notes")?;
    Ok(Ok(()))
}
