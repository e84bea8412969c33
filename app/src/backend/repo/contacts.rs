//! Contact details from KRR, kept with when they were fetched (notices follow KRR's rules).

use super::now;
use crate::backend::Database;
use crate::backend::sql;
use crate::domain::contact::ContactDetails;
use sqlx::Row;
use sqlx::any::AnyRow;

/// The stored row is the domain's value: flags are integers on both engines.
impl<'r> sqlx::FromRow<'r, AnyRow> for ContactDetails {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(ContactDetails {
            email: row.try_get("email")?,
            email_updated: row.try_get("email_updated")?,
            email_verified: row.try_get("email_verified")?,
            mobile: row.try_get("mobile")?,
            mobile_updated: row.try_get("mobile_updated")?,
            mobile_verified: row.try_get("mobile_verified")?,
            reserved: row.try_get::<i64, _>("reserved")? != 0,
            can_notify: row.try_get::<i64, _>("can_notify")? != 0,
            language: row.try_get("language").unwrap_or(None),
        })
    }
}

/// A person's contact details as last fetched from KRR, if any.
pub async fn get(db: &Database, person_id: &str) -> sqlx::Result<Option<ContactDetails>> {
    sql::opt(
        &db.pool,
        "SELECT email, email_updated, email_verified, mobile, mobile_updated, mobile_verified,
                reserved, can_notify, language FROM contact_details WHERE person_id = $1",
        (person_id,),
    )
    .await
}

/// Replaces what is known of a person's contact details with KRR's current answer.
pub async fn upsert(db: &Database, person_id: &str, c: &ContactDetails) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO contact_details (person_id, email, email_updated, email_verified, mobile,
             mobile_updated, mobile_verified, reserved, can_notify, fetched_at, language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (person_id) DO UPDATE SET email = excluded.email,
             email_updated = excluded.email_updated, email_verified = excluded.email_verified,
             mobile = excluded.mobile, mobile_updated = excluded.mobile_updated,
             mobile_verified = excluded.mobile_verified, reserved = excluded.reserved,
             can_notify = excluded.can_notify, fetched_at = excluded.fetched_at,
             language = excluded.language",
        (
            person_id,
            c.email.as_deref(),
            c.email_updated.as_deref(),
            c.email_verified.as_deref(),
            c.mobile.as_deref(),
            c.mobile_updated.as_deref(),
            c.mobile_verified.as_deref(),
            i64::from(c.reserved),
            i64::from(c.can_notify),
            now(),
            c.language.as_deref(),
        ),
    )
    .await?;
    Ok(())
}

/// Forgets a person's contact details (KRR no longer knows them).
pub async fn delete(db: &Database, person_id: &str) -> sqlx::Result<()> {
    sql::run(&db.pool, "DELETE FROM contact_details WHERE person_id = $1", (person_id,)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn contact_details_round_trip_and_are_replaced_by_a_newer_answer(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let first = ContactDetails {
            email: Some("kari@example.no".into()),
            email_updated: Some("2026-01-10".into()),
            reserved: false,
            can_notify: true,
            ..ContactDetails::default()
        };
        upsert(&db, "demo-person-kari", &first).await.unwrap();
        assert_eq!(get(&db, "demo-person-kari").await.unwrap(), Some(first.clone()));
        let reserved = ContactDetails { reserved: true, ..first };
        upsert(&db, "demo-person-kari", &reserved).await.unwrap();
        assert!(get(&db, "demo-person-kari").await.unwrap().unwrap().reserved);
        delete(&db, "demo-person-kari").await.unwrap();
        assert_eq!(get(&db, "demo-person-kari").await.unwrap(), None);
    }

    on_both_engines!(contact_details_round_trip_and_are_replaced_by_a_newer_answer);
}
