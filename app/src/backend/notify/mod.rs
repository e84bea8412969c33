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
}

impl Senders {
    /// No channel at all (tests, tools).
    pub fn none() -> Senders {
        Senders {
            email: None,
            sms: None,
            vapid: None,
            push_hosts: push::PushHosts::parse(push::DEFAULT_PUSH_HOSTS),
            http: reqwest::Client::new(),
        }
    }
}
