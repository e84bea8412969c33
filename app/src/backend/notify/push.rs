//! Web push: RFC 8030 delivery, RFC 8291 message encryption (`web-push-native`) and RFC 8292
//! VAPID, signed here with the server's own P-256 key.
//!
//! The key pair is made at first start and kept in the database (`server_secret`), so every
//! process and every restart signs with the same key and browsers' subscriptions stay valid;
//! or it is read from a file (`--vapid-key-file`, the private key as 32 bytes base64url).
//!
//! A push service is where the browser's maker says it is; a subscription is accepted only for
//! the known push services (`--push-hosts`), so that a made-up endpoint cannot make the server
//! post to a host of the attacker's choosing, inside the network or out.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer;
use std::time::Duration;

/// The push services of today's browsers: Chrome/Edge/Samsung (FCM), Firefox (Mozilla),
/// Safari (Apple), Windows. Each entry is a host, `*.` for its subdomains, over https.
pub const DEFAULT_PUSH_HOSTS: &str =
    "fcm.googleapis.com,updates.push.services.mozilla.com,*.push.apple.com,*.notify.windows.com";

/// How long a push service keeps a notice for a phone that is off (RFC 8030 TTL): a day.
const TTL_SECS: u64 = 24 * 60 * 60;

/// The server's VAPID identity.
#[derive(Clone)]
pub struct Vapid {
    key: SigningKey,
    /// The public key, SEC1 uncompressed, base64url: what the browser subscribes with.
    public: String,
    /// Who runs this server, for the push service (RFC 8292 `sub`): a mailto: or https: URL.
    subject: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid").field("public", &self.public).finish_non_exhaustive()
    }
}

impl Vapid {
    /// The key from 32 private bytes.
    pub fn from_secret(secret: &[u8], subject: &str) -> Result<Vapid, String> {
        let key = SigningKey::from_slice(secret).map_err(|_| "not a P-256 private key")?;
        let public = URL_SAFE_NO_PAD.encode(key.verifying_key().to_sec1_point(false).as_bytes());
        Ok(Vapid { key, public, subject: subject.to_owned() })
    }

    /// The key kept in the database, made now if there is none.
    pub async fn from_database(
        db: &crate::backend::Database,
        subject: &str,
    ) -> Result<Vapid, String> {
        let secret = crate::backend::repo::secrets::get_or_make(db, "vapid")
            .await
            .map_err(|e| format!("reading the VAPID key: {e}"))?;
        Vapid::from_secret(&secret, subject)
    }

    /// The key in a file: its 32 private bytes, base64url.
    pub fn from_file(path: &std::path::Path, subject: &str) -> Result<Vapid, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading the VAPID key file {}: {e}", path.display()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| format!("the VAPID key file {} is not base64url", path.display()))?;
        Vapid::from_secret(&bytes, subject)
    }

    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// `Authorization: vapid t=<JWT>, k=<public key>` for a push service at `audience`
    /// (its origin), valid for 12 hours.
    pub fn authorization(&self, audience: &str, now_secs: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({
            "aud": audience,
            "exp": now_secs + 12 * 60 * 60,
            "sub": self.subject,
        });
        let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature: p256::ecdsa::Signature = self.key.sign(input.as_bytes());
        let jwt = format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()));
        format!("vapid t={jwt}, k={}", self.public)
    }
}

/// The push services a subscription may name.
#[derive(Debug, Clone)]
pub struct PushHosts(Vec<String>);

impl PushHosts {
    /// From a comma-separated list: `host`, `*.domain` (https), or `http://host:port` (a
    /// local push service, for tests).
    pub fn parse(list: &str) -> PushHosts {
        PushHosts(
            list.split(',')
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        )
    }

    /// Whether `endpoint` is at one of the push services, written as a push service writes it
    /// (the URL in its one canonical form: no spaces, escapes or fragments to make one address
    /// look like two).
    pub fn allows(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else { return false };
        if url.as_str() != endpoint || url.fragment().is_some() {
            return false;
        }
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else { return false };
        if !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        let origin = url.origin().ascii_serialization();
        self.0.iter().any(|entry| match url.scheme() {
            // A push service answers on the https port.
            "https" if url.port().is_some() => false,
            "https" => match entry.strip_prefix("*.") {
                Some(domain) => host.ends_with(&format!(".{domain}")),
                None => *entry == host,
            },
            "http" => *entry == origin,
            _ => false,
        })
    }
}

/// A browser's subscription as stored.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Whether the browser's keys read: a P-256 point and a 16-byte secret, base64url.
pub fn keys_valid(p256dh: &str, auth: &str) -> bool {
    parse_keys(p256dh, auth).is_some()
}

fn parse_keys(
    p256dh: &str,
    auth: &str,
) -> Option<(web_push_native::p256::PublicKey, web_push_native::Auth)> {
    let point = URL_SAFE_NO_PAD.decode(p256dh).ok()?;
    let secret = URL_SAFE_NO_PAD.decode(auth).ok()?;
    // RFC 8291: the browser's key is an uncompressed point.
    if point.len() != 65 || point[0] != 4 {
        return None;
    }
    let key = web_push_native::p256::PublicKey::from_sec1_bytes(&point).ok()?;
    (secret.len() == 16).then(|| (key, web_push_native::Auth::clone_from_slice(&secret)))
}

