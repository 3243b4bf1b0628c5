//! Every generated region (src/schema/render.rs) is what the schema gives.

use support_kpi::schema::render::{COMMAND, regions};

#[test]
fn generated_regions_match_the_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for region in regions() {
        let text = std::fs::read_to_string(root.join(region.path)).unwrap();
        let rendered = region.apply(&text).unwrap();
        if rendered != text {
            stale.push(format!("{} ({})", region.path, region.name));
        }
    }
    assert!(stale.is_empty(), "generated regions differ from src/schema/mod.rs: {stale:?}; run `{COMMAND}`");
}
