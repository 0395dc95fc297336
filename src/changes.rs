//! `opsbook changes`: what changed in the handbook in a window of history, from git facts.
//!
//! Every history entry inside the window (of a document whose kind has fields with
//! `history: true`) becomes zero or more [`Change`]s: new, removed and moved files (new
//! launches among them), status moves (a launch's too), delivery health changes, target
//! changes (a later target is a slip), owner and RICE score changes, key results whose
//! `current` moved, changes of any other history field, and reviews of kinds with a review
//! interval. Entries of the registry (`org.yml`) give the changes of their fields and reviews.

use std::collections::HashSet;
use std::io::{self, Write};

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::escape::escape;
use crate::git::{self, CommitInfo, Event, Facts, HistoryEntry, entry_of};
use crate::kinds::{FieldSpec, FieldType};
use crate::values::{self, Duration};

/// The kinds of change, in the order they are listed within one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeType {
    Added,
    Removed,
    Renamed,
    Status,
    /// Delivery health (`on-track`, `at-risk`, `off-track`).
    Health,
    TargetSlip,
    Target,
    Owner,
    Score,
    /// A key result's `current` (the key result named in `key_result`).
    KeyResult,
    /// Another field with `history: true` (named in `field`).
    Field,
    Reviewed,
}

/// One change, with the commit that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(rename = "type")]
    pub change: ChangeType,
    /// The document's kind: `roadmap-item`, `process`, `person`, a custom kind…
    pub kind: &'static str,
    /// The file after the commit (before it, for `removed`), relative to the handbook root.
    pub path: String,
    /// The file stem; an entry's id for entries of `org.yml`.
    pub id: String,
    /// The field, for `field` changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The key result's id, for `key-result` changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_result: Option<String>,
    pub title: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(flatten)]
    pub commit: CommitInfo,
}

/// The window of history asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Commits authored on or after this day.
    Date(Date),
    /// Commits after this revision (`REV..HEAD`).
    Rev(String),
}

/// The answer of `opsbook changes`.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// The first day of the window, for a duration or a date.
    pub since: Option<String>,
    /// The revision the window starts after, for a revision.
    pub since_ref: Option<String>,
    /// HEAD when the facts were read.
    pub head: Option<String>,
    /// The history is cut (shallow or partial clone): older changes are unknown; or the
    /// values of some versions in the window are unavailable (their content is missing).
    pub approximate: bool,
    /// Commits that made at least one listed change.
    pub commits: usize,
    /// Newest first.
    pub changes: Vec<Change>,
    /// What the history lacks (a shallow or partial clone), for a warning.
    #[serde(skip)]
    pub notices: Vec<git::Notice>,
}

/// `30d` (back from `today`), `2026-10-01`, or anything else as a revision.
pub fn parse_since(text: &str, today: Date) -> Result<Since, Error> {
    let t = text.trim();
    if let Ok(d) = values::parse_duration(t) {
        let back = Duration {
            amount: -d.amount,
            unit: d.unit,
        };
        return Ok(Since::Date(back.after(today, 1)));
    }
    let date_shaped = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    if date_shaped && t.bytes().filter(u8::is_ascii_digit).count() == 8 {
        return values::parse_date(t)
            .map(Since::Date)
            .map_err(|m| Error::Usage(format!("--since: {m}")));
    }
    Ok(Since::Rev(t.to_string()))
}

/// Read the history and list the changes in the window.
pub fn run(cfg: &Config, since: &str, today: Date) -> Result<Changes, Error> {
    let since = parse_since(since, today)?;
    let Some(repo) = git::Repo::open(&cfg.root)? else {
        return Err(Error::Usage(format!(
            "opsbook changes reads git history, and the handbook at {} is not in a git repository",
            cfg.root.display()
        )));
    };
    let in_range = match &since {
        Since::Rev(rev) => Some(repo.commits_since(rev)?),
        Since::Date(_) => None,
    };
    let read = git::ReadOptions {
        skip_status: true,
        ..git::ReadOptions::default()
    };
    let facts = repo.facts(cfg, &read)?;
    let mut out = collect(&facts, cfg, |c| match (&since, &in_range) {
        (Since::Date(d), _) => c.date >= *d,
        (_, Some(set)) => set.contains(&c.id),
        _ => false,
    });
    out.since = match &since {
        Since::Date(d) => Some(d.to_string()),
        Since::Rev(_) => None,
    };
    out.since_ref = match since {
        Since::Rev(r) => Some(r),
        Since::Date(_) => None,
    };
    Ok(out)
}

