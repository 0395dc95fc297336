//! The tracked values of one version of a roadmap item or process, read from its frontmatter,
//! and what changed between two versions.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::Span;
use crate::frontmatter::{self, Node};
use crate::model::fields::Reader;

/// The fields whose changes the history records, in output order.
pub const FIELDS: &[&str] = &["status", "target", "owner", "score", "last_reviewed"];

/// What one version of a file says, as written (`score` is the computed RICE score).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ItemState {
    pub title: Option<String>,
    pub status: Option<String>,
    pub target: Option<String>,
    pub owner: Option<String>,
    /// reach × impact × confidence ÷ effort, rounded to two decimals.
    pub score: Option<String>,
    pub last_reviewed: Option<String>,
}

/// Field → `[before, after]`; only fields that differ.
pub type FieldChanges = BTreeMap<&'static str, [Option<String>; 2]>;

impl ItemState {
    /// Read a file's text. A file whose frontmatter cannot be read has no values.
    pub fn parse(text: &str) -> ItemState {
        States::default().read(text.as_bytes())
    }

    fn of(node: &Node) -> ItemState {
        let text_of = |key: &str| node.get(key).and_then(Node::scalar_text);
        ItemState {
            title: text_of("title"),
            status: text_of("status"),
            target: text_of("target"),
            owner: text_of("owner"),
            score: rice(node),
            last_reviewed: text_of("last_reviewed"),
        }
    }

    /// The value of one of [`FIELDS`].
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "status" => self.status.as_deref(),
            "target" => self.target.as_deref(),
            "owner" => self.owner.as_deref(),
            "score" => self.score.as_deref(),
            "last_reviewed" => self.last_reviewed.as_deref(),
            "title" => self.title.as_deref(),
            _ => None,
        }
    }

    /// The fields that differ between two versions (`None`: the file did not exist).
    pub fn diff(before: Option<&ItemState>, after: Option<&ItemState>) -> FieldChanges {
        let mut out = BTreeMap::new();
        for &field in FIELDS {
            let a = before.and_then(|s| s.get(field));
            let b = after.and_then(|s| s.get(field));
            if a != b {
                out.insert(field, [a.map(str::to_string), b.map(str::to_string)]);
            }
        }
        out
    }
}

/// Reads versions of files, parsing each distinct frontmatter once: versions that differ only
/// in their body or in untracked keys share one parse.
#[derive(Debug, Default)]
pub struct States {
    seen: HashMap<String, ItemState>,
}

impl States {
    /// The tracked values of a file's bytes (invalid UTF-8 is replaced).
    pub fn read(&mut self, bytes: &[u8]) -> ItemState {
        let lossy;
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                lossy = String::from_utf8_lossy(bytes).into_owned();
                &lossy
            }
        };
        let Ok(split) = frontmatter::split(frontmatter::strip_bom(text)) else {
            return ItemState::default();
        };
        let Some(yaml) = split.yaml else {
            return ItemState::default();
        };
        // Most of a frontmatter is not tracked: parse only the tracked keys when that is safe.
        let short = tracked_lines(yaml);
        let key = short.as_deref().unwrap_or(yaml);
        if let Some(known) = self.seen.get(key) {
            return known.clone();
        }
        let full = || frontmatter::parse_yaml(yaml, split.yaml_line);
        let parsed = match &short {
            Some(s) => frontmatter::parse_yaml(s, 1).or_else(|_| full()),
            None => full(),
        };
        let state = parsed.map(|n| ItemState::of(&n)).unwrap_or_default();
        self.seen.insert(key.to_string(), state.clone());
        state
    }
}

/// The top-level entries of a block mapping whose key is tracked (or `title`), with the lines
/// that continue them; `None` when the YAML uses anything that makes cutting it unsafe (flow
/// style at the top, anchors, aliases, tags, complex keys, tabs).
fn tracked_lines(yaml: &str) -> Option<String> {
    if yaml.contains(['&', '*', '!', '\t']) {
        return None;
    }
    let mut out = String::with_capacity(yaml.len() / 2);
    let mut keep = false;
    for line in yaml.split_inclusive('\n') {
        let first = line.chars().next().unwrap_or(' ');
        if !matches!(first, ' ' | '-' | '#' | '\r' | '\n') {
            let key = line.split(':').next().unwrap_or_default().trim();
            if matches!(first, '{' | '[' | '?' | '"' | '\'' | '%') || !line.contains(':') {
                return None;
            }
            keep = key == "title" || FIELDS.contains(&key);
        }
        if keep {
            out.push_str(line);
        }
    }
    Some(out)
}

