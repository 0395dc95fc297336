//! `opsbook export --format json`: the validated model as JSON, the second stable contract
//! (docs/json.md). Each document carries its frontmatter as it was written (`fields`), its
//! freshness, and room for git facts and history; the diagnostics have the shape of
//! `check --format json`.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::error::Error;
use crate::frontmatter::{self, Node};
use crate::git::{Facts, GitSummary, HistoryEntry};
use crate::model::Doc;
use crate::report::{self, Report};
use crate::validate::freshness;
use crate::{load, validate};

/// The whole export.
#[derive(Debug, Serialize)]
pub struct Export {
    pub docs: Vec<ExportDoc>,
    pub diagnostics: Value,
}

/// One document of the export.
#[derive(Debug, Serialize)]
pub struct ExportDoc {
    pub path: String,
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// The frontmatter (or `org.yml` entry) as JSON; strings stay strings.
    pub fields: Value,
    /// Last and first commit, author, commit count; `null` without git (or for a file never
    /// committed).
    pub git: Option<GitSummary>,
    pub freshness: Option<Freshness>,
    /// The commits that changed the document, oldest first, with the changes of its kind's
    /// history fields and `last_reviewed` (per entry for entries of `org.yml`; empty for kinds
    /// without history fields, and without git).
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Serialize)]
pub struct Freshness {
    pub state: freshness::State,
    pub reviewed: String,
    pub source: freshness::Source,
    pub due: String,
    /// The review date comes from a commit at the boundary of a shallow clone.
    pub approximate: bool,
}

impl ExportDoc {
    fn new(doc: &Doc, cfg: &Config, today: Date, git: Option<&Facts>) -> ExportDoc {
        let from_git = freshness::git_date(doc, git);
        ExportDoc {
            path: doc.path.clone(),
            kind: doc.kind.as_str(),
            id: doc.id.clone(),
            title: doc.title.clone(),
            fields: doc
                .frontmatter
                .as_ref()
                .map_or_else(|| Value::Object(Default::default()), json_of),
            git: git.and_then(|g| g.summary(&doc.path)),
            freshness: freshness::of(doc, cfg, today, from_git.map(|g| g.date)).map(|f| {
                Freshness {
                    state: f.state,
                    reviewed: f.reviewed.to_string(),
                    source: f.source,
                    due: f.due.to_string(),
                    approximate: f.source == freshness::Source::Git
                        && from_git.is_some_and(|g| g.approximate),
                }
            }),
            history: git.map_or_else(Vec::new, |g| {
                g.history_of_doc(&doc.path, &doc.handle()).to_vec()
            }),
        }
    }
}

/// Load and validate the handbook, read its history (unless `git` is false), and export it.
pub fn export(cfg: &Config, today: Date, git: bool) -> Result<Export, Error> {
    let load::Loaded {
        files,
        handbook,
        mut diags,
        facts,
    } = load::load(
        cfg,
        if git {
            load::GitRead::Full
        } else {
            load::GitRead::None
        },
    )?;
    diags.extend(validate::run_with_git(
        &handbook,
        cfg,
        today,
        facts.as_ref(),
    ));
    let diagnostics = validate::finish(diags, cfg, false);
    let docs = handbook
        .docs
        .iter()
        .map(|d| ExportDoc::new(d, cfg, today, facts.as_ref()))
        .collect();
    let report = Report::new(diagnostics, files, |_| true);
    Ok(Export {
        docs,
        diagnostics: report::json_value(&report)["diagnostics"].take(),
    })
}

/// A YAML node as JSON: mappings keep the first of repeated keys, as the checker does.
fn json_of(node: &Node) -> Value {
    use frontmatter::Value as Y;
    match &node.value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Int(i) => Value::from(*i),
        Y::Float(f) => serde_json::Number::from_f64(*f).map_or_else(
            || Value::String(node.raw.clone().unwrap_or_else(|| f.to_string())),
            Value::Number,
        ),
        Y::Str(s) => Value::String(s.clone()),
        Y::Seq(items) => Value::Array(items.iter().map(json_of).collect()),
        Y::Map(entries) => {
            let mut m = serde_json::Map::new();
            for (k, v) in entries {
                m.entry(k.name.clone()).or_insert_with(|| json_of(v));
            }
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_becomes_json_with_strings_kept() {
        let node = frontmatter::parse_yaml(
            "a: 2026-01-02\nb: no\nc: [1, 1.5, true]\nd: {x: null}\na: again\n",
            2,
        )
        .unwrap();
        assert_eq!(
            json_of(&node),
            json!({"a": "2026-01-02", "b": "no", "c": [1, 1.5, true], "d": {"x": null}})
        );
    }
}
