//! `GET /api/kpis` and `GET /api/sites`, behind the read token.
//!
//! KPIs come from merging hourly rollups (never raw reports) into the
//! buckets of the query (UTC hours, or days in the site's time zone); empty
//! buckets appear with zero counts so charts get a continuous axis.

use super::{AppState, csv, json_response, json_text_response};
use crate::config::Site;
use crate::cost::{CostPerConversation, per_conversation};
use crate::error::{Cause, Error};
use crate::store::Rollup;
use crate::time::{Bucket, now_ms};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::value::RawValue;
use std::sync::Arc;
use support_kpi::time::{DAY_MS, EARLIEST_TS, LATEST_TS};
use support_kpi::{Report, kpis_json};

/// Most buckets one query may span (about two months of hours, four years of days).
pub const MAX_BUCKETS: i64 = 1500;
/// The default range: this long before `to`.
const DEFAULT_RANGE_MS: i64 = 7 * DAY_MS;

/// Lists the configured sites.
pub(super) async fn sites(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Listed<'a> {
        key: &'a str,
        time_zone: &'a str,
        service_level_seconds: u32,
    }
    #[derive(Serialize)]
    struct Sites<'a> {
        sites: Vec<Listed<'a>>,
    }
    if let Err(error) = authorize(&state, &headers) {
        return error.into_response();
    }
    let live = state.live();
    let sites = live
        .sites
        .iter()
        .map(|site| Listed {
            key: &site.key,
            time_zone: site.time_zone.name(),
            service_level_seconds: site.service_level_seconds,
        })
        .collect();
    json_response(StatusCode::OK, &Sites { sites })
}

/// The KPIs of a site over a range, in total and per bucket.
pub(super) async fn kpis(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(parameters): Query<Vec<(String, String)>>,
) -> Response {
    match read_query(state, &headers, |state| KpiQuery::parse(state, &parameters), KpiQuery::answer).await {
        Ok(Answer::Json(text)) => json_text_response(StatusCode::OK, text),
        Ok(Answer::Csv { text, site, from, to }) => csv::response(text, &site, from, to),
        Err(error) => error.into_response(),
    }
}

/// A query of the read API: authorized, its parameters checked by `parse`,
/// then answered from the store by `answer` on the blocking pool.
pub(super) async fn read_query<Q: Send + 'static, A: Send + 'static>(
    state: Arc<AppState>,
    headers: &HeaderMap,
    parse: impl FnOnce(&AppState) -> Result<Q, Error>,
    answer: fn(&Q, &AppState) -> Result<A, Error>,
) -> Result<A, Error> {
    authorize(&state, headers)?;
    let query = parse(&state)?;
    match tokio::task::spawn_blocking(move || answer(&query, &state)).await {
        Ok(answered) => answered,
        Err(join) => Err(super::internal(&join)),
    }
}

/// 401 unless the request carries `Authorization: Bearer <read token>`.
pub(super) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), Error> {
    let presented = headers.get(header::AUTHORIZATION).map(|value| {
        let value = value.as_bytes();
        match value.get(..7) {
            Some(scheme) if scheme.eq_ignore_ascii_case(b"bearer ") => value.get(7..).unwrap_or_default(),
            _ => b"",
        }
    });
    let reason = match presented {
        None => "a bearer token is required",
        Some(token) if state.read_token.matches(token) => return Ok(()),
        Some(_) => "the bearer token is not valid",
    };
    Err(Error::new(Cause::Unauthorized, "Authorization", reason))
}

/// A validated `GET /api/kpis` query.
struct KpiQuery {
    site: Site,
    bucket: Bucket,
    buckets: Vec<(i64, i64)>,
    /// `format=csv`: the series as CSV instead of the JSON answer.
    csv: bool,
}

/// What a query answers.
enum Answer {
    /// The JSON answer.
    Json(String),
    /// The series as CSV, with what its file is named after.
    Csv { text: String, site: String, from: i64, to: i64 },
}

impl KpiQuery {
    /// Checks `site`, `from`, `to`, `bucket` and `format`; unknown or repeated parameters are errors.
    fn parse(state: &AppState, parameters: &[(String, String)]) -> Result<KpiQuery, Error> {
        let (mut site, mut from, mut to, mut bucket, mut format) = (None, None, None, None, None);
        for (name, value) in parameters {
            let slot = match name.as_str() {
                "site" => &mut site,
                "from" => &mut from,
                "to" => &mut to,
                "bucket" => &mut bucket,
                "format" => &mut format,
                _ => {
                    let reason = "is not a known parameter (site, from, to, bucket, format)";
                    return Err(Error::invalid(name, reason));
                }
            };
            if slot.replace(value.as_str()).is_some() {
                return Err(Error::invalid(name, "appears more than once"));
            }
        }
        let key = site.ok_or_else(|| Error::invalid("site", "is required"))?;
        let live = state.live();
        let site = live
            .sites
            .get(key)
            .ok_or_else(|| Error::invalid("site", &format!("\"{key}\" is not a configured site")))?;
        let bucket = match bucket {
            None => Bucket::Day,
            Some(text) => Bucket::parse(text).ok_or_else(|| Error::invalid("bucket", "must be hour or day"))?,
        };
        let csv = match format {
            None | Some("json") => false,
            Some("csv") => true,
            Some(_) => return Err(Error::invalid("format", "must be json or csv")),
        };
        let to = match to {
            Some(text) => instant("to", text)?,
            None => now_ms().clamp(EARLIEST_TS + 1, LATEST_TS),
        };
        let from = match from {
            Some(text) => instant("from", text)?,
            None => (to - DEFAULT_RANGE_MS).max(EARLIEST_TS),
        };
        if to <= from {
            return Err(Error::invalid("to", "must be after from"));
        }
        if to - from > MAX_BUCKETS * bucket.nominal_ms() {
            let reason = format!("must be at most {MAX_BUCKETS} {}s before to", bucket.name());
            return Err(Error::invalid("from", &reason));
        }
        let buckets = bucket
            .split(site.time_zone, from, to)
            .ok_or_else(|| Error::invalid("from", "is outside the dates this server can bucket"))?;
        Ok(KpiQuery { site: site.clone(), bucket, buckets, csv })
    }

