//! Contact details from KRR, kept with when they were fetched (notices follow KRR's rules).

use super::{now, row_struct};
use crate::backend::Database;
use crate::domain::contact::ContactDetails;

row_struct! {
    /// A person's KRR contact details as stored.
    pub struct ContactRow {
        pub email: Option<String>,
        pub email_updated: Option<String>,
        pub email_verified: Option<String>,
        pub mobile: Option<String>,
        pub mobile_updated: Option<String>,
        pub mobile_verified: Option<String>,
        pub reserved: i64,
        pub can_notify: i64,
    }
}

impl From<ContactRow> for ContactDetails {
    fn from(r: ContactRow) -> Self {
        ContactDetails {
            email: r.email,
            email_updated: r.email_updated,
            email_verified: r.email_verified,
            mobile: r.mobile,
            mobile_updated: r.mobile_updated,
            mobile_verified: r.mobile_verified,
            reserved: r.reserved != 0,
            can_notify: r.can_notify != 0,
        }
    }
}

pub async fn get(db: &Database, person_id: &str) -> Result<Option<ContactDetails>, sqlx::Error> {
    let row: Option<ContactRow> = sqlx::query_as(
        "SELECT email, email_updated, email_verified, mobile, mobile_updated, mobile_verified,
                reserved, can_notify FROM contact_details WHERE person_id = $1",
    )
    .bind(person_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(Into::into))
}

/// Replaces what is known of a person's contact details with KRR's current answer.
pub async fn upsert(db: &Database, person_id: &str, c: &ContactDetails) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contact_details (person_id, email, email_updated, email_verified, mobile,
             mobile_updated, mobile_verified, reserved, can_notify, fetched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (person_id) DO UPDATE SET email = excluded.email,
             email_updated = excluded.email_updated, email_verified = excluded.email_verified,
             mobile = excluded.mobile, mobile_updated = excluded.mobile_updated,
             mobile_verified = excluded.mobile_verified, reserved = excluded.reserved,
             can_notify = excluded.can_notify, fetched_at = excluded.fetched_at",
    )
    .bind(person_id)
    .bind(c.email.as_deref())
    .bind(c.email_updated.as_deref())
    .bind(c.email_verified.as_deref())
    .bind(c.mobile.as_deref())
    .bind(c.mobile_updated.as_deref())
    .bind(c.mobile_verified.as_deref())
    .bind(i64::from(c.reserved))
    .bind(i64::from(c.can_notify))
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Forgets a person's contact details (KRR no longer knows them).
pub async fn delete(db: &Database, person_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM contact_details WHERE person_id = $1")
        .bind(person_id)
        .execute(&db.pool)
        .await?;
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
        assert_eq!(
            get(&db, "demo-person-kari").await.unwrap(),
            Some(first.clone())
        );
        let reserved = ContactDetails {
            reserved: true,
            ..first
        };
        upsert(&db, "demo-person-kari", &reserved).await.unwrap();
        assert!(
            get(&db, "demo-person-kari")
                .await
                .unwrap()
                .unwrap()
                .reserved
        );
        delete(&db, "demo-person-kari").await.unwrap();
        assert_eq!(get(&db, "demo-person-kari").await.unwrap(), None);
    }

    on_both_engines!(contact_details_round_trip_and_are_replaced_by_a_newer_answer);
}
