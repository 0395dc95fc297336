//! `opsbook build` on hostile file systems: symbolic links out of the handbook, a config that
//! points the output elsewhere, builds killed half way, two builds into one folder at once.

use std::path::Path;

use super::support::{assert_same_tree, build, fixture, opsbook, page, text, tree, write};

/// The names in `dir` that start with `.opsbook-` (temporary folders, the lock).
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".opsbook-"))
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn links_out_of_the_handbook_publish_nothing() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "etc/shadow",
        "root:SECRET-SHADOW:19000::::::\n",
    );
    write(outside.path(), "style.css", "/* SECRET-CSS */");
    let shadow = outside.path().join("etc/shadow");
    std::fs::set_permissions(&shadow, std::fs::Permissions::from_mode(0o600)).unwrap();

    let hb = fixture("site-basic");
    let root = hb.path();
    symlink(outside.path().join("etc"), root.join("static/etc")).unwrap();
    symlink(&shadow, root.join("static/shadow.txt")).unwrap();
    symlink(&shadow, root.join("files/plan.txt.bak")).unwrap();
    // A linked file the documents link to, replaced by a link out of the handbook.
    std::fs::remove_file(root.join("files/plan.txt")).unwrap();
    symlink(&shadow, root.join("files/plan.txt")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    symlink(
        outside.path().join("style.css"),
        root.join("templates/style.css"),
    )
    .unwrap();
    // Links that stay inside the handbook are followed; hidden files never published.
    symlink(
        root.join("static/logo.svg"),
        root.join("static/logo-again.svg"),
    )
    .unwrap();
    write(root, "static/.env", "KEY=SECRET-ENV");
    symlink(root.join("static/.env"), root.join("static/env.txt")).unwrap();
    // A copied file keeps none of its source's mode bits: it is a new file like every page.
    write(root, "static/run.sh", "#!/bin/sh\n");
    std::fs::set_permissions(
        root.join("static/run.sh"),
        std::fs::Permissions::from_mode(0o751),
    )
    .unwrap();

    // The page linking to `files/plan.txt` now links to something the site does not publish:
    // `check` says so (an error), as the build does.
    let out = build(root, &[]);
    let shown = text(&out, root);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("error[unpublished-link]"), "{shown}");
    // With that rule a warning, the build goes on and still publishes nothing from outside.
    let cfg = std::fs::read_to_string(root.join("opsbook.yml")).unwrap();
    write(
        root,
        "opsbook.yml",
        &format!("{cfg}\nrules: {{unpublished-link: warning}}\n"),
    );
    let out = build(root, &[]);
    let shown = text(&out, root);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    for link in [
        "static/etc",
        "static/shadow.txt",
        "templates/style.css",
        "files/plan.txt",
    ] {
        assert!(
            shown.contains(&format!("`{link}` is a symbolic link that is not followed")),
            "{link}: {shown}"
        );
    }
    assert!(shown.contains("[symlink-outside]"), "{shown}");
    assert!(shown.contains("static/env.txt"), "{shown}");
    let site = root.join("site");
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET-"),
            "{} leaks: {text}",
            path.display()
        );
    }
    assert!(!site.join("static/etc").exists());
    assert!(!site.join("files/plan.txt").exists());
    assert!(site.join("static/logo-again.svg").is_file());
    assert_eq!(
        std::fs::read(site.join("static/logo-again.svg")).unwrap(),
        std::fs::read(root.join("static/logo.svg")).unwrap()
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(&site.join("static/run.sh")),
        mode(&site.join("index.html"))
    );

    // The whole `static/` folder linked out of the handbook: nothing of it is read (not even
    // the logo a page links to).
    write(outside.path(), "etc/logo.svg", "<svg>SECRET-LOGO</svg>");
    let hb = fixture("site-basic");
    std::fs::remove_dir_all(hb.path().join("static")).unwrap();
    symlink(outside.path().join("etc"), hb.path().join("static")).unwrap();
    let out = build(hb.path(), &[]);
    let shown = text(&out, hb.path());
    // The page's link to the logo leads nowhere on the site now, and `check` says so.
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("error[unpublished-link]"), "{shown}");
    let cfg = std::fs::read_to_string(hb.path().join("opsbook.yml")).unwrap();
    write(
        hb.path(),
        "opsbook.yml",
        &format!("{cfg}\nrules: {{unpublished-link: warning}}\n"),
    );
    let out = build(hb.path(), &[]);
    let shown = text(&out, hb.path());
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("`static` is a symbolic link that is not followed"));
    assert!(!hb.path().join("site/static").exists());
}

