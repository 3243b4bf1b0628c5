//! The collector's settings, validated from the flags: sites, token, mounts.

use crate::address::ListenAddress;
use crate::args::ServeArgs;
use crate::error::Error;
use crate::limits::Limits;
use crate::rate_limit::RateLimit;
use crate::store::Location;
use crate::token::ReadToken;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support_kpi::json::check_slug;

/// Everything `serve` needs, validated.
#[derive(Debug)]
pub struct Settings {
    /// Address to listen on.
    pub listen: ListenAddress,
    /// The store: a SQLite file or a PostgreSQL database.
    pub db: Location,
    /// Most connections of a PostgreSQL pool.
    pub db_pool: usize,
    /// Token of the KPI API.
    pub read_token: ReadToken,
    /// True when the token was generated (so it must be printed).
    pub token_generated: bool,
    /// The configured sites.
    pub sites: Sites,
    /// Where they came from, to read them again (SIGHUP).
    pub sites_source: SitesSource,
    /// Static directories by URL path; none serves the files built into the binary.
    pub mounts: Vec<Mount>,
    /// Timeouts, connections and rates.
    pub limits: Limits,
    /// Threads serving HTTP.
    pub workers: usize,
    /// Time between two checks of the alert rules.
    pub alert_interval: Duration,
    /// Wait before the first retry of a failed alert webhook.
    pub alert_retry: Duration,
}

impl Settings {
    /// Validates the flags of `serve`.
    pub fn from_args(args: &ServeArgs) -> Result<Settings, Error> {
        let (read_token, token_generated) = match &args.read_token {
            Some(text) => (ReadToken::parse(text)?, false),
            None => (ReadToken::generate()?, true),
        };
        let sites_source = SitesSource { file: args.sites.clone(), inline: args.site.clone() };
        let sites = sites_source.load()?;
        let mut mounts: Vec<Mount> = Vec::new();
        for text in &args.mount {
            let mount = Mount::parse(text).map_err(|reason| Error::invalid(&format!("--mount {text}"), &reason))?;
            if mounts.iter().any(|m| m.url_path == mount.url_path) {
                let reason = format!("{} is mounted twice", mount.url_path);
                return Err(Error::invalid(&format!("--mount {text}"), &reason));
            }
            mounts.push(mount);
        }
        let limits = Limits {
            header_timeout: args.header_timeout,
            request_timeout: args.request_timeout,
            max_connections: args.max_connections as usize,
            rate: RateLimit { per_second: args.rate_limit, burst: args.rate_burst.unwrap_or(args.rate_limit) },
        };
        let workers =
            args.workers.map_or_else(|| std::thread::available_parallelism().map_or(1, usize::from), usize::from);
        Ok(Settings {
            listen: args.listen.clone(),
            db: args.db.clone(),
            db_pool: usize::from(args.db_pool),
            read_token,
            token_generated,
            sites,
            sites_source,
            mounts,
            limits,
            workers,
            alert_interval: args.alert_interval,
            alert_retry: args.alert_retry,
        })
    }
}

/// Where the sites come from: the sites file and the `--site` flags.
#[derive(Debug, Clone)]
pub struct SitesSource {
    /// The sites file, if any.
    pub file: Option<PathBuf>,
    /// The `--site KEY=ORIGIN[,ORIGIN...]` flags.
    pub inline: Vec<String>,
}

impl SitesSource {
    /// Reads and validates every site; an error names the file or flag and the entry.
    pub fn load(&self) -> Result<Sites, Error> {
        let mut sites = Sites::default();
        if let Some(file) = &self.file {
            for site in read_sites_file(file)? {
                sites.add(site, &format!("sites file {}", file.display()))?;
            }
        }
        for (index, text) in self.inline.iter().enumerate() {
            let label = format!("--site #{} ({text})", index + 1);
            let site = parse_site_flag(text).map_err(|reason| Error::invalid(&label, &reason))?;
            sites.add(site, &label)?;
        }
        if sites.is_empty() {
            let reason = "give --sites FILE (or SUPPORT_KPI_SITES) or --site KEY=ORIGIN";
            return Err(Error::invalid("no sites configured", reason));
        }
        Ok(sites)
    }
}

