//! `opsbook init --adopt [DIR]`: an `opsbook.yml` for a repository that already has its docs —
//! another generator's handbook, a folder of RFCs or standards with their own frontmatter — so
//! that the first `opsbook check` reports real problems only.
//!
//! It reads the Markdown frontmatter folder by folder and proposes a kind for each folder whose
//! files share keys of their own (with a field per key: its type and enum words inferred from
//! the values, required where every file has it; a key written in a few files that is a near
//! miss of a common one is left out, so `check` reports it), the other keys pages have, the
//! build output folders to ignore, the site sections the repository has no documents for, and
//! how its links are written. It writes nothing but `opsbook.yml`, never over an existing file,
//! and says what it proposed and why.

mod infer;
mod links;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{NewFile, absolute, write_all, yaml_scalar};
use crate::config::{CONFIG_FILE, Config, is_index_page};
use crate::discover::{self, SourceFile};
use crate::error::Error;
use crate::frontmatter::{self, Node, Value};
use crate::kind::Kind;
use crate::kinds::{COMMON, GENERATOR_KEYS};

/// Folders other tools write their output or dependencies to: never content.
const ALWAYS_OUTPUT: &[&str] = &[
    "_site",
    "node_modules",
    "vendor",
    "_build",
    "bower_components",
];
/// Folders that are build output when they hold HTML.
const HTML_OUTPUT: &[&str] = &["public", "site", "build", "dist", "out"];
/// Navigation data files of other generators, from the root.
const NAV_FILES: &[&str] = &[
    "_data/navigation.yml",
    "_data/navigation.yaml",
    "_data/navigation.json",
    "_data/nav.yml",
    "_data/nav.yaml",
    "_data/nav.json",
    "_data/sidebar.yml",
    "_data/sidebar.json",
    "_data/toc.yml",
    "_data/menu.yml",
    "SUMMARY.md",
    "_sidebar.md",
    "sidebars.js",
    "sidebars.json",
];

/// What `init --adopt` did.
#[derive(Debug)]
pub struct Adopted {
    /// The config written.
    pub config: PathBuf,
    /// What it proposed and why, one line each.
    pub lines: Vec<String>,
}

/// One Markdown file as adoption sees it.
struct Scanned<'a> {
    path: &'a str,
    folder: &'a str,
    stem: &'a str,
    /// Its frontmatter keys and values (none without frontmatter).
    keys: Vec<(String, Node)>,
    body: &'a str,
    /// The whole file.
    text: &'a str,
}

/// A kind proposed for a folder.
struct Proposed {
    name: String,
    folder: String,
    files: usize,
    /// The key that holds the id, when it is not the file name.
    id_key: Option<String>,
    fields: Vec<infer::Field>,
    /// Keys left out as typos: key, the key it is near, a file that has it.
    typos: Vec<(String, String, String)>,
    /// The folder is a built-in kind's: it is mapped with `folders:`.
    remap: bool,
}

