//! A served site follows the handbook: edits, errors, new and deleted files, commits.

use super::support::{
    ANA, assert_serves, edit, example_in_git, fresh_build, generation, get, git, next_generation,
    save, start,
};

#[test]
fn the_served_site_is_a_fresh_build_after_each_edit() {
    let (_dir, root) = example_in_git();
    let server = start(&root, true);
    assert_serves(&server, &fresh_build(&root, true), "the first build");
    let mut seen = generation(&server);
    let mut step = |what: &str, change: &dyn Fn()| {
        change();
        seen = next_generation(&server, &seen);
        assert_serves(&server, &fresh_build(&root, true), what);
    };
    step("an edited body", &|| {
        edit(
            &root,
            "roadmap/audit-log.md",
            "## Problem",
            "## Problem\n\nOne more paragraph.",
        )
    });
    step("a status", &|| {
        edit(&root, "roadmap/audit-log.md", "status: now", "status: next")
    });
    step("a person's name in org.yml", &|| {
        edit(
            &root,
            "org.yml",
            "name: Priya Raman",
            "name: Priya R. Raman",
        )
    });
    step("a new page", &|| {
        save(
            &root,
            "guides/checklist.md",
            "---\ntitle: Checklist\n---\n# Checklist\n\nSee [the audit log](../roadmap/audit-log.md).\n",
        )
    });
    step("a deleted page", &|| {
        std::fs::remove_file(root.join("guides/checklist.md")).unwrap()
    });
    step("a commit", &|| {
        git(&root, &["add", "-A"], "2026-11-20", ANA);
        git(&root, &["commit", "-q", "-m", "Edits"], "2026-11-20", ANA);
    });
    server.stop();
}

#[test]
fn errors_show_over_every_page_until_fixed() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    let prefix = "/product-handbook/";
    let before = get(server.addr(), &format!("{prefix}roadmap/audit-log.html"));
    assert_eq!(before.status, 200);
    let seen = generation(&server);
    // A YAML syntax error: the file cannot be read at all (the finding points at the `[`
    // left open).
    edit(&root, "roadmap/audit-log.md", "status: now", "status: [now");
    let seen = next_generation(&server, &seen);
    for page in [
        "index.html",
        "roadmap/audit-log.html",
        "processes/index.html",
    ] {
        let r = get(server.addr(), &format!("{prefix}{page}"));
        let text = r.text();
        assert!(text.contains("id=\"opsbook-serve-errors\""), "{page}");
        assert!(
            text.contains("<code>roadmap/audit-log.md:3:9</code> error[frontmatter-invalid]"),
            "{page}: {}",
            &text[text.find("opsbook-serve-errors").unwrap_or(0)..]
        );
    }
    // The last good page stays under the overlay.
    let kept = get(server.addr(), &format!("{prefix}roadmap/audit-log.html"));
    assert_eq!(
        opsbook::serve::inject::strip(&kept.body),
        opsbook::serve::inject::strip(&before.body)
    );
    edit(
        &root,
        "roadmap/audit-log.md",
        "status: [now",
        "status: next",
    );
    next_generation(&server, &seen);
    let after = get(server.addr(), &format!("{prefix}roadmap/audit-log.html")).text();
    assert!(!after.contains("opsbook-serve-errors"));
    assert!(after.contains("Next"), "the fixed status is shown");
    server.stop();
}

#[test]
fn ignore_rules_and_navigation_files_count_at_once() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    assert_serves(&server, &fresh_build(&root, false), "the first build");
    let mut seen = generation(&server);
    let mut step = |what: &str, change: &dyn Fn()| {
        change();
        seen = next_generation(&server, &seen);
        assert_serves(&server, &fresh_build(&root, false), what);
    };
    step("a page nobody links to", &|| {
        save(
            &root,
            "guides/loose-ends.md",
            "# Loose ends\n\nNobody links here.\n",
        )
    });
    // Each step changes the site (the page's orphan-page finding comes and goes): the
    // session moves to a new generation only then.
    step(
        "orphan-page on, with a navigation file that does not exist yet",
        &|| {
            let cfg = std::fs::read_to_string(root.join("opsbook.yml")).unwrap();
            let cfg = cfg.replace("rules: {orphan-page: off}", "");
            save(
                &root,
                "opsbook.yml",
                &format!("{cfg}\nlinks:\n  nav: [nav.yml]\n"),
            );
        },
    );
    step("the navigation file, listing the page", &|| {
        save(&root, "nav.yml", "- guides/loose-ends.md\n")
    });
    step("the navigation file no longer lists the page", &|| {
        save(&root, "nav.yml", "- guides/other.md\n")
    });
    step("a .gitignore that leaves the page out", &|| {
        save(&root, ".gitignore", "site/\nguides/loose-ends.md\n")
    });
    server.stop();
}

#[test]
fn files_come_and_go() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    let page = "/product-handbook/guides/new-guide.html";
    assert_eq!(get(server.addr(), page).status, 404);
    let seen = generation(&server);
    save(
        &root,
        "guides/new-guide.md",
        "# New guide\n\nHello from a new guide.\n",
    );
    let seen = next_generation(&server, &seen);
    let r = get(server.addr(), page);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Hello from a new guide."));
    std::fs::remove_file(root.join("guides/new-guide.md")).unwrap();
    next_generation(&server, &seen);
    let gone = get(server.addr(), page);
    assert_eq!(gone.status, 404);
    assert!(
        gone.text().contains("Page not found"),
        "the site's 404 page"
    );
    server.stop();
}

#[test]
fn stop_removes_the_served_folder() {
    let (_dir, root) = example_in_git();
    let server = start(&root, false);
    let dir = server.dir();
    assert!(dir.join("index.html").is_file());
    assert!(
        !root.join("site").exists(),
        "serve never builds into the handbook"
    );
    server.stop();
    assert!(!dir.exists());
}
