//! Relative links between pages, and which URLs may appear in the site at all.

use crate::kind::Kind;
use crate::model::{Doc, Handbook, Ref};

use super::view::Link;

/// The prefix from a page to the site root: `roadmap/a.html` → `../`.
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Makes hrefs relative to one page.
#[derive(Debug, Clone)]
pub struct Linker {
    /// From the page to the site root: `""`, `"../"`…
    pub root: String,
    /// The folders of the page's path.
    dirs: Vec<String>,
}

impl Linker {
    pub fn for_page(url: &str) -> Linker {
        let mut dirs: Vec<String> = url.split('/').map(str::to_string).collect();
        dirs.pop();
        Linker {
            root: root_of(url),
            dirs,
        }
    }

    /// Whether the page is in the folder of the page at `url` (its links are the same).
    pub fn is_in_folder_of(&self, url: &str) -> bool {
        let mut folders = url.split('/');
        folders.next_back();
        self.dirs.iter().map(String::as_str).eq(folders)
    }

    /// An href to `target`, a path from the site root (an anchor may follow `#`): the shortest
    /// relative path, `a.html` next door, `../people/ana.html` across.
    pub fn href(&self, target: &str) -> String {
        match target.split_once('#') {
            Some((p, a)) => self.href_to(p, Some(a)),
            None => self.href_to(target, None),
        }
    }

    /// An href to the file `path` (from the site root, `#` a part of its name like any other
    /// character) and the fragment `anchor`, left out when empty.
    pub fn href_to(&self, path: &str, anchor: Option<&str>) -> String {
        // The folders the page and `path` share, and where the rest of `path` starts.
        let (mut common, mut rest) = (0, 0);
        for dir in &self.dirs {
            match path[rest..].strip_prefix(dir.as_str()) {
                Some(after) if after.starts_with('/') => {
                    common += 1;
                    rest = path.len() - after.len() + 1;
                }
                _ => break,
            }
        }
        let rest = &path[rest..];
        let mut out = String::with_capacity(3 * (self.dirs.len() - common) + rest.len() + 2);
        for _ in common..self.dirs.len() {
            out.push_str("../");
        }
        // `a:b.html` at the root would read as a URL scheme: keep it a relative path.
        if out.is_empty()
            && rest
                .split('/')
                .next()
                .is_some_and(|first| first.contains(':'))
        {
            out.push_str("./");
        }
        push_encoded(&mut out, rest);
        if let Some(a) = anchor.filter(|a| !a.is_empty()) {
            out.push('#');
            push_encoded(&mut out, a);
        }
        out
    }

    /// A link to a document's page.
    pub fn doc(&self, doc: &Doc) -> Link {
        Link {
            title: doc.title.clone(),
            href: Some(self.href(&doc.url())),
            kind: doc.kind.as_str().to_string(),
            handle: doc.handle(),
        }
    }

    /// A link to what a reference names; without a page when it does not resolve.
    pub fn reference(&self, hb: &Handbook, r: &Ref) -> Link {
        match hb.target(r) {
            Some(doc) => self.doc(doc),
            None => Link {
                title: r.text(),
                href: None,
                kind: r.kind.map_or("", Kind::as_str).to_string(),
                handle: r.text(),
            },
        }
    }

    pub fn references(&self, hb: &Handbook, refs: &[Ref]) -> Vec<Link> {
        refs.iter().map(|r| self.reference(hb, r)).collect()
    }
}

/// Percent-encode what may not stand in a URL path as it is (spaces, quotes, `%`, `?`, `#`).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_encoded(&mut out, path);
    out
}

/// [`encode_path`], onto `out`.
fn push_encoded(out: &mut String, path: &str) {
    let kept = |b: u8| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
    // Most paths need no encoding at all.
    if path.bytes().all(kept) {
        out.push_str(path);
        return;
    }
    for c in path.chars() {
        if c.is_ascii() && kept(c as u8) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
}

/// The scheme of a URL as a browser would read it (ASCII whitespace and control characters
/// dropped, lowercased), when it has one.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if cleaned[end..].starts_with(':') && end > 0 {
        Some(cleaned[..end].to_ascii_lowercase())
    } else {
        None
    }
}

/// Whether an absolute URL may be emitted: http(s), mailto and tel only. A `javascript:`,
/// `data:` or `vbscript:` URL never is.
pub fn is_safe_external(url: &str) -> bool {
    matches!(
        scheme(url).as_deref(),
        Some("http" | "https" | "mailto" | "tel")
    )
}

/// The path of a URL: `https://a.io/handbook/` → `/handbook/`.
pub fn path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// `base_url` joined with a path from the site root.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{}{}", base_url, encode_path(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_hrefs() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("roadmap/team/a.html"), "../../");
        let l = Linker::for_page("roadmap/a.html");
        assert_eq!(l.href("people/ana.html#bio"), "../people/ana.html#bio");
        assert_eq!(l.href("guides/a b.html"), "../guides/a%20b.html");
        assert_eq!(l.href("über.html"), "../%C3%BCber.html");
        assert_eq!(l.href("roadmap/b.html#x"), "b.html#x");
        assert_eq!(l.href("roadmap/team/b.html"), "team/b.html");
        let deep = Linker::for_page("roadmap/team/a.html");
        assert_eq!(deep.href("roadmap/b.html"), "../b.html");
        assert_eq!(deep.href("index.html"), "../../index.html");
        assert_eq!(l.href_to("files/a#b.txt", Some("")), "../files/a%23b.txt");
        let top = Linker::for_page("index.html");
        assert_eq!(top.href("javascript:alert(1)"), "./javascript:alert(1)");
    }

    #[test]
    fn url_paths() {
        assert_eq!(path_of("https://a.io/handbook/"), "/handbook/");
        assert_eq!(path_of("http://localhost:8000/"), "/");
        assert_eq!(path_of("https://a.io"), "/");
    }

    #[test]
    fn only_plain_schemes_are_safe() {
        assert!(is_safe_external("https://x.io"));
        assert!(is_safe_external("mailto:a@b.c"));
        assert!(!is_safe_external("javascript:alert(1)"));
        assert!(!is_safe_external(" JaVa\tScript:alert(1)"));
        assert!(!is_safe_external("java\nscript:alert(1)"));
        assert!(!is_safe_external("data:text/html,<script>"));
        assert!(!is_safe_external("vbscript:x"));
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("java\u{0}script:x").as_deref(), Some("javascript"));
    }
}
