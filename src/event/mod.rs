//! The events the engine ingests (docs/kpis.md section 1), decoded and validated.

use crate::config::Config;
use crate::error::Error;
use crate::json::{Path, Reader, Token};
use crate::schema::EVENT_TYPES;
use alloc::vec::Vec;

mod fields;
mod packed;

use fields::Fields;

/// Largest conversion value accepted, in thousandths (10^12 units).
pub const MAX_VALUE_MILLI: i64 = 1_000_000_000_000_000;

/// Longest goal or tag name accepted.
const MAX_NAME_LEN: usize = 64;

/// One validated event: when it happened and what it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Milliseconds since the Unix epoch, within 2000-01-01 .. 2100-01-01.
    pub ts: i64,
    /// What happened.
    pub kind: EventKind,
}

/// The event types of the protocol and their fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `page_view`; `support` when the page matches the configured support pages.
    PageView {
        /// The page is a support page.
        support: bool,
    },
    /// `chat_button_impression`: the launcher was viewable (MRC rule).
    ChatButtonImpression,
    /// `chat_button_click`.
    ChatButtonClick,
    /// `chat_open`: the chat window opened.
    ChatOpen,
    /// `availability`: agents went online or offline.
    Availability {
        /// Agents are online.
        online: bool,
    },
    /// `chat_started`: the customer's first message of a conversation.
    ChatStarted,
    /// `customer_message`.
    CustomerMessage,
    /// `agent_message`.
    AgentMessage,
    /// `chat_ended` with its outcome.
    ChatEnded(Outcome),
    /// `survey`: a rating on one of the three scales.
    Survey {
        /// Which scale.
        scale: Scale,
        /// The score, within the scale's range.
        score: u8,
    },
    /// `conversion` of an allowed goal.
    Conversion {
        /// Index into the configured goals.
        goal: u8,
        /// Value in thousandths (0 when absent).
        value_milli: i64,
    },
    /// `tag` with an allowed name.
    Tag {
        /// Index into the configured tags.
        tag: u8,
    },
}

/// How a chat ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// `resolved`, or `None` when the outcome is unknown.
    pub resolved: Option<bool>,
    /// `transferred` (default false).
    pub transferred: bool,
    /// `escalated` (default false).
    pub escalated: bool,
}

/// A survey scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Customer satisfaction, 1-5.
    Csat,
    /// Net promoter score, 0-10.
    Nps,
    /// Customer effort score, 1-7.
    Ces,
}

impl Scale {
    const NAMES: [&'static str; 3] = ["csat", "nps", "ces"];

    /// Lowest and highest score of the scale.
    pub const fn range(self) -> (u8, u8) {
        match self {
            Scale::Csat => (1, 5),
            Scale::Nps => (0, 10),
            Scale::Ces => (1, 7),
        }
    }

    fn range_message(self) -> &'static str {
        match self {
            Scale::Csat => "must be an integer from 1 to 5 for csat",
            Scale::Nps => "must be an integer from 0 to 10 for nps",
            Scale::Ces => "must be an integer from 1 to 7 for ces",
        }
    }
}

/// Field names; a field's index is its bit in [`EventType`] masks.
const FIELDS: [&str; 12] = [
    "type",
    "ts",
    "support",
    "online",
    "resolved",
    "transferred",
    "escalated",
    "kind",
    "score",
    "goal",
    "value",
    "name",
];
const TYPE: usize = 0;
const TS: usize = 1;
const SUPPORT: usize = 2;
const ONLINE: usize = 3;
const RESOLVED: usize = 4;
const TRANSFERRED: usize = 5;
const ESCALATED: usize = 6;
const KIND: usize = 7;
const SCORE: usize = 8;
const GOAL: usize = 9;
const VALUE: usize = 10;
const NAME: usize = 11;

const fn bit(field: usize) -> u16 {
    1 << field
}

/// An event type: its name, and the fields it requires and allows besides `type` and `ts`.
struct EventType {
    name: &'static str,
    required: u16,
    optional: u16,
}

