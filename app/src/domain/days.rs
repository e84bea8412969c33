//! Calendar days and times of day as the forms carry them ("2026-11-27", "15:30"), with the
//! rules for an absence's span. No time-zone arithmetic: days are Norwegian calendar days.

use serde::{Deserialize, Serialize};

/// Why a span of days is not accepted; each has a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpanError {
    BadDate,
    EndBeforeStart,
    InThePast,
    TooLong,
    BadTime,
    TimesOutOfOrder,
}

impl SpanError {
    pub fn key(self) -> &'static str {
        match self {
            SpanError::BadDate => "days.error.bad_date",
            SpanError::EndBeforeStart => "days.error.end_before_start",
            SpanError::InThePast => "days.error.past",
            SpanError::TooLong => "days.error.too_long",
            SpanError::BadTime => "days.error.bad_time",
            SpanError::TimesOutOfOrder => "days.error.times",
        }
    }
}

/// The longest span one report may cover: a school year.
pub const MAX_SPAN_DAYS: i64 = 365;

/// Days since 1970-01-01 of a "YYYY-MM-DD" date, if it is a real date written exactly so: the
/// forms store the text they checked, and the database compares days as text, so "2027-1-5"
/// or " 2027-01-05" must not pass as 5 January.
pub fn day_number(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..])?);
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The "YYYY-MM-DD" of a day number.
pub fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day after `date`.
pub fn next_day(date: &str) -> Option<String> {
    day_number(date).map(|n| date_of(n + 1))
}

/// 1 = Monday … 7 = Sunday.
pub fn weekday(date: &str) -> Option<u8> {
    // 1970-01-01 was a Thursday.
    day_number(date).map(|n| ((n + 3).rem_euclid(7) + 1) as u8)
}

/// The i18n key of weekday `n` (1 = Monday … 7 = Sunday); spelled out, so that the key test
/// sees every one. A number out of range reads as the nearest day.
pub fn weekday_key(n: u8) -> &'static str {
    const KEYS: [&str; 7] =
        ["weekday.1", "weekday.2", "weekday.3", "weekday.4", "weekday.5", "weekday.6", "weekday.7"];
    KEYS[usize::from(n.clamp(1, 7)) - 1]
}

/// The i18n key of month `m` (1 = January … 12 = December) of an ISO `date`, spelled out like
/// the weekdays.
pub fn month_key(date: &str) -> Option<&'static str> {
    const KEYS: [&str; 12] = [
        "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8",
        "month.9", "month.10", "month.11", "month.12",
    ];
    day_number(date)?;
    let month: usize = date.get(5..7)?.parse().ok()?;
    KEYS.get(month.checked_sub(1)?).copied()
}

/// The day of the month of an ISO `date`, without a leading zero ("5").
pub fn day_of_month(date: &str) -> Option<u8> {
    day_number(date)?;
    date.get(8..10)?.parse().ok()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// "HH:MM" as minutes after midnight, written exactly so (the forms store what they checked).
pub fn minutes(time: &str) -> Option<u16> {
    let b = time.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let (h, m) = (digits(&b[..2])?, digits(&b[3..])?);
    (h < 24 && m < 60).then(|| (h * 60 + m) as u16)
}

/// The number written by ASCII digits only (no sign, no space); at most a few digits long.
fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |n, b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
}

/// Checks a span of days that starts today or later, is in order, and is at most a school year.
pub fn check_span(first: &str, last: &str, today: &str) -> Result<(), SpanError> {
    let (Some(a), Some(b), Some(t)) = (day_number(first), day_number(last), day_number(today))
    else {
        return Err(SpanError::BadDate);
    };
    if b < a {
        return Err(SpanError::EndBeforeStart);
    }
    if a < t {
        return Err(SpanError::InThePast);
    }
    if b - a + 1 > MAX_SPAN_DAYS {
        return Err(SpanError::TooLong);
    }
    Ok(())
}

/// Checks a part of a day: both times given and in order.
pub fn check_times(from: &str, to: &str) -> Result<(), SpanError> {
    match (minutes(from), minutes(to)) {
        (Some(a), Some(b)) if a < b => Ok(()),
        (Some(_), Some(_)) => Err(SpanError::TimesOutOfOrder),
        _ => Err(SpanError::BadTime),
    }
}

