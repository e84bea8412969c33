//! The test provider's signing key: RSA 2048, made at first start and kept in the database so
//! tokens stay verifiable across restarts.

use super::TestIdpError;
use crate::backend::Database;
use crate::backend::repo::now;
use crate::backend::sql;

pub async fn load_or_create(db: &Database) -> Result<(String, String), TestIdpError> {
    use sqlx::Row;
    if let Some(row) =
        sqlx::query("SELECT kid, private_key_pem FROM testid_key ORDER BY created_at LIMIT 1")
            .fetch_optional(&db.pool)
            .await?
    {
        return Ok((row.get("kid"), row.get("private_key_pem")));
    }
    // Key generation takes a moment of CPU: keep it off the async runtime.
    let pem = tokio::task::spawn_blocking(|| {
        use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
        let key =
            rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| e.to_string())?;
        key.to_pkcs1_pem(LineEnding::LF).map(|p| p.to_string()).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| TestIdpError::Key(e.to_string()))?
    .map_err(TestIdpError::Key)?;
    let kid = format!("testid-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    // Two processes starting at once: the first key wins, the second reads it back.
    sql::run(
        &db.pool,
        "INSERT INTO testid_key (kid, private_key_pem, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (kid) DO NOTHING",
        (&kid, &pem, now()),
    )
    .await?;
    let row =
        sqlx::query("SELECT kid, private_key_pem FROM testid_key ORDER BY created_at, kid LIMIT 1")
            .fetch_one(&db.pool)
            .await?;
    Ok((row.get("kid"), row.get("private_key_pem")))
}
