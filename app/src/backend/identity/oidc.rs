//! The OpenID Connect relying party: authorization code flow with PKCE (S256), `state` and
//! `nonce` per attempt, `acr_values` and `ui_locales`, and a callback that checks everything a
//! login to children's data must: the RFC 9207 `iss` parameter, the ID token's issuer, audience,
//! signature (against the provider's JWKS), expiry, nonce, and the level of assurance.
//!
//! The very same code talks to ID-porten, Feide, a municipality's IdP, the demo's built-in test
//! provider and the independent provider in the tests.

use super::providers::{ClientAuth, ProviderRow};
use super::session::{hash_token, random_token};
use crate::backend::Database;
use crate::backend::repo::{now, row_struct};
use crate::backend::sql;
use crate::domain::{Acr, Audience};
use crate::i18n::Locale;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClaimName, CoreClaimType,
    CoreClientAuthMethod, CoreErrorResponseType, CoreGenderClaim, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseMode, CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreSubjectIdentifierType, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AdditionalProviderMetadata, AuthType, AuthorizationCode, Client, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata,
    RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The claims beyond the standard ones: ID-porten's `pid` and the provider session `sid`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PidClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}
impl AdditionalClaims for PidClaims {}

/// Discovery fields the core metadata lacks: logout endpoints and RFC 9207.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontchannel_logout_supported: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_supported: Option<bool>,
}
impl AdditionalProviderMetadata for ExtraMetadata {}

pub type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

pub type PidIdTokenFields = IdTokenFields<
    PidClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
pub type PidTokenResponse = StandardTokenResponse<PidIdTokenFields, CoreTokenType>;
pub type PidIdToken = openidconnect::IdToken<
    PidClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type PidClient = Client<
    PidClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    PidTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Discovered metadata by issuer, with when it was fetched.
type MetadataCache = Arc<Mutex<HashMap<String, (Instant, Arc<Metadata>)>>>;

/// How long a login may take between leaving for the provider and coming back.
const ATTEMPT_TTL_SECS: i64 = 10 * 60;
/// How long discovered metadata and keys are trusted before they are fetched again.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);

/// The relying party: an HTTP client that follows no redirects, and a cache of provider
/// metadata. One per process; cheap to clone.
#[derive(Clone)]
pub struct RelyingParty {
    http: reqwest::Client,
    /// Where providers send the browser back to: `<public url>/auth/callback`.
    pub redirect_uri: String,
    /// Where a provider sends the browser after logout: the front page.
    pub post_logout_redirect_uri: String,
    cache: MetadataCache,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty").field("redirect_uri", &self.redirect_uri).finish()
    }
}

/// Why a login did not succeed. The variant decides the message the person sees; the detail
/// goes to the log (it never holds a token, code or pid).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the provider reported an error: {0}")]
    Provider(String),
    #[error("the callback has no state")]
    MissingState,
    #[error("the state is unknown or already used")]
    UnknownState,
    #[error("the login took too long")]
    Expired,
    #[error("the login was started in another browser")]
    BrowserMismatch,
    #[error("the callback has no code")]
    MissingCode,
    #[error("the iss parameter does not name the provider")]
    IssuerMismatch,
    #[error("the provider could not be discovered: {0}")]
    Discovery(String),
    #[error("the provider configuration is unusable: {0}")]
    Config(String),
    #[error("the code could not be exchanged: {0}")]
    TokenExchange(String),
    #[error("the token response has no ID token")]
    MissingIdToken,
    #[error("the ID token is not valid: {0}")]
    IdToken(String),
    #[error("the level of assurance is below substantial")]
    AcrTooLow,
    #[error("the ID token has no valid pid")]
    MissingPid,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

impl LoginError {
    /// A short code for the error page's query string; the page explains it in plain words.
    pub fn reason(&self) -> &'static str {
        match self {
            LoginError::Provider(_) => "provider",
            LoginError::MissingState | LoginError::UnknownState | LoginError::BrowserMismatch => {
                "state"
            }
            LoginError::Expired => "expired",
            LoginError::AcrTooLow => "level",
            LoginError::Discovery(_) | LoginError::Config(_) | LoginError::Database(_) => {
                "unavailable"
            }
            LoginError::MissingCode
            | LoginError::IssuerMismatch
            | LoginError::TokenExchange(_)
            | LoginError::MissingIdToken
            | LoginError::IdToken(_)
            | LoginError::MissingPid => "invalid",
        }
    }
}

