//! The protocol's schema, the one source of its facts: the event types with
//! their codes and fields, and the configuration keys with their bounds; the
//! members of the report and of the KPI object, which take their counter
//! names from the families, are in [`crate::members`].
//!
//! The engine's decoders are built from the event and configuration tables,
//! and `cargo run --example schema -- --write` generates from the tables the
//! JS packer's codes, the widget's option bounds, the TypeScript types of
//! events, configuration, KPIs and reports, the tables of docs/kpis.md,
//! README's attribute bounds and collector/openapi.json's KPI and report
//! schemas (`tests/schema.rs` fails when one differs, and when what the
//! engine writes has other members than the tables).

/// The event types, in the order of their codes (a type's code is its position in [`EVENT_TYPES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeCode {
    /// `page_view`.
    PageView,
    /// `chat_button_impression`.
    ChatButtonImpression,
    /// `chat_button_click`.
    ChatButtonClick,
    /// `chat_open`.
    ChatOpen,
    /// `availability`.
    Availability,
    /// `chat_started`.
    ChatStarted,
    /// `customer_message`.
    CustomerMessage,
    /// `agent_message`.
    AgentMessage,
    /// `chat_ended`.
    ChatEnded,
    /// `survey`.
    Survey,
    /// `conversion`.
    Conversion,
    /// `tag`.
    Tag,
}

/// A field of an event type, besides `type` and `ts`.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The field's name.
    pub name: &'static str,
    /// Its TypeScript type.
    pub ts_type: &'static str,
    /// The field must be present.
    pub required: bool,
}

/// One event type of the protocol.
#[derive(Clone, Copy, Debug)]
pub struct EventSchema {
    /// The variant the decoders produce.
    pub code: TypeCode,
    /// The `type` value.
    pub name: &'static str,
    /// Its fields besides `type` and `ts`.
    pub fields: &'static [Field],
    /// The JS batch packer packs it (names of goals and tags go the JSON path).
    pub packed: bool,
    /// What the fields mean, for docs/kpis.md (Markdown).
    pub note: &'static str,
    /// What produces the event, for docs/kpis.md (Markdown).
    pub source: &'static str,
}

const fn field(name: &'static str, ts_type: &'static str, required: bool) -> Field {
    Field { name, ts_type, required }
}

const FLAG: &str = "boolean";

