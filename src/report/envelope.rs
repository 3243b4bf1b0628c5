//! The report's envelope types: its id and the whole hours it covers, with
//! their JSON forms.

use crate::error::Error;
use crate::json::{Path, Reader, Writer, unknown_key};
use crate::time::{EARLIEST_TS, HOUR_MS, LATEST_TS, floor_hour};
use alloc::string::String;

/// A random 128-bit report id, for de-duplicating retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReportId(pub [u8; 16]);

impl ReportId {
    /// 32 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.0.iter().flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]).map(char::from).collect()
    }

    /// Parses 32 lowercase hex digits.
    pub fn from_hex(text: &str) -> Option<ReportId> {
        let digits = text.as_bytes();
        if digits.len() != 32 {
            return None;
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut id = [0u8; 16];
        for (byte, pair) in id.iter_mut().zip(digits.chunks(2)) {
            *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
        }
        Some(ReportId(id))
    }
}

/// The whole hours a report covers: `from <= ts < to` for each of its events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    /// Start of the first hour, ms since the epoch.
    pub from: i64,
    /// End of the last hour (exclusive).
    pub to: i64,
}

impl Period {
    /// The hour containing `ts`.
    pub fn around(ts: i64) -> Period {
        let from = floor_hour(ts);
        Period { from, to: from + HOUR_MS }
    }

    /// Writes `{"from":…,"to":…}`.
    pub fn write(&self, w: &mut Writer) {
        w.begin_object();
        w.key("from");
        w.int(self.from);
        w.key("to");
        w.int(self.to);
        w.end_object();
    }

    /// The smallest period covering both.
    pub fn union(self, other: Period) -> Period {
        Period { from: self.from.min(other.from), to: self.to.max(other.to) }
    }
}

/// Reads a report id: 32 lowercase hex digits.
pub(super) fn read_id(r: &mut Reader, path: &Path) -> Result<ReportId, Error> {
    let text = r.text(path)?;
    ReportId::from_hex(&text).ok_or_else(|| Error::invalid(path, "must be 32 lowercase hex digits"))
}

/// What a period's ends must be.
pub(super) const PERIOD_BOUND: &str = "must be a whole hour (ms since the epoch) between 2000-01-01 and 2100-01-01";

/// Reads `{"from":…,"to":…}`, each end within [`PERIOD_BOUND`].
pub(super) fn read_period(r: &mut Reader, path: &Path) -> Result<Period, Error> {
    let (mut from, mut to) = (None, None);
    r.members(path, |r, key| {
        let (slot, name) = if key.is("from") {
            (&mut from, "from")
        } else if key.is("to") {
            (&mut to, "to")
        } else {
            return Err(unknown_key(path, key));
        };
        let at = path.key(name);
        *slot = Some(r.integer(&at, EARLIEST_TS, LATEST_TS + HOUR_MS, PERIOD_BOUND)?);
        Ok(())
    })?;
    let from = from.ok_or_else(|| Error::missing(&path.key("from")))?;
    let to = to.ok_or_else(|| Error::missing(&path.key("to")))?;
    Ok(Period { from, to })
}
