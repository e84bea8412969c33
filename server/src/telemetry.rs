//! Logging. `RUST_LOG` sets the filter; the default logs the app at info.

use tracing_subscriber::{EnvFilter, fmt};

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    // try_init: tests start several applications in one process.
    // Colours only for a person at a terminal; log files and collectors get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let _ = fmt().with_env_filter(filter).with_target(false).with_ansi(ansi).try_init();
}
