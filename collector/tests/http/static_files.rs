//! Static files: mounts, content types, index files, no listings, no escape.

use super::client;
use super::server::{Server, path};

/// The sources the collector was built without (`collector/build.rs`);
/// with `CI=true`, where `scripts/test.sh` builds `pkg/` before the tests,
/// a missing one fails the test rather than shrinking it to "answers 404".
fn missing_embedded_files() -> Vec<&'static str> {
    let missing = support_kpi_collector::http::missing_embedded_files();
    if std::env::var("CI").is_ok_and(|ci| ci == "true") && !missing.is_empty() {
        panic!(
            "CI is set but the collector was built without {}: run `npm ci` and `scripts/build.sh` before the tests",
            missing.join(", ")
        );
    }
    missing
}

each_store! {
fn serves_mounted_files_with_their_content_types(store) {
    let root = tempfile::tempdir().unwrap();
    let www = root.path().join("www");
    let pkg = root.path().join("pkg");
    for (file, content) in [
        ("www/dashboard/index.html", "<h1>dashboard</h1>"),
        ("www/app.js", "export {};"),
        ("www/style.css", "body{}"),
        ("www/data.json", "{}"),
        ("www/icon.svg", "<svg/>"),
        ("www/logo.png", "png"),
        ("www/.env", "SECRET=1"),
        ("pkg/support_kpi_bg.wasm", "\0asm"),
        ("pkg/support_kpi.js", "export default 1;"),
        ("secret.txt", "top secret"),
    ] {
        let file = root.path().join(file);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }
    std::fs::create_dir_all(www.join("empty")).unwrap();
    std::os::unix::fs::symlink(root.path().join("secret.txt"), www.join("link.txt")).unwrap();
    let www_mount = format!("/={}", path(&www));
    let pkg_mount = format!("/support-kpi={}", path(&pkg));
    let server =
        Server::start(store, &["--mount", &www_mount, "--mount", &pkg_mount, "--mount", "/vendor=/nonexistent/echarts"]);

    for (target, content_type, body) in [
        ("/dashboard/", "text/html; charset=utf-8", "<h1>dashboard</h1>"),
        ("/dashboard/index.html", "text/html; charset=utf-8", "<h1>dashboard</h1>"),
        ("/app.js", "text/javascript; charset=utf-8", "export {};"),
        ("/style.css", "text/css; charset=utf-8", "body{}"),
        ("/data.json", "application/json", "{}"),
        ("/icon.svg", "image/svg+xml", "<svg/>"),
        ("/logo.png", "image/png", "png"),
        ("/support-kpi/support_kpi_bg.wasm", "application/wasm", "\0asm"),
        ("/support-kpi/support_kpi.js", "text/javascript; charset=utf-8", "export default 1;"),
        ("/%61pp.js", "text/javascript; charset=utf-8", "export {};"),
    ] {
        let response = server.get_with(target, &[]);
        assert_eq!(response.status, 200, "{target}");
        assert_eq!(response.header("content-type"), Some(content_type), "{target}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(response.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(response.text(), body, "{target}");
        let policy = response.header("content-security-policy");
        if target.starts_with("/dashboard/") {
            let policy = policy.unwrap_or_default();
            for directive in ["script-src 'self';", "frame-ancestors 'none'", "object-src 'none'"] {
                assert!(policy.contains(directive), "{target}: {policy}");
            }
        } else {
            assert_eq!(policy, None, "{target}: only the dashboard has the dashboard's policy");
        }
    }
    let head = client::send(server.addr, "HEAD", "/app.js", &[], b"").unwrap();
    assert_eq!((head.status, head.body.len()), (200, 0));
    assert_eq!(head.header("content-type"), Some("text/javascript; charset=utf-8"));

    for (target, location) in [("/", "/dashboard/"), ("/dashboard", "/dashboard/"), ("//dashboard", "/dashboard/")] {
        let response = server.get_with(target, &[]);
        assert_eq!((response.status, response.header("location")), (302, Some(location)), "{target}");
    }
    for target in [
        "/empty/",
        "/nothing.js",
        "/.env",
        "/link.txt",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/dashboard/%2e%2e/%2e%2e/secret.txt",
        "/support-kpi/..%2f..%2fsecret.txt",
        "/vendor/echarts.min.js",
        "/dashboard%5c..%5c..%5csecret.txt",
    ] {
        let response = server.get_with(target, &[]);
        assert!(matches!(response.status, 400 | 404), "{target}: {}", response.status);
        assert!(!response.text().contains("top secret") && !response.text().contains("SECRET"), "{target}");
    }
    let post = client::send(server.addr, "POST", "/app.js", &[], b"x").unwrap();
    assert_eq!(post.status, 405);
}

fn widget_files_carry_cors_for_allowed_origins_and_cache_by_name(store) {
    let root = tempfile::tempdir().unwrap();
    for (file, content) in
        [("widget.js", "loader"), ("widget-runtime-7KQ2ZC4M.js", "runtime"), ("support_kpi.js", "glue")]
    {
        std::fs::write(root.path().join(file), content).unwrap();
    }
    let mount = format!("/support-kpi={}", path(root.path()));
    let sites = r#"[{"key":"acme","origins":["https://help.acme.example"]}]"#;
    let server = Server::with_sites(store, sites, &["--mount", &mount]);
    let allowed = [("origin", "https://help.acme.example")];
    for (target, cache) in [
        ("/support-kpi/widget.js", "public, max-age=300"),
        ("/support-kpi/widget-runtime-7KQ2ZC4M.js", "public, max-age=31536000, immutable"),
    ] {
        let response = server.get_with(target, &allowed);
        assert_eq!(response.status, 200, "{target}");
        assert_eq!(response.header("access-control-allow-origin"), Some("https://help.acme.example"), "{target}");
        assert_eq!(response.header("vary"), Some("Origin"), "{target}");
        assert_eq!(response.header("cache-control"), Some(cache), "{target}");
        let other = server.get_with(target, &[("origin", "https://evil.example")]);
        assert_eq!((other.status, other.header("access-control-allow-origin")), (200, None), "{target}");
    }
    let glue = server.get_with("/support-kpi/support_kpi.js", &allowed);
    assert_eq!(glue.header("access-control-allow-origin"), None, "only the widget's files");
    assert_eq!(glue.header("cache-control"), Some("no-cache"));
}
}

/// `bytes` decompressed from brotli.
fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

/// `bytes` compressed with brotli.
fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &brotli::enc::BrotliEncoderParams::default()).unwrap();
    out
}

