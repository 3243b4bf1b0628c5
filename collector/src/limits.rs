//! What one client may take of the server: time, connections, reports per second.

use crate::rate_limit::RateLimit;
use std::time::Duration;

/// The server's limits, from the flags of `serve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest a client may take to send a request's headers; also how long
    /// an idle keep-alive connection is kept open.
    pub header_timeout: Duration,
    /// Longest a request may take, reading its body included (408 after it).
    pub request_timeout: Duration,
    /// Most connections served at once; more clients wait in the listen backlog.
    pub max_connections: usize,
    /// Reports per second per site.
    pub rate: RateLimit,
}

/// Longest request head (request line and headers) accepted, in bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// Longest query string accepted, in bytes.
pub const MAX_QUERY: usize = 1024;

/// Parses a flag's number of seconds: more than 0, at most an hour, fractions allowed.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|seconds| *seconds > 0.0 && *seconds <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("\"{text}\" must be a number of seconds above 0 and at most 3600"))
}

/// A duration as a message says it: `10 s`, `0.5 s`.
pub fn seconds_text(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_positive_and_at_most_an_hour() {
        assert_eq!(parse_seconds("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        for bad in ["0", "-1", "3601", "NaN", "inf", "ten", ""] {
            assert_eq!(
                parse_seconds(bad),
                Err(format!("\"{bad}\" must be a number of seconds above 0 and at most 3600")),
                "{bad}"
            );
        }
        assert_eq!(seconds_text(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds_text(Duration::from_millis(500)), "0.5 s");
    }
}
