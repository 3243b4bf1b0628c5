//! The collector over real HTTP on 127.0.0.1, with a temporary SQLite file.

mod alerts;
mod binary;
mod client;
mod conformance;
mod durability;
mod export;
mod hostile;
mod hostile_reports;
mod kpis;
mod limits;
mod openapi;
mod privacy;
mod report;
mod server;
mod staffing;
mod static_files;
mod storage_faults;
