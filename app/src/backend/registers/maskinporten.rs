//! Maskinporten access tokens: the JWT bearer grant (RFC 7523) with a client assertion signed
//! by the municipality's key; a token is reused until shortly before it expires.

use super::RegisterError;
use crate::backend::jwt::sign_rs256;
use crate::backend::repo::now;
use serde::Deserialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where and as whom to ask for tokens. Holds a private key: never logged.
#[derive(Clone)]
pub struct MaskinportenConfig {
    /// Maskinporten's issuer, the assertion's audience (e.g. https://maskinporten.no/).
    pub issuer: String,
    pub token_endpoint: String,
    pub client_id: String,
    pub key_id: Option<String>,
    pub private_key_pem: String,
}

impl std::fmt::Debug for MaskinportenConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskinportenConfig").field("client_id", &self.client_id).finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

/// A token source for one scope.
pub struct Maskinporten {
    config: MaskinportenConfig,
    scope: String,
    http: reqwest::Client,
    cached: Mutex<Option<(String, Instant)>>,
}

impl Maskinporten {
    pub fn new(config: MaskinportenConfig, scope: &str, http: reqwest::Client) -> Self {
        Maskinporten { config, scope: scope.to_owned(), http, cached: Mutex::new(None) }
    }

    /// A valid access token, from the cache or freshly granted.
    pub async fn token(&self) -> Result<String, RegisterError> {
        if let Some((token, until)) = self.cached.lock().expect("token cache").clone()
            && Instant::now() < until
        {
            return Ok(token);
        }
        let iat = now();
        let claims = serde_json::json!({
            "aud": self.config.issuer,
            "iss": self.config.client_id,
            "scope": self.scope,
            "iat": iat,
            "exp": iat + 120,
            "jti": uuid::Uuid::new_v4().to_string(),
        });
        let assertion =
            sign_rs256(&claims, &self.config.private_key_pem, self.config.key_id.as_deref())
                .map_err(RegisterError::Token)?;
        let res = self
            .http
            .post(&self.config.token_endpoint)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", &assertion),
            ])
            .send()
            .await
            .map_err(|e| RegisterError::Token(e.to_string()))?;
        if !res.status().is_success() {
            return Err(RegisterError::Token(format!("status {}", res.status())));
        }
        let body: TokenResponse =
            res.json().await.map_err(|e| RegisterError::Token(e.to_string()))?;
        // Renew half a minute early, so a token never expires in flight.
        let lifetime = Duration::from_secs(body.expires_in.saturating_sub(30));
        *self.cached.lock().expect("token cache") =
            Some((body.access_token.clone(), Instant::now() + lifetime));
        Ok(body.access_token)
    }
}
