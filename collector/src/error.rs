//! The collector's one error type: what went wrong ([`Cause`]), the field,
//! parameter, header or setting it is about, and why.
//!
//! Bad input, wherever it comes from (a report member, a query parameter,
//! a flag, a sites-file entry), is one [`Cause::Invalid`] error whose text is
//! `field: reason`. Storage errors say what failed in their own words
//! (their field is `storage`). [`Cause::answer`] is the one table from
//! causes to HTTP statuses; `http` writes the JSON answer from it.

use axum::http::StatusCode;
use std::fmt;

/// Why something failed; it decides the HTTP answer ([`Cause::answer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Bad input: a report member, parameter, header or setting.
    Invalid,
    /// No read token, or a wrong one.
    Unauthorized,
    /// An origin the site does not accept.
    Forbidden,
    /// No such file.
    NotFound,
    /// A method the path does not serve.
    MethodNotAllowed,
    /// The request did not arrive in time.
    Timeout,
    /// A report that would break its hour's stored total.
    Conflict,
    /// A body over the limit.
    TooLarge,
    /// A query string over the limit.
    UriTooLong,
    /// A body of a content type not accepted.
    UnsupportedMediaType,
    /// A site over its rate: the same request may pass in a second.
    TooMany,
    /// The store is busy (SQLite busy or locked, no pooled connection in
    /// time): the same request may succeed in a moment.
    Busy,
    /// The store cannot take reports now (its writer failed or stopped):
    /// nothing is acknowledged until it is fixed.
    Unavailable,
    /// The server failed: its store cannot be reached, read or written, or
    /// a task of its own did not finish.
    Failed,
    /// The store holds data that does not decode or merge.
    Corrupt,
}

/// How a cause is answered over HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: StatusCode,
    /// Sent with `Retry-After: 1`: the same request may succeed in a second.
    pub retry: bool,
    /// Logged to stderr (one line per failed request): a fault of the server.
    pub logged: bool,
}

impl Cause {
    /// The HTTP answer of this cause: bad input 4xx naming the field, a busy
    /// store 503 with `Retry-After`, a failed or corrupt one 500 and logged.
    pub fn answer(self) -> Answer {
        let status = match self {
            Cause::Invalid => StatusCode::BAD_REQUEST,
            Cause::Unauthorized => StatusCode::UNAUTHORIZED,
            Cause::Forbidden => StatusCode::FORBIDDEN,
            Cause::NotFound => StatusCode::NOT_FOUND,
            Cause::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Cause::Timeout => StatusCode::REQUEST_TIMEOUT,
            Cause::Conflict => StatusCode::CONFLICT,
            Cause::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Cause::UriTooLong => StatusCode::URI_TOO_LONG,
            Cause::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Cause::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Cause::Busy | Cause::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Cause::Failed | Cause::Corrupt => StatusCode::INTERNAL_SERVER_ERROR,
        };
        // A lasting failure (Unavailable) was logged once, by the writer, when it failed.
        Answer {
            status,
            retry: matches!(self, Cause::TooMany | Cause::Busy),
            logged: matches!(self, Cause::Failed | Cause::Corrupt),
        }
    }

    /// True for the store's own causes (busy, unavailable, failed, corrupt).
    pub fn is_storage(self) -> bool {
        matches!(self, Cause::Busy | Cause::Unavailable | Cause::Failed | Cause::Corrupt)
    }
}

/// An error of the collector: its cause, the field it names and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    cause: Cause,
    field: String,
    /// `field: reason`, or for a storage cause what failed, in its own words.
    message: String,
    /// What was being done, for the log of a logged cause.
    during: Option<String>,
}

impl Error {
    /// An error of `cause` about `field`: `field: reason`.
    pub fn new(cause: Cause, field: &str, reason: &str) -> Error {
        Error { cause, field: field.to_owned(), message: format!("{field}: {reason}"), during: None }
    }

    /// Bad input in `field` (a report member, parameter, flag or setting).
    pub fn invalid(field: &str, reason: &str) -> Error {
        Error::new(Cause::Invalid, field, reason)
    }

    /// Bad input found by the engine's validation, with its `field: reason` text.
    pub fn engine(error: &support_kpi::Error) -> Error {
        Error { cause: Cause::Invalid, field: error.field().to_owned(), message: error.message(), during: None }
    }

    /// A storage error of `cause` (one of [`Cause::is_storage`]), saying what failed.
    pub fn storage(cause: Cause, message: impl Into<String>) -> Error {
        Error { cause, field: String::from("storage"), message: message.into(), during: None }
    }

    /// The store is busy: see [`Cause::Busy`].
    pub fn busy(message: impl Into<String>) -> Error {
        Error::storage(Cause::Busy, message)
    }

    /// The store failed: see [`Cause::Failed`].
    pub fn failed(message: impl Into<String>) -> Error {
        Error::storage(Cause::Failed, message)
    }

    /// The store holds data it cannot read: see [`Cause::Corrupt`].
    pub fn corrupt(message: impl Into<String>) -> Error {
        Error::storage(Cause::Corrupt, message)
    }

    /// Stored rollups that do not decode or merge.
    pub fn unmergeable(error: &support_kpi::Error) -> Error {
        Error::corrupt(format!("a stored rollup does not decode or merge ({})", error.message()))
    }

    /// The same error with `cause` instead.
    pub fn because(self, cause: Cause) -> Error {
        Error { cause, ..self }
    }

    /// The same error, logged (if its cause is) as happening while doing `what`.
    pub fn during(self, what: &str) -> Error {
        Error { during: Some(what.to_owned()), ..self }
    }

    /// What was being done when it happened, if said.
    pub fn context(&self) -> Option<&str> {
        self.during.as_deref()
    }

    /// The same error with its text rewritten by `reword` (to add where it happened).
    pub fn reworded(self, reword: impl FnOnce(&str) -> String) -> Error {
        let message = reword(&self.message);
        Error { message, ..self }
    }

    /// The HTTP status of its cause.
    pub fn status(&self) -> StatusCode {
        self.cause.answer().status
    }

    /// Why it failed.
    pub fn cause(&self) -> Cause {
        self.cause
    }

    /// What it is about: a field, parameter, header, setting or `storage`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Its text: `field: reason`, or what the store says failed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_names_its_field_and_storage_says_what_failed() {
        let bad = Error::invalid("target", "must be a number above 0 and below 1");
        assert_eq!((bad.cause(), bad.field()), (Cause::Invalid, "target"));
        assert_eq!(bad.to_string(), "target: must be a number above 0 and below 1");
        let busy = Error::busy("database is locked");
        assert_eq!((busy.field(), busy.message()), ("storage", "database is locked"));
        assert!(busy.cause().is_storage() && !bad.cause().is_storage());
        let reworded = busy.reworded(|message| format!("{message} (db)")).because(Cause::Unavailable);
        assert_eq!((reworded.cause(), reworded.message()), (Cause::Unavailable, "database is locked (db)"));
    }

    #[test]
    fn causes_answer_by_the_table() {
        let answer = |status, retry, logged| Answer { status: StatusCode::from_u16(status).unwrap(), retry, logged };
        for (cause, expected) in [
            (Cause::Invalid, answer(400, false, false)),
            (Cause::Conflict, answer(409, false, false)),
            (Cause::TooMany, answer(429, true, false)),
            (Cause::Busy, answer(503, true, false)),
            (Cause::Unavailable, answer(503, false, false)),
            (Cause::Failed, answer(500, false, true)),
            (Cause::Corrupt, answer(500, false, true)),
        ] {
            assert_eq!(cause.answer(), expected, "{cause:?}");
        }
    }
}