/// Write an `opsbook.yml` proposed for the repository at `dir` (made absolute from `cwd`).
pub fn adopt(dir: &Path, cwd: &Path) -> Result<Adopted, Error> {
    let dir = absolute(cwd, dir);
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no such folder (`init --adopt` reads an existing repository)",
            dir.display()
        )));
    }
    let root = dir.canonicalize().unwrap_or(dir);
    let config = root.join(CONFIG_FILE);
    if config.symlink_metadata().is_ok() {
        return Err(Error::Exists {
            paths: vec![super::shown(&config, cwd)],
        });
    }
    let mut lines = Vec::new();
    let outputs = build_outputs(&root);
    let output = own_output(&root, &outputs);
    let mut cfg = Config::defaults(root.clone());
    cfg.ignore = outputs.iter().map(|o| format!("/{o}/")).collect();
    cfg.output = PathBuf::from(&output);
    let (files, _) = discover::sources(&cfg)?;
    let scanned: Vec<Scanned> = files.iter().filter_map(scan).collect();
    let settings = Settings::of(&root);

    // Kinds, folder by folder.
    let mut by_folder: BTreeMap<&str, Vec<&Scanned>> = BTreeMap::new();
    for s in scanned.iter().filter(|s| !is_index_page(s.path)) {
        by_folder.entry(s.folder).or_default().push(s);
    }
    let mut kinds: Vec<Proposed> = Vec::new();
    let mut page_folders: BTreeSet<String> = BTreeSet::new();
    for (folder, group) in &by_folder {
        match kind_for(folder, group, &cfg, &kinds) {
            Some(k) => kinds.push(k),
            None => {
                if cfg.kind_of_folder(folder).is_some_and(|k| k != Kind::PAGE)
                    && !reads_as_builtin(group, &cfg)
                {
                    page_folders.insert(folder.to_string());
                }
            }
        }
    }
    references(&mut kinds, &by_folder);
    // The keys of pages: every file no proposed kind holds.
    let kind_folders: BTreeSet<&str> = kinds.iter().map(|k| k.folder.as_str()).collect();
    let builtin_folder = |f: &str| {
        cfg.kind_of_folder(f).is_some_and(|k| k != Kind::PAGE) && !page_folders.contains(f)
    };
    let pages: Vec<&Scanned> = scanned
        .iter()
        .filter(|s| {
            is_index_page(s.path) || !(kind_folders.contains(s.folder) || builtin_folder(s.folder))
        })
        .collect();
    let (page_fields, page_typos) = page_keys(&pages);

    // The handbook as proposed so far, to see how its links are written.
    let text = config_text(&Draft {
        title: &settings.title,
        output: &output,
        ignore: &cfg.ignore,
        sections: &[],
        links: &[],
        markdown: &[],
        page_folders: &page_folders,
        page_fields: &page_fields,
        kinds: &kinds,
    });
    let draft = Config::parse(root.clone(), &config, &text)?;
    let proposal = links::propose(&draft, &files, settings.base_path.as_deref());
    let mut link_lines: Vec<String> = proposal.why.iter().map(|(s, _)| s.clone()).collect();
    link_lines.retain(|l| !l.starts_with("slugs:"));
    let nav: Vec<&str> = NAV_FILES
        .iter()
        .copied()
        .filter(|f| discover::walk::real_file(&root, f).is_some())
        .collect();
    if !nav.is_empty() {
        link_lines.push(format!(
            "nav: [{}]",
            nav.iter()
                .map(|n| yaml_scalar(n))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut markdown = Vec::new();
    if let Some(rule) = proposal.slugs {
        markdown.push(format!("slugs: {}", rule.name()));
    }
    let templated = scanned
        .iter()
        .filter(|s| crate::markdown::shortcodes::blank(s.body) != s.body)
        .count();
    if templated > 0 {
        markdown.push("shortcodes: strip".to_string());
    }

    // Sections without documents.
    let (hb, _) = crate::model::build(&files, &draft);
    let used = hb.used_kinds();
    let hidden: Vec<&str> = crate::config::options::SECTIONS
        .iter()
        .filter(|s| !matches!(s.name, "pages" | "changes" | "health"))
        .filter(|s| match s.kind {
            Some(k) => !used.contains(&k),
            // Ownership: who holds what, from people, roles and teams.
            None => ![Kind::PERSON, Kind::ROLE, Kind::TEAM]
                .iter()
                .any(|k| used.contains(k)),
        })
        .map(|s| s.name)
        .collect();

    let text = config_text(&Draft {
        title: &settings.title,
        output: &output,
        ignore: &cfg.ignore,
        sections: &hidden,
        links: &link_lines,
        markdown: &markdown,
        page_folders: &page_folders,
        page_fields: &page_fields,
        kinds: &kinds,
    });
    // What is written must load.
    Config::parse(root.clone(), &config, &text)?;

    // What it proposed, and why.
    for o in &outputs {
        lines.push(format!(
            "ignore /{o}/: output or dependencies of another tool, not content"
        ));
    }
    if output != "site" {
        lines.push(format!(
            "output: {output}: `site/` holds files opsbook did not generate, so the site goes \
             here"
        ));
    }
    for k in &kinds {
        let fields: Vec<String> = k
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{} ({}{})",
                    f.key,
                    f.why,
                    if f.required { ", in every file" } else { "" }
                )
            })
            .collect();
        lines.push(format!(
            "kind {} for {}/ ({} files): {}",
            k.name,
            k.folder,
            k.files,
            fields.join("; ")
        ));
        if let Some(id) = &k.id_key {
            lines.push(format!(
                "  its id is `{id}` (other documents refer to it by that value)"
            ));
        }
        for (key, near, file) in &k.typos {
            lines.push(format!(
                "  left out `{key}` ({file}): it looks like a typo of `{near}`, which `check` \
                 reports"
            ));
        }
    }
    for f in &page_folders {
        lines.push(format!(
            "folders: {f}: page: its files are pages, not {} documents",
            cfg.kind_of_folder(f).map_or("", Kind::as_str)
        ));
    }
    if !page_fields.is_empty() {
        let keys: Vec<&str> = page_fields.iter().map(|f| f.key.as_str()).collect();
        lines.push(format!("fields of pages: {}", keys.join(", ")));
    }
    for (key, near, file) in &page_typos {
        lines.push(format!(
            "  left out `{key}` ({file}): it looks like a typo of `{near}`, which `check` \
             reports"
        ));
    }
    for (setting, why) in &proposal.why {
        lines.push(format!("{setting}: {why}"));
    }
    if !nav.is_empty() {
        lines.push(format!(
            "links.nav: {}: the pages it links to are not orphans",
            nav.join(", ")
        ));
    }
    if templated > 0 {
        lines.push(format!(
            "markdown.shortcodes: strip: {templated} file{} template shortcodes ({{% … %}}, \
             {{{{ … }}}}), which opsbook does not expand (`code` shows them as written)",
            if templated == 1 { " uses" } else { "s use" }
        ));
    }
    if !hidden.is_empty() {
        lines.push(format!(
            "sections hidden (no documents for them): {}",
            hidden.join(", ")
        ));
    }
    write_all(
        &[NewFile {
            path: config.clone(),
            text,
        }],
        cwd,
    )?;
    Ok(Adopted { config, lines })
}

