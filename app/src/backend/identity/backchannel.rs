//! OpenID Connect Back-Channel Logout 1.0: the provider's server posts a signed `logout_token`
//! when a person's session there ends, and we end the matching sessions here.
//!
//! The token is checked as the specification requires (§2.6): a signature by a key in the
//! issuer's JWKS with an asymmetric algorithm, our client id in `aud`, a recent `iat`, the
//! back-channel logout event, `sid` or `sub`, no `nonce`, and a `jti` not seen before.

use super::oidc::RelyingParty;
use super::providers::{self, ProviderRow};
use super::session;
use crate::backend::Database;
use crate::backend::repo::now;
use crate::backend::sql;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::JsonWebKey;
use openidconnect::core::CoreJwsSigningAlgorithm;
use serde::Deserialize;

const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// How old a logout token may be.
const MAX_AGE_SECS: i64 = 5 * 60;

/// Why a back-channel logout token was refused.
#[derive(Debug, thiserror::Error)]
pub enum LogoutTokenError {
    #[error("not a signed JWT")]
    Malformed,
    #[error("unknown issuer")]
    UnknownIssuer,
    #[error("signature algorithm not allowed")]
    Algorithm,
    #[error("bad signature")]
    Signature,
    #[error("claim check failed: {0}")]
    Claims(&'static str),
    #[error("token already used")]
    Replayed,
    #[error("provider metadata: {0}")]
    Metadata(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    #[serde(default)]
    aud: Audience,
    iat: Option<i64>,
    exp: Option<i64>,
    jti: Option<String>,
    sub: Option<String>,
    sid: Option<String>,
    nonce: Option<serde_json::Value>,
    events: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
    #[default]
    None,
}

impl Audience {
    fn contains(&self, client_id: &str) -> bool {
        match self {
            Audience::One(a) => a == client_id,
            Audience::Many(list) => list.iter().any(|a| a == client_id),
            Audience::None => false,
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, LogoutTokenError> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| LogoutTokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| LogoutTokenError::Malformed)
}

/// A logout token taken apart: its shape is right, nothing is verified yet.
struct Parsed {
    header: Header,
    claims: Claims,
    alg: CoreJwsSigningAlgorithm,
    /// What the signature covers: `header.payload` as sent.
    message: String,
    signature: Vec<u8>,
}

/// Takes a compact JWS apart, refusing anything that is not three base64url parts of JSON
/// signed with an asymmetric algorithm. The token comes from anyone who can reach the
/// endpoint, so any input ends here as a value or an error.
fn parse(token: &str) -> Result<Parsed, LogoutTokenError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(LogoutTokenError::Malformed);
    };
    let header: Header = decode(h)?;
    let claims: Claims = decode(p)?;
    // Only asymmetric signatures: `none` and HMAC (which a client secret could forge) are out.
    let alg: CoreJwsSigningAlgorithm =
        serde_json::from_value(serde_json::Value::String(header.alg.clone()))
            .map_err(|_| LogoutTokenError::Algorithm)?;
    if !matches!(
        alg,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256
            | CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384
            | CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512
            | CoreJwsSigningAlgorithm::RsaSsaPssSha256
            | CoreJwsSigningAlgorithm::EcdsaP256Sha256
            | CoreJwsSigningAlgorithm::EcdsaP384Sha384
    ) {
        return Err(LogoutTokenError::Algorithm);
    }
    let signature = URL_SAFE_NO_PAD.decode(sig).map_err(|_| LogoutTokenError::Malformed)?;
    Ok(Parsed { header, claims, alg, message: format!("{h}.{p}"), signature })
}

/// Verifies `token` and ends the sessions it names. Returns how many ended.
pub async fn handle(
    db: &Database,
    rp: &RelyingParty,
    token: &str,
) -> Result<u64, LogoutTokenError> {
    let Parsed { header, claims, alg, message, signature } = parse(token)?;
    let candidates = providers::by_issuer(db, &claims.iss).await?;
    let provider = candidates.first().ok_or(LogoutTokenError::UnknownIssuer)?;
    let metadata = rp
        .metadata(&provider.issuer)
        .await
        .map_err(|e| LogoutTokenError::Metadata(e.to_string()))?;
    let verified = metadata.jwks().keys().iter().any(|key| {
        let kid_matches = match (&header.kid, key.key_id()) {
            (Some(kid), Some(key_id)) => kid == key_id.as_str(),
            _ => true,
        };
        kid_matches && key.verify_signature(&alg, message.as_bytes(), &signature).is_ok()
    });
    if !verified {
        return Err(LogoutTokenError::Signature);
    }
    check_claims(&claims, now())?;
    // Every municipality using this provider with one of the token's audiences.
    let targets: Vec<&ProviderRow> =
        candidates.iter().filter(|p| claims.aud.contains(&p.client_id)).collect();
    if targets.is_empty() {
        return Err(LogoutTokenError::Claims("aud"));
    }
    if let Some(jti) = &claims.jti {
        let inserted = sql::run(
            &db.pool,
            "INSERT INTO logout_token_seen (jti, seen_at) VALUES ($1, $2) ON CONFLICT (jti) DO
                 NOTHING",
            (format!("{}#{jti}", claims.iss), now()),
        )
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(LogoutTokenError::Replayed);
        }
    }
    let mut ended = 0;
    for p in targets {
        ended += match (&claims.sid, &claims.sub) {
            (Some(sid), _) => session::delete_by_idp_sid(db, &p.id, sid).await?,
            (None, Some(sub)) => session::delete_by_idp_sub(db, &p.id, sub).await?,
            (None, None) => 0,
        };
    }
    Ok(ended)
}

