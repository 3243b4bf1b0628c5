//! Static files: mounts, content types, index files, no listings, no escape.

use super::client;
use super::server::{Server, path};

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
        assert_eq!(response.text(), body, "{target}");
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
}
