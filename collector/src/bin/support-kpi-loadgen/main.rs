//! `support-kpi-loadgen`: an open-loop load generator for the collector's
//! `POST /api/report`, over real HTTP (keep-alive connections).
//!
//! Each request is the example report of docs/kpis.md (516 bytes) with a
//! fresh random id, the current hour as its period and the `Origin` and
//! headers a browser's `fetch` sends. Requests leave on a fixed schedule
//! and latency is measured from the scheduled send time (see `run`).
//!
//! ```sh
//! cargo build --profile server -p support-kpi-collector
//! target/server/support-kpi-collector serve --db /tmp/bench.db --site acme-help=https://help.acme.example \
//!     --read-token bench-read-token-0123 --mount /=/nonexistent &
//! target/server/support-kpi-loadgen --rate 20000 --duration 10        # one rate
//! target/server/support-kpi-loadgen --find-max                        # step up until a step fails twice (p99 >= 20 ms or errors)
//! ```
//!
//! The last line on stdout is JSON, e.g. `{"mode":"fixed-rate","target_rate":20000.0,
//! "achieved_rate":19990.1,…,"p99_ms":8.4,…,"setup":"loopback; generator (1 thread(s)) and collector share 2
//! core(s)"}`; with `--find-max` it also has `max_sustainable_rate` and describes the highest sustained step.
//! Both processes on one machine share its cores: the figures are a floor
//! for a collector with the machine to itself.

mod client;
mod pool;
mod request;
mod run;
mod search;
mod stats;

use clap::Parser;
use pool::Pool;
use request::Requests;
use search::{Next, Search};
use serde::Serialize;
use stats::Summary;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Flags of the load generator.
#[derive(Debug, Parser)]
#[command(
    name = "support-kpi-loadgen",
    version,
    about = "Open-loop load generator for the collector's POST /api/report (keep-alive HTTP/1.1). \
             Prints one JSON line per run on stdout; progress on stderr."
)]
struct Args {
    /// The collector's address; repeat it for several instances (new connections go to each in turn).
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR")]
    addr: Vec<SocketAddr>,
    /// Site key of the reports (configured on the collector).
    #[arg(long, default_value = "acme-help", value_name = "KEY")]
    site: String,
    /// `Origin` header, one of the site's origins.
    #[arg(long, default_value = "https://help.acme.example", value_name = "ORIGIN")]
    origin: String,
    /// Reports per second to send.
    #[arg(long, default_value_t = 20_000.0, value_name = "N")]
    rate: f64,
    /// Seconds to send for (per step with --find-max).
    #[arg(long, default_value_t = 10.0, value_name = "S")]
    duration: f64,
    /// Seconds sent at the first rate before measuring (opens connections, warms caches).
    #[arg(long, default_value_t = 2.0, value_name = "S")]
    warmup: f64,
    /// Most connections open at once; a request waits for a free one (and that wait counts as latency).
    #[arg(long, default_value_t = 512, value_name = "N")]
    connections: usize,
    /// Threads of the generator's runtime.
    #[arg(long, default_value_t = 1, value_name = "N")]
    threads: usize,
    /// Seconds without an answer before a request counts as an error.
    #[arg(long, default_value_t = 10.0, value_name = "S")]
    timeout: f64,
    /// Step the rate up from --start-rate by --step until a step is not sustained
    /// twice in a row (an error, p99 >= --p99-limit-ms, or under 99 % of the rate
    /// achieved; a step that fails once runs again).
    #[arg(long)]
    find_max: bool,
    /// First rate of --find-max.
    #[arg(long, default_value_t = 5_000.0, value_name = "N")]
    start_rate: f64,
    /// Rate increment of --find-max.
    #[arg(long, default_value_t = 2_500.0, value_name = "N")]
    step: f64,
    /// Highest rate --find-max tries.
    #[arg(long, default_value_t = 200_000.0, value_name = "N")]
    max_rate: f64,
    /// p99 latency a sustained rate must stay under, in ms.
    #[arg(long, default_value_t = 20.0, value_name = "MS")]
    p99_limit_ms: f64,
}

