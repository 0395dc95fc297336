//! `opsbook init` and `opsbook new`.

use super::support::{self, TODAY, opsbook};

const INIT_FILES: &[&str] = &[
    "opsbook.yml",
    "org.yml",
    "roadmap/handbook-in-git.md",
    "charters/product.md",
    "processes/roadmap-review.md",
    "guides/getting-started.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/handbook.yml",
];

#[test]
fn init_writes_a_handbook_that_passes_check() {
    let tmp = support::tempdir();
    let out = opsbook(tmp.path())
        .args(["init", "book", "--today", TODAY])
        .assert()
        .code(0);
    let text = support::stdout(&out, tmp.path());
    for f in INIT_FILES {
        assert!(text.contains(&format!("created book/{f}\n")), "{text}");
    }
    let book = tmp.path().join("book");
    let out = opsbook(&book)
        .args(["check", "--today", TODAY])
        .assert()
        .code(0);
    assert_eq!(
        support::stdout(&out, tmp.path()),
        "0 errors, 0 warnings in 5 files\n"
    );
    // Still clean under --strict ten weeks later, before the first review falls due.
    opsbook(&book)
        .args(["check", "--strict", "--today", "2027-01-31"])
        .assert()
        .code(0);
    for f in INIT_FILES {
        let text = support::read(&book.join(f));
        assert!(
            placeholders(&text).is_empty(),
            "{f}: {:?}",
            placeholders(&text)
        );
    }
    let charter = support::read(&book.join("charters/product.md"));
    assert!(
        charter.contains("\nlast_reviewed: 2026-11-23\n"),
        "{charter}"
    );
    let item = support::read(&book.join("roadmap/handbook-in-git.md"));
    // Next quarter: the item in Now is not late when the quarter turns.
    assert!(item.contains("\ntarget: 2027-Q1\n"), "{item}");
}

#[test]
fn init_ci_files_check_on_pull_requests_and_deploy_from_main() {
    let tmp = support::tempdir();
    opsbook(tmp.path())
        .args(["init", "--today", TODAY])
        .assert()
        .code(0);
    let workflow = support::read(&tmp.path().join(".github/workflows/handbook.yml"));
    for needle in [
        "pull_request:",
        "branches: [main]",
        "fetch-depth: 0",
        concat!("uses: opsbook/opsbook@v", env!("CARGO_PKG_VERSION"), "\n"),
        "          root: .\n          build: true\n          out: _site\n",
        "path: _site",
        "actions/deploy-pages@",
        "pages: write",
    ] {
        assert!(workflow.contains(needle), "{needle}\n{workflow}");
    }
    let hooks = support::read(&tmp.path().join(".pre-commit-config.yaml"));
    assert!(hooks.contains("id: opsbook-check"), "{hooks}");
    assert!(hooks.contains("entry: opsbook check\n"), "{hooks}");
    assert!(hooks.contains("files: '^(.*\\.md|org\\.yml)$'"), "{hooks}");
    // One run per commit, so one summary however many files a commit has.
    assert!(
        hooks.contains("\n        require_serial: true\n"),
        "{hooks}"
    );
    assert!(!workflow.contains("cargo install"), "{workflow}");
    // The built site is not committed.
    assert_eq!(
        support::read(&tmp.path().join(".gitignore")).lines().last(),
        Some("/site/")
    );
}

#[test]
fn init_keeps_an_existing_gitignore_and_says_what_to_add() {
    let tmp = support::tempdir();
    std::fs::write(tmp.path().join(".gitignore"), "target/\n").unwrap();
    let out = opsbook(tmp.path())
        .args(["init", "--today", TODAY])
        .assert()
        .code(0);
    let text = support::stdout(&out, tmp.path());
    assert!(!text.contains("created .gitignore"), "{text}");
    assert!(
        text.contains("kept .gitignore (it exists): add `/site/` to it"),
        "{text}"
    );
    assert_eq!(support::read(&tmp.path().join(".gitignore")), "target/\n");
    assert!(tmp.path().join("opsbook.yml").is_file());
}

