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
mod kinds;
mod links;
mod scan;
mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{NewFile, absolute, write_all};
use crate::config::{CONFIG_FILE, Config, is_index_page};
use crate::discover;
use crate::error::Error;
use crate::kind::Kind;
use kinds::{Proposed, kind_for, page_keys, reads_as_builtin, references};
use scan::{Scanned, Settings, build_outputs, own_output, scan};
use text::{Draft, config_text};

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
    "mkdocs.yml",
    "mkdocs.yaml",
];

/// What `init --adopt` did.
#[derive(Debug)]
pub struct Adopted {
    /// The config written.
    pub config: PathBuf,
    /// What it proposed and why, one line each.
    pub lines: Vec<String>,
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
    // Dependencies may sit at any depth; another generator's output where it was found.
    let mut patterns: Vec<String> = Vec::new();
    for o in &outputs {
        let name = o.rsplit('/').next().unwrap_or(o);
        let p = if scan::ANYWHERE.contains(&name) {
            format!("{name}/")
        } else {
            format!("/{o}/")
        };
        if !patterns.contains(&p) {
            patterns.push(p);
        }
    }
    cfg.ignore = patterns;
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
                if folder_kind(&cfg, folder) != Kind::PAGE && !reads_as_builtin(group, &cfg) {
                    page_folders.insert(folder.to_string());
                }
            }
        }
    }
    references(&mut kinds, &by_folder);
    // The keys of pages: every file no proposed kind holds.
    let kind_folders: BTreeSet<&str> = kinds.iter().map(|k| k.folder.as_str()).collect();
    let builtin_folder = |f: &str| folder_kind(&cfg, f) != Kind::PAGE && !page_folders.contains(f);
    let pages: Vec<&Scanned> = scanned
        .iter()
        .filter(|s| {
            is_index_page(s.path) || !(kind_folders.contains(s.folder) || builtin_folder(s.folder))
        })
        .collect();
    let (mut page_fields, page_typos) = page_keys(&pages);
    // The config so far: what the files are.
    let (title, ignore) = (settings.title.as_str(), cfg.ignore.as_slice());
    // Should the kinds proposed not load (a shape of keys this does not foresee), the rest is
    // still worth having: it is written without them.
    let with_kinds = config_text(&Draft::of_files(
        title,
        &output,
        ignore,
        &page_folders,
        &page_fields,
        &kinds,
    ));
    if let Err(e) = Config::parse(root.clone(), &config, &with_kinds) {
        lines.push(format!("no kinds proposed: {e}"));
        kinds.clear();
        page_fields.clear();
    }

    let base = Draft::of_files(title, &output, ignore, &page_folders, &page_fields, &kinds);
    // The handbook as proposed so far, to see how its links are written.
    let text = config_text(&base);
    let draft = Config::parse(root.clone(), &config, &text)?;
    let proposal = links::propose(&draft, &files, settings.base_path.as_deref());
    let mut link_lines: Vec<String> = proposal.why.iter().map(|(s, _)| s.clone()).collect();
    link_lines.retain(|l| !l.starts_with("slugs:"));
    let mut nav: Vec<&str> = NAV_FILES
        .iter()
        .copied()
        .filter(|f| discover::walk::real_file(&root, f).is_some())
        .collect();
    if let Some(summary) = &settings.summary
        && !nav.contains(&summary.as_str())
    {
        nav.push(summary);
    }
    if !nav.is_empty() {
        link_lines.push(format!(
            "nav: [{}]",
            nav.iter()
                .map(|n| text::flow_scalar(n))
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
    let hidden: Vec<&str> = crate::config::sections::SECTIONS
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

    let mut draft = Draft {
        sections: &hidden,
        links: &link_lines,
        markdown: &markdown,
        ..base
    };
    // The handbook as it will be read: pages that would take a page the site makes (Jekyll's
    // `404.md`, a `search.md`) are the other generator's, and `orphan-page` is noise where most
    // pages are reached through the generator's navigation.
    let proposed = Config::parse(root.clone(), &config, &config_text(&draft))?;
    let (hb, _) = crate::model::build(&files, &proposed);
    let unwritten = proposed.unwritten_pages(&hb.used_kinds());
    let home = crate::model::links::home_page(&hb).map(|d| d.path.clone());
    let taken: Vec<&str> = hb
        .docs
        .iter()
        .filter(|d| d.kind == Kind::PAGE && !d.id.is_empty() && home.as_ref() != Some(&d.path))
        .filter(|d| {
            let url = d.url().to_lowercase();
            crate::model::links::GENERATED.contains(&url.as_str()) && !unwritten.contains(&url)
        })
        .map(|d| d.path.as_str())
        .collect();
    let mut ignore = cfg.ignore.clone();
    ignore.extend(taken.iter().map(|p| format!("/{p}")));
    let counted = |path: &str| !taken.contains(&path);
    let pages = hb
        .docs
        .iter()
        .filter(|d| d.kind == Kind::PAGE && counted(&d.path))
        .count();
    let orphans = crate::validate::run(&hb, &proposed, jiff::civil::date(2000, 1, 1))
        .iter()
        .filter(|d| d.rule == crate::rules::Rule::OrphanPage)
        .filter(|d| counted(&d.path.to_string_lossy()))
        .count();
    let rules: Vec<String> = if pages >= 4 && orphans * 2 > pages {
        vec!["orphan-page: off".to_string()]
    } else {
        Vec::new()
    };
    draft.ignore = &ignore;
    draft.rules = &rules;
    let text = config_text(&draft);
    // What is written must load.
    Config::parse(root.clone(), &config, &text)?;

    // What it proposed, and why.
    for o in &cfg.ignore {
        let name = o.trim_matches('/').rsplit('/').next().unwrap_or(o);
        lines.push(if scan::FROZEN.contains(&name) {
            format!("ignore {o}: copies of earlier versions of the docs, never edited here")
        } else {
            format!("ignore {o}: output or dependencies of another tool, not content")
        });
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
            folder_kind(&cfg, f)
        ));
    }
    if !page_fields.is_empty() {
        let keys: Vec<&str> = page_fields.iter().map(|f| f.key.as_str()).collect();
        lines.push(format!("fields of pages: {}", keys.join(", ")));
    }
    for (key, near, file) in &page_typos {
        lines.push(format!(
            "pages: left out `{key}` ({file}): it looks like a typo of `{near}`, which `check` \
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
    for p in &taken {
        lines.push(format!(
            "ignore /{p}: it would take the place of a page the site makes (another \
             generator's page)"
        ));
    }
    if !rules.is_empty() {
        lines.push(format!(
            "rules: orphan-page: off: no page links to {orphans} of the {pages} pages (the \
             other generator's navigation reaches them); `links.nav` names a navigation file \
             instead"
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

/// The kind the files of `folder` have by default (a folder nested in a kind's folder is that
/// kind's).
fn folder_kind(cfg: &Config, folder: &str) -> Kind {
    cfg.kind_of_path(&format!("{folder}/x.md"))
}

#[cfg(test)]
mod tests;
