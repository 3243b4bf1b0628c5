//! The KPI and report schemas of collector/openapi.json, from
//! [`crate::members::kpis`] and [`crate::members::report`].
//!
//! The rest of the document is written by hand (JSON has no comments to
//! mark a region): [`rewrite`] replaces these values in it
//! (`cargo run --example schema -- --write`), and `tests/schema.rs` fails
//! when the document is not what [`rewrite`] makes of it.

use super::json::{self, Node};
use super::shapes::{capitalized, sentence};
use crate::families::time::HourCounts;
use crate::members::kpis::{self, Kind, Kpi, SECTIONS, WEEK_MATRICES, camel};
use crate::members::report::{MEMBERS, Member, Shape};
use crate::named::MAX_NAMES;
use crate::schema::SERVICE_LEVEL_SECONDS;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// An hour-of-the-week key, canonical decimal 0 to 167.
const HOUR_PATTERN: &str = "^(0|[1-9][0-9]?|1[0-5][0-9]|16[0-7])$";

/// A JSON string.
fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn reference(name: &str) -> String {
    format!("{{\"$ref\": \"#/components/schemas/{name}\"}}")
}

/// `{"type": "object", "additionalProperties": false, "required": […], "properties": {…}}`
/// of `properties` (each required), with `extra` members after them.
fn object(properties: &[(String, String)], extra: &str) -> String {
    let required: Vec<String> = properties.iter().map(|(name, _)| string(name)).collect();
    let members: Vec<String> = properties.iter().map(|(name, schema)| format!("{}: {schema}", string(name))).collect();
    format!(
        "{{\"type\": \"object\", \"additionalProperties\": false, \"required\": [{}], \"properties\": {{{}}}{extra}}}",
        required.join(", "),
        members.join(", ")
    )
}

fn description(text: &str) -> String {
    format!(", \"description\": {}", string(text))
}

/// An array of at most `len` items of the schema `item`, with `extra` members after them.
fn array(len: usize, item: &str, extra: &str) -> String {
    format!("{{\"type\": \"array\", \"maxItems\": {len}, \"items\": {}{extra}}}", reference(item))
}

/// The schema of a report member.
fn report_member(member: &Member) -> String {
    let text = description(&sentence(member));
    let per_name = |names: &str, positions: &[&str]| {
        format!(
            "{{\"type\": \"object\", {names}\"additionalProperties\": {}{text}}}",
            array(positions.len(), "UnsignedCount", "")
        )
    };
    match member.shape {
        Shape::Counters(positions) => array(positions.len(), "Count", &text),
        Shape::Sketch => reference("Sketch"),
        Shape::Named(positions) => {
            per_name(&format!("\"maxProperties\": {MAX_NAMES}, \"propertyNames\": {}, ", reference("Slug")), positions)
        }
        Shape::Scores(scale) => {
            let (low, high) = scale.range();
            array(usize::from(high - low) + 1, "Count", &text)
        }
        Shape::Hours(positions) => {
            per_name(&format!("\"propertyNames\": {{\"pattern\": {}}}, ", string(HOUR_PATTERN)), positions)
        }
    }
}

/// The schema of a KPI member.
fn kpi_kind(kind: Kind) -> String {
    match kind {
        Kind::Ratio => reference("Ratio"),
        Kind::Duration => reference("Duration"),
        Kind::Mean => reference("Mean"),
        Kind::Conversions => reference("Conversions"),
        Kind::Count => String::from("{\"type\": \"integer\"}"),
        Kind::NumberOrNull => String::from("{\"type\": [\"number\", \"null\"]}"),
        Kind::CountByName => String::from("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}"),
        Kind::Object(members) => object(&kpi_members(members), ""),
    }
}

fn kpi_members(members: &[Kpi]) -> Vec<(String, String)> {
    members.iter().map(|kpi| (String::from(kpi.name), kpi_kind(kpi.kind))).collect()
}

