//! Typed configuration: command-line flags with environment fallbacks, read once at start.

use app::backend::clock::DemoNow;
use app::backend::identity::session;
use app::backend::limits::{self, LimitSettings};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ranselpost",
    version,
    about = "Ranselpost: school/kindergarten–home communication"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Database URL: sqlite://… or postgres://…. Default: a SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder for the embedded database and other local state.
    #[arg(long, env = "RANSELPOST_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Folkeregisteret's API base URL (production: https://folkeregisteret.api.skatteetaten.no).
    #[arg(long, env = "RANSELPOST_FOLKEREGISTER_URL", global = true)]
    pub folkeregister_url: Option<String>,

    /// A folder of Folkeregisteret documents (personer/<pid>.json, feed.json) to use instead of
    /// the API: for test environments.
    #[arg(long, env = "RANSELPOST_FOLKEREGISTER_FIXTURE_DIR", global = true)]
    pub folkeregister_fixture_dir: Option<PathBuf>,

    /// KRR's person endpoint (production: https://kontaktregisteret.no/rest/v2/personer).
    #[arg(long, env = "RANSELPOST_KRR_URL", global = true)]
    pub krr_url: Option<String>,

    /// A folder of KRR documents (personer/<pid>.json) to use instead of the API.
    #[arg(long, env = "RANSELPOST_KRR_FIXTURE_DIR", global = true)]
    pub krr_fixture_dir: Option<PathBuf>,

    /// Maskinporten's issuer (the client assertion's audience).
    #[arg(
        long,
        env = "RANSELPOST_MASKINPORTEN_ISSUER",
        default_value = "https://maskinporten.no/",
        global = true
    )]
    pub maskinporten_issuer: String,

    #[arg(
        long,
        env = "RANSELPOST_MASKINPORTEN_TOKEN_URL",
        default_value = "https://maskinporten.no/token",
        global = true
    )]
    pub maskinporten_token_url: String,

    #[arg(long, env = "RANSELPOST_MASKINPORTEN_CLIENT_ID", global = true)]
    pub maskinporten_client_id: Option<String>,

    /// PEM file with the RSA key registered for the Maskinporten client.
    #[arg(long, env = "RANSELPOST_MASKINPORTEN_KEY_FILE", global = true)]
    pub maskinporten_key_file: Option<PathBuf>,

    #[arg(long, env = "RANSELPOST_MASKINPORTEN_KEY_ID", global = true)]
    pub maskinporten_key_id: Option<String>,

    /// Folder with the built site (WASM, JS, CSS, public files), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the app (the default).
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Load the synthetic demo data (idempotent) and exit.
    SeedDemo,
    /// Read Folkeregisteret's event feed from where it was left and apply the changes, once.
    SyncRegisters,
    /// Set the day from which a municipality's SFO units are in use (before it they are hidden
    /// from guardians and staff).
    SfoStart(SfoStartArgs),
    /// Configure a municipality's OpenID Connect provider (ID-porten for guardians, Feide or
    /// the municipality's IdP for staff) and exit.
    IdpSet(IdpArgs),
    /// Check text on stdin with the sensitive-text guard; print the findings as JSON.
    CheckText(crate::check_text::CheckTextArgs),
    /// Set when a unit reads messages ("man-fre 08-16"; empty clears it).
    UnitHours(UnitHoursArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct UnitHoursArgs {
    /// The unit's id.
    #[arg(long)]
    pub unit: String,
    /// Days and time, e.g. "man-fre 08-16" or "1-5 08:00-16:00"; empty removes the hours.
    #[arg(long)]
    pub hours: String,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SfoStartArgs {
    /// Municipality number, e.g. 4601.
    #[arg(long)]
    pub municipality: String,
    /// The first day in use, e.g. 2027-01-01.
    #[arg(long, value_parser = parse_date)]
    pub date: String,
}

#[derive(Debug, Clone, clap::Args)]
pub struct IdpArgs {
    /// Municipality number, e.g. 4601.
    #[arg(long)]
    pub municipality: String,
    /// guardian (ID-porten) or staff.
    #[arg(long)]
    pub audience: String,
    /// The provider's issuer URL, e.g. https://idporten.no.
    #[arg(long)]
    pub issuer: String,
    #[arg(long)]
    pub client_id: String,
    /// client_secret_basic, client_secret_post or private_key_jwt.
    #[arg(long, default_value = "client_secret_basic")]
    pub client_auth: String,
    /// Name of the environment variable that holds the client secret (never the secret
    /// itself on the command line, where shell history keeps it).
    #[arg(long)]
    pub client_secret_env: Option<String>,
    /// PEM file with the RSA private key for private_key_jwt.
    #[arg(long)]
    pub private_key_file: Option<PathBuf>,
    /// acr_values to request and require; default idporten-loa-substantial for guardians.
    #[arg(long)]
    pub acr_values: Option<String>,
}

impl Default for Command {
    fn default() -> Self {
        Command::Serve(Box::new(ServeArgs::parse_from(["serve"])))
    }
}

#[derive(Debug, Clone, Parser)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// The address people reach the app at (redirect URIs, secure cookies). Default:
    /// http://localhost:<port> when listening on loopback, else http://<addr>.
    #[arg(long, env = "RANSELPOST_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Minutes without use before a staff session ends (shared tablets).
    #[arg(long, env = "RANSELPOST_STAFF_IDLE_MINUTES", default_value_t = session::STAFF_IDLE_MINUTES, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub staff_idle_minutes: u32,

    /// Minutes without use before a guardian session ends.
    #[arg(long, env = "RANSELPOST_GUARDIAN_IDLE_MINUTES", default_value_t = session::GUARDIAN_IDLE_MINUTES, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub guardian_idle_minutes: u32,

    /// Hours after login when any session ends, used or not.
    #[arg(long, env = "RANSELPOST_SESSION_HOURS", default_value_t = session::SESSION_HOURS, value_parser = clap::value_parser!(u32).range(1..=168))]
    pub session_hours: u32,

    /// Demo mode only: a date (2027-01-04) makes that day today, to see dated rules such as
    /// Bergen's SFO starting on 2027-01-01; an instant with its offset
    /// (2027-06-14T23:45:00+02:00 or 2027-06-14T21:45:00Z) sets the app's clock to it when
    /// the server starts, from where it runs on in real time. Sessions and logins keep real time.
    #[arg(long, env = "RANSELPOST_NOW")]
    pub now: Option<DemoNow>,

    /// Demo mode: synthetic data, loaded into an empty database, and a visible demo marker.
    #[arg(long, env = "RANSELPOST_DEMO", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false, num_args = 0..=1, default_missing_value = "true")]
    pub demo: bool,

    /// Behind a reverse proxy: the header it writes the client's address into, e.g.
    /// X-Forwarded-For or Forwarded (its last entry is used). Unset, the TCP peer is the client
    /// and such headers are ignored, since any client can send them.
    #[arg(long, env = "RANSELPOST_TRUSTED_PROXY_HEADER", value_parser = parse_header_name)]
    pub trusted_proxy_header: Option<axum::http::HeaderName>,

    /// The addresses of the reverse proxies whose header is believed, as networks or single
    /// addresses separated by commas (10.0.0.0/8,192.0.2.7). A request from anywhere else is
    /// limited by its own address, whatever header it sends.
    #[arg(long, env = "RANSELPOST_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network, default_value = "127.0.0.0/8,::1/128")]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Quick-unlock requests (challenges, PIN and passkey unlocks) allowed per client address
    /// a minute.
    #[arg(long, env = "RANSELPOST_UNLOCK_PER_MINUTE", default_value_t = limits::UNLOCK_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    pub unlock_per_minute: u32,

    /// Quick-unlock requests allowed for one device credential a minute, from anywhere.
    #[arg(long, env = "RANSELPOST_UNLOCK_PER_CREDENTIAL_PER_MINUTE", default_value_t = limits::CREDENTIAL_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    pub unlock_per_credential_per_minute: u32,

    /// Login and logout requests (/auth, and the demo's /testid) allowed per client address a
    /// minute.
    #[arg(long, env = "RANSELPOST_LOGIN_PER_MINUTE", default_value_t = limits::LOGIN_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_per_minute: u32,

    /// Calendar feed requests allowed per client address a minute.
    #[arg(long, env = "RANSELPOST_FEED_PER_MINUTE", default_value_t = limits::FEED_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    pub feed_per_minute: u32,

    /// Calls of the public server functions (the municipality directory, the language choice)
    /// allowed per client address a minute.
    #[arg(long, env = "RANSELPOST_PUBLIC_PER_MINUTE", default_value_t = limits::PUBLIC_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    pub public_per_minute: u32,

    /// PIN hashes (argon2id, 19 MiB each) computed at once. Default: the number of CPU cores.
    #[arg(long, env = "RANSELPOST_HASH_SLOTS", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub hash_slots: Option<u32>,

    /// E-mail notices through this SMTP server: smtp://127.0.0.1:2525 (plain, a local relay),
    /// smtp://host:587?tls=required (STARTTLS) or smtps://user:pass@host (TLS). Unset: no
    /// e-mail is sent.
    #[arg(long, env = "RANSELPOST_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of e-mail notices.
    #[arg(
        long,
        env = "RANSELPOST_MAIL_FROM",
        default_value = "Ranselpost <ikke-svar@ranselpost.invalid>"
    )]
    pub mail_from: String,

    /// SMS notices through LINK Mobility's SMS REST API at this address
    /// (https://n-eu.linkmobility.io); the account from RANSELPOST_SMS_USER,
    /// RANSELPOST_SMS_PASSWORD and RANSELPOST_SMS_PLATFORM_PARTNER_ID. Unset: no SMS is sent.
    #[arg(long, env = "RANSELPOST_SMS_URL")]
    pub sms_url: Option<String>,

    #[arg(long, env = "RANSELPOST_SMS_USER", hide = true, hide_env_values = true)]
    pub sms_user: Option<String>,

    #[arg(long, env = "RANSELPOST_SMS_PASSWORD", hide = true, hide_env_values = true)]
    pub sms_password: Option<String>,

    #[arg(long, env = "RANSELPOST_SMS_PLATFORM_PARTNER_ID", hide = true)]
    pub sms_platform_partner_id: Option<String>,

    /// LINK Mobility's platform id of the account.
    #[arg(long, env = "RANSELPOST_SMS_PLATFORM_ID", default_value = "COMMON_API")]
    pub sms_platform_id: String,

    /// The sender shown on an SMS: at most 11 letters and digits.
    #[arg(long, env = "RANSELPOST_SMS_SENDER", default_value = "Ranselpost")]
    pub sms_sender: String,

    /// The VAPID private key for web push (32 bytes, base64url) in this file. Unset: a key is
    /// made at first start and kept in the database.
    #[arg(long, env = "RANSELPOST_VAPID_KEY_FILE")]
    pub vapid_key_file: Option<PathBuf>,

    /// Who runs this server, told to the push services with every push (RFC 8292): a mailto:
    /// or https: address of the municipality's operations.
    #[arg(
        long,
        env = "RANSELPOST_VAPID_SUBJECT",
        default_value = "mailto:drift@ranselpost.invalid"
    )]
    pub vapid_subject: String,

    /// The push services a browser's subscription may name: hosts, *.domain, separated by
    /// commas (https); http://host:port for a local push service in tests.
    #[arg(long, env = "RANSELPOST_PUSH_HOSTS", default_value = app::backend::notify::push::DEFAULT_PUSH_HOSTS)]
    pub push_hosts: String,

    /// Seconds a process holds the notices it is sending. Another process sends them only
    /// after this, so it is also how long notices wait when a process dies mid-send.
    #[arg(long, env = "RANSELPOST_NOTICE_LEASE_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=86_400))]
    pub notice_lease_seconds: u32,
}