/// The changes of every history entry whose commit is in the window.
pub fn collect(facts: &Facts, cfg: &Config, in_window: impl Fn(&CommitInfo) -> bool) -> Changes {
    let mut changes = Vec::new();
    let mut unavailable = false;
    for entries in facts.history.values() {
        for e in entries.iter().filter(|e| in_window(&e.commit)) {
            unavailable |= e.unavailable;
            changes_of(e, None, cfg, &mut changes);
        }
    }
    for (handle, entries) in &facts.registry {
        let id = handle.split_once(':').map_or(handle.as_str(), |(_, id)| id);
        for e in entries.iter().filter(|e| in_window(&e.commit)) {
            unavailable |= e.unavailable;
            changes_of(e, Some(id), cfg, &mut changes);
        }
    }
    // Within a commit, by path, then (entries of one file) by kind and id, then by type.
    changes.sort_by(|a, b| {
        (b.commit.time, &b.commit.id)
            .cmp(&(a.commit.time, &a.commit.id))
            .then_with(|| {
                (&a.path, a.kind, &a.id, a.change).cmp(&(&b.path, b.kind, &b.id, b.change))
            })
    });
    let commits: HashSet<&str> = changes.iter().map(|c| c.commit.id.as_str()).collect();
    Changes {
        since: None,
        since_ref: None,
        head: facts.head.clone(),
        approximate: facts.history_cut() || unavailable,
        commits: commits.len(),
        changes,
        notices: facts.notices(),
    }
}