/// The KPI object's schema, with or without its hour matrices.
fn kpi_object(hours: bool, text: &str) -> String {
    let header = ["Slug", "KpiPeriod", "KpiNoise"];
    let mut properties: Vec<(String, String)> =
        kpis::HEADER.iter().zip(header).map(|(name, schema)| (String::from(*name), reference(schema))).collect();
    properties
        .extend(SECTIONS.iter().map(|section| (String::from(section.name), reference(&capitalized(section.name)))));
    if hours {
        let integer = || String::from("{\"type\": \"integer\"}");
        let hour: Vec<(String, String)> = HourCounts::NAMES.iter().map(|name| (camel(name), integer())).collect();
        properties.push((
            String::from("byHour"),
            format!(
                "{{\"type\": \"array\", \"minItems\": 24, \"maxItems\": 24, \"description\": \"The 24 local hours of the \
                 day.\", \"items\": {}}}",
                object(&hour, "")
            ),
        ));
        let matrices: Vec<(String, String)> =
            WEEK_MATRICES.iter().map(|name| (String::from(*name), reference("WeekMatrix"))).collect();
        properties.push((String::from("byWeekdayHour"), object(&matrices, "")));
    }
    object(&properties, &description(text))
}

/// The `serviceLevelSeconds` properties of the document, bounded by [`SERVICE_LEVEL_SECONDS`].
const SERVICE_LEVELS: [&str; 2] = [
    "/components/schemas/Report/properties/serviceLevelSeconds",
    "/paths/~1api~1sites/get/responses/200/content/application~1json/schema/properties/sites/items/properties/\
     serviceLevelSeconds",
];

/// `(JSON pointer into the document, the JSON value it must hold)` of every
/// generated part: each report member's schema, each KPI section's, the KPI
/// object's with and without its hour matrices, and the bounds of
/// `serviceLevelSeconds`.
pub fn schemas() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = MEMBERS
        .iter()
        .map(|member| (format!("/components/schemas/Report/properties/{}", member.name), report_member(member)))
        .collect();
    for section in SECTIONS.iter() {
        let mut properties = Vec::from([(String::from("counts"), reference("RawCounts"))]);
        properties.extend(kpi_members(section.members));
        let text = if section.doc.is_empty() { String::new() } else { description(section.doc) };
        out.push((format!("/components/schemas/{}", capitalized(section.name)), object(&properties, &text)));
    }
    out.push((
        String::from("/components/schemas/Kpis"),
        kpi_object(true, "The KPI object (README: \"KPI definitions\")."),
    ));
    out.push((
        String::from("/components/schemas/BucketKpis"),
        kpi_object(false, "A KPI object without its hour matrices."),
    ));
    for pointer in SERVICE_LEVELS {
        out.push((format!("{pointer}/minimum"), format!("{}", SERVICE_LEVEL_SECONDS.low)));
        out.push((format!("{pointer}/maximum"), format!("{}", SERVICE_LEVEL_SECONDS.high)));
    }
    out
}

/// `document` (collector/openapi.json's text) with every value of
/// [`schemas`] in place, printed with two-space indentation and each
/// container on one line when it fits in 120 columns; an error names a
/// pointer whose object the document lacks.
pub fn rewrite(document: &str) -> Result<String, String> {
    let mut tree = json::parse(document).map_err(|e| format!("collector/openapi.json: {e}"))?;
    for (pointer, schema) in schemas() {
        let value = json::parse(&schema).map_err(|e| format!("{pointer}: {e}: {schema}"))?;
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", &pointer));
        let key = json::unescape(key);
        match tree.pointer_mut(parent) {
            Some(Node::Object(members)) => match members.iter_mut().find(|(name, _)| *name == key) {
                Some((_, old)) => *old = value,
                None => members.push((key, value)),
            },
            _ => return Err(format!("collector/openapi.json: no object at {parent}")),
        }
    }
    Ok(tree.pretty())
}

#[cfg(test)]
mod tests {
    use crate::families::time::WEEK_HOURS;

    #[test]
    fn the_hour_pattern_covers_the_hours_of_the_week() {
        assert_eq!(WEEK_HOURS, 168, "HOUR_PATTERN accepts 0 to 167");
    }
}
