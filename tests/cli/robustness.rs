//! No input makes opsbook panic: arbitrary bytes and YAML-ish text through the splitter, the
//! YAML parser, the model and every rule, and through the real binary.

use std::path::PathBuf;

use proptest::prelude::*;

use opsbook::config::Config;
use opsbook::discover::{SourceFile, decode};
use opsbook::frontmatter;
use opsbook::rules::Rule;

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 23)
}

/// Build and validate a handbook of the given files, in memory.
fn check_files(files: Vec<(String, Vec<u8>)>) -> Vec<opsbook::diagnostic::Diagnostic> {
    let cfg = Config::defaults(PathBuf::from("/nonexistent-handbook-root"));
    let sources: Vec<SourceFile> = files
        .into_iter()
        .map(|(rel_path, bytes)| SourceFile {
            rel_path,
            text: decode(bytes).map(std::sync::Arc::new),
        })
        .collect();
    let (hb, mut diags) = opsbook::model::build(&sources, &cfg);
    diags.extend(opsbook::validate::run(&hb, &cfg, today()));
    diags
}

/// YAML-ish lines: keys of every kind, odd values, indentation, flow collections, quotes.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title".to_string()),
        Just("status".to_string()),
        Just("owner".to_string()),
        Just("depends_on".to_string()),
        Just("score".to_string()),
        Just("  rice".to_string()),
        Just("    reach".to_string()),
        Just("    confidence".to_string()),
        Just("responsibilities".to_string()),
        Just("  - A".to_string()),
        Just("    R".to_string()),
        Just("last_reviewed".to_string()),
        Just("target".to_string()),
        Just("kind".to_string()),
        Just("id".to_string()),
        "[a-z_]{1,8}",
    ];
    let value = prop_oneof![
        Just("now".to_string()),
        Just("2026-02-30".to_string()),
        Just("2026-Q4".to_string()),
        Just("[a, b".to_string()),
        Just("{x: 1}".to_string()),
        Just("80%".to_string()),
        Just("-1".to_string()),
        Just("~".to_string()),
        Just("*alias".to_string()),
        Just("&a x".to_string()),
        Just("\"quoted".to_string()),
        Just("|".to_string()),
        Just("no".to_string()),
        Just("1e999".to_string()),
        Just("roadmap-item:x".to_string()),
        ".{0,12}",
    ];
    proptest::collection::vec((key, value), 0..12).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let valid_utf8 = std::str::from_utf8(&bytes).is_ok();
        let diags = check_files(vec![("roadmap/x.md".into(), bytes.clone()), ("org.yml".into(), bytes)]);
        if !valid_utf8 {
            prop_assert!(diags.iter().any(|d| d.rule == Rule::NotUtf8));
        }
    }

    #[test]
    fn yamlish_frontmatter_never_panics_and_invalid_yaml_is_reported(yaml in yamlish(), crlf in any::<bool>(), bom in any::<bool>()) {
        let mut text = format!("---\n{yaml}---\n# Body\n\n[link](../x.md#a)\n");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        let stripped = frontmatter::strip_bom(&text);
        let split = frontmatter::split(stripped).expect("the block is terminated");
        let parsed = frontmatter::parse_yaml(split.yaml.unwrap(), split.yaml_line);
        let diags = check_files(vec![
            ("roadmap/x.md".into(), text.clone().into_bytes()),
            ("charters/c.md".into(), text.clone().into_bytes()),
            ("processes/p.md".into(), text.into_bytes()),
        ]);
        if parsed.is_err() {
            prop_assert!(diags.iter().any(|d| d.rule == Rule::FrontmatterInvalid), "{diags:?}");
        }
        for d in &diags {
            if let Some(span) = d.span {
                prop_assert!(span.line >= 1 && span.col >= 1, "{d:?}");
            }
        }
    }

    #[test]
    fn org_yml_never_panics(yaml in yamlish()) {
        let text = format!("people:\n  - id: a\n{}", yaml.lines().map(|l| format!("    {l}\n")).collect::<String>());
        let _ = check_files(vec![("org.yml".into(), text.into_bytes())]);
    }

    #[test]
    fn the_splitter_never_panics(text in "(---|\\.\\.\\.|\r|\n|[a-z: ]){0,40}") {
        if let Ok(split) = frontmatter::split(&text) {
            prop_assert!(split.body_line >= 1);
        }
    }
}

