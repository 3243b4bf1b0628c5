//! The generated regions of the repository's files, rendered from the schema
//! (native builds only: `cargo run --example schema -- --write` writes them,
//! `tests/schema.rs` checks them).

mod json;
pub mod openapi;
mod shapes;

use crate::schema::{Bounds, CONFIG_KEYS, ConfigKey, EVENT_TYPES, EventSchema};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// The command that writes every region.
pub const COMMAND: &str = "cargo run --example schema -- --write";

/// One generated region of a file.
pub struct Region {
    /// The file, relative to the repository root.
    pub path: &'static str,
    /// The region's name in its markers.
    pub name: &'static str,
    /// How a line comment starts and ends in the file (`("// ", "")`, `("<!-- ", " -->")`).
    pub comment: (&'static str, &'static str),
    /// What goes between the markers.
    pub body: String,
}

impl Region {
    /// The line that opens the region.
    pub fn begin(&self) -> String {
        let (open, close) = self.comment;
        format!("{open}BEGIN GENERATED {}: edit src/schema/ or src/members/ and run `{COMMAND}`{close}", self.name)
    }

    /// The line that closes the region.
    pub fn end(&self) -> String {
        let (open, close) = self.comment;
        format!("{open}END GENERATED {}{close}", self.name)
    }

    /// `text` with this region's body replaced, or an error when its markers are missing.
    pub fn apply(&self, text: &str) -> Result<String, String> {
        let (begin, end) = (self.begin(), self.end());
        let missing = || format!("{}: no lines `{begin}` … `{end}`", self.path);
        let start = text.find(&begin).ok_or_else(missing)? + begin.len();
        let stop = start + text[start..].find(&end).ok_or_else(missing)?;
        let line_start = text[..stop].rfind('\n').map_or(0, |i| i + 1);
        Ok(format!("{}\n{}{}", &text[..start], self.body, &text[line_start..]))
    }
}

/// Every generated region.
pub fn regions() -> Vec<Region> {
    const JS: (&str, &str) = ("// ", "");
    const MD: (&str, &str) = ("<!-- ", " -->");
    Vec::from([
        Region { path: "src/wasm/batch.js", name: "codes", comment: JS, body: js_codes() },
        Region { path: "www/widget/runtime/schema.js", name: "bounds", comment: JS, body: js_bounds() },
        Region { path: "src/wasm/types.rs", name: "config", comment: JS, body: ts_config() },
        Region { path: "src/wasm/types.rs", name: "events", comment: JS, body: ts_events() },
        Region { path: "src/wasm/types.rs", name: "hour-counts", comment: JS, body: shapes::ts_hour_counts() },
        Region { path: "src/wasm/types.rs", name: "kpis", comment: JS, body: shapes::ts_kpis() },
        Region { path: "src/wasm/types.rs", name: "report", comment: JS, body: shapes::ts_report() },
        Region { path: "docs/kpis.md", name: "events", comment: MD, body: md_events() },
        Region { path: "docs/kpis.md", name: "kpis", comment: MD, body: shapes::md_kpis() },
        Region { path: "docs/kpis.md", name: "counts", comment: MD, body: shapes::md_counts() },
        Region { path: "docs/kpis.md", name: "report", comment: MD, body: shapes::md_report() },
        Region { path: "docs/kpis.md", name: "config", comment: MD, body: md_config() },
        Region { path: "README.md", name: "attributes", comment: MD, body: md_attributes() },
    ])
}

fn quoted(names: impl Iterator<Item = &'static str>) -> String {
    let names: Vec<String> = names.map(|name| format!("\"{name}\"")).collect();
    format!("[{}]", names.join(", "))
}

/// `CODES` of the JS batch packer: code, required and optional fields of each packed type.
fn js_codes() -> String {
    let mut out = String::from(
        "/** Type codes: the positions of the event types in `EVENT_TYPES` (src/schema/mod.rs), as \
         src/event/packed.rs decodes them. */\nconst CODES = {\n",
    );
    for (code, event) in EVENT_TYPES.iter().enumerate().filter(|(_, event)| event.packed) {
        let names = |required: bool| event.fields.iter().filter(move |f| f.required == required).map(|f| f.name);
        let _ = writeln!(out, "  {}: [{code}, {}, {}],", event.name, quoted(names(true)), quoted(names(false)));
    }
    out.push_str("};\n");
    out
}

/// A bound as a JS or Markdown number.
fn number(value: i64, bounds: &Bounds) -> String {
    if bounds.milli { format!("{}", value as f64 / 1000.0) } else { format!("{value}") }
}

