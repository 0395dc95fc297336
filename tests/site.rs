//! `opsbook build`: every view of a fixture handbook, injection, output safety, determinism,
//! template overrides.

#[path = "site/support.rs"]
mod support;

#[path = "site/adopt.rs"]
mod adopt;
#[path = "site/cards.rs"]
mod cards;
#[path = "site/flow.rs"]
mod flow;
#[path = "site/git.rs"]
mod git_facts;
#[path = "site/product.rs"]
mod product;
#[path = "site/safety.rs"]
mod safety;

#[path = "site/linkcheck.rs"]
mod linkcheck;
#[path = "site/links.rs"]
mod links;

use std::path::Path;

use support::{TODAY, assert_same_tree, build, fixture, main_of, opsbook, page, text, tree, write};

/// Every view of the fixture handbook, as the `<main>` of its page.
#[test]
fn every_view_renders() {
    let hb = fixture("site-basic");
    let out = build(hb.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    insta::assert_snapshot!("build_output", text(&out, hb.path()));
    let site = hb.path().join("site");
    for (name, rel) in [
        ("home", "index.html"),
        ("board", "roadmap/index.html"),
        ("board_team", "roadmap/team/core.html"),
        ("timeline", "roadmap/timeline.html"),
        ("item", "roadmap/search.html"),
        ("item_shipped", "roadmap/index-v2.html"),
        ("charter", "charters/core.html"),
        ("charters", "charters/index.html"),
        ("processes", "processes/index.html"),
        ("process", "processes/triage.html"),
        ("person", "people/ana.html"),
        ("role", "roles/pm.html"),
        ("team", "teams/core.html"),
        ("people", "people/index.html"),
        ("page", "guides/welcome.html"),
        ("pages", "pages.html"),
        ("changes", "changes.html"),
        ("health", "health.html"),
        ("search", "search.html"),
        ("not_found", "404.html"),
    ] {
        insta::assert_snapshot!(format!("view_{name}"), main_of(&page(&site, rel)));
    }
    insta::assert_snapshot!("sitemap", page(&site, "sitemap.xml"));
    insta::assert_snapshot!("feed", page(&site, "feed.xml"));
    insta::assert_snapshot!("search_index", page(&site, "search-index.json"));
}

#[test]
fn static_and_linked_files_are_copied() {
    let hb = fixture("site-basic");
    build(hb.path(), &[]);
    let site = hb.path().join("site");
    assert!(site.join("static/logo.svg").is_file());
    assert!(site.join("files/plan.txt").is_file());
    assert!(site.join("assets/style.css").is_file());
    assert!(site.join(".opsbook-site").is_file());
    assert!(!site.join("org.yml").exists());
    let welcome = page(&site, "guides/welcome.html");
    assert!(welcome.contains(r#"<img src="../static/logo.svg" alt="Logo" />"#));
    assert!(welcome.contains(r#"href="../files/plan.txt""#));
}

#[test]
fn base_url_only_reaches_sitemap_feed_and_canonical_links() {
    let hb = fixture("site-basic");
    build(hb.path(), &["--base-url", "https://docs.acme.example/hb"]);
    let site = hb.path().join("site");
    let sitemap = page(&site, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://docs.acme.example/hb/roadmap/search.html</loc>"));
    assert!(page(&site, "roadmap/search.html").contains(r#"href="../people/ana.html""#));
    assert!(page(&site, "404.html").contains(r#"href="/hb/assets/style.css""#));
    // Without a base URL the sitemap is relative and the 404 page links relatively.
    write(hb.path(), "opsbook.yml", "title: Acme Handbook\n");
    build(hb.path(), &[]);
    assert!(page(&site, "sitemap.xml").contains("<loc>roadmap/search.html</loc>"));
    assert!(page(&site, "404.html").contains(r#"href="assets/style.css""#));
}

/// Every `<script` in the site is one of opsbook's own scripts, and no link or image points at
/// a `javascript:`, `data:` or `vbscript:` URL.
fn assert_no_injection(site: &Path) {
    const SCRIPTS: &[&str] = &[
        r#"<script src="../assets/board.js">"#,
        r#"<script src="assets/board.js">"#,
        r#"<script src="search-index.js">"#,
        r#"<script src="assets/search.js">"#,
    ];
    for (rel, bytes) in tree(site) {
        if rel.extension().is_none_or(|e| e != "html" && e != "xml") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap().to_lowercase();
        for (at, _) in html.match_indices("<script") {
            assert!(
                SCRIPTS.iter().any(|s| html[at..].starts_with(s)),
                "{}: unexpected {}",
                rel.display(),
                &html[at..html.len().min(at + 60)]
            );
        }
        for bad in [
            "=\"javascript:",
            "=\" javascript:",
            "=\"data:",
            "=\"vbscript:",
            "<div onclick",
            "<img src=x",
            "<em ",
            "<b>not",
        ] {
            assert!(!html.contains(bad), "{}: contains {bad}", rel.display());
        }
    }
}

#[test]
fn frontmatter_and_markdown_cannot_inject_markup() {
    let hb = fixture("site-injection");
    let out = build(hb.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let site = hb.path().join("site");
    assert_no_injection(&site);
    let item = page(&site, "roadmap/xss.html");
    assert!(item.contains(
        "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;"
    ));
    assert!(item.contains(r#"<pre class="raw-html"><code>&lt;div onclick="#));
    insta::assert_snapshot!("injection_item", main_of(&item));
    insta::assert_snapshot!("injection_person", main_of(&page(&site, "people/ana.html")));
}

#[test]
fn raw_html_passes_only_when_allowed_and_unsafe_urls_never() {
    let hb = fixture("site-injection");
    write(
        hb.path(),
        "opsbook.yml",
        "title: Trusted\nmarkdown: {raw_html: true}\nrules: {broken-link: off}\n",
    );
    write(
        hb.path(),
        "about.md",
        "# About\n\n<kbd>Ctrl</kbd> and [x](javascript:alert(1)).\n",
    );
    assert_eq!(build(hb.path(), &[]).status.code(), Some(0));
    let about = page(&hb.path().join("site"), "about.html");
    assert!(about.contains("<kbd>Ctrl</kbd>"), "{about}");
    assert!(!about.contains("javascript:"), "{about}");
}

#[test]
fn errors_stop_the_build_and_leave_the_previous_site() {
    let hb = fixture("site-basic");
    assert_eq!(build(hb.path(), &[]).status.code(), Some(0));
    let site = hb.path().join("site");
    let before = tree(&site);
    write(
        hb.path(),
        "roadmap/search.md",
        "---\ntitle: Broken\nstatus: nwo\n---\n",
    );
    let out = build(hb.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("build_errors", text(&out, hb.path()));
    assert_eq!(tree(&site), before, "the previous site changed");
    // Nothing is written either when there was no site before.
    let fresh = build(hb.path(), &["--out", "public"]);
    assert_eq!(fresh.status.code(), Some(1));
    assert!(!hb.path().join("public").exists());
}

#[test]
fn strict_makes_warnings_stop_the_build() {
    let hb = fixture("site-basic");
    let out = build(hb.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!hb.path().join("site").exists());
    assert!(text(&out, hb.path()).contains("error[review-overdue]"));
}

#[test]
fn refuses_unsafe_output_folders_and_touches_nothing() {
    let hb = fixture("site-basic");
    write(hb.path(), "public/notes.txt", "mine");
    std::fs::write(hb.path().join("a-file"), "x").unwrap();
    let before = tree(hb.path());
    for (out_dir, reason) in [
        (".", "it is the handbook root"),
        ("..", "it contains the handbook root"),
        ("public", "it holds files opsbook did not generate"),
        ("a-file", "it is a file"),
    ] {
        let out = build(hb.path(), &["--out", out_dir]);
        assert_eq!(out.status.code(), Some(2), "--out {out_dir}");
        let msg = text(&out, hb.path());
        assert!(msg.contains(reason), "--out {out_dir}: {msg}");
        assert_eq!(tree(hb.path()), before, "--out {out_dir} changed files");
    }
    let out = build(hb.path(), &["--out", "public"]);
    insta::assert_snapshot!("refused_output", text(&out, hb.path()));
}

#[test]
fn a_rebuild_replaces_the_whole_site() {
    let hb = fixture("site-basic");
    build(hb.path(), &[]);
    std::fs::remove_file(hb.path().join("roadmap/mobile.md")).unwrap();
    assert_eq!(build(hb.path(), &[]).status.code(), Some(0));
    let site = hb.path().join("site");
    assert!(!site.join("roadmap/mobile.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(hb.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".opsbook-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// An unchanged file of the previous site is hard-linked into the new one (no new inode, same
/// modification time); a changed one is written anew, and the old site is never written
/// through a shared link.
#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_rewrites_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let hb = fixture("site-basic");
    assert_eq!(build(hb.path(), &[]).status.code(), Some(0));
    let site = hb.path().join("site");
    let ino = |rel: &str| std::fs::metadata(site.join(rel)).unwrap().ino();
    let (css, item) = (ino("assets/style.css"), ino("roadmap/mobile.html"));
    let before = page(&site, "roadmap/mobile.html");
    // Keep a second name for the old page: the rebuild must not change what it points to.
    let kept = hb.path().join("old-mobile.html");
    std::fs::hard_link(site.join("roadmap/mobile.html"), &kept).unwrap();
    let doc = hb.path().join("roadmap/mobile.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    write(
        hb.path(),
        "roadmap/mobile.md",
        &format!("{text}\nA new closing line.\n"),
    );
    assert_eq!(build(hb.path(), &[]).status.code(), Some(0));
    assert_eq!(ino("assets/style.css"), css, "an unchanged file is linked");
    assert_ne!(
        ino("roadmap/mobile.html"),
        item,
        "a changed file is a new file"
    );
    assert!(page(&site, "roadmap/mobile.html").contains("A new closing line."));
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), before);
    // The whole rebuilt site equals a build into a fresh folder.
    assert_eq!(build(hb.path(), &["--out", "fresh"]).status.code(), Some(0));
    assert_same_tree(&hb.path().join("fresh"), &site);
}

/// Board columns: by RICE score, highest first, then by title (case-insensitive), items
/// without a score last; shipped items newest first.
#[test]
fn board_columns_are_sorted_by_score_then_title_and_shipped_by_date() {
    let hb = fixture("site-basic");
    let item = |title: &str, status: &str, extra: &str| {
        format!("---\ntitle: {title}\nstatus: {status}\nowner: ana\n{extra}---\n# {title}\n")
    };
    let rice = |reach: u32| {
        format!("score:\n  rice: {{reach: {reach}, impact: 1, confidence: 1, effort: 1}}\n")
    };
    for (id, title, status, extra) in [
        ("n-low", "Low", "next", rice(10)),
        ("n-zeta", "zeta", "next", rice(50)),
        ("n-alpha", "Alpha", "next", rice(50)),
        ("n-none", "Aardvark", "next", String::new()),
        ("n-high", "High", "next", rice(90)),
        (
            "s-old",
            "Old",
            "shipped",
            "shipped: 2026-01-05\n".to_string(),
        ),
        (
            "s-new",
            "New",
            "shipped",
            "shipped: 2026-06-05\n".to_string(),
        ),
    ] {
        write(
            hb.path(),
            &format!("roadmap/{id}.md"),
            &item(title, status, &extra),
        );
    }
    let out = build(hb.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let board = page(&hb.path().join("site"), "roadmap/index.html");
    let order = |column: &str, ids: &[&str]| {
        let start = board.find(&format!("id=\"col-{column}\"")).unwrap();
        let col = &board[start..];
        let col = &col[..col.find("</details>").unwrap()];
        let at: Vec<usize> = ids
            .iter()
            .map(|id| {
                col.find(&format!("{id}.html"))
                    .unwrap_or_else(|| panic!("{id}"))
            })
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{column}: {ids:?} at {at:?}"
        );
    };
    order("next", &["n-high", "n-alpha", "n-zeta", "n-low", "n-none"]);
    order("shipped", &["s-new", "s-old"]);
}

/// `OPSBOOK_TIMINGS=1` prints one line per phase with its time and the peak memory so far on
/// stderr; without it, nothing of the kind.
#[test]
fn timings_are_printed_only_when_asked_for() {
    let hb = fixture("site-basic");
    let out = opsbook(hb.path())
        .args(["build"])
        .env("OPSBOOK_TIMINGS", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("timing: ")).collect();
    for phase in [
        "read",
        "model",
        "validate",
        "render: pages",
        "render + write",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("timing: {phase} "))),
            "{phase} in {err}"
        );
    }
    assert!(lines.iter().all(|l| l.contains(" s  (total ")), "{err}");
    if cfg!(target_os = "linux") {
        assert!(lines.iter().all(|l| l.contains("peak RSS")), "{err}");
    }
    let quiet = build(hb.path(), &[]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("timing:"));
}

#[test]
fn two_builds_are_byte_identical() {
    let hb = fixture("example-repo");
    assert_eq!(build(hb.path(), &["--out", "one"]).status.code(), Some(0));
    let out = opsbook(hb.path())
        .args(["build", "--out", "two"])
        .env("SOURCE_DATE_EPOCH", "1795392000") // 2026-11-23T00:00:00Z
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    assert!(tree(&hb.path().join("one")).len() > 100);
    assert_same_tree(&hb.path().join("one"), &hb.path().join("two"));
    assert!(page(&hb.path().join("one"), "index.html").contains(TODAY));
}

#[cfg(unix)]
#[test]
fn templates_are_never_ejected_out_of_the_handbook_through_a_link() {
    let hb = fixture("site-basic");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), hb.path().join("templates")).unwrap();
    for args in [
        &["templates", "eject"][..],
        &["templates", "eject", "--force"],
    ] {
        let out = opsbook(hb.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let msg = text(&out, hb.path());
        assert!(msg.contains("leads out of the handbook"), "{msg}");
    }
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    // Named on the command line, a folder is the user's choice.
    let out = opsbook(hb.path())
        .args(["templates", "eject"])
        .arg(outside.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(outside.path().join("base.html").is_file());
}

#[test]
fn templates_can_be_ejected_and_overridden() {
    let hb = fixture("site-basic");
    let out = opsbook(hb.path())
        .args(["templates", "eject"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out, hb.path()).contains("wrote templates/partials/card.html"));
    // The ejected templates render the same site as the built-ins.
    build(hb.path(), &["--out", "ejected"]);
    std::fs::rename(hb.path().join("templates"), hb.path().join("kept")).unwrap();
    build(hb.path(), &["--out", "builtin"]);
    assert_eq!(
        tree(&hb.path().join("ejected")),
        tree(&hb.path().join("builtin"))
    );
    // One file replaces one built-in; a typo is a warning.
    write(
        hb.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Lost, {{ site.title }}?</p>{% endblock main %}",
    );
    write(hb.path(), "templates/bord.html", "x");
    let out = build(hb.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let msg = text(&out, hb.path());
    assert!(
        msg.contains("templates/bord.html: warning[unknown-template]"),
        "{msg}"
    );
    assert!(msg.contains("did you mean `board.html`?"), "{msg}");
    assert!(page(&hb.path().join("site"), "404.html").contains("<p>Lost, Acme Handbook?</p>"));
    // A template that does not parse stops the build with exit code 2.
    write(hb.path(), "templates/board.html", "{% if %}");
    let out = build(hb.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let msg = text(&out, hb.path());
    assert!(
        msg.starts_with("error: template templates/board.html could not be rendered"),
        "{msg}"
    );
}

#[test]
fn init_templates_ejects_into_the_handbook_and_keeps_edits() {
    let hb = fixture("site-basic");
    write(hb.path(), "templates/404.html", "mine");
    let out = opsbook(hb.path())
        .args(["init", "--templates"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let msg = text(&out, hb.path());
    assert!(msg.contains("wrote templates/board.html"), "{msg}");
    assert!(msg.contains("kept templates/404.html"), "{msg}");
    assert_eq!(
        std::fs::read_to_string(hb.path().join("templates/404.html")).unwrap(),
        "mine"
    );
    // No handbook files were scaffolded.
    assert!(!hb.path().join(".pre-commit-config.yaml").exists());
}

/// A handbook of pages only: the navigation and the home page leave out the sections it does
/// not use, whose pages are still written (a link to them still leads somewhere).
#[test]
fn sections_without_documents_are_left_out_of_the_navigation() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "opsbook.yml", "title: Docs\n");
    write(
        dir.path(),
        "guide.md",
        "# Guide\n\nSee [the reference](reference.md).\n",
    );
    write(
        dir.path(),
        "reference.md",
        "# Reference\n\nBack to [the guide](guide.md).\n",
    );
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir.path()));
    let site = dir.path().join("site");
    let home = page(&site, "index.html");
    let nav = home.split("</nav>").next().unwrap();
    for gone in [
        "Roadmap",
        "Timeline",
        "Charters",
        "Processes",
        "Teams",
        "Roles",
        "People",
    ] {
        assert!(!nav.contains(&format!(">{gone}<")), "{gone} in\n{nav}");
    }
    for kept in [">Pages<", ">Changes<", ">Health<"] {
        assert!(nav.contains(kept), "{kept} missing from\n{nav}");
    }
    let main = main_of(&home);
    assert!(!main.contains("counts-heading"), "{main}");
    assert!(!main.contains("now-heading"), "{main}");
    assert!(
        main.contains("Pages <span class=\"count\">2</span>"),
        "{main}"
    );
    assert!(!main.contains("roadmap/index.html"), "{main}");
    assert!(site.join("roadmap/index.html").is_file());
    // With a roadmap item, the roadmap sections come back.
    write(
        dir.path(),
        "roadmap/a.md",
        "---\ntitle: A\nstatus: later\n---\n",
    );
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir.path()));
    let home = page(&site, "index.html");
    assert!(home.contains(">Roadmap<") && home.contains("counts-heading"));
}