/// A network (`10.0.0.0/8`) or a single address (`192.0.2.7`).
fn parse_network(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{s:?} is neither a network (10.0.0.0/8) nor an address"))
}

fn parse_header_name(s: &str) -> Result<axum::http::HeaderName, String> {
    axum::http::HeaderName::from_bytes(s.trim().as_bytes())
        .map_err(|_| format!("{s:?} is not an HTTP header name"))
}

/// Everything the application needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub site_root: String,
    pub addr: SocketAddr,
    pub public_url: Option<String>,
    pub demo: bool,
    pub staff_idle_minutes: u32,
    pub guardian_idle_minutes: u32,
    pub session_hours: u32,
    /// The demo's `--now`: a day or an instant for the app's clock.
    pub now: Option<DemoNow>,
    pub folkeregister: RegisterConfig,
    pub krr: RegisterConfig,
    /// Rate limits and hashing slots for what can be asked without logging in.
    pub limits: LimitSettings,
    /// The ways out for notices.
    pub notify: NotifyConfig,
}

/// Where notices go out: each channel is off until configured.
#[derive(Clone, Default)]
pub struct NotifyConfig {
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub sms_url: Option<String>,
    pub sms: app::backend::notify::sms::SmsAccount,
    pub vapid_key_file: Option<PathBuf>,
    pub vapid_subject: String,
    pub push_hosts: String,
    /// `--notice-lease-seconds`.
    pub lease_seconds: u32,
}

