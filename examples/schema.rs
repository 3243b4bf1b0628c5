//! Writes the generated regions (src/render/) into their files and
//! the generated schemas into collector/openapi.json
//! (src/render/openapi.rs): `cargo run --example schema -- --write`.
//! Without `--write`, lists the files that differ and exits with status 1 if
//! any does.

use std::path::Path;
use std::process::ExitCode;
use support_kpi::render::{openapi, regions};

/// Renders `path` (relative to the repository root) from its text with
/// `render`; writes it when `write`, else reports it; true when it differed.
fn update(path: &str, name: &str, write: bool, render: impl FnOnce(&str) -> Result<String, String>) -> bool {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    let rendered = render(&text).unwrap_or_else(|e| panic!("{e}"));
    if rendered == text {
        return false;
    }
    if write {
        std::fs::write(&full, rendered).unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("wrote {path} ({name})");
    } else {
        println!("differs: {path} ({name})");
    }
    true
}

fn main() -> ExitCode {
    let write = std::env::args().skip(1).any(|arg| arg == "--write");
    let mut stale = false;
    for region in regions() {
        stale |= update(region.path, region.name, write, |text| region.apply(text));
    }
    stale |= update("collector/openapi.json", "schemas", write, openapi::rewrite);
    if stale && !write { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
