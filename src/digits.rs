//! Decimal digits of unsigned integers, for JSON text and error messages
//! (without `core::fmt`, which the shipped Wasm leaves out).

use alloc::string::String;

/// Appends the decimal digits of `n`.
pub fn push_u64(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let start = digits_of(n, &mut digits);
    out.push_str(core::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default());
}

/// Writes the decimal digits of `n` right-aligned into `buffer`; returns where they start.
pub fn digits_of(mut n: u64, buffer: &mut [u8; 20]) -> usize {
    let mut start = buffer.len();
    for slot in buffer.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    start
}
