//! `opsbook init --adopt` on repositories that have their docs already: a Jekyll/Eleventy-style
//! handbook (shortcodes, `{#id}` headings, folder links, pretty URLs under a base path, a
//! navigation data file, build output), a folder of RFCs and a folder of standards. After it,
//! `check` reports the planted defects only, and `build` (with a baseline of them) writes a site
//! whose every link and anchor resolves, with no shortcode shown as text.

use std::path::Path;

use tempfile::TempDir;

use super::linkcheck::assert_links_resolve;
use super::support::{TODAY, build, fixture, opsbook, page, text, tree, write};

/// A copy of the fixture `case` (its `.gitignore` is kept as `dot-gitignore`, so that this
/// repository's git does not read it) with the config `init --adopt` proposed.
fn adopted(case: &str) -> TempDir {
    let hb = fixture(case);
    let kept = hb.path().join("dot-gitignore");
    if kept.exists() {
        std::fs::rename(&kept, hb.path().join(".gitignore")).unwrap();
    }
    let out = opsbook(hb.path())
        .args(["init", "--adopt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    hb
}

/// The config `init --adopt` wrote in `dir`, which holds each of `lines`.
fn config_with(dir: &Path, lines: &[&str]) -> String {
    let config = std::fs::read_to_string(dir.join("opsbook.yml")).unwrap();
    for line in lines {
        assert!(config.lines().any(|l| l == *line), "{line} in\n{config}");
    }
    config
}

type Finding = (String, u64, u64, String);

/// `check --format json` in `dir`: exit code and findings (path, line, column, rule).
fn check(dir: &Path, args: &[&str]) -> (i32, Vec<Finding>) {
    let out = opsbook(dir)
        .args(["check", "--format", "json", "--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out, dir)));
    let found = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap(), found)
}

fn expect(rows: &[(&str, u64, u64, &str)]) -> Vec<Finding> {
    rows.iter()
        .map(|(p, l, c, r)| (p.to_string(), *l, *c, r.to_string()))
        .collect()
}

/// Build with a baseline of today's findings: the site every acceptance test looks at.
fn build_with_baseline(dir: &Path) -> std::path::PathBuf {
    let out = opsbook(dir)
        .args([
            "check",
            "--today",
            TODAY,
            "--write-baseline",
            "ci/baseline.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir));
    let out = build(dir, &["--baseline", "ci/baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir));
    let site = dir.join("site");
    assert!(assert_links_resolve(&site, None) > 20);
    assert_no_shortcodes(&site);
    site
}

/// No page shows a template shortcode as text (code spans and blocks may quote one).
fn assert_no_shortcodes(site: &Path) {
    for (rel, bytes) in tree(site) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let mut shown = String::new();
        for (i, part) in html.split("<code").enumerate() {
            let after = if i == 0 {
                part
            } else {
                part.split_once("</code>").map_or("", |(_, rest)| rest)
            };
            shown.push_str(after);
        }
        for mark in ["{{", "}}", "{%", "%}", "{#"] {
            assert!(!shown.contains(mark), "{}: shows `{mark}`", rel.display());
        }
    }
}

#[test]
fn a_generator_handbook_reports_only_its_planted_defects_and_builds() {
    let hb = adopted("adopt-handbook");
    let config = config_with(
        hb.path(),
        &[
            "  - \"/_site/\"",
            "  - \"node_modules/\"",
            "  extensionless: true",
            "  pretty_urls: true",
            "  base_path: /handbook/",
            "  nav: [\"_data/navigation.yml\"]",
            "  shortcodes: strip",
            "  roadmap: hide",
        ],
    );
    let (code, found) = check(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("guide/faq.md", 3, 1, "unknown-field"),
            ("guide/old-notes.md", 1, 1, "orphan-page"),
            ("guide/old-notes.md", 6, 34, "broken-anchor"),
            ("guide/onboarding.md", 20, 44, "broken-link"),
        ])
    );
    assert_eq!(code, 1);
    let site = build_with_baseline(hb.path());
    // The root's index.md is the home page; a folder's index or README is the folder's page.
    let home = page(&site, "index.html");
    assert!(
        home.contains(r#"<a href="guide/index.html">the guide</a>"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<a href="policies/README.html">our policies</a>"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<a href="guide/setup.html">set up your laptop</a>"#),
        "{home}"
    );
    // `{#id}` sets the anchor and is not shown; the image next to the page is copied.
    let setup = page(&site, "guide/setup.html");
    assert!(
        setup.contains("<h2 id=\"install-tools\">Install the tools</h2>"),
        "{setup}"
    );
    assert!(site.join("guide/img/diagram.png").is_file());
    // Ignored and build-output files are no pages; hidden sections have no page or nav entry.
    for gone in [
        "guide/stale.html",
        "drafts/wip.html",
        "roadmap/index.html",
        "people/index.html",
    ] {
        assert!(!site.join(gone).exists(), "{gone}");
    }
    assert!(
        !home.contains(">Roadmap<") && !home.contains(">People<"),
        "{home}"
    );
    // The handbook's own files are untouched, and a second adoption refuses to overwrite.
    let out = opsbook(hb.path())
        .args(["init", "--adopt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out, hb.path()).contains("refusing to overwrite"));
    assert_eq!(
        std::fs::read_to_string(hb.path().join("opsbook.yml")).unwrap(),
        config
    );
}

#[test]
fn a_folder_of_rfcs_becomes_a_kind_and_reports_its_typo() {
    let hb = adopted("adopt-rfcs");
    let config = config_with(
        hb.path(),
        &[
            "      stage: {type: enum, values: [accepted, draft, implemented, proposed, rejected], required: true}  # 5 words",
            "      pr: {type: url, required: true}  # URLs",
        ],
    );
    assert!(!config.contains("teems"), "{config}");
    let (code, found) = check(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("rfcs/0005-offline-mode.md", 8, 1, "unknown-field"),
            ("rfcs/0006-graphql.md", 5, 5, "field-type"),
        ])
    );
    assert_eq!(code, 1);
    let site = build_with_baseline(hb.path());
    // A link to the folder leads to the kind's index page.
    let readme = page(&site, "README.html");
    assert!(
        readme.contains(r#"<a href="rfc/index.html">in rfcs/</a>"#),
        "{readme}"
    );
    assert!(page(&site, "rfc/0002-monorepo.html").contains("0001-rfc-process.html#stages"));
}

#[test]
fn standards_with_ids_in_their_frontmatter_and_extensionless_links() {
    let hb = adopted("adopt-standards");
    config_with(
        hb.path(),
        &[
            "      requires: {type: list, of: ref, to: [eip]}  # ids of eip documents",
            "      status: {type: enum, values: [Draft, Final, Living], required: true}  # 3 words",
            "    aliases: {eip: id}",
            "  extensionless: true",
        ],
    );
    let (code, found) = check(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("EIPS/eip-4844.md", 7, 9, "field-enum"),
            ("EIPS/eip-4844.md", 11, 29, "unresolved-ref"),
            ("EIPS/eip-7702.md", 20, 50, "broken-link"),
        ])
    );
    assert_eq!(code, 1);
    let site = build_with_baseline(hb.path());
    let eip = page(&site, "eip/1559.html");
    assert!(eip.contains(r#"href="2718.html""#), "{eip}");
}

/// A finding in the baseline survives lines inserted above it; a new one fails; the summary
/// says how many the baseline held.
#[test]
fn baselines_survive_moved_lines_and_fail_on_new_findings() {
    let hb = adopted("adopt-standards");
    let dir = hb.path();
    let out = opsbook(dir)
        .args([
            "check",
            "--today",
            TODAY,
            "--write-baseline",
            "baseline.json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        text(&out, dir),
        "3 errors, 0 warnings in 12 files
wrote 3 findings to baseline.json: `opsbook check \
         --baseline baseline.json` reports only new ones
"
    );
    assert_eq!(out.status.code(), Some(0));
    // It prints a summary, not a report: asking for a report's format is a usage error, not
    // a human summary where a script reads JSON.
    let out = opsbook(dir)
        .args(["check", "--write-baseline", "b.json", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out, dir).contains("cannot be used with"),
        "{}",
        text(&out, dir)
    );
    assert!(!dir.join("b.json").exists());
    let file = dir.join("EIPS/eip-7702.md");
    let old = std::fs::read_to_string(&file).unwrap();
    let moved = old.replacen(
        "## Abstract\n",
        "## Abstract\n\nA new paragraph,\nover three lines,\nabove the finding.\n",
        1,
    );
    write(dir, "EIPS/eip-7702.md", &moved);
    let (code, found) = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!((code, found), (0, vec![]));
    let out = opsbook(dir)
        .args(["check", "--today", TODAY, "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert!(
        text(&out, dir)
            .ends_with("0 errors, 0 warnings in 12 files; 3 known findings in the baseline\n"),
        "{}",
        text(&out, dir)
    );
    // One more broken link, the same one again: the baseline held one of it.
    write(
        dir,
        "EIPS/eip-7702.md",
        &format!("{moved}\nAnd again: [EIP-7000](./eip-7000).\n"),
    );
    let (code, found) = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(
        found,
        expect(&[("EIPS/eip-7702.md", 30, 12, "broken-link")])
    );
    assert_eq!(code, 1);
    let out = build(dir, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out, dir));
    assert!(text(&out, dir).contains("EIPS/eip-7702.md:30:12: error[broken-link]"));
    // Fixed: the build goes through, and says the baseline holds a finding that is gone.
    write(
        dir,
        "EIPS/eip-7702.md",
        &moved.replace("[EIP-7000](./eip-7000)", "EIP-7000"),
    );
    let out = build(dir, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir));
    assert!(
        text(&out, dir)
            .contains("2 known findings in the baseline; 1 finding of the baseline fixed"),
        "{}",
        text(&out, dir)
    );
}

/// A page another generator's navigation lists (by `parent`, `nav_order`,
/// `eleventyNavigation`, `sidebar_position`, `menu` or `weight`) is no orphan.
#[test]
fn pages_in_a_generators_navigation_are_not_orphans() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# Docs\n");
    write(dir.path(), "a.md", "---\nparent: Docs\n---\n# A\n");
    write(
        dir.path(),
        "b.md",
        "---\neleventyNavigation: {key: B}\n---\n# B\n",
    );
    write(dir.path(), "c.md", "---\nlayout: page\n---\n# C\n");
    let (_, found) = check(dir.path(), &[]);
    assert_eq!(found, expect(&[("c.md", 1, 1, "orphan-page")]));
}

/// `sections:` hides a section (no page while it has no documents, no navigation entry) or
/// shows one without documents; a document may take a hidden section's place.
#[test]
fn sections_are_hidden_or_shown_and_documents_take_hidden_places() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "opsbook.yml",
        "title: Docs\nsections: {people: hide, roadmap: hide, timeline: hide, flow: hide, processes: show}\n",
    );
    write(
        dir.path(),
        "README.md",
        "# Docs\n\n[who](people/) and [plan](roadmap/)\n",
    );
    write(dir.path(), "people/index.md", "# Who we are\n");
    let (code, found) = check(dir.path(), &[]);
    assert_eq!(found, expect(&[("README.md", 3, 20, "broken-link")]));
    assert_eq!(code, 1);
    write(dir.path(), "README.md", "# Docs\n\n[who](people/)\n");
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, dir.path()));
    let site = dir.path().join("site");
    assert!(page(&site, "people/index.html").contains("Who we are"));
    assert!(!site.join("roadmap/index.html").exists());
    assert!(!site.join("roadmap/timeline.html").exists());
    let readme = page(&site, "README.html");
    let nav = readme.split("</nav>").next().unwrap();
    assert!(nav.contains(">Processes<"), "{nav}");
    assert!(
        !nav.contains(">People<") && !nav.contains(">Roadmap<"),
        "{nav}"
    );
    assert!(
        readme.contains(r#"<a href="people/index.html">who</a>"#),
        "{readme}"
    );
    assert_links_resolve(&site, None);
}

#[test]
fn hugo_pages_with_toml_frontmatter_are_read_and_never_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let hb = dir.path();
    write(
        hb,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome. Read the [pricing policy](pricing.md).\n",
    );
    write(
        hb,
        "content/pricing.md",
        "+++\ntitle = \"Pricing policy\"\ntags = [\"billing\"]\ndate = 2024-05-01\n\
         draft = false\n[params]\nowner = \"ana\"\n+++\n\n## Plans\n\nThree plans.\n",
    );
    write(
        hb,
        "content/broken.md",
        "+++\ntitle = \"Broken\"\nweight = ten\n+++\nx\n",
    );
    write(
        hb,
        "content/open.md",
        "+++\ntitle = \"Open\"\n\nNo closing line.\n",
    );
    write(
        hb,
        "hugo.toml",
        "baseURL = \"https://example.org/handbook/\"\ntitle = \"Team handbook\"\n",
    );
    let out = opsbook(hb).args(["init", "--adopt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb));
    config_with(hb, &["title: Team handbook"]);

    let (code, found) = check(hb, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        expect(&[
            ("content/broken.md", 3, 10, "frontmatter-invalid"),
            ("content/open.md", 1, 1, "frontmatter-invalid"),
        ])
    );
    let out = opsbook(hb)
        .args(["check", "--today", TODAY, "content/open.md"])
        .output()
        .unwrap();
    assert!(
        text(&out, hb).contains("frontmatter starts with `+++` but never ends"),
        "{}",
        text(&out, hb)
    );

    let site = build_with_baseline(hb);
    let pricing = page(&site, "content/pricing.html");
    assert!(pricing.contains("<h1>Pricing policy</h1>"), "{pricing}");
    assert!(pricing.contains("billing"), "the tag is shown: {pricing}");
    // Every page but the one whose block never ends (all of it is its body).
    for (rel, bytes) in tree(&site) {
        let html = String::from_utf8_lossy(&bytes);
        if rel.ends_with("content/open.html") || html.contains("No closing line.") {
            continue;
        }
        assert!(
            !html.contains("+++") && !html.contains("owner = "),
            "{} shows the TOML block as text",
            rel.display()
        );
    }
}

#[test]
fn an_mkdocs_navigation_counts_and_the_page_left_out_of_it_is_the_orphan() {
    let dir = tempfile::tempdir().unwrap();
    let hb = dir.path();
    write(
        hb,
        "mkdocs.yml",
        "site_name: Team docs\ndocs_dir: pages # where the pages are\nnav:\n  - Home: index.md\n  \
         - 'User guide':\n      - 'Writing': 'guide/writing.md'\n      - Styling: guide/styling.md\n",
    );
    write(hb, "pages/index.md", "# Home\n\nWelcome.\n");
    write(hb, "pages/guide/writing.md", "# Writing\n\nText.\n");
    write(hb, "pages/guide/styling.md", "# Styling\n\nText.\n");
    write(hb, "pages/guide/old.md", "# Old\n\nNobody links here.\n");
    write(hb, "pages/guide/notes.md", "# Notes\n\nNor here.\n");
    let out = opsbook(hb).args(["init", "--adopt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb));
    config_with(hb, &["  nav: [mkdocs.yml]"]);
    let (code, found) = check(hb, &[]);
    assert_eq!(code, 0, "{found:?}");
    assert_eq!(
        found,
        expect(&[
            ("pages/guide/notes.md", 1, 1, "orphan-page"),
            ("pages/guide/old.md", 1, 1, "orphan-page"),
        ])
    );
}

#[test]
fn an_mdbook_summary_is_the_navigation_and_never_an_orphan() {
    let dir = tempfile::tempdir().unwrap();
    let hb = dir.path();
    write(
        hb,
        "book.toml",
        "[book]\ntitle = \"The Ops Book\"\nsrc = \"text\"\n",
    );
    write(
        hb,
        "text/SUMMARY.md",
        "# Summary\n\n[Introduction](README.md)\n\n- [Guide](guide/index.md)\n  \
         - [Setup](guide/setup.md)\n- [FAQ](faq.md)\n",
    );
    write(hb, "text/README.md", "# Introduction\n\nHello.\n");
    write(hb, "text/guide/index.md", "# Guide\n");
    write(hb, "text/guide/setup.md", "# Setup\n");
    write(hb, "text/faq.md", "# FAQ\n");
    write(hb, "text/old.md", "# Old\n\nLeft out of the summary.\n");
    let out = opsbook(hb).args(["init", "--adopt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb));
    config_with(hb, &["title: The Ops Book", "  nav: [text/SUMMARY.md]"]);
    let (code, found) = check(hb, &[]);
    assert_eq!(code, 0, "{found:?}");
    assert_eq!(found, expect(&[("text/old.md", 1, 1, "orphan-page")]));
}
