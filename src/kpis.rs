//! The KPI object of docs/kpis.md section 2, derived from a report.

use crate::json::Writer;
use crate::report::Report;
use alloc::string::String;

/// Writes the KPI object for everything in `report` as JSON text.
///
/// Ratios are `{ num, den, value }` with `value` null when `den` is not
/// positive (noised counts can be negative);
/// durations are `{ count, mean, p50, p90, p99 }` in seconds; decimals are
/// rounded to six places. `noise` is `{ reports, variance }` when counts
/// carry differential-privacy noise (variance per count), else null.
pub fn kpis_json(report: &Report) -> String {
    let mut w = Writer::new();
    write_kpis(report, &mut w);
    w.into_string()
}

/// Writes the KPI object for `report`.
pub fn write_kpis(report: &Report, w: &mut Writer) {
    let engagement = &report.engagement;
    let chats = engagement.chats_started;
    let online_chats = chats - report.availability.offline_chats_started;
    w.begin_object();
    w.key("site");
    w.string(&report.site);
    w.key("period");
    match &report.period {
        Some(period) => {
            w.begin_object();
            w.key("from");
            w.int(period.from);
            w.key("to");
            w.int(period.to);
            w.end_object();
        }
        None => w.null(),
    }
    w.key("noise");
    match &report.noise {
        Some(noise) => noise.write(w),
        None => w.null(),
    }
    section(w, "engagement", |w| engagement.write_kpis(w));
    section(w, "availability", |w| report.availability.write_kpis(engagement.page_views, chats, w));
    section(w, "speed", |w| report.speed.write_kpis(chats, online_chats, report.service_level_seconds, w));
    section(w, "prevention", |w| report.prevention.write_kpis(chats, online_chats, w));
    section(w, "friendliness", |w| report.friendliness.write_kpis(w));
    section(w, "contribution", |w| report.contribution.write_kpis(engagement.sessions, chats, w));
    section(w, "productivity", |w| report.productivity.write_kpis(chats, w));
    report.hours.write_kpis(w);
    w.end_object();
}

fn section(w: &mut Writer, key: &str, members: impl FnOnce(&mut Writer)) {
    w.key(key);
    w.begin_object();
    members(w);
    w.end_object();
}
