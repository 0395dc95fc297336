//! Links in Markdown bodies: every link that leads nowhere on the site (files, folders,
//! anchors, `kind:id` links; the link model decides), URL collisions, orphan pages.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::Selection;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span, closest, did_you_mean};
use crate::kind::Kind;
use crate::markdown::BodyLink;
use crate::model::links::{Broken, Dest, GENERATED, Links, Unpublished, home_page, is_index_page};
use crate::model::{Doc, Handbook};
use crate::publish::NotPublished;
use crate::rules::Rule;

/// Report every link of `doc` that leads nowhere on the site.
pub(super) fn check(links: &Links, doc: &Doc, out: &mut Vec<Diagnostic>) {
    for link in &doc.outline().links {
        if let Err(broken) = links.resolve(&link.url, doc) {
            out.push(finding(links, doc, link, broken));
        }
    }
}

fn finding(links: &Links, doc: &Doc, link: &BodyLink, broken: Broken) -> Diagnostic {
    let (hb, path, url) = (links.hb, doc.path.as_str(), &link.url);
    let at = |rule| Diagnostic::new(rule, path, Some(link.span));
    match broken {
        Broken::Outside => at(Rule::BrokenLink)
            .message(format!("link `{url}` points outside the handbook"))
            .help("link to a file inside the handbook, or use a full https:// URL"),
        Broken::Missing(target) => {
            let paths = hb.docs.iter().map(|d| d.path.as_str());
            let help = likely_path(&target, paths).map(|p| {
                let h = format!("did you mean `{p}`?");
                format!(
                    "{h} (links are relative to {})",
                    if path.contains('/') {
                        "this file's folder"
                    } else {
                        "the handbook root"
                    }
                )
            });
            at(Rule::BrokenLink)
                .message(format!(
                    "link `{url}` points at `{target}`, which does not exist"
                ))
                .help_opt(help)
        }
        Broken::NoDoc { kind, id } => at(Rule::UnresolvedLinkRef)
            .message(format!("link `{url}` names no {kind}"))
            .help_opt(did_you_mean(&id, hb.ids_of(&[kind]))),
        Broken::Unpublished { path: target, why } => {
            let (what, help) = match why {
                Unpublished::Folder => (
                    format!("the folder `{target}/`, which has no page on the site"),
                    match hb
                        .docs
                        .iter()
                        .find(|d| d.path.starts_with(&format!("{target}/")))
                    {
                        Some(d) => format!("link to a page in it, e.g. `{}`", d.path),
                        None => "link to a file in it: the site has no page for a folder".into(),
                    },
                ),
                Unpublished::Registry => (
                    "`org.yml`, which the site does not publish (its entries have pages)".into(),
                    "link to an entry instead: `person:ID`, `role:ID` or `team:ID`".into(),
                ),
                Unpublished::NoPage => (
                    format!("`{target}`, which gets no page on the site (it has no id)"),
                    "give the document an `id:`".into(),
                ),
                Unpublished::File(why) => (
                    format!(
                        "`{target}`, {}, which the site does not publish",
                        why.describe()
                    ),
                    match why {
                        NotPublished::Hidden => {
                            "hidden files are never published: link to a visible copy (e.g. \
                             under `static/`), or use a full https:// URL"
                        }
                        NotPublished::OutsideRoot => {
                            "copy the file into the handbook, or link to it with a full \
                             https:// URL"
                        }
                        NotPublished::Output => "link to the source, not to the built site",
                        NotPublished::NotRegular => "link to a regular file",
                        NotPublished::Source => {
                            "opsbook does not read Markdown under `templates/`, \
                             `node_modules/` or an ignored folder: link to a page of the \
                             handbook's content"
                        }
                        NotPublished::Ignored => {
                            "link to a file the site publishes, or take it out of `ignore:`"
                        }
                    }
                    .into(),
                ),
            };
            at(Rule::UnpublishedLink)
                .message(format!("link `{url}` points at {what}"))
                .help(help)
        }
        Broken::Anchor { anchor, page } => match page {
            Dest::SameDoc => anchor_finding(links, doc, &anchor, at(Rule::BrokenAnchor)),
            Dest::Doc(target) => anchor_finding(links, target, &anchor, at(Rule::BrokenAnchor)),
            other => {
                let page = other.site_path().unwrap_or_default();
                at(Rule::BrokenAnchor)
                    .message(format!(
                        "`#{anchor}` is not an anchor of `{page}`, a page the site generates \
                         (its anchors may change with its template)"
                    ))
                    .help(format!("link to the page itself, without `#{anchor}`"))
            }
        },
    }
}