/// Build output folders of other tools: at the root and one level down.
fn build_outputs(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let dirs = |p: &Path| -> Vec<String> {
        std::fs::read_dir(p)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut top = dirs(root);
    top.sort();
    for name in &top {
        if is_output(&root.join(name), name) {
            out.push(name.clone());
            continue;
        }
        let mut inner = dirs(&root.join(name));
        inner.sort();
        for sub in inner {
            if is_output(&root.join(name).join(&sub), &sub) {
                out.push(format!("{name}/{sub}"));
            }
        }
    }
    out
}

/// Whether the folder `dir` named `name` is another tool's output (not opsbook's own site).
fn is_output(dir: &Path, name: &str) -> bool {
    if dir.join(crate::site::MARKER).exists() {
        return false;
    }
    ALWAYS_OUTPUT.contains(&name) || (HTML_OUTPUT.contains(&name) && holds_html(dir, 3))
}

fn holds_html(dir: &Path, depth: u32) -> bool {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return false;
    };
    rd.filter_map(Result::ok).take(500).any(|e| {
        let Ok(t) = e.file_type() else { return false };
        let name = e.file_name().to_string_lossy().into_owned();
        (t.is_file() && name.ends_with(".html"))
            || (t.is_dir() && depth > 0 && holds_html(&e.path(), depth - 1))
    })
}

