//! JSON numbers kept as text and converted to integers or fixed-point values
//! without going through `f64`.

/// A number as written in the JSON input, checked against the JSON grammar.
#[derive(Clone, Copy, Debug)]
pub struct Number<'a> {
    negative: bool,
    /// Significant digits: the integer part followed by the fraction, no dot.
    digits: &'a [u8],
    /// Power of ten the digits are multiplied by.
    exponent: i32,
    /// The value, when the text is a plain integer of at most 18 digits
    /// (timestamps, counts: the common case, converted while parsing).
    plain: Option<i64>,
}

/// How digits beyond the requested precision are treated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rounding {
    /// They must all be zero.
    Exact,
    /// They are dropped (towards zero).
    Truncate,
    /// Half away from zero.
    Nearest,
}

impl<'a> Number<'a> {
    /// Parses `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`; `None` if `text` is not exactly that.
    pub fn parse(text: &'a [u8]) -> Option<Self> {
        let (negative, rest) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let int_len = count_digits(rest);
        if int_len == 0 || (int_len > 1 && rest.first() == Some(&b'0')) {
            return None;
        }
        if int_len == rest.len() && int_len <= 18 {
            let magnitude = rest.iter().fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
            let plain = Some(if negative { -magnitude } else { magnitude });
            return Some(Number { negative, digits: rest, exponent: 0, plain });
        }
        let mut end = int_len;
        let mut fraction_len = 0;
        if rest.get(end) == Some(&b'.') {
            fraction_len = count_digits(rest.get(end + 1..)?);
            if fraction_len == 0 {
                return None;
            }
            end += 1 + fraction_len;
        }
        let mut exponent: i64 = 0;
        if matches!(rest.get(end), Some(b'e' | b'E')) {
            let (sign, digits_at) = match rest.get(end + 1) {
                Some(b'-') => (-1, end + 2),
                Some(b'+') => (1, end + 2),
                _ => (1, end + 1),
            };
            let exp_digits = rest.get(digits_at..)?;
            let exp_len = count_digits(exp_digits);
            if exp_len == 0 {
                return None;
            }
            let magnitude =
                exp_digits.iter().take(exp_len).fold(0i64, |acc, d| (acc * 10 + i64::from(d - b'0')).min(1_000_000));
            exponent = sign * magnitude;
            end = digits_at + exp_len;
        }
        if end != rest.len() {
            return None;
        }
        // The digits run from the start to the exponent; the dot, if any, is skipped when reading.
        let digits = rest.get(..int_len + fraction_len + usize::from(fraction_len > 0))?;
        let exponent = exponent - fraction_len as i64;
        Some(Number { negative, digits, exponent: exponent.clamp(-1_000_000, 1_000_000) as i32, plain: None })
    }

    /// The value as an integer, if it is one (`5`, `5.0` and `5e0` all are).
    pub fn integer(&self) -> Option<i64> {
        self.scaled(0, Rounding::Exact)
    }

    /// The value with any fraction dropped (towards zero).
    pub fn truncated(&self) -> Option<i64> {
        self.scaled(0, Rounding::Truncate)
    }

    /// The value times `10^decimals`, rounded half away from zero.
    pub fn fixed(&self, decimals: u32) -> Option<i64> {
        self.scaled(decimals as i32, Rounding::Nearest)
    }

    fn scaled(&self, decimals: i32, rounding: Rounding) -> Option<i64> {
        if let Some(value) = self.plain {
            return (0..decimals).try_fold(value, |v, _| v.checked_mul(10));
        }
        let shift = self.exponent + decimals;
        let digits = self.digits.iter().filter(|&&d| d != b'.');
        let count = digits.clone().count() as i64;
        let kept = count + i64::from(shift.min(0));
        // Below zero the value starts with zeros that are not written out, so
        // the first dropped digit is not the one that decides rounding.
        let first_dropped = usize::try_from(kept).ok();
        let keep = first_dropped.unwrap_or(0);
        let mut value: i64 = 0;
        let mut dropped_nonzero = false;
        let mut round_up = false;
        for (i, &d) in digits.enumerate() {
            if i < keep {
                value = value.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
            } else {
                if Some(i) == first_dropped && d >= b'5' {
                    round_up = true;
                }
                dropped_nonzero |= d != b'0';
            }
        }
        for _ in 0..shift.max(0) {
            if value == 0 {
                break;
            }
            value = value.checked_mul(10)?;
        }
        match rounding {
            Rounding::Exact if dropped_nonzero => return None,
            Rounding::Nearest if round_up => value = value.checked_add(1)?,
            _ => {}
        }
        Some(if self.negative { -value } else { value })
    }
}

fn count_digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number<'_> {
        Number::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn grammar() {
        for bad in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1..2", "0x10", "1 ", "--1", "1.5e3.2"] {
            assert!(Number::parse(bad.as_bytes()).is_none(), "{bad:?} should be rejected");
        }
        for good in ["0", "-0", "10", "1.25", "1e3", "1E-3", "2.5e+2", "-0.0"] {
            assert!(Number::parse(good.as_bytes()).is_some(), "{good:?} should parse");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(num("1732345678901").integer(), Some(1_732_345_678_901));
        assert_eq!(num("5.0").integer(), Some(5));
        assert_eq!(num("5e2").integer(), Some(500));
        assert_eq!(num("-7").integer(), Some(-7));
        assert_eq!(num("4.5").integer(), None);
        assert_eq!(num("1e400").integer(), None);
        assert_eq!(num("1e-400").integer(), None);
        assert_eq!(num("0e999999999999").integer(), Some(0));
        assert_eq!(num("99999999999999999999").integer(), None);
    }

    #[test]
    fn truncation_and_fixed_point() {
        assert_eq!(num("1700000000000.9").truncated(), Some(1_700_000_000_000));
        assert_eq!(num("49.99").fixed(3), Some(49_990));
        assert_eq!(num("0.30000000000000004").fixed(3), Some(300));
        assert_eq!(num("0.0005").fixed(3), Some(1));
        assert_eq!(num("0.0004999").fixed(3), Some(0));
        assert_eq!(num("1.5e1").fixed(3), Some(15_000));
        assert_eq!(num("12").fixed(3), Some(12_000));
        assert_eq!(num("1e-2000").fixed(3), Some(0));
        assert_eq!(num("5e-5").fixed(3), Some(0));
        assert_eq!(num("5e-4").fixed(3), Some(1));
    }
}
