//! Notifications outside the app: which events there are, the channels, what a person gets by
//! default, and when a notice may go (quiet hours, a daily digest). Pure rules; the outbox,
//! the worker and the senders are in `backend::notify`.

use serde::{Deserialize, Serialize};

/// What happened, as far as a notice tells it: never the content, only its kind and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A new message in a conversation the person reads.
    Message,
    /// A message from staff to a group or unit.
    GroupMessage,
    /// A group message staff marked urgent.
    Urgent,
    /// An absence report seen by the unit.
    AbsenceSeen,
    /// A leave application decided.
    LeaveDecided,
    /// An activity changed or cancelled.
    Activity,
    /// A new adult was given access to the person's child.
    AccessGranted,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Message,
        EventKind::GroupMessage,
        EventKind::Urgent,
        EventKind::AbsenceSeen,
        EventKind::LeaveDecided,
        EventKind::Activity,
        EventKind::AccessGranted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::GroupMessage => "group_message",
            EventKind::Urgent => "urgent",
            EventKind::AbsenceSeen => "absence_seen",
            EventKind::LeaveDecided => "leave_decided",
            EventKind::Activity => "activity",
            EventKind::AccessGranted => "access_granted",
        }
    }

    pub fn parse(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The name of the event on the settings page.
    pub fn key(self) -> &'static str {
        match self {
            EventKind::Message => "notify.event.message",
            EventKind::GroupMessage => "notify.event.group_message",
            EventKind::Urgent => "notify.event.urgent",
            EventKind::AbsenceSeen => "notify.event.absence_seen",
            EventKind::LeaveDecided => "notify.event.leave_decided",
            EventKind::Activity => "notify.event.activity",
            EventKind::AccessGranted => "notify.event.access_granted",
        }
    }

    /// A notice's title, with the unit's name as `{unit}`: "Ny melding fra Fjordvik skole".
    pub fn title_key(self) -> &'static str {
        match self {
            EventKind::Message => "notify.title.message",
            EventKind::GroupMessage => "notify.title.group_message",
            EventKind::Urgent => "notify.title.urgent",
            EventKind::AbsenceSeen => "notify.title.absence_seen",
            EventKind::LeaveDecided => "notify.title.leave_decided",
            EventKind::Activity => "notify.title.activity",
            EventKind::AccessGranted => "notify.title.access_granted",
        }
    }

    /// Comes at once, whatever the quiet hours or the digest, and cannot be switched off:
    /// a person always hears of it on some channel.
    pub fn always(self) -> bool {
        matches!(self, EventKind::Urgent | EventKind::AccessGranted)
    }
}

/// Where a notice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    Push,
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Push, Channel::Email, Channel::Sms];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Push => "push",
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn key(self) -> &'static str {
        match self {
            Channel::Push => "notify.channel.push",
            Channel::Email => "notify.channel.email",
            Channel::Sms => "notify.channel.sms",
        }
    }
}

/// Quiet hours when a person has chosen none: 21:00–07:00.
pub const DEFAULT_QUIET: (u16, u16) = (21 * 60, 7 * 60);

/// A person's choices, as stored: `None` where they kept the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefs {
    /// (event, channel, wanted) the person set.
    pub choices: Vec<(EventKind, Channel, bool)>,
    /// Quiet hours as minutes after midnight (from, to); `None`: the default. from == to: none.
    pub quiet: Option<(u16, u16)>,
    /// One digest a day at this minute instead of a notice per event.
    pub digest_at: Option<u16>,
}

/// The channels a person can be reached on now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// The person has at least one push subscription.
    pub push: bool,
    /// KRR gives a usable e-mail address, and e-mail is configured.
    pub email: bool,
    /// KRR gives a usable mobile number, and SMS is configured.
    pub sms: bool,
}

impl Reach {
    fn has(self, channel: Channel) -> bool {
        match channel {
            Channel::Push => self.push,
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        }
    }
}

/// Whether `channel` is on for `event` when the person has not chosen: push where the person
/// turned it on; e-mail when they have no push; SMS (it costs the municipality, and wakes
/// people) only for urgent messages.
pub fn default_wanted(event: EventKind, channel: Channel, has_push: bool) -> bool {
    match channel {
        Channel::Push => true,
        Channel::Email => !has_push,
        Channel::Sms => event == EventKind::Urgent,
    }
}

impl Prefs {
    /// Whether the person wants `event` on `channel` (their choice, else the default).
    pub fn wants(&self, event: EventKind, channel: Channel, has_push: bool) -> bool {
        self.choices
            .iter()
            .find(|(e, c, _)| *e == event && *c == channel)
            .map(|(_, _, wanted)| *wanted)
            .unwrap_or_else(|| default_wanted(event, channel, has_push))
    }

