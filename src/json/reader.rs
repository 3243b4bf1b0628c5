//! Pull reader over JSON bytes.

use super::number::Number;
use crate::error::Error;
use crate::path::Path;
use alloc::borrow::Cow;
use alloc::string::String;

/// Deepest nesting of arrays and objects the reader accepts.
pub const MAX_DEPTH: u8 = 16;

/// One JSON value as it starts in the input; containers are entered, not read.
#[derive(Clone, Copy, Debug)]
pub enum Token<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, still as text.
    Number(Number<'a>),
    /// A string, still escaped.
    Str(RawStr<'a>),
    /// `{`: read its members with [`Reader::next_key`].
    Object,
    /// `[`: read its items with [`Reader::next_item`].
    Array,
}

impl Token<'_> {
    /// What kind of value this is, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Token::Null => "null",
            Token::Bool(_) => "a boolean",
            Token::Number(_) => "a number",
            Token::Str(_) => "a string",
            Token::Object => "an object",
            Token::Array => "an array",
        }
    }
}

/// A JSON string exactly as written between its quotes.
#[derive(Clone, Copy, Debug)]
pub struct RawStr<'a> {
    bytes: &'a [u8],
    escaped: bool,
}

impl<'a> RawStr<'a> {
    /// The raw bytes between the quotes (escapes not decoded).
    pub fn raw(&self) -> &'a [u8] {
        self.bytes
    }

    /// True when the string is exactly `s` (no escapes involved).
    pub fn is(&self, s: &str) -> bool {
        !self.escaped && self.bytes == s.as_bytes()
    }

    /// True when both strings hold the same text once escapes are decoded.
    pub fn same_text(&self, other: &RawStr) -> bool {
        if !self.escaped && !other.escaped {
            return self.bytes == other.bytes;
        }
        self.decode().is_some_and(|mine| other.decode().is_some_and(|theirs| mine == theirs))
    }

    /// The decoded text; `None` when an escape is malformed or a surrogate is unpaired.
    pub fn decode(&self) -> Option<Cow<'a, str>> {
        if !self.escaped {
            return core::str::from_utf8(self.bytes).ok().map(Cow::Borrowed);
        }
        let mut out = String::with_capacity(self.bytes.len());
        let mut rest = self.bytes;
        while let Some(at) = rest.iter().position(|&b| b == b'\\') {
            out.push_str(core::str::from_utf8(rest.get(..at)?).ok()?);
            let (ch, used) = unescape(rest.get(at + 1..)?)?;
            out.push(ch);
            rest = rest.get(at + 1 + used..)?;
        }
        out.push_str(core::str::from_utf8(rest).ok()?);
        Some(Cow::Owned(out))
    }
}

/// Decodes one escape (the bytes after a backslash): the character and how many bytes it used.
fn unescape(s: &[u8]) -> Option<(char, usize)> {
    let simple = match *s.first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unescape_unicode(s),
        _ => return None,
    };
    Some((simple, 1))
}

fn unescape_unicode(s: &[u8]) -> Option<(char, usize)> {
    let high = hex4(s.get(1..5)?)?;
    if !(0xD800..0xDC00).contains(&high) {
        return char::from_u32(high).map(|c| (c, 5));
    }
    if s.get(5..7)? != b"\\u" {
        return None;
    }
    let low = hex4(s.get(7..11)?)?;
    if !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).map(|c| (c, 11))
}

fn hex4(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |acc, &b| Some(acc * 16 + (b as char).to_digit(16)?))
}

