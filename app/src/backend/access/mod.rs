//! The access rules, written once. Who may see a child, read a conversation, be told a child's
//! name, and whether a session may open a long-lived way in: each is decided from current facts
//! at read time (parental responsibility in force today, a staff role that exists now), never
//! from what was true when something was created.
//!
//! The rules are SQL conditions, so that a listing filters in the database with the same words
//! as the single check (`can_see_child`, `can_read_thread`). A fragment takes SQL expressions
//! for its inputs (a `$n` placeholder or a column of the enclosing query) and names its own
//! tables `acc_*`, so it never shadows an alias of the query it is put into.
//!
//! Staff roles have no validity dates: a role that ends is deleted, so "current" is "exists".

mod guards;

pub use guards::{Caller, ChildAccess, GuardianOf, StaffOfChild, ThreadAccess, UnitLeader};

use super::Database;
use super::identity::CurrentUser;
use crate::backend::sql;
use crate::domain::Audience;
use crate::error::AppError;

/// Joins a staff role to the groups it covers: the role's own group, or every group of its unit
/// for a principal or administrator without a group. Written once, for any two aliases.
#[rustfmt::skip]
macro_rules! role_groups {
    ($r:literal, $g:literal) => {
        concat!(
            "JOIN class_group ", $g, " ON (", $g, ".id = ", $r, ".group_id",
            " OR (", $r, ".group_id IS NULL AND ", $r, ".role IN ", leader_roles!(),
            " AND ", $g, ".unit_id = ", $r, ".unit_id))"
        )
    };
}

/// The roles that, held without a group, cover a whole unit.
macro_rules! leader_roles {
    () => {
        "('principal', 'director', 'admin')"
    };
}

/// Joins `class_group g` to a staff role `r`: the role's own group, or every group of its unit
/// for a principal, a kindergarten's director or an administrator. Every question of which children a staff member works with
/// starts here.
pub const ROLE_GROUPS: &str = role_groups!("r", "g");
const ACC_ROLE_GROUPS: &str = role_groups!("acc_r", "acc_g");

/// The roles that, held without a group, lead a whole unit: `('principal', 'director',
/// 'admin')`.
pub const LEADER_ROLES: &str = leader_roles!();

/// SQL condition: staff role `r` (an alias) leads its whole unit: a principal or administrator
/// without a group. The one way "unit leader" is written.
pub fn leads_unit(r: &str) -> String {
    format!("({r}.group_id IS NULL AND {r}.role IN {LEADER_ROLES})")
}

/// SQL condition: staff role `r` covers group `g` (an alias of `class_group`): the role's own
/// group, or every group of its unit for its leader.
pub fn covers_group(r: &str, g: &str) -> String {
    format!("({r}.group_id = {g}.id OR ({} AND {g}.unit_id = {r}.unit_id))", leads_unit(r))
}

/// SQL tables and condition: the staff who work with child `$1` on day `$2` — its current
/// enrollments `e` in groups `g` of units `u` that have started, the roles `r` that cover those
/// groups and their people `p`. The caller writes the SELECT before it.
pub fn staff_of_child() -> String {
    format!(
        "FROM enrollment e
         JOIN class_group g ON g.id = e.group_id
         JOIN unit u ON u.id = g.unit_id
         JOIN staff_role r ON r.unit_id = u.id AND {}
         JOIN person p ON p.id = r.person_id
         WHERE e.child_id = $1
           AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)
           AND (u.starts_on IS NULL OR u.starts_on <= $2)",
        covers_group("r", "g")
    )
}

/// SQL condition: staff role `r` may address families and plan for a group or a unit: a role
/// in a group, or the lead of a unit (a teacher without a group addresses nobody).
pub fn addresses_families(r: &str) -> String {
    format!("({r}.group_id IS NOT NULL OR {r}.role IN {LEADER_ROLES})")
}