/// Without the SMTP URL and the SMS account, which may hold passwords.
impl std::fmt::Debug for NotifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifyConfig")
            .field("smtp", &self.smtp_url.is_some())
            .field("sms", &self.sms_url.is_some())
            .field("push_hosts", &self.push_hosts)
            .finish_non_exhaustive()
    }
}

/// How to get Maskinporten tokens for the registers. Holds a key path, not the key.
#[derive(Debug, Clone)]
pub struct MaskinportenSettings {
    pub issuer: String,
    pub token_url: String,
    pub client_id: String,
    pub key_file: PathBuf,
    pub key_id: Option<String>,
}

/// Where a register's answers (Folkeregisteret's, KRR's) come from.
#[derive(Debug, Clone, Default)]
pub enum RegisterConfig {
    /// Not configured: the demo uses its own, production without one keeps local data.
    #[default]
    None,
    /// A folder of the register's documents, for test environments.
    Fixture(PathBuf),
    /// The register's API, with Maskinporten tokens.
    Http { url: String, maskinporten: MaskinportenSettings },
}

fn parse_date(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| format!("{s:?} is not a date of the form 2027-01-01"))
}

impl Cli {
    pub fn config(&self) -> Config {
        // An empty DATABASE_URL counts as unset, as in most deployment tooling.
        let database_url =
            self.database_url.clone().filter(|url| !url.is_empty()).unwrap_or_else(|| {
                format!("sqlite://{}?mode=rwc", self.data_dir.join("ranselpost.db").display())
            });
        Config {
            database_url,
            site_root: self.site_root.clone(),
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            demo: false,
            staff_idle_minutes: session::STAFF_IDLE_MINUTES,
            guardian_idle_minutes: session::GUARDIAN_IDLE_MINUTES,
            session_hours: session::SESSION_HOURS,
            now: None,
            folkeregister: self.register(
                self.folkeregister_url.as_deref(),
                self.folkeregister_fixture_dir.as_deref(),
            ),
            krr: self.register(self.krr_url.as_deref(), self.krr_fixture_dir.as_deref()),
            limits: LimitSettings::default(),
            notify: NotifyConfig::default(),
        }
        // `serve`'s flags at their defaults: every default is written once, on the flag.
        .with_serve_args(&ServeArgs::defaults())
    }
}

