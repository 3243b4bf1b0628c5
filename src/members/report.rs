//! The members of the wire report, in the order [`crate::Report::write`]
//! writes them, with the positions of their arrays taken from the families'
//! own counter names (`src/families/*.rs`).
//!
//! The renderer, the tests and the layout fingerprint ([`super::layout`])
//! read this table (the engine's readers and writers are the families'); `tests/schema.rs` checks that a report the
//! engine writes has exactly these members, and the generated TypeScript
//! `Report`, docs/kpis.md table and OpenAPI schemas come from it.

use crate::event::Scale;
use crate::families::availability::Availability;
use crate::families::contribution::{ContributionCounts, goal};
use crate::families::engagement::Engagement;
use crate::families::prevention::PreventionCounts;
use crate::families::productivity::Productivity;
use crate::families::speed::{SKETCHES, SpeedCounts};
use crate::families::time::HourCounts;

/// What a report member holds.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A positional array of counters; `positions` are their snake_case names.
    Counters(&'static [&'static str]),
    /// A duration sketch (`{sumMs, buckets}`).
    Sketch,
    /// A positional array per allowed name (goals, tags), at most
    /// [`crate::MAX_NAMES`] names.
    Named(&'static [&'static str]),
    /// The number of ratings per score of a survey scale, lowest score first.
    Scores(Scale),
    /// A positional array per hour of the week with any count (`"0"` = Monday 00:00 local).
    Hours(&'static [&'static str]),
}

/// One member of the report (besides the header: `v`, `site`, `id`, `period`,
/// `serviceLevelSeconds`, `noise`).
#[derive(Clone, Copy, Debug)]
pub struct Member {
    /// The member's key.
    pub name: &'static str,
    /// What it holds.
    pub shape: Shape,
}

/// The header members every report starts with, in the order they are written.
pub const HEADER: [&str; 6] = ["v", "site", "id", "period", "serviceLevelSeconds", "noise"];

/// The positions of a goal's entry, by [`goal`]'s indexes.
pub const GOAL_POSITIONS: [&str; 4] = {
    let mut positions = [""; 4];
    positions[goal::COUNT] = "count";
    positions[goal::VALUE] = "value (thousandths)";
    positions[goal::AFTER_CHAT_COUNT] = "after-chat count";
    positions[goal::AFTER_CHAT_VALUE] = "after-chat value (thousandths)";
    positions
};

/// The positions of a tag's entry.
pub const TAG_POSITIONS: [&str; 1] = ["count"];

const fn member(name: &'static str, shape: Shape) -> Member {
    Member { name, shape }
}

const fn sketch(index: usize) -> Member {
    member(SKETCHES[index], Shape::Sketch)
}

/// Every family member of the report, in the order they are written: the
/// counter arrays, then sketches and named counts, then histograms.
pub const MEMBERS: [Member; 18] = [
    member("engagement", Shape::Counters(Engagement::NAMES)),
    member("availability", Shape::Counters(Availability::NAMES)),
    member("speed", Shape::Counters(SpeedCounts::NAMES)),
    member("prevention", Shape::Counters(PreventionCounts::NAMES)),
    member("contribution", Shape::Counters(ContributionCounts::NAMES)),
    member("productivity", Shape::Counters(Productivity::NAMES)),
    sketch(0),
    sketch(1),
    sketch(2),
    sketch(3),
    sketch(4),
    member("tags", Shape::Named(&TAG_POSITIONS)),
    member("abandonWait", Shape::Sketch),
    member("goals", Shape::Named(&GOAL_POSITIONS)),
    member("csat", Shape::Scores(Scale::Csat)),
    member("nps", Shape::Scores(Scale::Nps)),
    member("ces", Shape::Scores(Scale::Ces)),
    member("hours", Shape::Hours(HourCounts::NAMES)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sketch_of_speed_is_a_member() {
        let sketches: alloc::vec::Vec<&str> =
            MEMBERS.iter().filter(|m| matches!(m.shape, Shape::Sketch)).map(|m| m.name).collect();
        for name in SKETCHES {
            assert!(sketches.contains(&name), "{name}");
        }
    }

    #[test]
    fn goal_positions_are_all_named() {
        assert!(GOAL_POSITIONS.iter().all(|name| !name.is_empty()));
    }
}
