//! The collector over real HTTP on 127.0.0.1, with a temporary SQLite file.

mod client;
mod durability;
mod kpis;
mod report;
mod server;
mod static_files;
