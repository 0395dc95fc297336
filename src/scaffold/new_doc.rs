//! `opsbook new KIND ID [--set FIELD=VALUE]…`: one document with valid frontmatter in its
//! kind's folder, for every kind the handbook has (built-in kinds start from a template with
//! a body; custom kinds from their spec). A registry kind (person, role, team) is appended to
//! `org.yml` when the handbook keeps its registry there.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{NewFile, fill, write_all, yaml_scalar};
use crate::config::Config;
use crate::diagnostic::did_you_mean;
use crate::error::Error;
use crate::frontmatter::{self, Node, Value};
use crate::kind::Kind;
use crate::kinds::{FieldSpec, FieldType, KindSpec, TitleRule};
use crate::model::fields::Reader;
use crate::model::{Handbook, Resolved, typed};
use crate::values;

fn template(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::ROADMAP_ITEM => include_str!("new/roadmap-item.md"),
        Kind::CHARTER => include_str!("new/charter.md"),
        Kind::PROCESS => include_str!("new/process.md"),
        Kind::PERSON => include_str!("new/person.md"),
        Kind::ROLE => include_str!("new/role.md"),
        Kind::TEAM => include_str!("new/team.md"),
        Kind::PAGE => include_str!("new/page.md"),
        _ => return None,
    })
}

/// What `opsbook new` is asked to make.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub title: Option<&'a str>,
    /// `FIELD=VALUE` pairs; the value is YAML (`[a, b]` is a list).
    pub set: &'a [String],
    pub today: Date,
}

/// Write a new document; returns the file written (the document's own, or `org.yml`).
pub fn new_doc(cfg: &Config, cwd: &Path, req: &NewRequest) -> Result<PathBuf, Error> {
    let kind = cfg.kinds.parse(req.kind).ok_or_else(|| {
        let kinds = cfg.kinds.names();
        Error::Usage(format!(
            "`{}` is not a kind\n    help: {}",
            req.kind,
            did_you_mean(req.kind, kinds.iter().copied())
                .unwrap_or_else(|| format!("use one of {}", kinds.join(", ")))
        ))
    })?;
    let spec = cfg.kinds.spec(kind);
    let id = req.id.trim_matches('/');
    // A page may live in a subfolder: `launches/q1-plan`, each part an id of its own.
    let parts: Vec<&str> = if kind == Kind::PAGE {
        id.split('/').collect()
    } else {
        vec![id]
    };
    for part in &parts {
        values::check_id(part).map_err(|m| {
            let suggested: Vec<String> = parts.iter().map(|p| values::suggest_id(p)).collect();
            Error::Usage(format!("{m}\n    help: try `{}`", suggested.join("/")))
        })?;
    }
    let name = parts.last().copied().unwrap_or(id);
    let handbook = crate::load::load(cfg, crate::load::GitRead::None)?.handbook;
    if let Some(doc) = handbook.get(kind, id) {
        return Err(Error::Usage(format!(
            "{kind} `{id}` already exists in {}",
            doc.path
        )));
    }
    let title = req
        .title
        .map_or_else(|| title_from_id(name, spec), str::to_string);
    let sets = parse_sets(spec, req.set, &handbook)?;
    let reviewed = cfg.freshness.contains_key(&kind).then_some(req.today);
    if let Some(list) = &spec.registry
        && uses_org_yml(cfg, kind)
    {
        let path = cfg.root.join("org.yml");
        append_to_org(
            &path,
            list,
            &registry_entry(spec, id, &title, &sets, reviewed),
        )?;
        return Ok(path);
    }
    let folder = folder_for(cfg, kind);
    let rel = match &folder {
        Some(f) if !f.is_empty() => format!("{f}/{id}.md"),
        _ => format!("{id}.md"),
    };
    let reviewed_line = reviewed.map_or(String::new(), |d| format!("last_reviewed: {d}\n"));
    let mut text = match template(kind) {
        Some(t) => fill(
            t,
            &[
                ("TITLE_YAML", &yaml_scalar(&title)),
                ("TITLE", &title),
                ("REVIEWED", &reviewed_line),
            ],
        ),
        None => from_spec(spec, &title, &reviewed_line, req.today),
    };
    if folder.is_none() || cfg.kind_of_path(&rel) != kind {
        // No folder holds this kind, or the file's folder holds another: say it in the file.
        text = text.replacen("---\n", &format!("---\nkind: {kind}\n"), 1);
    }
    for (key, value) in &sets {
        text = set_key(&text, key, value);
    }
    let path = cfg.root.join(&rel);
    write_all(&[NewFile { path, text }], cwd)?;
    Ok(cfg.root.join(rel))
}