#[cfg(unix)]
#[test]
fn an_output_from_the_config_stays_inside_the_handbook() {
    let elsewhere = tempfile::tempdir().unwrap();
    let hb = fixture("site-basic");
    let config = std::fs::read_to_string(hb.path().join("opsbook.yml")).unwrap();
    let lines = config.lines().count() + 1;
    let target = elsewhere.path().join("site");
    let linked = hb.path().join("public");
    std::os::unix::fs::symlink(elsewhere.path(), &linked).unwrap();
    for output in [
        "../outside".to_string(),
        target.display().to_string(),
        "public/site".to_string(),
    ] {
        write(
            hb.path(),
            "opsbook.yml",
            &format!("{config}output: {output}\n"),
        );
        let before = tree(hb.path());
        let out = build(hb.path(), &[]);
        let shown = text(&out, hb.path());
        assert_eq!(out.status.code(), Some(2), "{output}: {shown}");
        assert!(
            shown.contains(&format!(
                "[DIR]/opsbook.yml:{lines}:9: `output: {output}` leads outside the handbook root"
            )),
            "{output}: {shown}"
        );
        assert!(
            shown.contains("help: ") && shown.contains("--out DIR"),
            "{shown}"
        );
        assert_eq!(tree(hb.path()), before, "{output}");
        assert!(!target.exists(), "{output}");
    }
    // On the command line it is the user's choice.
    let out = build(hb.path(), &["--out", &target.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    assert!(target.join("index.html").is_file());
    // An output inside the handbook, however written, is fine.
    write(
        hb.path(),
        "opsbook.yml",
        &format!("{config}output: out/../public2\n"),
    );
    assert_eq!(build(hb.path(), &[]).status.code(), Some(0));
    assert!(hb.path().join("public2/index.html").is_file());
}

/// A build killed between its two renames leaves no site, the previous one moved aside, a
/// complete new one and a lock file; older kills leave more. The next build — even one that
/// findings stop — puts the previous site back and removes the rest.
#[test]
fn the_next_build_repairs_what_a_killed_build_left() {
    let hb = fixture("site-basic");
    let root = hb.path();
    assert_eq!(build(root, &[]).status.code(), Some(0));
    let site = root.join("site");
    let before = tree(&site);
    std::fs::rename(&site, root.join(".opsbook-site-old-999999")).unwrap();
    write(root, ".opsbook-site-new-999999/index.html", "new");
    write(
        root,
        ".opsbook-site-new-4/roadmap/index.html",
        "half written",
    );
    std::fs::write(root.join(".opsbook-site.lock"), "999999\n").unwrap();
    // Not opsbook's: kept.
    write(root, ".opsbook-site-new-mine/notes.txt", "mine");

    let good = std::fs::read_to_string(root.join("roadmap/search.md")).unwrap();
    write(
        root,
        "roadmap/search.md",
        "---\ntitle: Broken\nstatus: nwo\n---\n",
    );
    let out = build(root, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out, root));
    assert_eq!(tree(&site), before, "the previous site is back");
    assert_eq!(leftovers(root), [".opsbook-site-new-mine"]);

    // A kill after the swap leaves only the previous site aside: removed. A build into another
    // folder leaves it alone.
    write(root, ".opsbook-site-old-77/index.html", "older");
    write(root, "roadmap/search.md", &good);
    assert_eq!(build(root, &["--out", "fresh"]).status.code(), Some(0));
    assert_eq!(
        leftovers(root),
        [".opsbook-site-new-mine", ".opsbook-site-old-77"]
    );
    assert_eq!(build(root, &[]).status.code(), Some(0));
    assert_eq!(leftovers(root), [".opsbook-site-new-mine"]);
    assert_same_tree(&root.join("fresh"), &site);
}

/// Two builds into one folder at the same time: each either builds or stops at once with
/// "another build is running"; the site is never half written.
#[test]
fn two_builds_at_once_never_half_write_the_site() {
    let hb = fixture("site-basic");
    let root = hb.path();
    assert_eq!(build(root, &["--out", "reference"]).status.code(), Some(0));
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .current_dir(root)
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("OPSBOOK_TIMINGS")
            .args(["build", "--today", super::support::TODAY])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for _ in 0..4 {
        let (a, b) = (spawn(), spawn());
        let mut built = 0;
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let shown = text(&out, root);
            match out.status.code() {
                Some(0) => built += 1,
                Some(2) => assert!(shown.contains("another build is running (pid "), "{shown}"),
                other => panic!("exit {other:?}: {shown}"),
            }
        }
        assert!(built >= 1);
        assert_same_tree(&root.join("reference"), &root.join("site"));
        assert_eq!(leftovers(root), Vec::<String>::new());
    }
    assert!(page(&root.join("site"), "index.html").contains("Acme Handbook"));
    // A lock held by a live process stops a build without touching anything.
    let lock = std::fs::File::create(root.join(".opsbook-site.lock")).unwrap();
    lock.lock().unwrap();
    let before = tree(root);
    let out = opsbook(root)
        .args(["build", "--today", super::support::TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out, root).contains("another build is running"));
    assert_eq!(tree(root), before);
}