#[test]
fn the_binary_survives_garbage_files() {
    let hb = crate::support::empty();
    hb.write("roadmap/a.md", "---\n: : :\n---\n");
    hb.write("roadmap/b.md", "---\n[[[[\n---\n");
    hb.write(
        "charters/c.md",
        "---\nresponsibilities: [1, [2], {A: {x: y}}]\nroles: 5\n---\n",
    );
    hb.write("org.yml", "- just\n- a list\n");
    std::fs::write(hb.path().join("processes.md"), b"\xff\xfe\x00garbage").unwrap();
    let out = crate::support::opsbook(hb.path())
        .args(["check", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = crate::support::stderr(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Dangling links (an editor's `.#x.md` lock link among them) and link loops never stop a
/// run: hidden ones are skipped without a word, the others with a warning naming the link.
#[cfg(unix)]
#[test]
fn dangling_links_and_link_loops_are_skipped_with_a_warning() {
    use std::os::unix::fs::symlink;
    let hb = crate::support::fixture("valid-minimal");
    let root = hb.path();
    symlink("ana@laptop.4242:1700000000", root.join("roadmap/.#item.md")).unwrap();
    symlink(root.join("roadmap/gone.md"), root.join("roadmap/moved.md")).unwrap();
    symlink(root.join("loop-b.md"), root.join("loop-a.md")).unwrap();
    symlink(root.join("loop-a.md"), root.join("loop-b.md")).unwrap();
    symlink(root.join("guides"), root.join("guides/again")).unwrap();
    let (code, found, json) = crate::support::check_json(root, &[]);
    assert_eq!(
        (code, found),
        (
            0,
            crate::support::expect(&[
                ("guides/again", 0, 0, "symlink-skipped"),
                ("loop-a.md", 0, 0, "symlink-skipped"),
                ("loop-b.md", 0, 0, "symlink-skipped"),
                ("roadmap/moved.md", 0, 0, "symlink-skipped"),
            ])
        )
    );
    assert_eq!(json["files"].as_u64(), Some(6));
    let out = crate::support::opsbook(root)
        .args(["build", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::support::stderr(&out)
    );
}

/// Documents and `org.yml` linked from outside the handbook are not read (their text would
/// reach findings, exports and the site); a config file linked from outside stops the run
/// before its text is read.
#[cfg(unix)]
#[test]
fn documents_and_config_linked_out_of_the_root_are_not_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &crate::support::fixture_path("valid-minimal"),
        outside.path(),
    );
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: SECRET-DOC\n---\n",
    )
    .unwrap();
    std::fs::write(
        outside.path().join("passwd"),
        "root:x:0:0:SECRET-CONFIG:/root:/bin/sh\n",
    )
    .unwrap();
    let hb = crate::support::empty();
    symlink(outside.path().join("org.yml"), hb.path().join("org.yml")).unwrap();
    symlink(outside.path().join("secret.md"), hb.path().join("page.md")).unwrap();
    let out = crate::support::opsbook(hb.path())
        .args(["export", "--no-git", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let shown = crate::support::stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        !shown.contains("SECRET") && !shown.contains("people"),
        "{shown}"
    );
    let (_, found, _) = crate::support::check_json(hb.path(), &[]);
    assert_eq!(
        found,
        crate::support::expect(&[
            ("org.yml", 0, 0, "symlink-outside"),
            ("page.md", 0, 0, "symlink-outside"),
        ])
    );

    symlink(outside.path().join("passwd"), hb.path().join("opsbook.yml")).unwrap();
    let out = crate::support::opsbook(hb.path())
        .args(["check", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let stderr = crate::support::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("opsbook.yml: the config file is a symbolic link to a file outside"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET"), "{stderr}");
    // A config linked from inside the handbook is read.
    std::fs::write(hb.path().join("config.yml"), "title: Linked\n").unwrap();
    std::fs::remove_file(hb.path().join("opsbook.yml")).unwrap();
    symlink(hb.path().join("config.yml"), hb.path().join("opsbook.yml")).unwrap();
    let (code, _, _) = crate::support::check_json(hb.path(), &[]);
    assert_eq!(code, 0);
}

/// The `frontmatter-invalid` findings of `check --format json`: position, message and help.
fn yaml_findings(dir: &std::path::Path) -> Vec<(String, u64, u64, String, String)> {
    let (_, _, json) = crate::support::check_json(dir, &["--no-git"]);
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "frontmatter-invalid")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn yaml_errors_point_where_the_construct_starts_with_help_that_fits() {
    let hb = crate::support::empty();
    // `status: [now` is file line 3; the parser only stops at the `:` of line 4.
    hb.write(
        "roadmap/a.md",
        "---\ntitle: A\nstatus: [now\nowner: x\n---\n",
    );
    hb.write(
        "roadmap/b.md",
        "---\ntitle: A\n\tstatus: now\nowner: x\n---\n",
    );
    hb.write(
        "roadmap/c.md",
        "---\ntitle: A\nstatus: 'now\nowner: x\n---\n",
    );
    hb.write(
        "roadmap/d.md",
        "---\ntitle: A\nrice:\n    reach: 1\n  impact: 2\n---\n",
    );
    hb.write(
        "org.yml",
        "people:\n  - id: ana\n    roles: [pm, eng\n  - id: bo\n",
    );
    let found = yaml_findings(hb.path());
    let rows: Vec<_> = found
        .iter()
        .map(|(p, l, c, m, _)| (p.as_str(), *l, *c, m.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("org.yml", 3, 12, "invalid YAML: unclosed `[` opened here"),
            (
                "roadmap/a.md",
                3,
                9,
                "invalid YAML in frontmatter: unclosed `[` opened here"
            ),
            (
                "roadmap/b.md",
                3,
                1,
                "invalid YAML in frontmatter: a tab indents this line"
            ),
            (
                "roadmap/c.md",
                3,
                9,
                "invalid YAML in frontmatter: unclosed `'` opened here"
            ),
            (
                "roadmap/d.md",
                5,
                3,
                "invalid YAML in frontmatter: `impact:` is indented 2 spaces: more than `rice:` \
                 (line 3) and less than `reach:` (line 4)"
            ),
        ]
    );
    let helps: Vec<&str> = found.iter().map(|f| f.4.as_str()).collect();
    assert!(helps[1].starts_with("close the list with `]`"), "{helps:?}");
    assert!(helps[2].contains("spaces only"), "{helps:?}");
    assert!(helps[3].contains("`''`"), "{helps:?}");
    assert!(helps[4].starts_with("keys of one mapping start in the same column"));

    // Human output shows the line where the construct starts, with the caret under it.
    let out = crate::support::opsbook(hb.path())
        .args(["check", "--no-git", "--today", "2026-11-23", "roadmap/a.md"])
        .output()
        .unwrap();
    assert_eq!(
        crate::support::stdout(&out),
        "roadmap/a.md:3:9: error[frontmatter-invalid]: invalid YAML in frontmatter: unclosed `[` opened here\n  \
         |\n3 | status: [now\n  |         ^^^^\n    \
         help: close the list with `]` (`key: [a, b]`), or write one `- item` per line under the key\n\
         1 error, 0 warnings in 1 file\n"
    );

    // opsbook.yml goes through the same parser.
    hb.write("opsbook.yml", "title: x\nfolders: {roadmap: roadmap-item\n");
    let out = crate::support::opsbook(hb.path())
        .args(["check", "--no-git"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        crate::support::stderr(&out),
        format!(
            "error: {}:2:10: invalid YAML: unclosed `{{` opened here\n    help: close the mapping \
             with `}}` (`key: {{a: 1}}`), or write one `name: value` per line under the key\n",
            hb.path()
                .canonicalize()
                .unwrap()
                .join("opsbook.yml")
                .display()
        )
    );
}

#[test]
fn yaml_nested_too_deep_is_a_finding_not_a_crash() {
    let hb = crate::support::empty();
    let deep: String = (0..2000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    hb.write("roadmap/deep.md", &format!("---\ntitle: x\n{deep}---\n"));
    hb.write(
        "org.yml",
        &format!("people: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
    );
    let found = yaml_findings(hb.path());
    let rows: Vec<_> = found
        .iter()
        .map(|(p, l, c, m, _)| (p.as_str(), *l, *c, m.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "org.yml",
                1,
                33,
                "invalid YAML: too much to read: nested more than 24 levels deep"
            ),
            (
                "roadmap/deep.md",
                27,
                25,
                "invalid YAML in frontmatter: too much to read: nested more than 24 levels deep"
            ),
        ]
    );
    assert!(found.iter().all(|f| !f.4.contains("budget")));
}

#[test]
fn environment_and_root_errors_say_what_is_wrong() {
    let hb = crate::support::empty();
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let out = crate::support::opsbook(hb.path())
            .envs(vars.iter().copied())
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), crate::support::stderr(&out))
    };
    let (code, err) = run(&[("SOURCE_DATE_EPOCH", "soon")], &["check", "--no-git"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(
            "error: SOURCE_DATE_EPOCH `soon` is not a whole number of seconds since 1970\n    help: "
        ),
        "{err}"
    );
    let (code, err) = run(
        &[("SOURCE_DATE_EPOCH", "999999999999999")],
        &["check", "--no-git"],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(
            "error: SOURCE_DATE_EPOCH `999999999999999` is out of range: it must be a time \
             between the years -9999 and 9999"
        ),
        "{err}"
    );
    assert!(!err.contains("parameter"), "{err}");
    hb.write("notes.txt", "x");
    let (code, err) = run(&[], &["--root", "notes.txt", "check"]);
    assert_eq!(code, Some(2));
    assert!(
        err.ends_with("notes.txt: is a file, not a folder\n"),
        "{err}"
    );
    let (code, err) = run(&[], &["--root", "missing", "check"]);
    assert_eq!(code, Some(2));
    assert!(err.ends_with("missing: no such folder\n"), "{err}");
}
