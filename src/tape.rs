//! A compact positional encoding for saved engine state: a flat JSON array of
//! integers and strings in a fixed order.
//!
//! Each type has one `visit` function that both writes and reads it through a
//! [`Tape`], so the two directions cannot drift apart. Reading never fails
//! midway: the first problem is remembered, later reads return zeros, and
//! [`TapeReader::finish`] reports it naming the item's position.

use crate::error::Error;
use crate::json::{Path, Reader, Token, Writer, check_slug, wrong_type};
use alloc::string::String;

/// One direction of the state encoding.
pub trait Tape {
    /// An integer, which must lie in `min..=max` when read.
    fn int(&mut self, value: &mut i64, min: i64, max: i64);
    /// A boolean, as 0 or 1.
    fn flag(&mut self, value: &mut bool);
    /// A slug (goal or tag name, site key).
    fn name(&mut self, value: &mut String);
    /// A length: written as `len`; when reading, the length read (at most `max`).
    fn len(&mut self, len: usize, max: usize) -> usize;
}

/// Visits an optional value: a presence flag, then the value.
pub fn optional<T: Default>(tape: &mut dyn Tape, value: &mut Option<T>, visit: impl FnOnce(&mut dyn Tape, &mut T)) {
    let mut present = value.is_some();
    tape.flag(&mut present);
    if present {
        visit(tape, value.get_or_insert_with(T::default));
    } else {
        *value = None;
    }
}

/// Writes a tape as a JSON array.
pub struct TapeWriter {
    out: Writer,
}

impl TapeWriter {
    /// An empty tape.
    pub fn new() -> Self {
        let mut out = Writer::new();
        out.begin_array();
        TapeWriter { out }
    }

    /// The tape's JSON text.
    pub fn finish(mut self) -> String {
        self.out.end_array();
        self.out.into_string()
    }
}

impl Default for TapeWriter {
    fn default() -> Self {
        TapeWriter::new()
    }
}

impl Tape for TapeWriter {
    fn int(&mut self, value: &mut i64, _min: i64, _max: i64) {
        self.out.int(*value);
    }

    fn flag(&mut self, value: &mut bool) {
        self.out.int(i64::from(*value));
    }

    fn name(&mut self, value: &mut String) {
        self.out.string(value);
    }

    fn len(&mut self, len: usize, _max: usize) -> usize {
        self.out.int(len as i64);
        len
    }
}

/// Reads a tape written by [`TapeWriter`].
pub struct TapeReader<'a> {
    reader: Reader<'a>,
    root: &'static str,
    position: usize,
    first: bool,
    error: Option<Error>,
}

impl<'a> TapeReader<'a> {
    /// A reader of the JSON array in `json`; errors name `root` (e.g. "state").
    pub fn new(json: &'a [u8], root: &'static str) -> Self {
        let mut reader = Reader::new(json);
        let path = Path::root(root);
        let error = match reader.token(&path) {
            Ok(Token::Array) => None,
            Ok(other) => Some(wrong_type(&path, "an array", other)),
            Err(error) => Some(error),
        };
        TapeReader { reader, root, position: 0, first: true, error }
    }

    /// Succeeds when every item was read, valid, and nothing follows.
    pub fn finish(mut self) -> Result<(), Error> {
        let path = Path::root(self.root);
        if self.error.is_none() {
            match self.reader.next_item(&mut self.first, &path) {
                Ok(true) => self.error = Some(Error::invalid(&path, "has more items than this version writes")),
                Ok(false) => self.error = self.reader.finish(&path).err(),
                Err(error) => self.error = Some(error),
            }
        }
        self.error.map_or(Ok(()), Err)
    }