/// The RICE score of `score.rice`, when all four numbers are there and effort is positive.
fn rice(node: &Node) -> Option<String> {
    let rice = node.get("score")?.get("rice")?;
    let mut diags = Vec::new();
    let mut r = Reader::new("", rice, String::new(), Span::START, &mut diags);
    let reach = r.number("reach", false)?.value;
    let impact = r.number("impact", false)?.value;
    let confidence = r.number("confidence", true)?.value;
    let effort = r.number("effort", false)?.value;
    if effort <= 0.0 {
        return None;
    }
    Some(format_score(reach * impact * confidence / effort))
}

/// A score with at most two decimals and no trailing zeros: `320`, `12.5`.
pub fn format_score(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tracked_values() {
        let s = ItemState::parse(
            "\u{feff}---\ntitle: SSO\nstatus: now\nowner: person:ana\ntarget: 2026-Q4\n\
             score:\n  rice: {reach: 100, impact: 2, confidence: 80%, effort: 3}\n---\n# SSO\n",
        );
        assert_eq!(s.title.as_deref(), Some("SSO"));
        assert_eq!(s.status.as_deref(), Some("now"));
        assert_eq!(s.owner.as_deref(), Some("person:ana"));
        assert_eq!(s.target.as_deref(), Some("2026-Q4"));
        assert_eq!(s.score.as_deref(), Some("53.33"));
        assert_eq!(s.last_reviewed, None);
    }

    #[test]
    fn only_tracked_keys_are_parsed_when_that_is_safe() {
        let yaml = "title: SSO\ntags:\n- a\n- b\nstatus: now # soon done\nlinks:\n  - {title: x, url: y}\n\
                    score:\n  rice:\n    reach: 10\n";
        assert_eq!(
            tracked_lines(yaml).as_deref(),
            Some("title: SSO\nstatus: now # soon done\nscore:\n  rice:\n    reach: 10\n")
        );
        assert_eq!(tracked_lines("base: &b x\nstatus: *b\n"), None);
        assert_eq!(tracked_lines("{status: now}\n"), None);
        // An alias into a dropped key would fail the short parse: the whole block is read.
        let s = ItemState::parse("---\nowner: ana\nstatus: 'now'\n---\n");
        assert_eq!(s.status.as_deref(), Some("now"));
    }

    #[test]
    fn unreadable_frontmatter_has_no_values() {
        assert_eq!(ItemState::parse("no frontmatter"), ItemState::default());
        assert_eq!(
            ItemState::parse("---\nstatus: [\n---\n"),
            ItemState::default()
        );
        assert_eq!(ItemState::parse("---\nstatus: now\n"), ItemState::default());
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = ItemState::parse("---\nstatus: next\nowner: ana\ntarget: 2026-Q3\n---\n");
        let b = ItemState::parse("---\nstatus: now\nowner: ana\ntarget: 2026-Q4\n---\n");
        let d = ItemState::diff(Some(&a), Some(&b));
        assert_eq!(
            d.into_iter().collect::<Vec<_>>(),
            vec![
                ("status", [Some("next".into()), Some("now".into())]),
                ("target", [Some("2026-Q3".into()), Some("2026-Q4".into())]),
            ]
        );
        let added = ItemState::diff(None, Some(&a));
        assert_eq!(added["status"], [None, Some("next".into())]);
        assert_eq!(added.len(), 3);
    }

    #[test]
    fn scores_are_short() {
        assert_eq!(format_score(320.0), "320");
        assert_eq!(format_score(12.5), "12.5");
        assert_eq!(format_score(1.0 / 3.0), "0.33");
    }
}
