//! `support-kpi-collector`: `serve` (the default), `kpis`, `staffing` or `migrate-store`.

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;
use support_kpi_collector::args::{Cli, Command, ServeArgs};
use support_kpi_collector::cli;
use support_kpi_collector::config::Settings;
use support_kpi_collector::staffing;
use support_kpi_collector::{http, migrate};

/// See the `mimalloc` entry in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let api = http::api_help();
    let command = Cli::command().after_long_help(api.clone()).mut_subcommand("serve", |serve| serve.after_help(api));
    let cli = Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|error| error.exit());
    match &cli.command {
        Some(Command::Kpis(args)) => cli::run(args),
        Some(Command::Staffing(args)) => staffing::cli::run(args),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::MigrateStore(args)) => migrate::run(args),
        None => serve(&cli.serve),
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    let result = Settings::from_args(args).map_err(|e| e.to_string()).and_then(|settings| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(settings.workers)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(run(settings))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("support-kpi-collector: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> Result<(), String> {
    // The port first: when it is taken, nothing has been created on disk or in the database.
    let listener = settings.listen.bind().await?;
    let store = settings.db.open(settings.db_pool).await.map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    if settings.token_generated {
        eprintln!(
            "support-kpi-collector: read token (generated; set SUPPORT_KPI_READ_TOKEN to keep one): {}",
            settings.read_token.as_str()
        );
    }
    let base = format!("http://{address}");
    eprintln!(
        "support-kpi-collector: listening on {base} (dashboard {base}/dashboard/, reports POST {base}/api/report, \
         KPIs GET {base}/api/kpis; {} site(s), database {})",
        settings.sites.iter().count(),
        settings.db
    );
    let missing = http::missing_embedded_files();
    if settings.mounts.is_empty() && !missing.is_empty() {
        eprintln!(
            "support-kpi-collector: this binary was built without {} (run `npm ci` and `scripts/build.sh`, then \
             build it again, or give --mount): what they hold answers 404",
            missing.join(", ")
        );
    }
    http::serve(settings, store, listener, shutdown_signal()).await.map_err(|e| e.to_string())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminated = async {
        match terminate.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = interrupt => {}
        () = terminated => {}
    }
}
