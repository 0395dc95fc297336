//! `init --adopt` on small repositories in a temp folder.

use super::*;
use kinds::kind_name;

use crate::discover::temp_files as repo;

#[test]
fn kind_names_are_singular_ids_the_handbook_can_take() {
    assert_eq!(kind_name("rfcs", &[]), "rfc");
    assert_eq!(kind_name("docs/EIPS", &[]), "eip");
    assert_eq!(kind_name("policies", &[]), "policy");
    assert_eq!(kind_name("processes", &[]), "process-doc");
    assert_eq!(kind_name("roadmap", &[]), "roadmap-doc");
    assert_eq!(kind_name("2024", &[]), "doc-2024");
    assert_eq!(kind_name("Standards Track", &[]), "standards-track");
}

#[test]
fn build_output_is_found_by_name_and_html() {
    let dir = repo(&[
        ("_site/index.html", "x"),
        ("public/a/b.html", "x"),
        ("build/notes.md", "# source, not output"),
        ("docs/node_modules/x/package.json", "{}"),
        ("site/.opsbook-site", "x"),
        ("site/index.html", "x"),
    ]);
    let root = dir.path().canonicalize().unwrap();
    let outputs = build_outputs(&root);
    assert_eq!(outputs, ["_site", "docs/node_modules", "public"]);
    assert_eq!(own_output(&root, &outputs), "site");
    let dir = repo(&[("site/index.html", "x")]);
    let root = dir.path().canonicalize().unwrap();
    let outputs = build_outputs(&root);
    assert_eq!(outputs, ["site"]);
    assert_eq!(own_output(&root, &outputs), "_opsbook");
}

#[test]
fn docusaurus_versioned_docs_are_left_out_with_their_repeated_ids() {
    let doc = |title: &str| format!("---\nid: intro\ntitle: {title}\n---\n# {title}\n");
    let dir = repo(&[
        ("website/docs/intro.md", &doc("Intro")),
        (
            "website/versioned_docs/version-1.0/intro.md",
            &doc("Intro 1.0"),
        ),
        ("website/versioned_sidebars/version-1.0-sidebars.json", "{}"),
        ("README.md", "# Project\n\n[Docs](website/docs/intro.md)\n"),
    ]);
    let cwd = dir.path();
    let done = adopt(Path::new("."), cwd).unwrap();
    let text = std::fs::read_to_string(&done.config).unwrap();
    assert!(text.contains("/website/versioned_docs/"), "{text}");
    assert!(
        done.lines.iter().any(|l| l
            == "ignore /website/versioned_docs/: copies of earlier versions of the docs, never \
                edited here"),
        "{:?}",
        done.lines
    );
    let cfg = Config::parse(cwd.canonicalize().unwrap(), &done.config, &text).unwrap();
    let (files, _) = discover::sources(&cfg).unwrap();
    let (hb, _) = crate::model::build(&files, &cfg);
    let found = crate::validate::run(&hb, &cfg, jiff::civil::date(2026, 1, 1));
    assert!(
        found
            .iter()
            .all(|d| d.rule != crate::rules::Rule::DuplicateId),
        "{found:?}"
    );
}

