//! Command-line flags (with environment variables) of the subcommands.

use crate::address::ListenAddress;
use crate::limits::parse_seconds;
use crate::staffing::cli::StaffingArgs;
use crate::store::Location;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// The collector's command line; `serve` is the default subcommand.
#[derive(Debug, Parser)]
#[command(
    name = "support-kpi-collector",
    version,
    about = "Collects support-kpi reports, stores hourly rollups in SQLite or PostgreSQL, serves KPIs and the dashboard.",
    long_about = "Collects the aggregate reports of the support-kpi widget, stores them as hourly rollups in SQLite or PostgreSQL \
                  (de-duplicated by report id, durable before the 202), and serves KPIs, the dashboard and the \
                  engine's package.\n\nWithout a subcommand it runs `serve`. No IP address or user agent is ever \
                  stored or logged.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; `serve` when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Flags of `serve` given without the subcommand.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the collector: report intake, KPI API and static files (the default).
    Serve(ServeArgs),
    /// Compute the KPI object of an NDJSON event log with the engine, locally.
    #[command(
        long_about = "Reads an event log, one JSON event per line (the events of docs/kpis.md), feeds the KPI engine line by \
                      line and prints the KPI object as JSON on stdout.\n\nA bad line is reported on stderr as \
                      `line N: field: reason` and skipped; blank lines are ignored. Exit status: 0 when every line was \
                      good, 2 when some were skipped, 1 when the input or configuration is unusable."
    )]
    Kpis(KpisArgs),
    /// Agents needed for one interval's demand (Erlang C), as one JSON object.
    #[command(
        allow_negative_numbers = true,
        long_about = "Computes the agents needed for one interval with the Erlang C model: contacts arriving at random, \
                      each holding an agent for the handle time divided by the concurrency. Prints {agents, \
                      serviceLevel, probabilityOfWaiting, averageSpeedOfAnswer, occupancy, scheduled} on stdout; \
                      scheduled adds shrinkage. A bad value is an error naming its flag (exit status 1)."
    )]
    Staffing(StaffingArgs),
    /// Copy a SQLite database's rollups and report ids into PostgreSQL (the move to several instances).
    #[command(
        long_about = "Copies every rollup and every retained report id of a SQLite database into a PostgreSQL database \
                      (its schema created or migrated first), in one transaction: all or nothing. Running it again \
                      changes nothing. A rollup that the target already holds with other counts stops the copy \
                      (nothing is written): stop the SQLite collector, copy, then start the PostgreSQL ones."
    )]
    MigrateStore(MigrateStoreArgs),
}

/// Flags of `migrate-store`.
#[derive(Debug, Args)]
pub struct MigrateStoreArgs {
    /// The SQLite database file to copy (opened read-only).
    #[arg(long, value_name = "FILE.db")]
    pub from: PathBuf,

    /// The PostgreSQL database to copy into: `postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME` (PG* variables fill gaps).
    #[arg(long, value_name = "URL", value_parser = Location::parse)]
    pub to: Location,
}

