//! Where in a document a value sits, rendered only when an error needs it.

use crate::digits::push_u64;
use alloc::string::String;

/// A location such as `openingHours.mon[0]`, built on the stack as a decoder
/// descends and turned into text only for an error message.
#[derive(Clone, Copy, Debug)]
pub struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    segment: Segment<'p>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'p> {
    Root(&'static str),
    Key(&'p str),
    Index(usize),
}

impl<'p> Path<'p> {
    /// The document itself; `name` is used when the error concerns the whole document.
    pub const fn root(name: &'static str) -> Path<'static> {
        Path { parent: None, segment: Segment::Root(name) }
    }

    /// The member `key` of this object.
    pub fn key<'q>(&'q self, key: &'q str) -> Path<'q> {
        Path { parent: Some(self), segment: Segment::Key(key) }
    }

    /// The item `index` of this array.
    pub fn index(&self, index: usize) -> Path<'_> {
        Path { parent: Some(self), segment: Segment::Index(index) }
    }

    /// The location as text: `openingHours.mon[0]`; the root's name appears
    /// alone or before an index (`state[3]`), not before a member name.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, true);
        out
    }

    fn write(&self, out: &mut String, named_root: bool) {
        if let Some(parent) = self.parent {
            parent.write(out, matches!(self.segment, Segment::Index(_)));
        }
        match self.segment {
            Segment::Root(name) => {
                if named_root {
                    out.push_str(name);
                }
            }
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => {
                out.push('[');
                push_u64(out, index as u64);
                out.push(']');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_locations() {
        let root = Path::root("config");
        assert_eq!(root.render(), "config");
        let hours = root.key("openingHours");
        let mon = hours.key("mon");
        assert_eq!(mon.index(0).render(), "openingHours.mon[0]");
        assert_eq!(root.index(3).key("ts").render(), "config[3].ts");
        assert_eq!(root.key("ts").render(), "ts");
    }
}
