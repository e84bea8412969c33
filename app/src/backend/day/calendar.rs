//! A guardian's calendar subscription: an iCalendar feed of their children's activities at a
//! secret URL. Only the secret's SHA-256 is stored; a new subscription revokes the old one.

use super::activities;
use crate::backend::Database;
use crate::backend::identity::session::{hash_token, random_token};
use crate::backend::messaging::now_ms;
use crate::backend::repo::{children, persons};
use crate::backend::sql;
use crate::error::{AppError, ResultExt};

/// The cookie that carries a calendar address just made to the activities page, so that the
/// secret is never in a URL (history, logs and Referer headers keep URLs). `__Host-` over HTTPS.
pub fn show_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-ranselpost_new_calendar" } else { "ranselpost_new_calendar" }
}

/// The `Set-Cookie` that shows `token` on the activities page for ten minutes, or (with `None`)
/// stops showing it: after a revocation, and at logout.
pub fn show_cookie(token: Option<&str>, secure: bool) -> String {
    format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        show_cookie_name(secure),
        token.unwrap_or_default(),
        if token.is_some() { 600 } else { 0 },
        if secure { "; Secure" } else { "" }
    )
}

/// Creates a subscription (revoking any earlier one) and returns its secret. `device` is the
/// quick-unlock device of the session that asked for it, if any: revoking that device revokes
/// the subscription (see `access::end_what_device_opened`).
pub async fn create(db: &Database, person_id: &str, device: Option<&str>) -> sqlx::Result<String> {
    let token = random_token();
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    // One live subscription per person, also when two are made at once: the second waits for
    // the first to commit, and then revokes what the first made.
    persons::lock(&mut tx, person_id).await?;
    sql::run(
        &mut *tx,
        "UPDATE calendar_feed SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL",
        (person_id, now),
    )
    .await?;
    sql::run(
        &mut *tx,
        "INSERT INTO calendar_feed (token_hash, person_id, created_at, device_credential_id)
         VALUES ($1, $2, $3, $4)",
        (hash_token(&token), person_id, now, device),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn revoke(db: &Database, person_id: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "UPDATE calendar_feed SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL",
        (person_id, now_ms()),
    )
    .await?;
    Ok(())
}

/// Whether the person has a live subscription.
pub async fn active(db: &Database, person_id: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 AS ok FROM calendar_feed WHERE person_id = $1 AND revoked_at IS NULL")
        .bind(person_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// Whose live subscription `token` is.
pub async fn owner(db: &Database, token: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT person_id FROM calendar_feed WHERE token_hash = $1 AND revoked_at IS NULL",
        (hash_token(token),),
    )
    .await?;
    Ok(row.map(|r| r.0))
}

/// The iCalendar document of a guardian's children's activities from `from` on.
pub async fn feed(db: &Database, person_id: &str, today: &str, from: &str) -> sqlx::Result<String> {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ranselpost//NO\r\nCALSCALE:GREGORIAN\r\n\
         METHOD:PUBLISH\r\nX-WR-CALNAME:Ranselpost\r\nX-WR-TIMEZONE:Europe/Oslo\r\n",
    );
    out.push_str(OSLO);
    let mut seen = std::collections::HashSet::new();
    for child in children::list_for_guardian(db, person_id, today).await? {
        for a in activities::for_child(db, &child.id, from).await? {
            if !seen.insert(a.id.clone()) {
                continue;
            }
            // The feed goes to whatever calendar service the guardian subscribes with: the
            // child's first name tells the family's children apart, and is all it carries.
            let first_name = child.given_names.split_whitespace().next().unwrap_or_default();
            out.push_str(&event(&a, first_name));
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    Ok(out)
}

/// The time zone the events' `TZID=Europe/Oslo` refers to (RFC 5545 §3.6.5 wants it in the
/// calendar): summer time from 02:00 on the last Sunday of March to 03:00 on the last Sunday of
/// October, the EU rule Norway has kept since 1996.
const OSLO: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n\
    BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
    DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
    BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
    DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
    END:VTIMEZONE\r\n";

fn event(a: &activities::ActivityRow, child: &str) -> String {
    let date = a.day.replace('-', "");
    let time = |t: &str| format!("{date}T{}00", t.replace(':', ""));
    let start = time(&a.starts);
    let end = a.ends.as_deref().map(time).unwrap_or_else(|| start.clone());
    let mut description = child.to_owned();
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

/// RFC 5545 text escaping. A line break becomes `\n`; other control characters (a lone CR
/// among them), which a TEXT value may not hold, are left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
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
    // Exactly `<secret>.ics`: one address per feed, nothing that merely resembles it.
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
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
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "building a calendar feed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `caller` (a guardian) makes a calendar address, replacing any earlier one, and is shown it
/// once (through [`show_cookie`]). `false`, with nothing made, unless the session comes from an
/// ID-porten login of the last minutes: the address works without a session.
pub async fn subscribe(caller: &crate::backend::access::Caller) -> Result<bool, AppError> {
    let (state, user) = (&caller.state, &caller.user);
    let origin = match crate::backend::access::require_fresh_login(&state.db, user).await {
        Ok(origin) => origin,
        Err(AppError::Invalid { .. }) => return Ok(false),
        Err(e) => return Err(e),
    };
    let token = create(&state.db, &user.person_id, origin.device_credential_id.as_deref())
        .await
        .context("creating a calendar subscription")?;
    crate::backend::cookies::set(&show_cookie(Some(&token), state.settings.session.secure));
    Ok(true)
}

/// `caller` stops their calendar address.
pub async fn unsubscribe(caller: &crate::backend::access::Caller) -> Result<(), AppError> {
    let state = &caller.state;
    revoke(&state.db, &caller.user.person_id).await.context("revoking a calendar subscription")?;
    crate::backend::cookies::set(&show_cookie(None, state.settings.session.secure));
    Ok(())
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

    #[test]
    fn the_feed_describes_the_time_zone_its_events_refer_to() {
        assert!(OSLO.starts_with("BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n"));
        assert!(OSLO.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
        assert!(OSLO.ends_with("END:VTIMEZONE\r\n"));
        assert!(OSLO.split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn the_time_zone_rule_matches_the_tz_database_for_decades() {
        use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
        use chrono_tz::Europe::Oslo;
        // The rule: at 01:00 UTC on the last Sunday of March and of October.
        let last_sunday = |year, month| {
            (22..=31)
                .rev()
                .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
                .find(|d| d.weekday() == Weekday::Sun)
                .unwrap()
        };
        for year in 1996..=2060 {
            for (month, before, after) in [(3, 3600, 7200), (10, 7200, 3600)] {
                let change = last_sunday(year, month).and_hms_opt(1, 0, 0).unwrap().and_utc();
                let offset = |t: chrono::DateTime<chrono::Utc>| {
                    use chrono::Offset;
                    Oslo.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc()
                };
                assert_eq!(offset(change - chrono::Duration::seconds(1)), before, "{year}-{month}");
                assert_eq!(offset(change), after, "{year}-{month}");
            }
        }
    }

    mod properties {
        use super::*;
        use crate::backend::day::activities::ActivityRow;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                any::<String>(),
                "[\\x{0}-\\x{10FFFF}]{0,90}",
                "[a-zæøå;,\\\\\r\n: ]{0,120}",
            ]
        }

        fn row() -> impl Strategy<Value = ActivityRow> {
            (
                (text(), text(), text(), text(), prop::option::of(text())),
                (1900i32..2200, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60),
                (prop::option::of(0u32..24), any::<bool>(), any::<i64>(), "[a-z0-9-]{1,40}"),
            )
                .prop_map(
                    |(
                        (title, place, bring, unit_name, group_name),
                        (y, mo, d, h, mi),
                        (ends, cancelled, updated_at, id),
                    )| {
                        ActivityRow {
                            id,
                            unit_id: "unit".into(),
                            group_id: None,
                            unit_name,
                            group_name,
                            title,
                            day: format!("{y:04}-{mo:02}-{d:02}"),
                            starts: format!("{h:02}:{mi:02}"),
                            ends: ends.map(|e| format!("{e:02}:00")),
                            place,
                            bring,
                            signup: 0,
                            signup_deadline: None,
                            cancelled_at: cancelled.then_some(1),
                            updated_at,
                        }
                    },
                )
        }

        /// RFC 5545 §3.3.11 unescaping.
        fn unescape(value: &str) -> String {
            let mut out = String::new();
            let mut chars = value.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') | Some('N') => out.push('\n'),
                        Some(other) => out.push(other),
                        None => {}
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }

        /// What a TEXT value keeps of what was typed.
        fn kept(typed: &str) -> String {
            typed.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_text_keeps_the_lines_of_an_event_intact(a in row(), child in text()) {
                let out = event(&a, &child);
                prop_assert!(out.ends_with("\r\n"));
                let physical: Vec<&str> = out[..out.len() - 2].split("\r\n").collect();
                for line in &physical {
                    prop_assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
                    prop_assert!(
                        !line.chars().any(|c| c.is_control() && c != '\t'),
                        "a control character in {line:?}"
                    );
                }
                // Unfolded, the event has exactly the properties it was written with.
                let unfolded = out.replace("\r\n ", "");
                let lines: Vec<&str> = unfolded.trim_end_matches("\r\n").split("\r\n").collect();
                let names: Vec<&str> = lines
                    .iter()
                    .map(|l| l.split([':', ';']).next().unwrap_or_default())
                    .collect();
                let mut expected = vec!["BEGIN", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"];
                if !a.place.is_empty() {
                    expected.push("LOCATION");
                }
                if a.cancelled_at.is_some() {
                    expected.push("STATUS");
                }
                expected.push("END");
                prop_assert_eq!(names, expected);
                let value = |name: &str| {
                    lines
                        .iter()
                        .find_map(|l| l.strip_prefix(name))
                        .map(unescape)
                        .unwrap_or_default()
                };
                prop_assert_eq!(value("SUMMARY:"), kept(&a.title));
                if !a.place.is_empty() {
                    prop_assert_eq!(value("LOCATION:"), kept(&a.place));
                }
                prop_assert!(value("DESCRIPTION:").starts_with(&kept(&child)));
            }

            #[test]
            fn escaping_leaves_no_unescaped_separator(typed in text()) {
                let escaped = escape(&typed);
                let mut chars = escaped.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => prop_assert!(matches!(chars.next(), Some('\\' | ';' | ',' | 'n'))),
                        c => prop_assert!(
                            !matches!(c, ';' | ',' | '\r' | '\n'),
                            "bare {c:?} in {escaped:?}"
                        ),
                    }
                }
                prop_assert_eq!(unescape(&escaped), kept(&typed));
            }
        }
    }
}
