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
