//! Static files from the mounted directories (dashboard, engine package, vendor scripts).
//!
//! A URL path maps to a file below the longest matching mount. Segments
//! `..`, `.`, hidden names and backslashes are refused, and a file reached
//! through a symbolic link must still lie inside its mount. A directory
//! serves its `index.html` (after a redirect to the URL with a trailing
//! slash); directories are never listed.
//!
//! The widget's files (names starting with `widget`) may be included from
//! any site the collector accepts reports from: they carry CORS headers for
//! those origins. Their content-hashed names (`widget-runtime-7KQ2ZC4M.js`)
//! are cached for a year; the loader `widget.js`, whose name stays, for
//! five minutes. Everything else is revalidated on every use.

use super::{ApiError, AppState, redirect};
use crate::config::Mount;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the dashboard is served.
const DASHBOARD: &str = "/dashboard/";
/// The dashboard's policy: its own scripts only (no inline or injected
/// script), no framing (clickjacking), requests to this collector only.
/// Inline styles stay allowed: the chart library sets them.
const DASHBOARD_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                             form-action 'self'; frame-ancestors 'none'";

/// Serves a GET or HEAD for a file below a mount.
pub(super) async fn serve(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method", "must be GET or HEAD for static files")
            .into_response();
    }
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "path", "no such file").into_response();
    let Some(path) = percent_decode(uri.path()) else {
        return ApiError::bad_request("path", "is not a valid percent-encoded UTF-8 path").into_response();
    };
    let Some((mount, file)) = locate(&state.mounts, &path) else {
        return not_found();
    };
    let file = match tokio::fs::metadata(&file).await {
        // One leading slash only, so the redirect can never name another host (`//host/`).
        Ok(meta) if meta.is_dir() && !path.ends_with('/') => {
            return redirect(&format!("/{}/", uri.path().trim_start_matches('/')));
        }
        Ok(meta) if meta.is_dir() => file.join("index.html"),
        Ok(_) => file,
        Err(_) => return not_found(),
    };
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if !inside(&mount.dir, &file).await {
        return not_found();
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut response = (StatusCode::OK, Body::from(bytes)).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
            headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(&file)));
            headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            if path.starts_with(DASHBOARD) {
                headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DASHBOARD_CSP));
            }
            if is_widget_file(&file) {
                widget_cors(headers, origin.filter(|o| state.sites.any_allows(o)));
            }
            response
        }
        Err(_) => not_found(),
    }
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
/// (never `*`), and `Vary: Origin` so that no cache hands one site's answer
/// to another.
fn widget_cors(headers: &mut HeaderMap, allowed: Option<&str>) {
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    if let Some(value) = allowed.and_then(|o| HeaderValue::from_str(o).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
}

/// The mount and file a decoded URL path names, if its segments are safe.
fn locate<'m>(mounts: &'m [Mount], path: &str) -> Option<(&'m Mount, PathBuf)> {
    let mount = mounts
        .iter()
        .filter(|m| m.url_path == "/" || path == m.url_path || path.starts_with(&format!("{}/", m.url_path)))
        .max_by_key(|m| m.url_path.len())?;
    let rest = path.get(mount.url_path.len()..)?;
    let mut file = mount.dir.clone();
    for segment in rest.split('/').filter(|s| !s.is_empty()) {
        let safe = !segment.starts_with('.') && !segment.contains(['\\', '\0']);
        if !safe {
            return None;
        }
        file.push(segment);
    }
    Some((mount, file))
}

/// True when `file`, symbolic links resolved, lies inside `dir`.
async fn inside(dir: &Path, file: &Path) -> bool {
    match (tokio::fs::canonicalize(dir).await, tokio::fs::canonicalize(file).await) {
        (Ok(dir), Ok(file)) => file.starts_with(dir),
        _ => false,
    }
}

/// Decodes `%XX` escapes; `None` for a broken escape or text that is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let digit = |at: usize| char::from(*bytes.get(at)?).to_digit(16);
            out.push(u8::try_from(digit(index + 1)? * 16 + digit(index + 2)?).ok()?);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a file by its extension.
fn content_type(file: &Path) -> &'static str {
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b/%C3%A9").as_deref(), Some("/a b/é"));
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%4"), None);
        assert_eq!(percent_decode("/%+f"), None);
        assert_eq!(percent_decode("/%ff"), None, "not UTF-8");
    }

    #[test]
    fn picks_the_longest_mount_and_refuses_unsafe_segments() {
        let mounts = [Mount::parse("/=www").unwrap(), Mount::parse("/support-kpi=pkg").unwrap()];
        let (mount, file) = locate(&mounts, "/support-kpi/support_kpi.js").unwrap();
        assert_eq!((mount.url_path.as_str(), file), ("/support-kpi", PathBuf::from("pkg/support_kpi.js")));
        assert_eq!(locate(&mounts, "/support-kpi-other/x").unwrap().1, PathBuf::from("www/support-kpi-other/x"));
        assert_eq!(locate(&mounts, "/dashboard/").unwrap().1, PathBuf::from("www/dashboard"));
        for bad in ["/../secret", "/a/../../b", "/.env", "/a\\..\\b", "/./x"] {
            assert!(locate(&mounts, bad).is_none(), "{bad}");
        }
        assert!(locate(&[Mount::parse("/vendor=v").unwrap()], "/other").is_none());
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
