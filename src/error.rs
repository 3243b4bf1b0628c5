//! The one error type of the engine: what was wrong, and where.

use crate::path::Path;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;

/// The broad class of an [`Error`], for callers that branch on it.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not valid JSON.
    Syntax,
    /// A required field is absent.
    Missing,
    /// A field the schema does not know.
    UnknownField,
    /// A field of the wrong type or out of range.
    Invalid,
    /// Two inputs that must agree do not (e.g. merging reports of two sites).
    Mismatch,
}

/// Bad input, naming the field and the reason, e.g. `ts: must be between 2000-01-01 and 2100-01-01`.
///
/// Boxed, so that `Result<T, Error>` stays small on every decoding path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<Details>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    kind: ErrorKind,
    field: String,
    detail: Cow<'static, str>,
}

impl Error {
    /// A field of the wrong type or out of range.
    #[cold]
    #[inline(never)]
    pub fn invalid(path: &Path, detail: &'static str) -> Self {
        Error::new(ErrorKind::Invalid, path, Cow::Borrowed(detail))
    }

    /// Like [`Error::invalid`], with a message built at run time.
    #[cold]
    #[inline(never)]
    pub fn invalid_because(path: &Path, detail: String) -> Self {
        Error::new(ErrorKind::Invalid, path, Cow::Owned(detail))
    }

    /// A required field is absent.
    #[cold]
    #[inline(never)]
    pub fn missing(path: &Path) -> Self {
        Error::new(ErrorKind::Missing, path, Cow::Borrowed("is required"))
    }

    /// A field the schema does not know; `path` ends with that field.
    #[cold]
    #[inline(never)]
    pub fn unknown_field(path: &Path) -> Self {
        Error::new(ErrorKind::UnknownField, path, Cow::Borrowed("is not a known field"))
    }

    /// Two inputs that must agree do not.
    #[cold]
    #[inline(never)]
    pub fn mismatch(path: &Path, detail: &'static str) -> Self {
        Error::new(ErrorKind::Mismatch, path, Cow::Borrowed(detail))
    }

    /// The text is not valid JSON; `at` is the byte offset.
    #[cold]
    #[inline(never)]
    pub fn syntax(path: &Path, what: &'static str, at: usize) -> Self {
        let mut detail = String::from("invalid JSON (");
        detail.push_str(what);
        detail.push_str(" at byte ");
        crate::digits::push_u64(&mut detail, at as u64);
        detail.push(')');
        Error::new(ErrorKind::Syntax, path, Cow::Owned(detail))
    }

    /// The same error, attributed to `path` instead.
    pub fn at(mut self, path: &Path) -> Self {
        self.0.field = path.render();
        self
    }

    fn new(kind: ErrorKind, path: &Path, detail: Cow<'static, str>) -> Self {
        Error(Box::new(Details { kind, field: path.render(), detail }))
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The field at fault, e.g. `openingHours.mon[0]`.
    pub fn field(&self) -> &str {
        &self.0.field
    }

    /// The reason, e.g. `must be a boolean`.
    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    /// `field: reason`, the text JS callers see in `Error.message`.
    pub fn message(&self) -> String {
        let (field, detail) = (self.field(), self.detail());
        let mut text = String::with_capacity(field.len() + 2 + detail.len());
        text.push_str(field);
        text.push_str(": ");
        text.push_str(detail);
        text
    }
}

// Display would pull `core::fmt` into the WebAssembly build; the binding
// layer uses `message()` instead.
#[cfg(not(target_arch = "wasm32"))]
impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl core::error::Error for Error {}