/// Whether `person_id` leads (principal or administrator) unit `unit_id` now.
pub async fn leads(db: &Database, person_id: &str, unit_id: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query(&format!(
        "SELECT 1 AS ok FROM staff_role r WHERE r.person_id = $1 AND r.unit_id = $2 AND {}",
        leads_unit("r")
    ))
    .bind(person_id)
    .bind(unit_id)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// The address protection levels that hide a child (or an adult) from other families: a
/// confidential (fortrolig) or strictly confidential (strengt fortrolig) address.
pub const PROTECTED_LEVELS: [&str; 2] = ["fortrolig", "strengtFortrolig"];

/// Whether an address protection level hides a person from other families.
pub fn is_protected(level: &str) -> bool {
    PROTECTED_LEVELS.contains(&level)
}

/// SQL condition: the row `alias` (with `valid_from`, `valid_to`) is in force on `today`.
pub fn in_force(alias: &str, today: &str) -> String {
    format!(
        "(({alias}.valid_from IS NULL OR {alias}.valid_from <= {today})
          AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {today}))"
    )
}

/// SQL condition: `person` has parental responsibility for `child` on `today`.
pub fn guardian_of(person: &str, child: &str, today: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM guardianship acc_gs
                 WHERE acc_gs.person_id = {person} AND acc_gs.child_id = {child}
                   AND {})",
        in_force("acc_gs", today)
    )
}

/// SQL condition: staff member `person` works with `child` on `today`: a role now in a group
/// the child is enrolled in (a leader: any group of the unit), at a unit already using
/// Ranselpost; only at `unit` when one is given.
pub fn staff_works_with(person: &str, child: &str, today: &str, unit: Option<&str>) -> String {
    let at_unit = unit.map(|u| format!(" AND acc_u.id = {u}")).unwrap_or_default();
    format!(
        "EXISTS (SELECT 1 FROM staff_role acc_r
                 {ACC_ROLE_GROUPS}
                 JOIN enrollment acc_e ON acc_e.group_id = acc_g.id
                 JOIN unit acc_u ON acc_u.id = acc_g.unit_id
                 WHERE acc_r.person_id = {person} AND acc_e.child_id = {child}
                   AND {}
                   AND (acc_u.starts_on IS NULL OR acc_u.starts_on <= {today}){at_unit})",
        in_force("acc_e", today)
    )
}

/// SQL condition: `person`, logged in as `audience`, may see `child` on `today`.
pub fn sees_child(audience: Audience, person: &str, child: &str, today: &str) -> String {
    match audience {
        Audience::Guardian => guardian_of(person, child, today),
        Audience::Staff => staff_works_with(person, child, today, None),
    }
}

/// SQL condition: `viewer`, logged in as `audience`, may be told the name of the child whose
/// id is `child` and whose address protection is `protection`. A child with a confidential
/// address is named only to the child's own guardians and the staff who work with the child;
/// in any list of children sent to anyone else (the names the guard looks for, a group's
/// children) the child is simply not there.
pub fn may_name_child(
    audience: Audience,
    viewer: &str,
    child: &str,
    protection: &str,
    today: &str,
) -> String {
    let levels = PROTECTED_LEVELS.iter().map(|l| format!("'{l}'")).collect::<Vec<_>>().join(", ");
    format!("({protection} NOT IN ({levels}) OR {})", sees_child(audience, viewer, child, today))
}

/// SQL condition: staff member `person` may read thread `t` (an alias) on `today`. They take
/// part in it, and a role they hold now covers it: for a conversation about a child, a role
/// through which they work with the child at the thread's unit; for a group message, a role in
/// its group or the lead of its unit. Taking part alone is not enough: whoever loses the role
/// loses the conversations that came with it.
pub fn staff_reads_thread(t: &str, person: &str, today: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM thread_staff acc_ts
                  WHERE acc_ts.thread_id = {t}.id AND acc_ts.person_id = {person})
          AND (({t}.child_id IS NOT NULL AND {child})
               OR ({t}.child_id IS NULL AND EXISTS (
                   SELECT 1 FROM staff_role acc_r
                   WHERE acc_r.person_id = {person} AND acc_r.unit_id = {t}.unit_id
                     AND (acc_r.group_id = {t}.group_id
                          OR (acc_r.group_id IS NULL AND acc_r.role IN {leaders}))))))",
        child = staff_works_with(
            person,
            &format!("{t}.child_id"),
            today,
            Some(&format!("{t}.unit_id"))
        ),
        leaders = leader_roles!(),
    )
}

/// SQL condition: guardian `person` may read thread `t` (an alias) on `today`: a conversation
/// about a child in their care, or a group message they received for a child still in their
/// care.
pub fn guardian_reads_thread(t: &str, person: &str, today: &str) -> String {
    format!(
        "(({t}.child_id IS NOT NULL AND {child})
          OR ({t}.child_id IS NULL AND EXISTS (
              SELECT 1 FROM thread_recipient acc_tr
              WHERE acc_tr.thread_id = {t}.id AND acc_tr.person_id = {person}
                AND {recipient})))",
        child = guardian_of(person, &format!("{t}.child_id"), today),
        recipient = guardian_of(person, "acc_tr.child_id", today),
    )
}

