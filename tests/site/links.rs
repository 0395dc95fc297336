//! `check` and the site agree on links: every link the site writes resolves (a site-wide link
//! checker over the built pages of several handbooks), and every link `check` accepts resolves
//! on the site.

use std::path::Path;

use super::linkcheck::assert_links_resolve;
use super::support::{TODAY, build, fixture, opsbook, page, text, tree, write};

/// `opsbook build` in `dir` (with `--base-url` when given) succeeds; its site's links all
/// resolve.
fn built_links_resolve(dir: &Path, base_url: Option<&str>) -> usize {
    let args: Vec<&str> = base_url.map(|b| vec!["--base-url", b]).unwrap_or_default();
    let out = build(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir));
    assert_links_resolve(&dir.join("site"), base_url)
}

const BASE_URL: &str = "https://docs.example.test/handbook/";

#[test]
fn every_link_the_site_writes_resolves() {
    for case in [
        "site-basic",
        "site-injection",
        "site-product",
        "example-repo",
    ] {
        let hb = fixture(case);
        let followed = built_links_resolve(hb.path(), Some(BASE_URL));
        assert!(followed > 100, "{case}: only {followed} links");
    }
    // An empty handbook, and one without roadmap items: empty boards, timeline and indexes.
    let empty = tempfile::tempdir().unwrap();
    built_links_resolve(empty.path(), None);
    let no_items = tempfile::tempdir().unwrap();
    write(
        no_items.path(),
        "guides/a.md",
        "# A\n\nSee [the board](../roadmap/).\n",
    );
    built_links_resolve(no_items.path(), Some(BASE_URL));
    let timeline = page(&no_items.path().join("site"), "roadmap/timeline.html");
    assert!(!timeline.contains("#by-"), "{timeline}");
    // Items, none with a quarter: the timeline has no table to link to either.
    write(
        no_items.path(),
        "roadmap/x.md",
        "---\ntitle: X\nstatus: later\ntheme: Reach\n---\n",
    );
    built_links_resolve(no_items.path(), Some(BASE_URL));
}

/// With every link rule off, a handbook full of links that lead nowhere still builds a site
/// whose links all resolve: the site drops those links (their text stays).
#[test]
fn links_check_rejects_are_dropped_from_the_site() {
    let hb = fixture("links");
    for collision in ["index.md", "nested/search.md"] {
        std::fs::remove_file(hb.path().join(collision)).unwrap();
    }
    write(
        hb.path(),
        "opsbook.yml",
        "title: Links\nrules: {broken-link: off, broken-anchor: off, unresolved-link-ref: off, \
         unpublished-link: off}\n",
    );
    let followed = built_links_resolve(hb.path(), None);
    assert!(followed > 50, "{followed}");
    let site = hb.path().join("site");
    let more = page(&site, "guides/more.html");
    for (kept, dropped) in [
        ("href=\"mailto:ana@example.com\"", "guides folder</a>"),
        ("href=\"../roadmap/index.html\"", ".env"),
        ("href=\"../people/index.html\"", "org.yml"),
        ("href=\"#fn-n\"", "#raw"),
        ("<p>A note.", "#col-now"),
    ] {
        assert!(more.contains(kept), "{kept}: {more}");
        assert!(!more.contains(dropped), "{dropped}: {more}");
    }
    assert!(!site.join(".env").exists() && !site.join("org.yml").exists());
}