/// The index of `name` in [`FIELDS`] (at compile time).
const fn field_index(name: &str) -> usize {
    let mut index = 0;
    while index < FIELDS.len() {
        if eq(FIELDS[index].as_bytes(), name.as_bytes()) {
            return index;
        }
        index += 1;
    }
    panic!("a field of the schema is not in FIELDS");
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The event types of the schema (src/schema.rs) with their fields as masks.
const TYPES: [EventType; EVENT_TYPES.len()] = {
    let mut types = [const { EventType { name: "", required: 0, optional: 0 } }; EVENT_TYPES.len()];
    let mut i = 0;
    while i < types.len() {
        let schema = &EVENT_TYPES[i];
        types[i].name = schema.name;
        let mut f = 0;
        while f < schema.fields.len() {
            let mask = bit(field_index(schema.fields[f].name));
            if schema.fields[f].required {
                types[i].required |= mask;
            } else {
                types[i].optional |= mask;
            }
            f += 1;
        }
        i += 1;
    }
    types
};

impl Event {
    /// Decodes one event object; goals and tags are checked against `config`.
    pub fn decode(json: &[u8], config: &Config) -> Result<Event, Error> {
        let root = Path::root("event");
        let mut r = Reader::new(json);
        let event = Event::read(&mut r, &root, config)?;
        r.finish(&root)?;
        Ok(event)
    }

    /// Reads one event object at the reader's position.
    ///
    /// On a validation error the whole object has still been consumed, so a
    /// caller reading an array of events can go on with the next one; only a
    /// syntax error leaves the reader in the middle.
    pub fn read(r: &mut Reader, path: &Path, config: &Config) -> Result<Event, Error> {
        let mut fields = Fields { tokens: [None; FIELDS.len()], path };
        let mut first_error = None;
        // The hot path of ingestion: a plain loop over the members. Syntax
        // errors name the event (with the byte offset); validation errors
        // name the field, built only when one occurs.
        r.enter_object(path)?;
        let mut first = true;
        while let Some(key) = r.next_key(&mut first, path)? {
            let index = FIELDS.iter().position(|name| key.is(name));
            let token = r.token(path)?;
            if matches!(token, Token::Object | Token::Array) {
                r.skip(token, path)?;
            }
            if first_error.is_none() {
                first_error = fields.store(index, key, token).err();
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => fields.event(config),
        }
    }
}

/// Reads a JSON array of events, calling `accept` for each valid one and
/// `reject` with the index and error of each invalid one.
///
/// Fails as a whole only when the text is not valid JSON or not an array; then
/// neither callback has been called for any event.
pub fn read_batch(
    json: &[u8],
    config: &Config,
    mut accept: impl FnMut(Event),
    mut reject: impl FnMut(usize, Error),
) -> Result<(), Error> {
    let root = Path::root("events");
    let item = Path::root("event");
    let mut decoded = Vec::new();
    let mut r = Reader::new(json);
    r.items(&root, |r, _| {
        let event = Event::read(r, &item, config);
        if let Err(error) = &event
            && error.kind() == crate::error::ErrorKind::Syntax
        {
            return Err(error.clone().at(&root));
        }
        decoded.push(event);
        Ok(())
    })?;
    r.finish(&root)?;
    for (index, event) in decoded.into_iter().enumerate() {
        match event {
            Ok(event) => accept(event),
            Err(error) => reject(index, error),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn config() -> Config {
        let mut c = Config::new("test");
        c.goals = alloc::vec![String::from("purchase")];
        c.tags = alloc::vec![String::from("complaint")];
        c
    }

    fn decode(json: &str) -> Result<Event, String> {
        Event::decode(json.as_bytes(), &config()).map_err(|e| e.message())
    }

    const TS: i64 = 1_795_392_000_000;

    #[test]
    fn decodes_every_type() {
        let cases: [(&str, EventKind); 6] = [
            (r#""type":"page_view","support":true"#, EventKind::PageView { support: true }),
            (r#""type":"availability","online":false"#, EventKind::Availability { online: false }),
            (
                r#""type":"chat_ended","resolved":true,"escalated":true"#,
                EventKind::ChatEnded(Outcome { resolved: Some(true), transferred: false, escalated: true }),
            ),
            (r#""type":"survey","kind":"nps","score":0"#, EventKind::Survey { scale: Scale::Nps, score: 0 }),
            (
                r#""type":"conversion","goal":"purchase","value":12.5"#,
                EventKind::Conversion { goal: 0, value_milli: 12_500 },
            ),
            (r#""type":"tag","name":"complaint""#, EventKind::Tag { tag: 0 }),
        ];
        for (members, kind) in cases {
            let json = alloc::format!(r#"{{"ts":{TS},{members}}}"#);
            assert_eq!(decode(&json), Ok(Event { ts: TS, kind }), "{json}");
        }
        assert_eq!(decode(&alloc::format!(r#"{{"type":"chat_open","ts":{TS}.7}}"#)).unwrap().ts, TS);
    }

    #[test]
    fn rejects_bad_events_naming_the_field() {
        let cases = [
            ("{}", "type: is required"),
            (r#"{"type":"pageview","ts":1795392000000}"#, "type: \"pageview\" is not one of the event types"),
            (r#"{"type":7,"ts":1795392000000}"#, "type: must be a string, not a number"),
            (r#"{"type":"page_view","ts":1795392000000}"#, "support: is required"),
            (r#"{"type":"chat_open"}"#, "ts: is required"),
            (r#"{"type":"chat_open","ts":"now"}"#, "ts: must be a number, not a string"),
            (r#"{"type":"chat_open","ts":null}"#, "ts: must be a number, not null"),
            (
                r#"{"type":"chat_open","ts":-5}"#,
                "ts: must be milliseconds since 1970 between 2000-01-01 and 2100-01-01",
            ),
            (
                r#"{"type":"chat_open","ts":1e300}"#,
                "ts: must be milliseconds since 1970 between 2000-01-01 and 2100-01-01",
            ),
            (
                r#"{"type":"chat_open","ts":4102444800000}"#,
                "ts: must be milliseconds since 1970 between 2000-01-01 and 2100-01-01",
            ),
            (r#"{"type":"page_view","ts":1795392000000,"support":"yes"}"#, "support: must be a boolean, not a string"),
            (r#"{"type":"chat_open","ts":1795392000000,"colour":"red"}"#, "colour: is not a known field"),
            (
                r#"{"type":"chat_open","ts":1795392000000,"support":true}"#,
                "support: is not a field of chat_open events",
            ),
            (r#"{"type":"chat_open","ts":1795392000000,"ts":1795392000001}"#, "ts: appears more than once"),
            (
                r#"{"type":"survey","ts":1795392000000,"kind":"csat","score":6}"#,
                "score: must be an integer from 1 to 5 for csat",
            ),
            (
                r#"{"type":"survey","ts":1795392000000,"kind":"ces","score":0}"#,
                "score: must be an integer from 1 to 7 for ces",
            ),
            (
                r#"{"type":"survey","ts":1795392000000,"kind":"nps","score":4.5}"#,
                "score: must be an integer from 0 to 10 for nps",
            ),
            (
                r#"{"type":"survey","ts":1795392000000,"kind":"stars","score":4}"#,
                "kind: \"stars\" is not one of the survey kinds (csat, nps, ces)",
            ),
            (
                r#"{"type":"conversion","ts":1795392000000,"goal":"refund"}"#,
                "goal: \"refund\" is not one of the configured goals",
            ),
            (
                r#"{"type":"conversion","ts":1795392000000,"goal":"purchase","value":-1}"#,
                "value: must be a number from 0 to 1000000000000",
            ),
            (
                r#"{"type":"conversion","ts":1795392000000,"goal":"purchase","value":1e13}"#,
                "value: must be a number from 0 to 1000000000000",
            ),
            (
                r#"{"type":"conversion","ts":1795392000000,"goal":"purchase","value":"9"}"#,
                "value: must be a number, not a string",
            ),
            (r#"{"type":"tag","ts":1795392000000,"name":{"x":1}}"#, "name: must be a string, not an object"),
            ("[1]", "event: must be an object, not an array"),
            (r#"{"type":"chat_open","#, "event: invalid JSON (unexpected end of input at byte 20)"),
            (
                r#"{"type":"chat_open","ts":1795392000000} {}"#,
                "event: invalid JSON (unexpected text after the value at byte 40)",
            ),
        ];
        for (json, message) in cases {
            assert_eq!(decode(json).unwrap_err(), message, "{json}");
        }
        let long = alloc::format!(r#"{{"type":"tag","ts":1795392000000,"name":"{}"}}"#, "c".repeat(65));
        assert_eq!(decode(&long).unwrap_err(), "name: must be at most 64 characters");
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_limit() {
        let deep =
            alloc::format!(r#"{{"type":"chat_open","ts":{TS},"x":{}{}}}"#, "[".repeat(50_000), "]".repeat(50_000));
        assert_eq!(decode(&deep).unwrap_err(), "event: is nested too deeply");
    }

    #[test]
    fn batches_keep_good_events_and_list_bad_ones() {
        let json = r#"[{"type":"chat_open","ts":1795392000000},{"type":"chat_open","ts":1,"extra":[[{}]]},5,{"type":"chat_open","ts":1795392000001}]"#;
        let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
        read_batch(json.as_bytes(), &config(), |e| accepted.push(e.ts), |i, e| rejected.push((i, e.message())))
            .unwrap();
        assert_eq!(accepted, [TS, TS + 1]);
        assert_eq!(
            rejected,
            [
                (1, String::from("extra: is not a known field")),
                (2, String::from("event: must be an object, not a number"))
            ]
        );
    }

    #[test]
    fn a_malformed_batch_applies_nothing() {
        let json = r#"[{"type":"chat_open","ts":1795392000000},{"type":"chat_open","ts":}]"#;
        let calls = core::cell::Cell::new(0);
        let result =
            read_batch(json.as_bytes(), &config(), |_| calls.set(calls.get() + 1), |_, _| calls.set(calls.get() + 1));
        assert_eq!(result.unwrap_err().message(), "events: invalid JSON (unexpected character at byte 66)");
        assert_eq!(calls.get(), 0);
        let not_array = read_batch(b"{}", &config(), |_| {}, |_, _| {});
        assert_eq!(not_array.unwrap_err().message(), "events: must be an array, not an object");
    }
}