/// A kind's starting text from its spec: its title, its required fields (a default or an enum's
/// first word when it has one, the quarter of `today` for a period, else empty for the writer
/// to fill in), the structures it holds (key results, a checklist) empty with what they take,
/// and its heading.
fn from_spec(spec: &KindSpec, title: &str, reviewed: &str, today: Date) -> String {
    let mut out = String::from("---\n");
    if spec.title == TitleRule::Name {
        out.push_str(&format!("name: {}\n", yaml_scalar(title)));
    } else {
        out.push_str(&format!("title: {}\n", yaml_scalar(title)));
    }
    let structure = |f: &FieldSpec| matches!(f.ty, FieldType::KeyResults | FieldType::Checklist);
    for f in spec.fields.iter().filter(|f| f.required || structure(f)) {
        if spec.title == TitleRule::Name && &*f.name == "name" {
            continue;
        }
        let value = match (&f.default, &f.ty) {
            (Some(d), _) => yaml_scalar(d),
            (None, FieldType::Enum(values)) => yaml_scalar(&values[0]),
            (None, FieldType::List(_)) => "[]".into(),
            (None, FieldType::Period) => {
                format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
            }
            _ => String::new(),
        };
        let hint = format!(" # {}", f.ty.describe());
        out.push_str(&format!("{}: {value}{hint}\n", f.name).replace(":  #", ": #"));
    }
    out.push_str(reviewed);
    out.push_str(&format!("---\n\n# {title}\n"));
    out
}

/// Read and check every `--set FIELD=VALUE`: the field must be one of the kind's, the value
/// must fit its type, and a reference must name a document that exists.
fn parse_sets(
    spec: &KindSpec,
    sets: &[String],
    hb: &Handbook,
) -> Result<Vec<(String, String)>, Error> {
    let mut out: Vec<(String, String)> = Vec::new();
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            return Err(Error::Usage(format!(
                "--set {set}: write FIELD=VALUE, e.g. --set owner=ana"
            )));
        };
        let key = key.trim();
        let settable = ["title", "tags", "last_reviewed", "review_every"];
        let field = spec.field_for_key(key);
        if field.is_none() && !settable.contains(&key) {
            let mut names: Vec<&str> = spec.fields.iter().map(|f| &*f.name).collect();
            names.extend(settable);
            return Err(Error::Usage(format!(
                "--set {set}: `{key}` is not a field of {}\n    help: {}",
                spec.kind,
                did_you_mean(key, names.iter().copied())
                    .unwrap_or_else(|| format!("the fields are {}", names.join(", ")))
            )));
        }
        let yaml_value = yaml_value(value);
        let line = format!("{key}: {yaml_value}\n");
        let node = frontmatter::parse_yaml(&line, 1).map_err(|e| {
            Error::Usage(format!(
                "--set {set}: the value is not valid YAML: {}",
                e.message
            ))
        })?;
        if let Some(f) = field {
            check_value(spec, f, key, &node, hb)
                .map_err(|m| Error::Usage(format!("--set {set}: {m}")))?;
        }
        out.retain(|(k, _)| k != key);
        out.push((
            field.map_or(key.to_string(), |f| f.name.to_string()),
            yaml_value,
        ));
    }
    Ok(out)
}

