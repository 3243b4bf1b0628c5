//! Appends JSON text to a string, with no float formatting machinery.

use crate::digits::{digits_of, push_u64};
use alloc::string::String;

/// Builds one JSON document; callers open and close containers themselves.
#[derive(Default)]
pub struct Writer {
    out: String,
    needs_comma: bool,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// The text written so far.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    /// Closes the innermost object.
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    /// Closes the innermost array.
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// Writes a member key; the next call writes its value.
    pub fn key(&mut self, key: &str) {
        self.separate();
        self.push_quoted(key);
        self.out.push(':');
        self.needs_comma = false;
    }

    /// Writes a signed integer.
    pub fn int(&mut self, value: i64) {
        self.separate();
        if value < 0 {
            self.out.push('-');
        }
        push_u64(&mut self.out, value.unsigned_abs());
        self.needs_comma = true;
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// Writes a string, escaping quotes, backslashes and control characters.
    pub fn string(&mut self, value: &str) {
        self.separate();
        self.push_quoted(value);
        self.needs_comma = true;
    }

    /// Writes `value` rounded to at most six decimals (`null` if not finite).
    pub fn decimal(&mut self, value: f64) {
        if !value.is_finite() {
            return self.null();
        }
        let magnitude = if value < 0.0 { -value } else { value };
        let signed = |n: i64| if value < 0.0 { -n } else { n };
        if magnitude >= 9.0e12 {
            // Millionths would not fit an i64; such values have no useful decimals.
            return self.int(signed(magnitude as i64));
        }
        self.fixed(signed((magnitude * 1e6 + 0.5) as i64), 6);
    }

    /// Writes `value / 10^decimals` as an exact decimal, trailing zeros dropped.
    pub fn fixed(&mut self, value: i64, decimals: u32) {
        let mut digits = [0u8; 20];
        let written = digits_of(value.unsigned_abs(), &mut digits);
        let digits = digits.get(written..).unwrap_or_default();
        let decimals = decimals as usize;
        // Left-pad with zeros so that at least one digit precedes the point.
        let padding = (decimals + 1).saturating_sub(digits.len());
        let whole_len = (padding + digits.len()).saturating_sub(decimals);
        self.separate();
        if value < 0 {
            self.out.push('-');
        }
        let all = core::iter::repeat_n(b'0', padding).chain(digits.iter().copied());
        let mut fraction = String::new();
        for (i, digit) in all.enumerate() {
            if i < whole_len {
                self.out.push(char::from(digit));
            } else {
                fraction.push(char::from(digit));
            }
        }
        let fraction = fraction.trim_end_matches('0');
        if !fraction.is_empty() {
            self.out.push('.');
            self.out.push_str(fraction);
        }
        self.needs_comma = true;
    }

    /// Writes text that is already valid JSON.
    pub fn raw(&mut self, json: &str) {
        self.separate();
        self.out.push_str(json);
        self.needs_comma = true;
    }

    fn open(&mut self, bracket: u8) {
        self.separate();
        self.out.push(char::from(bracket));
        self.needs_comma = false;
    }

    fn close(&mut self, bracket: u8) {
        self.out.push(char::from(bracket));
        self.needs_comma = true;
    }

    fn separate(&mut self) {
        if self.needs_comma {
            self.out.push(',');
        }
    }

    fn push_quoted(&mut self, text: &str) {
        self.out.push('"');
        for ch in text.chars() {
            match ch {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\u{0}'..='\u{1f}' => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let code = ch as usize;
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[code >> 4]));
                    self.out.push(char::from(HEX[code & 15]));
                }
                _ => self.out.push(ch),
            }
        }
        self.out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Writer)) -> String {
        let mut w = Writer::new();
        f(&mut w);
        w.into_string()
    }

    #[test]
    fn containers_and_separators() {
        let text = written(|w| {
            w.begin_object();
            w.key("a");
            w.int(-3);
            w.key("b");
            w.begin_array();
            w.bool(true);
            w.null();
            w.string("x\"y\n");
            w.end_array();
            w.key("c");
            w.begin_object();
            w.end_object();
            w.end_object();
        });
        assert_eq!(text, r#"{"a":-3,"b":[true,null,"x\"y\u000a"],"c":{}}"#);
    }

    #[test]
    fn decimals() {
        let cases: [(f64, &str); 9] = [
            (0.0, "0"),
            (0.5, "0.5"),
            (1.0 / 3.0, "0.333333"),
            (2.0 / 3.0, "0.666667"),
            (-50.0, "-50"),
            (-0.0000001, "0"),
            (12.25, "12.25"),
            (f64::NAN, "null"),
            (1.0e13, "10000000000000"),
        ];
        for (value, text) in cases {
            assert_eq!(written(|w| w.decimal(value)), text, "{value}");
        }
    }

    #[test]
    fn fixed_point() {
        assert_eq!(written(|w| w.fixed(49_990, 3)), "49.99");
        assert_eq!(written(|w| w.fixed(5, 3)), "0.005");
        assert_eq!(written(|w| w.fixed(-1_500, 3)), "-1.5");
        assert_eq!(written(|w| w.fixed(7_000, 3)), "7");
        assert_eq!(written(|w| w.fixed(i64::MIN, 3)), "-9223372036854775.808");
    }
}
