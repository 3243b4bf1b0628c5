//! Per-site token buckets: how many reports a site may send per second.
//!
//! A site's bucket holds up to `burst` tokens and refills at `per_second`;
//! each report that passes validation takes one token, and a report that
//! finds the bucket empty is refused (429) before it reaches the writer.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// The configured limit, the same for every site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Reports per second a site may send on average.
    pub per_second: u32,
    /// Reports a site may send at once (the bucket's size).
    pub burst: u32,
}

/// One bucket per configured site.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: HashMap<String, Mutex<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

impl RateLimiter {
    /// Full buckets for `sites` at `now`.
    pub fn new<'a>(limit: RateLimit, sites: impl IntoIterator<Item = &'a str>, now: Instant) -> RateLimiter {
        let full = || Mutex::new(Bucket { tokens: f64::from(limit.burst), refilled: now });
        RateLimiter { limit, buckets: sites.into_iter().map(|site| (site.to_owned(), full())).collect() }
    }

    /// The limit every site has.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes one of `site`'s tokens at `now`; false when there is none.
    /// With at least one token per second, the next one comes within a
    /// second (hence `Retry-After: 1`). Sites without a bucket (not
    /// configured) are not limited here.
    pub fn take(&self, site: &str, now: Instant) -> bool {
        let Some(bucket) = self.buckets.get(site) else { return true };
        let mut bucket = bucket.lock().unwrap_or_else(PoisonError::into_inner);
        let elapsed = now.saturating_duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * f64::from(self.limit.per_second)).min(f64::from(self.limit.burst));
        bucket.refilled = bucket.refilled.max(now);
        let available = bucket.tokens >= 1.0;
        if available {
            bucket.tokens -= 1.0;
        }
        available
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_site_gets_its_burst_then_its_rate() {
        let start = Instant::now();
        let limiter = RateLimiter::new(RateLimit { per_second: 10, burst: 3 }, ["a", "b"], start);
        let takes = |at: Instant| (0..5).map(|_| limiter.take("a", at)).collect::<Vec<_>>();
        assert_eq!(takes(start), [true, true, true, false, false]);
        assert!(limiter.take("b", start), "each site has its own bucket");
        assert_eq!(takes(start + Duration::from_millis(250)), [true, true, false, false, false]);
        assert_eq!(takes(start + Duration::from_secs(60)), [true, true, true, false, false], "never above the burst");
        assert!(limiter.take("unconfigured", start));
        assert_eq!(limiter.limit(), RateLimit { per_second: 10, burst: 3 });
    }

    #[test]
    fn an_earlier_instant_adds_nothing() {
        let start = Instant::now();
        let limiter = RateLimiter::new(RateLimit { per_second: 1, burst: 1 }, ["a"], start + Duration::from_secs(5));
        assert!(limiter.take("a", start));
        assert!(!limiter.take("a", start + Duration::from_secs(5)));
        assert!(!limiter.take("a", start + Duration::from_millis(5_500)));
        assert!(limiter.take("a", start + Duration::from_secs(6)));
    }
}
