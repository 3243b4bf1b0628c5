//! Reaching PostgreSQL: the URL completed by the `PG*` environment
//! variables, TLS by rustls, and the connection pool.
//!
//! `sslmode` takes libpq's values: `disable`; `allow` and `prefer` (the
//! default) try TLS and fall back to plain TCP when the server offers none;
//! `require`, `verify-ca` and `verify-full` insist on TLS. Which of them
//! check the server's certificate is `tls.rs`'s job. Every
//! session runs with `synchronous_commit = on`, whatever the server's
//! default, so a commit (and the 202 after it) is durable.

use super::tls;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use tokio_postgres::config::{Config, Host, SslMode};

/// How long connecting may take when neither the URL nor `PGCONNECT_TIMEOUT` says.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a batch or a query waits for a free connection of the pool.
const POOL_WAIT: Duration = Duration::from_secs(30);

/// A PostgreSQL database to connect to, every part known.
#[derive(Clone, Debug)]
pub struct PgTarget {
    config: Config,
    root_cert: Option<PathBuf>,
    /// Whether the server's certificate is checked (see `tls.rs`).
    verify: bool,
}

/// Parses a `postgres://` URL; what it leaves out comes from `env`
/// (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`,
/// `PGSSLROOTCERT`, `PGAPPNAME`, `PGCONNECT_TIMEOUT`).
pub fn parse_url(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<PgTarget, String> {
    let (base, query) = text.split_once('?').unwrap_or((text, ""));
    let mut kept = Vec::new();
    let mut ssl_mode = None;
    let mut root_cert = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=').unwrap_or((pair, "")) {
            ("sslmode", value) => ssl_mode = Some((value.to_owned(), "sslmode")),
            ("sslrootcert", value) => root_cert = Some(PathBuf::from(value)),
            _ => kept.push(pair),
        }
    }
    let port = env("PGPORT")
        .map(|port| port.parse::<u16>().map_err(|_| format!("PGPORT: \"{port}\" is not a port number")))
        .transpose()?;
    let base = with_port(base, port);
    let url = if kept.is_empty() { base } else { format!("{base}?{}", kept.join("&")) };
    let mut config: Config = url.parse().map_err(|e| format!("is not a usable PostgreSQL URL ({e})"))?;
    if config.get_hosts().is_empty() {
        let hosts = env("PGHOST").unwrap_or_else(|| String::from("localhost"));
        for host in hosts.split(',') {
            config.host(host);
        }
    }
    if config.get_ports().is_empty()
        && let Some(port) = port
    {
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = env("PGUSER").ok_or("names no user: give one in the URL (postgres://USER@HOST/DB) or PGUSER")?;
        config.user(user);
    }
    if config.get_password().is_none()
        && let Some(password) = env("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_dbname().is_none()
        && let Some(dbname) = env("PGDATABASE")
    {
        config.dbname(dbname);
    }
    let (mode, name) = ssl_mode
        .or_else(|| env("PGSSLMODE").map(|value| (value, "PGSSLMODE")))
        .unwrap_or_else(|| (String::from("prefer"), "sslmode"));
    let (ssl_mode, verify) = parse_ssl_mode(&mode, name)?;
    config.ssl_mode(ssl_mode);
    if config.get_application_name().is_none() {
        config.application_name(env("PGAPPNAME").as_deref().unwrap_or("support-kpi-collector"));
    }
    if config.get_connect_timeout().is_none() {
        let timeout = match env("PGCONNECT_TIMEOUT") {
            Some(text) => Duration::from_secs(
                text.parse().map_err(|_| format!("PGCONNECT_TIMEOUT: \"{text}\" is not a number of seconds"))?,
            ),
            None => CONNECT_TIMEOUT,
        };
        config.connect_timeout(timeout);
    }
    let options = config.get_options().map(|options| format!("{options} ")).unwrap_or_default();
    config.options(format!("{options}-c synchronous_commit=on"));
    let root_cert = root_cert.or_else(|| env("PGSSLROOTCERT").map(PathBuf::from));
    let verify = verify || (ssl_mode == SslMode::Require && root_cert.is_some());
    Ok(PgTarget { config, root_cert, verify })
}

/// `base` (a URL without its query) with `port` added after a single host
/// given without one (the driver would take 5432 for it).
fn with_port(base: &str, port: Option<u16>) -> String {
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (userinfo, host) = authority.rsplit_once('@').map_or(("", authority), |(u, h)| (u, h));
    let has_port = host.rsplit_once(']').map_or(host, |(_, after)| after).contains(':');
    match port {
        Some(port) if !host.is_empty() && !host.contains(',') && !has_port => {
            let at = if userinfo.is_empty() { "" } else { "@" };
            format!("{scheme}://{userinfo}{at}{host}:{port}{path}")
        }
        _ => base.to_owned(),
    }
}

