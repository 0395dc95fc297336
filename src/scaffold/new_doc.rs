//! `opsbook new KIND ID`: one document with valid frontmatter in its kind's folder.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{NewFile, fill, write_all, yaml_scalar};
use crate::config::Config;
use crate::diagnostic::did_you_mean;
use crate::error::Error;
use crate::kind::Kind;
use crate::{discover, model, values};

fn template(kind: Kind) -> &'static str {
    match kind {
        Kind::RoadmapItem => include_str!("new/roadmap-item.md"),
        Kind::Charter => include_str!("new/charter.md"),
        Kind::Process => include_str!("new/process.md"),
        Kind::Person => include_str!("new/person.md"),
        Kind::Role => include_str!("new/role.md"),
        Kind::Team => include_str!("new/team.md"),
        Kind::Page => include_str!("new/page.md"),
    }
}

/// Write a new document of `kind` with `id`; returns its path.
pub fn new_doc(
    cfg: &Config,
    cwd: &Path,
    kind: &str,
    id: &str,
    title: Option<&str>,
    today: Date,
) -> Result<PathBuf, Error> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        let kinds = Kind::ALL.map(Kind::as_str);
        Error::Usage(format!(
            "`{kind}` is not a kind\n    help: {}",
            did_you_mean(kind, kinds).unwrap_or_else(|| format!("use one of {}", kinds.join(", ")))
        ))
    })?;
    values::check_id(id)
        .map_err(|m| Error::Usage(format!("{m}\n    help: try `{}`", values::suggest_id(id))))?;
    let files = discover::source_files(cfg)?;
    let (handbook, _) = model::build(&files, cfg);
    if let Some(doc) = handbook.get(kind, id) {
        return Err(Error::Usage(format!(
            "{kind} `{id}` already exists in {}",
            doc.path
        )));
    }
    let folder = folder_for(cfg, kind);
    let rel = match &folder {
        Some(f) if !f.is_empty() => format!("{f}/{id}.md"),
        _ => format!("{id}.md"),
    };
    let title = title.map_or_else(|| title_from_id(id, kind), str::to_string);
    let reviewed = if cfg.freshness.contains_key(&kind) {
        format!("last_reviewed: {today}\n")
    } else {
        String::new()
    };
    let mut text = fill(
        template(kind),
        &[
            ("TITLE_YAML", &yaml_scalar(&title)),
            ("TITLE", &title),
            ("REVIEWED", &reviewed),
        ],
    );
    if folder.is_none() {
        // No folder holds this kind: say it in the file.
        text = text.replacen("---\n", &format!("---\nkind: {kind}\n"), 1);
    }
    let path = cfg.root.join(&rel);
    write_all(&[NewFile { path, text }], cwd)?;
    Ok(cfg.root.join(rel))
}

/// The folder new documents of `kind` go to: one that exists, preferring one named in the
/// config over the built-in name; `None` when no folder holds the kind (pages: the root).
fn folder_for(cfg: &Config, kind: Kind) -> Option<String> {
    if kind == Kind::Page {
        return Some(String::new());
    }
    let mut folders: Vec<&String> = cfg
        .folders
        .iter()
        .filter(|(_, k)| **k == kind)
        .map(|(f, _)| f)
        .collect();
    folders.sort_by_key(|f| (!cfg.root.join(f).is_dir(), f.as_str() == kind.folder()));
    folders.first().map(|f| f.to_string())
}

/// `vendor-security-review` → `Vendor security review`; people and teams get every word
/// capitalised (`ana-lima` → `Ana Lima`).
fn title_from_id(id: &str, kind: Kind) -> String {
    let every_word = matches!(kind, Kind::Person | Kind::Team);
    id.split('-')
        .enumerate()
        .map(|(i, w)| {
            if i == 0 || every_word {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_ids() {
        assert_eq!(
            title_from_id("vendor-security-review", Kind::Process),
            "Vendor security review"
        );
        assert_eq!(title_from_id("ana-lima", Kind::Person), "Ana Lima");
    }

    #[test]
    fn folders_follow_the_config() {
        let mut cfg = Config::defaults(PathBuf::from("/nonexistent"));
        assert_eq!(
            folder_for(&cfg, Kind::Process).as_deref(),
            Some("processes")
        );
        assert_eq!(folder_for(&cfg, Kind::Page).as_deref(), Some(""));
        cfg.folders.insert("bets".into(), Kind::RoadmapItem);
        assert_eq!(folder_for(&cfg, Kind::RoadmapItem).as_deref(), Some("bets"));
        cfg.folders.retain(|_, k| *k != Kind::Team);
        assert_eq!(folder_for(&cfg, Kind::Team), None);
    }
}
