//! When a unit reads messages ("staff hours"), e.g. weekdays 08:00–16:00, and when a guardian
//! writing outside them can expect an answer.

use serde::{Deserialize, Serialize};

/// Days `first_day..=last_day` (1 = Monday … 7 = Sunday), from `opens` to `closes` (minutes
/// after midnight, local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHours {
    pub first_day: u8,
    pub last_day: u8,
    pub opens: u16,
    pub closes: u16,
}

/// The next time messages are read: `days_ahead` from today (0 = later today), on `weekday`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextOpening {
    pub days_ahead: u8,
    pub weekday: u8,
    pub at: u16,
}

const DAY_NAMES: [[&str; 7]; 3] = [
    ["man", "tir", "ons", "tor", "fre", "lør", "søn"],
    ["mån", "tys", "ons", "tor", "fre", "lau", "sun"],
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
];

impl StaffHours {
    /// Reads "1-5 08:00-16:00", also as people type it: "man-fre 08-16", "mandag–fredag 8–16",
    /// "Mon-Fri 08:00-16:00".
    pub fn parse(input: &str) -> Option<StaffHours> {
        let normal = input.trim().to_lowercase().replace(['–', '—'], "-");
        let (days, times) = normal.split_once(char::is_whitespace)?;
        let (first, last) = match days.split_once('-') {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(days)?, day(days)?),
        };
        let (opens, closes) = times
            .trim()
            .replace(' ', "")
            .split_once('-')
            .and_then(|(a, b)| Some((minutes(a)?, minutes(b)?)))?;
        (first <= last && opens < closes).then_some(StaffHours {
            first_day: first,
            last_day: last,
            opens,
            closes,
        })
    }

    /// The stored form: "1-5 08:00-16:00".
    pub fn canonical(&self) -> String {
        format!("{}-{} {}-{}", self.first_day, self.last_day, clock(self.opens), clock(self.closes))
    }

    pub fn opens_text(&self) -> String {
        clock(self.opens)
    }

    pub fn closes_text(&self) -> String {
        clock(self.closes)
    }

    fn reads_on(&self, weekday: u8) -> bool {
        (self.first_day..=self.last_day).contains(&weekday)
    }

    /// Whether messages are read at `minute` of `weekday`.
    pub fn is_open(&self, weekday: u8, minute: u16) -> bool {
        self.reads_on(weekday) && minute >= self.opens && minute < self.closes
    }

    /// When messages are next read, if not now.
    pub fn next_opening(&self, weekday: u8, minute: u16) -> Option<NextOpening> {
        if self.is_open(weekday, minute) {
            return None;
        }
        if self.reads_on(weekday) && minute < self.opens {
            return Some(NextOpening { days_ahead: 0, weekday, at: self.opens });
        }
        (1..=7u8).find_map(|ahead| {
            let day = (weekday - 1 + ahead) % 7 + 1;
            self.reads_on(day).then_some(NextOpening {
                days_ahead: ahead,
                weekday: day,
                at: self.opens,
            })
        })
    }
}

/// "08:00" for 480.
pub fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn day(text: &str) -> Option<u8> {
    if let Ok(n) = text.parse::<u8>() {
        return (1..=7).contains(&n).then_some(n);
    }
    DAY_NAMES
        .iter()
        .find_map(|names| names.iter().position(|name| text.starts_with(name)).map(|i| i as u8 + 1))
}

fn minutes(text: &str) -> Option<u16> {
    let (h, m) = match text.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?),
        None => (text.parse::<u16>().ok()?, 0),
    };
    // `then`, not `then_some`: the sum is only computed once the hour is known to be small
    // ("2000-16" would overflow it).
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then(|| h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_as_people_type_them() {
        let expected = StaffHours { first_day: 1, last_day: 5, opens: 480, closes: 960 };
        for text in [
            "1-5 08:00-16:00",
            "man-fre 08-16",
            "mandag–fredag 8–16",
            "Mon-Fri 08.00-16.00",
            "mån-fre 08:00 - 16:00",
        ] {
            assert_eq!(StaffHours::parse(text), Some(expected), "{text}");
        }
        assert_eq!(expected.canonical(), "1-5 08:00-16:00");
        for bad in ["", "fre-man 08-16", "man-fre 16-08", "hver dag", "man-fre 25-26"] {
            assert_eq!(StaffHours::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn outside_the_hours_the_next_opening_is_found() {
        let hours = StaffHours::parse("man-fre 08-16").unwrap();
        assert_eq!(hours.next_opening(3, 600), None);
        assert_eq!(
            hours.next_opening(3, 7 * 60),
            Some(NextOpening { days_ahead: 0, weekday: 3, at: 480 })
        );
        assert_eq!(
            hours.next_opening(3, 17 * 60),
            Some(NextOpening { days_ahead: 1, weekday: 4, at: 480 })
        );
        // Friday evening: Monday morning.
        assert_eq!(hours.next_opening(5, 20 * 60).unwrap().days_ahead, 3);
        assert_eq!(hours.next_opening(6, 10 * 60).unwrap().weekday, 1);
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn hours_as_typed_are_read_or_refused_and_read_back_the_same(
            text in prop_oneof![
                any::<String>(),
                (
                    prop::sample::select(vec!["man", "fre", "mandag", "1", "5", "7", "mon", "tys", "søn", "x"]),
                    prop::sample::select(vec!["fre", "søndag", "5", "0", "8", "fri", "lau"]),
                    "[0-9]{1,5}([:.][0-9]{1,5})?[ –-]{1,3}[0-9]{1,5}([:.][0-9]{1,5})?",
                )
                    .prop_map(|(first, last, times)| format!("{first}-{last} {times}")),
            ]
        ) {
            if let Some(hours) = StaffHours::parse(&text) {
                prop_assert!(1 <= hours.first_day && hours.first_day <= hours.last_day && hours.last_day <= 7);
                prop_assert!(hours.opens < hours.closes && hours.closes <= 24 * 60);
                prop_assert_eq!(StaffHours::parse(&hours.canonical()), Some(hours));
            }
        }

        #[test]
        fn the_next_opening_is_a_real_time_within_a_week(
            first in 1u8..=7, span in 0u8..7, opens in 0u16..1440, length in 1u16..1440,
            weekday in 1u8..=7, minute in 0u16..1440,
        ) {
            let hours = StaffHours {
                first_day: first,
                last_day: (first + span).min(7),
                opens,
                closes: (opens + length).min(24 * 60),
            };
            prop_assume!(hours.opens < hours.closes);
            match hours.next_opening(weekday, minute) {
                None => prop_assert!(hours.is_open(weekday, minute)),
                Some(next) => {
                    prop_assert!(!hours.is_open(weekday, minute));
                    prop_assert!(next.days_ahead <= 7 && (1..=7).contains(&next.weekday));
                    prop_assert!(hours.is_open(next.weekday, next.at));
                }
            }
        }
    }
}
