//! The migrations, embedded in the binary. The SQL lives in `server/migrations/` and is written
//! to run unchanged on SQLite and PostgreSQL: TEXT ids made by the app, BIGINT timestamps (Unix
//! seconds), ISO-8601 TEXT dates, CHECK constraints for enumerations.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

/// (version, description, SQL). A test checks that every file in the folder is listed here.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "core", include_str!("../../../server/migrations/0001_core.sql")),
    (2, "identity", include_str!("../../../server/migrations/0002_identity.sql")),
    (3, "contact", include_str!("../../../server/migrations/0003_contact.sql")),
    (4, "notice", include_str!("../../../server/migrations/0004_notice.sql")),
    (5, "messaging", include_str!("../../../server/migrations/0005_messaging.sql")),
    (6, "day", include_str!("../../../server/migrations/0006_day.sql")),
    (7, "device", include_str!("../../../server/migrations/0007_device.sql")),
    (8, "device session", include_str!("../../../server/migrations/0008_device_session.sql")),
    (9, "calendar device", include_str!("../../../server/migrations/0009a_calendar_device.sql")),
    (
        10,
        "session auth time",
        include_str!("../../../server/migrations/0010_session_auth_time.sql"),
    ),
    (11, "one reply thread", include_str!("../../../server/migrations/0011_one_reply_thread.sql")),
    (12, "server secret", include_str!("../../../server/migrations/0012_server_secret.sql")),
    (13, "kept form", include_str!("../../../server/migrations/0013_kept_form.sql")),
    (14, "form submission", include_str!("../../../server/migrations/0014_form_submission.sql")),
    (15, "pending form", include_str!("../../../server/migrations/0015_pending_form.sql")),
    (16, "pickup comment", include_str!("../../../server/migrations/0016_pickup_comment.sql")),
    (
        17,
        "leave decision reason",
        include_str!("../../../server/migrations/0017_leave_decision_reason.sql"),
    ),
    (18, "notification", include_str!("../../../server/migrations/0018_notification.sql")),
    (19, "push_browser", include_str!("../../../server/migrations/0019_push_browser.sql")),
    (20, "day change", include_str!("../../../server/migrations/0020_day_change.sql")),
    (21, "daily note", include_str!("../../../server/migrations/0021_daily_note.sql")),
    (22, "tablet", include_str!("../../../server/migrations/0022_tablet.sql")),
    (23, "director role", include_str!("../../../server/migrations/0023_director_role.sql")),
];

pub fn migrator() -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect(),
        ),
        ..Migrator::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_embedded_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files.len(), MIGRATIONS.len(), "{files:?}");
        for (file, (version, _, _)) in files.iter().zip(MIGRATIONS) {
            // A letter may follow the number ("0009a_"): work done side by side on branches
            // numbers its migrations apart until it is merged.
            let rest =
                file.strip_prefix(&format!("{version:04}")).unwrap_or_else(|| panic!("{file}"));
            assert!(
                rest.trim_start_matches(|c: char| c.is_ascii_lowercase()).starts_with('_'),
                "{file}"
            );
        }
    }
}
