//! Building and running the application.

use crate::config::{Config, MaskinportenSettings, RegisterConfig, default_public_url};
use crate::health;
use app::backend::clock::Clock;
use app::backend::identity::oidc::{RelyingParty, purge_stale_attempts};
use app::backend::limits::{self, Limits};
use app::backend::registers::folkeregisteret::{
    FixtureFolkeregister, Folkeregister, HttpFolkeregister,
};
use app::backend::registers::krr::{HttpKrr, Krr};
use app::backend::registers::maskinporten::{Maskinporten, MaskinportenConfig};
use app::backend::registers::sync::follow_feed;
use app::backend::{
    AppSettings, AppState, Database, DbError, demo, identity, input, security, testid,
};
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Why the application could not start; each is one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error("Folkeregisteret: {0}")]
    Sync(#[from] app::backend::registers::sync::SyncError),
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(transparent)]
    TestIdp(#[from] testid::TestIdpError),
    #[error("cannot build the HTTP client for identity providers: {0}")]
    HttpClient(String),
    #[error("{0}")]
    Admin(String),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
}

/// The router's state: what axum handlers extract and what Leptos needs.
#[derive(Clone)]
struct HostState {
    app: AppState,
    leptos: LeptosOptions,
}

impl FromRef<HostState> for LeptosOptions {
    fn from_ref(s: &HostState) -> Self {
        s.leptos.clone()
    }
}

impl FromRef<HostState> for AppState {
    fn from_ref(s: &HostState) -> Self {
        s.app.clone()
    }
}

/// Opens and migrates the configured database.
pub async fn open_database(config: &Config) -> Result<Database, StartupError> {
    let db = Database::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

/// A built application, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
}

impl Application {
    /// Connects and migrates the database, loads the demo data into an empty one in demo mode,
    /// and binds the address (port 0 picks a free port, as the tests do).
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        if config.now.is_some() && !config.demo {
            return Err(StartupError::Admin("--now is only allowed in demo mode".into()));
        }
        let clock = config.now.map(Clock::for_demo).unwrap_or_default();
        let db = open_database(&config).await?.with_clock(clock);
        if config.demo && demo::is_empty(&db).await? {
            demo::seed(&db).await?;
            tracing::info!("demo data loaded into the new database");
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartupError::Bind { addr: config.addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr: config.addr, source })?;
        let public_url = config.public_url.clone().unwrap_or_else(|| default_public_url(addr));
        let mut settings = AppSettings::new(&public_url, config.demo);
        settings.session.staff_idle_secs = i64::from(config.staff_idle_minutes) * 60;
        settings.session.guardian_idle_secs = i64::from(config.guardian_idle_minutes) * 60;
        settings.session.absolute_secs = i64::from(config.session_hours) * 3600;
        let testid = if config.demo {
            Some(testid::install(&db, &settings.public_url).await?)
        } else {
            None
        };
        let rp = RelyingParty::new(&settings.public_url)
            .map_err(|e| StartupError::HttpClient(e.to_string()))?;
        let folkeregister = match build_register(&config.folkeregister)? {
            Some(register) => Some(register),
            None if config.demo => Some(demo::register()),
            None => None,
        };
        let krr = match build_krr(&config.krr)? {
            Some(krr) => Some(krr),
            None if config.demo => Some(demo::krr()),
            None => None,
        };
        let notify = build_senders(&config.notify, &db).await?;
        let state = AppState {
            db,
            settings,
            rp,
            testid,
            folkeregister,
            krr,
            events: Default::default(),
            limits: Limits::new(&config.limits),
            notify,
        };
        state.events.start(&state.db, &config.database_url);
        spawn_housekeeping(state.clone());
        app::backend::notify::worker::spawn(state.clone());
        let router = router(state, &config, addr);
        Ok(Application { listener, router, addr })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        tracing::info!("Ranselpost listening on http://{}", self.addr);
        // Without TCP_NODELAY a response written in two parts (headers, then body) waits for
        // the browser's delayed ACK on a reused connection: about 40 ms for every static file.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY on a connection");
            }
        });
        // The peer's address goes with each request: the rate limits are kept per client.
        axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(StartupError::Serve)
    }
}

