//! Staffing advice: the Erlang C model of a queue of chats.
//!
//! Contacts arrive at random (Poisson) at `arrivals` per `interval_seconds`
//! and each takes `handle_seconds` of an agent, who handles `concurrency`
//! chats at once (so a chat holds 1/concurrency of an agent). The traffic
//! is `A = arrivals × handle / interval / concurrency` Erlangs. With `N`
//! agents (`N > A`), Erlang B is computed by the recursion
//! `B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1))` (no factorials, stable for
//! any `N`), and then
//!
//! - probability of waiting `C = N·B / (N − A·(1 − B))`,
//! - service level `1 − C·exp(−(N − A)·T / h)` with `T` the answer seconds
//!   and `h = handle / concurrency`,
//! - average speed of answer `C·h / (N − A)`,
//! - occupancy `A / N`.
//!
//! The advice is the smallest `N` that meets the target service level and
//! keeps occupancy at most the maximum; `scheduled` adds shrinkage (time
//! agents are paid but not available): `ceil(N / (1 − shrinkage))`.

pub mod cli;
pub mod demand;

use crate::error::Error;
use serde::Serialize;

/// Most agents the search goes up to; more traffic than this is refused.
pub const MAX_AGENTS: u32 = 100_000;

/// What a staffing question is about, for naming a bad value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Contacts per interval.
    Arrivals,
    /// Length of the interval.
    IntervalSeconds,
    /// Handle time of one contact.
    HandleSeconds,
    /// Target service level.
    Target,
    /// Service-level threshold.
    AnswerSeconds,
    /// Chats an agent handles at once.
    Concurrency,
    /// Share of paid time agents are not available.
    Shrinkage,
    /// Highest occupancy allowed.
    MaxOccupancy,
}

/// What an [`Input`] is called where it came from (a flag of the CLI, a
/// query parameter, a figure measured for one hour), for naming a bad value.
pub type Names<'a> = &'a dyn Fn(Input) -> String;

/// The demand and the goal of one interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Demand {
    /// Contacts arriving per interval (a mean, so fractions are fine).
    pub arrivals: f64,
    /// Length of the interval in seconds.
    pub interval_seconds: f64,
    /// Mean handle time of a contact in seconds.
    pub handle_seconds: f64,
    /// Share of contacts to answer within `answer_seconds` (above 0, below 1).
    pub target: f64,
    /// Service-level threshold in seconds.
    pub answer_seconds: f64,
    /// Chats one agent handles at once (at least 1).
    pub concurrency: f64,
    /// Share of paid time agents are not available (0 to below 1).
    pub shrinkage: f64,
    /// Highest occupancy allowed (above 0, at most 1).
    pub max_occupancy: f64,
}

/// The advice for one interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    /// Agents needed on the queue.
    pub agents: u32,
    /// Expected share answered within the threshold.
    pub service_level: f64,
    /// Expected share of contacts that wait at all.
    pub probability_of_waiting: f64,
    /// Expected mean wait in seconds.
    pub average_speed_of_answer: f64,
    /// Expected share of agent time busy with contacts.
    pub occupancy: f64,
    /// Agents to schedule: `agents` plus shrinkage.
    pub scheduled: u32,
}

impl Advice {
    /// The figures rounded to six decimals, as the KPIs are.
    pub fn rounded(self) -> Advice {
        let round = |v: f64| (v * 1e6).round() / 1e6;
        Advice {
            service_level: round(self.service_level),
            probability_of_waiting: round(self.probability_of_waiting),
            average_speed_of_answer: round(self.average_speed_of_answer),
            occupancy: round(self.occupancy),
            ..self
        }
    }
}

/// One step of the Erlang B recursion: `B(n)` from `B(n − 1)` on `traffic` Erlangs.
fn erlang_b_step(traffic: f64, n: u32, previous: f64) -> f64 {
    traffic * previous / (f64::from(n) + traffic * previous)
}