/// Flags of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Host (name or IP address, IPv6 in brackets) and port to listen on, e.g. localhost:8787
    /// (port 0 picks a free one); a name is bound at the first of its addresses that works.
    #[arg(
        long,
        env = "SUPPORT_KPI_LISTEN",
        default_value = "127.0.0.1:8787",
        value_name = "HOST:PORT",
        value_parser = ListenAddress::parse
    )]
    pub listen: ListenAddress,

    /// SQLite database file (created if missing, with -wal and -shm files beside it), or a PostgreSQL URL
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME` (also postgresql://; PG* variables fill what it omits).
    #[arg(long, env = "SUPPORT_KPI_DB", default_value = "support-kpi.db", value_name = "PATH|URL", value_parser = Location::parse, hide_env_values = true)]
    pub db: Location,

    /// Most connections to PostgreSQL this instance opens (the writer uses one, KPI queries the others).
    #[arg(long, env = "SUPPORT_KPI_DB_POOL", default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(2..))]
    pub db_pool: u16,

    /// Bearer token that GET /api/kpis and /api/sites require (at least 16 visible ASCII characters).
    /// When absent a random one is generated and printed at startup.
    #[arg(long, env = "SUPPORT_KPI_READ_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    pub read_token: Option<String>,

    /// JSON file listing the sites (the example is in the help text).
    #[arg(
        long,
        env = "SUPPORT_KPI_SITES",
        value_name = "FILE",
        help = "JSON file listing the sites, e.g. [{\"key\":\"acme-help\",\"origins\":[\"https://help.acme.example\"],\
                \"timeZone\":\"Europe/Amsterdam\",\"serviceLevelSeconds\":60}]. \"timeZone\" defaults to \"UTC\", \
                \"serviceLevelSeconds\" to 60; an origin \"*\" accepts reports from any page (or none)"
    )]
    pub sites: Option<PathBuf>,

    /// A site given inline, in UTC with a 60 s service level (repeatable).
    #[arg(
        long = "site",
        value_name = "KEY=ORIGIN[,ORIGIN...]",
        help = "A site given inline, in UTC with a 60 s service level, e.g. \
                --site acme-help=https://help.acme.example,https://www.acme.example (repeatable)"
    )]
    pub site: Vec<String>,

    /// Serve directory DIR under URL path URLPATH instead of the files built into the binary (repeatable).
    /// Relative directories are taken from the working directory; a missing one serves nothing.
    #[arg(
        long = "mount",
        value_name = "URLPATH=DIR",
        long_help = "Serve directory DIR under URL path URLPATH instead of the files built into the binary \
                     (repeatable; the built-in ones are www/ at /, pkg/ at /support-kpi/ and ECharts at /vendor/, \
                     e.g. --mount /=www --mount /support-kpi=pkg --mount /vendor=node_modules/echarts/dist). \
                     Relative directories are taken from the working directory; a missing one serves nothing. \
                     A NAME.br beside a file is sent to clients that accept brotli."
    )]
    pub mount: Vec<String>,

    /// Seconds a client may take to send a request's headers; an idle keep-alive connection is closed after as long.
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = parse_seconds)]
    pub header_timeout: Duration,

    /// Seconds a request may take, reading its body included (408 after that).
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = parse_seconds)]
    pub request_timeout: Duration,

    /// Most connections served at once; further clients wait in the listen backlog.
    #[arg(long, default_value_t = 4096, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Reports per second each site may send (a token bucket per site; 429 with Retry-After beyond it).
    #[arg(long, default_value_t = 50_000, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: u32,

    /// Reports a site may send at once beyond its rate (the bucket's size); default: --rate-limit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_burst: Option<u32>,

    /// Seconds between two checks of the sites' alert rules.
    #[arg(long, default_value = "60", value_name = "SECONDS", value_parser = parse_seconds)]
    pub alert_interval: Duration,

    /// Seconds before a failed alert webhook is tried again (doubling, 6 attempts in all).
    #[arg(long, default_value = "5", value_name = "SECONDS", value_parser = parse_seconds)]
    pub alert_retry: Duration,

    /// Threads serving HTTP; default: one per core (the writer and checkpoint threads come on top).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub workers: Option<u16>,
}

/// Flags of `kpis`.
#[derive(Debug, Args)]
pub struct KpisArgs {
    /// The NDJSON event log; "-" or absent reads standard input.
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,

    /// Engine configuration as JSON (the KpiEngine config: siteKey, timeZone, openingHours, goals, tags, ...).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["site_key", "time_zone"])]
    pub config: Option<PathBuf>,

    /// Site key when no --config is given.
    #[arg(long, value_name = "KEY", required_unless_present = "config")]
    pub site_key: Option<String>,

    /// IANA time zone when no --config is given.
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub time_zone: String,
}
