//! Notifications outside the app: web push, e-mail and SMS.
//!
//! A change that people should hear of writes an event into the outbox in its own transaction
//! (`outbox`), with who may be told decided there, once. The worker in every `serve` process
//! (`worker`) plans each event's deliveries by the person's settings (`prefs`, the rules in
//! `domain::notify`) and KRR's rules (`domain::contact`), claims what is due and sends it
//! (`push`, `email`, `sms`). What is sent names the kind of event and the unit, never content
//! (`texts`).

pub mod email;
pub mod outbox;
pub mod plan;
pub mod prefs;
pub mod push;
pub mod settings;
pub mod sms;
pub mod texts;
pub mod worker;

/// The configured ways out. A channel without configuration is `None`: nothing is planned for
/// it, and the server says so at start.
#[derive(Debug, Clone)]
pub struct Senders {
    pub email: Option<email::Mailer>,
    pub sms: Option<sms::SmsGateway>,
    pub vapid: Option<push::Vapid>,
    /// The push services a browser's subscription may name.
    pub push_hosts: push::PushHosts,
    pub http: reqwest::Client,
    /// How long a worker holds the notices it claimed before another process may send them:
    /// far longer than one send takes, and the time a process killed mid-send delays them.
    pub lease: std::time::Duration,
}

/// The default [`Senders::lease`]: five minutes.
pub const LEASE: std::time::Duration = std::time::Duration::from_secs(5 * 60);

impl Senders {
    /// No channel at all (tests, tools).
    pub fn none() -> Senders {
        Senders {
            email: None,
            sms: None,
            vapid: None,
            push_hosts: push::PushHosts::parse(push::DEFAULT_PUSH_HOSTS),
            http: reqwest::Client::new(),
            lease: LEASE,
        }
    }
}