fn check_claims(c: &Claims, now: i64) -> Result<(), LogoutTokenError> {
    let iat = c.iat.ok_or(LogoutTokenError::Claims("iat"))?;
    // Saturating: an `iat` near i64::MIN must not wrap around into "recent".
    if iat > now.saturating_add(60) || now.saturating_sub(iat) > MAX_AGE_SECS {
        return Err(LogoutTokenError::Claims("iat"));
    }
    if c.exp.is_some_and(|exp| exp < now) {
        return Err(LogoutTokenError::Claims("exp"));
    }
    if !c.events.as_ref().is_some_and(|e| e.get(EVENT).is_some_and(|v| v.is_object())) {
        return Err(LogoutTokenError::Claims("events"));
    }
    if c.sid.is_none() && c.sub.is_none() {
        return Err(LogoutTokenError::Claims("sid or sub"));
    }
    if c.nonce.is_some() {
        return Err(LogoutTokenError::Claims("nonce"));
    }
    if c.jti.is_none() {
        return Err(LogoutTokenError::Claims("jti"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: serde_json::Value) -> Claims {
        serde_json::from_value(json).unwrap()
    }

    fn valid(now: i64) -> serde_json::Value {
        serde_json::json!({
            "iss": "https://idp", "aud": "rp", "iat": now, "jti": "j1", "sid": "s1",
            "events": { EVENT: {} }
        })
    }

    #[test]
    fn a_well_formed_logout_token_passes_the_claim_checks() {
        assert!(check_claims(&claims(valid(1000)), 1000).is_ok());
    }

    #[test]
    fn a_logout_token_without_the_event_or_with_a_nonce_is_refused() {
        let mut no_event = valid(1000);
        no_event["events"] = serde_json::json!({});
        assert!(check_claims(&claims(no_event), 1000).is_err());
        let mut with_nonce = valid(1000);
        with_nonce["nonce"] = "n".into();
        assert!(check_claims(&claims(with_nonce), 1000).is_err());
    }

    #[test]
    fn an_old_logout_token_or_one_naming_no_session_is_refused() {
        assert!(check_claims(&claims(valid(1000)), 1000 + MAX_AGE_SECS + 1).is_err());
        let mut anonymous = valid(1000);
        anonymous.as_object_mut().unwrap().remove("sid");
        assert!(check_claims(&claims(anonymous), 1000).is_err());
    }

    #[test]
    fn the_audience_may_be_a_string_or_a_list() {
        assert!(claims(valid(1)).aud.contains("rp"));
        let mut many = valid(1);
        many["aud"] = serde_json::json!(["x", "rp"]);
        assert!(claims(many).aud.contains("rp"));
    }

    mod properties {
        use super::*;
        use crate::backend::testing::arbitrary;
        use proptest::prelude::*;

        const KEYS: &[&str] = &[
            "alg", "kid", "RS256", "ES256", "HS256", "none", "iss", "aud", "iat", "exp", "jti",
            "sub", "sid", "nonce", "events", EVENT,
        ];

        fn b64(bytes: &[u8]) -> String {
            URL_SAFE_NO_PAD.encode(bytes)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_text_posted_as_a_logout_token_is_taken_apart_or_refused(token in any::<String>()) {
                let _ = parse(&token);
            }

            #[test]
            fn any_three_parts_are_taken_apart_or_refused(
                header in arbitrary::body(KEYS),
                claims in arbitrary::body(KEYS),
                signature in prop::collection::vec(any::<u8>(), 0..64),
            ) {
                let token = format!("{}.{}.{}", b64(&header), b64(&claims), b64(&signature));
                if let Ok(parsed) = parse(&token) {
                    prop_assert_eq!(parsed.signature, signature);
                    let _ = check_claims(&parsed.claims, 1_800_000_000);
                }
            }

            #[test]
            fn any_json_claims_are_checked_without_panic(claims in arbitrary::json(KEYS), now in any::<i64>()) {
                let header = serde_json::json!({ "alg": "RS256" }).to_string();
                let token = format!("{}.{}.{}", b64(header.as_bytes()), b64(claims.to_string().as_bytes()), b64(b"sig"));
                if let Ok(parsed) = parse(&token) {
                    let _ = check_claims(&parsed.claims, now);
                }
            }

            #[test]
            fn a_token_is_recent_only_from_sixty_seconds_ahead_to_five_minutes_back(
                iat in any::<i64>(), now in any::<i64>(),
            ) {
                let mut json = valid(0);
                json["iat"] = iat.into();
                let age = i128::from(now) - i128::from(iat);
                let recent = (-60..=i128::from(MAX_AGE_SECS)).contains(&age);
                prop_assert_eq!(check_claims(&claims(json), now).is_ok(), recent, "iat {} now {}", iat, now);
            }
        }
    }
}
