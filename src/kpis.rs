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
    w.begin_object();
    w.key("site");
    w.string(report.site());
    w.key("period");
    match report.period() {
        Some(period) => period.write(w),
        None => w.null(),
    }
    w.key("noise");
    match report.noise() {
        Some(noise) => noise.write(w),
        None => w.null(),
    }
    report.write_family_kpis(w);
    w.end_object();
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};

    #[test]
    fn raw_counts_are_the_ratios_numerators_and_denominators() {
        let mut e = engine(r#""goals":["purchase"]"#);
        feed(
            &mut e,
            &[
                event("page_view", at(0.0), r#""support":true"#),
                event("page_view", at(1.0), r#""support":false"#),
                event("chat_button_impression", at(1.5), ""),
                event("chat_started", at(2.0), ""),
                event("agent_message", at(2.5), ""),
                event("chat_ended", at(3.0), r#""resolved":true"#),
                event("survey", at(3.5), r#""kind":"csat","score":5"#),
                event("conversion", at(4.0), r#""goal":"purchase""#),
                event("chat_started", at(5.0), ""),
            ],
        );
        let k = kpis(&e);
        let count = |family: &str, name: &str| k[family]["counts"][name].as_i64().unwrap();
        assert_eq!(count("engagement", "pageViews"), ratio(&k, "engagement", "supportPageShare")[1]);
        assert_eq!(count("engagement", "supportPageViews"), 1);
        assert_eq!(count("engagement", "sessions"), 1);
        assert_eq!(count("engagement", "impressions"), ratio(&k, "engagement", "chatEngagementRatio")[1]);
        assert_eq!(count("engagement", "chatsStarted"), 2);
        assert_eq!(count("availability", "inHoursPageViews"), ratio(&k, "availability", "coverage")[0]);
        assert_eq!(count("speed", "answeredChats"), 1);
        assert_eq!(count("speed", "serviceLevelMet"), ratio(&k, "speed", "serviceLevel")[0]);
        assert_eq!(count("prevention", "abandoned"), 0, "the open chat counts only when it closes");
        assert_eq!(count("prevention", "chatsEnded"), ratio(&k, "prevention", "escalationRate")[1]);
        assert_eq!(count("friendliness", "csatRatings"), ratio(&k, "friendliness", "csat")[1]);
        assert_eq!(count("contribution", "sessionsWithChat"), ratio(&k, "contribution", "conversionRateWithChat")[1]);
        assert_eq!(count("productivity", "messages"), ratio(&k, "productivity", "messagesPerChat")[0]);
        assert_eq!(count("productivity", "chatsClosed"), 1);
    }
}