impl ServeArgs {
    /// `serve` with no flags, by clap's defaults alone: the environment is not read, so other
    /// subcommands and tests do not depend on (or fail over) `serve`'s variables.
    pub fn defaults() -> ServeArgs {
        use clap::{CommandFactory, FromArgMatches};
        let command = ServeArgs::command().mut_args(|arg| arg.env(None::<&str>));
        ServeArgs::from_arg_matches(&command.get_matches_from(["serve"]))
            .expect("serve's defaults are valid")
    }
}

impl Config {
    /// What `ranselpost serve` runs with on `database_url` when given no other flag nor
    /// environment (tests start from this rather than repeat the defaults).
    pub fn defaults(database_url: &str) -> Config {
        use clap::{CommandFactory, FromArgMatches};
        let command = Cli::command().mut_args(|arg| arg.env(None::<&str>));
        let matches = command.get_matches_from(["ranselpost", "--database-url", database_url]);
        Cli::from_arg_matches(&matches).expect("the defaults are valid").config()
    }
}

impl Cli {
    fn maskinporten(&self) -> MaskinportenSettings {
        MaskinportenSettings {
            issuer: self.maskinporten_issuer.clone(),
            token_url: self.maskinporten_token_url.clone(),
            client_id: self.maskinporten_client_id.clone().unwrap_or_default(),
            key_file: self.maskinporten_key_file.clone().unwrap_or_default(),
            key_id: self.maskinporten_key_id.clone(),
        }
    }

