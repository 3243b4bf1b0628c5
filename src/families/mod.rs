//! The KPI families of docs/kpis.md section 2, one module each.
//!
//! Each family owns the aggregates it needs (counters, sketches, score
//! histograms), how they merge, how they travel in a report, and how its KPIs
//! are derived from them. This module holds the output shapes they share.

pub mod availability;
pub mod contribution;
pub mod engagement;
pub mod friendliness;
pub mod prevention;
pub mod productivity;
pub mod speed;
pub mod time;

use crate::json::Writer;
use crate::sketch::Sketch;

/// Writes `key: { num, den, value }`; `value` is null when `den` is not positive.
pub fn ratio(w: &mut Writer, key: &str, num: i64, den: i64) {
    w.key(key);
    w.begin_object();
    w.key("num");
    w.int(num);
    write_den_and_value(w, num as f64, den);
}

/// Like [`ratio`] for a numerator in thousandths (money), written as a decimal.
pub fn milli_ratio(w: &mut Writer, key: &str, num_milli: i64, den: i64) {
    w.key(key);
    w.begin_object();
    w.key("num");
    w.fixed(num_milli, 3);
    write_den_and_value(w, num_milli as f64 / 1000.0, den);
}

fn write_den_and_value(w: &mut Writer, num: f64, den: i64) {
    w.key("den");
    w.int(den);
    w.key("value");
    if den > 0 {
        w.decimal(num / den as f64);
    } else {
        w.null();
    }
    w.end_object();
}

/// Writes `key: { value, count }` with the mean `sum / count` (null when `count` is not positive).
pub fn mean(w: &mut Writer, key: &str, sum: i64, count: i64) {
    w.key(key);
    w.begin_object();
    w.key("value");
    if count > 0 {
        w.decimal(sum as f64 / count as f64);
    } else {
        w.null();
    }
    w.key("count");
    w.int(count);
    w.end_object();
}

/// Writes `key: { count, mean, p50, p90, p99 }` in seconds (null statistics when empty).
pub fn distribution(w: &mut Writer, key: &str, sketch: &Sketch) {
    let seconds = |ms: Option<f64>, w: &mut Writer| match ms {
        Some(ms) => w.decimal(ms / 1000.0),
        None => w.null(),
    };
    w.key(key);
    w.begin_object();
    w.key("count");
    w.int(sketch.count());
    w.key("mean");
    seconds(sketch.mean_ms(), w);
    for (name, permille) in [("p50", 500), ("p90", 900), ("p99", 990)] {
        w.key(name);
        seconds(sketch.quantile_ms(permille), w);
    }
    w.end_object();
}
