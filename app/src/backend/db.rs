//! The database: SQLite (embedded default) or PostgreSQL, behind one sqlx `Any` pool so that
//! every repository runs the same portable SQL on both engines.

use crate::backend::sql;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::time::Duration;

use super::clock::Clock;

/// Which engine a [`Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection pool, the engine behind it, and the clock its records are stamped with. Cheap
/// to clone.
#[derive(Debug, Clone)]
pub struct Database {
    pub pool: AnyPool,
    pub engine: Engine,
    /// The app's clock: it travels with the database so that every repository stamps its rows
    /// and counts its days by the same time (a demo's `--now` moves it; see [`Clock`]).
    pub clock: Clock,
    /// Rung after a write that open screens should hear of (a new message): with SQLite the
    /// process's poller looks at once instead of at its next round.
    pub written: std::sync::Arc<tokio::sync::Notify>,
}

/// Why the database could not be opened. Each message is one line an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres://, got {0:?}")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("cannot connect to {engine} at {location}: {reason}")]
    Connect { engine: &'static str, location: String, reason: String },
    #[error("database migration failed: {0}")]
    Migrate(String),
}

impl Database {
    /// The same database, its records stamped by `clock` (a demo's `--now`).
    pub fn with_clock(self, clock: Clock) -> Database {
        Database { clock, ..self }
    }

    /// Opens the database at `url`, creating a SQLite file (and its folder) if needed. Fails
    /// within a few seconds when a server is unreachable rather than hanging.
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        install_default_drivers();
        let engine = engine_of(url)?;
        if engine == Engine::Sqlite {
            ensure_sqlite_folder(url)?;
        }
        let max_connections = match engine {
            // One writer at a time anyway; a few readers in WAL mode.
            Engine::Sqlite => 4,
            Engine::Postgres => 10,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // Referential integrity and concurrent readers are not SQLite's
                        // defaults; both are per-connection (WAL is per-file but cheap to repeat).
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| DbError::Connect {
                engine: match engine {
                    Engine::Sqlite => "SQLite",
                    Engine::Postgres => "PostgreSQL",
                },
                location: redact(url),
                reason: one_line(&e),
            })?;
        Ok(Database { pool, engine, clock: Clock::real(), written: Default::default() })
    }

    /// Applies every migration that has not run yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        super::migrations::migrator()
            .run(&self.pool)
            .await
            .map_err(|e| DbError::Migrate(one_line(&e)))?;
        // A data move SQL alone cannot write portably (JSON of the old columns).
        super::kept::adopt_legacy_drafts(self).await.map_err(|e| DbError::Migrate(one_line(&e)))?;
        Ok(())
    }

    /// Whether the database answers a trivial query now.
    pub async fn is_reachable(&self) -> bool {
        sql::run(&self.pool, "SELECT 1", ()).await.is_ok()
    }
}

fn engine_of(url: &str) -> Result<Engine, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Engine::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Engine::Postgres)
    } else {
        Err(DbError::UnsupportedUrl(redact(url)))
    }
}

fn ensure_sqlite_folder(url: &str) -> Result<(), DbError> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|source| DbError::CreateDir { path: dir.display().to_string(), source }),
        _ => Ok(()),
    }
}

/// The URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => {
                    format!("{}{}:***{}", &url[..scheme_end + 3], &credentials[..colon], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn one_line(e: &dyn std::fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_removed_from_database_urls_in_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/rp"),
            "postgres://app:***@db.example:5432/rp"
        );
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[tokio::test]
    async fn an_unknown_url_scheme_is_a_clear_error() {
        let err = Database::connect("mysql://localhost/x").await.unwrap_err();
        assert!(matches!(err, DbError::UnsupportedUrl(_)));
        assert!(err.to_string().contains("sqlite:// or postgres://"));
    }

    #[tokio::test]
    async fn an_unreachable_postgres_is_a_clear_error_not_a_hang() {
        let started = std::time::Instant::now();
        let err = Database::connect("postgres://nobody:pw@127.0.0.1:1/none").await.unwrap_err();
        assert!(matches!(err, DbError::Connect { .. }), "{err}");
        assert!(!err.to_string().contains("pw@"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(15));
    }
}