/// One site: where its reports may come from and how its KPIs are bucketed.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The site key reports carry, `[a-z0-9_-]{1,64}`.
    pub key: String,
    /// Allowed `Origin`s (`scheme://host[:port]`, lowercase), or `*` for any.
    pub origins: Vec<String>,
    /// Time zone of day buckets.
    pub time_zone: Tz,
    /// The service-level threshold reports must have been counted with.
    pub service_level_seconds: u32,
    /// ε (in thousandths) when the site's widget noises its reports: only
    /// then is a report with `noise` accepted, and only with the noise this ε gives.
    pub dp_epsilon_milli: Option<u32>,
    /// The goal names its reports may carry; `None`: any (a total holds at most 64).
    pub goals: Option<Vec<String>>,
    /// The tag names its reports may carry; `None`: any (a total holds at most 64).
    pub tags: Option<Vec<String>>,
    /// What support costs a month (any currency), for the cost per conversation.
    pub monthly_support_cost: Option<f64>,
    /// Alert rules and their webhook.
    pub alerts: Option<crate::alerts::SiteAlerts>,
}

impl Site {
    /// True when a report of this site may come from `origin` (`None`: no `Origin` header).
    pub fn allows(&self, origin: Option<&str>) -> bool {
        self.origins.iter().any(|allowed| allowed == "*" || Some(allowed.as_str()) == origin)
    }
}

/// The configured sites by key.
#[derive(Debug, Default)]
pub struct Sites(BTreeMap<String, Site>);

impl Sites {
    /// The site with `key`.
    pub fn get(&self, key: &str) -> Option<&Site> {
        self.0.get(key)
    }

    /// All sites, by key.
    pub fn iter(&self) -> impl Iterator<Item = &Site> {
        self.0.values()
    }

    /// True when no site is configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when some site accepts reports from `origin` (for CORS preflights).
    pub fn any_allows(&self, origin: &str) -> bool {
        self.0.values().any(|site| site.allows(Some(origin)))
    }

    fn add(&mut self, site: Site, label: &str) -> Result<(), Error> {
        if self.0.contains_key(&site.key) {
            return Err(Error::invalid(label, &format!("site \"{}\" is configured twice", site.key)));
        }
        self.0.insert(site.key.clone(), site);
        Ok(())
    }
}

/// A site as written in the sites file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SiteEntry {
    key: String,
    origins: Vec<String>,
    #[serde(default = "default_time_zone")]
    time_zone: String,
    #[serde(default = "default_service_level")]
    service_level_seconds: u32,
    #[serde(default)]
    dp_epsilon: Option<f64>,
    #[serde(default)]
    goals: Option<Vec<String>>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    monthly_support_cost: Option<f64>,
    #[serde(default)]
    alerts: Option<serde_json::Value>,
}

fn default_time_zone() -> String {
    String::from("UTC")
}

fn default_service_level() -> u32 {
    60
}

fn read_sites_file(file: &Path) -> Result<Vec<Site>, Error> {
    let label = format!("sites file {}", file.display());
    let text = std::fs::read(file).map_err(|e| Error::invalid(&label, &format!("cannot be read ({e})")))?;
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&text)
        .map_err(|e| Error::invalid(&label, &format!("must be a JSON array of site objects ({e})")))?;
    entries
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let entry =
                SiteEntry::deserialize(value).map_err(|e| Error::invalid(&label, &format!("sites[{index}]: {e}")))?;
            let counting = |entry: SiteEntry| {
                let mut site = site(entry.key, entry.origins, &entry.time_zone, entry.service_level_seconds)?;
                site.dp_epsilon_milli = entry.dp_epsilon.map(epsilon_milli).transpose()?;
                site.goals = entry.goals.map(|names| name_list("goals", names)).transpose()?;
                site.tags = entry.tags.map(|names| name_list("tags", names)).transpose()?;
                site.monthly_support_cost = crate::cost::check_monthly(entry.monthly_support_cost)?;
                site.alerts = entry.alerts.map(crate::alerts::parse).transpose()?;
                Ok(site)
            };
            counting(entry).map_err(|reason: String| Error::invalid(&label, &format!("sites[{index}].{reason}")))
        })
        .collect()
}

/// `KEY=ORIGIN[,ORIGIN...]`, in UTC with a 60 s service level.
fn parse_site_flag(text: &str) -> Result<Site, String> {
    let (key, origins) = text.split_once('=').ok_or("must be KEY=ORIGIN[,ORIGIN...]")?;
    let origins = origins.split(',').map(str::to_owned).collect();
    site(key.to_owned(), origins, &default_time_zone(), default_service_level())
}

