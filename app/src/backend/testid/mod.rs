//! The demo's built-in test identity provider, modelled on ID-porten's TestID: real OpenID
//! Connect (discovery, JWKS, authorize, token, end session; RS256-signed ID tokens with a key
//! made at first start and kept in the database), a login page with a "Fødselsnummer" field and
//! the demo persons as one-click choices, and staff logins for the staff provider.
//!
//! It exists only in demo mode; the production client code (`identity::oidc`) is what talks to
//! it, over HTTP, exactly as it talks to ID-porten.

mod endpoints;
mod keys;
mod page;

pub use endpoints::routes;

use super::Database;
use super::identity::providers::{self, ClientAuth, NewProvider};
use super::identity::session::random_token;
use super::identity::staff;
use super::repo::municipalities;
use crate::domain::{Acr, Audience};
use openidconnect::core::CoreRsaPrivateSigningKey;
use std::sync::Arc;

/// Where the provider lives under the app's own origin.
pub const PATH: &str = "/testid";
/// The client id the guardian (ID-porten-like) login uses.
pub const GUARDIAN_CLIENT: &str = "ranselpost-idporten";
/// The client id the staff login uses.
pub const STAFF_CLIENT: &str = "ranselpost-ansatt";

/// The running test provider: its issuer URL, signing key and client secret.
pub struct TestIdp {
    pub issuer: String,
    pub public_url: String,
    pub kid: String,
    signing_key: CoreRsaPrivateSigningKey,
    client_secret: String,
}

impl std::fmt::Debug for TestIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestIdp").field("issuer", &self.issuer).finish()
    }
}

/// Why the test provider could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TestIdpError {
    #[error("test identity provider key: {0}")]
    Key(String),
    #[error("test identity provider database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Sets up the test provider for `public_url`: loads (or makes and stores) its key, and points
/// every municipality's guardian and staff login at it.
pub async fn install(db: &Database, public_url: &str) -> Result<Arc<TestIdp>, TestIdpError> {
    let public_url = public_url.trim_end_matches('/').to_owned();
    let issuer = format!("{public_url}{PATH}");
    let (kid, pem) = keys::load_or_create(db).await?;
    let signing_key = CoreRsaPrivateSigningKey::from_pem(
        &pem,
        Some(openidconnect::JsonWebKeyId::new(kid.clone())),
    )
    .map_err(TestIdpError::Key)?;
    // A fresh client secret every start: the provider and the client both live in this process.
    let client_secret = random_token();
    for m in municipalities::list(db).await? {
        for audience in [Audience::Guardian, Audience::Staff] {
            let (client_id, auth, acr) = match audience {
                Audience::Guardian => {
                    (GUARDIAN_CLIENT, ClientAuth::ClientSecretBasic, Some(Acr::SUBSTANTIAL))
                }
                Audience::Staff => (STAFF_CLIENT, ClientAuth::ClientSecretPost, None),
            };
            let id = format!("testid-{}-{}", m.id, audience.as_str());
            let provider = NewProvider {
                id: &id,
                municipality_id: &m.id,
                audience,
                issuer: &issuer,
                client_id,
                client_auth: auth,
                client_secret: Some(&client_secret),
                private_key_pem: None,
                acr_values: acr,
            };
            providers::upsert(db, &provider).await?;
        }
    }
    // Demo staff log in with their person id as the subject.
    for person_id in demo_staff(db).await? {
        staff::link(db, &issuer, &person_id, &person_id).await?;
    }
    Ok(Arc::new(TestIdp { issuer, public_url, kid, signing_key, client_secret }))
}

async fn demo_staff(db: &Database) -> sqlx::Result<Vec<String>> {
    use sqlx::Row;
    Ok(sqlx::query("SELECT DISTINCT person_id FROM staff_role ORDER BY person_id")
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| r.get("person_id"))
        .collect())
}

impl TestIdp {
    fn redirect_uri(&self) -> String {
        format!("{}/auth/callback", self.public_url)
    }

    fn post_logout_redirect_uri(&self) -> String {
        format!("{}/", self.public_url)
    }

    fn audience_of(client_id: &str) -> Option<Audience> {
        match client_id {
            GUARDIAN_CLIENT => Some(Audience::Guardian),
            STAFF_CLIENT => Some(Audience::Staff),
            _ => None,
        }
    }
}
