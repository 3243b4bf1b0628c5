//! Writes the generated regions (src/schema/render.rs) into their files:
//! `cargo run --example schema -- --write`. Without `--write`, lists the
//! files whose region differs and exits with status 1 if any does.

use std::path::Path;
use std::process::ExitCode;
use support_kpi::schema::render::regions;

fn main() -> ExitCode {
    let write = std::env::args().skip(1).any(|arg| arg == "--write");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = false;
    for region in regions() {
        let path = root.join(region.path);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", region.path));
        let rendered = region.apply(&text).unwrap_or_else(|e| panic!("{e}"));
        if rendered == text {
            continue;
        }
        if write {
            std::fs::write(&path, rendered).unwrap_or_else(|e| panic!("{}: {e}", region.path));
            println!("wrote {} ({})", region.path, region.name);
        } else {
            println!("differs: {} ({})", region.path, region.name);
            stale = true;
        }
    }
    if stale { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