#[test]
fn init_in_a_subfolder_of_a_repository_puts_ci_files_at_its_root() {
    let tmp = support::tempdir();
    support::mark_git_root(tmp.path());
    opsbook(tmp.path())
        .args(["init", "docs/handbook", "--today", TODAY])
        .assert()
        .code(0);
    assert!(tmp.path().join("docs/handbook/opsbook.yml").is_file());
    assert!(!tmp.path().join("docs/handbook/.github").exists());
    assert!(tmp.path().join("docs/handbook/.gitignore").is_file());
    assert!(!tmp.path().join(".gitignore").exists());
    let workflow = support::read(&tmp.path().join(".github/workflows/handbook.yml"));
    assert_eq!(
        workflow
            .matches("\n          root: docs/handbook\n")
            .count(),
        2,
        "{workflow}"
    );
    let hooks = support::read(&tmp.path().join(".pre-commit-config.yaml"));
    assert!(
        hooks.contains("entry: opsbook check --root docs/handbook\n"),
        "{hooks}"
    );
    assert!(
        hooks.contains("files: '^docs/handbook/(.*\\.md|org\\.yml)$'"),
        "{hooks}"
    );
    // What the hook runs, from the repository root, with the files pre-commit passes.
    opsbook(tmp.path())
        .args(["check", "--root", "docs/handbook", "--today", TODAY])
        .args([
            "docs/handbook/org.yml",
            "docs/handbook/roadmap/handbook-in-git.md",
        ])
        .assert()
        .code(0);
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let tmp = support::tempdir();
    std::fs::write(tmp.path().join("org.yml"), "people: []\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("charters/product.md")).unwrap();
    let out = opsbook(tmp.path()).arg("init").assert().code(2);
    assert_eq!(support::stdout(&out, tmp.path()), "");
    assert_eq!(
        support::stderr(&out, tmp.path()),
        "error: refusing to overwrite 2 existing files; nothing was written:\n    org.yml\n    charters/product.md\n"
    );
    assert!(!tmp.path().join("opsbook.yml").exists());
    assert_eq!(support::read(&tmp.path().join("org.yml")), "people: []\n");
}

#[test]
fn new_writes_valid_frontmatter_with_the_owner_left_to_fill_in() {
    let tmp = support::fixture("ci-findings", "");
    let out = opsbook(tmp.path())
        .args(["new", "process", "vendor-review", "--today", TODAY])
        .assert()
        .code(0);
    assert_eq!(
        support::stdout(&out, tmp.path()),
        "created processes/vendor-review.md\n"
    );
    insta::assert_snapshot!(support::read(
        &tmp.path().join("processes/vendor-review.md")
    ));
    let out = opsbook(tmp.path())
        .args(["check", "processes/vendor-review.md", "--today", TODAY])
        .assert()
        .code(1);
    let text = support::stdout(&out, tmp.path());
    assert!(
        text.starts_with(
            "processes/vendor-review.md:3:8: error[unresolved-ref]: owner `TODO-owner` is not a person, role or team\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("1 error, 0 warnings in 1 file\n"), "{text}");
}

#[test]
fn new_writes_every_kind_in_its_folder() {
    let tmp = support::tempdir();
    let cases = [
        ("roadmap-item", "roadmap/x.md"),
        ("charter", "charters/x.md"),
        ("process", "processes/x.md"),
        ("person", "people/x.md"),
        ("role", "roles/x.md"),
        ("team", "teams/x.md"),
        ("objective", "objectives/x.md"),
        ("metric", "metrics/x.md"),
        ("launch", "launches/x.md"),
        ("page", "x.md"),
    ];
    for (kind, path) in cases {
        // Each kind has its own handbook: ids are unique per kind, but `x` would be ambiguous.
        let dir = tmp.path().join(kind);
        std::fs::create_dir_all(&dir).unwrap();
        opsbook(&dir)
            .args([
                "new",
                kind,
                "x",
                "--title",
                "X: the \"first\"",
                "--today",
                TODAY,
            ])
            .assert()
            .code(0);
        let text = support::read(&dir.join(path));
        let out = opsbook(&dir)
            .args(["check", "--format", "json", "--today", TODAY])
            .assert();
        let report = support::json(&out);
        let rules: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap())
            .collect();
        // Only the placeholders are findings (and a page nobody links to yet).
        let expected: &[&str] = match kind {
            "roadmap-item" | "process" | "charter" | "team" => &["unresolved-ref"],
            "page" => &["orphan-page"],
            // What the writer must fill in: the definition, the item launched.
            "metric" | "launch" => &["field-required"],
            _ => &[],
        };
        assert_eq!(rules, expected, "{kind}:\n{text}");
        // Kinds without a template start from their spec: the quarter of today, the
        // structures they hold with what those take.
        match kind {
            "objective" => {
                assert!(text.contains("\nperiod: 2026-Q4 # a period"), "{text}");
                assert!(text.contains("\nstatus: draft # one of draft"), "{text}");
                assert!(text.contains("\nkey_results: # a list of key results `{id, title, metric, baseline, target, current,"), "{text}");
            }
            "launch" => assert!(
                text.contains("\nchecklist: # a list of tasks `{task, owner, due, done}`"),
                "{text}"
            ),
            _ => {}
        }
        assert!(text.contains("X: the \"first\""), "{text}");
    }
}

/// A page may live in a subfolder, even one that holds another kind: it then says it is a
/// page.
#[test]
fn new_writes_pages_in_subfolders() {
    let tmp = support::tempdir();
    for (id, path, kind_line) in [
        (
            "guides/onboarding/first-week",
            "guides/onboarding/first-week.md",
            false,
        ),
        ("launches/q1-plan", "launches/q1-plan.md", true),
    ] {
        opsbook(tmp.path())
            .args(["new", "page", id, "--today", TODAY])
            .assert()
            .code(0);
        let text = support::read(&tmp.path().join(path));
        assert_eq!(text.contains("kind: page\n"), kind_line, "{text}");
        let title = if kind_line { "Q1 plan" } else { "First week" };
        assert!(text.contains(&format!("\n# {title}\n")), "{text}");
    }
    let out = opsbook(tmp.path())
        .args(["check", "--format", "json", "--today", TODAY])
        .assert();
    let report = support::json(&out);
    let found: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("guides/onboarding/first-week.md", "orphan-page"),
            ("launches/q1-plan.md", "orphan-page")
        ]
    );
    let out = opsbook(tmp.path())
        .args(["new", "page", "guides/Bad Name"])
        .assert()
        .code(2);
    assert!(support::stderr(&out, tmp.path()).contains("help: try `guides/bad-name`"));
    let out = opsbook(tmp.path())
        .args(["new", "process", "a/b"])
        .assert()
        .code(2);
    assert!(support::stderr(&out, tmp.path()).contains("id `a/b`"));
}

