//! A fingerprint of the report's layout: every member's name and shape, each
//! counter's and position's name, the sketches' bucket count and the survey
//! scales' ranges, hashed at compile time (FNV-1a, 32 bits).
//!
//! Saved states are positional (see `crate::tape`), so a state written with
//! another layout would be read into the wrong counters. The saved-state
//! version carries this fingerprint: adding, removing, renaming or moving a
//! counter changes it, and a state of the old layout is then refused as being
//! of another version instead of being misread.

use super::report::{HEADER, MEMBERS, Shape};
use crate::sketch::BUCKETS;

/// The fingerprint of [`HEADER`], [`MEMBERS`] and the sizes their shapes imply.
pub const LAYOUT: u32 = layout();

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// `hash` extended by `bytes` and a separator (so `["ab","c"]` and `["a","bc"]` differ).
const fn mix(mut hash: u32, bytes: &[u8]) -> u32 {
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u32).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    (hash ^ 0xff).wrapping_mul(FNV_PRIME)
}

const fn mix_names(mut hash: u32, names: &[&str]) -> u32 {
    let mut i = 0;
    while i < names.len() {
        hash = mix(hash, names[i].as_bytes());
        i += 1;
    }
    mix(hash, b"]")
}

const fn mix_number(hash: u32, n: usize) -> u32 {
    mix(hash, &(n as u64).to_le_bytes())
}

const fn layout() -> u32 {
    let mut hash = mix_names(FNV_OFFSET, &HEADER);
    let mut i = 0;
    while i < MEMBERS.len() {
        let member = &MEMBERS[i];
        hash = mix(hash, member.name.as_bytes());
        hash = match member.shape {
            Shape::Counters(names) => mix_names(mix(hash, b"counters"), names),
            Shape::Sketch => mix_number(mix(hash, b"sketch"), BUCKETS),
            Shape::Named(positions) => mix_names(mix(hash, b"named"), positions),
            Shape::Scores(scale) => {
                let (low, high) = scale.range();
                mix_number(mix_number(mix(hash, b"scores"), low as usize), high as usize)
            }
            Shape::Hours(names) => mix_names(mix(hash, b"hours"), names),
        };
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_separated() {
        assert_ne!(mix_names(FNV_OFFSET, &["ab", "c"]), mix_names(FNV_OFFSET, &["a", "bc"]));
        assert_ne!(mix_names(FNV_OFFSET, &["a", "b"]), mix_names(FNV_OFFSET, &["b", "a"]));
        assert_ne!(mix_names(FNV_OFFSET, &["a"]), mix_names(FNV_OFFSET, &["a", "b"]));
    }
}
