//! The app's clock: what time it is, which day it is in Norway, and how an instant reads on a
//! Norwegian wall clock. Norway keeps Central European Time, UTC+1 in winter and UTC+2 in
//! summer (from 02:00 on the last Sunday of March to 03:00 on the last Sunday of October); the
//! rules come compiled in from the IANA database (`chrono-tz`), so nothing here depends on the
//! server's own time zone or on a fixed offset.
//!
//! Two kinds of "now":
//! - [`Clock`], carried by the [`Database`](super::Database): the time of the records people
//!   see and of the days the rules count — when a message was written or a child checked in,
//!   which day "today" is. A demo's `--now` moves it to another day or instant.
//! - [`real_now_ms`] and [`real_now_secs`]: the real time, for deadlines agreed with the world
//!   outside (sessions, OIDC and Maskinporten tokens, quick-unlock ceremonies, the audit log),
//!   which a demo's pretend date must not bend.
//!
//! Times reach the browser already formatted here (the WASM bundle has no time-zone database),
//! so the page the server renders and the one the browser hydrates show the same text.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Oslo;
use chrono_tz::Tz;

/// What a demo's `--now` says: a day to pretend is today, or an instant the clock starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoNow {
    /// `2027-01-04`: today is that day; the time of day stays the real one.
    Day(NaiveDate),
    /// `2027-06-14T23:45:00+02:00` or `2027-06-14T21:45:00Z`: the clock reads that instant
    /// when the server starts and runs on from there.
    Instant(DateTime<Utc>),
}

/// Why a `--now` value was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is neither a date (2027-01-04) nor an instant with its offset \
     (2027-06-14T23:45:00+02:00 or 2027-06-14T21:45:00Z)"
)]
/// A `--now` that is neither a date nor an instant with its offset.
pub struct BadNow(String);

impl std::str::FromStr for DemoNow {
    type Err = BadNow;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(DemoNow::Day(day));
        }
        // An instant needs its offset: a bare "2027-10-31T02:30" names two instants in Norway.
        DateTime::parse_from_rfc3339(s)
            .map(|t| DemoNow::Instant(t.with_timezone(&Utc)))
            .map_err(|_| BadNow(s.to_owned()))
    }
}

/// The clock the app's records are stamped with and its days are counted by. The real time
/// in production; a demo's `--now` shifts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// Added to the real time: a demo that started at another instant.
    offset_ms: i64,
    /// A demo's fixed day, whatever the time.
    day: Option<NaiveDate>,
}

impl Clock {
    /// The real time.
    pub fn real() -> Clock {
        Clock::default()
    }

    /// A demo's clock: fixed on `now`'s day, or started at `now`'s instant (from this call on
    /// it runs at the real pace).
    pub fn for_demo(now: DemoNow) -> Clock {
        match now {
            DemoNow::Day(day) => Clock { offset_ms: 0, day: Some(day) },
            DemoNow::Instant(at) => {
                Clock { offset_ms: at.timestamp_millis() - real_now_ms(), day: None }
            }
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_else(Utc::now)
    }

    /// The current instant as Unix milliseconds, the grain of the records' times.
    pub fn now_ms(&self) -> i64 {
        real_now_ms().saturating_add(self.offset_ms)
    }

    /// Today's date in Norway (YYYY-MM-DD), or the demo's fixed day.
    pub fn today(&self) -> String {
        match self.day {
            Some(day) => day.to_string(),
            None => day_in_norway(self.now()),
        }
    }

    /// The weekday (1 = Monday … 7 = Sunday) and minute of the day on a Norwegian wall clock
    /// now.
    pub fn weekday_and_minute(&self) -> (u8, u16) {
        let now = in_norway(self.now());
        (now.weekday().number_from_monday() as u8, (now.hour() * 60 + now.minute()) as u16)
    }
}

/// The real time as Unix milliseconds.
pub fn real_now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// The real time as Unix seconds, the schema's timestamp grain for sessions and tokens.
pub fn real_now_secs() -> i64 {
    Utc::now().timestamp()
}

/// An instant on a Norwegian wall clock.
pub fn in_norway(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&Oslo)
}

/// The next instant after `now` when Norwegian clocks show `minute` (minutes after midnight),
/// in Unix milliseconds: on the nights the clocks change, 07:00 is still 07:00 (a time the
/// spring change skips is taken an hour later).
pub fn next_norwegian_time(now: DateTime<Utc>, minute: u16) -> i64 {
    use chrono::TimeZone;
    let day = in_norway(now).date_naive();
    let (h, m) = (u32::from(minute / 60), u32::from(minute % 60));
    for days in 0..3 {
        let Some(date) = day.checked_add_days(chrono::Days::new(days)) else { break };
        let Some(wall) = date.and_hms_opt(h, m, 0) else { break };
        let at = Oslo
            .from_local_datetime(&wall)
            .earliest()
            .or_else(|| Oslo.from_local_datetime(&(wall + chrono::Duration::hours(1))).earliest());
        if let Some(at) = at.map(|t| t.with_timezone(&Utc))
            && at > now
        {
            return at.timestamp_millis();
        }
    }
    now.timestamp_millis()
}

/// The Norwegian calendar day (YYYY-MM-DD) an instant falls on.
pub fn day_in_norway(t: DateTime<Utc>) -> String {
    in_norway(t).date_naive().to_string()
}

/// "27.11.2026 14:03" in Norway, for a time in Unix milliseconds.
pub fn date_time_text(ms: i64) -> String {
    format_ms(ms, "%d.%m.%Y %H:%M")
}

/// "14:03" in Norway, for a time in Unix milliseconds.
pub fn time_of_day_text(ms: i64) -> String {
    format_ms(ms, "%H:%M")
}

