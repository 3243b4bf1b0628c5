//! The collector over real HTTP on 127.0.0.1; every test runs once on
//! SQLite and once on PostgreSQL (`stores.rs`).

#[macro_use]
mod stores;

mod binary;
mod client;
mod durability;
mod hostile;
mod instances;
mod kpis;
mod limits;
mod migrate;
mod ops;
mod privacy;
mod report;
mod server;
mod static_files;
mod tls;
