//! The members of the KPI object (docs/kpis.md section 2), in the order
//! [`crate::write_kpis`] writes them; each family section's `counts` take
//! their names from the family's own counters.
//!
//! Only the renderer and the tests read this table; `tests/schema.rs` checks
//! that the KPI object the engine writes has exactly these members, of these
//! kinds, and the TypeScript `Kpis`, the docs/kpis.md listings and the
//! OpenAPI schemas come from it.

use crate::families::availability::Availability;
use crate::families::contribution::ContributionCounts;
use crate::families::engagement::Engagement;
use crate::families::friendliness::RATING_COUNTS;
use crate::families::prevention::PreventionCounts;
use crate::families::productivity::Productivity;
use crate::families::speed::{ANSWERED_COUNTS, SpeedCounts};
pub use crate::families::time::WEEK_MATRICES;

/// What a KPI member holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `{ num, den, value }`.
    Ratio,
    /// `{ count, mean, p50, p90, p99 }` in seconds.
    Duration,
    /// `{ value, count }`.
    Mean,
    /// `{ count, value, byGoal }`.
    Conversions,
    /// An integer.
    Count,
    /// A number, or null when it has no denominator.
    NumberOrNull,
    /// An integer per allowed name.
    CountByName,
    /// An object of these members.
    Object(&'static [Kpi]),
}

/// One member of a KPI section.
#[derive(Clone, Copy, Debug)]
pub struct Kpi {
    /// The member's key.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
}

/// One family's section of the KPI object; its members end with `counts`.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    /// The section's key.
    pub name: &'static str,
    /// What the section's reader should know (empty: nothing).
    pub doc: &'static str,
    /// Its KPIs, in the order they are written, `counts` left out.
    pub members: &'static [Kpi],
    /// The snake_case names of the family's counters, the first of `counts` (camelCase there).
    pub counters: &'static [&'static str],
    /// The members of `counts` after the counters, as they are written.
    pub extra_counts: &'static [&'static str],
}

impl Section {
    /// Every member of `counts`, camelCase, in order.
    pub fn counts(&self) -> impl Iterator<Item = alloc::string::String> {
        self.counters.iter().map(|name| camel(name)).chain(self.extra_counts.iter().map(|name| (*name).into()))
    }
}

/// `supportPageViews` for `support_page_views`, as `counts` names the counters.
pub fn camel(snake: &str) -> alloc::string::String {
    let mut out = alloc::string::String::new();
    crate::families::push_camel(&mut out, snake);
    out
}

const fn kpi(name: &'static str, kind: Kind) -> Kpi {
    Kpi { name, kind }
}

const fn section(
    name: &'static str,
    doc: &'static str,
    members: &'static [Kpi],
    counters: &'static [&'static str],
    extra_counts: &'static [&'static str],
) -> Section {
    Section { name, doc, members, counters, extra_counts }
}

use Kind::{Conversions, Count, CountByName, Duration, Mean, NumberOrNull, Object, Ratio};

/// The header members every KPI object starts with.
pub const HEADER: [&str; 3] = ["site", "period", "noise"];

/// The family sections, in the order they are written.
pub const SECTIONS: [Section; 7] = [
    section(
        "engagement",
        "",
        &[
            kpi("supportPageShare", Ratio),
            kpi("supportContactRate", Ratio),
            kpi("chatEngagementRatio", Ratio),
            kpi("launcherClickThrough", Ratio),
            kpi("openToStart", Ratio),
        ],
        Engagement::NAMES,
        &[],
    ),
    section(
        "availability",
        "",
        &[kpi("coverage", Ratio), kpi("presence", Ratio), kpi("presenceInHours", Ratio), kpi("offlineMessages", Ratio)],
        Availability::NAMES,
        &[],
    ),
    section(
        "speed",
        "The `…Online` members count only chats started while chat was online.",
        &[
            kpi("firstResponse", Duration),
            kpi("firstResponseOnline", Duration),
            kpi("serviceLevel", Ratio),
            kpi("serviceLevelOnline", Ratio),
            kpi("serviceLevelSeconds", Count),
            kpi("response", Duration),
            kpi("resolution", Duration),
            kpi("handleTime", Duration),
        ],
        SpeedCounts::NAMES,
        &ANSWERED_COUNTS,
    ),
    section(
        "prevention",
        "",
        &[
            kpi("abandonmentRate", Ratio),
            kpi("abandonmentRateOnline", Ratio),
            kpi("repeatContactRate", Ratio),
            kpi("fcr", Ratio),
            kpi("escalationRate", Ratio),
            kpi("transferRate", Ratio),
            kpi("complaints", Count),
            kpi("complaintsResolved", Count),
            kpi("tags", CountByName),
            kpi("abandonWait", Duration),
        ],
        PreventionCounts::NAMES,
        &[],
    ),
    section(
        "friendliness",
        "",
        &[
            kpi("csat", Ratio),
            kpi("csatMean", Mean),
            kpi(
                "nps",
                Object(&[
                    kpi("value", NumberOrNull),
                    kpi("promoters", Count),
                    kpi("passives", Count),
                    kpi("detractors", Count),
                    kpi("count", Count),
                ]),
            ),
            kpi("ces", Mean),
        ],
        &[],
        &RATING_COUNTS,
    ),
    section(
        "contribution",
        "",
        &[
            kpi("conversionsAfterChat", Conversions),
            kpi("conversions", Conversions),
            kpi("conversionRateWithChat", Ratio),
            kpi("conversionRateWithoutChat", Ratio),
            kpi("valuePerChat", Ratio),
        ],
        ContributionCounts::NAMES,
        &[],
    ),
    section(
        "productivity",
        "",
        &[kpi("chatsStarted", Count), kpi("messagesPerChat", Ratio), kpi("openConversations", Count)],
        Productivity::NAMES,
        &[],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_camel_case_counters_then_extras() {
        let speed: alloc::vec::Vec<_> = SECTIONS[2].counts().collect();
        assert_eq!(speed, ["serviceLevelMet", "serviceLevelMetOnline", "answeredChats", "answeredChatsOnline"]);
        assert_eq!(camel("in_hours_page_views"), "inHoursPageViews");
    }
}
