//! Local stand-ins for the services notices go out through, speaking their wire formats so the
//! app's real clients run: an SMTP server, LINK Mobility's SMS REST API, and an RFC 8030 push
//! service. Each keeps what it received for the test to read.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// An e-mail as the SMTP server took it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    /// The whole message: headers and body.
    pub data: String,
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

/// A minimal SMTP server (RFC 5321: EHLO, MAIL, RCPT, DATA, QUIT) on a random port.
#[derive(Clone, Default)]
pub struct SmtpSink {
    pub mails: Arc<Mutex<Vec<Mail>>>,
    pub port: u16,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::answering_after(Duration::ZERO).await
    }

    /// A server that keeps each mail and then waits `delay` before saying it took it, as a
    /// busy relay does: a sender stopped in that moment has sent a mail it does not know of.
    pub async fn answering_after(delay: Duration) -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink { port: listener.local_addr().unwrap().port(), ..SmtpSink::default() };
        let mails = sink.mails.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let mails = mails.clone();
                tokio::spawn(async move {
                    let _ = session(socket, mails, delay).await;
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// The mails to `address` (waiting up to ten seconds for `count` of all to arrive).
    pub async fn wait_for(&self, count: usize) -> Vec<Mail> {
        for _ in 0..100 {
            if self.mails().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.mails()
    }

    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.mails().into_iter().filter(|m| m.to.iter().any(|t| t == address)).collect()
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    mails: Arc<Mutex<Vec<Mail>>>,
    delay: Duration,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 test ESMTP\r\n").await?;
    let mut to = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write.write_all(b"250-test\r\n250 8BITMIME\r\n").await?;
        } else if upper.starts_with("MAIL FROM") {
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO") {
            let address = line.split(['<', '>']).nth(1).unwrap_or_default().to_owned();
            to.push(address);
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go on\r\n").await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push('\n');
            }
            mails.lock().unwrap().push(Mail { to: to.clone(), data });
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            write.write_all(b"250 queued\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"250 OK\r\n").await?;
        }
    }
    Ok(())
}

/// An SMS as LINK Mobility's API took it.
#[derive(Debug, Clone)]
pub struct Sms {
    pub destination: String,
    pub text: String,
    pub ref_id: String,
}

/// LINK Mobility's `POST /sms/send`, with basic authentication as `user`/`secret` and
/// partner id `1234`.
#[derive(Clone, Default)]
pub struct SmsGatewayFake {
    pub sent: Arc<Mutex<Vec<Sms>>>,
    pub url: String,
}

impl SmsGatewayFake {
    pub async fn start() -> SmsGatewayFake {
        let sent: Arc<Mutex<Vec<Sms>>> = Arc::default();
        let router = Router::new().route("/sms/send", post(sms_send)).with_state(sent.clone());
        let url = serve(router).await;
        SmsGatewayFake { sent, url }
    }

    pub fn sent(&self) -> Vec<Sms> {
        self.sent.lock().unwrap().clone()
    }

    pub fn account() -> app::backend::notify::sms::SmsAccount {
        app::backend::notify::sms::SmsAccount {
            user: "user".into(),
            password: "secret".into(),
            sender: "Ranselpost".into(),
            platform_id: "COMMON_API".into(),
            partner_id: "1234".into(),
        }
    }
}

async fn sms_send(
    State(sent): State<Arc<Mutex<Vec<Sms>>>>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    use base64::Engine as _;
    let expected =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("user:secret"));
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return (StatusCode::UNAUTHORIZED, r#"{"resultCode":1101}"#.into());
    }
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let field = |name: &str| json[name].as_str().unwrap_or_default().to_owned();
    if field("platformId") != "COMMON_API" || field("platformPartnerId") != "1234" {
        return (StatusCode::BAD_REQUEST, r#"{"resultCode":1102}"#.into());
    }
    sent.lock().unwrap().push(Sms {
        destination: field("destination"),
        text: field("userData"),
        ref_id: field("refId"),
    });
    (StatusCode::OK, r#"{"messageId":"m1","resultCode":1005,"description":"Queued"}"#.into())
}

/// A push message as the push service took it.
#[derive(Debug, Clone)]
pub struct Pushed {
    pub subscription: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

#[derive(Clone, Default)]
struct PushState {
    received: Arc<Mutex<Vec<Pushed>>>,
    /// Subscriptions the service no longer knows: it answers 410.
    gone: Arc<Mutex<Vec<String>>>,
}

/// An RFC 8030 push service: `POST /push/{subscription}` answers 201, or 410 for one marked gone.
#[derive(Clone)]
pub struct PushService {
    state: PushState,
    pub origin: String,
}

impl PushService {
    pub async fn start() -> PushService {
        let state = PushState::default();
        let router =
            Router::new().route("/push/{id}", post(push_receive)).with_state(state.clone());
        PushService { state, origin: serve(router).await }
    }

    pub fn endpoint(&self, subscription: &str) -> String {
        format!("{}/push/{subscription}", self.origin)
    }

    pub fn received(&self) -> Vec<Pushed> {
        self.state.received.lock().unwrap().clone()
    }

    pub fn forget(&self, subscription: &str) {
        self.state.gone.lock().unwrap().push(subscription.to_owned());
    }
}

async fn push_receive(
    State(state): State<PushState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    if state.gone.lock().unwrap().contains(&id) {
        return StatusCode::GONE;
    }
    state.received.lock().unwrap().push(Pushed { subscription: id, headers, body: body.to_vec() });
    StatusCode::CREATED
}

/// Serves `router` on a random port; its origin.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move { axum::serve(listener, router).await });
    origin
}

/// Waits up to ten seconds for `done` to hold.
pub async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done()
}