/// The Norwegian date (YYYY-MM-DD) of the instant `ms` (Unix milliseconds).
pub fn day_of(ms: i64) -> String {
    format_ms(ms, "%Y-%m-%d")
}

fn format_ms(ms: i64, format: &str) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| in_norway(t).format(format).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn text(rfc3339: &str) -> String {
        date_time_text(at(rfc3339).timestamp_millis())
    }

    #[test]
    fn the_next_seven_oclock_is_seven_on_norwegian_clocks_also_when_they_change() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let ms = |s: &str| at(s).timestamp_millis();
        // Winter: 22:30 in Norway is 21:30 UTC; 07:00 next morning is 06:00 UTC.
        assert_eq!(
            next_norwegian_time(at("2027-01-04T21:30:00Z"), 420),
            ms("2027-01-05T06:00:00Z")
        );
        // The night summer time ends (31 October 2027): 07:00 is then 06:00 UTC, not 05:00.
        assert_eq!(
            next_norwegian_time(at("2027-10-30T20:00:00Z"), 420),
            ms("2027-10-31T06:00:00Z")
        );
        // The night it begins (28 March 2027): 07:00 is 05:00 UTC.
        assert_eq!(
            next_norwegian_time(at("2027-03-27T21:00:00Z"), 420),
            ms("2027-03-28T05:00:00Z")
        );
        // 02:30 does not exist that night: an hour later.
        assert_eq!(
            next_norwegian_time(at("2027-03-27T23:00:00Z"), 150),
            ms("2027-03-28T01:30:00Z")
        );
        // Earlier the same day.
        assert_eq!(
            next_norwegian_time(at("2027-01-05T05:30:00Z"), 420),
            ms("2027-01-05T06:00:00Z")
        );
    }

    #[test]
    fn in_spring_the_clock_jumps_from_two_to_three_on_the_last_sunday_of_march() {
        // 28 March 2027 is the last Sunday of March.
        assert_eq!(text("2027-03-28T00:59:00Z"), "28.03.2027 01:59");
        assert_eq!(text("2027-03-28T01:00:00Z"), "28.03.2027 03:00");
        assert_eq!(text("2027-03-27T12:00:00Z"), "27.03.2027 13:00", "winter: UTC+1");
        assert_eq!(text("2027-03-29T12:00:00Z"), "29.03.2027 14:00", "summer: UTC+2");
    }

    #[test]
    fn in_autumn_the_clock_goes_back_from_three_to_two_on_the_last_sunday_of_october() {
        // 31 October 2027 is the last Sunday of October: 02:00–03:00 happens twice.
        assert_eq!(text("2027-10-31T00:30:00Z"), "31.10.2027 02:30");
        assert_eq!(text("2027-10-31T00:59:00Z"), "31.10.2027 02:59");
        assert_eq!(text("2027-10-31T01:00:00Z"), "31.10.2027 02:00");
        assert_eq!(text("2027-10-31T01:30:00Z"), "31.10.2027 02:30");
        assert_eq!(text("2027-10-31T02:00:00Z"), "31.10.2027 03:00");
        assert_eq!(text("2027-11-01T12:00:00Z"), "01.11.2027 13:00", "winter: UTC+1");
    }

    #[test]
    fn half_past_midnight_on_a_summer_night_is_already_the_next_day() {
        let night = at("2027-06-14T22:30:00Z");
        assert_eq!(day_in_norway(night), "2027-06-15");
        assert_eq!(time_of_day_text(night.timestamp_millis()), "00:30");
        let clock = Clock::for_demo(DemoNow::Instant(night));
        assert_eq!(clock.today(), "2027-06-15");
        // 15 June 2027 is a Tuesday.
        assert_eq!(clock.weekday_and_minute(), (2, 30));
        // Half past eleven the evening before, in winter, is still the same day.
        assert_eq!(day_in_norway(at("2027-01-14T22:30:00Z")), "2027-01-14");
    }

    #[test]
    fn a_demo_clock_starts_at_its_instant_and_runs_on() {
        let start = at("2027-06-14T21:45:00Z");
        let clock = Clock::for_demo(DemoNow::Instant(start));
        let elapsed = clock.now_ms() - start.timestamp_millis();
        assert!((0..60_000).contains(&elapsed), "{elapsed} ms");
        assert_eq!(clock.today(), "2027-06-14", "23:45 in Oslo");
    }

    #[test]
    fn a_demo_day_fixes_today_and_leaves_the_time_real() {
        let clock = Clock::for_demo("2027-01-04".parse().unwrap());
        assert_eq!(clock.today(), "2027-01-04");
        assert!((clock.now_ms() - real_now_ms()).abs() < 60_000);
        assert_eq!(Clock::real().today(), day_in_norway(Utc::now()));
    }

    #[test]
    fn now_is_read_as_a_date_or_as_an_instant_with_its_offset() {
        assert_eq!(
            "2027-01-04".parse::<DemoNow>(),
            Ok(DemoNow::Day(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()))
        );
        let instant = DemoNow::Instant(at("2027-06-14T21:45:00Z"));
        assert_eq!("2027-06-14T23:45:00+02:00".parse::<DemoNow>(), Ok(instant));
        assert_eq!("2027-06-14T21:45:00Z".parse::<DemoNow>(), Ok(instant));
        for bad in ["", "i morgen", "2027-02-30", "2027-06-14T23:45", "2027-06-14 23:45"] {
            assert!(bad.parse::<DemoNow>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_time_outside_the_calendar_is_shown_as_nothing() {
        assert_eq!(date_time_text(i64::MAX), "");
        assert_eq!(time_of_day_text(i64::MIN), "");
    }
}