/// A `--set` value as YAML: flow lists and maps, numbers and words as they are; anything that
/// YAML would read differently from the text is quoted.
fn yaml_value(value: &str) -> String {
    let v = value.trim();
    if v.starts_with('[') || v.starts_with('{') {
        return v.to_string();
    }
    match frontmatter::parse_yaml(&format!("v: {v}\n"), 1) {
        Ok(n) if matches!(n.get("v").map(|x| &x.value), Some(Value::Str(s)) if s == v) => {
            v.to_string()
        }
        Ok(n)
            if matches!(
                n.get("v").map(|x| &x.value),
                Some(Value::Int(_) | Value::Float(_) | Value::Bool(_))
            ) =>
        {
            v.to_string()
        }
        _ => yaml_scalar(v),
    }
}

fn check_value(
    spec: &KindSpec,
    f: &FieldSpec,
    key: &str,
    node: &Node,
    hb: &Handbook,
) -> Result<(), String> {
    let mut diags = Vec::new();
    let aliases = [(key.to_string(), f.name.to_string())];
    let mut r = Reader::new(
        "",
        node,
        String::new(),
        crate::diagnostic::Span::START,
        &mut diags,
    )
    .with_kinds(&hb.kinds)
    .with_aliases(&aliases);
    let value = typed::read_one(f, &mut r);
    if let Some(d) = diags.first() {
        return Err(match &d.help {
            Some(h) => format!("{}\n    help: {h}", d.message),
            None => d.message.clone(),
        });
    }
    let refs = value
        .map(|v| typed::Fields(vec![(f.name.clone(), v)]))
        .unwrap_or_default();
    for r in refs.refs() {
        match hb.resolve_ref(r) {
            Resolved::Found(_) => {}
            _ => {
                let ids = hb.ids_of(&r.allowed);
                return Err(format!(
                    "no {} has the id `{}`\n    help: {}",
                    crate::kinds::kinds_phrase(&r.allowed, "or"),
                    r.id,
                    did_you_mean(&r.id, ids.iter().copied()).unwrap_or_else(|| format!(
                        "create it first, or leave `{}` out and fill it in later",
                        f.name
                    ))
                ));
            }
        }
    }
    let _ = spec;
    Ok(())
}

