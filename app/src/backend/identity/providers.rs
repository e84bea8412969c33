//! The identity providers configured per municipality and audience.

use crate::backend::Database;
use crate::backend::repo::{now, row_struct};
use crate::backend::sql;
use crate::domain::Audience;

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
}

impl ClientAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuth::ClientSecretBasic => "client_secret_basic",
            ClientAuth::ClientSecretPost => "client_secret_post",
            ClientAuth::PrivateKeyJwt => "private_key_jwt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::ClientSecretBasic, Self::ClientSecretPost, Self::PrivateKeyJwt]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

row_struct! {
    /// A provider's configuration. Holds a secret: never serialised, never logged.
    pub struct ProviderRow {
        pub id: String,
        pub municipality_id: String,
        pub audience: String,
        pub issuer: String,
        pub client_id: String,
        pub client_auth: String,
        pub client_secret: Option<String>,
        pub private_key_pem: Option<String>,
        pub acr_values: Option<String>,
    }
}

const COLUMNS: &str = "id, municipality_id, audience, issuer, client_id, client_auth, \
                       client_secret, private_key_pem, acr_values";

/// The provider a municipality uses for an audience.
pub async fn for_municipality(
    db: &Database,
    municipality_id: &str,
    audience: Audience,
) -> sqlx::Result<Option<ProviderRow>> {
    sql::opt(
        &db.pool,
        &format!(
            "SELECT {COLUMNS} FROM identity_provider WHERE municipality_id = $1 AND audience = $2"
        ),
        (municipality_id, audience.as_str()),
    )
    .await
}

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<ProviderRow>> {
    sql::opt(&db.pool, &format!("SELECT {COLUMNS} FROM identity_provider WHERE id = $1"), (id,))
        .await
}

/// Every provider with this issuer (front-channel logout names only the issuer).
pub async fn by_issuer(db: &Database, issuer: &str) -> sqlx::Result<Vec<ProviderRow>> {
    sql::all(
        &db.pool,
        &format!("SELECT {COLUMNS} FROM identity_provider WHERE issuer = $1"),
        (issuer,),
    )
    .await
}

/// An identity provider to configure for a municipality and audience.
pub struct NewProvider<'a> {
    pub id: &'a str,
    pub municipality_id: &'a str,
    pub audience: Audience,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_auth: ClientAuth,
    pub client_secret: Option<&'a str>,
    pub private_key_pem: Option<&'a str>,
    pub acr_values: Option<&'a str>,
}

/// Creates or replaces the provider of a municipality and audience.
pub async fn upsert(db: &Database, p: &NewProvider<'_>) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO identity_provider (id, municipality_id, audience, issuer, client_id,
             client_auth, client_secret, private_key_pem, acr_values, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (municipality_id, audience) DO UPDATE SET
             issuer = excluded.issuer, client_id = excluded.client_id,
             client_auth = excluded.client_auth, client_secret = excluded.client_secret,
             private_key_pem = excluded.private_key_pem, acr_values = excluded.acr_values",
        (
            p.id,
            p.municipality_id,
            p.audience.as_str(),
            p.issuer,
            p.client_id,
            p.client_auth.as_str(),
            p.client_secret,
            p.private_key_pem,
            p.acr_values,
            now(),
        ),
    )
    .await?;
    Ok(())
}
