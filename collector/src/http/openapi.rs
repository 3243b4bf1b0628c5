//! `GET /api/openapi.json`: the OpenAPI 3.1 description of every `/api/`
//! route, served as written in `collector/openapi.json` (no token needed).

use super::json_text_response;
use axum::http::StatusCode;
use axum::response::Response;

/// The document, compiled into the binary.
pub const DOCUMENT: &str = include_str!("../../openapi.json");

/// Serves [`DOCUMENT`].
pub(super) async fn document() -> Response {
    json_text_response(StatusCode::OK, DOCUMENT)
}
