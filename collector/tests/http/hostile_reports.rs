//! Hostile but well-formed reports (issue findings 1–5): each is refused
//! alone, naming the field, and no site's stored totals or later reports
//! are harmed by it. Storage faults (finding 6) are in `storage_faults.rs`.

use super::client::{self, Response};
use super::server::{ACME, AMS, PRIVATE, Server, report, this_hour};
use serde_json::Value;
use support_kpi::Report;
use support_kpi::dp::Noise;
use support_kpi::time::{DAY_MS, EARLIEST_TS, HOUR_MS};

fn post(server: &Server, origin: &str, report: &Report) -> Response {
    server.post_report(Some(origin), &report.encode())
}

fn with_goals(mut report: Report, names: std::ops::Range<usize>) -> Report {
    for n in names {
        report.families_mut().contribution.goals.add(&format!("goal-{n}"), &[1, 0, 0, 0]);
    }
    report
}

/// The KPI answer of `site` for the hour starting at `hour`.
fn hour_of(server: &Server, site: &str, hour: i64) -> Value {
    let answer = server.get(&format!("/api/kpis?site={site}&from={hour}&to={}&bucket=hour", hour + HOUR_MS));
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()
}

fn page_views(answer: &Value) -> i64 {
    answer["kpis"]["engagement"]["supportPageShare"]["den"].as_i64().unwrap()
}

each_store! {
fn a_report_that_would_overflow_its_hours_names_is_refused_alone(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    assert_eq!(post(&server, ACME, &with_goals(report("acme", 1, hour, 1), 0..40)).status, 202);
    let second = with_goals(report("acme", 2, hour, 1), 40..80);
    let error = "goals: would give the total more than 64 names (the site's stored total of that hour); \
                 this report was not counted";
    post(&server, ACME, &second).assert_error(409, "goals", error);
    post(&server, ACME, &second).assert_error(409, "goals", error); // its id was not kept
    let within = with_goals(report("acme", 3, hour, 1), 30..64);
    assert_eq!(post(&server, ACME, &within).status, 202, "names that still fit are counted");
    let answer = hour_of(&server, "acme", hour);
    assert_eq!((answer["reports"].as_i64(), page_views(&answer)), (Some(2), 2));
    assert_eq!(answer["kpis"]["contribution"]["conversions"]["byGoal"].as_object().unwrap().len(), 64);
    assert_eq!(answer["kpis"]["contribution"]["conversions"]["count"], 40 + 34);
    assert_eq!(server.get("/api/kpis?site=acme").status, 200, "the default range still reads");
}
}

each_store! {
fn name_floods_of_one_site_never_fail_another_sites_reports(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    let addr = server.addr;
    let send = move |origin: &'static str, report: Report| {
        let headers = [("Content-Type", "text/plain"), ("Origin", origin)];
        client::send(addr, "POST", "/api/report", &headers, report.encode().as_bytes()).unwrap().status
    };
    let flood = std::thread::spawn(move || {
        (0..200u128)
            .map(|n| {
                let names = (n as usize * 64)..(n as usize * 64 + 64);
                send(ACME, with_goals(report("acme", 1_000 + n, hour, 1), names))
            })
            .collect::<Vec<u16>>()
    });
    let honest: Vec<_> = (0..4u128)
        .map(|thread| {
            std::thread::spawn(move || {
                (0..100u128).map(|n| send(AMS, report("ams", thread << 32 | n, hour, 1))).collect::<Vec<u16>>()
            })
        })
        .collect();
    let flood = flood.join().unwrap();
    assert_eq!(flood.iter().filter(|&&status| status == 202).count(), 1, "only the first flood report fits");
    assert!(flood.iter().all(|&status| matches!(status, 202 | 409)), "{flood:?}");
    for thread in honest {
        assert!(thread.join().unwrap().iter().all(|&status| status == 202));
    }
    let answer = hour_of(&server, "ams", hour);
    assert_eq!((answer["reports"].as_i64(), page_views(&answer)), (Some(400), 400));
}
}

each_store! {
fn absurd_counts_are_refused_and_real_counts_kept(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    assert_eq!(post(&server, ACME, &report("acme", 1, hour, 10)).status, 202);
    let cap = "must be from 0 to 3600: at most 3600 per hour of the period, one device's report";
    post(&server, ACME, &report("acme", 2, hour, 9_007_199_254_740_991)).assert_error(
        400,
        "engagement[0]",
        &format!("engagement[0]: {cap}"),
    );
    let mut values = report("acme", 3, hour, 1);
    values.families_mut().contribution.goals.add("purchase", &[1, 2_000_000_000_000_000, 0, 0]);
    let per_conversion = "goals.purchase[1]: must be at most 10^15 thousandths per conversion counted";
    post(&server, ACME, &values).assert_error(400, "goals.purchase[1]", per_conversion);
    let mut durations = report("acme", 4, hour, 1);
    for _ in 0..3_601 {
        durations.families_mut().speed.first_response.record(1_000);
    }
    let error = "firstResponse: holds 3601 durations: at most 3600 per hour of the period";
    post(&server, ACME, &durations).assert_error(400, "firstResponse", error);
    let mut two_hours = report("acme", 5, hour - HOUR_MS, 7_200);
    two_hours.cover(support_kpi::Period { from: hour - HOUR_MS, to: hour + HOUR_MS });
    assert_eq!(post(&server, ACME, &two_hours).status, 202, "the cap grows with the period");
    assert_eq!(page_views(&hour_of(&server, "acme", hour)), 10);
}
}

