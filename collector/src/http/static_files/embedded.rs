//! The files built into the binary by `collector/build.rs`, keyed by URL
//! path: the dashboard and demo (`www/`), the widget and npm package
//! (`pkg/` at `/support-kpi/`) and the chart library (`/vendor/`).

use super::{File, Lookup, segments};

/// The files, as served.
#[derive(rust_embed::RustEmbed)]
#[folder = "$OUT_DIR/assets"]
struct Assets;

/// Brotli versions of the compressible files, under the same names.
#[derive(rust_embed::RustEmbed)]
#[folder = "$OUT_DIR/brotli"]
struct Brotli;

/// The sources that were missing when the binary was built (`pkg`, ...).
pub fn missing() -> Vec<&'static str> {
    env!("SUPPORT_KPI_EMBED_MISSING").split(',').filter(|s| !s.is_empty()).collect()
}

/// The embedded file a decoded URL path names.
pub(super) fn find(path: &str) -> Lookup {
    let Some(segments) = segments(path) else {
        return Lookup::Missing;
    };
    let key = segments.join("/");
    if let Some(file) = file(&key) {
        return Lookup::File(file);
    }
    let index = if key.is_empty() { String::from("index.html") } else { format!("{key}/index.html") };
    match file(&index) {
        Some(file) if path.ends_with('/') => Lookup::File(file),
        Some(_) => Lookup::Directory,
        None => Lookup::Missing,
    }
}

fn file(key: &str) -> Option<File> {
    let bytes = Assets::get(key)?.data;
    let brotli = Brotli::get(key).map(|f| f.data);
    Some(File { name: key.rsplit('/').next().unwrap_or(key).to_owned(), bytes, brotli })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_library_and_dashboard_are_embedded_unless_missing_at_build() {
        let lookups = [("vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js"), ("dashboard/", "www")];
        for (path, source) in lookups {
            let found = matches!(find(&format!("/{path}")), Lookup::File(_));
            assert_eq!(found, !missing().contains(&source), "{path}");
        }
        assert!(matches!(find("/dashboard"), Lookup::Directory));
        assert!(matches!(find("/../collector/Cargo.toml"), Lookup::Missing));
    }
}