fn router(state: AppState, config: &Config, addr: SocketAddr) -> Router {
    let leptos = LeptosOptions::builder()
        .output_name("ranselpost")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let host = HostState { app: state.clone(), leptos };
    let routes = route_list();
    let context = move || {
        provide_context(state.clone());
        // The nonce the security middleware made for this request (and put in its CSP header).
        security::provide_request_nonce();
    };
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/events", get(app::backend::messaging::realtime::events))
        .route("/kalender/{file}", get(app::backend::day::calendar::ics))
        .merge(identity::routes::routes::<HostState>());
    if host.app.testid.is_some() {
        router = router.merge(testid::routes::<HostState>());
    }
    let app_state = host.app.clone();
    router
        .leptos_routes_with_context(&host, routes, context.clone(), {
            let leptos = host.leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<HostState, _>(context, shell))
        // Outermost last: headers on everything, then the rate limits (before any database
        // work), then the cross-site check, then the body's limit and screening (a cross-site
        // post is refused before its body is read), then the session, then the Referer narrowed
        // to a path of this site (the no-JS form redirect's target), then a form post without a
        // session kept for after the next login.
        .layer(from_fn_with_state(
            app_state.clone(),
            app::backend::pending::keep_posts_without_session,
        ))
        .layer(from_fn_with_state(app_state.clone(), security::same_site_referer))
        .layer(from_fn_with_state(app_state.clone(), security::load_session))
        .layer(axum::middleware::from_fn(input::screen_requests))
        .layer(from_fn_with_state(app_state.clone(), security::refuse_cross_site))
        .layer(from_fn_with_state(app_state.limits.clone(), limits::limit_requests))
        .layer(from_fn_with_state(app_state, security::security_headers))
        .with_state(host)
}

/// The app's routes, generated once per process. Generating them runs the app with resource
/// loading suppressed through a process-wide flag (leptos_server's `SuppressResourceLoad`, see
/// leptos-rs/leptos#4773): a resource first polled by another app in the same process during
/// that window would never resolve. One generation, before anything serves, avoids it — this
/// matters wherever several applications share a process, as in the tests.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Background work: following Folkeregisteret's feed every five minutes, cleaning up
/// unfinished login attempts, and forgetting clients whose rate limits have refilled.
fn spawn_housekeeping(state: AppState) {
    let limits = state.limits.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limits.forget_idle();
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Some(register) = &state.folkeregister {
                match follow_feed(&state.db, register).await {
                    Ok(0) => {}
                    Ok(read) => tracing::info!(read, "Folkeregisteret feed followed"),
                    Err(e) => tracing::warn!(error = %e, "following Folkeregisteret's feed"),
                }
            }
            if let Err(e) = purge_stale_attempts(&state.db).await {
                tracing::warn!(error = %e, "purging stale login attempts");
            }
            if let Err(e) = app::backend::kept::expire(&state.db).await {
                tracing::warn!(error = %e, "removing old message drafts");
            }
            if let Err(e) = app::backend::pending::expire(&state.db).await {
                tracing::warn!(error = %e, "removing forms kept without a session");
            }
            if let Err(e) = app::backend::once::expire(&state.db).await {
                tracing::warn!(error = %e, "forgetting old form submissions");
            }
            if let Err(e) = app::backend::notify::plan::purge(&state.db).await {
                tracing::warn!(error = %e, "forgetting old notices");
            }
        }
    });
}

/// The channels notices go out on, as configured; each one missing is said at start.
async fn build_senders(
    config: &crate::config::NotifyConfig,
    db: &app::backend::Database,
) -> Result<app::backend::notify::Senders, StartupError> {
    use app::backend::notify::{Senders, email::Mailer, push, sms::SmsGateway};
    let email = match &config.smtp_url {
        Some(url) => Some(Mailer::new(url, &config.mail_from).map_err(StartupError::Admin)?),
        None => {
            tracing::info!("no --smtp-url: notices are not sent by e-mail");
            None
        }
    };
    let sms = match &config.sms_url {
        Some(url) => Some(SmsGateway::new(url, config.sms.clone()).map_err(StartupError::Admin)?),
        None => {
            tracing::info!("no --sms-url: notices are not sent by SMS");
            None
        }
    };
    let vapid = match &config.vapid_key_file {
        Some(file) => push::Vapid::from_file(file, &config.vapid_subject),
        None => push::Vapid::from_database(db, &config.vapid_subject).await,
    }
    .map_err(StartupError::Admin)?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| StartupError::HttpClient(e.to_string()))?;
    Ok(Senders {
        email,
        sms,
        vapid: Some(vapid),
        push_hosts: push::PushHosts::parse(&config.push_hosts),
        http,
        lease: std::time::Duration::from_secs(config.lease_seconds.max(1).into()),
    })
}

/// The configured KRR adapter, if any (it shares the Maskinporten client of Folkeregisteret).
pub fn build_krr(config: &RegisterConfig) -> Result<Option<Krr>, StartupError> {
    Ok(match config {
        RegisterConfig::None => None,
        RegisterConfig::Fixture(dir) => Some(Krr::Fixture { dir: dir.clone(), embedded: None }),
        RegisterConfig::Http { url, maskinporten } => {
            let (http, config) = maskinporten_client(maskinporten)?;
            let tokens =
                Maskinporten::new(config, "krr:global/kontaktinformasjon.read", http.clone());
            Some(Krr::Http(std::sync::Arc::new(HttpKrr::new(url, http, tokens))))
        }
    })
}

fn maskinporten_client(
    m: &MaskinportenSettings,
) -> Result<(reqwest::Client, MaskinportenConfig), StartupError> {
    if m.client_id.is_empty() {
        return Err(StartupError::Admin("the registers need --maskinporten-client-id".into()));
    }
    let pem = std::fs::read_to_string(&m.key_file).map_err(|e| {
        StartupError::Admin(format!(
            "cannot read the Maskinporten key {}: {e}",
            m.key_file.display()
        ))
    })?;
    app::backend::jwt::parse_rsa_private_key(&pem)
        .map_err(|e| StartupError::Admin(format!("{}: {e}", m.key_file.display())))?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| StartupError::HttpClient(e.to_string()))?;
    let config = MaskinportenConfig {
        issuer: m.issuer.clone(),
        token_endpoint: m.token_url.clone(),
        client_id: m.client_id.clone(),
        key_id: m.key_id.clone(),
        private_key_pem: pem,
    };
    Ok((http, config))
}

/// The configured Folkeregisteret adapter, if any.
pub fn build_register(config: &RegisterConfig) -> Result<Option<Folkeregister>, StartupError> {
    Ok(match config {
        RegisterConfig::None => None,
        RegisterConfig::Fixture(dir) => {
            Some(Folkeregister::Fixture(FixtureFolkeregister::from_dir(dir)))
        }
        RegisterConfig::Http { url, maskinporten } => {
            let (http, config) = maskinporten_client(maskinporten)?;
            let tokens = Maskinporten::new(config, "skatteetaten:folkeregister", http.clone());
            Some(Folkeregister::Http(std::sync::Arc::new(HttpFolkeregister::new(
                url, http, tokens,
            ))))
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
