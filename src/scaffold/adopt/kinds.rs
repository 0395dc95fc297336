//! Kinds proposed for folders of documents: which folders, their names, their fields, the
//! references between them, and the fields of pages.

use std::collections::{BTreeMap, BTreeSet};

use super::infer;
use super::scan::Scanned;
use crate::config::Config;
use crate::frontmatter::{self, Node, Value};
use crate::kind::Kind;
use crate::kinds::{COMMON, GENERATOR_KEYS};

/// A kind proposed for a folder.
pub struct Proposed {
    pub name: String,
    pub folder: String,
    pub files: usize,
    /// The key that holds the id, when it is not the file name.
    pub id_key: Option<String>,
    pub fields: Vec<infer::Field>,
    /// Keys left out as typos: key, the key it is near, a file that has it.
    pub typos: Vec<(String, String, String)>,
    /// The folder is a built-in kind's: it is mapped with `folders:`.
    pub remap: bool,
}

/// Whether most files of a folder read cleanly as the built-in kind of that folder.
pub fn reads_as_builtin(group: &[&Scanned], cfg: &Config) -> bool {
    let clean = group
        .iter()
        .filter(|s| {
            let mut diags = Vec::new();
            let _ =
                crate::model::read_markdown(s.path, &s.text.to_string().into(), cfg, &mut diags);
            !diags
                .iter()
                .any(|d| d.severity == crate::diagnostic::Severity::Error)
        })
        .count();
    clean * 10 >= group.len() * 8
}