/// `text` with the top-level key `key` set to `value` in its frontmatter: the line that sets it
/// (or a commented-out `# key:` line) is replaced, else the line goes before the closing `---`.
fn set_key(text: &str, key: &str, value: &str) -> String {
    let new_line = format!("{key}: {value}");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let Some(end) = lines.iter().skip(1).position(|l| l == "---").map(|i| i + 1) else {
        return text.to_string();
    };
    let starts = |l: &str, prefix: &str| {
        l.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix(key))
            .is_some_and(|rest| rest.starts_with(':'))
    };
    let found = (1..end)
        .find(|&i| starts(&lines[i], ""))
        .or_else(|| (1..end).find(|&i| starts(&lines[i], "# ")));
    match found {
        Some(i) => {
            // Drop the old value's continuation lines (an indented block or list).
            let mut j = i + 1;
            while j < end && (lines[j].starts_with(' ') || lines[j].starts_with("- ")) {
                j += 1;
            }
            lines.splice(i..j, [new_line]);
        }
        None => lines.insert(end, new_line),
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Registry documents go to `org.yml` when it exists and the kind's folder does not.
fn uses_org_yml(cfg: &Config, kind: Kind) -> bool {
    cfg.root.join("org.yml").is_file()
        && !cfg
            .folders
            .iter()
            .any(|(f, k)| *k == kind && cfg.root.join(f).is_dir())
}

/// The lines of one `org.yml` entry (without indentation).
fn registry_entry(
    spec: &KindSpec,
    id: &str,
    title: &str,
    sets: &[(String, String)],
    reviewed: Option<Date>,
) -> Vec<String> {
    let mut lines = vec![format!("id: {id}")];
    let title_key = if spec.title == TitleRule::Name {
        "name"
    } else {
        "title"
    };
    if !sets.iter().any(|(k, _)| k == title_key) {
        lines.push(format!("{title_key}: {}", yaml_scalar(title)));
    }
    for f in spec.fields.iter().filter(|f| f.required) {
        if !sets.iter().any(|(k, _)| *k == *f.name) && &*f.name != title_key {
            let empty = if matches!(f.ty, FieldType::List(_)) {
                "[]"
            } else {
                ""
            };
            lines.push(format!("{}: {empty}", f.name).trim_end().to_string());
        }
    }
    lines.extend(sets.iter().map(|(k, v)| format!("{k}: {v}")));
    if let Some(d) = reviewed {
        lines.push(format!("last_reviewed: {d}"));
    }
    lines
}

/// Append an entry to the list `list` of `org.yml`, keeping the rest of the file as it is;
/// the file is replaced whole, and only when the result reads back with the new entry.
fn append_to_org(path: &Path, list: &str, entry: &[String]) -> Result<(), Error> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(read_err)?;
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| {
        l.strip_prefix(list)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    });
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match header {
        Some(h) => {
            let rest = lines[h][list.len()..].trim_start()[1..].trim();
            let inline = rest.split('#').next().unwrap_or("").trim();
            if !(inline.is_empty() || inline == "[]") {
                return Err(Error::Usage(format!(
                    "{}: `{list}:` is written inline; write it as a block list (one `- id:` per entry) to let `opsbook new` add to it",
                    path.display()
                )));
            }
            // The block: indented lines and list items after the key.
            let mut end = h + 1;
            let mut indent = None;
            while end < lines.len() {
                let l = lines[end];
                let blank = l.trim().is_empty() || l.trim_start().starts_with('#');
                if !blank && !l.starts_with(' ') && !l.starts_with('-') {
                    break;
                }
                if indent.is_none() && l.trim_start().starts_with("- ") {
                    indent = Some(l.len() - l.trim_start().len());
                }
                end += 1;
            }
            while end > h + 1 && lines[end - 1].trim().is_empty() {
                end -= 1;
            }
            let pad = " ".repeat(indent.unwrap_or(2));
            if inline == "[]" {
                out[h] = format!("{list}:");
            }
            out.splice(end..end, entry_lines(entry, &pad));
        }
        None => {
            out.push(format!("{list}:"));
            out.extend(entry_lines(entry, "  "));
        }
    }
    let mut new_text = out.join("\n");
    new_text.push('\n');
    let ok = frontmatter::parse_yaml(frontmatter::strip_bom(&new_text), 1).is_ok_and(|n| {
        n.get(list).is_some_and(|l| match &l.value {
            Value::Seq(items) => items.iter().any(|i| {
                i.get("id").and_then(Node::scalar_text).as_deref() == entry[0].strip_prefix("id: ")
            }),
            _ => false,
        })
    });
    if !ok {
        return Err(Error::Usage(format!(
            "{}: could not add the entry to `{list}:` without changing the rest of the file; add it by hand",
            path.display()
        )));
    }
    let tmp = path.with_extension("yml.opsbook-new");
    let write_err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::write(&tmp, new_text).map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(write_err)
}

fn entry_lines(entry: &[String], pad: &str) -> Vec<String> {
    entry
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{pad}- {l}")
            } else {
                format!("{pad}  {l}")
            }
        })
        .collect()
}

