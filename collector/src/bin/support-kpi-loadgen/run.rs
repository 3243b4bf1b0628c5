//! One open-loop run: requests leave on a fixed schedule whether or not
//! earlier ones were answered, and each latency is measured from the time
//! its request was *scheduled*, so a stalled server shows up in the
//! percentiles instead of slowing the generator down (no coordinated omission).

use crate::pool::Pool;
use crate::request::Requests;
use crate::stats::Summary;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Sends `rate` requests per second for `duration` and waits for every answer.
pub async fn run(pool: &Arc<Pool>, requests: &mut Requests, rate: f64, duration: Duration) -> Summary {
    let start = Instant::now();
    let total = (rate * duration.as_secs_f64()).round() as usize;
    let scheduled = |n: usize| start + Duration::from_secs_f64(n as f64 / rate);
    let (results, mut answers) = mpsc::unbounded_channel::<Result<u32, String>>();
    let mut sent = 0;
    while sent < total {
        // The timer wakes at millisecond granularity: send everything due by now.
        let due = ((start.elapsed().as_secs_f64() * rate) as usize + 1).min(total);
        while sent < due {
            let intended = scheduled(sent);
            let request = requests.next_request();
            let (pool, results) = (Arc::clone(pool), results.clone());
            tokio::spawn(async move {
                let result = pool.send(&request).await;
                let micros = u32::try_from(intended.elapsed().as_micros()).unwrap_or(u32::MAX);
                let _ = results.send(result.map(|()| micros));
            });
            sent += 1;
        }
        if sent < total {
            tokio::time::sleep_until(scheduled(sent).into()).await;
        }
    }
    drop(results);
    let (mut latencies, mut failures) = (Vec::with_capacity(total), Vec::new());
    while let Some(answer) = answers.recv().await {
        match answer {
            Ok(micros) => latencies.push(micros),
            Err(reason) => failures.push(reason),
        }
    }
    Summary::new(rate, duration.as_secs_f64(), start.elapsed().as_secs_f64(), latencies, failures)
}
