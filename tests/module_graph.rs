//! The engine's top-level modules import one another without a circle, so
//! each can be read (and tested) after the modules it builds on.
//!
//! An edge is any `crate::module` path in a module's non-test code (test
//! modules and comments are left out: a test may use anything).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Module name → the top-level modules its code names.
type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn top_level_modules_import_each_other_without_a_circle() {
    let mut graph = Graph::new();
    collect(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), None, &mut graph);
    assert!(graph.len() > 10, "the scan found the modules: {graph:?}");
    assert!(graph["report"].contains("families"), "the scan sees `use crate::…` edges: {graph:?}");
    for start in graph.keys() {
        if let Some(circle) = circle_from(&graph, start, &mut vec![start.clone()]) {
            panic!("import circle in src/: {}", circle.join(" → "));
        }
    }
}

/// Adds the edges of every `.rs` file under `dir`; `top` is the top-level
/// module the directory belongs to (`None` for `src/` itself).
fn collect(dir: &Path, top: Option<&str>, graph: &mut Graph) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let module = top.map_or(name.clone(), str::to_owned);
        if path.is_dir() {
            collect(&path, Some(&module), graph);
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && !matches!(name.as_str(), "lib" | "tests" | "testing")
        {
            let uses = graph.entry(module.clone()).or_default();
            uses.extend(crate_paths(&fs::read_to_string(&path).unwrap()).into_iter().filter(|used| *used != module));
        }
    }
}

/// The first segment of every `crate::…` path in the code before its test module.
fn crate_paths(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap();
    let code: String = code.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').map(|item| first_segment(item.trim())));
        } else {
            found.push(first_segment(rest));
        }
    }
    found.retain(|name| !name.is_empty());
    found
}

fn first_segment(path: &str) -> String {
    path.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// A path of imports from the last module of `trail` back to its first, if any.
fn circle_from(graph: &Graph, start: &str, trail: &mut Vec<String>) -> Option<Vec<String>> {
    let last = trail.last().unwrap().clone();
    for next in graph.get(&last).into_iter().flatten() {
        if next == start {
            let mut circle = trail.clone();
            circle.push(next.clone());
            return Some(circle);
        }
        if !trail.contains(next) {
            trail.push(next.clone());
            if let Some(circle) = circle_from(graph, start, trail) {
                return Some(circle);
            }
            trail.pop();
        }
    }
    None
}
