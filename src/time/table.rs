//! A zone's UTC offsets over a span of time, supplied by the caller (the
//! widget's build writes one per zone, the loader fetches the site's), so
//! that the zone's rules are needed only outside that span.

use crate::error::Error;
use crate::json::{Path, Reader, unknown_key};
use alloc::vec::Vec;

/// Most offset changes a table may list.
const MAX_CHANGES: usize = 64;
/// Largest offset accepted, in minutes (UTC±18:00).
const MAX_OFFSET: i64 = 18 * 60;

/// From each listed instant on, the listed offset, until `until`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetTable {
    /// (UTC ms, offset in minutes), by increasing instant.
    changes: Vec<(i64, i32)>,
    /// The first instant the table does not cover.
    until: i64,
}

impl OffsetTable {
    /// The offset at `utc_ms`, or `None` outside the table's span.
    pub fn offset_at(&self, utc_ms: i64) -> Option<i32> {
        if utc_ms >= self.until {
            return None;
        }
        let after = self.changes.partition_point(|(from, _)| *from <= utc_ms);
        after.checked_sub(1).and_then(|i| self.changes.get(i)).map(|(_, offset)| *offset)
    }

    /// Reads `{"until": ms, "offsets": [[fromMs, minutes], …]}`.
    pub fn read(r: &mut Reader, path: &Path) -> Result<OffsetTable, Error> {
        let mut table = OffsetTable::default();
        let mut until = None;
        r.members(path, |r, key| {
            if key.is("until") {
                until = Some(r.integer(&path.key("until"), 0, i64::MAX, "must be milliseconds since 1970")?);
                return Ok(());
            }
            if !key.is("offsets") {
                return Err(unknown_key(path, key));
            }
            let offsets = path.key("offsets");
            r.items(&offsets, |r, index| {
                let item = offsets.index(index);
                if index >= MAX_CHANGES {
                    return Err(Error::invalid(&item, "is one change too many (at most 64)"));
                }
                let mut pair = [0i64; 2];
                let mut count = 0;
                r.items(&item, |r, i| {
                    let at = item.index(i);
                    let (low, high, range) = match i {
                        0 => (0, i64::MAX, "must be milliseconds since 1970"),
                        1 => (-MAX_OFFSET, MAX_OFFSET, "must be minutes from -1080 to 1080"),
                        _ => return Err(Error::invalid(&at, "is extra: a change is [fromMs, offsetMinutes]")),
                    };
                    pair[i] = r.integer(&at, low, high, range)?;
                    count += 1;
                    Ok(())
                })?;
                if count != 2 {
                    return Err(Error::invalid(&item, "must be a pair [fromMs, offsetMinutes]"));
                }
                if table.changes.last().is_some_and(|(from, _)| *from >= pair[0]) {
                    return Err(Error::invalid(&item, "must start after the change before it"));
                }
                table.changes.push((pair[0], pair[1] as i32));
                Ok(())
            })
        })?;
        table.until = until.ok_or_else(|| Error::missing(&path.key("until")))?;
        if table.changes.first().is_none_or(|(from, _)| *from >= table.until) {
            return Err(Error::invalid(&path.key("offsets"), "must list at least one change before until"));
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(json: &str) -> Result<OffsetTable, alloc::string::String> {
        OffsetTable::read(&mut Reader::new(json.as_bytes()), &Path::root("config").key("timeZoneTable"))
            .map_err(|e| e.message())
    }

    #[test]
    fn looks_offsets_up_within_its_span() {
        // Amsterdam around the 2026 spring change.
        let t = table(r#"{"until":1800000000000,"offsets":[[1700000000000,60],[1774746000000,120]]}"#).unwrap();
        assert_eq!(t.offset_at(1_699_999_999_999), None, "before the span");
        assert_eq!(t.offset_at(1_774_745_999_999), Some(60));
        assert_eq!(t.offset_at(1_774_746_000_000), Some(120));
        assert_eq!(t.offset_at(1_800_000_000_000), None, "at until");
    }

    #[test]
    fn refuses_bad_tables() {
        let cases = [
            (r#"{"offsets":[[1,0]]}"#, "timeZoneTable.until: is required"),
            (r#"{"until":5,"offsets":[]}"#, "timeZoneTable.offsets: must list at least one change before until"),
            (
                r#"{"until":9,"offsets":[[5,0],[5,60]]}"#,
                "timeZoneTable.offsets[1]: must start after the change before it",
            ),
            (r#"{"until":9,"offsets":[[5,2000]]}"#, "timeZoneTable.offsets[0][1]: must be minutes from -1080 to 1080"),
            (r#"{"until":9,"offsets":[[5]]}"#, "timeZoneTable.offsets[0]: must be a pair [fromMs, offsetMinutes]"),
            (r#"{"until":9,"rules":[]}"#, "timeZoneTable.rules: is not a known field"),
            (r#"{"until":9,"offsets":[[5,0]],"until":99}"#, "timeZoneTable.until: appears more than once"),
        ];
        for (json, message) in cases {
            assert_eq!(table(json).unwrap_err(), message, "{json}");
        }
    }
}
