//! Spawns the real application on a random port with a fresh database, per test.

// Each test binary compiles this module and uses a different part of it; `expect` would be
// unfulfilled in whichever binary happens to use everything.
#![allow(dead_code, reason = "shared by several test binaries, each using part of it")]

pub mod browser;
pub mod device;
pub mod oidc_provider;
pub mod outside;
pub mod personas;
pub mod process;
pub mod scenes;

use app::backend::clock::DemoNow;
use app::backend::limits::LimitSettings;
use server::Application;
use server::config::Config;
use std::net::SocketAddr;

/// The one throw-away-database helper, shared with the app's tests.
pub use app::backend::testing::{Engine, TempDatabase};

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: app::backend::Database,
    /// The database's URL, for a second server process sharing it.
    pub database_url: String,
    _db: Option<TempDatabase>,
}

/// How a test's app is set up: `TestApp::demo().on("2027-01-04").spawn(engine)`.
#[derive(Default)]
pub struct AppBuilder {
    demo: bool,
    public_url: Option<String>,
    now: Option<DemoNow>,
    folkeregister: server::config::RegisterConfig,
    limits: LimitSettings,
    notify: Option<server::config::NotifyConfig>,
}

impl AppBuilder {
    /// The demo's clock reads `now`: a day ("2027-01-04") that is today, or an instant
    /// ("2027-06-14T22:30:00Z") the clock starts at.
    pub fn on(mut self, now: &str) -> Self {
        self.now = Some(now.parse().expect("--now is a date or an instant"));
        self
    }

    /// Logins consult the Folkeregisteret documents in `dir`.
    pub fn with_registers(mut self, dir: &std::path::Path) -> Self {
        self.folkeregister = server::config::RegisterConfig::Fixture(dir.to_owned());
        self
    }

    /// These rate limits and hashing slots.
    pub fn with_limits(mut self, limits: LimitSettings) -> Self {
        self.limits = limits;
        self
    }

    /// The app believes it is reached at `public_url` (e.g. behind an https proxy).
    pub fn at_public_url(mut self, public_url: &str) -> Self {
        self.public_url = Some(public_url.to_owned());
        self
    }

    /// Notices go out through these local services (any may be `None`).
    pub fn sending_to(
        mut self,
        smtp: Option<&outside::SmtpSink>,
        sms: Option<&outside::SmsGatewayFake>,
        push: Option<&outside::PushService>,
    ) -> Self {
        let defaults = Config::defaults("sqlite::memory:").notify;
        self.notify = Some(server::config::NotifyConfig {
            smtp_url: smtp.map(|s| s.url()),
            sms_url: sms.map(|s| s.url.clone()),
            sms: outside::SmsGatewayFake::account(),
            push_hosts: push.map(|p| p.origin.clone()).unwrap_or(defaults.push_hosts.clone()),
            ..defaults
        });
        self
    }

    /// Starts it on a fresh database of `engine`.
    pub async fn spawn(self, engine: Engine) -> TestApp {
        let db = TempDatabase::create(engine).await;
        TestApp::start(db.url.clone(), Some(db), self).await
    }
}

impl TestApp {
    /// The demo: its people, units and test identity provider.
    pub fn demo() -> AppBuilder {
        AppBuilder { demo: true, ..AppBuilder::default() }
    }

    /// An empty app, as a municipality starts with.
    pub fn empty() -> AppBuilder {
        AppBuilder::default()
    }

    /// A second server on this one's database, as a second process behind a load balancer.
    pub async fn spawn_sharing(&self) -> TestApp {
        Self::start(self.database_url.clone(), None, TestApp::demo()).await
    }

    /// A second server on this one's database, its clock at `now`, that also sends e-mail
    /// through `smtp`.
    pub async fn spawn_sharing_with(&self, now: &str, smtp: Option<&outside::SmtpSink>) -> TestApp {
        let setup = TestApp::demo().on(now).sending_to(smtp, None, None);
        Self::start(self.database_url.clone(), None, setup).await
    }

    async fn start(
        database_url: String,
        owned: Option<TempDatabase>,
        setup: AppBuilder,
    ) -> TestApp {
        server::telemetry::init();
        let config = Config {
            site_root: "target/site".into(),
            addr: "127.0.0.1:0".parse().unwrap(),
            public_url: setup.public_url,
            demo: setup.demo,
            now: setup.now,
            folkeregister: setup.folkeregister,
            limits: setup.limits,
            ..Config::defaults(&database_url)
        };
        let config = match setup.notify {
            Some(notify) => Config { notify, ..config },
            None => config,
        };
        let app = Application::build(config).await.expect("application starts");
        let addr = app.addr();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        let pool = app::backend::Database::connect(&database_url).await.unwrap();
        TestApp { addr, client, db: pool, database_url, _db: owned }
    }

    /// The public URL (localhost), where logins must start so their cookies fit.
    pub fn public(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A fresh browser, logged in as `who` through the demo's test identity provider.
    pub async fn logged_in(&self, who: personas::Persona) -> browser::Browser {
        browser::logged_in(self, who.audience, who.choice).await
    }

    /// Logs `who` in on `browser`, which keeps the cookies it has; where the login lands.
    pub async fn log_in(&self, browser: &mut browser::Browser, who: personas::Persona) -> String {
        browser::log_in(self, browser, who.audience, who.choice).await
    }

    /// The one row `sql` finds, read straight from the app's database (a count, an id just
    /// made): `let (id,): (String,) = app.one("SELECT id FROM absence").await`.
    pub async fn one<T: app::backend::sql::Row>(&self, sql: &str) -> T {
        app::backend::sql::one(&self.db.pool, sql, ())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every row `sql` finds, read straight from the app's database.
    pub async fn all<T: app::backend::sql::Row>(&self, sql: &str) -> Vec<T> {
        app::backend::sql::all(&self.db.pool, sql, ())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Changes the app's database behind its back (to age a login, say); how many rows changed.
    pub async fn run(&self, sql: &str) -> u64 {
        let done = app::backend::sql::run(&self.db.pool, sql, ()).await;
        done.unwrap_or_else(|e| panic!("{sql}: {e}")).rows_affected()
    }
}

/// Runs each named `async fn(Engine)` as `sqlite::<name>` and `postgres::<name>`, on a
/// multi-threaded runtime (the app under test and the test share it) and with a time limit, so
/// a hang fails the test instead of stalling the suite.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::support::within_limit(super::$name(super::support::Engine::Sqlite)).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::support::within_limit(super::$name(super::support::Engine::Postgres)).await;
                }
            )*
        }
    };
}

/// Fails the test if it takes longer than two minutes.
pub async fn within_limit(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(std::time::Duration::from_secs(120), test)
        .await
        .expect("the test did not finish within two minutes");
}

/// A folder holding a copy of the demo's Folkeregisteret documents, for a test to change.
pub fn register_copy() -> std::path::PathBuf {
    let from =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src/backend/demo/folkeregisteret/personer");
    let dir = std::env::temp_dir().join(format!("freg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("personer")).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("personer").join(entry.file_name())).unwrap();
    }
    dir
}
