//! `GET /api/kpis?…&format=csv`: one row per bucket, every KPI member as a column.
//!
//! Columns are the dotted paths of the KPI object's leaves (`speed.serviceLevel.num`,
//! `speed.firstResponse.p90`, …) in the engine's order; a column only some
//! buckets have (a tag, a goal) is empty in the others. `null` is an empty cell.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use indexmap::IndexMap;
use serde_json::value::RawValue;

/// One bucket: `from`, `to` (ms), reports merged, and its KPI members.
pub(super) struct Row<'a> {
    pub from: i64,
    pub to: i64,
    pub reports: i64,
    pub kpis: &'a IndexMap<String, Box<RawValue>>,
}

/// The CSV text: a header row, then one row per bucket (CRLF line ends, RFC 4180).
pub(super) fn render(rows: &[Row]) -> Result<String, serde_json::Error> {
    let mut columns: IndexMap<String, ()> = IndexMap::new();
    let mut cells = Vec::with_capacity(rows.len());
    for row in rows {
        let mut leaves = IndexMap::new();
        for (key, value) in row.kpis {
            flatten(key, value, &mut leaves)?;
        }
        for path in leaves.keys() {
            columns.entry(path.clone()).or_insert(());
        }
        cells.push(leaves);
    }
    let mut out = String::from("from,to,fromUtc,reports");
    for path in columns.keys() {
        out.push(',');
        out.push_str(&quoted(path));
    }
    out.push_str("\r\n");
    for (row, leaves) in rows.iter().zip(&cells) {
        out.push_str(&format!("{},{},{},{}", row.from, row.to, utc(row.from), row.reports));
        for path in columns.keys() {
            out.push(',');
            if let Some(text) = leaves.get(path) {
                out.push_str(&quoted(text));
            }
        }
        out.push_str("\r\n");
    }
    Ok(out)
}

/// `text` as a CSV field: quoted when it holds a comma, quote or line break.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// Adds the leaves under `path` to `leaves`: numbers as written, strings unquoted, null as empty.
fn flatten(path: &str, value: &RawValue, leaves: &mut IndexMap<String, String>) -> Result<(), serde_json::Error> {
    let text = value.get().trim_start();
    if text.starts_with('{') {
        let members: IndexMap<String, Box<RawValue>> = serde_json::from_str(text)?;
        for (key, member) in &members {
            flatten(&format!("{path}.{key}"), member, leaves)?;
        }
    } else if text.starts_with('"') {
        leaves.insert(path.to_owned(), serde_json::from_str::<String>(text)?);
    } else if text != "null" {
        leaves.insert(path.to_owned(), text.trim_end().to_owned());
    }
    Ok(())
}

/// `2026-11-23T09:00:00Z`.
fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

/// The CSV as a download named after the site and range.
pub(super) fn response(text: String, site: &str, from: i64, to: i64) -> Response {
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Site keys are slugs, so the name needs no escaping.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"support-kpi-{site}-{from}-{to}.csv\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_members_in_order_and_unions_the_columns() {
        let first: IndexMap<String, Box<RawValue>> =
            serde_json::from_str(r#"{"site":"a","speed":{"serviceLevel":{"num":1,"den":2,"value":0.5}},"tags":{}}"#)
                .unwrap();
        let second: IndexMap<String, Box<RawValue>> = serde_json::from_str(
            r#"{"site":"a","speed":{"serviceLevel":{"num":0,"den":0,"value":null}},"tags":{"x,y":3}}"#,
        )
        .unwrap();
        let rows = [
            Row { from: 1_795_392_000_000, to: 1_795_395_600_000, reports: 2, kpis: &first },
            Row { from: 1_795_395_600_000, to: 1_795_399_200_000, reports: 0, kpis: &second },
        ];
        assert_eq!(
            render(&rows).unwrap(),
            concat!(
                "from,to,fromUtc,reports,site,speed.serviceLevel.num,speed.serviceLevel.den,speed.serviceLevel.value,\"tags.x,y\"\r\n",
                "1795392000000,1795395600000,2026-11-23T00:00:00Z,2,a,1,2,0.5,\r\n",
                "1795395600000,1795399200000,2026-11-23T01:00:00Z,0,a,0,0,,3\r\n",
            )
        );
    }
}
