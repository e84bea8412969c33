//! Keeping what was typed. A form that could not be saved or sent — a text the guard refused, a
//! date in the past, a note too long — is kept on the server with why, and its page shows it
//! again from `?utkast=<id>`: also after a plain form post without JavaScript, where nothing
//! else could hold the text. One mechanism for the forms that keep what was typed (messages,
//! absence reports, pick-up notes): the fields are the form's own type, stored as JSON.

use crate::backend::Database;
use crate::backend::clock::real_now_ms as now_ms;
use crate::backend::repo::{new_id, persons, row_struct};
use crate::backend::sql;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A form whose fields can be kept.
pub trait KeptForm: Serialize + DeserializeOwned {
    /// Cuts every field to what could ever be accepted (a text refused as too long comes back
    /// cut to the limit), so that nobody fills the database with refused forms.
    fn cut_to_limits(&mut self);
}

/// A form of one reason (cancelling an activity, deciding on leave), kept as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Reason {
    pub reason: String,
}

impl KeptForm for Reason {
    fn cut_to_limits(&mut self) {
        // The longest reason any form takes.
        cut(&mut self.reason, 500);
    }
}

/// A kept form, as its page shows it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept<F> {
    pub fields: F,
    /// i18n key of why it was not saved or sent.
    pub problem: String,
}

/// Kept forms older than this are removed by housekeeping.
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// The most forms one person has kept at a time; keeping another drops the oldest. A kept form
/// bridges a refused post and its page, so a handful is plenty.
pub const MAX_PER_PERSON: i64 = 20;

/// The form at `form_path`, showing kept form `id` again (`?utkast=`).
pub fn form_at(form_path: &str, id: &str) -> String {
    let separator = if form_path.contains('?') { '&' } else { '?' };
    format!("{form_path}{separator}utkast={id}")
}

/// Cuts `text` to at most `max` characters.
pub fn cut(text: &mut String, max: usize) {
    if let Some((at, _)) = text.char_indices().nth(max) {
        text.truncate(at);
    }
}

/// Keeps `fields` for `person_id`'s form `target` (`child:<id>`, `absence:<id>` …) with why
/// (`problem`, an i18n key); returns the id its page is given.
pub async fn keep<F: KeptForm + Clone>(
    db: &Database,
    person_id: &str,
    target: &str,
    fields: &F,
    problem: &str,
) -> sqlx::Result<String> {
    let mut fields = fields.clone();
    fields.cut_to_limits();
    let json = serde_json::to_string(&fields).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    insert(db, person_id, target, &json, problem).await
}

async fn insert(
    db: &Database,
    person_id: &str,
    target: &str,
    json: &str,
    problem: &str,
) -> sqlx::Result<String> {
    let mut tx = db.pool.begin().await?;
    // Keeps by one person wait for each other (PostgreSQL's row lock; SQLite has one writer),
    // so twenty at once still leave at most MAX_PER_PERSON.
    persons::lock(&mut tx, person_id).await?;
    // Room for the new one: the person's newest but one are kept.
    sql::run(
        &mut *tx,
        "DELETE FROM kept_form WHERE person_id = $1 AND id NOT IN (
             SELECT id FROM kept_form WHERE person_id = $1
             ORDER BY created_at DESC, id DESC LIMIT $2)",
        (person_id, MAX_PER_PERSON - 1),
    )
    .await?;
    let id = new_id();
    sql::run(
        &mut *tx,
        "INSERT INTO kept_form (id, person_id, target, fields, problem, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        (&id, person_id, target, json, problem, now_ms()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The person's own kept form `id` for `target`; someone else's is never found. Fields that no
/// longer read as `F` (kept by an older version) count as nothing kept.
pub async fn load<F: KeptForm>(
    db: &Database,
    id: &str,
    person_id: &str,
    target: &str,
) -> sqlx::Result<Option<Kept<F>>> {
    let row: Option<(String, String)> = sql::opt(
        &db.pool,
        "SELECT fields, problem FROM kept_form WHERE id = $1 AND person_id = $2 AND target = $3",
        (id, person_id, target),
    )
    .await?;
    Ok(row.and_then(|(json, problem)| match serde_json::from_str(&json) {
        Ok(fields) => Some(Kept { fields, problem }),
        Err(e) => {
            tracing::warn!(target_form = target, error = %e, "a kept form no longer reads");
            None
        }
    }))
}

/// Removes the person's kept forms for `target` once it was saved or sent.
pub async fn clear(db: &Database, person_id: &str, target: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "DELETE FROM kept_form WHERE person_id = $1 AND target = $2",
        (person_id, target),
    )
    .await?;
    Ok(())
}

/// Removes kept forms older than [`KEEP_MS`].
pub async fn expire(db: &Database) -> sqlx::Result<u64> {
    Ok(sql::run(&db.pool, "DELETE FROM kept_form WHERE created_at < $1", (now_ms() - KEEP_MS,))
        .await?
        .rows_affected())
}

