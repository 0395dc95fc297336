//! How a repository writes its links, found by trying the link model with each setting: the
//! settings that make links resolve that do not resolve without them are proposed.

use std::collections::BTreeMap;

use crate::config::{Config, SlugRule};
use crate::discover::SourceFile;
use crate::model::links::{Broken, Links};
use crate::model::{self, Handbook};

/// The link settings proposed, and why.
#[derive(Debug, Default)]
pub struct Proposal {
    pub extensionless: bool,
    pub pretty_urls: bool,
    pub base_path: Option<String>,
    pub site_root: Option<String>,
    pub slugs: Option<SlugRule>,
    pub ignore_case: bool,
    /// One line per setting: the setting and what it fixes.
    pub why: Vec<(String, String)>,
}

/// How many links of `hb` resolve, and the first one that does not (for examples).
fn resolved(hb: &Handbook, cfg: &Config) -> (usize, Vec<String>) {
    let links = Links::new(hb, cfg);
    let mut ok = 0;
    let mut broken = Vec::new();
    for doc in &hb.docs {
        for link in &doc.outline().links {
            match links.resolve(&link.url, doc) {
                Ok(_) => ok += 1,
                Err(Broken::NoDoc { .. }) => {}
                Err(_) => broken.push(link.url.clone()),
            }
        }
    }
    (ok, broken)
}

/// A link path's first folder, when the link is written from the site root: `/handbook/x` →
/// `handbook`.
fn first_folder(url: &str) -> Option<&str> {
    let rest = url.strip_prefix('/')?;
    let (first, _) = rest.split_once('/')?;
    (!first.is_empty() && !first.starts_with('/')).then_some(first)
}

/// The links resolved so far, to tell what a setting adds.
struct Search {
    best: usize,
    broken: Vec<String>,
}

impl Search {
    /// Whether `cfg` (with `hb` read by it) resolves more links; if so it is the new best,
    /// and `p` says why.
    fn try_with(
        &mut self,
        cfg: &Config,
        hb: &Handbook,
        setting: String,
        what: &str,
        p: &mut Proposal,
    ) -> bool {
        let (n, still) = resolved(hb, cfg);
        if n <= self.best {
            return false;
        }
        let fixed = n - self.best;
        let example = self
            .broken
            .iter()
            .find(|u| !still.contains(u))
            .cloned()
            .unwrap_or_default();
        p.why.push((
            setting,
            format!(
                "{what} ({fixed} link{}, e.g. `{example}`)",
                if fixed == 1 { "" } else { "s" }
            ),
        ));
        self.best = n;
        self.broken = still;
        true
    }
}

