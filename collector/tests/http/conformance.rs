//! Holds every response of the HTTP tests to `collector/openapi.json`:
//! a documented status, the documented required headers, a documented
//! media type and a body that its schema accepts; an undocumented method on
//! a documented path must get 405, an undocumented path under `/api/` 404
//! (or 405).

use super::client::Response;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The document, as the collector serves it.
pub const DOCUMENT: &str = include_str!("../../openapi.json");

/// The parsed document.
pub static PARSED: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(DOCUMENT).expect("openapi.json is not JSON"));

/// Compiled schemas by JSON pointer into the document.
static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = LazyLock::new(Default::default);

/// Panics (failing the test) when `response` to `method target` is outside the document;
/// paths outside `/api/` are not the API's and pass.
pub fn check(method: &str, target: &str, response: &Response) {
    if let Err(problem) = conformance(method, target, response) {
        panic!("{method} {target} answered {}, outside openapi.json: {problem}\n{}", response.status, response.text());
    }
}

/// Why `response` is outside the document, if it is.
pub fn conformance(method: &str, target: &str, response: &Response) -> Result<(), String> {
    let path = target.split('?').next().unwrap_or_default();
    let Some(item) = PARSED["paths"].get(path) else {
        return match response.status {
            404 | 405 => Ok(()),
            _ if !path.starts_with("/api/") => Ok(()),
            _ => Err(String::from("a path under /api/ that the document does not list must get 404 or 405")),
        };
    };
    let method = method.to_ascii_lowercase();
    if item.get(&method).is_none() {
        return match response.status {
            405 => Ok(()),
            _ => Err(String::from("an undocumented method must get 405")),
        };
    }
    let pointer = format!("/paths/{}/{method}/responses/{}", escape(path), response.status);
    let (pointer, declared) = resolve(&pointer).ok_or("the status is not documented")?;
    for (name, _) in declared["headers"].as_object().into_iter().flatten() {
        let header_pointer = format!("{pointer}/headers/{}", escape(name));
        let (header_pointer, header) = resolve(&header_pointer).ok_or(format!("header {name}: bad $ref"))?;
        match response.header(&name.to_ascii_lowercase()) {
            Some(value) => validate(&format!("{header_pointer}/schema"), &Value::from(value))
                .map_err(|e| format!("header {name}: {e}"))?,
            None if header["required"] == true => return Err(format!("header {name} is required")),
            None => {}
        }
    }
    let Some(content) = declared.get("content") else {
        return match response.body.is_empty() {
            true => Ok(()),
            false => Err(String::from("the document gives this answer no body")),
        };
    };
    let media_type = response.header("content-type").unwrap_or_default();
    let media_type = media_type.split(';').next().unwrap_or_default().trim();
    if content.get(media_type).is_none() {
        return Err(format!("content type {media_type:?} is not documented"));
    }
    // A JSON body is validated as its value, any other (CSV) as its text.
    let body: Value = match media_type {
        "application/json" => {
            serde_json::from_slice(&response.body).map_err(|e| format!("the body is not JSON ({e})"))?
        }
        _ => Value::from(std::str::from_utf8(&response.body).map_err(|e| format!("the body is not UTF-8 ({e})"))?),
    };
    validate(&format!("{pointer}/content/{}/schema", escape(media_type)), &body)
}

/// The object at `pointer`, following a `$ref` (within the document); with its own pointer.
fn resolve(pointer: &str) -> Option<(String, &'static Value)> {
    let value = PARSED.pointer(pointer)?;
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let target = reference.strip_prefix('#')?;
            Some((target.to_owned(), PARSED.pointer(target)?))
        }
        None => Some((pointer.to_owned(), value)),
    }
}

/// Validates `instance` against the schema at `pointer`, compiled once.
pub fn validate(pointer: &str, instance: &Value) -> Result<(), String> {
    let validator = {
        let mut validators = VALIDATORS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match validators.get(pointer) {
            Some(validator) => Arc::clone(validator),
            None => {
                let validator = Arc::new(compile(pointer)?);
                validators.insert(pointer.to_owned(), Arc::clone(&validator));
                validator
            }
        }
    };
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).take(5).collect();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors.join("; ")),
    }
}

/// A validator for the schema at `pointer`, its references resolved in the document.
pub fn compile(pointer: &str) -> Result<jsonschema::Validator, String> {
    PARSED.pointer(pointer).ok_or(format!("no schema at {pointer}"))?;
    // The whole document is the root resource, so that `#/components/...` resolves.
    let mut root = PARSED.clone();
    root["$ref"] = Value::from(format!("#{pointer}"));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
        .map_err(|e| format!("the schema at {pointer} does not compile: {e}"))
}

/// `text` as one JSON-pointer segment.
pub fn escape(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}