/// The browser's way to the provider.
pub struct LoginStart {
    pub authorize_url: String,
    /// Goes into a short-lived cookie that binds the attempt to this browser.
    pub browser_token: String,
}

/// What the provider said about the person, all of it checked.
#[derive(Debug, Clone)]
pub struct VerifiedLogin {
    pub provider_id: String,
    pub municipality_id: String,
    pub audience: Audience,
    pub issuer: String,
    pub subject: String,
    pub pid: Option<String>,
    pub sid: Option<String>,
    pub id_token: String,
    /// When the person last authenticated at the provider (`auth_time`, Unix seconds), never
    /// later than now; `None` when the provider did not say.
    pub auth_time: Option<i64>,
}

/// The callback's query parameters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
}

row_struct! {
    /// A login under way, as stored until its callback takes it (once).
    pub struct AttemptRow {
        pub browser_hash: String,
        pub provider_id: String,
        pub nonce: String,
        pub pkce_verifier: String,
        pub created_at: i64,
    }
}

impl RelyingParty {
    pub fn new(public_url: &str) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            // A provider redirecting its token or JWKS endpoint is not followed (SSRF and
            // downgrade protection); OIDC never needs it.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let base = public_url.trim_end_matches('/');
        Ok(RelyingParty {
            http,
            redirect_uri: format!("{base}/auth/callback"),
            post_logout_redirect_uri: format!("{base}/"),
            cache: Arc::default(),
        })
    }

    /// The provider's metadata and keys, from the cache or freshly discovered.
    pub async fn metadata(&self, issuer: &str) -> Result<Arc<Metadata>, LoginError> {
        if let Some((at, m)) = self.cache.lock().expect("cache lock").get(issuer)
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let issuer_url =
            IssuerUrl::new(issuer.to_owned()).map_err(|e| LoginError::Config(e.to_string()))?;
        let metadata = Metadata::discover_async(issuer_url, &self.http)
            .await
            .map_err(|e| LoginError::Discovery(error_chain(&e)))?;
        let metadata = Arc::new(metadata);
        self.cache
            .lock()
            .expect("cache lock")
            .insert(issuer.to_owned(), (Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(&self, provider: &ProviderRow, metadata: &Metadata) -> Result<PidClient, LoginError> {
        let auth = ClientAuth::parse(&provider.client_auth)
            .ok_or_else(|| LoginError::Config(format!("client_auth {}", provider.client_auth)))?;
        let secret = match auth {
            ClientAuth::PrivateKeyJwt => None,
            _ => Some(ClientSecret::new(
                provider
                    .client_secret
                    .clone()
                    .ok_or_else(|| LoginError::Config("no client secret".into()))?,
            )),
        };
        let redirect = RedirectUrl::new(self.redirect_uri.clone())
            .map_err(|e| LoginError::Config(e.to_string()))?;
        Ok(PidClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(provider.client_id.clone()),
            secret,
        )
        .set_redirect_uri(redirect)
        .set_auth_type(match auth {
            ClientAuth::ClientSecretBasic => AuthType::BasicAuth,
            ClientAuth::ClientSecretPost | ClientAuth::PrivateKeyJwt => AuthType::RequestBody,
        }))
    }

    /// Starts a login at `provider`: records the attempt and returns where to send the browser.
    /// With `reauthenticate`, the provider is asked to make the person prove who they are again
    /// (`prompt=login`, and `max_age` as a fallback for providers that ignore the prompt): a
    /// login answered from the provider's single sign-on session does not count as a fresh one.
    pub async fn begin(
        &self,
        db: &Database,
        provider: &ProviderRow,
        locale: Locale,
        reauthenticate: bool,
    ) -> Result<LoginStart, LoginError> {
        let metadata = self.metadata(&provider.issuer).await?;
        let client = self.client(provider, &metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .add_extra_param("ui_locales", locale.code());
        if let Some(acr) = provider.acr_values.as_deref() {
            request = request.add_extra_param("acr_values", acr);
        }
        if reauthenticate {
            request = request
                .add_prompt(CoreAuthPrompt::Login)
                .set_max_age(Duration::from_secs(crate::backend::access::FRESH_LOGIN_SECS as u64));
        }
        let (url, state, nonce) = request.url();
        let browser_token = random_token();
        sql::run(
            &db.pool,
            "INSERT INTO login_attempt (state_hash, browser_hash, provider_id, nonce,
                 pkce_verifier, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            (
                hash_token(state.secret()),
                hash_token(&browser_token),
                &provider.id,
                nonce.secret(),
                verifier.secret(),
                now(),
            ),
        )
        .await?;
        Ok(LoginStart { authorize_url: url.to_string(), browser_token })
    }

    /// Finishes a login from the provider's callback. The attempt is consumed whatever happens.
    pub async fn finish(
        &self,
        db: &Database,
        params: &CallbackParams,
        browser_token: Option<&str>,
    ) -> Result<VerifiedLogin, LoginError> {
        if let Some(error) = &params.error {
            return Err(LoginError::Provider(error.chars().take(64).collect()));
        }
        let state =
            params.state.as_deref().filter(|s| !s.is_empty()).ok_or(LoginError::MissingState)?;
        let attempt =
            take_attempt(db, &hash_token(state)).await?.ok_or(LoginError::UnknownState)?;
        if now() - attempt.created_at > ATTEMPT_TTL_SECS {
            return Err(LoginError::Expired);
        }
        if browser_token.map(hash_token).as_deref() != Some(attempt.browser_hash.as_str()) {
            return Err(LoginError::BrowserMismatch);
        }
        let provider = super::providers::get(db, &attempt.provider_id)
            .await?
            .ok_or_else(|| LoginError::Config("provider removed during login".into()))?;
        let metadata = self.metadata(&provider.issuer).await?;
        // RFC 9207: the response names its issuer, so a code from one provider cannot be
        // replayed into a login with another (mix-up attack).
        match params.iss.as_deref() {
            Some(iss) if iss != metadata.issuer().as_str() => {
                return Err(LoginError::IssuerMismatch);
            }
            None if metadata
                .additional_metadata()
                .authorization_response_iss_parameter_supported =>
            {
                return Err(LoginError::IssuerMismatch);
            }
            _ => {}
        }
        let code = params.code.clone().filter(|c| !c.is_empty()).ok_or(LoginError::MissingCode)?;
        let client = self.client(&provider, &metadata)?;
        let mut exchange = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| LoginError::Config(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()));
        let assertion;
        if ClientAuth::parse(&provider.client_auth) == Some(ClientAuth::PrivateKeyJwt) {
            assertion = client_assertion(&provider, metadata.issuer().as_str())?;
            exchange = exchange
                .add_extra_param(
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                )
                .add_extra_param("client_assertion", assertion.as_str());
        }
        let response = exchange
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::TokenExchange(error_chain(&e)))?;
        let id_token = response.id_token().ok_or(LoginError::MissingIdToken)?;
        let verifier = client.id_token_verifier().set_allowed_algs([
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
            CoreJwsSigningAlgorithm::RsaSsaPssSha256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            CoreJwsSigningAlgorithm::EcdsaP384Sha384,
        ]);
        let claims = id_token
            .claims(&verifier, &Nonce::new(attempt.nonce.clone()))
            .map_err(|e| LoginError::IdToken(error_chain(&e)))?;
        if provider.acr_values.is_some() {
            let acr = claims.auth_context_ref().map(|a| a.as_str()).and_then(Acr::parse);
            if acr.is_none() {
                return Err(LoginError::AcrTooLow);
            }
        }
        let audience = Audience::parse(&provider.audience)
            .ok_or_else(|| LoginError::Config(format!("audience {}", provider.audience)))?;
        let extra = claims.additional_claims();
        if audience == Audience::Guardian
            && extra.pid.as_deref().and_then(|p| crate::domain::Pid::parse(p).ok()).is_none()
        {
            return Err(LoginError::MissingPid);
        }
        Ok(VerifiedLogin {
            provider_id: provider.id.clone(),
            municipality_id: provider.municipality_id.clone(),
            audience,
            issuer: metadata.issuer().to_string(),
            subject: claims.subject().to_string(),
            pid: extra.pid.clone(),
            sid: extra.sid.clone(),
            id_token: id_token.to_string(),
            auth_time: claims.auth_time().map(|t| t.timestamp().min(now())),
        })
    }

    /// Where to send the browser to end the provider's session too (RP-initiated logout), if
    /// the provider supports it.
    pub async fn end_session_url(
        &self,
        provider: &ProviderRow,
        id_token: Option<&str>,
    ) -> Option<String> {
        let metadata = self.metadata(&provider.issuer).await.ok()?;
        let endpoint = metadata.additional_metadata().end_session_endpoint.clone()?;
        let mut url = reqwest::Url::parse(&endpoint).ok()?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(token) = id_token {
                q.append_pair("id_token_hint", token);
            }
            q.append_pair("client_id", &provider.client_id);
            q.append_pair("post_logout_redirect_uri", &self.post_logout_redirect_uri);
            q.append_pair("state", &random_token());
        }
        Some(url.to_string())
    }
}

