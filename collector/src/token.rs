//! The read token that guards the KPI API, compared in constant time.

use crate::error::{Cause, Error};
use std::fmt;

/// Fewest characters a configured token may have.
const MIN_LEN: usize = 16;

/// The bearer token of `GET /api/kpis` and `GET /api/sites`.
#[derive(Clone)]
pub struct ReadToken(String);

impl ReadToken {
    /// A configured token: at least 16 visible ASCII characters, no spaces.
    pub fn parse(text: &str) -> Result<ReadToken, Error> {
        if text.len() < MIN_LEN || !text.bytes().all(|b| b.is_ascii_graphic()) {
            let reason = format!("must be at least {MIN_LEN} visible ASCII characters without spaces");
            return Err(Error::invalid("read token", &reason));
        }
        Ok(ReadToken(text.to_owned()))
    }

    /// A fresh random token: 32 hex digits (128 bits) from the operating system.
    pub fn generate() -> Result<ReadToken, Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::new(Cause::Failed, "read token", &format!("no randomness from the system ({e})")))?;
        Ok(ReadToken(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// The token, for printing it at startup.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `presented` is the token; takes the same time wherever they differ.
    pub fn matches(&self, presented: &[u8]) -> bool {
        constant_time_eq(self.0.as_bytes(), presented)
    }
}

impl fmt::Debug for ReadToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReadToken(…)")
    }
}

/// Compares two byte strings without stopping at the first difference.
///
/// Only the length can be learnt from the timing, and a token's length is
/// no secret worth keeping.
pub fn constant_time_eq(expected: &[u8], presented: &[u8]) -> bool {
    if expected.len() != presented.len() {
        return false;
    }
    let difference = expected.iter().zip(presented).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_whole_strings() {
        assert!(constant_time_eq(b"secret-token-123", b"secret-token-123"));
        assert!(!constant_time_eq(b"secret-token-123", b"secret-token-124"));
        assert!(!constant_time_eq(b"secret-token-123", b"Secret-token-123"));
        assert!(!constant_time_eq(b"secret-token-123", b"secret-token-12"));
        assert!(!constant_time_eq(b"secret-token-123", b""));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn configured_tokens_are_checked_and_generated_ones_are_random() {
        assert!(ReadToken::parse("short").is_err());
        assert!(ReadToken::parse("sixteen chars ok").is_err(), "spaces are refused");
        let token = ReadToken::parse("0123456789abcdef").unwrap();
        assert!(token.matches(b"0123456789abcdef"));
        assert!(!token.matches(b"0123456789abcdeF"));
        let (a, b) = (ReadToken::generate().unwrap(), ReadToken::generate().unwrap());
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(format!("{a:?}"), "ReadToken(…)");
    }
}
