//! Whatever an identity provider (or someone posing as one) sends — a discovery document, a
//! token response, an ID token and its claims — reading it ends in a value or an error, never
//! a panic in the login.

use super::oidc::{Metadata, PidIdToken, PidTokenResponse};
use crate::backend::testing::arbitrary;
use crate::domain::{Acr, Pid};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::CoreJsonWebKey;
use openidconnect::{IdTokenVerifier, Nonce};
use proptest::prelude::*;

const KEYS: &[&str] = &[
    "iss",
    "aud",
    "exp",
    "iat",
    "sub",
    "nonce",
    "pid",
    "sid",
    "acr",
    "auth_time",
    "alg",
    "kid",
    "typ",
    "RS256",
    "ES256",
    "none",
    "idporten-loa-substantial",
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
    "code",
    "public",
    "access_token",
    "token_type",
    "id_token",
    "expires_in",
    "Bearer",
];

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// What the login reads from verified claims.
fn use_token(token: &PidIdToken) {
    let verifier = IdTokenVerifier::<CoreJsonWebKey>::new_insecure_without_verification();
    if let Ok(claims) = token.claims(&verifier, |_: Option<&Nonce>| Ok(())) {
        let _ = claims.auth_context_ref().map(|a| Acr::parse(a.as_str()));
        let _ = claims.additional_claims().pid.as_deref().map(Pid::parse);
        let _ = claims.subject().to_string();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_as_an_id_token_is_read_or_refused(text in any::<String>()) {
        if let Ok(token) = text.parse::<PidIdToken>() {
            use_token(&token);
        }
    }

    #[test]
    fn any_claims_in_an_id_token_are_checked_or_refused(
        header in arbitrary::json(KEYS),
        claims in arbitrary::json(KEYS),
        exp in any::<i64>(),
        iat in any::<f64>(),
        pid in any::<String>(),
    ) {
        // Once as generated, once with the fields a token needs so the claim checks run.
        let mut shaped = serde_json::json!({
            "iss": "https://idp", "aud": "rp", "sub": "s", "exp": exp, "iat": iat, "pid": pid,
            "acr": "idporten-loa-substantial",
        });
        if let (Some(extra), Some(fields)) = (claims.as_object(), shaped.as_object_mut()) {
            fields.extend(extra.clone());
        }
        for (header, claims) in [(&header, &claims), (&serde_json::json!({ "alg": "RS256" }), &shaped)] {
            let text = format!("{}.{}.{}", b64(header), b64(claims), URL_SAFE_NO_PAD.encode("sig"));
            if let Ok(token) = text.parse::<PidIdToken>() {
                use_token(&token);
            }
        }
    }

    #[test]
    fn any_discovery_document_is_read_or_refused(body in arbitrary::body(KEYS)) {
        let _ = serde_json::from_slice::<Metadata>(&body);
    }

    #[test]
    fn any_token_response_is_read_or_refused(body in arbitrary::body(KEYS)) {
        let _ = serde_json::from_slice::<PidTokenResponse>(&body);
    }
}
