//! Logging. `RUST_LOG` sets the filter; the default logs the app at info.

use tracing_subscriber::{EnvFilter, fmt};

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    // try_init: tests start several applications in one process.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
