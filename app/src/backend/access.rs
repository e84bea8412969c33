//! Facts the access policy needs from the database: which children a person may see.
//! A guardian sees a child only while a current parental responsibility names them; a staff
//! member sees the children of the groups they have a role in, and a principal (or admin) the
//! whole unit.

use super::Database;
use super::identity::CurrentUser;
use crate::domain::Audience;

/// Joins `class_group g` to a staff role `r`: the role's own group, or every group of its unit
/// for a principal or administrator. Every question of which children a staff member works with
/// starts here.
pub const ROLE_GROUPS: &str = "JOIN class_group g ON (g.id = r.group_id
             OR (r.group_id IS NULL AND r.role IN ('principal', 'admin') AND g.unit_id = r.unit_id))";

/// Whether `user` may see `child_id` on `today`.
pub async fn can_see_child(
    db: &Database,
    user: &CurrentUser,
    child_id: &str,
    today: &str,
) -> Result<bool, sqlx::Error> {
    let sql = match user.audience {
        Audience::Guardian => "SELECT 1 AS ok FROM guardianship g
             WHERE g.person_id = $1 AND g.child_id = $2
               AND (g.valid_from IS NULL OR g.valid_from <= $3)
               AND (g.valid_to IS NULL OR g.valid_to > $3)"
            .to_owned(),
        Audience::Staff => {
            format!(
                "SELECT 1 AS ok FROM staff_role r
             {ROLE_GROUPS}
             JOIN enrollment e ON e.group_id = g.id
             JOIN unit u ON u.id = g.unit_id
             WHERE r.person_id = $1 AND e.child_id = $2
               AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
               AND (u.starts_on IS NULL OR u.starts_on <= $3)"
            )
        }
    };
    Ok(sqlx::query(&sql)
        .bind(&user.person_id)
        .bind(child_id)
        .bind(today)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
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
        assert!(
            can_see_child(&db, &kari, "demo-child-emma", TODAY)
                .await
                .unwrap()
        );
        assert!(
            can_see_child(&db, &kari, "demo-child-jonas", TODAY)
                .await
                .unwrap()
        );
        assert!(
            !can_see_child(&db, &kari, "demo-child-lise", TODAY)
                .await
                .unwrap()
        );
        assert!(
            can_see_child(&db, &per, "demo-child-lise", TODAY)
                .await
                .unwrap()
        );
        assert!(
            !can_see_child(&db, &per, "demo-child-jonas", TODAY)
                .await
                .unwrap()
        );
        assert!(
            !can_see_child(&db, &tor, "demo-child-lise", TODAY)
                .await
                .unwrap()
        );
    }

    async fn staff_see_the_children_of_their_groups_and_a_principal_the_unit(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let ingrid = user("demo-staff-ingrid", Audience::Staff);
        let bjorn = user("demo-staff-bjorn", Audience::Staff);
        let anne = user("demo-staff-anne", Audience::Staff);
        let siv = user("demo-staff-siv", Audience::Staff);
        assert!(
            can_see_child(&db, &ingrid, "demo-child-lise", TODAY)
                .await
                .unwrap()
        );
        assert!(
            !can_see_child(&db, &ingrid, "demo-child-emma", TODAY)
                .await
                .unwrap()
        );
        assert!(
            can_see_child(&db, &bjorn, "demo-child-emma", TODAY)
                .await
                .unwrap()
        );
        assert!(
            !can_see_child(&db, &bjorn, "demo-child-jonas", TODAY)
                .await
                .unwrap()
        );
        assert!(
            can_see_child(&db, &anne, "demo-child-mathias", TODAY)
                .await
                .unwrap()
        );
        // The SFO is not in use before its start date.
        assert!(
            !can_see_child(&db, &siv, "demo-child-jonas", TODAY)
                .await
                .unwrap()
        );
        assert!(
            can_see_child(&db, &siv, "demo-child-jonas", "2027-01-04")
                .await
                .unwrap()
        );
    }

    on_both_engines!(
        guardians_see_exactly_the_children_in_their_care,
        staff_see_the_children_of_their_groups_and_a_principal_the_unit
    );
}