#[test]
fn the_config_written_loads_and_nothing_is_overwritten() {
    let rfc = |stage: &str, team: &str, extra: &str| {
        format!(
            "---\ntitle: An RFC\nstage: {stage}\nteam: {team}\npr: https://github.com/acme/rfcs/pull/1\n\
             Start Date: 2024-01-02\n{extra}---\n# RFC\n"
        )
    };
    let dir = repo(&[
        ("rfcs/0001-a.md", &rfc("accepted", "core", "")),
        ("rfcs/0002-b.md", &rfc("draft", "web", "")),
        ("rfcs/0003-c.md", &rfc("draft", "core", "teem: web\n")),
        ("rfcs/0004-d.md", &rfc("accepted", "web", "")),
        (
            "processes/how-we-work.md",
            "---\ntitle: How we work\nlayout: page\n---\n# How\n",
        ),
        (
            "index.md",
            "---\nlayout: home\nowner: ana\n---\n# Home {{ site.title }}\n",
        ),
    ]);
    let cwd = dir.path();
    let done = adopt(Path::new("."), cwd).unwrap();
    let text = std::fs::read_to_string(&done.config).unwrap();
    let cfg = Config::parse(cwd.canonicalize().unwrap(), &done.config, &text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let rfc_kind = cfg.kinds.parse("rfc").expect(&text);
    let spec = cfg.kinds.spec(rfc_kind);
    let field = |n: &str| spec.field(n).unwrap_or_else(|| panic!("{n} in\n{text}"));
    assert_eq!(field("stage").ty.name(), "enum");
    assert!(field("stage").required, "{text}");
    assert_eq!(field("pr").ty.name(), "url");
    assert_eq!(field("start_date").ty.name(), "date");
    assert!(spec.field("teem").is_none(), "{text}");
    assert_eq!(cfg.kind_of_folder("processes"), Some(Kind::PAGE), "{text}");
    assert!(
        cfg.kinds.spec(Kind::PAGE).field("owner").is_some(),
        "{text}"
    );
    assert_eq!(cfg.markdown.shortcodes, crate::config::Shortcodes::Strip);
    assert_eq!(cfg.section("roadmap"), crate::config::SectionMode::Hide);
    assert!(
        done.lines
            .iter()
            .any(|l| l.contains("`teem`") && l.contains("`team`")),
        "{:?}",
        done.lines
    );
    // A second run refuses: the file exists.
    let again = adopt(Path::new("."), cwd).unwrap_err().to_string();
    assert!(again.contains("refusing to overwrite"), "{again}");
    assert_eq!(std::fs::read_to_string(&done.config).unwrap(), text);
}

#[test]
fn pages_taking_generated_pages_are_ignored_and_orphans_switched_off_when_most_are() {
    let mut files: Vec<(String, String)> = (1..=6)
        .map(|i| (format!("notes/n{i}.md"), format!("# Note {i}\n")))
        .collect();
    files.push((
        "404.md".into(),
        "---\nlayout: default\npermalink: /404.html\n---\n# Lost\n".into(),
    ));
    files.push(("search.md".into(), "# Search\n".into()));
    files.push(("README.md".into(), "# Notes\n\n[one](notes/n1.md)\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repo(&refs);
    let done = adopt(Path::new("."), dir.path()).unwrap();
    let text = std::fs::read_to_string(&done.config).unwrap();
    for line in [
        "  - \"/404.md\"",
        "  - \"/search.md\"",
        "rules:",
        "  orphan-page: off",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    assert!(
        done.lines
            .iter()
            .any(|l| l.starts_with("rules: orphan-page: off: no page links to 5 of the 7 pages")),
        "{:?}",
        done.lines
    );
    // With few orphans, the rule stays on: they are findings.
    let dir = repo(&[
        ("README.md", "# Hi\n\n[a](a.md) [b](b.md) [c](c.md)\n"),
        ("a.md", "# A\n"),
        ("b.md", "# B\n"),
        ("c.md", "# C\n"),
        ("d.md", "# D\n"),
    ]);
    let done = adopt(Path::new("."), dir.path()).unwrap();
    let text = std::fs::read_to_string(&done.config).unwrap();
    assert!(!text.contains("orphan-page"), "{text}");
}

/// Keys and values of any shape give a config that loads: keys no field can stand for are left
/// for `check`, words with commas or colons are quoted.
#[test]
fn odd_keys_and_values_still_give_a_config_that_loads() {
    let doc = |i: usize| {
        format!(
            "---\n\"\": x\n\"id \": {i}\n\"a\\u001bb\": 1\n\"Start Date\": 2024-01-0{i}\nstart_date: x\n\
             \"key: with colon\": \"v, {}\"\nphase: \"{}\"\nnested: {{a: [1, {{b: 2}}]}}\n---\n# Doc {i}\n",
            i % 2,
            ["x, y", "a: b", "[z]", "#h"][i % 4]
        )
    };
    let files: Vec<(String, String)> = (1..=8).map(|i| (format!("odd/d{i}.md"), doc(i))).collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repo(&refs);
    let done = adopt(Path::new("."), dir.path()).unwrap();
    let text = std::fs::read_to_string(&done.config).unwrap();
    let cfg = Config::parse(dir.path().canonicalize().unwrap(), &done.config, &text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let odd = cfg.kinds.parse("odd").expect(&text);
    let spec = cfg.kinds.spec(odd);
    assert_eq!(spec.field("phase").unwrap().ty.name(), "enum", "{text}");
    assert_eq!(spec.field("nested").unwrap().ty.name(), "any", "{text}");
    assert_eq!(
        spec.field_for_key("key: with colon").map(|f| &*f.name),
        Some("key_with_colon"),
        "{text}"
    );
    // `start_date` is left out: `Start Date` took its name.
    assert_eq!(
        spec.field_for_key("Start Date").map(|f| &*f.name),
        Some("start_date")
    );
    assert!(!text.contains("\"id\""), "{text}");
}

#[test]
fn links_from_the_site_root_find_the_folder_the_site_publishes() {
    // A Hugo- or Gatsby-style repository: the pages are under content/, their links are the
    // published site's paths from its root.
    let page =
        |title: &str, links: &str| format!("---\ntitle: {title}\n---\n# {title}\n\n{links}\n");
    let dir = repo(&[
        (
            "content/commands/npm-install.md",
            &page("npm-install", "See [config](/using-npm/config)."),
        ),
        (
            "content/commands/npm-run.md",
            &page(
                "npm-run",
                "See [install](/commands/npm-install) and [config](/using-npm/config#files).",
            ),
        ),
        (
            "content/using-npm/config.md",
            &page(
                "config",
                "## Files\n\nUsed by [npm run](/commands/npm-run).",
            ),
        ),
        ("README.md", "# The docs\n"),
    ]);
    let cwd = dir.path();
    let done = adopt(Path::new("."), cwd).unwrap();
    let text = std::fs::read_to_string(&done.config).unwrap();
    let cfg = Config::parse(cwd.canonicalize().unwrap(), &done.config, &text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(cfg.links.site_root.as_deref(), Some("content/"), "{text}");
    assert!(cfg.links.extensionless, "{text}");
    assert!(
        done.lines.iter().any(|l| l.contains("site_root: content")),
        "{:?}",
        done.lines
    );
}
