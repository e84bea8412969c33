//! A guardian's calendar subscription: an iCalendar feed of their children's activities at a
//! secret URL. Only the secret's SHA-256 is stored; a new subscription revokes the old one.

use super::activities;
use crate::backend::Database;
use crate::backend::identity::session::{hash_token, random_token};
use crate::backend::messaging::now_ms;
use crate::backend::repo::children;

/// Creates a subscription (revoking any earlier one) and returns its secret.
pub async fn create(db: &Database, person_id: &str) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    // One live subscription per person, also when two are made at once: writing the person's
    // row first makes the second wait for the first to commit (PostgreSQL's row lock; SQLite
    // has one writer anyway), and then revoke what the first made.
    sqlx::query("UPDATE person SET updated_at = updated_at WHERE id = $1")
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE calendar_feed SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL",
    )
    .bind(person_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO calendar_feed (token_hash, person_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(hash_token(&token))
    .bind(person_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn revoke(db: &Database, person_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE calendar_feed SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL",
    )
    .bind(person_id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Whether the person has a live subscription.
pub async fn active(db: &Database, person_id: &str) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query(
            "SELECT 1 AS ok FROM calendar_feed WHERE person_id = $1 AND revoked_at IS NULL",
        )
        .bind(person_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some(),
    )
}

/// Whose live subscription `token` is.
pub async fn owner(db: &Database, token: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT person_id FROM calendar_feed WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash_token(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.0))
}

/// The iCalendar document of a guardian's children's activities from `from` on.
pub async fn feed(
    db: &Database,
    person_id: &str,
    today: &str,
    from: &str,
) -> Result<String, sqlx::Error> {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ranselpost//NO\r\nCALSCALE:GREGORIAN\r\n\
         METHOD:PUBLISH\r\nX-WR-CALNAME:Ranselpost\r\nX-WR-TIMEZONE:Europe/Oslo\r\n",
    );
    let mut seen = std::collections::HashSet::new();
    for child in children::list_for_guardian(db, person_id, today).await? {
        for a in activities::for_child(db, &child.id, from).await? {
            if !seen.insert(a.id.clone()) {
                continue;
            }
            out.push_str(&event(&a, &child.display_name().to_string()));
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    Ok(out)
}

fn event(a: &activities::ActivityRow, child: &str) -> String {
    let date = a.day.replace('-', "");
    let time = |t: &str| format!("{date}T{}00", t.replace(':', ""));
    let start = time(&a.starts);
    let end = a.ends.as_deref().map(time).unwrap_or_else(|| start.clone());
    let mut description = format!("{child}. {}", a.unit_name);
    if let Some(g) = &a.group_name {
        description.push_str(&format!(", {g}"));
    }
    if !a.bring.is_empty() {
        description.push_str(&format!(". Ta med: {}", a.bring));
    }
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@ranselpost", a.id),
        format!("DTSTAMP:{}", stamp(a.updated_at)),
        format!("DTSTART;TZID=Europe/Oslo:{start}"),
        format!("DTEND;TZID=Europe/Oslo:{end}"),
        format!("SUMMARY:{}", escape(&a.title)),
        format!("DESCRIPTION:{}", escape(&description)),
    ];
    if !a.place.is_empty() {
        lines.push(format!("LOCATION:{}", escape(&a.place)));
    }
    if a.cancelled_at.is_some() {
        lines.push("STATUS:CANCELLED".to_owned());
    }
    lines.push("END:VEVENT".to_owned());
    lines.into_iter().map(|l| fold(&l)).collect()
}

fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|| "19700101T000000Z".to_owned())
}

/// RFC 5545 text escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// `GET /kalender/{secret}.ics`: the feed, for calendar apps (no session; the secret is the key).
pub async fn ics(
    axum::extract::State(state): axum::extract::State<crate::backend::AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let token = file.trim_end_matches(".ics");
    let today = state.today();
    let result = async {
        let Some(person) = owner(&state.db, token).await? else {
            return Ok(None);
        };
        // A month back, so that a just-passed activity does not vanish at once.
        let from = crate::domain::days::day_number(&today)
            .map(|n| crate::domain::days::date_of(n - 31))
            .unwrap_or_else(|| today.clone());
        feed(&state.db, &person, &today, &from).await.map(Some)
    }
    .await;
    match result {
        Ok(Some(body)) => {
            let mut res = body.into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "building a calendar feed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_folded_without_splitting_a_character_and_text_is_escaped() {
        let line = format!("SUMMARY:{}", "æ".repeat(60));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
        assert_eq!(
            escape("Tur; ta med mat, drikke\nog lue"),
            "Tur\\; ta med mat\\, drikke\\nog lue"
        );
    }
}
