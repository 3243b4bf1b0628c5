//! The generated TypeScript types and docs/kpis.md listings of the KPI
//! object and the report, from [`crate::members::kpis`] and [`crate::members::report`].

use crate::families::time::HourCounts;
use crate::members::kpis::{Kind, Kpi, SECTIONS, Section, WEEK_MATRICES, camel};
use crate::members::report::{MEMBERS, Member, Shape};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// `text` with its first letter upper case (ASCII only).
pub(super) fn capitalized(text: &str) -> String {
    let mut out = String::from(text);
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// What a report member holds and, for arrays, their positions, in words
/// (lower case, no final stop).
type Description = (String, Option<String>);

/// The [`Description`] of a report member.
fn describe(member: &Member) -> Description {
    match member.shape {
        Shape::Counters(positions) => {
            (String::from("counts by position, trailing zeros left out"), Some(positions.join(", ")))
        }
        Shape::Sketch => {
            (String::from("a duration sketch: `sumMs` and `[bucket, count]` pairs of the histogram"), None)
        }
        Shape::Named(positions) => (format!("per {}", member.name.trim_end_matches('s')), Some(positions.join(", "))),
        Shape::Scores(scale) => {
            let (low, high) = scale.range();
            (String::from("ratings by position"), Some(format!("scores {low} … {high}")))
        }
        Shape::Hours(positions) => (
            String::from("per hour of the week with any count (key 0 = Monday 00:00 local)"),
            Some(positions.join(", ")),
        ),
    }
}

/// [`describe`] as one sentence.
pub(super) fn sentence(member: &Member) -> String {
    let (holds, positions) = describe(member);
    let text = match positions {
        Some(positions) => format!("{holds}: {positions}."),
        None => format!("{holds}."),
    };
    capitalized(&text)
}

/// The TypeScript type of a KPI member.
fn ts_kind(kind: Kind) -> String {
    match kind {
        Kind::Ratio => String::from("Ratio"),
        Kind::Duration => String::from("Distribution"),
        Kind::Mean => String::from("Mean"),
        Kind::Conversions => String::from("Conversions"),
        Kind::Count => String::from("number"),
        Kind::NumberOrNull => String::from("number | null"),
        Kind::CountByName => String::from("Record<string, number>"),
        Kind::Object(members) => format!("{{ {} }}", ts_members(members)),
    }
}

fn ts_members(members: &[Kpi]) -> String {
    let members: Vec<String> = members.iter().map(|kpi| format!("{}: {}", kpi.name, ts_kind(kpi.kind))).collect();
    members.join("; ")
}

fn ts_numbers(names: impl Iterator<Item = String>) -> String {
    let members: Vec<String> = names.map(|name| format!("{name}: number")).collect();
    members.join("; ")
}

/// The TypeScript `HourCounts` of `byHour`.
pub fn ts_hour_counts() -> String {
    format!(
        "/** Counts of one hour of the day (local time). */\nexport interface HourCounts {{ {} }}\n",
        ts_numbers(HourCounts::NAMES.iter().map(|name| camel(name)))
    )
}

/// The family sections and hour matrices of the TypeScript `Kpis`.
pub fn ts_kpis() -> String {
    let mut out = String::new();
    for section in SECTIONS.iter() {
        if !section.doc.is_empty() {
            let _ = writeln!(out, "  /** {} */", section.doc);
        }
        let _ = writeln!(out, "  {}: {{", section.name);
        let _ = writeln!(out, "    {};", ts_members(section.members));
        let _ = writeln!(out, "    counts: {{ {} }};", ts_numbers(section.counts()));
        out.push_str("  };\n");
    }
    out.push_str("  /** 24 hours of the day, local time. */\n  byHour: HourCounts[];\n");
    out.push_str("  /** 7 × 24 matrices (Monday first) of counts per weekday and hour, local time. */\n");
    let matrices: Vec<String> = WEEK_MATRICES.iter().map(|name| format!("{name}: number[][]")).collect();
    let _ = writeln!(out, "  byWeekdayHour: {{ {} }};", matrices.join("; "));
    out
}

/// The family members of the TypeScript `Report`.
pub fn ts_report() -> String {
    let mut out = String::new();
    for member in MEMBERS.iter() {
        let ts_type = match member.shape {
            Shape::Counters(_) | Shape::Scores(_) => "number[]",
            Shape::Sketch => "ReportSketch",
            Shape::Named(_) | Shape::Hours(_) => "Record<string, number[]>",
        };
        if !matches!(member.shape, Shape::Sketch) {
            let _ = writeln!(out, "  /** {} */", sentence(member));
        }
        let _ = writeln!(out, "  {}?: {ts_type};", member.name);
    }
    out
}

/// The outline of the KPI object in docs/kpis.md section 2.
pub fn md_kpis() -> String {
    fn names(members: &[Kpi]) -> Vec<String> {
        members
            .iter()
            .map(|kpi| match kpi.kind {
                Kind::Object(inner) => format!("{}: {{ {} }}", kpi.name, names(inner).join(", ")),
                _ => String::from(kpi.name),
            })
            .collect()
    }
    let mut out = String::from("```\n{\n  site, period: { from, to } | null, noise: { reports, variance } | null,\n");
    for section in SECTIONS.iter() {
        let mut members = names(section.members);
        members.push(String::from("counts"));
        let _ = writeln!(out, "  {:<14}{{ {} }},", format!("{}:", section.name), members.join(", "));
    }
    let hour: Vec<String> = HourCounts::NAMES.iter().map(|name| camel(name)).collect();
    let _ = writeln!(out, "  byHour: [24 × {{ {} }}],", hour.join(", "));
    let _ = writeln!(out, "  byWeekdayHour: {{ {} }}   // 7 × 24 each", WEEK_MATRICES.join(", "));
    out.push_str("}\n```\n");
    out
}

/// The table of each family section's `counts` in docs/kpis.md section 2.
pub fn md_counts() -> String {
    let mut out = String::from("| family | `counts` |\n|---|---|\n");
    for section in SECTIONS.iter() {
        let counts: Vec<String> = Section::counts(section).map(|name| format!("`{name}`")).collect();
        let _ = writeln!(out, "| {} | {} |", section.name, counts.join(", "));
    }
    out
}

/// The table of report members in docs/kpis.md section 3 (members that hold the same kind share a row).
pub fn md_report() -> String {
    let mut rows: Vec<(Vec<String>, Description)> = Vec::new();
    for member in MEMBERS.iter() {
        let (name, holds) = (format!("`{}`", member.name), describe(member));
        match rows.iter_mut().find(|(_, text)| *text == holds) {
            Some((names, _)) => names.push(name),
            None => rows.push((Vec::from([name]), holds)),
        }
    }
    let mut out = String::from("| member | holds | positions |\n|---|---|---|\n");
    for (names, (holds, positions)) in rows {
        let _ = writeln!(out, "| {} | {holds} | {} |", names.join(", "), positions.as_deref().unwrap_or("–"));
    }
    out
}
