//! What adoption reads from the repository: build output folders, each Markdown file's
//! frontmatter, and what another generator's config says.

use std::path::Path;

use crate::discover::{self, SourceFile};
use crate::frontmatter::{self, Node, Value};

/// Folders other tools write their output or dependencies to: never content.
const ALWAYS_OUTPUT: &[&str] = &[
    "_site",
    "node_modules",
    "vendor",
    "_build",
    "bower_components",
];
/// Frozen copies of earlier versions of the docs (Docusaurus' versioned docs): checked and
/// published where they are written, never edited here.
pub const FROZEN: &[&str] = &["versioned_docs", "versioned_sidebars"];
/// Dependency folders, ignored at any depth.
pub const ANYWHERE: &[&str] = &["node_modules", "bower_components"];
/// Folders that are build output when they hold HTML.
const HTML_OUTPUT: &[&str] = &["public", "site", "build", "dist", "out"];
/// One Markdown file as adoption sees it.
pub struct Scanned<'a> {
    pub path: &'a str,
    pub folder: &'a str,
    pub stem: &'a str,
    /// Its frontmatter keys and values (none without frontmatter).
    pub keys: Vec<(String, Node)>,
    pub body: &'a str,
    /// The whole file.
    pub text: &'a str,
}

/// Build output folders of other tools: at the root and one level down.
pub fn build_outputs(root: &Path) -> Vec<String> {
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

/// Whether the folder `dir` named `name` is another tool's output (not opsbook's own site) or
/// a frozen copy of earlier docs.
fn is_output(dir: &Path, name: &str) -> bool {
    if dir.join(crate::site::MARKER).exists() {
        return false;
    }
    ALWAYS_OUTPUT.contains(&name)
        || FROZEN.contains(&name)
        || (HTML_OUTPUT.contains(&name) && holds_html(dir, 3))
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
pub fn own_output(root: &Path, outputs: &[String]) -> String {
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
pub fn scan(file: &SourceFile) -> Option<Scanned<'_>> {
    if !file.rel_path.ends_with(".md") {
        return None;
    }
    let text = file.text.as_ref().ok()?;
    let text = frontmatter::strip_bom(text);
    let (yaml, body) = match frontmatter::split(text) {
        Ok(s) => (
            s.yaml
                .and_then(|y| frontmatter::parse_block(y, s.yaml_line, s.format).ok()),
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

/// What another generator's config says: the site's title, the path it is published under,
/// and mdBook's table of contents (`SUMMARY.md` in the book's `src` folder).
pub struct Settings {
    pub title: String,
    pub base_path: Option<String>,
    pub summary: Option<String>,
}

impl Settings {
    pub fn of(root: &Path) -> Settings {
        let read = |name: &str| {
            let text = discover::walk::real_file(root, name)
                .and_then(|p| std::fs::read_to_string(p).ok())?;
            if name.ends_with(".toml") {
                frontmatter::parse_toml(&text, 1).ok()
            } else {
                frontmatter::parse_yaml(&text, 1).ok()
            }
        };
        let text = |n: &Node, key: &str| n.get(key).and_then(Node::scalar_text);
        let mut title = None;
        let mut base_path = None;
        for name in [
            "_config.yml",
            "_config.yaml",
            "mkdocs.yml",
            "hugo.toml",
            "hugo.yaml",
            "config.toml",
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
        let mut summary = None;
        if let Some(book) = read("book.toml") {
            let section = book.get("book");
            title = title.or_else(|| section.and_then(|b| text(b, "title")));
            let src = section.and_then(|b| text(b, "src"));
            let src = src.as_deref().unwrap_or("src").trim_matches('/');
            let path = match src {
                "" | "." => "SUMMARY.md".to_string(),
                _ => format!("{src}/SUMMARY.md"),
            };
            summary = discover::walk::real_file(root, &path).map(|_| path);
        }
        let fallback = root
            .file_name()
            .map_or("Handbook".to_string(), |n| n.to_string_lossy().into_owned());
        Settings {
            title: title.filter(|t| !t.trim().is_empty()).unwrap_or(fallback),
            base_path: base_path.filter(|b| !b.trim_matches('/').is_empty()),
            summary,
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