fn anchor_finding(links: &Links, target: &Doc, anchor: &str, d: Diagnostic) -> Diagnostic {
    let outline = target.outline();
    let name = if target.path == "org.yml" {
        target.handle()
    } else {
        target.path.clone()
    };
    let mut ids: Vec<&str> = outline.headings.iter().map(|h| h.slug.as_str()).collect();
    ids.extend(outline.footnotes.iter().map(String::as_str));
    if links.raw_html {
        ids.extend(outline.html_ids.iter().map(String::as_str));
    }
    let help = did_you_mean(anchor, ids.iter().copied()).unwrap_or_else(|| {
        if outline.headings.is_empty() {
            format!("{name} has no headings")
        } else {
            format!(
                "headings of {name}: {}",
                outline
                    .headings
                    .iter()
                    .take(8)
                    .map(|h| format!("#{}", h.slug))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    });
    d.message(format!("`#{anchor}` is not a heading of {name}"))
        .help(help)
}

/// Two documents (or a document and a generated page) rendered to one URL.
pub(super) fn url_collisions(hb: &Handbook, cfg: &Config, out: &mut Vec<Diagnostic>) {
    let unwritten = cfg.unwritten_pages(&hb.used_kinds());
    let mut generated: HashSet<String> = GENERATED.iter().map(|g| g.to_string()).collect();
    generated.extend(cfg.kinds.custom().map(|s| s.index_url()));
    generated.retain(|g| !unwritten.contains(g));
    let home = home_page(hb).map(|d| d.path.as_str());
    let mut seen: HashMap<String, &Doc> = HashMap::new();
    for doc in &hb.docs {
        if doc.id.is_empty() {
            continue;
        }
        let url = doc.url();
        let lower = url.to_lowercase();
        // The root's `index.md` is the home page: it takes the place of the generated one.
        if generated.contains(&lower) && home != Some(doc.path.as_str()) {
            out.push(
                Diagnostic::new(Rule::UrlCollision, doc.path.as_str(), Some(doc.id_span))
                    .message(format!(
                        "{} would be rendered to `{url}`, a page the site generates",
                        doc.path
                    ))
                    .help(
                        "rename the file or give it another `id:` (or hide the section, when it \
                         has no documents: `sections:` in opsbook.yml)",
                    ),
            );
            continue;
        }
        match seen.get(&lower) {
            Some(prev) if prev.kind == doc.kind && prev.id == doc.id => {} // duplicate-id reports it
            Some(prev) => out.push(
                Diagnostic::new(Rule::UrlCollision, doc.path.as_str(), Some(doc.id_span))
                    .message(format!(
                        "{} and {} would both be rendered to `{url}`",
                        prev.path, doc.path
                    ))
                    .help("rename one of them (URLs are compared without case, as on many hosts)"),
            ),
            None => {
                seen.insert(lower, doc);
            }
        }
    }
}

/// Pages no other document links to: by a link the link model resolves to the page (a link to
/// a folder reaches its index page), or by a link in a navigation file (`links.nav`). The
/// root's index page (`README.md`, `index.md`) is where readers start: never an orphan; nor is
/// a page whose frontmatter places it in another generator's navigation ([`NAV_KEYS`]).
pub(super) fn orphans(
    links: &Links,
    cfg: &Config,
    selected: &Selection<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let hb = links.hb;
    let pages: Vec<&Doc> = hb
        .docs
        .iter()
        .filter(|d| d.kind == Kind::PAGE && !d.id.is_empty() && selected(&d.path))
        .filter(|d| d.path.contains('/') || !is_index_page(&d.path))
        .filter(|d| {
            let fm = d.frontmatter.as_ref();
            !NAV_KEYS.iter().any(|k| fm.and_then(|f| f.get(k)).is_some())
        })
        .collect();
    if pages.is_empty() {
        return;
    }
    // A link to a page names its file stem (`intro.md`, `page:guides/intro`, `intro/`), or its
    // folder's name for an index page. For a few pages, only documents whose text holds one of
    // these names can link to them, so only those are parsed; a name that could be
    // percent-encoded in a link rules the shortcut out.
    let names: Vec<&str> = pages.iter().map(|d| link_name(&d.path)).collect();
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let few = pages.len() <= 32 && names.iter().all(|s| plain(s));
    let sources: Vec<&Doc> = hb
        .docs
        .par_iter()
        .filter(|d| !few || names.iter().any(|s| d.body().contains(s)))
        .collect();
    let mut linked: HashSet<&str> = sources
        .par_iter()
        .flat_map_iter(|doc| {
            doc.outline().links.iter().filter_map(|link| {
                match links.resolve(&link.url, doc).map(|r| r.dest) {
                    Ok(Dest::Doc(d)) if d.path != doc.path => Some(d.path.as_str()),
                    _ => None,
                }
            })
        })
        .collect();
    for nav in &cfg.links.nav {
        // The navigation itself (an mdBook's `SUMMARY.md`) needs no link to it.
        linked.insert(nav.as_str());
        match crate::discover::walk::real_file(&cfg.root, nav)
            .and_then(|p| std::fs::read_to_string(p).ok())
        {
            Some(text) => linked.extend(nav_links(links, nav, &text)),
            None => out.push(
                Diagnostic::new(Rule::OrphanPage, crate::config::CONFIG_FILE, None)
                    .message(format!(
                        "`links.nav` names `{nav}`, which is not a readable file of the \
                         handbook: its links do not count"
                    ))
                    .help("give the navigation file's path from the handbook root"),
            ),
        }
    }
    for doc in pages {
        if !linked.contains(doc.path.as_str()) {
            out.push(
                Diagnostic::new(Rule::OrphanPage, doc.path.as_str(), Some(Span::START))
                    .message(format!("no document links to {}", doc.path))
                    .help(
                        "link to it from a related page or its folder's index page, or remove \
                         it (a navigation file's links count with `links.nav` in opsbook.yml)",
                    ),
            );
        }
    }
}

/// Frontmatter keys that place a page in the navigation another generator makes (Just the
/// Docs' `parent` and `nav_order`, Eleventy's `eleventyNavigation`, Docusaurus'
/// `sidebar_position`, Hugo's `menu` and `weight`): such a page is linked from every page.
const NAV_KEYS: &[&str] = &[
    "eleventyNavigation",
    "menu",
    "nav_order",
    "parent",
    "sidebar_position",
    "weight",
];

/// The pages a navigation file links to. Whatever its format (YAML or JSON data, a script,
/// a Markdown list), every word of it that reads as a link is tried: from MkDocs' `docs_dir`
/// for an `mkdocs.yml`, from the file's folder, then from the root.
fn nav_links<'h>(links: &Links<'h>, nav: &str, text: &str) -> Vec<&'h str> {
    let docs_dir = mkdocs_docs_dir(nav, text);
    text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '`' | ',' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '='
            )
    })
    .map(|w| w.trim_end_matches(':'))
    .filter(|w| w.contains('/') || w.ends_with(".md") || w.ends_with(".html"))
    .filter_map(|w| {
        let from_docs = docs_dir.as_deref().and_then(|from| links.doc_at(w, from));
        from_docs
            .or_else(|| links.doc_at(w, nav))
            .or_else(|| links.doc_at(w, ""))
    })
    .map(|d| d.path.as_str())
    .collect()
}