/// Pull reader over one JSON document.
///
/// Every method returns an [`Error`] naming the [`Path`] it was given, so a
/// decoder reports `openingHours.mon[0]: …` rather than a byte offset.
pub struct Reader<'a> {
    src: &'a [u8],
    pos: usize,
    depth: u8,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `src`.
    pub fn new(src: &'a [u8]) -> Self {
        Reader { src, pos: 0, depth: 0 }
    }

    /// Reads the start of the next value.
    pub fn token(&mut self, path: &Path) -> Result<Token<'a>, Error> {
        let token = match self.peek_non_space() {
            Some(b'{') => self.enter(Token::Object, path)?,
            Some(b'[') => self.enter(Token::Array, path)?,
            Some(b'"') => Token::Str(self.string(path)?),
            Some(b't') => self.literal(b"true", Token::Bool(true), path)?,
            Some(b'f') => self.literal(b"false", Token::Bool(false), path)?,
            Some(b'n') => self.literal(b"null", Token::Null, path)?,
            Some(b'-' | b'0'..=b'9') => Token::Number(self.number(path)?),
            Some(_) => return Err(self.syntax(path, "unexpected character")),
            None => return Err(self.syntax(path, "unexpected end of input")),
        };
        Ok(token)
    }

    /// Inside an object: the next member's key, or `None` at the closing `}`.
    /// `first` must start `true` for each object.
    pub fn next_key(&mut self, first: &mut bool, path: &Path) -> Result<Option<RawStr<'a>>, Error> {
        if !self.continue_container(b'}', first, path)? {
            return Ok(None);
        }
        if self.peek_non_space() != Some(b'"') {
            return Err(self.syntax(path, "expected a quoted key"));
        }
        let key = self.string(path)?;
        if self.peek_non_space() != Some(b':') {
            return Err(self.syntax(path, "expected ':' after a key"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// Inside an array: true if another item follows, false at the closing `]`.
    /// `first` must start `true` for each array.
    pub fn next_item(&mut self, first: &mut bool, path: &Path) -> Result<bool, Error> {
        self.continue_container(b']', first, path)
    }

    /// Skips the rest of a value whose first token was just read, checking its syntax.
    pub fn skip(&mut self, token: Token<'a>, path: &Path) -> Result<(), Error> {
        // Bit `level - 1` of `objects` tells whether that open container is an object.
        let mut objects: u32 = match token {
            Token::Object => 1,
            Token::Array => 0,
            _ => return Ok(()),
        };
        let mut level = 1u32;
        let mut first = true;
        while level > 0 {
            let in_object = (objects >> (level - 1)) & 1 == 1;
            let more =
                if in_object { self.next_key(&mut first, path)?.is_some() } else { self.next_item(&mut first, path)? };
            if !more {
                level -= 1;
                first = false;
                continue;
            }
            match self.token(path)? {
                Token::Object => objects |= 1 << level,
                Token::Array => objects &= !(1 << level),
                _ => continue,
            }
            level += 1;
            first = true;
        }
        Ok(())
    }

    /// Where the reader stands, for [`Reader::rewind`].
    pub fn position(&self) -> (usize, u8) {
        (self.pos, self.depth)
    }

    /// Goes back to a position returned by [`Reader::position`].
    pub fn rewind(&mut self, (pos, depth): (usize, u8)) {
        self.pos = pos;
        self.depth = depth;
    }

    /// Succeeds when only whitespace is left.
    pub fn finish(&mut self, path: &Path) -> Result<(), Error> {
        match self.peek_non_space() {
            None => Ok(()),
            Some(_) => Err(self.syntax(path, "unexpected text after the value")),
        }
    }

    fn continue_container(&mut self, close: u8, first: &mut bool, path: &Path) -> Result<bool, Error> {
        let next = self.peek_non_space();
        if next == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        if !*first {
            if next != Some(b',') {
                return Err(self.syntax(path, "expected ',' or the end of the container"));
            }
            self.pos += 1;
            if self.peek_non_space() == Some(close) {
                return Err(self.syntax(path, "trailing comma"));
            }
        }
        *first = false;
        Ok(true)
    }

    fn enter(&mut self, token: Token<'a>, path: &Path) -> Result<Token<'a>, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::invalid(path, "is nested too deeply"));
        }
        self.pos += 1;
        self.depth += 1;
        Ok(token)
    }

    fn literal(&mut self, word: &[u8], token: Token<'a>, path: &Path) -> Result<Token<'a>, Error> {
        if self.src.get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(self.syntax(path, "unknown literal"));
        }
        self.pos += word.len();
        Ok(token)
    }

    fn string(&mut self, path: &Path) -> Result<RawStr<'a>, Error> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            match self.src.get(i) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    i += 2;
                }
                Some(0..=0x1f) => return Err(self.syntax(path, "control character in a string")),
                Some(_) => i += 1,
                None => return Err(self.syntax(path, "unterminated string")),
            }
        }
        self.pos = i + 1;
        Ok(RawStr { bytes: self.src.get(start..i).unwrap_or_default(), escaped })
    }

    fn number(&mut self, path: &Path) -> Result<Number<'a>, Error> {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let len = rest.iter().take_while(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')).count();
        self.pos += len;
        Number::parse(rest.get(..len).unwrap_or_default()).ok_or_else(|| self.syntax(path, "malformed number"))
    }

    fn peek_non_space(&mut self) -> Option<u8> {
        while let Some(&b) = self.src.get(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    fn syntax(&self, path: &Path, what: &'static str) -> Error {
        let what = if self.pos >= self.src.len() { "unexpected end of input" } else { what };
        Error::syntax(path, what, self.pos)
    }
}