/// "27.11." style short date for lists.
pub fn short(date: &str) -> String {
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    match (y, m, d) {
        (Some(_), Some(m), Some(d)) => format!("{d}.{m}."),
        _ => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_weekday_has_its_own_key_and_a_number_out_of_range_reads_as_the_nearest_day() {
        assert_eq!(weekday_key(1), "weekday.1");
        assert_eq!(weekday_key(7), "weekday.7");
        assert_eq!(weekday_key(0), "weekday.1");
        assert_eq!(weekday_key(9), "weekday.7");
        assert_eq!(weekday("2027-01-04").map(weekday_key), Some("weekday.1"));
    }

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        for date in ["1970-01-01", "2000-02-29", "2026-11-27", "2027-01-01", "2099-12-31"] {
            assert_eq!(date_of(day_number(date).unwrap()), date);
        }
        assert_eq!(weekday("2026-11-27"), Some(5), "a Friday");
        assert_eq!(weekday("2027-01-04"), Some(1), "a Monday");
        assert_eq!(month_key("2027-01-04"), Some("month.1"));
        assert_eq!(month_key("2026-12-31"), Some("month.12"));
        assert_eq!(month_key("2026-13-01"), None);
        assert_eq!(day_of_month("2027-01-04"), Some(4));
        assert_eq!(next_day("2026-12-31").as_deref(), Some("2027-01-01"));
        assert_eq!(day_number("2026-02-29"), None);
        assert_eq!(day_number("2026-13-01"), None);
        assert_eq!(day_number("i morgen"), None);
    }

    #[test]
    fn a_span_must_be_in_order_not_past_and_at_most_a_school_year() {
        let today = "2026-11-27";
        assert_eq!(check_span("2026-11-27", "2026-11-27", today), Ok(()));
        assert_eq!(check_span("2026-12-01", "2026-11-30", today), Err(SpanError::EndBeforeStart));
        assert_eq!(check_span("2026-11-26", "2026-11-27", today), Err(SpanError::InThePast));
        assert_eq!(check_span("2026-11-27", "2027-11-27", today), Err(SpanError::TooLong));
        assert_eq!(check_span("2026-11-27", "2027-11-26", today), Ok(()));
        assert_eq!(check_span("", "2026-11-27", today), Err(SpanError::BadDate));
    }

    #[test]
    fn part_of_a_day_needs_two_times_in_order() {
        assert_eq!(check_times("08:00", "11:30"), Ok(()));
        assert_eq!(check_times("12:00", "11:30"), Err(SpanError::TimesOutOfOrder));
        assert_eq!(check_times("8", "11:30"), Err(SpanError::BadTime));
        assert_eq!(check_times("25:00", "26:00"), Err(SpanError::BadTime));
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn a_date_from_a_form_is_accepted_only_as_written_canonically(
            text in prop_oneof![
                any::<String>(),
                "[ +0-9-]{8,12}",
                "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
            ]
        ) {
            if let Some(n) = day_number(&text) {
                prop_assert_eq!(date_of(n), text.clone());
                prop_assert!(weekday(&text).is_some_and(|w| (1..=7).contains(&w)));
                prop_assert!(next_day(&text).is_some());
            }
            let _ = short(&text);
        }

        #[test]
        fn every_day_of_the_supported_years_round_trips(n in day_number("1900-01-01").unwrap()..=day_number("2200-12-31").unwrap()) {
            let date = date_of(n);
            prop_assert_eq!(day_number(&date), Some(n));
        }

        #[test]
        fn a_time_from_a_form_is_accepted_only_as_written_canonically(
            text in prop_oneof![any::<String>(), "[ +0-9]{1,3}:[ +0-9]{1,3}", "[0-9]{2}:[0-9]{2}"]
        ) {
            if let Some(m) = minutes(&text) {
                prop_assert!(m < 24 * 60);
                prop_assert_eq!(crate::domain::hours::clock(m), text.clone());
            }
        }

        #[test]
        fn checking_a_span_or_times_never_panics(
            first in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}",
            last in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}",
            from in "\\PC{0,6}|[0-9]{2}:[0-9]{2}",
            to in "\\PC{0,6}|[0-9]{2}:[0-9]{2}",
        ) {
            if check_span(&first, &last, "2027-01-04").is_ok() {
                prop_assert!(first.as_str() >= "2027-01-04" && last >= first);
            }
            if check_times(&from, &to).is_ok() {
                prop_assert!(from < to, "canonical times compare as text");
            }
        }
    }
}
