//! Static files: those built into the binary (dashboard, demo, widget,
//! chart library), or with `--mount` those of directories instead.
//!
//! Segments `..`, `.`, hidden names and backslashes are refused. A
//! directory serves its `index.html` (after a redirect to the URL with a
//! trailing slash); directories are never listed. A client that accepts
//! brotli gets a file's brotli version where there is one (`Vary:
//! Accept-Encoding`).
//!
//! The widget's files (names starting with `widget`) may be included from
//! any site the collector accepts reports from: they carry CORS headers for
//! those origins. Their content-hashed names (`widget-runtime-7KQ2ZC4M.js`)
//! are cached for a year; the loader `widget.js`, whose name stays, for
//! five minutes. Everything else is revalidated on every use.

mod disk;
pub mod embedded;

use super::{AppState, redirect};
use crate::error::{Cause, Error};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// Where the dashboard is served.
const DASHBOARD: &str = "/dashboard/";
/// The dashboard's policy: its own scripts only (no inline or injected
/// script), no framing (clickjacking), requests to this collector only.
/// Inline styles stay allowed: the chart library sets them.
const DASHBOARD_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                             form-action 'self'; frame-ancestors 'none'";

/// A file found for a URL path.
struct File {
    /// The file name (the URL path's last segment, or `index.html`).
    name: String,
    bytes: Cow<'static, [u8]>,
    /// Its brotli version, if there is one.
    brotli: Option<Cow<'static, [u8]>>,
}

/// What a URL path names.
enum Lookup {
    File(File),
    /// A directory asked for without its trailing slash.
    Directory,
    Missing,
}

/// The segments of a URL path below its mount, or `None` when one is
/// unsafe (`.`, `..`, a hidden name, a backslash or NUL).
fn segments(rest: &str) -> Option<Vec<&str>> {
    rest.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| (!s.starts_with('.') && !s.contains(['\\', '\0'])).then_some(s))
        .collect()
}

/// Serves a GET or HEAD for a static file.
pub(super) async fn serve(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return Error::new(Cause::MethodNotAllowed, "method", "must be GET or HEAD for static files").into_response();
    }
    let Ok(path) = percent_decode_str(uri.path()).decode_utf8() else {
        return Error::invalid("path", "is not a valid percent-encoded UTF-8 path").into_response();
    };
    let lookup = if state.mounts.is_empty() { embedded::find(&path) } else { disk::find(&state.mounts, &path).await };
    let file = match lookup {
        Lookup::File(file) => file,
        // One leading slash only, so the redirect can never name another host (`//host/`).
        Lookup::Directory => return redirect(&format!("/{}/", uri.path().trim_start_matches('/'))),
        Lookup::Missing => return Error::new(Cause::NotFound, "path", "no such file").into_response(),
    };
    let name = Path::new(&file.name);
    let widget = is_widget_file(name);
    let mut vary = Vec::new();
    if widget {
        vary.push("Origin");
    }
    if file.brotli.is_some() {
        vary.push("Accept-Encoding");
    }
    let content_type = content_type(name);
    let cache = cache_control(name);
    let (body, brotli) = match file.brotli {
        Some(compressed) if accepts_brotli(&headers) => (compressed, true),
        _ => (file.bytes, false),
    };
    let mut response = (StatusCode::OK, Body::from(body)).into_response();
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        out.insert(header::CONTENT_TYPE, value);
    }
    if brotli {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
    }
    if let Ok(value) = HeaderValue::from_str(&vary.join(", "))
        && !vary.is_empty()
    {
        out.insert(header::VARY, value);
    }
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if path.starts_with(DASHBOARD) {
        out.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DASHBOARD_CSP));
    }
    if widget {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        widget_cors(out, origin.filter(|o| state.live().sites.any_allows(o)));
    }
    response
}

/// True when the request's `Accept-Encoding` lists `br` without `q=0` (by
/// hand: the `headers` crate keeps no `AcceptEncoding` type, and this is
/// the only question asked of it).
fn accepts_brotli(headers: &HeaderMap) -> bool {
    let codings = headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok());
    codings.flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default();
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
        coding.eq_ignore_ascii_case("br") && !refused
    })
}

/// True for the drop-in widget's files, which other origins include.
fn is_widget_file(file: &Path) -> bool {
    file.file_name().and_then(|n| n.to_str()).is_some_and(|name| name.starts_with("widget"))
}

/// True when the file name ends in a content hash as the widget build writes
/// them: `-` and 8 characters from `A-Z` and `0-9` before the extension.
fn is_content_hashed(file: &Path) -> bool {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

/// How long a file may be cached: a year for widget files named after their
/// content, five minutes for the widget's loader, otherwise revalidated.
fn cache_control(file: &Path) -> &'static str {
    match (is_widget_file(file), is_content_hashed(file)) {
        (true, true) => "public, max-age=31536000, immutable",
        (true, false) => "public, max-age=300",
        _ => "no-cache",
    }
}

/// CORS for a widget file: the requesting origin when some site allows it
/// (never `*`); its `Vary: Origin` keeps caches from handing one site's
/// answer to another.
fn widget_cors(headers: &mut HeaderMap, allowed: Option<&str>) {
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    if let Some(value) = allowed.and_then(|o| HeaderValue::from_str(o).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
}

/// The content type of a file by its extension; text in UTF-8.
fn content_type(file: &Path) -> String {
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or_default();
    // Type declarations and Markdown as text (mime_guess takes `.ts` for a video stream).
    if ["ts", "md"].iter().any(|e| extension.eq_ignore_ascii_case(e)) {
        return String::from("text/plain; charset=utf-8");
    }
    let guess = mime_guess::from_path(file).first_or_octet_stream();
    if guess.type_() == mime_guess::mime::TEXT { format!("{guess}; charset=utf-8") } else { guess.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unsafe_segments() {
        assert_eq!(segments("/dashboard//index.html"), Some(vec!["dashboard", "index.html"]));
        for bad in ["/../secret", "/a/../../b", "/.env", "/a\\..\\b", "/./x", "/a\0b"] {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

    #[test]
    fn brotli_when_accepted() {
        for (accept, brotli) in
            [("gzip, br", true), ("BR;q=0.5", true), ("br;q=0", false), ("gzip", false), ("brotli", false)]
        {
            let headers = HeaderMap::from_iter([(header::ACCEPT_ENCODING, HeaderValue::from_static(accept))]);
            assert_eq!(accepts_brotli(&headers), brotli, "{accept}");
        }
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn widget_files_cache_by_name() {
        for (name, cache) in [
            ("pkg/widget.js", "public, max-age=300"),
            ("pkg/widget-runtime-7KQ2ZC4M.js", "public, max-age=31536000, immutable"),
            ("pkg/widget-engine-ABCDEFGH.wasm", "public, max-age=31536000, immutable"),
            ("pkg/widget-runtime-7kq2zc4m.js", "public, max-age=300"),
            ("pkg/widget-runtime-7KQ2ZC4.js", "public, max-age=300"),
            ("pkg/support_kpi.js", "no-cache"),
            ("www/dashboard/app-ABCDEFGH.js", "no-cache"),
        ] {
            assert_eq!(cache_control(Path::new(name)), cache, "{name}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type(Path::new("a/b.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("b.JS")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("LICENSE")), "application/octet-stream");
    }
}
