//! The settings that let a handbook keep the shape it already has: `ignore:` (paths never read
//! as content), `links:` (how links are written: extension-less, as the published site's URLs,
//! anchors by another generator's rules, a navigation file) and the Markdown settings of
//! `markdown:`. `sections:` is in [`super::sections`].

use crate::diagnostic::{Span, did_you_mean};
use crate::frontmatter::{Node, Value};

/// A problem in one of these settings: where, what, and a hint.
pub type Bad = (Span, String, Option<String>);

/// How heading anchors are made from heading text: the rules of the generator a handbook was
/// written for, so that its `#anchor` links keep working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugRule {
    /// GitHub, GitLab, Docusaurus, Hugo and Jekyll's GFM input: lowercase, punctuation dropped
    /// (`-` and `_` kept), spaces become `-`; repeats get `-1`, `-2`.
    #[default]
    Github,
    /// kramdown (Jekyll's default without GFM input): ASCII letters, digits, spaces and `-`
    /// only, up to the first letter dropped, spaces become `-`; `section` when nothing is left.
    Kramdown,
    /// Python-Markdown, MkDocs: accents folded to ASCII, punctuation dropped, runs of spaces and
    /// `-` become one `-`; repeats get `_1`, `_2`.
    Mkdocs,
    /// Blackfriday (Hugo before 0.60): every run of characters other than letters and digits
    /// becomes one `-`, trimmed at both ends.
    Blackfriday,
}

impl SlugRule {
    pub const NAMES: &[&str] = &["github", "kramdown", "mkdocs", "blackfriday"];

    pub fn parse(name: &str) -> Option<SlugRule> {
        Some(match name {
            "github" => SlugRule::Github,
            "kramdown" => SlugRule::Kramdown,
            "mkdocs" => SlugRule::Mkdocs,
            "blackfriday" => SlugRule::Blackfriday,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SlugRule::Github => "github",
            SlugRule::Kramdown => "kramdown",
            SlugRule::Mkdocs => "mkdocs",
            SlugRule::Blackfriday => "blackfriday",
        }
    }
}

/// What becomes of template shortcodes in bodies (`{% … %}`, `{{ … }}`, `{{< … >}}`,
/// `{{% … %}}`): they are never read as links or headings text either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shortcodes {
    /// Shown as they are written, in a code span.
    #[default]
    Code,
    /// Left out of the page.
    Strip,
}

impl Shortcodes {
    pub const NAMES: &[&str] = &["code", "strip"];

    pub fn name(self) -> &'static str {
        match self {
            Shortcodes::Code => "code",
            Shortcodes::Strip => "strip",
        }
    }
}

/// How bodies are read: the same for `check` and the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkdownOptions {
    pub slugs: SlugRule,
    pub shortcodes: Shortcodes,
}

/// How links in bodies are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkOptions {
    /// `./setup` leads to `setup.md` when there is no file `setup`.
    pub extensionless: bool,
    /// `/guide/setup/` and `/guide/setup/index.html` lead to `guide/setup.md`.
    pub pretty_urls: bool,
    /// The path the site is published under (`/handbook/`): links starting with it are read
    /// from the handbook root. Always starts and ends with `/`.
    pub base_path: Option<String>,
    /// The folder the site publishes at its root (`content/` in a Hugo repository): links
    /// written from the site root (`/guide/setup`) are read from it. Ends with `/`.
    pub site_root: Option<String>,
    /// `#Setup` finds the heading `setup` (the site writes the heading's own id).
    pub anchors_ignore_case: bool,
    /// Root-relative files whose links count for `orphan-page` (a navigation data file).
    pub nav: Vec<String>,
}

pub(super) fn map(node: &Node, what: &str) -> Result<Vec<(String, Span, Node)>, Bad> {
    match &node.value {
        Value::Map(entries) => Ok(entries
            .iter()
            .map(|(k, v)| (k.name.clone(), k.span, v.clone()))
            .collect()),
        Value::Null => Ok(Vec::new()),
        _ => Err((
            node.span,
            format!("`{what}` must be a mapping, found {}", node.type_name()),
            None,
        )),
    }
}

pub(super) fn word(node: &Node, what: &str) -> Result<String, Bad> {
    node.scalar_text().ok_or_else(|| {
        (
            node.span,
            format!("`{what}` must be a word, found {}", node.type_name()),
            None,
        )
    })
}