/// The site's folder: `site`, unless that is another tool's output.
fn own_output(root: &Path, outputs: &[String]) -> String {
    ["site", "_opsbook", "opsbook-site"]
        .into_iter()
        .find(|o| {
            let p = root.join(o);
            !outputs.iter().any(|x| x == o) && (!p.exists() || p.join(crate::site::MARKER).exists())
        })
        .unwrap_or("opsbook-site")
        .to_string()
}

/// A Markdown file's frontmatter keys (none when it has no readable frontmatter).
fn scan(file: &SourceFile) -> Option<Scanned<'_>> {
    if !file.rel_path.ends_with(".md") {
        return None;
    }
    let text = file.text.as_ref().ok()?;
    let text = frontmatter::strip_bom(text);
    let (yaml, body) = match frontmatter::split(text) {
        Ok(s) => (
            s.yaml
                .and_then(|y| frontmatter::parse_yaml(y, s.yaml_line).ok()),
            s.body,
        ),
        Err(_) => (None, text),
    };
    let keys = match yaml.map(|n| n.value) {
        Some(Value::Map(entries)) => entries.into_iter().map(|(k, v)| (k.name, v)).collect(),
        _ => Vec::new(),
    };
    let path = file.rel_path.as_str();
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    Some(Scanned {
        path,
        folder,
        stem: name.strip_suffix(".md").unwrap_or(name),
        keys,
        body,
        text,
    })
}