    pub fn quiet_hours(&self) -> (u16, u16) {
        self.quiet.unwrap_or(DEFAULT_QUIET)
    }

    /// The channels `event` goes to. An event that always comes ([`EventKind::always`]) goes
    /// on the first channel that reaches the person (push, e-mail, SMS) when none they want
    /// does: the fallback for a person with no usable e-mail and no push.
    pub fn channels(&self, event: EventKind, reach: Reach) -> Vec<Channel> {
        let chosen: Vec<Channel> = Channel::ALL
            .into_iter()
            .filter(|c| reach.has(*c) && self.wants(event, *c, reach.push))
            .collect();
        if chosen.is_empty() && event.always() {
            return Channel::ALL.into_iter().find(|c| reach.has(*c)).into_iter().collect();
        }
        chosen
    }
}

/// Until when a notice for `event` is held, given that it is `minute` now (minutes after
/// midnight in Norway): `None` to send at once (what always comes, and outside quiet hours);
/// else the time of day it goes at, and whether that is the digest.
pub fn held_until(event: EventKind, prefs: &Prefs, minute: u16) -> Option<(u16, bool)> {
    if event.always() {
        return None;
    }
    if let Some(at) = prefs.digest_at {
        return Some((at, true));
    }
    let (from, to) = prefs.quiet_hours();
    in_span(minute, from, to).then_some((to, false))
}

/// Whether `minute` is within [from, to), a span that may cross midnight.
pub fn in_span(minute: u16, from: u16, to: u16) -> bool {
    match from.cmp(&to) {
        std::cmp::Ordering::Equal => false,
        std::cmp::Ordering::Less => minute >= from && minute < to,
        std::cmp::Ordering::Greater => minute >= from || minute < to,
    }
}

/// "HH:MM" as minutes after midnight.
pub fn parse_minute(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && text.trim().len() <= 5).then_some(h * 60 + m)
}

/// Minutes after midnight as "HH:MM".
pub fn minute_text(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The settings form as the page posts it: `on` has "event-channel" for every box ticked
/// (`form[on][message-push]`: each box its own name); times as "HH:MM"; `digest` "1" for one
/// notice a day at `digest_at`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefsForm {
    #[serde(default)]
    pub on: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub quiet_from: String,
    #[serde(default)]
    pub quiet_to: String,
    #[serde(default)]
    pub digest: String,
    #[serde(default)]
    pub digest_at: String,
}

impl PrefsForm {
    /// The choices as the person set them, or the i18n key of what is wrong.
    pub fn parse(&self) -> Result<Prefs, &'static str> {
        let mut choices = Vec::new();
        for event in EventKind::ALL {
            for channel in Channel::ALL {
                let value = self.on.get(&box_name(event, channel)).map(String::as_str);
                choices.push((event, channel, crate::domain::input::ticked(value)));
            }
        }
        let quiet = match (self.quiet_from.trim(), self.quiet_to.trim()) {
            ("", "") => Some((0, 0)),
            (from, to) => Some((
                parse_minute(from).ok_or("notify.error.time")?,
                parse_minute(to).ok_or("notify.error.time")?,
            )),
        };
        let digest_at = if self.digest == "1" {
            Some(parse_minute(&self.digest_at).ok_or("notify.error.time")?)
        } else {
            None
        };
        Ok(Prefs { choices, quiet, digest_at })
    }
}

/// The name of a settings box in `PrefsForm::on`.
pub fn box_name(event: EventKind, channel: Channel) -> String {
    format!("{}-{}", event.code(), channel.code())
}

/// A person's notification settings as the settings page shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifySettings {
    /// Per event: (event code, the i18n key of its name, per channel (code, on), can be off).
    pub rows: Vec<SettingsRow>,
    pub quiet_from: String,
    pub quiet_to: String,
    pub digest: bool,
    pub digest_at: String,
    /// What reaches the person, to say on the page ("e-post til k…@example.no").
    pub email: Option<String>,
    pub sms: Option<String>,
    /// KRR says the person is reserved or cannot be notified.
    pub reserved: bool,
    pub email_configured: bool,
    pub sms_configured: bool,
    /// The browsers that get push: (id, name, added as text).
    pub devices: Vec<PushDevice>,
    /// Whether this browser is among them.
    pub push_here: bool,
    /// The VAPID public key (base64url) for `pushManager.subscribe`.
    pub push_key: String,
    /// A staff member: told on their devices only (staff have no KRR details here).
    pub staff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsRow {
    pub event: String,
    pub key: String,
    pub channels: Vec<(String, bool)>,
    pub always: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDevice {
    pub id: String,
    pub name: String,
    pub added: String,
}

/// How far the notices of one event went, for its sender and the unit's leader ("varslet 22
/// av 24 på e-post/push"): people, not messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notified {
    /// Told on at least one channel.
    pub people: i64,
    /// Everyone the event was for.
    pub of: i64,
    pub push: i64,
    pub email: i64,
    pub sms: i64,
    /// Still to be told (quiet hours, a digest, a retry).
    pub waiting: i64,
}