/// For MkDocs' `mkdocs.yml`, whose `nav:` names pages from its `docs_dir` (`docs` unless it
/// says otherwise): a path in that folder, for links to be read from there.
fn mkdocs_docs_dir(nav: &str, text: &str) -> Option<String> {
    let (folder, name) = nav.rsplit_once('/').unwrap_or(("", nav));
    if !matches!(name, "mkdocs.yml" | "mkdocs.yaml") {
        return None;
    }
    let dir = text
        .lines()
        .find_map(|l| l.strip_prefix("docs_dir:"))
        .map(|v| v.split(" #").next().unwrap_or(v).trim())
        .map(|v| v.trim_matches(['"', '\'']).trim_end_matches('/'))
        .filter(|v| !v.is_empty())
        .unwrap_or("docs");
    Some(match folder {
        "" => format!("{dir}/{name}"),
        _ => format!("{folder}/{dir}/{name}"),
    })
}

/// The name a link to a page must hold: its file stem, or its folder's name for an index page.
fn link_name(path: &str) -> &str {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    if is_index_page(path) {
        return folder.rsplit('/').next().unwrap_or(folder);
    }
    name.strip_suffix(".md").unwrap_or(name)
}

/// The document a broken link to `target` most likely meant: one of the same type (a link to a
/// missing picture is no typo of a page; a link without extension means a page) whose file
/// name is close to the target's and whose whole path is close too. Comparing whole paths
/// alone would suggest any page of a long shared folder (`crate-1.0/README.md` for
/// `crate-1.0/examples/shot.svg`).
fn likely_path<'a>(target: &str, paths: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A link without an extension (`./setup`) is compared with the pages' paths without `.md`.
    let bare = !file_name(target).contains('.');
    if !bare && !is_page(target) {
        return None;
    }
    let key = |p: &'a str| if bare { without_md(p) } else { p };
    let candidates: Vec<&str> = paths.into_iter().filter(|p| is_page(p)).collect();
    let keyed = candidates.iter().map(|c| key(c)).filter(|k| {
        let (a, b) = (file_name(k), file_name(target));
        a.eq_ignore_ascii_case(b) || closest(b, [a]).is_some()
    });
    let best = closest(target, keyed)?;
    candidates.into_iter().find(|c| key(c) == best)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_page(path: &str) -> bool {
    path.len() > 3
        && path.is_char_boundary(path.len() - 3)
        && path[path.len() - 3..].eq_ignore_ascii_case(".md")
}