/// The folder new documents of `kind` go to: one that exists, preferring one named in the
/// config over the built-in name; a glob's fixed start; `None` when no folder holds the kind
/// (pages: the root).
fn folder_for(cfg: &Config, kind: Kind) -> Option<String> {
    if kind == Kind::PAGE {
        return Some(String::new());
    }
    let mut folders: Vec<&String> = cfg
        .folders
        .iter()
        .filter(|(_, k)| **k == kind)
        .map(|(f, _)| f)
        .collect();
    folders.sort_by_key(|f| (!cfg.root.join(f).is_dir(), f.as_str() == kind.folder()));
    if let Some(f) = folders.first() {
        return Some(f.to_string());
    }
    let spec = cfg.kinds.get(kind)?;
    spec.globs.iter().find_map(|g| {
        let fixed: Vec<&str> = g
            .split('/')
            .take_while(|p| !p.contains(['*', '?', '[', '{']))
            .collect();
        (!fixed.is_empty()).then(|| fixed.join("/"))
    })
}

/// `vendor-security-review` → `Vendor security review`; kinds titled by a name (people,
/// teams) get every word capitalised (`ana-lima` → `Ana Lima`).
fn title_from_id(id: &str, spec: &KindSpec) -> String {
    let every_word = spec.title == TitleRule::Name;
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
        let k = crate::kinds::Kinds::builtin();
        assert_eq!(
            title_from_id("vendor-security-review", k.spec(Kind::PROCESS)),
            "Vendor security review"
        );
        assert_eq!(title_from_id("ana-lima", k.spec(Kind::PERSON)), "Ana Lima");
    }

    #[test]
    fn folders_follow_the_config() {
        let mut cfg = Config::defaults(PathBuf::from("/nonexistent"));
        assert_eq!(
            folder_for(&cfg, Kind::PROCESS).as_deref(),
            Some("processes")
        );
        assert_eq!(folder_for(&cfg, Kind::PAGE).as_deref(), Some(""));
        cfg.folders.insert("bets".into(), Kind::ROADMAP_ITEM);
        assert_eq!(
            folder_for(&cfg, Kind::ROADMAP_ITEM).as_deref(),
            Some("bets")
        );
        cfg.folders.retain(|_, k| *k != Kind::TEAM);
        assert_eq!(folder_for(&cfg, Kind::TEAM), None);
    }

    #[test]
    fn set_key_replaces_or_adds_a_line() {
        let t =
            "---\ntitle: X\nowner: TODO-owner # who\n# team: a team id\nlist:\n  - a\n---\n\n# X\n";
        assert_eq!(
            set_key(t, "owner", "ana"),
            "---\ntitle: X\nowner: ana\n# team: a team id\nlist:\n  - a\n---\n\n# X\n"
        );
        assert!(set_key(t, "team", "core").contains("\nteam: core\nlist:"));
        assert!(set_key(t, "list", "[b]").contains("\nlist: [b]\n---"));
        assert!(set_key(t, "health", "ok").contains("  - a\nhealth: ok\n---"));
    }

    #[test]
    fn set_values_are_yaml() {
        assert_eq!(yaml_value("ana"), "ana");
        assert_eq!(yaml_value("[a, b]"), "[a, b]");
        assert_eq!(yaml_value("2026-Q3"), "2026-Q3");
        assert_eq!(yaml_value("a: b"), "\"a: b\"");
        assert_eq!(yaml_value("0.5"), "0.5");
    }

    #[test]
    fn entries_are_appended_to_the_right_org_list() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("org.yml");
        std::fs::write(
            &p,
            "# people and teams\npeople:\n  - id: ana\n    name: Ana\n\nteams: []\n",
        )
        .unwrap();
        append_to_org(&p, "people", &["id: bo".into(), "name: Bo".into()]).unwrap();
        append_to_org(&p, "teams", &["id: core".into(), "name: Core".into()]).unwrap();
        append_to_org(&p, "roles", &["id: pm".into(), "title: PM".into()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "# people and teams\npeople:\n  - id: ana\n    name: Ana\n  - id: bo\n    name: Bo\n\nteams:\n  - id: core\n    name: Core\nroles:\n  - id: pm\n    title: PM\n"
        );
        std::fs::write(&p, "people: [{id: ana}]\n").unwrap();
        assert!(append_to_org(&p, "people", &["id: bo".into()]).is_err());
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "people: [{id: ana}]\n"
        );
    }
}