/// A validated site; the error starts with the field at fault (`origins[1]: ...`).
fn site(key: String, origins: Vec<String>, time_zone: &str, service_level_seconds: u32) -> Result<Site, String> {
    check_slug(&key, &support_kpi::json::Path::root("key")).map_err(|e| format!("key: \"{key}\" {}", e.detail()))?;
    if origins.is_empty() {
        return Err(String::from("origins: must list at least one origin (or \"*\")"));
    }
    let origins = origins
        .iter()
        .enumerate()
        .map(|(index, origin)| normalize_origin(origin).map_err(|reason| format!("origins[{index}]: {reason}")))
        .collect::<Result<Vec<_>, _>>()?;
    let time_zone =
        time_zone.parse::<Tz>().map_err(|_| format!("timeZone: \"{time_zone}\" is not a known IANA time zone"))?;
    let (low, high) = support_kpi::SERVICE_LEVEL_SECONDS_RANGE;
    if !(low..=high).contains(&i64::from(service_level_seconds)) {
        return Err(format!("serviceLevelSeconds: {}", support_kpi::SERVICE_LEVEL_SECONDS_BOUND));
    }
    Ok(Site {
        key,
        origins,
        time_zone,
        service_level_seconds,
        dp_epsilon_milli: None,
        goals: None,
        tags: None,
        monthly_support_cost: None,
        alerts: None,
    })
}

/// `dpEpsilon` as the widget takes it: 0.1 to 10 with at most three decimals, in thousandths.
fn epsilon_milli(epsilon: f64) -> Result<u32, String> {
    let milli = (epsilon * 1000.0).round();
    let (low, high) = support_kpi::dp::EPSILON_MILLI_RANGE;
    let exact = (epsilon * 1000.0 - milli).abs() < 1e-6;
    if exact && (low as f64..=high as f64).contains(&milli) {
        Ok(milli as u32)
    } else {
        Err(format!("dpEpsilon: {epsilon} must be a number from 0.1 to 10 with at most three decimals"))
    }
}

/// An allow-list of goal or tag names: slugs, each once, at most 64 (what a total can hold).
fn name_list(member: &str, names: Vec<String>) -> Result<Vec<String>, String> {
    if names.len() > support_kpi::MAX_NAMES {
        return Err(format!("{member}: must list at most {} names", support_kpi::MAX_NAMES));
    }
    for (index, name) in names.iter().enumerate() {
        check_slug(name, &support_kpi::json::Path::root("name"))
            .map_err(|e| format!("{member}[{index}]: \"{name}\" {}", e.detail()))?;
        if names[..index].contains(name) {
            return Err(format!("{member}[{index}]: \"{name}\" is listed twice"));
        }
    }
    Ok(names)
}

/// An origin as browsers send it: `http(s)://host[:port]`, lowercase; or `*`.
fn normalize_origin(text: &str) -> Result<String, String> {
    let origin = text.trim().to_ascii_lowercase();
    if origin == "*" {
        return Ok(origin);
    }
    let shaped =
        origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")).is_some_and(valid_authority);
    if shaped {
        Ok(origin)
    } else {
        Err(format!(
            "\"{text}\" must be an origin such as https://help.acme.example (scheme, host, optional port; no path)"
        ))
    }
}