/// Every event type, in the order of their codes.
pub const EVENT_TYPES: [EventSchema; 12] = [
    EventSchema {
        code: TypeCode::PageView,
        name: "page_view",
        fields: &[field("support", FLAG, true)],
        packed: true,
        note: "the page matches `data-support-pages`",
        source: "widget, on load and on SPA navigation to another path",
    },
    EventSchema {
        code: TypeCode::ChatButtonImpression,
        name: "chat_button_impression",
        fields: &[],
        packed: true,
        note: "",
        source: "widget: the launcher was viewable (≥ 50 % of its pixels in the viewport, tab visible, one continuous \
                 second: the MRC display rule), at most once per page view",
    },
    EventSchema {
        code: TypeCode::ChatButtonClick,
        name: "chat_button_click",
        fields: &[],
        packed: true,
        note: "",
        source: "widget (a click on the launcher) or adapter",
    },
    EventSchema {
        code: TypeCode::ChatOpen,
        name: "chat_open",
        fields: &[],
        packed: true,
        note: "",
        source: "adapter (the chat window opened)",
    },
    EventSchema {
        code: TypeCode::Availability,
        name: "availability",
        fields: &[field("online", FLAG, true)],
        packed: true,
        note: "agents went online or offline",
        source: "widget (from the opening hours) or adapter",
    },
    EventSchema {
        code: TypeCode::ChatStarted,
        name: "chat_started",
        fields: &[],
        packed: true,
        note: "",
        source: "adapter: the customer's first message of a conversation",
    },
    EventSchema {
        code: TypeCode::CustomerMessage,
        name: "customer_message",
        fields: &[],
        packed: true,
        note: "",
        source: "adapter",
    },
    EventSchema {
        code: TypeCode::AgentMessage,
        name: "agent_message",
        fields: &[],
        packed: true,
        note: "",
        source: "adapter",
    },
    EventSchema {
        code: TypeCode::ChatEnded,
        name: "chat_ended",
        fields: &[field("resolved", FLAG, false), field("transferred", FLAG, false), field("escalated", FLAG, false)],
        packed: true,
        note: "",
        source: "adapter, or `supportKpi('chat', 'ended', …)`; the widget closes (not ends) a chat left open when the \
                 visitor leaves",
    },
    EventSchema {
        code: TypeCode::Survey,
        name: "survey",
        fields: &[field("kind", r#""csat" | "nps" | "ces""#, true), field("score", "number", true)],
        packed: true,
        note: "`score`: integer 1-5, 0-10, 1-7",
        source: "adapter (a rating) or the page",
    },
    EventSchema {
        code: TypeCode::Conversion,
        name: "conversion",
        fields: &[field("goal", "string", true), field("value", "number", false)],
        packed: false,
        note: "`goal`: one of `goals`; `value`: 0 … 10^12 (kept in exact thousandths)",
        source: "the page: `supportKpi('conversion', goal, value)`",
    },
    EventSchema {
        code: TypeCode::Tag,
        name: "tag",
        fields: &[field("name", "string", true)],
        packed: false,
        note: "one of `tags`, at most 64 characters, e.g. `complaint`",
        source: "the page: `supportKpi('tag', name)`",
    },
];

/// The `type` names in the order of their codes.
pub const EVENT_NAMES: [&str; EVENT_TYPES.len()] = {
    let mut names = [""; EVENT_TYPES.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = EVENT_TYPES[i].name;
        i += 1;
    }
    names
};

/// The variants in the order of their codes.
pub(crate) const EVENT_CODES: [TypeCode; EVENT_TYPES.len()] = {
    let mut codes = [TypeCode::Tag; EVENT_TYPES.len()];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = EVENT_TYPES[i].code;
        i += 1;
    }
    codes
};

/// The range of a numeric configuration key, its default and the error outside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Smallest value accepted (in thousandths when `milli`).
    pub low: i64,
    /// Largest value accepted (in thousandths when `milli`).
    pub high: i64,
    /// The value when the key is absent; `None`: off.
    pub default: Option<i64>,
    /// The key is a decimal number, kept in thousandths; otherwise an integer.
    pub milli: bool,
    /// The error for a value out of range.
    pub message: &'static str,
    /// What the key sets, for its documentation (README, TypeScript, docs/kpis.md).
    pub summary: &'static str,
}

/// The configuration keys, in the order of [`CONFIG_KEYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCode {
    /// `siteKey`.
    SiteKey,
    /// `timeZone`.
    TimeZone,
    /// `timeZoneTable`.
    TimeZoneTable,
    /// `openingHours`.
    OpeningHours,
    /// `serviceLevelSeconds`.
    ServiceLevelSeconds,
    /// `goals`.
    Goals,
    /// `tags`.
    Tags,
    /// `attributionDays`.
    AttributionDays,
    /// `sessionTimeoutMinutes`.
    SessionTimeoutMinutes,
    /// `dpEpsilon`.
    DpEpsilon,
}

/// One key of the engine's configuration.
#[derive(Clone, Copy, Debug)]
pub struct ConfigKey {
    /// The variant the decoder matches.
    pub code: KeyCode,
    /// The key (`camelCase`).
    pub name: &'static str,
    /// The widget attribute that sets it, if any (`data-…`).
    pub attribute: Option<&'static str>,
    /// Range and default of a numeric key.
    pub bounds: Option<Bounds>,
}

/// `serviceLevelSeconds`: first responses within this many seconds meet the service level.
pub const SERVICE_LEVEL_SECONDS: Bounds = Bounds {
    low: 1,
    high: 86_400,
    default: Some(60),
    milli: false,
    message: "must be an integer from 1 to 86400",
    summary: "first responses within this many seconds meet the service level",
};

/// `attributionDays`: days after a chat in which a conversion counts as after chat.
pub const ATTRIBUTION_DAYS: Bounds = Bounds {
    low: 0,
    high: 365,
    default: Some(7),
    milli: false,
    message: "must be an integer from 0 to 365",
    summary: "days after a chat in which a conversion counts as after chat (0: the chat's session only)",
};