/// `SERVICE_LEVEL_SECONDS` for `serviceLevelSeconds`.
fn constant_name(key: &str) -> String {
    let mut name = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

/// The widget's option bounds: `[lowest, highest, default]` of each numeric key.
fn js_bounds() -> String {
    let mut out =
        String::from("// `[lowest, highest, default]` of the numeric configuration keys (no default: off).\n");
    for (key, bounds) in numeric_keys() {
        let mut values = Vec::from([number(bounds.low, &bounds), number(bounds.high, &bounds)]);
        values.extend(bounds.default.map(|default| number(default, &bounds)));
        let _ = writeln!(out, "export const {} = [{}];", constant_name(key.name), values.join(", "));
    }
    out
}

/// The numeric keys with their bounds, in the order of [`CONFIG_KEYS`].
fn numeric_keys() -> impl Iterator<Item = (&'static ConfigKey, Bounds)> {
    CONFIG_KEYS.iter().filter_map(|key| key.bounds.map(|bounds| (key, bounds)))
}

/// `an integer from 1 to 86400`: the range its error message states.
fn range(bounds: &Bounds) -> &'static str {
    bounds.message.trim_start_matches("must be ")
}

/// The numeric members of the TypeScript `KpiConfig`.
fn ts_config() -> String {
    let mut out = String::new();
    for (key, bounds) in numeric_keys() {
        let summary = shapes::capitalized(bounds.summary);
        let (nullable, default) = match bounds.default {
            Some(value) => ("", format!(", default {}", number(value, &bounds))),
            None => (" | null", String::from("; absent or `null`: off")),
        };
        let _ = writeln!(out, "  /** {summary}: {}{default}. */", range(&bounds));
        let _ = writeln!(out, "  {}?: number{nullable};", key.name);
    }
    out
}

fn ts_fields(event: &EventSchema) -> String {
    let mut out = format!("type: \"{}\"; ts: number", event.name);
    for field in event.fields {
        let optional = if field.required { "" } else { "?" };
        let _ = write!(out, "; {}{optional}: {}", field.name, field.ts_type);
    }
    out
}

/// The TypeScript `KpiEvent` union.
fn ts_events() -> String {
    let mut out = String::from(
        "/** One event; `ts` is milliseconds since the epoch (`Date.now()`), between 2000 and 2100. */\nexport type \
         KpiEvent =\n",
    );
    for event in EVENT_TYPES.iter() {
        let _ = writeln!(out, "  | {{ {} }}", ts_fields(event));
    }
    out.insert(out.len() - 1, ';');
    out
}

/// The table of event types of docs/kpis.md section 1.
fn md_events() -> String {
    let mut out = String::from("| type | fields | produced by |\n|---|---|---|\n");
    for event in EVENT_TYPES.iter() {
        let fields: Vec<String> = event
            .fields
            .iter()
            .map(|f| format!("`{}{}: {}`", f.name, if f.required { "" } else { "?" }, f.ts_type.replace('|', "\\|")))
            .collect();
        let mut cell = fields.join(", ");
        if !event.note.is_empty() {
            cell.push_str(if cell.is_empty() { "" } else { "; " });
            cell.push_str(event.note);
        }
        if cell.is_empty() {
            cell.push('–');
        }
        let _ = writeln!(out, "| `{}` | {cell} | {} |", event.name, event.source);
    }
    out
}

/// The table of numeric configuration keys of docs/kpis.md section 4.
fn md_config() -> String {
    let mut out = String::from("| key | widget attribute | range | default |\n|---|---|---|---|\n");
    for (key, bounds) in numeric_keys() {
        let attribute = key.attribute.map_or(String::from("–"), |name| format!("`data-{name}`"));
        let kind = if bounds.milli { "number" } else { "integer" };
        let range = format!("{kind} {} … {}", number(bounds.low, &bounds), number(bounds.high, &bounds));
        let default = bounds.default.map_or(String::from("off"), |value| number(value, &bounds));
        let _ = writeln!(out, "| `{}` | {attribute} | {range} | {default} |", key.name);
    }
    out
}

/// README's table of the widget's numeric `data-` attributes.
fn md_attributes() -> String {
    let mut out = String::from("| attribute | default | meaning |\n|---|---|---|\n");
    for (key, bounds) in numeric_keys() {
        let Some(attribute) = key.attribute else { continue };
        let default = bounds.default.map_or(String::from("off"), |value| format!("`{}`", number(value, &bounds)));
        let _ = writeln!(out, "| `data-{attribute}` | {default} | {}: {} |", bounds.summary, range(&bounds));
    }
    out
}