    /// The next item, or `None` after an error (which is then remembered).
    fn next(&mut self) -> Option<(Token<'a>, usize)> {
        if self.error.is_some() {
            return None;
        }
        let position = self.position;
        self.position += 1;
        let root = Path::root(self.root);
        let path = root.index(position);
        let item = match self.reader.next_item(&mut self.first, &root) {
            Ok(true) => self.reader.token(&path),
            Ok(false) => Err(Error::invalid(&path, "is missing: the state ends early")),
            Err(error) => Err(error),
        };
        match item {
            Ok(token) => Some((token, position)),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }

    fn fail(&mut self, position: usize, detail: &'static str) {
        self.error = Some(Error::invalid(&Path::root(self.root).index(position), detail));
    }

    fn integer(&mut self, min: i64, max: i64, detail: &'static str) -> i64 {
        let Some((token, position)) = self.next() else { return 0 };
        match token {
            Token::Number(number) => match number.integer() {
                Some(value) if (min..=max).contains(&value) => return value,
                _ => self.fail(position, detail),
            },
            _ => self.fail(position, "must be a number"),
        }
        0
    }
}

impl Tape for TapeReader<'_> {
    fn int(&mut self, value: &mut i64, min: i64, max: i64) {
        *value = self.integer(min, max, "is out of range");
    }

    fn flag(&mut self, value: &mut bool) {
        *value = self.integer(0, 1, "must be 0 or 1") == 1;
    }

    fn name(&mut self, value: &mut String) {
        let Some((token, position)) = self.next() else { return };
        let path = Path::root(self.root);
        let text = match token {
            Token::Str(raw) => raw.decode(),
            _ => None,
        };
        match text {
            Some(text) if check_slug(&text, &path).is_ok() => *value = text.into_owned(),
            _ => self.fail(position, "must be a name of 1 to 64 characters from a-z, 0-9, '_' and '-'"),
        }
    }

    fn len(&mut self, _len: usize, max: usize) -> usize {
        self.integer(0, max as i64, "is not a valid length") as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(tape: &mut dyn Tape, values: &mut (i64, bool, String, Option<i64>)) {
        tape.int(&mut values.0, 0, 100);
        tape.flag(&mut values.1);
        tape.name(&mut values.2);
        optional(tape, &mut values.3, |tape, v| tape.int(v, -5, 5));
    }

    #[test]
    fn round_trips() {
        let mut written = (42, true, String::from("acme"), Some(-3));
        let mut writer = TapeWriter::new();
        visit(&mut writer, &mut written);
        let text = writer.finish();
        assert_eq!(text, r#"[42,1,"acme",1,-3]"#);
        let mut read = (0, false, String::new(), None);
        let mut reader = TapeReader::new(text.as_bytes(), "state");
        visit(&mut reader, &mut read);
        reader.finish().unwrap();
        assert_eq!(read, written);
    }

    #[test]
    fn names_the_first_bad_item() {
        let read = |json: &str| {
            let mut values = (0, false, String::new(), None);
            let mut reader = TapeReader::new(json.as_bytes(), "state");
            visit(&mut reader, &mut values);
            reader.finish().map_err(|e| e.message())
        };
        assert_eq!(read(r#"[101,1,"a",0]"#).unwrap_err(), "state[0]: is out of range");
        assert_eq!(read(r#"[1,2,"a",0]"#).unwrap_err(), "state[1]: must be 0 or 1");
        assert_eq!(
            read(r#"[1,1,"A b",0]"#).unwrap_err(),
            "state[2]: must be a name of 1 to 64 characters from a-z, 0-9, '_' and '-'"
        );
        assert_eq!(read(r#"[1,1,"a"]"#).unwrap_err(), "state[3]: is missing: the state ends early");
        assert_eq!(read(r#"[1,1,"a",0,7]"#).unwrap_err(), "state: has more items than this version writes");
        assert_eq!(read(r#"{"v":1}"#).unwrap_err(), "state: must be an array, not an object");
        assert_eq!(read(r#"[1,1,"a",1,9]"#).unwrap_err(), "state[4]: is out of range");
    }
}
