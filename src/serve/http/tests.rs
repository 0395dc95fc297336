//! Paths, types and hosts.

use super::*;

fn site() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("site");
    for (rel, text) in [
        ("index.html", "home"),
        ("roadmap/index.html", "board"),
        ("roadmap/a b.html", "item"),
        ("docs/index.html", "docs"),
        (".opsbook-site", "marker"),
    ] {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::write(t.path().join("secret.txt"), "secret").unwrap();
    let dir = dir.canonicalize().unwrap();
    (t, dir)
}

#[test]
fn files_folders_and_redirects() {
    let (_t, dir) = site();
    let f = |rel: &str| Target::File(dir.join(rel));
    assert_eq!(resolve(&dir, "/", "/"), f("index.html"));
    assert_eq!(resolve(&dir, "/", "/index.html?x=1#top"), f("index.html"));
    assert_eq!(resolve(&dir, "/", "/roadmap/"), f("roadmap/index.html"));
    assert_eq!(
        resolve(&dir, "/", "/roadmap/a%20b.html"),
        f("roadmap/a b.html")
    );
    assert_eq!(
        resolve(&dir, "/", "/roadmap"),
        Target::Redirect("/roadmap/".into())
    );
    assert_eq!(resolve(&dir, "/", "/nope.html"), Target::NotFound);
    assert_eq!(
        resolve(&dir, "/hb/", "/hb/roadmap/"),
        f("roadmap/index.html")
    );
    assert_eq!(resolve(&dir, "/hb/", "/"), Target::Redirect("/hb/".into()));
    assert_eq!(
        resolve(&dir, "/hb/", "/hb"),
        Target::Redirect("/hb/".into())
    );
    assert_eq!(resolve(&dir, "/hb/", "/index.html"), Target::NotFound);
}

#[test]
fn traversal_is_refused_in_every_spelling() {
    let (_t, dir) = site();
    for url in [
        "/../secret.txt",
        "/roadmap/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/roadmap/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/.%2e/secret.txt",
        "//etc/passwd",
        "http://localhost/../secret.txt",
        "*",
        "/.opsbook-site",
        "/roadmap/%00.html",
        "/%zz",
        "/%ff.html",
    ] {
        assert_eq!(resolve(&dir, "/", url), Target::Refused, "{url}");
    }
}

#[test]
fn links_out_of_the_folder_are_refused() {
    let (t, dir) = site();
    std::os::unix::fs::symlink(t.path().join("secret.txt"), dir.join("out.txt")).unwrap();
    std::os::unix::fs::symlink(t.path(), dir.join("up")).unwrap();
    std::os::unix::fs::symlink(dir.join("index.html"), dir.join("in.html")).unwrap();
    assert_eq!(resolve(&dir, "/", "/out.txt"), Target::Refused);
    assert_eq!(resolve(&dir, "/", "/up/secret.txt"), Target::Refused);
    assert_eq!(
        resolve(&dir, "/", "/in.html"),
        Target::File(dir.join("index.html"))
    );
}

#[test]
fn endpoints() {
    let (_t, dir) = site();
    assert_eq!(
        resolve(&dir, "/hb/", "/.opsbook-serve/reload.js"),
        Target::Script
    );
    assert_eq!(
        resolve(&dir, "/", "/.opsbook-serve/wait?generation=a-1"),
        Target::Wait("a-1".into())
    );
    assert_eq!(resolve(&dir, "/", "/.opsbook-serve/x"), Target::NotFound);
}

#[test]
fn content_types() {
    for (name, kind) in [
        ("a.html", "text/html; charset=utf-8"),
        ("a.CSS", "text/css; charset=utf-8"),
        ("search-index.js", "text/javascript; charset=utf-8"),
        ("search-index.json", "application/json"),
        ("sitemap.xml", "application/xml"),
        ("logo.svg", "image/svg+xml"),
        ("plan.pdf", "application/pdf"),
        ("notes", "application/octet-stream"),
    ] {
        assert_eq!(content_type(Path::new(name)), kind, "{name}");
    }
}

#[test]
fn loopback_hosts() {
    for h in [
        "localhost",
        "localhost:3000",
        "127.0.0.1:8080",
        "[::1]:3000",
        "app.localhost",
    ] {
        assert!(loopback_host(h), "{h}");
    }
    for h in [
        "evil.example",
        "evil.example:3000",
        "192.168.1.4:3000",
        "localhost.evil.example",
    ] {
        assert!(!loopback_host(h), "{h}");
    }
}
