//! A small, strict JSON reader and writer.
//!
//! The engine reads events, configuration, reports and saved state as JSON
//! text, in the browser and natively alike. The reader never parses floats
//! (numbers stay text until a decoder asks for an integer or a fixed-point
//! value) and never allocates on the happy path, which keeps float formatting
//! and parsing tables out of the WebAssembly build.

mod decode;
mod number;
mod reader;
mod writer;

pub use crate::digits::push_u64;
pub use crate::path::Path;
pub use decode::{check_slug, expect_bool, expect_integer, not_listed, unknown_key, wrong_type};
pub use number::Number;
pub use reader::{MAX_DEPTH, RawStr, Reader, Token};
pub use writer::Writer;
