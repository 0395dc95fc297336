//! `opsbook export --format json`: the validated model as JSON, the second stable contract
//! (docs/json.md). Each document carries its frontmatter as it was written (`fields`), what
//! opsbook computes from it (`computed`: progress, readiness, lateness), its freshness, and its
//! git facts and history; the diagnostics have the shape of `check --format json`.
//! `--format csv KIND` is one kind as a table for spreadsheets (see [`csv`]).

pub mod csv;

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::error::Error;
use crate::flow::{Flow, ItemFlow};
use crate::frontmatter::{self, Node};
use crate::git::{Facts, GitSummary, HistoryEntry};
use crate::kind::Kind;
use crate::model::{Data, Doc};
use crate::report::{self, Report};
use crate::trend::{self, Trends};
use crate::validate::freshness;
use crate::{load, validate};

/// The trends of an objective whose key results have no history.
static NO_TRENDS: Trends = Trends::new();

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
    /// What opsbook computes: an objective's progress (and the history of each key result's
    /// `current`), a launch's readiness, how late a roadmap item is; `null` for other kinds.
    pub computed: Value,
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
    fn new(
        doc: &Doc,
        cfg: &Config,
        today: Date,
        git: Option<&Facts>,
        flow: Option<&ItemFlow>,
        trends: Option<&Trends>,
    ) -> ExportDoc {
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
            computed: computed(doc, today, flow, trends),
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

/// A fraction rounded to four decimals (no `0.30000000000000004`).
pub fn rounded(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// What opsbook computes from a document's fields (and from its history in git: for a
/// roadmap item its status history, `flow`; for an objective the history of each key result's
/// `current`, `trends`, when git was read).
pub fn computed(doc: &Doc, today: Date, flow: Option<&ItemFlow>, trends: Option<&Trends>) -> Value {
    use serde_json::json;
    match &doc.data {
        Data::Objective(o) => json!({
            "progress": o.progress().map(rounded),
            "key_results": o.key_results.iter().map(|k| {
                let id = k.id.as_ref().map(|i| i.value.clone());
                let trend = trends.map(|t| {
                    id.as_ref().and_then(|id| t.get(id)).cloned().unwrap_or_default()
                });
                json!({
                    "id": id,
                    "progress": k.progress().map(rounded),
                    "history": trend.as_ref().map(|t| &t.points),
                    "history_approximate": trend.as_ref().map(|t| t.approximate),
                })
            }).collect::<Vec<_>>(),
        }),
        Data::Launch(l) => json!({
            "readiness": l.readiness().map(rounded),
            "tasks": l.checklist.len(),
            "done": l.checklist.iter().filter(|t| t.done).count(),
        }),
        Data::RoadmapItem(x) => json!({
            "rice": x.rice.as_ref().map(|r| rounded(r.score())),
            "late_days": x.late(today).map(|end| {
                end.until(today).map_or(0, |s| s.get_days())
            }),
            "cycle_time_days": flow.and_then(|f| f.cycle_days),
            "time_in_status": flow.map(|f| {
                f.time_in_status
                    .iter()
                    .map(|(s, d)| (s.clone(), json!(d)))
                    .collect::<serde_json::Map<String, Value>>()
            }),
            "flow_approximate": flow.map(|f| f.approximate),
        }),
        _ => Value::Null,
    }
}

/// Load and validate the handbook, read its history (unless `git` is false), and export it
/// (the documents of `only`, when given).
pub fn export(cfg: &Config, today: Date, git: bool) -> Result<Export, Error> {
    export_kind(cfg, today, git, None)
}

/// [`export`] of the documents of one kind.
pub fn export_kind(
    cfg: &Config,
    today: Date,
    git: bool,
    only: Option<Kind>,
) -> Result<Export, Error> {
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
    let flow = facts.as_ref().map(|f| Flow::of(f, &handbook, today));
    let trends = facts.as_ref().map(|f| trend::of_handbook(f, &handbook));
    let docs = handbook
        .docs
        .iter()
        .enumerate()
        .filter(|(_, d)| only.is_none_or(|k| d.kind == k))
        .map(|(i, d)| {
            let item = flow.as_ref().and_then(|f| f.items.get(&i));
            let trends = trends.as_ref().map(|t| t.get(&i).unwrap_or(&NO_TRENDS));
            ExportDoc::new(d, cfg, today, facts.as_ref(), item, trends)
        })
        .collect();
    let report = Report::new(diagnostics, files, |_| true);
    Ok(Export {
        docs,
        diagnostics: report::json_value(&report)["diagnostics"].take(),
    })
}

/// `export --format csv KIND`: the documents of `kind` as CSV.
pub fn write_csv(
    cfg: &Config,
    today: Date,
    git: bool,
    kind: &str,
    out: &mut dyn std::io::Write,
) -> Result<(), Error> {
    let kind = parse_kind(cfg, kind)?;
    // Cycle times come from the status history of roadmap items.
    let git = if git && kind == Kind::ROADMAP_ITEM {
        load::GitRead::Full
    } else {
        load::GitRead::None
    };
    let load::Loaded {
        handbook, facts, ..
    } = load::load(cfg, git)?;
    let flow = facts.as_ref().map(|f| Flow::of(f, &handbook, today));
    csv::write(
        &handbook,
        kind,
        today,
        &|i| flow.as_ref().and_then(|f| f.items.get(&i)),
        out,
    )
    .map_err(|source| Error::Write {
        path: "standard output".into(),
        source,
    })
}

/// The kind called `name`, or a usage error with a did-you-mean.
pub fn parse_kind(cfg: &Config, name: &str) -> Result<Kind, Error> {
    cfg.kinds.parse(name).ok_or_else(|| {
        let names = cfg.kinds.names();
        Error::Usage(format!(
            "`{name}` is not a kind\n    help: {}",
            crate::diagnostic::did_you_mean(name, names.iter().copied())
                .unwrap_or_else(|| format!("use one of {}", names.join(", ")))
        ))
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
