//! Lays out the files the collector embeds, by the URL path they are served
//! at, in `$OUT_DIR/assets/` (with brotli versions in `$OUT_DIR/brotli/`):
//! `www/` at `/`, `pkg/` at `/support-kpi/`, ECharts at `/vendor/`.
//!
//! A missing source (before `scripts/build.sh` or `npm ci`) is left out with
//! a warning, and named in `SUPPORT_KPI_EMBED_MISSING` for the startup line.
//! Cargo runs this again when a source changes, so a rebuild after
//! `scripts/build.sh` embeds the new content-hashed widget files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Repository path and the URL directory (below `assets/`) it is served at.
const SOURCES: [(&str, &str); 3] =
    [("www", ""), ("pkg", "support-kpi"), ("node_modules/echarts/dist/echarts.min.js", "vendor/echarts.min.js")];

/// Extensions worth a brotli version (text and WebAssembly).
const COMPRESSIBLE: [&str; 8] = ["html", "js", "mjs", "css", "json", "svg", "wasm", "map"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().expect("the collector lies inside the repository");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let (assets, brotli) = (out.join("assets"), out.join("brotli"));
    for dir in [&assets, &brotli] {
        if dir.exists() {
            fs::remove_dir_all(dir).expect("clear the embedded files of the last build");
        }
        fs::create_dir_all(dir).expect("create the embedded files' directory");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let mut missing = Vec::new();
    for (source, target) in SOURCES {
        let from = root.join(source);
        println!("cargo:rerun-if-changed={}", from.display());
        if !from.exists() {
            println!(
                "cargo:warning=support-kpi-collector: {source} is missing and not embedded (/{target} serves nothing)"
            );
            missing.push(source);
            continue;
        }
        copy(&from, Path::new(target), &assets, &brotli);
    }
    println!("cargo:rustc-env=SUPPORT_KPI_EMBED_MISSING={}", missing.join(","));
}

/// Copies `from` (a file or a directory, hidden names left out) to
/// `relative` below `assets`, and brotli versions of compressible files
/// below `brotli` when they are smaller.
fn copy(from: &Path, relative: &Path, assets: &Path, brotli: &Path) {
    if from.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(from).expect("read a directory to embed").flatten().collect();
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            if !name.to_string_lossy().starts_with('.') {
                copy(&entry.path(), &relative.join(&name), assets, brotli);
            }
        }
        return;
    }
    let bytes = fs::read(from).expect("read a file to embed");
    write(&assets.join(relative), &bytes);
    let extension = relative.extension().and_then(|e| e.to_str()).unwrap_or_default();
    if COMPRESSIBLE.contains(&extension) {
        let mut compressed = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut compressed, &params).expect("brotli in memory");
        if compressed.len() < bytes.len() {
            write(&brotli.join(relative), &compressed);
        }
    }
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().expect("a file below assets/")).expect("create an embedded directory");
    fs::File::create(path).and_then(|mut f| f.write_all(bytes)).expect("write an embedded file");
}
