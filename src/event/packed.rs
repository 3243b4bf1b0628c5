//! The packed events of the JS `trackBatch` fast path.

use super::{Event, EventKind, Outcome, Scale};
use crate::schema::{EVENT_CODES, TypeCode};
use crate::time::{EARLIEST_TS, LATEST_TS};

impl Event {
    /// An event from the packed form of the JS batch fast path: a type code
    /// (the index in the event types, survey included, conversion and tag
    /// excluded), `ts`, and two fields (`support`/`online` as 0/1;
    /// `chat_ended`: resolved as -1/0/1 and transferred + 2 × escalated;
    /// `survey`: kind 0/1/2 and score). `None` for anything the JSON path
    /// would refuse, so that the caller can take that path for the errors.
    pub fn from_packed(code: f64, ts: f64, a: f64, b: f64) -> Option<Event> {
        // `as` drops a fraction of a millisecond, like the JSON path; NaN and
        // infinities saturate out of range.
        let ts = ts as i64;
        if !(EARLIEST_TS..LATEST_TS).contains(&ts) {
            return None;
        }
        let flag = |value: f64| (value == 0.0 || value == 1.0).then_some(value == 1.0);
        let kind = match EVENT_CODES.get(usize::try_from(exact(code)?).ok()?)? {
            TypeCode::PageView => EventKind::PageView { support: flag(a)? },
            TypeCode::ChatButtonImpression => EventKind::ChatButtonImpression,
            TypeCode::ChatButtonClick => EventKind::ChatButtonClick,
            TypeCode::ChatOpen => EventKind::ChatOpen,
            TypeCode::Availability => EventKind::Availability { online: flag(a)? },
            TypeCode::ChatStarted => EventKind::ChatStarted,
            TypeCode::CustomerMessage => EventKind::CustomerMessage,
            TypeCode::AgentMessage => EventKind::AgentMessage,
            TypeCode::ChatEnded => {
                let resolved = if a == -1.0 { None } else { Some(flag(a)?) };
                let bits = exact(b).filter(|bits| (0..4).contains(bits))?;
                EventKind::ChatEnded(Outcome { resolved, transferred: bits & 1 != 0, escalated: bits & 2 != 0 })
            }
            TypeCode::Survey => {
                let scale = [Scale::Csat, Scale::Nps, Scale::Ces].get(usize::try_from(exact(a)?).ok()?).copied()?;
                let (low, high) = scale.range();
                let score = exact(b).filter(|score| (i64::from(low)..=i64::from(high)).contains(score))?;
                EventKind::Survey { scale, score: score as u8 }
            }
            // Their names go the JSON path.
            TypeCode::Conversion | TypeCode::Tag => return None,
        };
        Some(Event { ts, kind })
    }
}

/// `value` as an integer, if it is one.
fn exact(value: f64) -> Option<i64> {
    let integer = value as i64;
    (integer as f64 == value).then_some(integer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TS: i64 = 1_795_392_000_000;

    #[test]
    fn packed_events_follow_the_json_rules() {
        assert_eq!(
            Event::from_packed(0.0, TS as f64, 1.0, 0.0),
            Some(Event { ts: TS, kind: EventKind::PageView { support: true } })
        );
        assert_eq!(Event::from_packed(3.0, TS as f64 + 0.7, 0.0, 0.0).map(|e| e.ts), Some(TS), "fractions drop");
        let ended = Event::from_packed(8.0, TS as f64, -1.0, 2.0).unwrap();
        assert_eq!(ended.kind, EventKind::ChatEnded(Outcome { resolved: None, transferred: false, escalated: true }));
        assert_eq!(
            Event::from_packed(9.0, TS as f64, 1.0, 10.0).unwrap().kind,
            EventKind::Survey { scale: Scale::Nps, score: 10 }
        );
        for (code, ts, a, b) in [
            (0.0, TS as f64, 2.0, 0.0),  // support is not a boolean
            (9.0, TS as f64, 0.0, 6.0),  // csat out of range
            (9.0, TS as f64, 0.0, 4.5),  // not an integer score
            (9.0, TS as f64, 1.5, 4.0),  // not a kind
            (3.0, f64::NAN, 0.0, 0.0),   // no timestamp
            (3.0, 1.0, 0.0, 0.0),        // before 2000
            (10.0, TS as f64, 0.0, 0.0), // conversion is not packed
            (2.5, TS as f64, 0.0, 0.0),  // not a code
            (8.0, TS as f64, 0.0, 4.0),  // bad outcome bits
        ] {
            assert_eq!(Event::from_packed(code, ts, a, b), None, "{code} {ts} {a} {b}");
        }
    }
}
