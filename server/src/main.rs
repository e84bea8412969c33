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
            println!("{}", server::check_text::check(&args, &text));
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