/// Files the build does not copy (a symlink out of the root, a FIFO, hidden files, the output
/// folder) fail `check`; with the rule off, the site neither copies nor links them. A symlink
/// that stays inside the root is copied, and its link kept.
#[cfg(unix)]
#[test]
fn links_to_files_the_build_does_not_copy() {
    let hb = fixture("site-basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "host secret").unwrap();
    let root = hb.path();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("files/out.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(root.join("files/plan.txt"), root.join("files/same.txt")).unwrap();
    let fifo = root.join("files/pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    write(root, ".env", "TOKEN=1\n");
    write(root, "site/.opsbook-site", "");
    write(root, "site/old.html", "old");
    write(
        root,
        "guides/files.md",
        "# Files\n\n[out](../files/out.txt) [pipe](../files/pipe) [env](../.env)\n\
         [built](../site/old.html) [same](../files/same.txt)\n",
    );
    write(
        root,
        "guides/welcome.md",
        &format!(
            "{}\n[Files](files.md)\n",
            std::fs::read_to_string(root.join("guides/welcome.md")).unwrap()
        ),
    );
    let out = opsbook(root)
        .args(["check", "--today", TODAY, "guides/files.md"])
        .output()
        .unwrap();
    let msg = text(&out, root);
    assert_eq!(out.status.code(), Some(1), "{msg}");
    for (at, what) in [
        (
            "guides/files.md:3:1:",
            "a symbolic link that leads out of the handbook root",
        ),
        ("guides/files.md:3:25:", "not a regular file"),
        ("guides/files.md:3:47:", "a hidden file or folder"),
        ("guides/files.md:4:1:", "in the output folder"),
    ] {
        assert!(
            msg.lines().any(
                |l| l.starts_with(&format!("{at} error[unpublished-link]")) && l.contains(what)
            ),
            "{at} {what}: {msg}"
        );
    }
    assert!(
        !msg.lines()
            .any(|l| l.contains("error[") && l.contains("same.txt")),
        "{msg}"
    );
    assert_eq!(build(root, &[]).status.code(), Some(1));

    write(
        root,
        "opsbook.yml",
        &format!(
            "{}rules: {{unpublished-link: off}}\n",
            std::fs::read_to_string(root.join("opsbook.yml")).unwrap()
        ),
    );
    built_links_resolve(root, Some(BASE_URL));
    let site = root.join("site");
    assert!(!site.join("files/out.txt").exists());
    assert!(!site.join("files/pipe").exists());
    assert!(!site.join(".env").exists());
    assert_eq!(
        std::fs::read(site.join("files/same.txt")).unwrap(),
        std::fs::read(root.join("files/plan.txt")).unwrap()
    );
    let files = page(&site, "guides/files.html");
    assert!(files.contains("href=\"../files/same.txt\""), "{files}");
    for dead in ["out.txt", "files/pipe", ".env", "old.html"] {
        assert!(!files.contains(dead), "{dead}: {files}");
    }
}

/// Ids written in raw HTML are anchors of the page only when raw HTML is rendered: `check`
/// accepts links to them exactly then, and the built page holds them. An anchor tag
/// (`<a name="legacy"></a>`) is an anchor either way.
#[test]
fn raw_html_anchors_count_when_raw_html_is_rendered() {
    let hb = tempfile::tempdir().unwrap();
    let root = hb.path();
    write(
        root,
        "guide.md",
        "# Guide\n\n<a name=\"legacy\"></a>\n<div id=\"box\">x</div>\n\n[legacy](#legacy) \
         [box](#box) [inline](#inline) <span id=\"inline\">y</span>\n",
    );
    let check = |root: &Path| {
        let out = opsbook(root)
            .args(["check", "--today", TODAY])
            .output()
            .unwrap();
        (out.status.code(), text(&out, root))
    };
    let (code, msg) = check(root);
    assert_eq!(code, Some(1), "{msg}");
    assert_eq!(msg.matches("error[broken-anchor]").count(), 2, "{msg}");
    assert!(!msg.contains("`#legacy`"), "{msg}");
    write(root, "opsbook.yml", "markdown: {raw_html: true}\n");
    let (code, msg) = check(root);
    assert_eq!(code, Some(0), "{msg}");
    built_links_resolve(root, None);
    let guide = page(&root.join("site"), "guide.html");
    for s in [
        "<a name=\"legacy\">",
        "href=\"#legacy\"",
        "id=\"box\"",
        "href=\"#inline\"",
    ] {
        assert!(guide.contains(s), "{s}: {guide}");
    }
}

/// `<user@host>` is a mailto link for `check` and for the site.
#[test]
fn email_autolinks_are_mailto_links() {
    let hb = tempfile::tempdir().unwrap();
    write(
        hb.path(),
        "guide.md",
        "# Guide\n\nWrite to <ana@example.com>.\n",
    );
    let out = opsbook(hb.path())
        .args(["check", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    built_links_resolve(hb.path(), None);
    let guide = page(&hb.path().join("site"), "guide.html");
    assert!(
        guide.contains("<a href=\"mailto:ana@example.com\">ana@example.com</a>"),
        "{guide}"
    );
}

/// Themes whose names make the same (or an empty) slug each get their own filtered board, and
/// each card's filter key names its own.
#[test]
fn every_theme_gets_its_own_board() {
    let hb = tempfile::tempdir().unwrap();
    let themes = ["日本語", "中文", "!!!", "Growth", "growth!"];
    for (n, theme) in themes.iter().enumerate() {
        write(
            hb.path(),
            &format!("roadmap/item-{n}.md"),
            &format!("---\ntitle: Item {n}\nstatus: later\ntheme: \"{theme}\"\n---\n"),
        );
    }
    built_links_resolve(hb.path(), None);
    let site = hb.path().join("site");
    let boards: Vec<String> = tree(&site.join("roadmap/theme"))
        .into_keys()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(boards.len(), themes.len(), "{boards:?}");
    let board = page(&site, "roadmap/index.html");
    for (n, theme) in themes.iter().enumerate() {
        // The card's filter key is the slug of the board that lists this theme alone.
        let card = &board[..board
            .find(&format!("item-{n}.html"))
            .unwrap_or_else(|| panic!("{theme}: no card"))];
        let key = card
            .rsplit("data-theme=\"theme:")
            .next()
            .and_then(|r| r.split('"').next())
            .unwrap();
        let own = page(&site, &format!("roadmap/theme/{key}.html"));
        assert!(own.contains(&format!("item-{n}.html")), "{theme}: {own}");
        assert_eq!(own.matches("class=\"card ").count(), 1, "{theme}: {own}");
        assert!(
            board.contains(&format!("href=\"theme/{key}.html\"")),
            "{theme}"
        );
    }
}