/// `sessionTimeoutMinutes`: minutes of inactivity that end a session.
pub const SESSION_TIMEOUT_MINUTES: Bounds = Bounds {
    low: 1,
    high: 1_440,
    default: Some(30),
    milli: false,
    message: "must be an integer from 1 to 1440",
    summary: "minutes of inactivity that end a session",
};

/// `dpEpsilon`: ε of differential privacy, in thousandths; off by default.
pub const DP_EPSILON: Bounds = Bounds {
    low: 100,
    high: 10_000,
    default: None,
    milli: true,
    message: "must be a number from 0.1 to 10",
    summary: "ε of differential privacy: every report is clipped and noised on the device (docs/kpis.md, \"Differential privacy\")",
};

const fn key(code: KeyCode, name: &'static str, attribute: Option<&'static str>, bounds: Option<Bounds>) -> ConfigKey {
    ConfigKey { code, name, attribute, bounds }
}

/// Every configuration key.
pub const CONFIG_KEYS: [ConfigKey; 10] = [
    key(KeyCode::SiteKey, "siteKey", Some("site"), None),
    key(KeyCode::TimeZone, "timeZone", Some("time-zone"), None),
    key(KeyCode::TimeZoneTable, "timeZoneTable", None, None),
    key(KeyCode::OpeningHours, "openingHours", Some("opening-hours"), None),
    key(KeyCode::ServiceLevelSeconds, "serviceLevelSeconds", Some("service-level"), Some(SERVICE_LEVEL_SECONDS)),
    key(KeyCode::Goals, "goals", Some("goals"), None),
    key(KeyCode::Tags, "tags", Some("tags"), None),
    key(KeyCode::AttributionDays, "attributionDays", Some("attribution-days"), Some(ATTRIBUTION_DAYS)),
    key(
        KeyCode::SessionTimeoutMinutes,
        "sessionTimeoutMinutes",
        Some("session-timeout"),
        Some(SESSION_TIMEOUT_MINUTES),
    ),
    key(KeyCode::DpEpsilon, "dpEpsilon", Some("dp-epsilon"), Some(DP_EPSILON)),
];

/// The configuration keys' names.
pub(crate) const CONFIG_NAMES: [&str; CONFIG_KEYS.len()] = {
    let mut names = [""; CONFIG_KEYS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = CONFIG_KEYS[i].name;
        i += 1;
    }
    names
};

/// The configuration keys' variants, in the order of [`CONFIG_KEYS`].
pub(crate) const CONFIG_CODES: [KeyCode; CONFIG_KEYS.len()] = {
    let mut codes = [KeyCode::SiteKey; CONFIG_KEYS.len()];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = CONFIG_KEYS[i].code;
        i += 1;
    }
    codes
};

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn codes_are_positions() {
        for (position, event) in EVENT_TYPES.iter().enumerate() {
            assert_eq!(event.code as usize, position, "{}", event.name);
            let variant = format!("{:?}", event.code);
            let snake: alloc::string::String = variant
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                    sep.into_iter().chain(core::iter::once(c.to_ascii_lowercase()))
                })
                .collect();
            assert_eq!(snake, event.name);
        }
    }

    #[test]
    fn key_variants_are_named_after_their_keys() {
        for key in CONFIG_KEYS.iter() {
            let variant = format!("{:?}", key.code);
            let mut chars = variant.chars();
            let first = chars.next().map(|c| c.to_ascii_lowercase());
            let camel: alloc::string::String = first.into_iter().chain(chars).collect();
            assert_eq!(camel, key.name);
        }
    }

    #[test]
    fn messages_state_the_bounds() {
        for bounds in CONFIG_KEYS.iter().filter_map(|key| key.bounds) {
            let expected = if bounds.milli {
                format!("must be a number from {} to {}", bounds.low as f64 / 1000.0, bounds.high as f64 / 1000.0)
            } else {
                format!("must be an integer from {} to {}", bounds.low, bounds.high)
            };
            assert_eq!(bounds.message, expected);
        }
    }
}
