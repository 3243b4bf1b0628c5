//! Counts kept per name (goals, tags), merged by name.

use crate::counters::{MAX_COUNT, add_all, read_array, write_array};
use crate::error::Error;
use crate::json::{Path, Reader, Writer, check_slug};
use crate::tape::Tape;
use alloc::string::String;
use alloc::vec::Vec;

/// Most names one report may carry.
pub const MAX_NAMES: usize = 64;

/// `N` counts per name, kept sorted by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedCounts<const N: usize> {
    entries: Vec<(String, [i64; N])>,
}

impl<const N: usize> Default for NamedCounts<N> {
    fn default() -> Self {
        NamedCounts { entries: Vec::new() }
    }
}

impl<const N: usize> NamedCounts<N> {
    /// The counts of `name` (zeros if absent).
    pub fn get(&self, name: &str) -> [i64; N] {
        self.entries.iter().find(|(n, _)| n == name).map_or([0; N], |(_, counts)| *counts)
    }

    /// Adds `counts` to the entry of `name`, creating it if needed.
    pub fn add(&mut self, name: &str, counts: &[i64; N]) {
        let at = match self.entries.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            Ok(at) => at,
            Err(at) => {
                // Shifts the entries from `at` on up by one, as `Vec::insert`
                // would, without its index assertion, whose panic message
                // would bring its text and `core::fmt` code into the Wasm.
                let mut carry = (String::from(name), [0; N]);
                for entry in self.entries.get_mut(at..).into_iter().flatten() {
                    core::mem::swap(entry, &mut carry);
                }
                self.entries.push(carry);
                at
            }
        };
        if let Some((_, slots)) = self.entries.get_mut(at) {
            add_all(&mut slots.each_mut(), counts);
        }
    }

    /// Adds every entry of `other`.
    pub fn merge(&mut self, other: &Self) {
        for (name, counts) in &other.entries {
            self.add(name, counts);
        }
    }

    /// Entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[i64; N])> {
        self.entries.iter().map(|(name, counts)| (name.as_str(), counts))
    }

    /// Sum over all names, per position.
    pub fn total(&self) -> [i64; N] {
        let mut total = [0; N];
        for (_, counts) in &self.entries {
            add_all(&mut total.each_mut(), counts);
        }
        total
    }

    /// How many names [`NamedCounts::merge`] of `other` would leave.
    pub fn union_len(&self, other: &Self) -> usize {
        let new = other
            .entries
            .iter()
            .filter(|(name, _)| self.entries.binary_search_by(|(mine, _)| mine.as_str().cmp(name)).is_err());
        self.entries.len() + new.count()
    }

    /// How many names are counted.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no name has been counted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes or reads the entries on a state tape: their number, then name and counts of each.
    pub fn visit(&mut self, tape: &mut dyn Tape) {
        let entries = core::mem::take(&mut self.entries);
        let len = tape.len(entries.len(), MAX_NAMES);
        for i in 0..len {
            let (mut name, mut counts) = entries.get(i).cloned().unwrap_or_else(|| (String::new(), [0; N]));
            tape.name(&mut name);
            for count in &mut counts {
                tape.int(count, 0, MAX_COUNT);
            }
            self.add(&name, &counts);
        }
    }

    /// Writes `{"name":[counts…],…}`.
    pub fn write(&self, w: &mut Writer) {
        w.begin_object();
        for (name, counts) in &self.entries {
            w.key(name);
            write_array(w, counts);
        }
        w.end_object();
    }

    /// Reads what [`NamedCounts::write`] wrote; names must be slugs, each
    /// once, and at most [`MAX_NAMES`] when `limited`.
    pub fn read(r: &mut Reader, path: &Path, limited: bool) -> Result<Self, Error> {
        let mut named = NamedCounts::default();
        r.members(path, |r, key| {
            let name = key.decode().unwrap_or_default();
            let at = path.key(&name);
            check_slug(&name, &at)?;
            if limited && named.entries.len() >= MAX_NAMES {
                return Err(Error::invalid(&at, "is one name too many (at most 64)"));
            }
            let mut counts = [0; N];
            read_array(r, &at, &mut counts.each_mut(), false)?;
            named.add(&name, &counts);
            Ok(())
        })?;
        Ok(named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_by_name_and_round_trips() {
        let mut a = NamedCounts::<2>::default();
        a.add("signup", &[1, 0]);
        a.add("purchase", &[2, 5_000]);
        let mut b = NamedCounts::<2>::default();
        b.add("purchase", &[1, 1_000]);
        a.merge(&b);
        assert_eq!(a.get("purchase"), [3, 6_000]);
        assert_eq!(a.total(), [4, 6_000]);
        let mut w = Writer::new();
        a.write(&mut w);
        let text = w.into_string();
        assert_eq!(text, r#"{"purchase":[3,6000],"signup":[1]}"#);
        let back = NamedCounts::<2>::read(&mut Reader::new(text.as_bytes()), &Path::root("goals"), true).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn rejects_bad_names() {
        let read = |json: &str| {
            NamedCounts::<1>::read(&mut Reader::new(json.as_bytes()), &Path::root("r").key("tags"), true)
                .map_err(|e| e.message())
        };
        assert_eq!(
            read(r#"{"Bad Name":[1]}"#).unwrap_err(),
            "tags.Bad Name: must be 1 to 64 characters from a-z, 0-9, '_' and '-'"
        );
        assert_eq!(read(r#"{"a":[1],"a":[2]}"#).unwrap_err(), "tags.a: appears more than once");
    }
}