/// How often each key is written among `files`.
fn key_counts(files: &[&Scanned]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for s in files {
        let mut seen = BTreeSet::new();
        for (k, _) in &s.keys {
            if seen.insert(k) {
                *counts.entry(k.clone()).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// The fields of `keys` over `files`, and the keys left out as typos.
fn fields_of(
    files: &[&Scanned],
    keys: impl Iterator<Item = String>,
    counts: &BTreeMap<String, usize>,
) -> (Vec<infer::Field>, Vec<(String, String, String)>) {
    let mut fields = Vec::new();
    let mut typos = Vec::new();
    for key in keys {
        let count = counts.get(&key).copied().unwrap_or(0);
        if let Some(near) = infer::typo_of(&key, count, counts) {
            let file = files
                .iter()
                .find(|s| s.keys.iter().any(|(k, _)| *k == key))
                .map_or(String::new(), |s| s.path.to_string());
            typos.push((key, near.to_string(), file));
            continue;
        }
        // A key no field can stand for (empty, control characters, a name taken) stays an
        // `unknown-field` finding.
        let name = infer::field_name(&key);
        let taken = COMMON.contains(&name.as_str())
            || fields
                .iter()
                .any(|f: &infer::Field| f.name == name || f.key == name);
        if key.trim().is_empty() || key.chars().any(char::is_control) || taken {
            continue;
        }
        let values: Vec<&Node> = files
            .iter()
            .filter_map(|s| s.keys.iter().find(|(k, _)| *k == key).map(|(_, v)| v))
            .collect();
        let v = infer::Values { key: &key, values };
        fields.push(infer::field(&v, files.len(), None));
    }
    (fields, typos)
}

/// A kind for the files of `folder`, when they share keys of their own.
pub fn kind_for(
    folder: &str,
    group: &[&Scanned],
    cfg: &Config,
    taken: &[Proposed],
) -> Option<Proposed> {
    let with_fm: Vec<&Scanned> = group
        .iter()
        .copied()
        .filter(|s| !s.keys.is_empty())
        .collect();
    if folder.is_empty() || with_fm.len() < 3 || with_fm.len() * 2 < group.len() {
        return None;
    }
    let counts = key_counts(&with_fm);
    let own = |k: &str| !COMMON.contains(&k) && !GENERATOR_KEYS.contains(&k);
    let distinctive = counts
        .iter()
        .any(|(k, n)| own(k) && n * 10 >= with_fm.len() * 6);
    if !distinctive {
        return None;
    }
    let builtin = cfg.kind_of_folder(folder).filter(|k| *k != Kind::PAGE);
    if builtin.is_some() && reads_as_builtin(group, cfg) {
        return None;
    }
    let keys = counts
        .keys()
        .filter(|k| !COMMON.contains(&k.as_str()))
        .cloned();
    let (fields, typos) = fields_of(&with_fm, keys.collect::<Vec<_>>().into_iter(), &counts);
    Some(Proposed {
        name: kind_name(folder, taken),
        folder: folder.to_string(),
        files: group.len(),
        id_key: None,
        fields,
        typos,
        remap: builtin.is_some(),
    })
}

/// A kind name for a folder: its last part, in the singular, as an id (`EIPS` → `eip`); one
/// the handbook cannot take gets `-doc`.
pub fn kind_name(folder: &str, taken: &[Proposed]) -> String {
    let last = folder.rsplit('/').next().unwrap_or(folder);
    let mut name = crate::values::suggest_id(last);
    if let Some(stem) = name.strip_suffix("ies") {
        name = format!("{stem}y");
    } else if name.ends_with("sses") || name.ends_with("xes") {
        name.truncate(name.len() - 2);
    } else if name.len() > 3 && name.ends_with('s') && !name.ends_with("ss") {
        name.pop();
    }
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("doc-{name}").trim_end_matches('-').to_string();
    }
    let usable = |n: &str| {
        let yaml = format!("{n}: {{}}\n");
        let node = frontmatter::parse_yaml(&yaml, 1).ok();
        node.is_some_and(|n| crate::kinds::parse_kinds(&n).is_ok())
            && Kind::builtin(n).is_none()
            && !taken.iter().any(|t| t.name == n)
    };
    if usable(&name) {
        return name;
    }
    let mut candidate = format!("{name}-doc");
    let mut i = 2;
    while !usable(&candidate) {
        candidate = format!("{name}-doc-{i}");
        i += 1;
    }
    candidate
}

/// Reference fields: a key whose values name documents of a proposed kind (by file name, or by
/// a key that holds each document's id, which then becomes the kind's id).
pub fn references(kinds: &mut [Proposed], by_folder: &BTreeMap<&str, Vec<&Scanned>>) {
    // Per kind: ids by file name, and keys whose value is each file's own id.
    let mut ids: Vec<(String, Option<String>, BTreeSet<String>)> = Vec::new();
    for k in kinds.iter() {
        let files = &by_folder[k.folder.as_str()];
        ids.push((
            k.name.clone(),
            None,
            files.iter().map(|s| s.stem.to_string()).collect(),
        ));
        for f in &k.fields {
            let values: Vec<String> = files
                .iter()
                .filter_map(|s| {
                    let v = s
                        .keys
                        .iter()
                        .find(|(key, _)| *key == f.key)?
                        .1
                        .scalar_text()?;
                    let v = v.trim().to_string();
                    let own = s.stem == v
                        || s.stem.ends_with(&format!("-{v}"))
                        || s.stem.ends_with(&format!("_{v}"))
                        || s.stem.starts_with(&format!("{v}-"));
                    (own && crate::values::check_id(&v).is_ok()).then_some(v)
                })
                .collect();
            let unique: BTreeSet<String> = values.iter().cloned().collect();
            // Nine files in ten (a template or a draft may lack it): a file without the key
            // keeps its file name as id.
            if values.len() * 10 >= files.len() * 9 && unique.len() == values.len() {
                ids.push((k.name.clone(), Some(f.key.clone()), unique));
            }
        }
    }
    let mut id_keys: BTreeMap<String, String> = BTreeMap::new();
    for k in kinds.iter_mut() {
        let files = &by_folder[k.folder.as_str()];
        for f in k.fields.iter_mut() {
            if f.spec.starts_with("type: any") {
                continue;
            }
            let mut written = Vec::new();
            for s in files {
                let Some((_, v)) = s.keys.iter().find(|(key, _)| *key == f.key) else {
                    continue;
                };
                let items: Vec<&Node> = match &v.value {
                    Value::Seq(items) => items.iter().collect(),
                    _ => vec![v],
                };
                for item in items {
                    if let Some(t) = item.scalar_text() {
                        written.extend(
                            t.split(',')
                                .map(|p| p.trim().to_string())
                                .filter(|p| !p.is_empty()),
                        );
                    }
                }
            }
            if written.len() < 3 {
                continue;
            }
            // Four in five name a document: a reference field (the others are what `check`
            // reports).
            let target = ids.iter().find(|(_, key, set)| {
                key.as_deref() != Some(f.key.as_str())
                    && written.iter().filter(|w| set.contains(*w)).count() * 5 >= written.len() * 4
            });
            if let Some((kind, key, _)) = target {
                let v = infer::Values {
                    key: &f.key,
                    values: files
                        .iter()
                        .filter_map(|s| s.keys.iter().find(|(k, _)| *k == f.key).map(|(_, v)| v))
                        .collect(),
                };
                let required = f.required;
                *f = infer::field(&v, files.len(), Some(std::slice::from_ref(kind)));
                f.required = required;
                if let Some(key) = key {
                    id_keys.insert(kind.clone(), key.clone());
                }
            }
        }
    }
    for k in kinds.iter_mut() {
        if let Some(key) = id_keys.get(&k.name) {
            k.fields.retain(|f| f.key != *key);
            k.id_key = Some(key.clone());
        }
    }
}

/// The keys pages have that opsbook does not know, as page fields, and typos among them.
pub fn page_keys(pages: &[&Scanned]) -> (Vec<infer::Field>, Vec<(String, String, String)>) {
    let with_fm: Vec<&Scanned> = pages
        .iter()
        .copied()
        .filter(|s| !s.keys.is_empty())
        .collect();
    let counts = key_counts(&with_fm);
    // Typos of the keys opsbook and other generators know count too.
    let mut known = counts.clone();
    for k in COMMON.iter().chain(GENERATOR_KEYS) {
        let n = known.entry(k.to_string()).or_insert(0);
        *n = (*n).max(with_fm.len().max(2));
    }
    let keys: Vec<String> = counts
        .keys()
        .filter(|k| !COMMON.contains(&k.as_str()) && !GENERATOR_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    let (mut fields, typos) = fields_of(&with_fm, keys.into_iter(), &known);
    // A page's field is never required: pages need no frontmatter.
    for f in &mut fields {
        f.required = false;
    }
    (fields, typos)
}
