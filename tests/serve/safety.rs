//! What the server answers, and what it refuses: paths that leave the served folder in any
//! spelling, links out of it, methods other than GET and HEAD, foreign hosts.

use super::support::{example_in_git, get, request, start};

#[test]
fn traversal_is_refused_in_every_spelling() {
    let (dir, root) = example_in_git();
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = start(&root, false);
    let site = server.dir();
    // A link out of the served folder, planted as if by someone else.
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("out.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), site.join("up")).unwrap();
    let port = server.addr().port();
    for target in [
        "/../secret.txt",
        "/product-handbook/../../secret.txt",
        "/product-handbook/%2e%2e/%2e%2e/secret.txt",
        "/product-handbook/%2E%2E/secret.txt",
        "/product-handbook/..%2f..%2fsecret.txt",
        "/product-handbook/..%2F..%2Fsecret.txt",
        "/product-handbook/roadmap/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/product-handbook//etc/passwd",
        "http://127.0.0.1/../secret.txt",
        "/product-handbook/out.txt",
        "/product-handbook/up/secret.txt",
        "/product-handbook/.opsbook-site",
        "/product-handbook/%00",
    ] {
        let r = request(
            server.addr(),
            &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
        );
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: {} {}",
            r.status,
            r.text()
        );
        assert!(!r.text().contains("TOP SECRET"), "{target}");
    }
    server.stop();
}

#[test]
fn only_get_and_head_are_answered() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    let port = server.addr().port();
    let page = "/product-handbook/index.html";
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = request(
            server.addr(),
            &format!("{method} {page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0"),
        );
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    }
    let full = get(server.addr(), page);
    let head = request(
        server.addr(),
        &format!("HEAD {page} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Length"),
        Some(full.body.len().to_string().as_str())
    );
    server.stop();
}

#[test]
fn types_folders_redirects_and_the_404_page() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    let addr = server.addr();
    for (path, kind) in [
        ("/product-handbook/index.html", "text/html; charset=utf-8"),
        (
            "/product-handbook/assets/style.css",
            "text/css; charset=utf-8",
        ),
        (
            "/product-handbook/search-index.js",
            "text/javascript; charset=utf-8",
        ),
        ("/product-handbook/search-index.json", "application/json"),
        ("/product-handbook/sitemap.xml", "application/xml"),
        (
            "/.opsbook-serve/reload.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(kind), "{path}");
    }
    let folder = get(addr, "/product-handbook/roadmap/");
    assert_eq!(folder.status, 200);
    assert!(folder.text().contains("<h1>Roadmap</h1>"));
    let bare = get(addr, "/product-handbook/roadmap");
    assert_eq!(bare.status, 302);
    assert_eq!(bare.header("Location"), Some("/product-handbook/roadmap/"));
    let root_page = get(addr, "/");
    assert_eq!(root_page.status, 302);
    assert_eq!(root_page.header("Location"), Some("/product-handbook/"));
    let missing = get(addr, "/product-handbook/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    assert!(
        missing.text().contains("/.opsbook-serve/reload.js"),
        "the 404 page reloads too"
    );
    // Only served pages get the script: the served files are the build's.
    let on_disk = std::fs::read_to_string(server.dir().join("index.html")).unwrap();
    assert!(!on_disk.contains("opsbook-serve"));
    server.stop();
}

#[test]
fn requests_naming_another_host_are_refused() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    let r = request(
        server.addr(),
        "GET /product-handbook/index.html HTTP/1.1\r\nHost: evil.example:3000",
    );
    assert_eq!(r.status, 403);
    let ok = request(
        server.addr(),
        "GET /product-handbook/index.html HTTP/1.1\r\nHost: localhost:3000",
    );
    assert_eq!(ok.status, 200);
    server.stop();
}
