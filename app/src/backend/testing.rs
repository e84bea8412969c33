//! Test harness: a fresh, migrated database per test, on SQLite or PostgreSQL.
//!
//! PostgreSQL is reached at `RANSELPOST_TEST_POSTGRES_URL` (default: the local server with trust
//! auth, as on the project's machines). Each test creates its own database and drops it after.

use super::Database;
use crate::backend::sql;

#[cfg(test)]
pub mod arbitrary;

/// A phone's quick-unlock key, made and used as the browser's WebCrypto does.
pub mod device {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use p256::ecdsa::SigningKey;

    /// A new P-256 key: (the key, its public half as SEC1 uncompressed base64url).
    pub fn device_key() -> (SigningKey, String) {
        use rand::RngCore;
        loop {
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                let public = key.verifying_key().to_sec1_point(false);
                return (key, URL_SAFE_NO_PAD.encode(public.as_bytes()));
            }
        }
    }

    /// The challenge signed as WebCrypto's ECDSA P-256/SHA-256 does: raw r‖s, base64url.
    pub fn sign(key: &SigningKey, challenge: &str) -> String {
        use p256::ecdsa::signature::Signer;
        let signature: p256::ecdsa::Signature = key.sign(challenge.as_bytes());
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    }
}

/// Which engine a test runs on; data and server tests run on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// An empty throw-away database, removed (file deleted, or PostgreSQL database dropped) when
/// this is dropped. The one helper for the app's tests ([`TestDb`] migrates it) and the
/// server's (which start the application on its `url`).
pub struct TempDatabase {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

pub fn postgres_admin_url() -> String {
    std::env::var("RANSELPOST_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

impl TempDatabase {
    pub async fn create(engine: Engine) -> TempDatabase {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join("ranselpost-tests");
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join(format!("{id}.db"));
                TempDatabase {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
            Engine::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("rp_test_{id}");
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL for tests ({admin_url}) is not reachable: {e}")
                });
                sql::run(&admin.pool, &format!("CREATE DATABASE {name}"), ()).await.unwrap();
                admin.pool.close().await;
                let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
                TempDatabase {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                // Drop runs inside the test's (blocked) runtime, so the clean-up gets its own;
                // pools are not closed from there (their tasks live in the blocked runtime):
                // WITH (FORCE) ends their connections on the server side instead.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt =
                        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    // Bounded: a clean-up that cannot finish must not hold the suite up. The
                    // timeout is made inside the runtime: it needs the runtime's timer.
                    rt.block_on(async move {
                        let drop_it = async move {
                            if let Ok(admin) = Database::connect(&admin_url).await {
                                let _ = sql::run(
                                    &admin.pool,
                                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                                    (),
                                )
                                .await;
                            }
                        };
                        let _ =
                            tokio::time::timeout(std::time::Duration::from_secs(30), drop_it).await;
                    });
                })
                .join();
            }
        }
    }
}

/// A fresh, migrated throw-away database.
pub struct TestDb {
    pub db: Database,
    // Dropped after `db`.
    _temp: TempDatabase,
}

impl TestDb {
    pub async fn on(engine: Engine) -> TestDb {
        let temp = TempDatabase::create(engine).await;
        let db = Database::connect(&temp.url).await.unwrap();
        db.migrate().await.unwrap();
        TestDb { db, _temp: temp }
    }

    pub async fn sqlite() -> TestDb {
        TestDb::on(Engine::Sqlite).await
    }

    pub async fn postgres() -> TestDb {
        TestDb::on(Engine::Postgres).await
    }
}

/// A logged-in person of Bergen, for access-rule tests.
pub fn user(person_id: &str, audience: crate::domain::Audience) -> super::identity::CurrentUser {
    super::identity::CurrentUser {
        person_id: person_id.into(),
        audience,
        municipality_id: "4601".into(),
        name: crate::domain::DisplayName::from_register("Kari", None, "Nordmann"),
        session_hash: String::new(),
        tablet: None,
    }
}

/// Fails the test if it takes longer than a minute, instead of stalling the suite.
pub async fn within_limit(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(std::time::Duration::from_secs(60), test)
        .await
        .expect("the test did not finish within a minute");
}

/// Runs each named `async fn(Database)` as two tests, `sqlite::<name>` and `postgres::<name>`,
/// each on a fresh database.
#[cfg(test)]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let test_db = $crate::backend::testing::TestDb::sqlite().await;
                    $crate::backend::testing::within_limit(super::$name(test_db.db.clone())).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let test_db = $crate::backend::testing::TestDb::postgres().await;
                    $crate::backend::testing::within_limit(super::$name(test_db.db.clone())).await;
                }
            )*
        }
    };
}
#[cfg(test)]
pub(crate) use on_both_engines;