fn without_md(path: &str) -> &str {
    if is_page(path) {
        &path[..path.len() - 3]
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::{likely_path, mkdocs_docs_dir};

    #[test]
    fn mkdocs_names_pages_from_its_docs_dir() {
        let nav = "site_name: x\nnav:\n  - Home: index.md\n";
        assert_eq!(
            mkdocs_docs_dir("mkdocs.yml", nav).as_deref(),
            Some("docs/mkdocs.yml")
        );
        let own = "docs_dir: 'src/' # the pages\n";
        assert_eq!(
            mkdocs_docs_dir("site/mkdocs.yaml", own).as_deref(),
            Some("site/src/mkdocs.yaml")
        );
        assert_eq!(mkdocs_docs_dir("_data/navigation.yml", own), None);
    }

    const PAGES: &[&str] = &[
        "crate-1.0/README.md",
        "crate-1.0/CHANGELOG.md",
        "guide/setup.md",
        "guide/install.md",
        "org.yml",
    ];

    fn likely(target: &str) -> Option<&'static str> {
        likely_path(target, PAGES.iter().copied())
    }

    #[test]
    fn suggests_a_page_with_a_close_name_and_path() {
        assert_eq!(likely("guide/setpu.md"), Some("guide/setup.md"));
        assert_eq!(likely("guide/SETUP.md"), Some("guide/setup.md"));
        // The same file one folder off.
        assert_eq!(
            likely("crate-1.0/sub/CHANGELOG.md"),
            Some("crate-1.0/CHANGELOG.md")
        );
        // Without an extension: the page without `.md`.
        assert_eq!(likely("guide/instal"), Some("guide/install.md"));
    }

    #[test]
    fn never_suggests_a_page_for_a_picture_or_an_unrelated_name() {
        // A long shared folder made any page of it look close.
        assert_eq!(likely("crate-1.0/examples/expected_type.svg"), None);
        assert_eq!(likely("crate-1.0/examples/expected_type.md"), None);
        assert_eq!(likely("guide/overview.md"), None);
        assert_eq!(likely("org.yaml"), None);
    }
}