each_store! {
fn every_duration_sketch_is_capped_by_the_period(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    let names = support_kpi::families::speed::SKETCHES.into_iter().chain(["abandonWait"]);
    for (id, name) in (10..).zip(names) {
        let mut durations = report("acme", id, hour, 1);
        let families = durations.families_mut();
        let sketch = families.speed.sketches_mut().into_iter().chain([&mut families.prevention.abandon_wait]).nth(
            (id - 10) as usize,
        );
        let sketch = sketch.unwrap();
        for _ in 0..3_601 {
            sketch.record(1_000);
        }
        let error = format!("{name}: holds 3601 durations: at most 3600 per hour of the period");
        post(&server, ACME, &durations).assert_error(400, name, &error);
    }
    let mut busy_hour = report("acme", 20, hour, 1);
    *busy_hour.families_mut().hours.at(5).counts_mut()[0] = 3_601;
    let cap = "must be from 0 to 3600: at most 3600 per hour of the period, one device's report";
    post(&server, ACME, &busy_hour).assert_error(400, "hours.5[0]", &format!("hours.5[0]: {cap}"));
    assert_eq!(page_views(&hour_of(&server, "acme", hour)), 0, "nothing of a refused report is stored");
}
}

each_store! {
fn noise_is_accepted_only_as_the_site_configured_it(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    assert_eq!(post(&server, ACME, &report("acme", 1, hour, 10)).status, 202);
    let mut fake = report("acme", 2, hour, -10);
    fake.add_noise(Noise { reports: 1, variance: 0 });
    fake.families_mut().friendliness.csat[0] = -99;
    let error = "noise: is not accepted: site \"acme\" does not enable differential privacy (dpEpsilon in its \
                 sites-file entry)";
    post(&server, ACME, &fake).assert_error(400, "noise", error);
    let mut negative = report("acme", 3, hour, 0);
    negative.families_mut().engagement.sessions = -1;
    let body = negative.encode();
    server.post_report(Some(ACME), &body).assert_error(
        400,
        "engagement[2]",
        "engagement[2]: must be an integer from 0 to 2^53-1",
    );
    assert_eq!(page_views(&hour_of(&server, "acme", hour)), 10, "nothing of acme's hour changed");

    let right = Noise::of_one_report(2000);
    let mut noised = report("private", 4, hour, -5);
    noised.add_noise(Noise { reports: 1, variance: 0 });
    let error = format!(
        "noise: must be {{\"reports\":1,\"variance\":{}}}, the noise of one report at site \"private\"'s ε = 2",
        right.variance
    );
    post(&server, PRIVATE, &noised).assert_error(400, "noise", &error);
    noised.set_noise(Some(Noise { reports: 2, variance: 2 * right.variance }));
    assert_eq!(post(&server, PRIVATE, &noised).status, 400, "a merged report is no device's");
    noised.set_noise(Some(right));
    noised.families_mut().engagement.page_views = -2_151;
    let tail = "engagement[0]: must be from -2150 to 5750: at most 3600 per hour of the period, one device's report";
    post(&server, PRIVATE, &noised).assert_error(400, "engagement[0]", tail);
    noised.families_mut().engagement.page_views = -5;
    assert_eq!(post(&server, PRIVATE, &noised).status, 202, "the site's own noise, within its tail");
}
}

each_store! {
fn goals_and_tags_outside_a_sites_lists_are_refused(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    let mut listed = report("private", 1, hour, 1);
    listed.families_mut().contribution.goals.add("buy", &[1, 5_000, 0, 0]);
    assert_eq!(post(&server, PRIVATE, &listed).status, 202);
    let mut unlisted = report("private", 2, hour, 1);
    unlisted.families_mut().contribution.goals.add("free-money", &[1, 0, 0, 0]);
    let error = "goals.free-money: \"free-money\" is not one of the goals listed for site \"private\"";
    post(&server, PRIVATE, &unlisted).assert_error(400, "goals.free-money", error);
}
}

each_store! {
fn history_stays_closed(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    let mut rewrite = report("acme", 1, EARLIEST_TS, 1);
    rewrite.cover(support_kpi::Period { from: EARLIEST_TS, to: hour + HOUR_MS });
    let error = "period.to: must be at most 168 hours after period.from (a week: one device's report)";
    post(&server, ACME, &rewrite).assert_error(400, "period.to", error);
    let old = hour - 36 * DAY_MS;
    assert_eq!(post(&server, ACME, &report("acme", 2, old, 3)).status, 202);
    assert_eq!(hour_of(&server, "acme", old)["reports"], 0, "the old hour stays as it was");
    assert_eq!(page_views(&hour_of(&server, "acme", hour)), 3, "counted in the hour it arrived");
}
}

each_store! {
fn duplicate_members_are_refused_never_last_one_wins(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    let text = report("victim", 1, hour, 5).encode();
    let body = text.strip_suffix('}').unwrap();
    for (extra, field) in [
        (r#","site":"acme"}"#, "site"),
        (r#","\u0073ite":"acme"}"#, "site"),
        (r#","engagement":[1],"engagement":[2]}"#, "engagement"),
    ] {
        let error = format!("{field}: appears more than once");
        server.post_report(Some(ACME), &format!("{body}{extra}")).assert_error(400, field, &error);
    }
    assert_eq!(hour_of(&server, "acme", hour)["reports"], 0);
}
}