/// What the push service said.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// 404/410: the subscription is gone (the person unsubscribed, or the browser was reset).
    Gone,
    /// Anything else: try again later. The text has no address in it.
    Failed(String),
}

/// Encrypts `payload` to `sub` and posts it to its push service. `urgent` asks the service to
/// wake the phone (RFC 8030 `Urgency: high`); `topic` lets it replace an undelivered notice on
/// the same topic with this one.
pub async fn send(
    client: &reqwest::Client,
    vapid: &Vapid,
    sub: &Subscription,
    payload: &[u8],
    urgent: bool,
    topic: &str,
    now_secs: i64,
) -> Outcome {
    let Some((key, auth)) = parse_keys(&sub.p256dh, &sub.auth) else {
        return Outcome::Gone;
    };
    let Ok(uri) = sub.endpoint.parse() else { return Outcome::Gone };
    let request = match web_push_native::WebPushBuilder::new(uri, key, auth)
        .with_valid_duration(Duration::from_secs(TTL_SECS))
        .build(payload.to_vec())
    {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("encrypting a push message: {e}")),
    };
    let Ok(url) = reqwest::Url::parse(&sub.endpoint) else { return Outcome::Gone };
    let audience = url.origin().ascii_serialization();
    let (parts, body) = request.into_parts();
    let mut builder = client
        .post(url)
        .header("Authorization", vapid.authorization(&audience, now_secs))
        .header("Urgency", if urgent { "high" } else { "normal" })
        .header("Topic", topic_header(topic))
        .timeout(Duration::from_secs(15));
    for (name, value) in parts.headers.iter() {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    match builder.body(body).send().await {
        Ok(res) if res.status().is_success() => Outcome::Sent,
        Ok(res) if matches!(res.status().as_u16(), 404 | 410) => Outcome::Gone,
        Ok(res) => Outcome::Failed(format!("push service answered {}", res.status())),
        Err(e) => Outcome::Failed(format!("reaching the push service: {}", e.without_url())),
    }
}

/// RFC 8030 §5.4: a topic is at most 32 characters of the base64url alphabet. A hash, so that
/// nothing of the app's ids leaves it; also the notice's tag on the device.
pub fn topic_header(topic: &str) -> String {
    use sha2::Digest;
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(topic.as_bytes()))[..32].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_known_push_services_are_accepted_as_endpoints() {
        let hosts = PushHosts::parse(DEFAULT_PUSH_HOSTS);
        assert!(hosts.allows("https://fcm.googleapis.com/fcm/send/abc"));
        assert!(hosts.allows("https://web.push.apple.com/QGx"));
        assert!(hosts.allows("https://updates.push.services.mozilla.com/wpush/v2/x"));
        assert!(!hosts.allows("http://fcm.googleapis.com/fcm/send/abc"), "not over http");
        assert!(!hosts.allows("https://fcm.googleapis.com.evil.example/x"));
        assert!(!hosts.allows("https://push.apple.com.evil.example/x"));
        assert!(!hosts.allows("https://127.0.0.1:5432/"));
        assert!(!hosts.allows("https://user:pw@fcm.googleapis.com/x"));
        assert!(!hosts.allows("https://fcm.googleapis.com:22/x"), "another port");
        assert!(!hosts.allows(" https://fcm.googleapis.com/x"), "not as written");
        assert!(!hosts.allows("https://FCM.googleapis.com/x"), "not as written");
        assert!(!hosts.allows("https://fcm.googleapis.com/a/../x"), "not as written");
        assert!(!hosts.allows("https://fcm.googleapis.com/x#y"));
        let local = PushHosts::parse("http://127.0.0.1:4000");
        assert!(local.allows("http://127.0.0.1:4000/push/1"));
        assert!(!local.allows("http://127.0.0.1:4001/push/1"));
    }

    #[test]
    fn a_vapid_header_carries_a_jwt_the_public_key_verifies() {
        use p256::ecdsa::signature::Verifier;
        let vapid = Vapid::from_secret(&[7u8; 32], "mailto:drift@example.no").unwrap();
        let header = vapid.authorization("https://push.example", 1_700_000_000);
        let (t, k) = header.strip_prefix("vapid t=").unwrap().split_once(", k=").unwrap();
        assert_eq!(k, vapid.public_key());
        let (input, sig) = t.rsplit_once('.').unwrap();
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD.decode(input.split('.').nth(1).unwrap()).unwrap(),
        )
        .unwrap();
        assert_eq!(claims["aud"], "https://push.example");
        assert_eq!(claims["sub"], "mailto:drift@example.no");
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).unwrap())
            .unwrap();
        let sig =
            p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
        assert!(key.verify(input.as_bytes(), &sig).is_ok());
        assert_eq!(topic_header("thread:abc").len(), 32);
    }
}
