//! Which contact details may be used for a notice, by the rules of Kontakt- og
//! reservasjonsregisteret (KRR): a reserved person gets no digital notice, nor does one KRR marks
//! `KAN_IKKE_VARSLES`, and a detail neither updated nor verified in the last 18 months is not
//! used (Digitaliseringsforskriften § 29).

use serde::{Deserialize, Serialize};

/// A person's contact details as KRR gave them. Dates are YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    pub email: Option<String>,
    pub email_updated: Option<String>,
    pub email_verified: Option<String>,
    pub mobile: Option<String>,
    pub mobile_updated: Option<String>,
    pub mobile_verified: Option<String>,
    /// Reserved against digital communication from the public sector.
    pub reserved: bool,
    /// KRR's `varslingsstatus` is `KAN_VARSLES`.
    pub can_notify: bool,
    /// KRR's `spraak` ("nb", "nn", "en", …): the language of notices.
    pub language: Option<String>,
}

/// Where a notice may go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeChannels {
    pub email: Option<String>,
    pub sms: Option<String>,
}

/// The date 18 months before `today` (YYYY-MM-DD), clamping the day to the month's end.
fn eighteen_months_before(today: &str) -> Option<String> {
    let (y, rest) = today.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    let (y, m, d): (i32, i32, u32) = (y.parse().ok()?, m.parse().ok()?, d.get(..2)?.parse().ok()?);
    let months = y * 12 + (m - 1) - 18;
    let (y2, m2) = (months / 12, months % 12 + 1);
    let last = match m2 {
        2 if (y2 % 4 == 0 && y2 % 100 != 0) || y2 % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(format!("{y2:04}-{m2:02}-{:02}", d.min(last)))
}

fn fresh(updated: Option<&str>, verified: Option<&str>, cutoff: &str) -> bool {
    [updated, verified]
        .into_iter()
        .flatten()
        .any(|date| date.get(..10).is_some_and(|d| d >= cutoff))
}

impl ContactDetails {
    /// The channels a notice may use on `today`.
    pub fn notice_channels(&self, today: &str) -> NoticeChannels {
        if self.reserved || !self.can_notify {
            return NoticeChannels::default();
        }
        let Some(cutoff) = eighteen_months_before(today) else {
            return NoticeChannels::default();
        };
        NoticeChannels {
            email: self.email.clone().filter(|_| {
                fresh(self.email_updated.as_deref(), self.email_verified.as_deref(), &cutoff)
            }),
            sms: self.mobile.clone().filter(|_| {
                fresh(self.mobile_updated.as_deref(), self.mobile_verified.as_deref(), &cutoff)
            }),
        }
    }
}

/// A phone number as Norwegians write it: a Norwegian mobile "400 00 001" (three, two, three),
/// a landline "22 33 44 55" (pairs), without the country code; a foreign number as it came.
pub fn phone_display(number: &str) -> String {
    let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    let national = digits.strip_prefix("+47").or_else(|| digits.strip_prefix("0047"));
    let Some(n) = national.filter(|n| n.len() == 8 && n.bytes().all(|b| b.is_ascii_digit())) else {
        return number.to_owned();
    };
    if n.starts_with('4') || n.starts_with('9') {
        format!("{} {} {}", &n[..3], &n[3..5], &n[5..])
    } else {
        format!("{} {} {} {}", &n[..2], &n[2..4], &n[4..6], &n[6..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_written_the_norwegian_way() {
        assert_eq!(phone_display("+4740000001"), "400 00 001");
        assert_eq!(phone_display("+47 99999999"), "999 99 999");
        assert_eq!(phone_display("004722334455"), "22 33 44 55");
        assert_eq!(phone_display("+46701234567"), "+46701234567", "a foreign number as it came");
    }

    fn kari() -> ContactDetails {
        ContactDetails {
            email: Some("kari@example.no".into()),
            email_updated: Some("2026-01-10".into()),
            email_verified: None,
            mobile: Some("+4799999999".into()),
            mobile_updated: Some("2020-01-01".into()),
            mobile_verified: Some("2025-06-01".into()),
            reserved: false,
            can_notify: true,
            language: None,
        }
    }

    #[test]
    fn fresh_details_of_a_person_who_can_be_notified_are_used() {
        let channels = kari().notice_channels("2026-11-27");
        assert_eq!(channels.email.as_deref(), Some("kari@example.no"));
        assert_eq!(channels.sms.as_deref(), Some("+4799999999"), "verified within 18 months");
    }

    #[test]
    fn a_detail_neither_updated_nor_verified_for_18_months_is_not_used() {
        let mut old = kari();
        old.mobile_verified = Some("2025-05-26".into());
        let channels = old.notice_channels("2026-11-27");
        assert_eq!(channels.sms, None);
        assert!(channels.email.is_some());
        assert_eq!(eighteen_months_before("2026-11-27").as_deref(), Some("2025-05-27"));
        assert_eq!(eighteen_months_before("2026-08-31").as_deref(), Some("2025-02-28"));
    }

    #[test]
    fn a_reserved_person_or_one_that_cannot_be_notified_gets_no_digital_notice() {
        let reserved = ContactDetails { reserved: true, ..kari() };
        assert_eq!(reserved.notice_channels("2026-11-27"), NoticeChannels::default());
        let cannot = ContactDetails { can_notify: false, ..kari() };
        assert_eq!(cannot.notice_channels("2026-11-27"), NoticeChannels::default());
    }
}