impl Demand {
    /// Checks every value; the first bad one is named by `names`.
    pub fn check(&self, names: Names) -> Result<(), Error> {
        let bad = |input, reason: &str| Err(Error::invalid(&names(input), reason));
        let finite = |v: f64| v.is_finite();
        if !finite(self.arrivals) || self.arrivals < 0.0 {
            return bad(Input::Arrivals, "must be a number of at least 0");
        }
        if !finite(self.interval_seconds) || self.interval_seconds <= 0.0 {
            return bad(Input::IntervalSeconds, "must be a number of seconds above 0");
        }
        if !finite(self.handle_seconds) || self.handle_seconds <= 0.0 {
            return bad(Input::HandleSeconds, "must be a number of seconds above 0");
        }
        if !finite(self.target) || self.target <= 0.0 || self.target >= 1.0 {
            return bad(Input::Target, "must be a number above 0 and below 1");
        }
        if !finite(self.answer_seconds) || self.answer_seconds < 0.0 {
            return bad(Input::AnswerSeconds, "must be a number of seconds of at least 0");
        }
        if !finite(self.concurrency) || self.concurrency < 1.0 {
            return bad(Input::Concurrency, "must be a number of at least 1");
        }
        if !finite(self.shrinkage) || self.shrinkage < 0.0 || self.shrinkage >= 1.0 {
            return bad(Input::Shrinkage, "must be a number from 0 to below 1");
        }
        if !finite(self.max_occupancy) || self.max_occupancy <= 0.0 || self.max_occupancy > 1.0 {
            return bad(Input::MaxOccupancy, "must be a number above 0 and at most 1");
        }
        Ok(())
    }

    /// The smallest number of agents meeting the target and the maximum occupancy.
    ///
    /// No arrivals need no agents (service level 1, nothing waits). Fails on a
    /// bad value, or when more than [`MAX_AGENTS`] agents would be needed
    /// (an error about the arrivals), naming inputs by `names`.
    pub fn advise(&self, names: Names) -> Result<Advice, Error> {
        self.check(names)?;
        let traffic = self.traffic();
        if traffic == 0.0 {
            let idle = Advice {
                agents: 0,
                service_level: 1.0,
                probability_of_waiting: 0.0,
                average_speed_of_answer: 0.0,
                occupancy: 0.0,
                scheduled: 0,
            };
            return Ok(idle);
        }
        let mut erlang_b = 1.0;
        for n in 1..=MAX_AGENTS {
            erlang_b = erlang_b_step(traffic, n, erlang_b);
            let agents = f64::from(n);
            if agents <= traffic || traffic / agents > self.max_occupancy {
                continue;
            }
            let advice = self.figures(traffic, n, erlang_b);
            if advice.service_level >= self.target {
                return Ok(advice);
            }
        }
        let reason = format!("needs more than {MAX_AGENTS} agents, more than this model is computed for");
        Err(Error::invalid(&names(Input::Arrivals), &reason))
    }

    /// The expected figures with exactly `agents` agents (which must exceed
    /// the traffic, else the queue grows without end: `None`); a bad value
    /// is named by `names`.
    pub fn with_agents(&self, agents: u32, names: Names) -> Result<Option<Advice>, Error> {
        self.check(names)?;
        let traffic = self.traffic();
        if f64::from(agents) <= traffic {
            return Ok(None);
        }
        let erlang_b = (1..=agents).fold(1.0, |b, n| erlang_b_step(traffic, n, b));
        Ok(Some(self.figures(traffic, agents, erlang_b)))
    }

    /// How long a chat holds a whole agent: handle time over concurrency.
    fn hold_seconds(&self) -> f64 {
        self.handle_seconds / self.concurrency
    }

    /// The offered traffic in Erlangs.
    fn traffic(&self) -> f64 {
        self.arrivals * self.hold_seconds() / self.interval_seconds
    }

    /// Erlang C's figures for `n` agents on `traffic` Erlangs (`n > traffic`), given `B(n)`.
    fn figures(&self, traffic: f64, n: u32, erlang_b: f64) -> Advice {
        let hold = self.hold_seconds();
        let agents = f64::from(n);
        let waiting = agents * erlang_b / (agents - traffic * (1.0 - erlang_b));
        let service_level = 1.0 - waiting * (-(agents - traffic) * self.answer_seconds / hold).exp();
        Advice {
            agents: n,
            service_level,
            probability_of_waiting: waiting,
            average_speed_of_answer: waiting * hold / (agents - traffic),
            occupancy: traffic / agents,
            scheduled: scheduled(n, self.shrinkage),
        }
    }
}