/// Takes a login attempt out, in one statement: of callbacks racing with the same state, one
/// gets the attempt (its nonce and PKCE verifier) and every other finds nothing.
async fn take_attempt(db: &Database, state_hash: &str) -> sqlx::Result<Option<AttemptRow>> {
    sql::opt(
        &db.pool,
        "DELETE FROM login_attempt WHERE state_hash = $1
         RETURNING browser_hash, provider_id, nonce, pkce_verifier, created_at",
        (state_hash,),
    )
    .await
}

/// Removes login attempts that were never finished.
pub async fn purge_stale_attempts(db: &Database) -> sqlx::Result<u64> {
    Ok(sql::run(
        &db.pool,
        "DELETE FROM login_attempt WHERE created_at < $1",
        (now() - ATTEMPT_TTL_SECS,),
    )
    .await?
    .rows_affected())
}

/// A private_key_jwt client assertion (RFC 7523): signed with the client's RSA key, for the
/// provider's issuer as audience, valid for one minute, never reused.
fn client_assertion(provider: &ProviderRow, issuer: &str) -> Result<String, LoginError> {
    let pem = provider
        .private_key_pem
        .as_deref()
        .ok_or_else(|| LoginError::Config("private_key_jwt without a key".into()))?;
    let iat = now();
    let claims = serde_json::json!({
        "iss": provider.client_id,
        "sub": provider.client_id,
        "aud": issuer,
        "iat": iat,
        "exp": iat + 60,
        "jti": random_token(),
    });
    crate::backend::jwt::sign_rs256(&claims, pem, None).map_err(LoginError::Config)
}

pub use crate::backend::jwt::parse_rsa_private_key;

/// An error and its sources on one line, for the log.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn a_login_attempt_is_taken_once_even_by_twenty_callbacks_at_once(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        crate::backend::testid::install(&db, "http://localhost:3000").await.unwrap();
        sql::run(
            &db.pool,
            "INSERT INTO login_attempt (state_hash, browser_hash, provider_id, nonce,
                                        pkce_verifier, created_at)
             VALUES ('state', 'browser', 'testid-4601-guardian', 'nonce', 'verifier', $1)",
            (now(),),
        )
        .await
        .unwrap();
        let taken = futures::future::join_all((0..20).map(|_| take_attempt(&db, "state"))).await;
        let found: Vec<AttemptRow> = taken.into_iter().filter_map(Result::unwrap).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].nonce, "nonce");
        assert_eq!(found[0].pkce_verifier, "verifier");
        assert!(take_attempt(&db, "state").await.unwrap().is_none());
    }

    on_both_engines!(a_login_attempt_is_taken_once_even_by_twenty_callbacks_at_once);
}