fn flag(node: &Node, what: &str) -> Result<bool, Bad> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err((node.span, format!("`{what}` must be true or false"), None)),
    }
}

/// A string or a list of strings, each with its position.
fn strings(node: &Node, what: &str) -> Result<Vec<(String, Span)>, Bad> {
    let one = |n: &Node| {
        n.scalar_text().map(|t| (t, n.span)).ok_or_else(|| {
            (
                n.span,
                format!("`{what}` holds paths, found {}", n.type_name()),
                None,
            )
        })
    };
    match &node.value {
        Value::Seq(items) => items.iter().map(one).collect(),
        Value::Null => Ok(Vec::new()),
        _ => Ok(vec![one(node)?]),
    }
}

pub(super) fn one_of<T>(
    node: &Node,
    what: &str,
    names: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, Bad> {
    let w = word(node, what)?;
    parse(&w).ok_or_else(|| {
        (
            node.span,
            format!("`{what}: {w}` is not one of {}", names.join(", ")),
            did_you_mean(&w, names.iter().copied()),
        )
    })
}

fn unknown(key: &str, span: Span, section: &str, known: &[&str]) -> Bad {
    (
        span,
        format!("`{section}.{key}` is not a setting"),
        did_you_mean(key, known.iter().copied())
            .or_else(|| Some(format!("the settings are {}", known.join(", ")))),
    )
}

/// `ignore:`: gitignore-style patterns, relative to the handbook root.
pub fn ignore(node: &Node) -> Result<Vec<String>, Bad> {
    let mut out = Vec::new();
    for (pattern, span) in strings(node, "ignore")? {
        let mut b = ignore::gitignore::GitignoreBuilder::new("/");
        if let Err(e) = b.add_line(None, &pattern) {
            return Err((
                span,
                format!("`{pattern}` is not a pattern: {e}"),
                Some("write patterns as in .gitignore: `_site/`, `drafts/*.md`, `!keep.md`".into()),
            ));
        }
        out.push(pattern);
    }
    Ok(out)
}

const LINK_KEYS: &[&str] = &[
    "extensionless",
    "pretty_urls",
    "base_path",
    "site_root",
    "anchors",
    "nav",
];

/// `links:`.
pub fn links(node: &Node) -> Result<LinkOptions, Bad> {
    let mut out = LinkOptions::default();
    for (key, span, value) in map(node, "links")? {
        match key.as_str() {
            "extensionless" => out.extensionless = flag(&value, "links.extensionless")?,
            "pretty_urls" => out.pretty_urls = flag(&value, "links.pretty_urls")?,
            "base_path" => {
                let p = word(&value, "links.base_path")?;
                let p = p.trim();
                if p.contains("://") || p.contains(['?', '#', '\\']) {
                    return Err((
                        value.span,
                        format!("`links.base_path: {p}` is not a path"),
                        Some(
                            "write the path the site is published under, e.g. `/handbook/`".into(),
                        ),
                    ));
                }
                let inner = p.trim_matches('/');
                out.base_path = (!inner.is_empty()).then(|| format!("/{inner}/"));
            }
            "site_root" => {
                let p = word(&value, "links.site_root")?;
                let inner = p.trim().trim_start_matches("./").trim_matches('/');
                if inner.contains("://")
                    || inner.contains(['?', '#', '\\'])
                    || inner.split('/').any(|c| c == "..")
                {
                    return Err((
                        value.span,
                        format!("`links.site_root: {p}` is not a folder inside the handbook"),
                        Some(
                            "write the folder the site publishes at its root, e.g. `content`"
                                .into(),
                        ),
                    ));
                }
                out.site_root = (!inner.is_empty()).then(|| format!("{inner}/"));
            }
            "anchors" => {
                out.anchors_ignore_case = one_of(
                    &value,
                    "links.anchors",
                    &["exact", "ignore-case"],
                    |w| match w {
                        "exact" => Some(false),
                        "ignore-case" => Some(true),
                        _ => None,
                    },
                )?;
            }
            "nav" => {
                for (path, at) in strings(&value, "links.nav")? {
                    let rel = path.trim().trim_start_matches("./").trim_start_matches('/');
                    if rel.is_empty() || rel.split('/').any(|p| p == "..") {
                        return Err((
                            at,
                            format!("`{path}` is not a file inside the handbook"),
                            Some("give the navigation file's path from the handbook root".into()),
                        ));
                    }
                    out.nav.push(rel.to_string());
                }
            }
            other => return Err(unknown(other, span, "links", LINK_KEYS)),
        }
    }
    Ok(out)
}

const MARKDOWN_KEYS: &[&str] = &["raw_html", "slugs", "shortcodes"];

/// `markdown:`: `raw_html` (returned when set) and the body options.
pub fn markdown(node: &Node, opts: &mut MarkdownOptions) -> Result<Option<bool>, Bad> {
    let mut raw_html = None;
    for (key, span, value) in map(node, "markdown")? {
        match key.as_str() {
            "raw_html" => raw_html = Some(flag(&value, "raw_html")?),
            "slugs" => {
                opts.slugs = one_of(&value, "markdown.slugs", SlugRule::NAMES, SlugRule::parse)?
            }
            "shortcodes" => {
                opts.shortcodes =
                    one_of(
                        &value,
                        "markdown.shortcodes",
                        Shortcodes::NAMES,
                        |w| match w {
                            "code" => Some(Shortcodes::Code),
                            "strip" => Some(Shortcodes::Strip),
                            _ => None,
                        },
                    )?
            }
            other => return Err(unknown(other, span, "markdown", MARKDOWN_KEYS)),
        }
    }
    Ok(raw_html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        crate::frontmatter::parse_yaml(text, 1).unwrap()
    }

    #[test]
    fn links_are_read_and_checked() {
        let l = links(&node(
            "extensionless: true\npretty_urls: true\nbase_path: handbook\nanchors: ignore-case\nnav: [./_data/nav.yml]\n",
        ))
        .unwrap();
        assert!(l.extensionless && l.pretty_urls && l.anchors_ignore_case);
        assert_eq!(l.base_path.as_deref(), Some("/handbook/"));
        assert_eq!(l.nav, ["_data/nav.yml"]);
        assert_eq!(links(&node("base_path: /\n")).unwrap().base_path, None);
        assert_eq!(
            links(&node("site_root: ./content/\n"))
                .unwrap()
                .site_root
                .as_deref(),
            Some("content/")
        );
        assert_eq!(links(&node("site_root: /\n")).unwrap().site_root, None);
        assert!(links(&node("site_root: ../up\n")).is_err());
        let e = links(&node("anchor: exact\n")).unwrap_err();
        assert_eq!(e.0, Span::new(1, 1));
        assert!(e.2.unwrap().contains("`anchors`"));
        assert!(links(&node("nav: ../x.yml\n")).is_err());
        assert!(links(&node("base_path: https://x.io/\n")).is_err());
        assert!(
            links(&node("anchors: loose\n"))
                .unwrap_err()
                .1
                .contains("exact, ignore-case")
        );
    }

    #[test]
    fn sections_and_ignore_patterns() {
        use crate::config::sections::{SectionMode, sections};
        let s = sections(
            &node("roadmap: hide\npeople: false\npages: show\nrfc: auto\n"),
            &["rfc"],
        )
        .unwrap();
        assert_eq!(s["roadmap"], SectionMode::Hide);
        assert_eq!(s["people"], SectionMode::Hide);
        assert_eq!(s["pages"], SectionMode::Show);
        assert_eq!(s["rfc"], SectionMode::Auto);
        let e = sections(&node("roadmapp: hide\n"), &[]).unwrap_err();
        assert!(e.2.unwrap().contains("`roadmap`"));
        assert!(sections(&node("roadmap: gone\n"), &[]).is_err());
        assert_eq!(
            ignore(&node("[_site/, '!keep.md']\n")).unwrap(),
            ["_site/", "!keep.md"]
        );
        assert_eq!(ignore(&node("drafts/\n")).unwrap(), ["drafts/"]);
        assert!(ignore(&node("['a{b']\n")).is_err());
    }

    #[test]
    fn markdown_options() {
        let mut o = MarkdownOptions::default();
        let raw = markdown(&node("slugs: kramdown\nshortcodes: strip\n"), &mut o).unwrap();
        assert_eq!(raw, None);
        assert_eq!(o.slugs, SlugRule::Kramdown);
        assert_eq!(o.shortcodes, Shortcodes::Strip);
        assert!(markdown(&node("slugs: gitlab\n"), &mut o).is_err());
        assert!(
            markdown(&node("raw: true\n"), &mut o)
                .unwrap_err()
                .2
                .unwrap()
                .contains("raw_html")
        );
    }
}
