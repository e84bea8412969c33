//! E-mail through SMTP (`lettre`): `--smtp-url` such as `smtp://127.0.0.1:2525` (plain, for a
//! relay on the same host), `smtp://host:587?tls=required` (STARTTLS) or
//! `smtps://user:pass@host` (TLS), from `--mail-from`.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The host part of our Message-IDs.
    host: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `url`, sending from `from` ("Ranselpost <varsel@kommune.no>"). The error
    /// says what is wrong without repeating the URL (it may hold a password).
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp-url does not read: {}", kind_of(&e)))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from: Mailbox = from.parse().map_err(|_| "--mail-from is not an address".to_owned())?;
        let host = from.email.domain().to_owned();
        Ok(Mailer { transport, from, host })
    }

    /// Sends a plain-text e-mail. `id` becomes its Message-ID, the same for every try of the
    /// same notice, so that a mail system can tell a repeat.
    pub async fn send(&self, to: &str, subject: &str, body: &str, id: &str) -> Result<(), Failure> {
        let to: Mailbox =
            to.parse().map_err(|_| Failure::Permanent("the address does not read".to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{id}@{}>", self.host)))
            .header(lettre::message::header::MIME_VERSION_1_0)
            .header(AutoSubmitted)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| Failure::Permanent(format!("building an e-mail: {e}")))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            // lettre's errors may name the server, not the recipient; keep only the kind.
            let why = format!("sending an e-mail: {}", kind_of(&e));
            if refuses_the_address(&e) { Failure::Permanent(why) } else { Failure::Transient(why) }
        })
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no out-of-office answers to a notice.
#[derive(Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// Why an e-mail was not sent: for good (the server refuses the address), or for now.
#[derive(Debug)]
pub enum Failure {
    Permanent(String),
    Transient(String),
}

/// Whether the server refused this address for good (RFC 5321: 550 no such mailbox, 551 not
/// local, 553 not a valid name). Other permanent answers (530/535 authentication, 554 a relay
/// that will not take our mail) are our configuration, which operators mend: those notices
/// wait and are tried again.
fn refuses_the_address(e: &lettre::transport::smtp::Error) -> bool {
    e.is_permanent() && e.status().is_some_and(|code| matches!(u16::from(code), 550 | 551 | 553))
}

fn kind_of(e: &lettre::transport::smtp::Error) -> &'static str {
    if e.is_permanent() {
        "refused for good"
    } else if e.is_transient() {
        "refused for now"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_tls() {
        "TLS failed"
    } else {
        "could not reach the server"
    }
}
