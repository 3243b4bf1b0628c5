//! The `--listen` address: a host name or IP address and a port, resolved
//! and bound at startup.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use tokio::net::TcpListener;

/// A `--listen` value: `HOST:PORT`, HOST a name (`localhost`), an IPv4
/// address or an IPv6 address in brackets (`[::1]:8787`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenAddress {
    host: String,
    port: u16,
}

impl ListenAddress {
    /// Checks the syntax of `text`; the name is resolved by [`ListenAddress::bind`].
    pub fn parse(text: &str) -> Result<ListenAddress, String> {
        let usage = "must be HOST:PORT, e.g. 127.0.0.1:8787, localhost:8787 or [::1]:8787";
        let (host, port) = text.rsplit_once(':').ok_or(usage)?;
        let port = port.parse::<u16>().map_err(|_| format!("{usage} (the port is 0 to 65535)"))?;
        let host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().map_err(|_| format!("[{v6}] is not an IPv6 address"))?.to_string(),
            None if host.contains(':') => return Err(format!("{usage} (an IPv6 address goes in brackets)")),
            None if host.parse::<IpAddr>().is_ok() || is_host_name(host) => host.to_owned(),
            None => return Err(format!("{usage} (\"{host}\" is not a host name)")),
        };
        Ok(ListenAddress { host, port })
    }

    /// Resolves the host and listens on the first of its addresses that can be bound.
    pub async fn bind(&self) -> Result<TcpListener, String> {
        let addresses = tokio::net::lookup_host((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("--listen {self}: cannot resolve {} ({e})", self.host))?;
        let mut failure = format!("--listen {self}: {} has no address", self.host);
        for address in addresses {
            match TcpListener::bind(address).await {
                Ok(listener) => return Ok(listener),
                Err(e) => failure = format!("--listen {self}: cannot listen on {address} ({e})"),
            }
        }
        Err(failure)
    }
}

impl fmt::Display for ListenAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.host.contains(':') {
            true => write!(f, "[{}]:{}", self.host, self.port),
            false => write!(f, "{}:{}", self.host, self.port),
        }
    }
}

/// True for a DNS name: dot-separated labels of letters, digits and inner hyphens.
fn is_host_name(text: &str) -> bool {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    text.len() <= 253 && text.trim_end_matches('.').split('.').all(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses_with_ports_are_accepted() {
        for (text, shown) in [
            ("127.0.0.1:8787", "127.0.0.1:8787"),
            ("localhost:0", "localhost:0"),
            ("collector.example.:443", "collector.example.:443"),
            ("[::1]:8787", "[::1]:8787"),
            ("[0:0::1]:80", "[::1]:80"),
            ("0.0.0.0:65535", "0.0.0.0:65535"),
        ] {
            assert_eq!(ListenAddress::parse(text).map(|a| a.to_string()), Ok(String::from(shown)), "{text}");
        }
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let usage = "must be HOST:PORT, e.g. 127.0.0.1:8787, localhost:8787 or [::1]:8787";
        for (text, error) in [
            ("8787", String::from(usage)),
            ("localhost", String::from(usage)),
            ("localhost:http", format!("{usage} (the port is 0 to 65535)")),
            ("localhost:65536", format!("{usage} (the port is 0 to 65535)")),
            ("::1:8787", format!("{usage} (an IPv6 address goes in brackets)")),
            ("[::g]:8787", String::from("[::g] is not an IPv6 address")),
            (":8787", format!("{usage} (\"\" is not a host name)")),
            ("my host:8787", format!("{usage} (\"my host\" is not a host name)")),
            ("-bad.example:1", format!("{usage} (\"-bad.example\" is not a host name)")),
            ("a..b:1", format!("{usage} (\"a..b\" is not a host name)")),
        ] {
            assert_eq!(ListenAddress::parse(text), Err(error), "{text}");
        }
    }
}
