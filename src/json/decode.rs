//! Typed reads on top of [`Reader`], each naming its field on failure.

use super::{Path, RawStr, Reader, Token};
use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;

/// Longest key or value echoed back in an error message.
const ECHO_LIMIT: usize = 40;

/// The member or item callback of [`Reader::members`] and [`Reader::items`]
/// as a trait object: unlike `dyn FnMut`, whose vtable also holds a
/// `call_once` shim for every closure, its vtable holds only `call`.
trait Callback<'a, A> {
    /// Calls the closure.
    fn call(&mut self, r: &mut Reader<'a>, arg: A) -> Result<(), Error>;
}

impl<'a, A, F: FnMut(&mut Reader<'a>, A) -> Result<(), Error>> Callback<'a, A> for F {
    fn call(&mut self, r: &mut Reader<'a>, arg: A) -> Result<(), Error> {
        self(r, arg)
    }
}

impl<'a> Reader<'a> {
    /// Reads an object, calling `member` with each key; `member` must consume the value.
    /// A key that appears twice (escapes decoded) is refused, naming it: no
    /// decoder lets a later member silently replace an earlier one.
    ///
    /// `member` is a trait object so that this loop exists once in the
    /// WebAssembly module rather than once per decoder (see `Callback`).
    pub fn members(
        &mut self,
        path: &Path,
        mut member: impl FnMut(&mut Self, RawStr<'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.members_dyn(path, &mut member)
    }

    fn members_dyn(&mut self, path: &Path, member: &mut dyn Callback<'a, RawStr<'a>>) -> Result<(), Error> {
        self.enter_object(path)?;
        let mut first = true;
        let mut seen: Vec<RawStr<'a>> = Vec::new();
        while let Some(key) = self.next_key(&mut first, path)? {
            if seen.iter().any(|earlier| earlier.same_text(&key)) {
                return Err(duplicate_key(path, key));
            }
            seen.push(key);
            member.call(self, key)?;
        }
        Ok(())
    }

    /// Reads the start of an object; any other value is consumed and refused.
    /// Read its members with [`Reader::next_key`].
    pub fn enter_object(&mut self, path: &Path) -> Result<(), Error> {
        let token = self.token(path)?;
        if matches!(token, Token::Object) {
            return Ok(());
        }
        self.skip(token, path)?;
        Err(wrong_type(path, "an object", token))
    }

    /// Reads an array, calling `item` with each index; `item` must consume the value.
    pub fn items(
        &mut self,
        path: &Path,
        mut item: impl FnMut(&mut Self, usize) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.items_dyn(path, &mut item)
    }

    fn items_dyn(&mut self, path: &Path, item: &mut dyn Callback<'a, usize>) -> Result<(), Error> {
        let token = self.token(path)?;
        if !matches!(token, Token::Array) {
            self.skip(token, path)?;
            return Err(wrong_type(path, "an array", token));
        }
        let mut first = true;
        let mut index = 0;
        while self.next_item(&mut first, path)? {
            item.call(self, index)?;
            index += 1;
        }
        Ok(())
    }

    /// Reads a boolean.
    pub fn boolean(&mut self, path: &Path) -> Result<bool, Error> {
        expect_bool(self.token(path)?, path)
    }

    /// Reads an integer in `min..=max`; `range` describes the bound for the message.
    pub fn integer(&mut self, path: &Path, min: i64, max: i64, range: &'static str) -> Result<i64, Error> {
        expect_integer(self.token(path)?, path, min, max, range)
    }

    /// Reads a string and decodes its escapes.
    pub fn text(&mut self, path: &Path) -> Result<alloc::borrow::Cow<'a, str>, Error> {
        match self.token(path)? {
            Token::Str(raw) => raw.decode().ok_or_else(|| Error::invalid(path, "has a malformed escape")),
            other => Err(wrong_type(path, "a string", other)),
        }
    }

    /// Reads a slug: 1 to 64 of `a-z`, `0-9`, `_` and `-`.
    pub fn slug(&mut self, path: &Path) -> Result<String, Error> {
        let text = self.text(path)?;
        check_slug(&text, path)?;
        Ok(text.into_owned())
    }

    /// Reads `null` as `None`, anything else with `read`.
    pub fn nullable<T>(
        &mut self,
        path: &Path,
        read: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        let saved = self.position();
        if matches!(self.token(path)?, Token::Null) {
            return Ok(None);
        }
        self.rewind(saved);
        read(self).map(Some)
    }
}

/// Requires a boolean token.
pub fn expect_bool(token: Token, path: &Path) -> Result<bool, Error> {
    match token {
        Token::Bool(value) => Ok(value),
        other => Err(wrong_type(path, "a boolean", other)),
    }
}

/// Requires an integer token in `min..=max`.
pub fn expect_integer(token: Token, path: &Path, min: i64, max: i64, range: &'static str) -> Result<i64, Error> {
    let Token::Number(number) = token else {
        return Err(wrong_type(path, "a number", token));
    };
    match number.integer() {
        Some(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(Error::invalid(path, range)),
    }
}

/// Checks the slug rule: 1 to 64 of `a-z`, `0-9`, `_` and `-`.
pub fn check_slug(text: &str, path: &Path) -> Result<(), Error> {
    let valid =
        (1..=64).contains(&text.len()) && text.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
    if valid { Ok(()) } else { Err(Error::invalid(path, "must be 1 to 64 characters from a-z, 0-9, '_' and '-'")) }
}

/// "must be X, not Y" for a value of the wrong JSON type.
#[cold]
#[inline(never)]
pub fn wrong_type(path: &Path, expected: &'static str, found: Token) -> Error {
    let mut detail = String::from("must be ");
    detail.push_str(expected);
    detail.push_str(", not ");
    detail.push_str(found.kind_name());
    Error::invalid_because(path, detail)
}

/// Error for a key the schema does not have, echoing (a prefix of) the key.
#[cold]
#[inline(never)]
pub fn unknown_key(parent: &Path, key: RawStr) -> Error {
    let decoded = key.decode().unwrap_or_default();
    Error::unknown_field(&parent.key(echo(&decoded)))
}

/// Error for a key that appears twice in one object, echoing (a prefix of) the key.
#[cold]
#[inline(never)]
fn duplicate_key(parent: &Path, key: RawStr) -> Error {
    let decoded = key.decode().unwrap_or_default();
    Error::invalid(&parent.key(echo(&decoded)), "appears more than once")
}

/// Error for a value that is not one of the allowed names, quoting it.
#[cold]
#[inline(never)]
pub fn not_listed(path: &Path, value: &str, list: &'static str) -> Error {
    let mut detail = String::from("\"");
    detail.push_str(echo(value));
    detail.push_str("\" is not one of the ");
    detail.push_str(list);
    Error::invalid_because(path, detail)
}

/// At most [`ECHO_LIMIT`] bytes of `text`, cut at a character boundary.
fn echo(text: &str) -> &str {
    let end = (0..=text.len().min(ECHO_LIMIT)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    text.get(..end).unwrap_or_default()
}