#[test]
fn new_refuses_bad_kinds_ids_and_existing_documents() {
    let tmp = support::fixture("ci-findings", "");
    let cases = [
        (
            vec!["new", "proces", "x"],
            "error: `proces` is not a kind\n    help: did you mean `process`?\n",
        ),
        (
            vec!["new", "process", "Vendor_Review"],
            "error: id `Vendor_Review` must be lowercase letters and digits in words joined by single `-`\n    help: try `vendor-review`\n",
        ),
        (
            vec!["new", "person", "tomas-berg"],
            "error: person `tomas-berg` already exists in org.yml\n",
        ),
        (
            vec!["new", "process", "triage"],
            "error: process `triage` already exists in processes/triage.md\n",
        ),
    ];
    for (args, expected) in cases {
        let out = opsbook(tmp.path()).args(&args).assert().code(2);
        assert_eq!(support::stderr(&out, tmp.path()), expected, "{args:?}");
    }
    // A file in the way that is not a document of that id is not overwritten either.
    std::fs::write(tmp.path().join("roadmap/y.md"), "---\nid: other\n---\n").unwrap();
    let out = opsbook(tmp.path())
        .args(["new", "roadmap-item", "y"])
        .assert()
        .code(2);
    assert!(support::stderr(&out, tmp.path()).contains("refusing to overwrite an existing file"));
    assert_eq!(
        support::read(&tmp.path().join("roadmap/y.md")),
        "---\nid: other\n---\n"
    );
}

/// Template placeholders (`@NAME@`) left in a text.
fn placeholders(text: &str) -> Vec<&str> {
    let parts: Vec<&str> = text.split('@').collect();
    parts[1..parts.len().saturating_sub(1).max(1)]
        .iter()
        .copied()
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect()
}
