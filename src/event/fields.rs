//! Validation of one event object's fields into an [`Event`].

use super::{
    ESCALATED, Event, EventKind, FIELDS, GOAL, KIND, MAX_NAME_LEN, MAX_VALUE_MILLI, NAME, ONLINE, Outcome, RESOLVED,
    SCORE, SUPPORT, Scale, TRANSFERRED, TS, TYPE, TYPES, VALUE, bit,
};
use crate::config::Config;
use crate::error::Error;
use crate::json::{Path, Token, expect_bool, expect_integer, not_listed, unknown_key, wrong_type};
use crate::schema::{EVENT_CODES, TypeCode};
use crate::time::{EARLIEST_TS, LATEST_TS};
use alloc::borrow::Cow;
use alloc::string::String;

/// The fields of one event object as read, before validation.
pub(super) struct Fields<'a, 'p> {
    pub(super) tokens: [Option<Token<'a>>; FIELDS.len()],
    pub(super) path: &'p Path<'p>,
}

impl<'a> Fields<'a, '_> {
    pub(super) fn store(
        &mut self,
        index: Option<usize>,
        key: crate::json::RawStr,
        token: Token<'a>,
    ) -> Result<(), Error> {
        let Some(index) = index else {
            return Err(unknown_key(self.path, key));
        };
        if self.tokens[index].replace(token).is_some() {
            return Err(Error::invalid(&self.path.key(FIELDS[index]), "appears more than once"));
        }
        Ok(())
    }

    fn path(&self, field: usize) -> Path<'_> {
        self.path.key(FIELDS.get(field).copied().unwrap_or_default())
    }

    pub(super) fn event(&self, config: &Config) -> Result<Event, Error> {
        let type_index = self.type_index()?;
        let event_type = &TYPES[type_index];
        for field in SUPPORT..FIELDS.len() {
            let allowed = (event_type.required | event_type.optional) & bit(field) != 0;
            if self.tokens[field].is_some() && !allowed {
                let mut detail = String::from("is not a field of ");
                detail.push_str(event_type.name);
                detail.push_str(" events");
                return Err(Error::invalid_because(&self.path(field), detail));
            }
            if self.tokens[field].is_none() && event_type.required & bit(field) != 0 {
                return Err(Error::missing(&self.path(field)));
            }
        }
        let ts = self.ts()?;
        let kind = match EVENT_CODES[type_index] {
            TypeCode::PageView => EventKind::PageView { support: self.flag(SUPPORT)?.unwrap_or(false) },
            TypeCode::ChatButtonImpression => EventKind::ChatButtonImpression,
            TypeCode::ChatButtonClick => EventKind::ChatButtonClick,
            TypeCode::ChatOpen => EventKind::ChatOpen,
            TypeCode::Availability => EventKind::Availability { online: self.flag(ONLINE)?.unwrap_or(false) },
            TypeCode::ChatStarted => EventKind::ChatStarted,
            TypeCode::CustomerMessage => EventKind::CustomerMessage,
            TypeCode::AgentMessage => EventKind::AgentMessage,
            TypeCode::ChatEnded => EventKind::ChatEnded(Outcome {
                resolved: self.flag(RESOLVED)?,
                transferred: self.flag(TRANSFERRED)?.unwrap_or(false),
                escalated: self.flag(ESCALATED)?.unwrap_or(false),
            }),
            TypeCode::Survey => self.survey()?,
            TypeCode::Conversion => EventKind::Conversion {
                goal: config.goal_index(&self.name(GOAL)?, &self.path(GOAL))?,
                value_milli: self.value()?,
            },
            TypeCode::Tag => EventKind::Tag { tag: config.tag_index(&self.name(NAME)?, &self.path(NAME))? },
        };
        Ok(Event { ts, kind })
    }

    fn type_index(&self) -> Result<usize, Error> {
        let path = self.path(TYPE);
        let raw = match self.tokens[TYPE] {
            None => return Err(Error::missing(&path)),
            Some(Token::Str(raw)) => raw,
            Some(other) => return Err(wrong_type(&path, "a string", other)),
        };
        TYPES.iter().position(|t| raw.is(t.name)).ok_or_else(|| {
            let name = raw.decode().unwrap_or_default();
            not_listed(&path, &name, "event types")
        })
    }

    fn ts(&self) -> Result<i64, Error> {
        const RANGE: &str = "must be milliseconds since 1970 between 2000-01-01 and 2100-01-01";
        let path = self.path(TS);
        match self.tokens[TS] {
            None => Err(Error::missing(&path)),
            Some(Token::Number(number)) => number
                .truncated()
                .filter(|ts| (EARLIEST_TS..LATEST_TS).contains(ts))
                .ok_or_else(|| Error::invalid(&path, RANGE)),
            Some(other) => Err(wrong_type(&path, "a number", other)),
        }
    }

    fn flag(&self, field: usize) -> Result<Option<bool>, Error> {
        self.tokens[field].map(|token| expect_bool(token, &self.path(field))).transpose()
    }

    fn survey(&self) -> Result<EventKind, Error> {
        let name = self.name(KIND)?;
        let scale = match Scale::NAMES.iter().position(|n| *n == name) {
            Some(0) => Scale::Csat,
            Some(1) => Scale::Nps,
            Some(_) => Scale::Ces,
            None => return Err(not_listed(&self.path(KIND), &name, "survey kinds (csat, nps, ces)")),
        };
        let (low, high) = scale.range();
        let path = self.path(SCORE);
        let token = self.tokens[SCORE].ok_or_else(|| Error::missing(&path))?;
        let score = expect_integer(token, &path, i64::from(low), i64::from(high), scale.range_message())?;
        Ok(EventKind::Survey { scale, score: score as u8 })
    }

    fn name(&self, field: usize) -> Result<Cow<'a, str>, Error> {
        let path = self.path(field);
        let raw = match self.tokens[field] {
            None => return Err(Error::missing(&path)),
            Some(Token::Str(raw)) => raw,
            Some(other) => return Err(wrong_type(&path, "a string", other)),
        };
        let name = raw.decode().ok_or_else(|| Error::invalid(&path, "has a malformed escape"))?;
        if name.len() > MAX_NAME_LEN {
            return Err(Error::invalid(&path, "must be at most 64 characters"));
        }
        Ok(name)
    }

    fn value(&self) -> Result<i64, Error> {
        const RANGE: &str = "must be a number from 0 to 1000000000000";
        let path = self.path(VALUE);
        match self.tokens[VALUE] {
            None => Ok(0),
            Some(Token::Number(number)) => number
                .fixed(3)
                .filter(|v| (0..=MAX_VALUE_MILLI).contains(v))
                .ok_or_else(|| Error::invalid(&path, RANGE)),
            Some(other) => Err(wrong_type(&path, "a number", other)),
        }
    }
}