    /// A register from its URL or fixture folder (the URL wins).
    fn register(&self, url: Option<&str>, fixture_dir: Option<&std::path::Path>) -> RegisterConfig {
        match (url, fixture_dir) {
            (Some(url), _) => {
                RegisterConfig::Http { url: url.to_owned(), maskinporten: self.maskinporten() }
            }
            (None, Some(dir)) => RegisterConfig::Fixture(dir.to_owned()),
            (None, None) => RegisterConfig::None,
        }
    }
}

impl Config {
    pub fn with_serve_args(mut self, args: &ServeArgs) -> Self {
        self.addr = args.addr;
        self.public_url = args.public_url.clone().filter(|u| !u.is_empty());
        self.demo = args.demo;
        self.staff_idle_minutes = args.staff_idle_minutes;
        self.guardian_idle_minutes = args.guardian_idle_minutes;
        self.session_hours = args.session_hours;
        self.now = args.now;
        self.limits = LimitSettings {
            unlock_per_minute: args.unlock_per_minute,
            credential_per_minute: args.unlock_per_credential_per_minute,
            login_per_minute: args.login_per_minute,
            feed_per_minute: args.feed_per_minute,
            public_per_minute: args.public_per_minute,
            trusted_proxy_header: args.trusted_proxy_header.clone(),
            trusted_proxies: args.trusted_proxies.clone(),
            hash_slots: args.hash_slots.map_or(self.limits.hash_slots, |n| n as usize),
            ..self.limits
        };
        let text = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        self.notify = NotifyConfig {
            smtp_url: text(&args.smtp_url),
            mail_from: args.mail_from.clone(),
            sms_url: text(&args.sms_url),
            sms: app::backend::notify::sms::SmsAccount {
                user: args.sms_user.clone().unwrap_or_default(),
                password: args.sms_password.clone().unwrap_or_default(),
                sender: args.sms_sender.clone(),
                platform_id: args.sms_platform_id.clone(),
                partner_id: args.sms_platform_partner_id.clone().unwrap_or_default(),
            },
            vapid_key_file: args.vapid_key_file.clone(),
            vapid_subject: args.vapid_subject.clone(),
            push_hosts: args.push_hosts.clone(),
            lease_seconds: args.notice_lease_seconds,
        };
        self
    }
}

/// The public URL for a bound address: `localhost` for loopback (browsers treat it as a secure
/// context, which WebAuthn needs), the address itself otherwise.
pub fn default_public_url(addr: SocketAddr) -> String {
    if addr.ip().is_loopback() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(value: &str) -> Result<Option<DemoNow>, String> {
        match Cli::try_parse_from(["ranselpost", "serve", "--demo", "--now", value]) {
            Ok(Cli { command: Some(Command::Serve(args)), .. }) => Ok(args.now),
            Ok(_) => Err("not serve".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn now_takes_a_date_or_an_instant_with_its_offset() {
        assert!(matches!(now("2027-01-04"), Ok(Some(DemoNow::Day(_)))));
        let instant = now("2027-06-14T23:45:00+02:00").unwrap();
        assert_eq!(instant, now("2027-06-14T21:45:00Z").unwrap());
        assert!(matches!(instant, Some(DemoNow::Instant(_))));
        let refused = now("2027-06-14T23:45").unwrap_err();
        assert!(refused.contains("neither a date"), "{refused}");
    }
}
