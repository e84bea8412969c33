//! Typed proofs of access, handed out at the top of a server function: holding a value of one
//! of these types means the check was made for this request, from current parental
//! responsibility or a current staff role. Use cases take the guard instead of loose ids, so a
//! path that skipped the check does not compile.
//!
//! One decision of 404 versus 403: whatever concerns a child or a conversation someone may not
//! see is [`AppError::NotFound`], so an outsider never learns that it exists; 403 is only for
//! something the caller may see but not do (staff acting as a family, a teacher setting a
//! unit's hours).

use super::{can_read_thread, can_see_child, leads};
use crate::backend::identity::{CurrentUser, current_user};
use crate::backend::messaging::threads::{self, ThreadRow};
use crate::backend::{AppState, state};
use crate::domain::Audience;
use crate::error::{AppError, ResultExt};

/// The logged-in caller of this request, with the app and today's date.
pub struct Caller {
    pub state: AppState,
    pub user: CurrentUser,
    /// Today's date in Norway (YYYY-MM-DD), by the app's clock.
    pub today: String,
}

impl Caller {
    /// The caller, or [`AppError::Unauthenticated`]. A staff member switched in on a shared
    /// tablet with a tablet PIN is refused (403): such a session reaches only the tablet screens,
    /// which ask for [`Caller::on_tablet`]. Deny by default: a new server function is closed to
    /// tablet sessions unless it says otherwise.
    pub async fn current() -> Result<Caller, AppError> {
        let caller = Caller::anyone().await?;
        if caller.user.tablet.is_some() {
            return Err(AppError::Forbidden);
        }
        Ok(caller)
    }

    async fn anyone() -> Result<Caller, AppError> {
        let state = state()?;
        let user = current_user().ok_or(AppError::Unauthenticated)?;
        let today = state.today();
        Ok(Caller { state, user, today })
    }

    /// The caller of a tablet screen (the board, check-in, pick-up notes, daily notes): a staff
    /// member, logged in fully or switched in on a tablet (then reaching only its unit:
    /// [`Caller::tablet_unit`]).
    pub async fn on_tablet() -> Result<Caller, AppError> {
        let caller = Caller::anyone().await?;
        if caller.user.audience != Audience::Staff {
            return Err(AppError::Forbidden);
        }
        Ok(caller)
    }

    /// The unit of the tablet this caller is switched in on, if any.
    pub fn tablet_unit(&self) -> Option<&str> {
        self.user.tablet.as_ref().map(|t| t.unit_id.as_str())
    }

    /// The caller, if a guardian (logged in with ID-porten): 401 for nobody, 403 for staff.
    pub async fn guardian() -> Result<Caller, AppError> {
        Caller::of(Audience::Guardian).await
    }

    /// The caller, if a staff member: 401 for nobody, 403 for a guardian.
    pub async fn staff() -> Result<Caller, AppError> {
        Caller::of(Audience::Staff).await
    }

    async fn of(audience: Audience) -> Result<Caller, AppError> {
        let caller = Caller::current().await?;
        if caller.user.audience != audience {
            return Err(AppError::Forbidden);
        }
        Ok(caller)
    }

    pub fn is_staff(&self) -> bool {
        self.user.audience == Audience::Staff
    }
}

/// The caller may see `child_id` today: a guardian with parental responsibility in force, or a
/// staff member working with the child now.
pub struct ChildAccess {
    pub caller: Caller,
    pub child_id: String,
}

impl ChildAccess {
    /// The app, the caller and today, for a server function that goes on by itself.
    pub fn into_parts(self) -> (AppState, CurrentUser, String) {
        (self.caller.state, self.caller.user, self.caller.today)
    }

    pub async fn check(child_id: &str) -> Result<ChildAccess, AppError> {
        let caller = Caller::current().await?;
        if !can_see_child(&caller.state.db, &caller.user, child_id, &caller.today)
            .await
            .context("checking access to a child")?
        {
            return Err(AppError::NotFound);
        }
        Ok(ChildAccess { caller, child_id: child_id.to_owned() })
    }
}

/// The caller has parental responsibility for `child_id` today: for what only a family does
/// (a pick-up note, a sign-up, withdrawing an absence report). Staff who work with the child
/// may see it but not act as its family (403).
pub struct GuardianOf(pub ChildAccess);

impl GuardianOf {
    pub async fn check(child_id: &str) -> Result<GuardianOf, AppError> {
        let access = ChildAccess::check(child_id).await?;
        if access.caller.user.audience != Audience::Guardian {
            return Err(AppError::Forbidden);
        }
        Ok(GuardianOf(access))
    }
}

/// The caller is a staff member working with `child_id` today: for what only staff do with a
/// child (check in and out, seeing a pick-up note). A guardian may see the child but not act as
/// staff (403).
pub struct StaffOfChild(pub ChildAccess);

impl StaffOfChild {
    pub async fn check(child_id: &str) -> Result<StaffOfChild, AppError> {
        let access = ChildAccess::check(child_id).await?;
        if access.caller.user.audience != Audience::Staff {
            return Err(AppError::Forbidden);
        }
        Ok(StaffOfChild(access))
    }

    /// For a tablet screen: as [`StaffOfChild::check`], and also for a staff member switched in
    /// on a tablet, who reaches only the children of the tablet's unit.
    pub async fn on_tablet(child_id: &str) -> Result<StaffOfChild, AppError> {
        let caller = Caller::on_tablet().await?;
        let sql = format!(
            "SELECT 1 AS ok WHERE {}",
            super::staff_works_with("$1", "$2", "$3", caller.tablet_unit().map(|_| "$4"))
        );
        let mut query =
            sqlx::query(&sql).bind(&caller.user.person_id).bind(child_id).bind(&caller.today);
        if let Some(unit) = caller.tablet_unit() {
            query = query.bind(unit.to_owned());
        }
        let seen = query
            .fetch_optional(&caller.state.db.pool)
            .await
            .context("checking access to a child")?;
        if seen.is_none() {
            return Err(AppError::NotFound);
        }
        Ok(StaffOfChild(ChildAccess { caller, child_id: child_id.to_owned() }))
    }
}

/// The caller may read `thread` today (the rule is `access::reads_thread`).
pub struct ThreadAccess {
    pub caller: Caller,
    pub thread: ThreadRow,
}

impl ThreadAccess {
    pub async fn check(thread_id: &str) -> Result<ThreadAccess, AppError> {
        let caller = Caller::current().await?;
        let thread = threads::get(&caller.state.db, thread_id)
            .await
            .context("loading a thread")?
            .ok_or(AppError::NotFound)?;
        if !can_read_thread(&caller.state.db, &caller.user, &thread.id, &caller.today)
            .await
            .context("checking access to a thread")?
        {
            return Err(AppError::NotFound);
        }
        Ok(ThreadAccess { caller, thread })
    }
}

/// The caller leads (principal or administrator) `unit_id` now.
pub struct UnitLeader {
    pub caller: Caller,
    pub unit_id: String,
}

impl UnitLeader {
    pub async fn check(caller: Caller, unit_id: &str) -> Result<UnitLeader, AppError> {
        if caller.user.audience != Audience::Staff
            || !leads(&caller.state.db, &caller.user.person_id, unit_id)
                .await
                .context("checking who leads a unit")?
        {
            return Err(AppError::Forbidden);
        }
        Ok(UnitLeader { caller, unit_id: unit_id.to_owned() })
    }
}