each_store! {
fn mounted_brotli_versions_go_to_clients_that_accept_them(store) {
    let root = tempfile::tempdir().unwrap();
    let runtime = "export const runtime = 'runtime runtime runtime runtime';".repeat(20);
    for (name, content) in [("widget-runtime-7KQ2ZC4M.js", runtime.as_str()), ("plain.js", "export {};")] {
        std::fs::write(root.path().join(name), content).unwrap();
    }
    std::fs::write(root.path().join("widget-runtime-7KQ2ZC4M.js.br"), brotli(runtime.as_bytes())).unwrap();
    let mount = format!("/support-kpi={}", path(root.path()));
    let server = Server::start(store, &["--mount", &mount]);
    let target = "/support-kpi/widget-runtime-7KQ2ZC4M.js";
    let compressed = server.get_with(target, &[("accept-encoding", "gzip, deflate, br")]);
    assert_eq!((compressed.status, compressed.header("content-encoding")), (200, Some("br")));
    assert_eq!(unbrotli(&compressed.body), runtime.as_bytes(), "the same bytes");
    assert_eq!(compressed.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(compressed.header("content-type"), Some("text/javascript; charset=utf-8"));
    for accept in ["gzip", "br;q=0"] {
        let plain = server.get_with(target, &[("accept-encoding", accept)]);
        assert_eq!((plain.header("content-encoding"), plain.text()), (None, runtime.clone()), "{accept}");
        assert_eq!(plain.header("vary"), Some("Origin, Accept-Encoding"), "{accept}");
    }
    let unversioned = server.get_with("/support-kpi/plain.js", &[("accept-encoding", "br")]);
    assert_eq!((unversioned.header("content-encoding"), unversioned.header("vary")), (None, None));
}

fn the_built_in_files_are_served_compressed_and_never_outside_their_tree(store) {
    let server = Server::start(store, &[]);
    let missing = missing_embedded_files();
    let dashboard = server.get_with("/dashboard/", &[("accept-encoding", "br")]);
    assert_eq!((dashboard.status, dashboard.header("content-encoding")), (200, Some("br")));
    assert!(String::from_utf8(unbrotli(&dashboard.body)).unwrap().contains("/vendor/echarts.min.js"));
    assert!(dashboard.header("content-security-policy").unwrap_or_default().contains("frame-ancestors 'none'"));
    assert_eq!(dashboard.header("vary"), Some("Accept-Encoding"));
    assert_eq!(server.get_with("/dashboard", &[]).header("location"), Some("/dashboard/"));
    for (target, source) in [
        ("/vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js"),
        ("/support-kpi/widget.js", "pkg"),
    ] {
        let plain = server.get_with(target, &[]);
        if missing.contains(&source) {
            assert_eq!(plain.status, 404, "{target}");
            continue;
        }
        let compressed = server.get_with(target, &[("accept-encoding", "br")]);
        assert_eq!((plain.status, compressed.header("content-encoding")), (200, Some("br")), "{target}");
        assert_eq!(unbrotli(&compressed.body), plain.body, "{target}: the same bytes");
        assert_eq!(plain.header("content-type"), Some("text/javascript; charset=utf-8"), "{target}");
    }
    if !missing.contains(&"pkg") {
        assert_eq!(server.get_with("/support-kpi/widget.js", &[]).header("cache-control"), Some("public, max-age=300"));
    }
    for target in ["/%2e%2e/collector/Cargo.toml", "/dashboard/../../Cargo.toml", "/..%2fCargo.toml", "/.hidden"] {
        let response = server.get_with(target, &[]);
        assert!(matches!(response.status, 400 | 404), "{target}: {}", response.status);
        assert!(!response.text().contains("[package]"), "{target}");
    }
}
}

/// The binary started in an empty directory, without `--mount`, serves what it was built with.
#[test]
fn the_binary_serves_its_files_from_any_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = super::binary::Binary::command("kpi.db");
    command.current_dir(dir.path()).args(["--site", "acme=https://help.acme.example"]);
    let collector = super::binary::Binary::start(command);
    let missing = missing_embedded_files();
    for (target, source) in [
        ("/dashboard/", "www"),
        ("/support-kpi/widget.js", "pkg"),
        ("/vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js"),
    ] {
        let expected = if missing.contains(&source) { 404 } else { 200 };
        let response = client::send(collector.addr, "GET", target, &[], b"").unwrap();
        assert_eq!(response.status, expected, "{target}");
    }
    let stderr = collector.terminate();
    assert_eq!(stderr.contains("this binary was built without"), !missing.is_empty(), "{stderr}");
}
