//! Secrets the server makes for itself: random at first use, then the same for every process
//! and after every restart.

use crate::backend::Database;
use crate::backend::repo::now;
use crate::backend::sql;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The 32-byte secret called `name`, made now if there is none yet. Two processes asking at
/// once get the same one: the first insert wins, the other reads it back.
pub async fn get_or_make(db: &Database, name: &str) -> sqlx::Result<[u8; 32]> {
    if let Some(secret) = get(db, name).await? {
        return Ok(secret);
    }
    let fresh: [u8; 32] = {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        bytes
    };
    sql::run(
        &db.pool,
        "INSERT INTO server_secret (name, value, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO NOTHING",
        (name, URL_SAFE_NO_PAD.encode(fresh), now()),
    )
    .await?;
    get(db, name)
        .await?
        .ok_or_else(|| sqlx::Error::Decode(format!("server secret {name} was not kept").into()))
}

async fn get(db: &Database, name: &str) -> sqlx::Result<Option<[u8; 32]>> {
    let row: Option<(String,)> =
        sql::opt(&db.pool, "SELECT value FROM server_secret WHERE name = $1", (name,)).await?;
    row.map(|(value,)| {
        URL_SAFE_NO_PAD
            .decode(value)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| {
                sqlx::Error::Decode(format!("server secret {name} is not 32 bytes").into())
            })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn a_secret_is_made_once_and_then_always_the_same(db: Database) {
        let all = futures::future::join_all((0..10).map(|_| get_or_make(&db, "stand-in"))).await;
        let first = *all[0].as_ref().unwrap();
        assert!(all.iter().all(|s| s.as_ref().unwrap() == &first));
        assert_ne!(get_or_make(&db, "another").await.unwrap(), first);
    }

    on_both_engines!(a_secret_is_made_once_and_then_always_the_same);
}
