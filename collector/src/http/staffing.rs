//! `GET /api/staffing`: agents needed per local weekday-hour, from the
//! measured demand of a range (Erlang C, see [`crate::staffing`]).

use super::kpis::{instant, read_query};
use super::{AppState, json_response};
use crate::config::Site;
use crate::error::Error;
use crate::staffing::demand::{HourDemand, measure};
use crate::staffing::{Advice, Demand, Input};
use crate::time::now_ms;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;
use support_kpi::Report;
use support_kpi::time::{DAY_MS, EARLIEST_TS, HOUR_MS, LATEST_TS, LocalClock, floor_hour};

/// Longest range one staffing query may span.
pub const MAX_RANGE_MS: i64 = 366 * DAY_MS;
/// The default range: four weeks before `to`.
const DEFAULT_RANGE_MS: i64 = 28 * DAY_MS;

/// A validated staffing query.
struct StaffingQuery {
    site: Site,
    from: i64,
    to: i64,
    /// The goal; `arrivals` and `handle_seconds` are filled in per hour.
    goal: Demand,
}

/// The answer of `GET /api/staffing`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StaffingAnswer<'a> {
    site: &'a str,
    from: i64,
    to: i64,
    time_zone: &'a str,
    target: f64,
    answer_seconds: f64,
    concurrency: f64,
    shrinkage: f64,
    max_occupancy: f64,
    /// Chats whose handle time is known, and their mean in seconds (null when none).
    handled: i64,
    handle_seconds: Option<f64>,
    /// The 168 local hours of the week, Monday 00:00 first.
    hours: Vec<StaffingHour>,
}

/// One local hour of the week.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StaffingHour {
    weekday: usize,
    hour: usize,
    occurrences: f64,
    chats_started: i64,
    arrivals_per_hour: f64,
    /// Online page views / page views in this hour (value null without page views).
    presence: Presence,
    /// Null when no handle time is known yet.
    advice: Option<Advice>,
}

#[derive(Serialize)]
struct Presence {
    num: i64,
    den: i64,
    value: Option<f64>,
}

