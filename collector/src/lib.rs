//! support-kpi-collector: receives the widget's aggregate reports, keeps
//! them as hourly rollups in SQLite (one instance) or PostgreSQL (any
//! number of instances), and serves KPIs and static files.
//!
//! A report is decoded and validated by the engine itself
//! ([`support_kpi::Report::decode`]), de-duplicated by its id, and merged
//! into the rollup of its site and hour; no raw report, IP address or user
//! agent is stored. Reads merge rollups, never raw reports. The same engine
//! also runs on a local event log (`kpis` subcommand, [`cli`]).

#![warn(missing_docs)]

pub mod address;
pub mod alerts;
pub mod args;
pub mod cli;
pub mod config;
pub mod cost;
pub mod error;
pub mod http;
pub mod ingest;
pub mod limits;
pub mod metrics;
pub mod migrate;
pub mod plausible;
pub mod rate_limit;
pub mod staffing;
pub mod store;
pub mod time;
pub mod token;