/// The changes one history entry stands for: of a file, or of the registry entry `entry` (its
/// id). Only the file of a document is created, moved or removed; an entry of the registry
/// shows the changes of its fields.
fn changes_of(e: &HistoryEntry, entry: Option<&str>, cfg: &Config, out: &mut Vec<Change>) {
    let spec = cfg.kinds.spec(e.kind);
    let history_fields: Vec<&FieldSpec> = spec.fields.iter().filter(|f| f.history).collect();
    if history_fields.is_empty() {
        // Both versions are of kinds without history fields.
        return;
    }
    if e.event == Event::Added && e.commit.boundary {
        // A shallow clone's boundary shows every file as added: that is not a creation.
        return;
    }
    let id = match entry {
        Some(id) => id.to_string(),
        None => {
            let stem = e.path.rsplit('/').next().unwrap_or(&e.path);
            stem.strip_suffix(".md").unwrap_or(stem).to_string()
        }
    };
    // `named`: the field (of a `field` change) and the key result (of a `key-result` change).
    let mut push = |change: ChangeType,
                    [field, key_result]: [Option<&str>; 2],
                    from: Option<&str>,
                    to: Option<&str>| {
        out.push(Change {
            change,
            kind: e.kind.as_str(),
            path: e.path.clone(),
            id: id.clone(),
            field: field.map(str::to_string),
            key_result: key_result.map(str::to_string),
            title: e.state.as_ref().and_then(|s| s.title.clone()),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            commit: e.commit.clone(),
        });
    };
    const NONE: [Option<&str>; 2] = [None, None];
    let field = |name: &str| {
        e.changes
            .get(name)
            .map(|[a, b]| (a.as_deref(), b.as_deref()))
    };
    let state = |name: &str| e.state.as_ref().and_then(|s| s.get(name));
    let file = entry.is_none();
    match e.event {
        Event::Added if file => return push(ChangeType::Added, NONE, None, state("status")),
        Event::Removed if file => return push(ChangeType::Removed, NONE, state("status"), None),
        Event::Added | Event::Removed => return,
        Event::Renamed if file => push(
            ChangeType::Renamed,
            NONE,
            e.renamed_from.as_deref(),
            Some(&e.path),
        ),
        Event::Renamed | Event::Modified => {}
    }
    if e.unavailable {
        // The values of this version are unknown: nothing to say about them.
        return;
    }
    // Status and owner first, then the others in the kind's order.
    let mut ordered = history_fields.clone();
    ordered.sort_by_key(|f| match &*f.name {
        "status" => 0,
        "owner" => 1,
        _ => 2,
    });
    for f in ordered {
        if f.ty.entry_value().is_some() {
            // Tracked per entry: each key result whose value changed.
            for (key, [a, b]) in &e.changes {
                if let Some((_, kr)) = entry_of(key).filter(|(name, _)| *name == &*f.name) {
                    push(
                        ChangeType::KeyResult,
                        [None, Some(kr)],
                        a.as_deref(),
                        b.as_deref(),
                    );
                }
            }
            continue;
        }
        let Some((a, b)) = field(&f.name) else {
            continue;
        };
        let change = match (&*f.name, &f.ty) {
            ("status", _) => ChangeType::Status,
            ("health", _) => ChangeType::Health,
            ("owner", _) => ChangeType::Owner,
            ("target", FieldType::Period) => {
                let end =
                    |p: Option<&str>| p.and_then(|p| values::parse_period(p).ok()).map(|p| p.end);
                if matches!((end(a), end(b)), (Some(x), Some(y)) if y > x) {
                    ChangeType::TargetSlip
                } else {
                    ChangeType::Target
                }
            }
            (_, FieldType::Rice) => ChangeType::Score,
            (name, _) => {
                push(ChangeType::Field, [Some(name), None], a, b);
                continue;
            }
        };
        push(change, NONE, a, b);
    }
    if spec.review_every.is_none() {
        return;
    }
    if let Some((a, Some(b))) = field("last_reviewed") {
        push(ChangeType::Reviewed, NONE, a, Some(b));
    } else if file && state("last_reviewed").is_none() {
        // Dated by git: the commit is the review.
        let day = e.commit.date.to_string();
        push(ChangeType::Reviewed, NONE, None, Some(&day));
    }
}

/// One line describing a change, after its path: `status next → now`.
pub fn describe(c: &Change) -> String {
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    let (from, to) = (or_none(&c.from), or_none(&c.to));
    match c.change {
        ChangeType::Added if c.kind == "process" => "new process".into(),
        ChangeType::Added if c.kind == "roadmap-item" => format!("new item ({to})"),
        ChangeType::Added => match &c.to {
            Some(to) => format!("new {} ({to})", noun(c.kind)),
            None => format!("new {}", noun(c.kind)),
        },
        ChangeType::Removed if c.kind == "process" => "process removed".into(),
        ChangeType::Removed if c.kind == "roadmap-item" => format!("item removed (was {from})"),
        ChangeType::Removed => match &c.from {
            Some(from) => format!("{} removed (was {from})", noun(c.kind)),
            None => format!("{} removed", noun(c.kind)),
        },
        ChangeType::Renamed => format!("moved from {from}"),
        ChangeType::Status => format!("status {from} → {to}"),
        ChangeType::Health => format!("health {from} → {to}"),
        ChangeType::TargetSlip => format!("target slipped {from} → {to}"),
        ChangeType::Target => format!("target {from} → {to}"),
        ChangeType::Owner => format!("owner {from} → {to}"),
        ChangeType::Score => format!("RICE score {from} → {to}"),
        ChangeType::KeyResult => format!(
            "{} {from} → {to}",
            entry_label(c.key_result.as_deref().unwrap_or("key result"), "current")
        ),
        ChangeType::Field => format!("{} {from} → {to}", c.field.as_deref().unwrap_or("field")),
        ChangeType::Reviewed
            if c.from.is_none() && c.to.as_deref() == Some(&c.commit.date.to_string()) =>
        {
            "reviewed (dated by this commit)".into()
        }
        ChangeType::Reviewed => format!("reviewed (last_reviewed {from} → {to})"),
    }
}

