//! `ranselpost`: the server binary. `serve` (default), `migrate`, `seed-demo`, and the
//! operator commands (see `ranselpost --help`).

use clap::Parser;
use server::config::{Cli, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // check-text writes JSON to stdout: nothing else may go there.
    if !matches!(cli.command, Some(Command::CheckText(_))) {
        server::telemetry::init();
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line an operator can act on; no panic, no backtrace.
            eprintln!("ranselpost: error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), server::StartupError> {
    let config = cli.config();
    match cli.command.unwrap_or_default() {
        Command::Serve(args) => {
            let app = server::Application::build(config.with_serve_args(&args)).await?;
            app.run_until_stopped().await
        }
        Command::Migrate => {
            server::open_database(&config).await?;
            tracing::info!("database migrated");
            Ok(())
        }
        Command::IdpSet(args) => {
            let db = server::open_database(&config).await?;
            server::admin::set_identity_provider(&db, &args).await?;
            tracing::info!(municipality = %args.municipality, audience = %args.audience, "identity provider configured");
            Ok(())
        }
        Command::SfoStart(args) => {
            let db = server::open_database(&config).await?;
            let changed = server::admin::set_sfo_start(&db, &args).await?;
            tracing::info!(municipality = %args.municipality, date = %args.date, units = changed, "SFO start date set");
            Ok(())
        }
        Command::SyncRegisters => {
            let db = server::open_database(&config).await?;
            let Some(register) = server::build_register(&config.folkeregister)? else {
                return Err(server::StartupError::Admin(
                    "no Folkeregisteret configured (--folkeregister-url or --folkeregister-fixture-dir)".into(),
                ));
            };
            let read = app::backend::registers::sync::follow_feed(&db, &register).await?;
            tracing::info!(read, "Folkeregisteret feed followed");
            Ok(())
        }
        Command::CheckText(args) => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| server::StartupError::Admin(format!("reading stdin: {e}")))?;
            // The app checks no more than a message can hold; neither does this.
            let limit = app::domain::guard::MAX_MESSAGE_CHARS;
            if text.chars().count() > limit {
                return Err(server::StartupError::Admin(format!(
                    "the text is longer than a message may be ({limit} characters)"
                )));
            }
            println!("{}", server::check_text::check(&args, &text));
            if args.repeat > 0 {
                let (p50, p99) = server::check_text::timing(&args, &text, args.repeat);
                eprintln!(
                    "one check of {} characters, {} runs: p50 {:.3} ms, p99 {:.3} ms",
                    text.chars().count(),
                    args.repeat,
                    p50.as_secs_f64() * 1e3,
                    p99.as_secs_f64() * 1e3
                );
            }
            Ok(())
        }
        Command::UnitHours(args) => {
            let db = server::open_database(&config).await?;
            server::admin::set_unit_hours(&db, &args).await?;
            tracing::info!(unit = %args.unit, hours = %args.hours, "staff hours set");
            Ok(())
        }
        Command::SeedDemo => {
            let db = server::open_database(&config).await?;
            app::backend::demo::seed(&db).await?;
            tracing::info!("demo data loaded");
            Ok(())
        }
    }
}