/// The settings that make more of the links of `files` resolve under `cfg`; `base_hint` is a
/// base path another generator's config names.
pub fn propose(cfg: &Config, files: &[SourceFile], base_hint: Option<&str>) -> Proposal {
    let mut p = Proposal::default();
    let (hb, _) = model::build(files, cfg);
    let (best, broken) = resolved(&hb, cfg);
    if broken.is_empty() {
        return p;
    }
    let mut search = Search { best, broken };
    let mut cfg = cfg.clone();
    cfg.links.extensionless = true;
    p.extensionless = search.try_with(
        &cfg,
        &hb,
        "extensionless: true".into(),
        "links name pages without `.md`",
        &mut p,
    );
    cfg.links.extensionless = p.extensionless;
    cfg.links.pretty_urls = true;
    p.pretty_urls = search.try_with(
        &cfg,
        &hb,
        "pretty_urls: true".into(),
        "links are the published site's URLs (`page/`)",
        &mut p,
    );
    cfg.links.pretty_urls = p.pretty_urls;
    // The folder the site publishes at its root (`content/`, `docs/`): the top folders that
    // hold the most documents, when links are written from the site root.
    if search
        .broken
        .iter()
        .any(|u| u.starts_with('/') && !u.starts_with("//"))
    {
        let mut docs_in: BTreeMap<&str, usize> = BTreeMap::new();
        for f in files.iter().filter(|f| f.rel_path.ends_with(".md")) {
            if let Some((top, _)) = f.rel_path.split_once('/') {
                *docs_in.entry(top).or_default() += 1;
            }
        }
        let mut tops: Vec<(usize, &str)> = docs_in.into_iter().map(|(t, n)| (n, t)).collect();
        tops.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        'tops: for (_, top) in tops.into_iter().take(3) {
            // The folder alone, then with the link forms that did not help before (links from
            // the root often name pages without `.md`, or as `page/`).
            for (extensionless, pretty) in [(false, false), (true, false), (true, true)] {
                let mut c = cfg.clone();
                c.links.site_root = Some(format!("{top}/"));
                c.links.extensionless |= extensionless;
                c.links.pretty_urls |= pretty;
                let what = format!(
                    "links from the site root are read from `{top}/`, the folder the site publishes"
                );
                if search.try_with(&c, &hb, format!("site_root: {top}"), &what, &mut p) {
                    p.site_root = Some(top.to_string());
                    for (now, before, setting, how) in [
                        (
                            c.links.extensionless,
                            p.extensionless,
                            "extensionless: true",
                            "without `.md`",
                        ),
                        (
                            c.links.pretty_urls,
                            p.pretty_urls,
                            "pretty_urls: true",
                            "as `page/`",
                        ),
                    ] {
                        if now && !before {
                            p.why.push((
                                setting.to_string(),
                                format!("links from the site root name pages {how}"),
                            ));
                        }
                    }
                    p.extensionless = c.links.extensionless;
                    p.pretty_urls = c.links.pretty_urls;
                    cfg = c;
                    break 'tops;
                }
            }
        }
    }
    // Base paths: the one another generator's config names, then the first folders of links
    // written from the site root that do not exist.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for url in &search.broken {
        if let Some(f) = first_folder(url).filter(|f| !cfg.root.join(f).exists()) {
            *counts.entry(f.to_string()).or_default() += 1;
        }
    }
    let mut candidates: Vec<(usize, String)> = counts.into_iter().map(|(f, n)| (n, f)).collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let hint = base_hint
        .map(|b| b.trim_matches('/').to_string())
        .filter(|b| !b.is_empty());
    let tries: Vec<String> = hint
        .into_iter()
        .chain(candidates.into_iter().take(3).map(|(_, f)| f))
        .collect();
    for base in tries {
        let path = format!("/{base}/");
        cfg.links.base_path = Some(path.clone());
        if search.try_with(
            &cfg,
            &hb,
            format!("base_path: {path}"),
            "links start with the path the site is published under",
            &mut p,
        ) {
            p.base_path = Some(path);
            break;
        }
        cfg.links.base_path = None;
    }
    // Anchors: another generator's rule, or case that differs.
    if !search.broken.iter().any(|u| u.contains('#')) {
        return p;
    }
    // The rule that resolves the most links, each tried against the handbook's own.
    let mut best_rule: Option<(usize, SlugRule)> = None;
    for rule in [SlugRule::Kramdown, SlugRule::Mkdocs, SlugRule::Blackfriday] {
        let mut c = cfg.clone();
        c.markdown.slugs = rule;
        let (hb2, _) = model::build(files, &c);
        let (n, _) = resolved(&hb2, &c);
        if n > best_rule.map_or(search.best, |(m, _)| m) {
            best_rule = Some((n, rule));
        }
    }
    if let Some((_, rule)) = best_rule {
        cfg.markdown.slugs = rule;
        let (hb2, _) = model::build(files, &cfg);
        search.try_with(
            &cfg,
            &hb2,
            format!("slugs: {}", rule.name()),
            &format!("anchors follow {}'s rule", rule.name()),
            &mut p,
        );
        p.slugs = Some(rule);
    }
    let (hb2, _) = model::build(files, &cfg);
    cfg.links.anchors_ignore_case = true;
    p.ignore_case = search.try_with(
        &cfg,
        &hb2,
        "anchors: ignore-case".into(),
        "anchors name headings in another case",
        &mut p,
    );
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_folders_of_root_links() {
        assert_eq!(first_folder("/handbook/guide/"), Some("handbook"));
        assert_eq!(first_folder("/guide"), None);
        assert_eq!(first_folder("guide/x"), None);
        assert_eq!(first_folder("//host/x"), None);
    }
}