    /// Reads the rollups of the range and merges them per bucket and in total.
    fn answer(&self, state: &AppState) -> Result<Answer, Error> {
        let site = &self.site;
        let (from, to) = match (self.buckets.first(), self.buckets.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            _ => return Err(Error::invalid("from", "gives no bucket")),
        };
        let failed = |e: &dyn std::fmt::Display| super::internal(&e);
        let stored = |e: Error| e.during(&format!("reading the rollups of site \"{}\"", site.key));
        let rollups = state.store.rollups(&site.key, site.service_level_seconds, from, to).map_err(stored)?;
        let mut rollups = rollups.into_iter().peekable();
        let mut total = Report::empty(&site.key, site.service_level_seconds);
        let mut reports = 0;
        let mut series = Vec::with_capacity(self.buckets.len());
        for &(from, to) in &self.buckets {
            let mut merged = Report::empty(&site.key, site.service_level_seconds);
            let mut in_bucket = 0;
            while let Some(Rollup { report, reports, .. }) = rollups.next_if(|rollup| rollup.hour < to) {
                merged.merge(&report).map_err(|e| stored(Error::unmergeable(&e)))?;
                in_bucket += reports;
            }
            total.merge(&merged).map_err(|e| stored(Error::unmergeable(&e)))?;
            reports += in_bucket;
            series.push(SeriesItem {
                from,
                to,
                reports: in_bucket,
                kpis: bucket_kpis(&merged).map_err(|e| failed(&e))?,
            });
        }
        if self.csv {
            let rows: Vec<csv::Row> = series
                .iter()
                .map(|item| csv::Row { from: item.from, to: item.to, reports: item.reports, kpis: &item.kpis })
                .collect();
            let text = csv::render(&rows).map_err(|e| failed(&e))?;
            return Ok(Answer::Csv { text, site: site.key.clone(), from, to });
        }
        let answer = KpisAnswer {
            site: &site.key,
            from,
            to,
            bucket: self.bucket.name(),
            time_zone: site.time_zone.name(),
            service_level_seconds: site.service_level_seconds,
            kpis: RawValue::from_string(kpis_json(&total)).map_err(|e| failed(&e))?,
            series,
            first_response_histogram: total
                .first_response()
                .buckets()
                .map(|(midpoint_ms, count)| ((midpoint_ms * 1000.0).round() / 1e6, count))
                .collect(),
            reports,
            cost_per_conversation: site
                .monthly_support_cost
                .map(|monthly| per_conversation(monthly, from, to, total.base().chats_started)),
        };
        serde_json::to_string(&answer).map(Answer::Json).map_err(|e| failed(&e))
    }
}

/// The response of `GET /api/kpis`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KpisAnswer<'a> {
    site: &'a str,
    from: i64,
    to: i64,
    bucket: &'static str,
    time_zone: &'a str,
    service_level_seconds: u32,
    kpis: Box<RawValue>,
    series: Vec<SeriesItem>,
    /// `[seconds, count]` per non-empty bucket of the first-response sketch (bucket midpoints).
    first_response_histogram: Vec<(f64, i64)>,
    reports: i64,
    /// Null unless the site has a `monthlySupportCost`.
    cost_per_conversation: Option<CostPerConversation>,
}

/// One bucket of the series.
#[derive(Serialize)]
struct SeriesItem {
    from: i64,
    to: i64,
    reports: i64,
    kpis: IndexMap<String, Box<RawValue>>,
}

/// The KPI object of one bucket without its `byHour` and `byWeekdayHour`
/// members (they belong to the total), members in the engine's order.
fn bucket_kpis(report: &Report) -> Result<IndexMap<String, Box<RawValue>>, serde_json::Error> {
    let mut members: IndexMap<String, Box<RawValue>> = serde_json::from_str(&kpis_json(report))?;
    members.shift_remove("byHour");
    members.shift_remove("byWeekdayHour");
    Ok(members)
}

/// A `from`/`to` parameter: ms since the epoch, 2000-01-01 to 2100-01-01.
pub(super) fn instant(name: &str, text: &str) -> Result<i64, Error> {
    text.parse::<i64>()
        .ok()
        .filter(|ms| (EARLIEST_TS..=LATEST_TS).contains(ms))
        .ok_or_else(|| Error::invalid(name, "must be milliseconds since 1970 between 2000-01-01 and 2100-01-01"))
}