/// How a change of one entry's value is named: `activation: current`.
pub fn entry_label(id: &str, value: &str) -> String {
    format!("{id}: {value}")
}

/// A kind's name as words: `decision-record` → `decision record`.
fn noun(kind: &str) -> String {
    kind.replace('-', " ")
}

/// Human output: a header, then the changes grouped by commit, newest first.
pub fn human(changes: &Changes, out: &mut dyn Write) -> io::Result<()> {
    let window = match (&changes.since, &changes.since_ref) {
        (Some(d), _) => format!("since {d}"),
        (_, Some(r)) => format!("since {}", escape(r)),
        _ => String::new(),
    };
    if changes.changes.is_empty() {
        return writeln!(out, "No changes {window}.");
    }
    let n = changes.changes.len();
    writeln!(
        out,
        "{n} change{} in {} commit{} {window}",
        if n == 1 { "" } else { "s" },
        changes.commits,
        if changes.commits == 1 { "" } else { "s" },
    )?;
    let mut last_commit = "";
    for c in &changes.changes {
        if c.commit.id != last_commit {
            last_commit = &c.commit.id;
            let short = &c.commit.id[..c.commit.id.len().min(7)];
            writeln!(
                out,
                "\n{}  {}  {}",
                c.commit.date,
                escape(short),
                escape(&c.commit.author)
            )?;
        }
        let title = c
            .title
            .as_deref()
            .map(|t| format!(" ({})", escape(t)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}{title}: {}",
            escape(&c.path),
            escape(&describe(c))
        )?;
    }
    Ok(())
}

/// The JSON contract of `opsbook changes --format json` (docs/json.md).
pub fn json(changes: &Changes, out: &mut dyn Write) -> io::Result<()> {
    crate::escape::write_json(out, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        values::parse_date(s).unwrap()
    }

    #[test]
    fn since_takes_durations_dates_and_revisions() {
        let today = d("2026-11-23");
        assert_eq!(
            parse_since("30d", today).unwrap(),
            Since::Date(d("2026-10-24"))
        );
        assert_eq!(
            parse_since("1m", today).unwrap(),
            Since::Date(d("2026-10-23"))
        );
        assert_eq!(
            parse_since("2026-10-01", today).unwrap(),
            Since::Date(d("2026-10-01"))
        );
        assert!(parse_since("2026-02-30", today).is_err());
        assert_eq!(
            parse_since("v1.2", today).unwrap(),
            Since::Rev("v1.2".into())
        );
        assert_eq!(
            parse_since("origin/main", today).unwrap(),
            Since::Rev("origin/main".into())
        );
    }

    #[test]
    fn human_output_escapes_what_documents_and_git_say() {
        let commit = CommitInfo {
            id: "0123456789abcdef".into(),
            date: d("2026-11-20"),
            author: "Eve\n::error::x".into(),
            time: 0,
            boundary: false,
        };
        let changes = Changes {
            since: None,
            since_ref: Some("v1\u{1b}[2J".into()),
            head: None,
            approximate: false,
            commits: 1,
            notices: Vec::new(),
            changes: vec![Change {
                change: ChangeType::Status,
                kind: "roadmap-item",
                path: "roadmap/a\nb.md".into(),
                id: "a".into(),
                field: None,
                key_result: None,
                title: Some("T\u{1b}]0;pwned\u{7}".into()),
                from: Some("next\n::warning::y".into()),
                to: Some("now".into()),
                commit,
            }],
        };
        let mut out = Vec::new();
        human(&changes, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1 change in 1 commit since v1\\u{1b}[2J\n\
             \n2026-11-20  0123456  Eve\\n::error::x\n  \
             roadmap/a\\nb.md (T\\u{1b}]0;pwned\\u{7}): status next\\n::warning::y → now\n"
        );
    }
}