/// The last line on stdout: the run (or with `--find-max` the highest
/// sustained step) and the setup it was measured on.
#[derive(Serialize)]
struct FinalLine<'a> {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_sustainable_rate: Option<f64>,
    #[serde(flatten)]
    summary: Option<&'a Summary>,
    connections: usize,
    setup: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if !(args.rate > 0.0 && args.duration > 0.0 && args.start_rate > 0.0 && args.step > 0.0 && args.connections > 0) {
        eprintln!("support-kpi-loadgen: --rate, --duration, --start-rate, --step and --connections must be positive");
        return ExitCode::FAILURE;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads.max(1)).enable_all().build();
    match runtime {
        Ok(runtime) => runtime.block_on(generate(&args)),
        Err(error) => {
            eprintln!("support-kpi-loadgen: no runtime ({error})");
            ExitCode::FAILURE
        }
    }
}

async fn generate(args: &Args) -> ExitCode {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut seed = [0u8; 8];
    if let Err(error) = getrandom::fill(&mut seed) {
        eprintln!("support-kpi-loadgen: no randomness from the system ({error})");
        return ExitCode::FAILURE;
    }
    let now_ms = support_kpi_collector::time::now_ms();
    let mut requests =
        Requests::new(&args.addr[0].to_string(), &args.site, &args.origin, now_ms, u64::from_le_bytes(seed));
    let setup = format!("loopback; generator ({} thread(s)) and collector share {cores} core(s)", args.threads);
    eprintln!(
        "support-kpi-loadgen: POST http://{}/api/report, {}-byte reports of site {}, {} connections at most; {setup}",
        args.addr.iter().map(SocketAddr::to_string).collect::<Vec<_>>().join(" and http://"),
        requests.body_len(),
        args.site,
        args.connections,
    );
    let pool = Arc::new(Pool::new(args.addr.clone(), args.connections, Duration::from_secs_f64(args.timeout)));
    let first = if args.find_max { args.start_rate } else { args.rate };
    if args.warmup > 0.0 {
        let warm = run::run(&pool, &mut requests, first, Duration::from_secs_f64(args.warmup)).await;
        report_progress("warm-up", &warm);
        if warm.ok == 0 {
            eprintln!("support-kpi-loadgen: no report was accepted during the warm-up; is the collector running?");
            return ExitCode::FAILURE;
        }
    }
    let duration = Duration::from_secs_f64(args.duration);
    if !args.find_max {
        let summary = run::run(&pool, &mut requests, args.rate, duration).await;
        report_progress("run", &summary);
        let line = FinalLine {
            mode: "fixed-rate",
            max_sustainable_rate: None,
            summary: Some(&summary),
            connections: args.connections,
            setup,
        };
        print_json(&line);
        return if summary.errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) };
    }
    let mut best: Option<Summary> = None;
    let mut rate = args.start_rate;
    let mut search = Search::default();
    while rate <= args.max_rate {
        let label = if search.repeating() { "step again" } else { "step" };
        let summary = run::run(&pool, &mut requests, rate, duration).await;
        report_progress(label, &summary);
        match search.after(summary.sustained(args.p99_limit_ms)) {
            Next::Up => {
                best = Some(summary);
                rate += args.step;
            }
            Next::Again => {}
            Next::Stop => break,
        }
    }
    print_json(&FinalLine {
        mode: "find-max",
        max_sustainable_rate: Some(best.as_ref().map_or(0.0, |summary| summary.target_rate)),
        summary: best.as_ref(),
        connections: args.connections,
        setup,
    });
    ExitCode::SUCCESS
}

fn report_progress(label: &str, summary: &Summary) {
    eprintln!(
        "support-kpi-loadgen: {label}: target {:.0}/s, achieved {:.0}/s, p50 {} ms, p90 {} ms, p99 {} ms, max {} ms, \
         {} errors {:?}",
        summary.target_rate,
        summary.achieved_rate,
        summary.p50_ms,
        summary.p90_ms,
        summary.p99_ms,
        summary.max_ms,
        summary.errors,
        summary.error_kinds
    );
}

fn print_json(value: &impl Serialize) {
    match serde_json::to_string(value) {
        Ok(line) => println!("{line}"),
        Err(error) => eprintln!("support-kpi-loadgen: cannot write the summary ({error})"),
    }
}