/// `host[:port]` or `[ipv6][:port]`.
fn valid_authority(authority: &str) -> bool {
    let (host, port) = match authority.strip_prefix('[') {
        Some(ipv6) => match ipv6.split_once(']') {
            Some((address, rest)) if address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') => {
                (address, if rest.is_empty() { None } else { rest.strip_prefix(':').or(Some("")) })
            }
            _ => return false,
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok =
        !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    let port_ok = port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

/// A static directory served under a URL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// `/` or `/segment[/segment...]` without a trailing slash.
    pub url_path: String,
    /// The directory, relative to the working directory or absolute.
    pub dir: PathBuf,
}

impl Mount {
    /// Parses `URLPATH=DIR`.
    pub fn parse(text: &str) -> Result<Mount, String> {
        let (url_path, dir) = text.split_once('=').ok_or("must be URLPATH=DIR")?;
        let segments: Vec<&str> = url_path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
        let safe = |s: &&str| {
            *s != "." && *s != ".." && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        };
        if !url_path.starts_with('/') || !segments.iter().all(safe) {
            return Err(String::from("URLPATH must start with / and hold only a-z, A-Z, 0-9, '-', '_', '.' segments"));
        }
        if dir.is_empty() {
            return Err(String::from("DIR must not be empty"));
        }
        Ok(Mount { url_path: format!("/{}", segments.join("/")), dir: PathBuf::from(dir) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn settings(args: &[&str]) -> Result<Settings, String> {
        let cli = crate::args::Cli::try_parse_from([&["support-kpi-collector", "serve"], args].concat())
            .map_err(|e| e.to_string())?;
        match cli.command {
            Some(crate::args::Command::Serve(args)) => Settings::from_args(&args).map_err(|e| e.to_string()),
            _ => Err(String::from("not serve")),
        }
    }

    fn sites_file(json: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), json).unwrap();
        file
    }

    #[test]
    fn reads_sites_from_flags_and_file() {
        let file = sites_file(
            r#"[{"key":"acme-help","origins":["https://Help.Acme.example"],"timeZone":"Europe/Amsterdam","serviceLevelSeconds":30,"dpEpsilon":0.5,"goals":["buy"]}]"#,
        );
        let s = settings(&[
            "--sites",
            file.path().to_str().unwrap(),
            "--site",
            "quick=http://localhost:8080,https://b.example",
            "--read-token",
            "0123456789abcdef",
        ])
        .unwrap();
        let acme = s.sites.get("acme-help").unwrap();
        assert_eq!(acme.origins, ["https://help.acme.example"]);
        assert_eq!(acme.time_zone, chrono_tz::Europe::Amsterdam);
        assert_eq!(acme.service_level_seconds, 30);
        assert_eq!(
            (acme.dp_epsilon_milli, &acme.goals, &acme.tags),
            (Some(500), &Some(vec![String::from("buy")]), &None)
        );
        let quick = s.sites.get("quick").unwrap();
        assert_eq!((quick.time_zone, quick.service_level_seconds), (chrono_tz::UTC, 60));
        assert!(quick.allows(Some("http://localhost:8080")));
        assert!(!quick.allows(Some("http://localhost:8081")));
        assert!(!quick.allows(None));
        assert!(s.sites.any_allows("https://help.acme.example"));
        assert!(!s.token_generated);
        assert!(s.mounts.is_empty(), "no --mount: the files built into the binary");
        assert_eq!(s.listen.to_string(), "127.0.0.1:8787");
        let defaults = Limits {
            header_timeout: std::time::Duration::from_secs(10),
            request_timeout: std::time::Duration::from_secs(10),
            max_connections: 4096,
            rate: RateLimit { per_second: 50_000, burst: 50_000 },
        };
        assert_eq!(s.limits, defaults);
        assert_eq!(s.workers, std::thread::available_parallelism().map_or(1, usize::from));
    }

    #[test]
    fn limits_come_from_their_flags() {
        let s = settings(&[
            "--site",
            "a=*",
            "--header-timeout",
            "0.5",
            "--request-timeout",
            "2",
            "--max-connections",
            "10",
            "--rate-limit",
            "100",
            "--rate-burst",
            "20",
            "--workers",
            "3",
        ])
        .unwrap();
        assert_eq!(s.limits.header_timeout, std::time::Duration::from_millis(500));
        assert_eq!(s.limits.request_timeout, std::time::Duration::from_secs(2));
        assert_eq!(s.limits.max_connections, 10);
        assert_eq!(s.limits.rate, RateLimit { per_second: 100, burst: 20 });
        assert_eq!(s.workers, 3);
        for bad in [["--rate-limit", "0"], ["--header-timeout", "0"], ["--max-connections", "0"], ["--workers", "0"]] {
            assert!(settings(&[&["--site", "a=*"][..], &bad[..]].concat()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_star_origin_accepts_any_page_and_none() {
        let s = settings(&["--site", "open=*"]).unwrap();
        assert!(s.sites.get("open").unwrap().allows(None));
        assert!(s.sites.any_allows("https://anything.example"));
        assert!(s.token_generated);
    }

    #[test]
    fn bad_configs_name_the_entry() {
        let file = sites_file(r#"[{"key":"a","origins":["*"]},{"key":"b","origins":["*"],"timeZone":"Mars/Base"}]"#);
        let path = file.path().to_str().unwrap().to_owned();
        let label = format!("sites file {path}");
        let cases: Vec<(Vec<&str>, String)> = vec![
            (
                vec![],
                String::from("no sites configured: give --sites FILE (or SUPPORT_KPI_SITES) or --site KEY=ORIGIN"),
            ),
            (
                vec!["--sites", &path],
                format!("{label}: sites[1].timeZone: \"Mars/Base\" is not a known IANA time zone"),
            ),
            (vec!["--site", "acme"], String::from("--site #1 (acme): must be KEY=ORIGIN[,ORIGIN...]")),
            (
                vec!["--site", "Acme=*"],
                String::from("--site #1 (Acme=*): key: \"Acme\" must be 1 to 64 characters from a-z, 0-9, '_' and '-'"),
            ),
            (
                vec!["--site", "a=*", "--site", "b=https://x.example/path"],
                String::from(
                    "--site #2 (b=https://x.example/path): origins[0]: \"https://x.example/path\" must be an origin \
                     such as https://help.acme.example (scheme, host, optional port; no path)",
                ),
            ),
            (vec!["--site", "a=*", "--site", "a=*"], String::from("--site #2 (a=*): site \"a\" is configured twice")),
            (
                vec!["--site", "a=*", "--read-token", "short"],
                String::from("read token: must be at least 16 visible ASCII characters without spaces"),
            ),
            (
                vec!["--site", "a=*", "--mount", "/x/../y=dir"],
                String::from(
                    "--mount /x/../y=dir: URLPATH must start with / and hold only a-z, A-Z, 0-9, '-', '_', '.' segments",
                ),
            ),
            (
                vec!["--site", "a=*", "--mount", "/x=a", "--mount", "/x/=b"],
                String::from("--mount /x/=b: /x is mounted twice"),
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(settings(&args).unwrap_err(), expected, "{args:?}");
        }
        let bad_entry = sites_file(r#"[{"key":"a","origins":["*"],"colour":"red"}]"#);
        let error = settings(&["--sites", bad_entry.path().to_str().unwrap()]).unwrap_err();
        assert!(error.contains("sites[0]: unknown field `colour`"), "{error}");
        let error = settings(&["--sites", "/nonexistent/sites.json"]).unwrap_err();
        assert!(error.starts_with("sites file /nonexistent/sites.json: cannot be read"), "{error}");
        for (entry, reason) in [
            (r#""dpEpsilon":0.05"#, "dpEpsilon: 0.05 must be a number from 0.1 to 10 with at most three decimals"),
            (r#""dpEpsilon":1.0001"#, "dpEpsilon: 1.0001 must be a number from 0.1 to 10 with at most three decimals"),
            (r#""goals":["Buy"]"#, "goals[0]: \"Buy\" must be 1 to 64 characters from a-z, 0-9, '_' and '-'"),
            (r#""tags":["a","a"]"#, "tags[1]: \"a\" is listed twice"),
        ] {
            let file = sites_file(&format!(r#"[{{"key":"a","origins":["*"],{entry}}}]"#));
            let error = settings(&["--sites", file.path().to_str().unwrap()]).unwrap_err();
            assert!(error.ends_with(&format!("sites[0].{reason}")), "{error}");
        }
        let hook = sites_file(r#"[{"key":"a","origins":["*"],"alerts":{"webhook":"ftp://x","rules":[]}}]"#);
        let error = settings(&["--sites", hook.path().to_str().unwrap()]).unwrap_err();
        assert!(
            error
                .ends_with("sites[0].alerts.webhook: \"ftp://x\" must be an http:// URL (the collector speaks no TLS)"),
            "{error}"
        );
        let free = sites_file(r#"[{"key":"a","origins":["*"],"monthlySupportCost":-5}]"#);
        let error = settings(&["--sites", free.path().to_str().unwrap()]).unwrap_err();
        assert!(error.ends_with("sites[0].monthlySupportCost: must be a number from 0 to 1e12"), "{error}");
        let no_origins = sites_file(r#"[{"key":"a","origins":[],"serviceLevelSeconds":0}]"#);
        let error = settings(&["--sites", no_origins.path().to_str().unwrap()]).unwrap_err();
        assert!(error.ends_with("sites[0].origins: must list at least one origin (or \"*\")"), "{error}");
    }

    #[test]
    fn origins_are_checked_and_lowercased() {
        assert_eq!(normalize_origin("HTTPS://Help.Example:8443").unwrap(), "https://help.example:8443");
        assert_eq!(normalize_origin("http://[::1]:8080").unwrap(), "http://[::1]:8080");
        for bad in ["help.example", "https://", "https://a.example/", "ftp://a.example", "https://a.example:x"] {
            assert!(normalize_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mounts_are_normalized() {
        assert_eq!(Mount::parse("/=www").unwrap(), Mount { url_path: "/".into(), dir: "www".into() });
        assert_eq!(Mount::parse("/vendor/=a/b").unwrap().url_path, "/vendor");
        assert!(Mount::parse("vendor=x").is_err());
        assert!(Mount::parse("/x=").is_err());
    }
}