/// The driver's mode for a libpq `sslmode`, and whether it checks the certificate whatever else is given.
fn parse_ssl_mode(value: &str, name: &str) -> Result<(SslMode, bool), String> {
    match value {
        "disable" => Ok((SslMode::Disable, false)),
        "allow" | "prefer" => Ok((SslMode::Prefer, false)),
        "require" => Ok((SslMode::Require, false)),
        "verify-ca" | "verify-full" => Ok((SslMode::Require, true)),
        _ => Err(format!("{name}: \"{value}\" is not one of disable, allow, prefer, require, verify-ca, verify-full")),
    }
}

impl PgTarget {
    /// A pool of at most `size` connections (none opened yet).
    pub fn pool(&self, size: usize) -> Result<Pool, String> {
        let manager = Manager::from_config(
            self.config.clone(),
            tls::connector(self.verify, self.root_cert.as_deref())?,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let timeouts =
            Timeouts { wait: Some(POOL_WAIT), create: self.config.get_connect_timeout().copied(), recycle: None };
        Pool::builder(manager)
            .max_size(size)
            .runtime(Runtime::Tokio1)
            .timeouts(timeouts)
            .build()
            .map_err(|e| format!("cannot build the connection pool ({e})"))
    }
}

/// `user@host:port/dbname`, never the password.
impl fmt::Display for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .map(|host| match host {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        let ports: Vec<String> = self.config.get_ports().iter().map(u16::to_string).collect();
        let user = self.config.get_user().unwrap_or_default();
        let port = if ports.is_empty() { String::from("5432") } else { ports.join(",") };
        let dbname = self.config.get_dbname().unwrap_or(user);
        write!(f, "{user}@{}:{port}/{dbname}", hosts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn the_environment_fills_what_the_url_leaves_out() {
        let env = env_of(&[
            ("PGHOST", "db.example"),
            ("PGPORT", "6432"),
            ("PGUSER", "kpi"),
            ("PGPASSWORD", "secret"),
            ("PGDATABASE", "kpis"),
            ("PGSSLMODE", "require"),
        ]);
        let target = parse_url("postgres://", &env).unwrap();
        assert_eq!(target.to_string(), "kpi@db.example:6432/kpis");
        assert_eq!(target.config.get_password(), Some(&b"secret"[..]));
        assert_eq!(target.config.get_ssl_mode(), SslMode::Require);
        let target = parse_url("postgres://other:pw@here:5433/db?sslmode=disable", &env).unwrap();
        assert_eq!(target.to_string(), "other@here:5433/db");
        assert_eq!(target.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(target.config.get_ssl_mode(), SslMode::Disable);
        assert_eq!(target.config.get_options(), Some("-c synchronous_commit=on"));
        assert_eq!(target.config.get_application_name(), Some("support-kpi-collector"));
    }

    #[test]
    fn only_verify_modes_and_require_with_a_root_certificate_check_the_server() {
        let none = env_of(&[]);
        let verifies = |query: &str| parse_url(&format!("postgres://u@h/db{query}"), &none).unwrap().verify;
        assert!(!verifies(""));
        assert!(!verifies("?sslmode=require"));
        assert!(verifies("?sslmode=require&sslrootcert=/ca.pem"));
        assert!(verifies("?sslmode=verify-ca"));
        assert!(verifies("?sslmode=verify-full"));
        assert!(!verifies("?sslmode=prefer&sslrootcert=/ca.pem"));
    }

    #[test]
    fn bad_parts_are_named() {
        let none = env_of(&[]);
        assert_eq!(
            parse_url("postgres://h/db", &none).unwrap_err(),
            "names no user: give one in the URL (postgres://USER@HOST/DB) or PGUSER"
        );
        assert!(
            parse_url("postgres://u@h/db?sslmode=sometimes", &none).unwrap_err().starts_with("sslmode: \"sometimes\"")
        );
        let bad_port = env_of(&[("PGPORT", "lots")]);
        assert_eq!(parse_url("postgres://u@/db", &bad_port).unwrap_err(), "PGPORT: \"lots\" is not a port number");
        assert_eq!(parse_url("postgres://u@h/db", &bad_port).unwrap_err(), "PGPORT: \"lots\" is not a port number");
        let port = env_of(&[("PGPORT", "6543")]);
        assert_eq!(parse_url("postgres://u:p@h/db", &port).unwrap().to_string(), "u@h:6543/db");
        assert_eq!(parse_url("postgres://u@[::1]/db", &port).unwrap().to_string(), "u@::1:6543/db");
        assert_eq!(parse_url("postgres://u@h:7/db", &port).unwrap().to_string(), "u@h:7/db");
        let target = parse_url("postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", &none).unwrap();
        assert!(target.pool(1).unwrap_err().starts_with("sslrootcert /nonexistent/ca.pem: "));
    }
}
