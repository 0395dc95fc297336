//! Links in Markdown bodies: files, anchors, `kind:id` links, URL collisions, orphan pages.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::Selection;
use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::kind::Kind;
use crate::kinds::Kinds;
use crate::model::{Doc, Handbook, Resolved};
use crate::rules::Rule;

/// Pages the site generates itself; a document may not take their place.
pub const GENERATED: &[&str] = &[
    "index.html",
    "search.html",
    "health.html",
    "changes.html",
    "404.html",
    "pages.html",
    "roadmap/index.html",
    "roadmap/timeline.html",
    "processes/index.html",
    "charters/index.html",
    "people/index.html",
    "roles/index.html",
    "teams/index.html",
];

/// What a link in a body points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// `https:`, `mailto:`… (not checked).
    External,
    /// `#anchor` in the same document.
    SameDoc(&'a str),
    /// `kind:id` with an optional anchor.
    Handle {
        kind: Kind,
        id: &'a str,
        anchor: Option<&'a str>,
    },
    /// A root-relative file path with an optional anchor; `None` when it climbs out of the root.
    File {
        path: Option<String>,
        anchor: Option<&'a str>,
    },
}

/// Classify `url` found in the document at `from` (a root-relative path).
pub fn classify<'a>(url: &'a str, from: &str, kinds: &Kinds) -> Target<'a> {
    let url = url.trim();
    if let Some(anchor) = url.strip_prefix('#') {
        return Target::SameDoc(anchor);
    }
    if let Some((scheme, rest)) = url.split_once(':') {
        if let Some(kind) = kinds.parse(scheme) {
            let (id, anchor) = split_anchor(rest);
            return Target::Handle { kind, id, anchor };
        }
        let is_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            return Target::External;
        }
    }
    if url.starts_with("//") {
        return Target::External;
    }
    let (path, anchor) = split_anchor(url);
    let path = path.split('?').next().unwrap_or(path);
    let path = percent_decode(path);
    let base = if path.starts_with('/') {
        ""
    } else {
        from.rsplit_once('/').map_or("", |(dir, _)| dir)
    };
    Target::File {
        path: normalize(base, &path),
        anchor,
    }
}

fn split_anchor(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (s, None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Join `rel` onto the folder `base` and resolve `.` and `..`; `None` above the root.
fn normalize(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

pub(super) fn check(hb: &Handbook, doc: &Doc, root: &Path, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_str();
    for link in &doc.outline().links {
        match classify(&link.url, path, &hb.kinds) {
            Target::External => {}
            Target::SameDoc(anchor) => anchor_exists(doc, anchor, link.span, path, out),
            Target::Handle { kind, id, anchor } => match hb.resolve(Some(kind), id, &[kind]) {
                Resolved::Found(i) => {
                    if let Some(a) = anchor {
                        anchor_exists(&hb.docs[i], a, link.span, path, out);
                    }
                }
                _ => out.push(
                    Diagnostic::new(Rule::UnresolvedLinkRef, path, Some(link.span))
                        .message(format!("link `{}` names no {kind}", link.url))
                        .help_opt(did_you_mean(id, hb.ids_of(&[kind]))),
                ),
            },
            Target::File { path: None, .. } => out.push(
                Diagnostic::new(Rule::BrokenLink, path, Some(link.span))
                    .message(format!("link `{}` points outside the handbook", link.url))
                    .help("link to a file inside the handbook, or use a full https:// URL"),
            ),
            Target::File {
                path: Some(target),
                anchor,
            } => {
                if target.is_empty() {
                    continue;
                }
                if let Some(t) = hb.by_path(&target) {
                    if let Some(a) = anchor {
                        anchor_exists(t, a, link.span, path, out);
                    }
                    continue;
                }
                if exists_on_disk(root, &target) || generated_or_rendered(hb, &target) {
                    continue;
                }
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
                out.push(
                    Diagnostic::new(Rule::BrokenLink, path, Some(link.span))
                        .message(format!(
                            "link `{}` points at `{target}`, which does not exist",
                            link.url
                        ))
                        .help_opt(help),
                );
            }
        }
    }
}

fn exists_on_disk(root: &Path, target: &str) -> bool {
    root.join(target).exists()
}

/// A link to a page the site will have: a generated one or a document's `.html`.
fn generated_or_rendered(hb: &Handbook, target: &str) -> bool {
    let t = target.trim_end_matches('/');
    GENERATED.contains(&t)
        || t.strip_suffix(".html")
            .is_some_and(|stem| hb.by_path(&format!("{stem}.md")).is_some())
        || hb.docs.iter().any(|d| d.kind != Kind::PAGE && d.url() == t)
}

fn anchor_exists(target: &Doc, anchor: &str, span: Span, path: &str, out: &mut Vec<Diagnostic>) {
    if anchor.is_empty() || target.outline().has_anchor(anchor) || target.path == "org.yml" {
        return;
    }
    let slugs = target.outline().headings.iter().map(|h| h.slug.as_str());
    let help = did_you_mean(anchor, slugs).unwrap_or_else(|| {
        if target.outline().headings.is_empty() {
            format!("{} has no headings", target.path)
        } else {
            format!(
                "headings of {}: {}",
                target.path,
                target
                    .outline()
                    .headings
                    .iter()
                    .take(8)
                    .map(|h| format!("#{}", h.slug))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    });
    out.push(
        Diagnostic::new(Rule::BrokenAnchor, path, Some(span))
            .message(format!("`#{anchor}` is not a heading of {}", target.path))
            .help(help),
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_links() {
        assert_eq!(
            classify("https://x.io", "a.md", &Kinds::builtin()),
            Target::External
        );
        assert_eq!(
            classify("mailto:a@b", "a.md", &Kinds::builtin()),
            Target::External
        );
        assert_eq!(
            classify("#steps", "a.md", &Kinds::builtin()),
            Target::SameDoc("steps")
        );
        assert_eq!(
            classify("person:ana#bio", "a.md", &Kinds::builtin()),
            Target::Handle {
                kind: Kind::PERSON,
                id: "ana",
                anchor: Some("bio")
            }
        );
        assert_eq!(
            classify(
                "../processes/triage.md#steps",
                "roadmap/sso.md",
                &Kinds::builtin()
            ),
            Target::File {
                path: Some("processes/triage.md".into()),
                anchor: Some("steps")
            }
        );
        assert_eq!(
            classify("/guides/a%20b.md", "roadmap/x.md", &Kinds::builtin()),
            Target::File {
                path: Some("guides/a b.md".into()),
                anchor: None
            }
        );
        assert_eq!(
            classify("../../x.md", "roadmap/x.md", &Kinds::builtin()),
            Target::File {
                path: None,
                anchor: None
            }
        );
    }
}