/// SQL condition: `person`, logged in as `audience`, may read thread `t` on `today`.
pub fn reads_thread(audience: Audience, t: &str, person: &str, today: &str) -> String {
    match audience {
        Audience::Guardian => guardian_reads_thread(t, person, today),
        Audience::Staff => staff_reads_thread(t, person, today),
    }
}

/// Whether `user` may see `child_id` on `today`.
pub async fn can_see_child(
    db: &Database,
    user: &CurrentUser,
    child_id: &str,
    today: &str,
) -> sqlx::Result<bool> {
    let sql = format!("SELECT 1 AS ok WHERE {}", sees_child(user.audience, "$1", "$2", "$3"));
    Ok(sqlx::query(&sql)
        .bind(&user.person_id)
        .bind(child_id)
        .bind(today)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// Whether `user` may read thread `thread_id` on `today` (a thread that does not exist: no).
pub async fn can_read_thread(
    db: &Database,
    user: &CurrentUser,
    thread_id: &str,
    today: &str,
) -> sqlx::Result<bool> {
    let sql = format!(
        "SELECT 1 AS ok FROM thread t WHERE t.id = $2 AND {}",
        reads_thread(user.audience, "t", "$1", "$3")
    );
    Ok(sqlx::query(&sql)
        .bind(&user.person_id)
        .bind(thread_id)
        .bind(today)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// Whether a staff member holds any role now. Without one they read nothing at all.
pub async fn has_staff_role(db: &Database, person_id: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 AS ok FROM staff_role WHERE person_id = $1")
        .bind(person_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// How recent the identity-provider login must be for an action that opens a long-lived way in.
pub const FRESH_LOGIN_SECS: i64 = 15 * 60;

/// Where a session came from, as far as opening a long-lived way in is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOrigin {
    /// The identity provider of the login (a quick-unlocked session: that of the login that set
    /// the device up).
    pub provider_id: String,
    /// When the person last authenticated at the identity provider (the ID token's
    /// `auth_time`, Unix seconds), which is not when the session began: a login answered from
    /// the provider's single sign-on session may rest on an authentication hours old.
    pub authenticated_at: Option<i64>,
    /// The quick-unlock device the session was unlocked with; `None` after a real login.
    pub device_credential_id: Option<String>,
}

impl SessionOrigin {
    /// An authentication at the identity provider (not a quick unlock) in the last
    /// [`FRESH_LOGIN_SECS`] before `now` (Unix seconds). Unknown counts as old.
    pub fn is_fresh_login(&self, now: i64) -> bool {
        self.device_credential_id.is_none()
            && self.authenticated_at.is_some_and(|at| now - at <= FRESH_LOGIN_SECS)
    }
}

/// Where the session `session_hash` came from, if it exists.
pub async fn session_origin(
    db: &Database,
    session_hash: &str,
) -> sqlx::Result<Option<SessionOrigin>> {
    let row: Option<(String, Option<i64>, Option<String>)> = sql::opt(
        &db.pool,
        "SELECT provider_id, authenticated_at, device_credential_id FROM session
         WHERE id_hash = $1",
        (session_hash,),
    )
    .await?;
    Ok(row.map(|(provider_id, authenticated_at, device_credential_id)| SessionOrigin {
        provider_id,
        authenticated_at,
        device_credential_id,
    }))
}

/// The one rule for every action that opens a long-lived way in (quick unlock on a new device,
/// a calendar address, and whatever comes later): the session comes from a login with the
/// identity provider (ID-porten) in the last [`FRESH_LOGIN_SECS`], not from a quick unlock and
/// not from an older login. Someone holding an unlocked phone for a moment must not be able to
/// leave a way in behind that outlives the phone's access.
pub async fn require_fresh_login(
    db: &Database,
    user: &CurrentUser,
) -> Result<SessionOrigin, AppError> {
    use crate::error::ResultExt;
    let origin = session_origin(db, &user.session_hash)
        .await
        .context("loading a session")?
        .ok_or(AppError::Unauthenticated)?;
    if origin.is_fresh_login(super::repo::now()) {
        Ok(origin)
    } else {
        Err(AppError::invalid(FRESH_LOGIN_NEEDED))
    }
}

/// The i18n key that explains why an action needs a fresh login.
pub const FRESH_LOGIN_NEEDED: &str = "unlock.error.fresh_login";

/// Ends every long-lived way in that was opened through the quick-unlock device
/// `credential_id`: the sessions it unlocked and the calendar addresses made in them. A new
/// kind of long-lived way in adds its line here, so that revoking a device always ends it.
pub async fn end_what_device_opened(
    conn: &mut sqlx::AnyConnection,
    credential_id: &str,
    now_ms: i64,
) -> sqlx::Result<()> {
    sql::run(&mut *conn, "DELETE FROM session WHERE device_credential_id = $1", (credential_id,))
        .await?;
    sql::run(
        &mut *conn,
        "UPDATE calendar_feed SET revoked_at = $2
         WHERE device_credential_id = $1 AND revoked_at IS NULL",
        (credential_id, now_ms),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::{on_both_engines, user};

    const TODAY: &str = "2026-11-27";

    async fn guardians_see_exactly_the_children_in_their_care(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let kari = user("demo-person-kari", Audience::Guardian);
        let per = user("demo-person-per", Audience::Guardian);
        let tor = user("demo-person-tor", Audience::Guardian);
        assert!(can_see_child(&db, &kari, "demo-child-emma", TODAY).await.unwrap());
        assert!(can_see_child(&db, &kari, "demo-child-jonas", TODAY).await.unwrap());
        assert!(!can_see_child(&db, &kari, "demo-child-lise", TODAY).await.unwrap());
        assert!(can_see_child(&db, &per, "demo-child-lise", TODAY).await.unwrap());
        assert!(!can_see_child(&db, &per, "demo-child-jonas", TODAY).await.unwrap());
        assert!(!can_see_child(&db, &tor, "demo-child-lise", TODAY).await.unwrap());
    }

    async fn staff_see_the_children_of_their_groups_and_a_principal_the_unit(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let ingrid = user("demo-staff-ingrid", Audience::Staff);
        let bjorn = user("demo-staff-bjorn", Audience::Staff);
        let anne = user("demo-staff-anne", Audience::Staff);
        let siv = user("demo-staff-siv", Audience::Staff);
        assert!(can_see_child(&db, &ingrid, "demo-child-lise", TODAY).await.unwrap());
        assert!(!can_see_child(&db, &ingrid, "demo-child-emma", TODAY).await.unwrap());
        assert!(can_see_child(&db, &bjorn, "demo-child-emma", TODAY).await.unwrap());
        assert!(!can_see_child(&db, &bjorn, "demo-child-jonas", TODAY).await.unwrap());
        assert!(can_see_child(&db, &anne, "demo-child-mathias", TODAY).await.unwrap());
        // The SFO is not in use before its start date.
        assert!(!can_see_child(&db, &siv, "demo-child-jonas", TODAY).await.unwrap());
        assert!(can_see_child(&db, &siv, "demo-child-jonas", "2027-01-04").await.unwrap());
    }

    #[test]
    fn only_an_authentication_of_the_last_quarter_hour_opens_a_long_lived_way_in() {
        let origin = |authenticated_at: Option<i64>, device: Option<&str>| SessionOrigin {
            provider_id: "idporten".into(),
            authenticated_at,
            device_credential_id: device.map(Into::into),
        };
        assert!(origin(Some(1_000), None).is_fresh_login(1_000 + FRESH_LOGIN_SECS));
        assert!(!origin(Some(1_000), None).is_fresh_login(1_001 + FRESH_LOGIN_SECS));
        assert!(!origin(Some(1_000), Some("phone")).is_fresh_login(1_000));
        assert!(
            !origin(None, None).is_fresh_login(1_000),
            "a provider that does not say when is not trusted to have asked just now"
        );
    }

    #[test]
    fn a_confidential_or_strictly_confidential_address_hides_a_person() {
        assert!(is_protected("fortrolig") && is_protected("strengtFortrolig"));
        assert!(!is_protected("ugradert") && !is_protected("klientadresse"));
    }

    on_both_engines!(
        guardians_see_exactly_the_children_in_their_care,
        staff_see_the_children_of_their_groups_and_a_principal_the_unit
    );
}
