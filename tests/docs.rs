//! The documentation stays true and the repository stands alone: every rule has its section in
//! `docs/rules.md` with an example and the fix, every relative link of the README, CONTRIBUTING
//! and `docs/` resolves, the README stays short, versions and the repository address the docs
//! name are the ones of `Cargo.toml`, and no tracked file refers to anything outside the
//! repository.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The files git tracks, relative to the repository root.
fn tracked() -> Vec<String> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(ROOT)
        .output()
        .expect("git ls-files");
    assert!(out.status.success(), "git ls-files: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The Markdown the project documents itself with.
fn doc_files() -> Vec<String> {
    let mut files: Vec<String> = tracked()
        .into_iter()
        .filter(|p| p.starts_with("docs/") && p.ends_with(".md"))
        .collect();
    files.extend(["README.md".to_string(), "CONTRIBUTING.md".to_string()]);
    files
}

/// Every link and image destination of a Markdown text (code blocks left out).
fn destinations(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    Parser::new_ext(text, Options::all())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_rule_has_an_example_and_a_fix_in_the_catalogue() {
    let doc = read("docs/rules.md");
    let sections: Vec<&str> = doc.split("\n### ").skip(1).collect();
    let mut named = Vec::new();
    for section in &sections {
        let heading = section.lines().next().unwrap();
        let name = heading.trim_matches('`');
        named.push(name);
        let Some(rule) = opsbook::rules::RULES.iter().find(|r| r.name == name) else {
            panic!("docs/rules.md has a section for `{name}`, which is no rule");
        };
        let line = format!("\n\n{} · {} · ", rule.severity.as_str(), rule.family);
        assert!(
            section.contains(&line),
            "`{name}`: the section must start with `{}`",
            line.trim()
        );
        assert!(
            section.contains("\n**Example**\n\n```"),
            "`{name}` has no example"
        );
        assert!(section.contains("\n**Fix**: "), "`{name}` has no fix");
    }
    for rule in opsbook::rules::RULES {
        assert!(
            named.contains(&rule.name),
            "docs/rules.md has no section `### `{}``: add one with an example and the fix",
            rule.name
        );
    }
}

#[test]
fn the_readme_is_short() {
    let lines = read("README.md").lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; move detail into docs/"
    );
}

#[test]
fn every_relative_link_of_the_docs_resolves() {
    let mut broken = Vec::new();
    let mut seen = 0;
    for file in doc_files() {
        let base = Path::new(ROOT).join(&file);
        let dir = base.parent().unwrap();
        for dest in destinations(&read(&file)) {
            if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('#') {
                continue;
            }
            let path = dest.split('#').next().unwrap();
            // A `kind:id` link between handbook documents is checked by `opsbook check`.
            if path.contains(':') {
                continue;
            }
            seen += 1;
            let target: PathBuf = dir.join(path);
            if !target.exists() {
                broken.push(format!("{file}: {dest}"));
            }
        }
    }
    assert!(seen > 20, "only {seen} relative links found");
    assert!(
        broken.is_empty(),
        "links that lead nowhere:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_tracked_file_refers_outside_the_repository() {
    // Spelled in two halves so that this file does not find itself.
    let needles = [
        ["../", "shared"],
        ["DESIGN", " §"],
        ["DESIGN", ".md"],
        ["DESIGN", " section"],
    ]
    .map(|[a, b]| format!("{a}{b}"));
    let mut found = Vec::new();
    for file in tracked() {
        let Ok(text) = std::fs::read_to_string(Path::new(ROOT).join(&file)) else {
            continue; // binary files
        };
        for (n, line) in text.lines().enumerate() {
            if let Some(needle) = needles.iter().find(|s| line.contains(s.as_str())) {
                found.push(format!("{file}:{}: `{needle}`", n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the repository must stand alone; say the thing itself:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_docs_name_this_version_and_this_repository() {
    let manifest = read("Cargo.toml");
    let repository = manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("repository in Cargo.toml");
    let slug = repository.trim_start_matches("https://github.com/");
    let mut files = doc_files();
    files.extend(
        [
            "action.yml",
            "ci/gitlab/opsbook.gitlab-ci.yml",
            ".pre-commit-hooks.yaml",
            "scripts/install.sh",
            "src/scaffold/init/handbook.yml",
            "src/scaffold/init/pre-commit-config.yaml",
        ]
        .map(String::from),
    );
    let mut wrong = Vec::new();
    for file in &files {
        let text = read(file);
        // Versions of opsbook the docs tell people to use.
        for prefix in [
            format!("{slug}@v"),
            format!("{slug}/v"),
            "rev: v".to_string(),
            "--tag v".to_string(),
            "--version v".to_string(),
        ] {
            for (at, _) in text.match_indices(&prefix) {
                let version: String = text[at + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let version = version.trim_end_matches('.');
                if !version.is_empty() && version != VERSION && !version.starts_with('X') {
                    wrong.push(format!(
                        "{file}: `{prefix}{version}` (Cargo.toml: {VERSION})"
                    ));
                }
            }
        }
        // The project's own address: github.com/OWNER/opsbook must be the repository's.
        for (at, _) in text.match_indices("github.com/") {
            let rest = &text[at + "github.com/".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_./".contains(*c))
                .collect();
            let mut parts = path.split('/');
            if let (Some(owner), Some(name)) = (parts.next(), parts.next())
                && (name == "opsbook" || name.starts_with("opsbook."))
                && format!("{owner}/opsbook") != slug
            {
                wrong.push(format!(
                    "{file}: github.com/{owner}/{name} (Cargo.toml: {slug})"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