/// `agents / (1 − shrinkage)`, rounded up (a hair of float error is not an agent).
fn scheduled(agents: u32, shrinkage: f64) -> u32 {
    let exact = f64::from(agents) / (1.0 - shrinkage);
    (exact - 1e-9).ceil().clamp(f64::from(agents), f64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names an input by its variant.
    fn named(input: Input) -> String {
        format!("{input:?}")
    }

    /// The worked example: 100 contacts per 30 minutes, 180 s each, 80 % in 20 s.
    fn example() -> Demand {
        Demand {
            arrivals: 100.0,
            interval_seconds: 1800.0,
            handle_seconds: 180.0,
            target: 0.8,
            answer_seconds: 20.0,
            concurrency: 1.0,
            shrinkage: 0.0,
            max_occupancy: 1.0,
        }
    }

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!((actual - expected).abs() <= tolerance, "{actual} is not {expected} ± {tolerance}");
    }

    #[test]
    fn the_worked_example_needs_14_agents() {
        let advice = example().advise(&named).unwrap();
        assert_eq!(advice.agents, 14);
        close(advice.service_level, 0.8884, 5e-5);
        close(advice.probability_of_waiting, 0.1741, 5e-5);
        close(advice.average_speed_of_answer, 7.84, 5e-3);
        close(advice.occupancy, 0.714, 5e-4);
        assert_eq!(advice.scheduled, 14);
    }

    #[test]
    fn thirteen_agents_miss_the_target() {
        let thirteen = example().with_agents(13, &named).unwrap().unwrap();
        close(thirteen.service_level, 0.7956, 5e-5);
        assert_eq!(example().with_agents(14, &named).unwrap(), Some(example().advise(&named).unwrap()));
        assert_eq!(example().with_agents(10, &named).unwrap(), None, "10 agents on 10 Erlangs never catch up");
        assert_eq!(Demand { target: 0.79, ..example() }.advise(&named).unwrap().agents, 13);
    }

    #[test]
    fn maximum_occupancy_and_shrinkage() {
        let capped = Demand { max_occupancy: 0.85, ..example() }.advise(&named).unwrap();
        assert_eq!(capped.agents, 14, "14 agents are at 71 % occupancy already");
        let tight = Demand { max_occupancy: 0.5, ..example() }.advise(&named).unwrap();
        assert_eq!(tight.agents, 20, "10 Erlangs at most 50 % busy need 20 agents");
        let shrunk = Demand { shrinkage: 0.3, ..example() }.advise(&named).unwrap();
        assert_eq!((shrunk.agents, shrunk.scheduled), (14, 20));
    }

    #[test]
    fn concurrency_divides_the_traffic() {
        let doubled = Demand { concurrency: 2.0, handle_seconds: 360.0, ..example() };
        let advice = doubled.advise(&named).unwrap();
        assert_eq!(advice.agents, 14, "100 chats of 360 s, two at a time, are 10 Erlangs of 180 s holds");
        close(advice.average_speed_of_answer, 7.84, 5e-3);
    }

    #[test]
    fn no_arrivals_need_no_agents() {
        let advice = Demand { arrivals: 0.0, ..example() }.advise(&named).unwrap();
        assert_eq!((advice.agents, advice.scheduled), (0, 0));
        assert_eq!(advice.service_level, 1.0);
    }

    #[test]
    fn stable_beyond_a_thousand_agents() {
        // 1,000 Erlangs: 20,000 contacts per hour of 180 s.
        let big = Demand { arrivals: 20_000.0, interval_seconds: 3600.0, ..example() };
        let advice = big.advise(&named).unwrap();
        assert!((1001..1100).contains(&advice.agents), "{advice:?}");
        assert!(advice.service_level >= 0.8 && advice.service_level < 1.0, "{advice:?}");
        assert!(advice.probability_of_waiting > 0.0 && advice.probability_of_waiting < 1.0);
        // 50,000 Erlangs still has finite, ordered figures.
        let huge = Demand { arrivals: 1_000_000.0, interval_seconds: 3600.0, ..example() }.advise(&named).unwrap();
        assert!(huge.agents > 50_000 && huge.service_level.is_finite() && huge.occupancy < 1.0, "{huge:?}");
        let beyond = Demand { arrivals: 1e9, ..example() }.advise(&named).unwrap_err();
        assert_eq!(beyond.field(), named(Input::Arrivals));
    }

    #[test]
    fn bad_values_are_named() {
        let cases: [(Demand, Input); 9] = [
            (Demand { arrivals: -1.0, ..example() }, Input::Arrivals),
            (Demand { arrivals: f64::NAN, ..example() }, Input::Arrivals),
            (Demand { interval_seconds: 0.0, ..example() }, Input::IntervalSeconds),
            (Demand { handle_seconds: f64::INFINITY, ..example() }, Input::HandleSeconds),
            (Demand { target: 1.0, ..example() }, Input::Target),
            (Demand { answer_seconds: -0.5, ..example() }, Input::AnswerSeconds),
            (Demand { concurrency: 0.5, ..example() }, Input::Concurrency),
            (Demand { shrinkage: 1.0, ..example() }, Input::Shrinkage),
            (Demand { max_occupancy: 0.0, ..example() }, Input::MaxOccupancy),
        ];
        for (demand, input) in cases {
            assert_eq!(demand.advise(&named).unwrap_err().field(), named(input), "{demand:?}");
        }
    }
}