/// An e-mail address shown to its owner with most of it hidden: "k…@example.no".
pub fn masked_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            format!("{}…@{domain}", local.chars().next().map(String::from).unwrap_or_default())
        }
        None => "…".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOBODY: Reach = Reach { push: false, email: false, sms: false };

    #[test]
    fn by_default_push_goes_where_it_is_on_and_email_otherwise() {
        let prefs = Prefs::default();
        let both = Reach { push: true, email: true, sms: true };
        assert_eq!(prefs.channels(EventKind::Message, both), vec![Channel::Push]);
        let no_push = Reach { push: false, ..both };
        assert_eq!(prefs.channels(EventKind::Message, no_push), vec![Channel::Email]);
    }

    #[test]
    fn sms_is_for_urgent_messages_and_the_fallback_of_what_always_comes() {
        let prefs = Prefs::default();
        let mobile_only = Reach { sms: true, ..NOBODY };
        assert!(prefs.channels(EventKind::GroupMessage, mobile_only).is_empty());
        assert_eq!(prefs.channels(EventKind::Urgent, mobile_only), vec![Channel::Sms]);
        assert_eq!(prefs.channels(EventKind::AccessGranted, mobile_only), vec![Channel::Sms]);
        let email_and_mobile = Reach { email: true, sms: true, push: false };
        assert_eq!(
            prefs.channels(EventKind::Urgent, email_and_mobile),
            vec![Channel::Email, Channel::Sms]
        );
    }

    #[test]
    fn a_person_who_switches_everything_off_still_hears_of_a_new_adult() {
        let form = PrefsForm::default();
        let prefs = form.parse().unwrap();
        let reach = Reach { push: true, email: true, sms: true };
        assert!(prefs.channels(EventKind::Message, reach).is_empty());
        assert_eq!(prefs.channels(EventKind::AccessGranted, reach), vec![Channel::Push]);
    }

    #[test]
    fn quiet_hours_hold_a_notice_until_they_end_but_not_an_urgent_one() {
        let prefs = Prefs::default();
        assert_eq!(held_until(EventKind::Message, &prefs, 22 * 60), Some((7 * 60, false)));
        assert_eq!(held_until(EventKind::Message, &prefs, 6 * 60 + 30), Some((7 * 60, false)));
        assert_eq!(held_until(EventKind::Message, &prefs, 12 * 60), None);
        assert_eq!(held_until(EventKind::Urgent, &prefs, 23 * 60), None);
        let none = Prefs { quiet: Some((0, 0)), ..Prefs::default() };
        assert_eq!(held_until(EventKind::Message, &none, 23 * 60), None);
    }

    #[test]
    fn a_digest_waits_for_its_time_of_day() {
        let prefs = Prefs { digest_at: Some(18 * 60), ..Prefs::default() };
        assert_eq!(held_until(EventKind::Activity, &prefs, 9 * 60), Some((18 * 60, true)));
        assert_eq!(held_until(EventKind::Activity, &prefs, 19 * 60), Some((18 * 60, true)));
        assert_eq!(held_until(EventKind::AccessGranted, &prefs, 9 * 60), None);
    }

    #[test]
    fn the_settings_form_is_read_with_its_times() {
        let form = PrefsForm {
            on: ["message-email", "urgent-sms", "nonsense", "group_message-push"]
                .into_iter()
                .map(|k| (k.to_owned(), "1".to_owned()))
                .collect(),
            quiet_from: "18:00".into(),
            quiet_to: "07:30".into(),
            digest: "1".into(),
            digest_at: "19:15".into(),
        };
        let prefs = form.parse().unwrap();
        assert!(prefs.wants(EventKind::Message, Channel::Email, true));
        assert!(!prefs.wants(EventKind::Message, Channel::Push, true));
        assert!(prefs.wants(EventKind::GroupMessage, Channel::Push, true));
        assert_eq!(prefs.quiet, Some((18 * 60, 7 * 60 + 30)));
        assert_eq!(prefs.digest_at, Some(19 * 60 + 15));
        let bad = PrefsForm { quiet_from: "25:00".into(), quiet_to: "7".into(), ..form };
        assert_eq!(bad.parse(), Err("notify.error.time"));
    }

    #[test]
    fn an_address_is_shown_to_its_owner_mostly_hidden() {
        assert_eq!(masked_email("kari.nordmann@example.no"), "k…@example.no");
        assert_eq!(parse_minute("7:05"), Some(425));
        assert_eq!(minute_text(425), "07:05");
    }
}
