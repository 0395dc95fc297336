//! A site-wide link checker for the tests: follows every link of a built site.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::support::tree;

/// The values of `attr="…"` in `html` (the site writes every attribute in double quotes).
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// `rel` joined onto the folder `base`, `..` resolved; `None` above the site root.
fn join(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in base.join(rel).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::ParentDir => out.pop().then_some(())?,
            _ => {}
        }
    }
    Some(out)
}

/// Whether a URL has a scheme (`https:`, `mailto:`) or a host: not a file of the site.
fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url
            .find([':', '/', '?', '#'])
            .is_some_and(|i| url[i..].starts_with(':'))
}

/// Every internal `href`, `src` and `action` of every HTML page and feed of the site, every
/// sitemap `<loc>` and every page of the search index leads to a file of the site, and a
/// fragment to an element with that id (or an `<a name>`) on the page. With the site's
/// `base_url`, absolute URLs under it (and paths under its path) are the site's too. Returns how
/// many links it followed.
pub fn assert_links_resolve(site: &Path, base_url: Option<&str>) -> usize {
    let base_path = base_url.map(|b| {
        let after = b.split_once("://").map_or(b, |(_, rest)| rest);
        after[after.find('/').unwrap_or(after.len())..].to_string()
    });
    let files = tree(site);
    let mut ids: HashMap<&Path, HashSet<String>> = HashMap::new();
    let mut texts: BTreeMap<&Path, String> = BTreeMap::new();
    for (rel, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if rel.extension().is_some_and(|e| e == "html") {
            let mut set: HashSet<String> =
                attr_values(text, "id").into_iter().map(unescape).collect();
            set.extend(
                text.match_indices("<a name=\"")
                    .filter_map(|(at, _)| text[at + 9..].split('"').next())
                    .map(unescape),
            );
            ids.insert(rel, set);
        }
        if rel.extension().is_some_and(|e| e == "html" || e == "xml") {
            texts.insert(rel, text.to_string());
        }
    }
    let mut followed = 0;
    let mut check = |from: &Path, base: &Path, url: &str| {
        let url = unescape(url);
        let mut base = base;
        let mut local = url.as_str();
        for prefix in [base_url, base_path.as_deref()].into_iter().flatten() {
            if let Some(rest) = url.strip_prefix(prefix) {
                (local, base) = (rest, Path::new(""));
            }
        }
        if is_external(local) {
            return;
        }
        assert!(
            !local.starts_with('/'),
            "{}: `{url}` is absolute",
            from.display()
        );
        let (path, fragment) = local.split_once('#').unwrap_or((local, ""));
        let path = path.split('?').next().unwrap_or_default();
        let target = if path.is_empty() {
            Some(from.to_path_buf())
        } else {
            join(base, &percent_decode(path))
        };
        let Some(mut target) = target else {
            panic!("{}: `{url}` climbs out of the site", from.display());
        };
        if path.ends_with('/') || site.join(&target).is_dir() {
            target.push("index.html");
        }
        assert!(
            files.contains_key(&target),
            "{}: `{url}` leads to {}, which the site does not have",
            from.display(),
            target.display()
        );
        if !fragment.is_empty()
            && let Some(set) = ids.get(target.as_path())
        {
            let id = percent_decode(fragment);
            assert!(
                set.contains(&id),
                "{}: `{url}`: {} has no id `{id}`",
                from.display(),
                target.display()
            );
        }
        followed += 1;
    };
    for (rel, text) in &texts {
        let base = rel.parent().unwrap_or(Path::new(""));
        for attr in ["href", "src", "action"] {
            for url in attr_values(text, attr) {
                check(rel, base, url);
            }
        }
        for loc in text.split("<loc>").skip(1) {
            let url = loc.split("</loc>").next().unwrap_or_default();
            check(rel, Path::new(""), url);
        }
    }
    if let Some(index) = files.get(Path::new("search-index.json")) {
        let json: serde_json::Value = serde_json::from_slice(index).unwrap();
        for doc in json["docs"].as_array().unwrap() {
            check(
                Path::new("search-index.json"),
                Path::new(""),
                doc["u"].as_str().unwrap(),
            );
        }
    }
    followed
}
