//! Links in Markdown bodies: every link that leads nowhere on the site (files, folders,
//! anchors, `kind:id` links; the link model decides), URL collisions, orphan pages.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::Selection;
use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::kind::Kind;
use crate::markdown::BodyLink;
use crate::model::links::{Broken, Dest, GENERATED, Links, Target, Unpublished, classify};
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
            let help = did_you_mean(&target, paths).map(|h| {
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
                            "opsbook does not read Markdown under `templates/` or \
                             `node_modules/`: move the page into the handbook's content"
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
pub(super) fn url_collisions(hb: &Handbook, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Doc> = HashMap::new();
    for doc in &hb.docs {
        if doc.id.is_empty() {
            continue;
        }
        let url = doc.url();
        let lower = url.to_lowercase();
        if GENERATED.contains(&lower.as_str()) {
            out.push(
                Diagnostic::new(Rule::UrlCollision, doc.path.as_str(), Some(doc.id_span))
                    .message(format!(
                        "{} would be rendered to `{url}`, a page the site generates",
                        doc.path
                    ))
                    .help("rename the file or give it another `id:`"),
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

/// Pages no other document links to.
pub(super) fn orphans(hb: &Handbook, selected: &Selection<'_>, out: &mut Vec<Diagnostic>) {
    let pages: Vec<&Doc> = hb
        .docs
        .iter()
        .filter(|d| d.kind == Kind::PAGE && selected(&d.path))
        .filter(|d| !d.path.eq_ignore_ascii_case("README.md"))
        .collect();
    if pages.is_empty() {
        return;
    }
    // A link to a page names its file stem (`intro.md`, `page:guides/intro`). For a few pages,
    // only documents whose text holds one of the stems can link to them, so only those are
    // parsed; a stem that could be percent-encoded in a link rules the shortcut out.
    let stems: Vec<&str> = pages.iter().map(|d| stem_of(&d.path)).collect();
    let plain = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let few = pages.len() <= 32 && stems.iter().all(|s| plain(s));
    let sources: Vec<&Doc> = hb
        .docs
        .par_iter()
        .filter(|d| !few || stems.iter().any(|s| d.body().contains(s)))
        .collect();
    let linked: HashSet<String> = sources
        .par_iter()
        .flat_map_iter(|doc| {
            doc.outline().links.iter().filter_map(|link| {
                match classify(&link.url, &doc.path, &hb.kinds) {
                    Target::File { path: Some(p), .. } if p != doc.path => Some(p),
                    Target::Handle {
                        kind: Kind::PAGE,
                        id,
                        ..
                    } => Some(format!("{id}.md")),
                    _ => None,
                }
            })
        })
        .collect();
    for doc in pages {
        if !linked.contains(&doc.path) {
            out.push(
                Diagnostic::new(Rule::OrphanPage, doc.path.as_str(), Some(Span::START))
                    .message(format!("no document links to {}", doc.path))
                    .help("link to it from a related page, or remove it"),
            );
        }
    }
}

fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}