row_struct! {
    /// A message draft of the version before kept forms: subject, body and recipient in their
    /// own columns (an absence form's other fields as JSON in the subject, a pick-up's time).
    pub struct LegacyDraft {
        pub id: String,
        pub person_id: String,
        pub target: String,
        pub subject: String,
        pub body: String,
        pub recipient: Option<String>,
        pub problem: String,
        pub created_at: i64,
    }
}

/// Moves drafts kept by the version before kept forms into `kept_form`, as the fields their
/// forms now read, so that an upgrade loses no text in flight. Run at every migration; after
/// the first it finds nothing.
pub async fn adopt_legacy_drafts(db: &Database) -> sqlx::Result<u64> {
    let mut tx = db.pool.begin().await?;
    let rows: Vec<LegacyDraft> = sql::all(
        &mut *tx,
        "SELECT id, person_id, target, subject, body, recipient, problem, created_at
         FROM message_draft",
        (),
    )
    .await?;
    for row in &rows {
        let fields = legacy_fields(row);
        // Two processes starting at once may both move a row: the second finds it there.
        sql::run(
            &mut *tx,
            "INSERT INTO kept_form (id, person_id, target, fields, problem, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            (
                &row.id,
                &row.person_id,
                &row.target,
                fields.to_string(),
                &row.problem,
                row.created_at,
            ),
        )
        .await?;
        // Only what was moved: an older version still running may keep a new draft meanwhile.
        sql::run(&mut *tx, "DELETE FROM message_draft WHERE id = $1", (&row.id,)).await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

fn legacy_fields(row: &LegacyDraft) -> serde_json::Value {
    use serde_json::{Value, json};
    if row.target.starts_with("absence:") {
        let mut form = serde_json::from_str::<Value>(&row.subject).unwrap_or_else(|_| json!({}));
        if let Some(map) = form.as_object_mut() {
            map.insert("note".into(), Value::String(row.body.clone()));
        }
        json!({ "form": form, "editing": row.recipient })
    } else if row.target.starts_with("pickup:") {
        json!({ "who": row.body, "at_time": row.subject })
    } else {
        json!({ "subject": row.subject, "body": row.body, "recipient": row.recipient })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
    }

    impl KeptForm for Note {
        fn cut_to_limits(&mut self) {
            cut(&mut self.text, 5);
        }
    }

    async fn a_kept_form_comes_back_cut_to_its_limits_and_only_to_its_owner(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let note = Note { text: "ærlig talt".into() };
        let id = keep(&db, "demo-person-kari", "note:1", &note, "why").await.unwrap();
        let kept = load::<Note>(&db, &id, "demo-person-kari", "note:1").await.unwrap().unwrap();
        assert_eq!(kept.fields.text, "ærlig");
        assert_eq!(kept.problem, "why");
        assert!(load::<Note>(&db, &id, "demo-person-ola", "note:1").await.unwrap().is_none());
        assert!(load::<Note>(&db, &id, "demo-person-kari", "note:2").await.unwrap().is_none());
        clear(&db, "demo-person-kari", "note:1").await.unwrap();
        assert!(load::<Note>(&db, &id, "demo-person-kari", "note:1").await.unwrap().is_none());
    }

    async fn drafts_of_the_earlier_version_are_moved_with_their_text(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        for (id, target, subject, body, recipient) in [
            ("d1", "child:demo-child-jonas", "Emne", "Hei", Some("unit:x")),
            (
                "d2",
                "absence:demo-child-jonas",
                r#"{"when":"dates","first_day":"2099-01-01","last_day":"","part":"whole","from_time":"","to_time":"","kind":"other","note":""}"#,
                "Tannlege",
                Some("abs-1"),
            ),
            ("d3", "pickup:demo-child-jonas", "15:30", "Bestemor", None),
        ] {
            sql::run(
                &db.pool,
                "INSERT INTO message_draft (id, person_id, target, subject, body, recipient,
                     problem, created_at)
                 VALUES ($1, 'demo-person-kari', $2, $3, $4, $5, 'p', $6)",
                (id, target, subject, body, recipient, now_ms()),
            )
            .await
            .unwrap();
        }
        assert_eq!(adopt_legacy_drafts(&db).await.unwrap(), 3);
        assert_eq!(adopt_legacy_drafts(&db).await.unwrap(), 0);
        let fields = |id: &'static str| {
            let db = db.clone();
            async move {
                let (json,): (String,) =
                    sql::one(&db.pool, "SELECT fields FROM kept_form WHERE id = $1", (id,))
                        .await
                        .unwrap();
                serde_json::from_str::<serde_json::Value>(&json).unwrap()
            }
        };
        assert_eq!(fields("d1").await["body"], "Hei");
        assert_eq!(fields("d1").await["recipient"], "unit:x");
        assert_eq!(fields("d2").await["form"]["note"], "Tannlege");
        assert_eq!(fields("d2").await["form"]["first_day"], "2099-01-01");
        assert_eq!(fields("d2").await["editing"], "abs-1");
        assert_eq!(fields("d3").await["who"], "Bestemor");
    }

    crate::backend::testing::on_both_engines!(
        a_kept_form_comes_back_cut_to_its_limits_and_only_to_its_owner,
        drafts_of_the_earlier_version_are_moved_with_their_text,
    );
}