/// Whether most files of a folder read cleanly as the built-in kind of that folder.
fn reads_as_builtin(group: &[&Scanned], cfg: &Config) -> bool {
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
fn kind_for(
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
fn kind_name(folder: &str, taken: &[Proposed]) -> String {
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
fn references(kinds: &mut [Proposed], by_folder: &BTreeMap<&str, Vec<&Scanned>>) {
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
            if values.len() == files.len() && unique.len() == values.len() {
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
fn page_keys(pages: &[&Scanned]) -> (Vec<infer::Field>, Vec<(String, String, String)>) {
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

/// What another generator's config says: the site's title and the path it is published under.
struct Settings {
    title: String,
    base_path: Option<String>,
}

impl Settings {
    fn of(root: &Path) -> Settings {
        let read = |name: &str| {
            discover::walk::real_file(root, name)
                .and_then(|p| std::fs::read_to_string(p).ok())
                .and_then(|t| frontmatter::parse_yaml(&t, 1).ok())
        };
        let text = |n: &Node, key: &str| n.get(key).and_then(Node::scalar_text);
        let mut title = None;
        let mut base_path = None;
        for name in [
            "_config.yml",
            "_config.yaml",
            "mkdocs.yml",
            "hugo.yaml",
            "config.yaml",
        ] {
            if let Some(n) = read(name) {
                title = title
                    .or_else(|| text(&n, "title"))
                    .or_else(|| text(&n, "site_name"));
                base_path = base_path
                    .or_else(|| text(&n, "baseurl"))
                    .or_else(|| text(&n, "baseURL").map(|u| url_path(&u)));
            }
        }
        let fallback = root
            .file_name()
            .map_or("Handbook".to_string(), |n| n.to_string_lossy().into_owned());
        Settings {
            title: title.filter(|t| !t.trim().is_empty()).unwrap_or(fallback),
            base_path: base_path.filter(|b| !b.trim_matches('/').is_empty()),
        }
    }
}

/// The path of a URL: `https://acme.io/handbook/` → `/handbook/`.
fn url_path(url: &str) -> String {
    let after = url.split_once("://").map_or(url, |(_, rest)| rest);
    after
        .find('/')
        .map_or("/".into(), |i| after[i..].to_string())
}

/// Everything `opsbook.yml` says.
struct Draft<'a> {
    title: &'a str,
    output: &'a str,
    ignore: &'a [String],
    sections: &'a [&'a str],
    links: &'a [String],
    markdown: &'a [String],
    page_folders: &'a BTreeSet<String>,
    page_fields: &'a [infer::Field],
    kinds: &'a [Proposed],
}

/// One field's line: `name: {type: …, required: true}  # why`.
fn field_line(f: &infer::Field) -> String {
    let required = if f.required { ", required: true" } else { "" };
    format!(
        "      {}: {{{}{required}}}  # {}\n",
        yaml_scalar(&f.name),
        f.spec,
        f.why
    )
}

/// The text of the proposed `opsbook.yml`.
fn config_text(d: &Draft) -> String {
    let mut out = String::from(
        "# Proposed by `opsbook init --adopt` for a repository that already has its docs: change\n\
         # what does not fit. docs/adopting.md explains each setting.\n",
    );
    out.push_str(&format!("title: {}\n", yaml_scalar(d.title)));
    out.push_str(&format!("output: {}\n", yaml_scalar(d.output)));
    if !d.ignore.is_empty() {
        out.push_str(
            "# Output and dependencies of other tools (.gitignore counts too).\nignore:\n",
        );
        for i in d.ignore {
            out.push_str(&format!(
                "  - {}\n",
                serde_json::to_string(i).unwrap_or_default()
            ));
        }
    }
    if !d.sections.is_empty() {
        out.push_str("# Built-in sections this repository has no documents for.\nsections:\n");
        for s in d.sections {
            out.push_str(&format!("  {s}: hide\n"));
        }
    }
    if !d.links.is_empty() {
        out.push_str("# How the links of this repository are written.\nlinks:\n");
        for l in d.links {
            out.push_str(&format!("  {l}\n"));
        }
    }
    if !d.markdown.is_empty() {
        out.push_str("markdown:\n");
        for m in d.markdown {
            out.push_str(&format!("  {m}\n"));
        }
    }
    let remapped: Vec<&Proposed> = d.kinds.iter().filter(|k| k.remap).collect();
    if !d.page_folders.is_empty() || !remapped.is_empty() {
        out.push_str(
            "# Folders named like a built-in kind's that hold other documents.\nfolders:\n",
        );
        for f in d.page_folders {
            out.push_str(&format!("  {}: page\n", yaml_scalar(f)));
        }
        for k in remapped {
            out.push_str(&format!("  {}: {}\n", yaml_scalar(&k.folder), k.name));
        }
    }
    if d.kinds.is_empty() && d.page_fields.is_empty() {
        return out;
    }
    out.push_str("kinds:\n");
    if !d.page_fields.is_empty() {
        out.push_str("  # Keys pages have besides those of other generators (layout, permalink, …).\n  page:\n    fields:\n");
        for f in d.page_fields {
            out.push_str(&field_line(f));
        }
        aliases(&mut out, d.page_fields, None);
    }
    for k in d.kinds {
        out.push_str(&format!(
            "  {}:\n    folder: {}\n",
            k.name,
            yaml_scalar(&k.folder)
        ));
        if !k.fields.is_empty() {
            out.push_str("    fields:\n");
            for f in &k.fields {
                out.push_str(&field_line(f));
            }
        }
        aliases(&mut out, &k.fields, k.id_key.as_deref());
    }
    out
}

/// `aliases:` for keys that are not field names (`Start Date` → `start_date`) and the key that
/// holds the id.
fn aliases(out: &mut String, fields: &[infer::Field], id_key: Option<&str>) {
    let mut lines: Vec<String> = fields
        .iter()
        .filter(|f| f.key != f.name)
        .map(|f| format!("{}: {}", yaml_scalar(&f.key), f.name))
        .collect();
    if let Some(key) = id_key {
        lines.push(format!("{}: id", yaml_scalar(key)));
    }
    if !lines.is_empty() {
        out.push_str(&format!("    aliases: {{{}}}\n", lines.join(", ")));
    }
}

#[cfg(test)]
mod tests;