/// Agents needed per weekday-hour of a site over a range.
pub(super) async fn staffing(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(parameters): Query<Vec<(String, String)>>,
) -> Response {
    read_query(state, &headers, |state| StaffingQuery::parse(state, &parameters), StaffingQuery::answer)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

impl StaffingQuery {
    /// Checks every parameter; unknown or repeated ones are errors.
    fn parse(state: &AppState, parameters: &[(String, String)]) -> Result<StaffingQuery, Error> {
        const KNOWN: &str = "site, from, to, target, seconds, concurrency, shrinkage, maxOccupancy";
        let mut slots: [(&str, Option<&str>); 8] = [
            ("site", None),
            ("from", None),
            ("to", None),
            ("target", None),
            ("seconds", None),
            ("concurrency", None),
            ("shrinkage", None),
            ("maxOccupancy", None),
        ];
        for (name, value) in parameters {
            let Some(slot) = slots.iter_mut().find(|(known, _)| known == name) else {
                return Err(Error::invalid(name, &format!("is not a known parameter ({KNOWN})")));
            };
            if slot.1.replace(value.as_str()).is_some() {
                return Err(Error::invalid(name, "appears more than once"));
            }
        }
        let [site, from, to, target, seconds, concurrency, shrinkage, max_occupancy] = slots.map(|(_, value)| value);
        let key = site.ok_or_else(|| Error::invalid("site", "is required"))?;
        let live = state.live();
        let site = live
            .sites
            .get(key)
            .ok_or_else(|| Error::invalid("site", &format!("\"{key}\" is not a configured site")))?;
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
        if to - from > MAX_RANGE_MS {
            return Err(Error::invalid("from", "must be at most 366 days before to"));
        }
        let number = |name: &str, text: Option<&str>, default: f64| match text {
            None => Ok(default),
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|value| value.is_finite())
                .ok_or_else(|| Error::invalid(name, "must be a number")),
        };
        let goal = Demand {
            arrivals: 0.0,
            interval_seconds: HOUR_MS as f64 / 1000.0,
            handle_seconds: 1.0,
            target: number("target", target, 0.8)?,
            answer_seconds: number("seconds", seconds, f64::from(site.service_level_seconds))?,
            concurrency: number("concurrency", concurrency, 1.0)?,
            shrinkage: number("shrinkage", shrinkage, 0.0)?,
            max_occupancy: number("maxOccupancy", max_occupancy, 1.0)?,
        };
        goal.check(&|input| parameter(input).to_owned())?;
        Ok(StaffingQuery { site: site.clone(), from, to, goal })
    }

    /// Merges the rollups of the range and advises each hour of the week.
    fn answer(&self, state: &AppState) -> Result<Response, Error> {
        let site = &self.site;
        let stored = |e: Error| e.during(&format!("reading the rollups of site \"{}\"", site.key));
        // Rollups are whole UTC hours: the range widens to them, as /api/kpis does.
        let (from, to) = (floor_hour(self.from), floor_hour(self.to - 1) + HOUR_MS);
        let rollups = state.store.rollups(&site.key, site.service_level_seconds, from, to).map_err(stored)?;
        let mut total = Report::empty(&site.key, site.service_level_seconds);
        for rollup in &rollups {
            total.merge(&rollup.report).map_err(|e| stored(Error::unmergeable(&e)))?;
        }
        let mut clock = LocalClock::new(site.time_zone.name(), site.time_zone);
        let demand = measure(&total, &mut clock, from, to);
        let hours = demand
            .hours
            .iter()
            .enumerate()
            .map(|(week_hour, measured)| self.hour(week_hour, measured, demand.handle_seconds))
            .collect::<Result<Vec<_>, _>>()?;
        let answer = StaffingAnswer {
            site: &site.key,
            from,
            to,
            time_zone: site.time_zone.name(),
            target: self.goal.target,
            answer_seconds: self.goal.answer_seconds,
            concurrency: self.goal.concurrency,
            shrinkage: self.goal.shrinkage,
            max_occupancy: self.goal.max_occupancy,
            handled: demand.handled,
            handle_seconds: demand.handle_seconds.map(round),
            hours,
        };
        Ok(json_response(StatusCode::OK, &answer))
    }

    /// The advice of one hour of the week.
    fn hour(&self, week_hour: usize, measured: &HourDemand, handle: Option<f64>) -> Result<StaffingHour, Error> {
        let advice = match handle {
            Some(handle_seconds) if handle_seconds > 0.0 => {
                let demand = Demand { arrivals: measured.arrivals_per_hour, handle_seconds, ..self.goal };
                Some(demand.advise(&|input| measured_input(week_hour, input))?.rounded())
            }
            // No chat handled yet, or all in no time: no advice but for hours without demand.
            _ => None,
        };
        let (num, den) = (measured.online_page_views, measured.page_views);
        Ok(StaffingHour {
            weekday: week_hour / 24,
            hour: week_hour % 24,
            occurrences: round(measured.occurrences),
            chats_started: measured.chats_started,
            arrivals_per_hour: round(measured.arrivals_per_hour),
            presence: Presence { num, den, value: (den > 0).then(|| round(num as f64 / den as f64)) },
            advice,
        })
    }
}

/// Six decimals, as the KPIs.
fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// An input of the advice for hour `week_hour` of the answer: measured
/// arrivals and handle time are named by their place in it (the model cannot
/// advise more than [`crate::staffing::MAX_AGENTS`] agents), the goal by its
/// query parameter.
fn measured_input(week_hour: usize, input: Input) -> String {
    match input {
        Input::Arrivals => format!("hours[{week_hour}].arrivalsPerHour"),
        Input::HandleSeconds => String::from("handleSeconds"),
        other => parameter(other).to_owned(),
    }
}

/// The query parameter of an input (those measured are the site's data).
fn parameter(input: Input) -> &'static str {
    match input {
        Input::Target => "target",
        Input::AnswerSeconds => "seconds",
        Input::Concurrency => "concurrency",
        Input::Shrinkage => "shrinkage",
        Input::MaxOccupancy => "maxOccupancy",
        Input::Arrivals | Input::IntervalSeconds | Input::HandleSeconds => "site",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_much_measured_demand_names_its_hour() {
        let demand = Demand {
            arrivals: 500_000.0,
            interval_seconds: 3600.0,
            handle_seconds: 1000.0,
            target: 0.8,
            answer_seconds: 60.0,
            concurrency: 1.0,
            shrinkage: 0.0,
            max_occupancy: 1.0,
        };
        let answer = demand.advise(&|input| measured_input(30, input)).unwrap_err();
        assert!(answer.message().contains("needs more than 100000 agents"), "{}", answer.message());
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert_eq!(answer.field(), "hours[30].arrivalsPerHour");
    }
}
