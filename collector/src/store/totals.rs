//! The rollups one batch touches, grown report by report: the merging every
//! [`Store`](super::Store) shares, so that no store can write a total that
//! does not decode.
//!
//! Each touched rollup is loaded once, before its first report of the batch
//! is merged; every report is checked against the total it joins
//! ([`Report::check_room_for`]) and refused alone when it does not fit, so
//! one report never fails the batch of other reports and sites.

use super::{Incoming, Outcome, Rollup};
use crate::error::Error;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use support_kpi::Report;

/// A rollup's key: site, service-level threshold, UTC hour (ms).
pub type RollupKey<'b> = (&'b str, u32, i64);

/// The touched rollups of a batch, each with whether a report joined it.
#[derive(Default)]
pub struct Totals<'b> {
    touched: HashMap<RollupKey<'b>, (Rollup, bool)>,
}

impl<'b> Totals<'b> {
    /// Merges `incoming` into its rollup, loading that first with `load` (the
    /// stored rollup, if any); `Refused`, changing nothing, when the total
    /// would not decode. Never answers `Duplicate`: ids are the store's.
    pub fn add(
        &mut self,
        incoming: &'b Incoming,
        load: impl FnOnce(RollupKey<'b>) -> Result<Option<Rollup>, Error>,
    ) -> Result<Outcome, Error> {
        let report = &incoming.report;
        let key = (report.site(), report.service_level_seconds(), incoming.hour);
        let (rollup, changed) = match self.touched.entry(key) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let stored = load(key)?.unwrap_or_else(|| Rollup {
                    hour: incoming.hour,
                    reports: 0,
                    report: Report::empty(report.site(), report.service_level_seconds()),
                });
                entry.insert((stored, false))
            }
        };
        if let Err(error) = rollup.report.check_room_for(report) {
            return Ok(Outcome::Refused(error));
        }
        rollup.report.merge(report).map_err(|e| Error::unmergeable(&e))?;
        rollup.reports += 1;
        *changed = true;
        Ok(Outcome::Stored)
    }

    /// The touched rollups that gained a report, to be saved.
    pub fn into_changed(self) -> impl Iterator<Item = (RollupKey<'b>, Rollup)> {
        self.touched.into_iter().filter_map(|(key, (rollup, changed))| changed.then_some((key, rollup)))
    }
}

/// A stored rollup's report from its JSON text ([`Report::decode_total`], so
/// a total stored with more than 64 names by an older collector still reads).
pub fn decode_total(text: &str) -> Result<Report, Error> {
    Report::decode_total(text.as_bytes()).map_err(|e| Error::unmergeable(&e))
}
