//! The collector over real HTTP on 127.0.0.1; every test runs once on
//! SQLite and once on PostgreSQL (`stores.rs`).

#[macro_use]
mod stores;

mod alerts;
mod binary;
mod client;
mod conformance;
mod durability;
mod export;
mod hostile;
mod hostile_reports;
mod instances;
mod kpis;
mod limits;
mod migrate;
mod openapi;
mod ops;
mod privacy;
mod reload;
mod report;
mod server;
mod staffing;
mod static_files;
mod storage_faults;
mod tls;
