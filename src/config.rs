//! `opsbook.yml`: found upward from the working directory, every key optional, unknown keys
//! rejected with a did-you-mean.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{RULES, Severity, Span, did_you_mean};
use crate::error::Error;
use crate::frontmatter::{self, Node, Value};
use crate::kind::Kind;
use crate::kinds::{Kinds, parse_kinds};
use crate::rules::Rule;
use crate::values::{Duration, parse_duration};

pub mod options;
mod parse;
pub mod sections;
pub use options::{LinkOptions, MarkdownOptions, Shortcodes, SlugRule};
pub use sections::SectionMode;

pub const CONFIG_FILE: &str = "opsbook.yml";

#[derive(Debug, Clone)]
pub struct Config {
    /// The handbook root (absolute).
    pub root: PathBuf,
    /// The config file, when there is one.
    pub path: Option<PathBuf>,
    pub title: String,
    pub base_url: Option<String>,
    pub repo_url: Option<String>,
    /// Output folder of `build`, relative to the root unless absolute.
    pub output: PathBuf,
    /// Where the config file sets `output` (`build` refuses an `output` that leads out of the
    /// handbook root, and points here).
    pub output_at: Option<Span>,
    /// Top-level folder → kind of the documents in it.
    pub folders: BTreeMap<String, Kind>,
    /// Default review interval per kind.
    pub freshness: BTreeMap<Kind, Duration>,
    /// "Due soon" window before a review falls due.
    pub due_soon: Duration,
    /// Severity overrides per rule; `None` turns a rule off.
    pub rules: BTreeMap<Rule, Option<Severity>>,
    pub raw_html: bool,
    /// Show the build's warnings on reader pages too (cards, document pages): for an internal
    /// site. By default they are on the Health page only.
    pub site_findings: bool,
    /// Every kind of the handbook: the built-in ones (as extended by `kinds:`) and custom ones.
    pub kinds: Kinds,
    /// Paths never read as content, gitignore-style, relative to the root (`.gitignore` files
    /// count too).
    pub ignore: Vec<String>,
    /// Site sections shown or hidden, by name (absent: `auto`).
    pub sections: BTreeMap<String, SectionMode>,
    /// How links in bodies are written.
    pub links: LinkOptions,
    /// How bodies are read: anchors, shortcodes.
    pub markdown: MarkdownOptions,
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "repo_url",
    "output",
    "folders",
    "freshness",
    "rules",
    "markdown",
    "site",
    "kinds",
    "ignore",
    "sections",
    "links",
];

impl Config {
    /// The built-in defaults for a handbook at `root`.
    pub fn defaults(root: PathBuf) -> Config {
        let mut cfg = Config {
            root,
            path: None,
            title: "Handbook".to_string(),
            base_url: None,
            repo_url: None,
            output: PathBuf::from("site"),
            output_at: None,
            folders: BTreeMap::new(),
            freshness: BTreeMap::new(),
            due_soon: Duration::days(14),
            rules: BTreeMap::new(),
            raw_html: false,
            site_findings: false,
            kinds: Kinds::builtin(),
            ignore: Vec::new(),
            sections: BTreeMap::new(),
            links: LinkOptions::default(),
            markdown: MarkdownOptions::default(),
        };
        cfg.apply_kinds();
        cfg
    }

    /// Folders and review intervals as the kind specs declare them.
    fn apply_kinds(&mut self) {
        for spec in self.kinds.all() {
            for f in &spec.folders {
                self.folders.entry(f.clone()).or_insert(spec.kind);
            }
            if let Some(d) = spec.review_every {
                self.freshness.insert(spec.kind, d);
            }
        }
    }

    /// Find the handbook: `root` if given, else the nearest folder upward from `cwd` that holds
    /// `opsbook.yml`, else `cwd` itself.
    pub fn discover(root: Option<&Path>, cwd: &Path) -> Result<Config, Error> {
        let base = match root {
            Some(r) => {
                let r = if r.is_absolute() {
                    r.to_path_buf()
                } else {
                    cwd.join(r)
                };
                if !r.is_dir() {
                    let what = if r.exists() {
                        "is a file, not a folder"
                    } else {
                        "no such folder"
                    };
                    return Err(Error::Usage(format!("--root {}: {what}", r.display())));
                }
                r
            }
            None => cwd
                .ancestors()
                .find(|d| d.join(CONFIG_FILE).is_file())
                .unwrap_or(cwd)
                .to_path_buf(),
        };
        let base = base.canonicalize().unwrap_or(base);
        let file = base.join(CONFIG_FILE);
        if !file.is_file() {
            return Ok(Config::defaults(base));
        }
        // Nothing outside the handbook root is read through a link (its text would show in
        // error messages).
        let linked = std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink());
        if linked
            && !file
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&base))
        {
            return Err(Error::Config {
                path: file,
                span: None,
                message: "the config file is a symbolic link to a file outside the handbook root"
                    .into(),
                help: Some(
                    "opsbook reads nothing outside the handbook root: put the file itself here, \
                     or link to one inside the handbook"
                        .into(),
                ),
            });
        }
        let bytes = std::fs::read(&file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Config {
            path: file.clone(),
            span: None,
            message: "the file is not valid UTF-8".into(),
            help: Some("save it as UTF-8".into()),
        })?;
        Config::parse(base, &file, frontmatter::strip_bom(&text))
    }

    /// The kind of documents in a top-level folder.
    pub fn kind_of_folder(&self, folder: &str) -> Option<Kind> {
        self.folders.get(folder).copied()
    }

    /// The kind of the Markdown file at a root-relative path: a kind whose glob matches it,
    /// else a page for a folder's index page (`README.md`, `index.md`), else the kind of the
    /// deepest folder holding it that has one, else a page.
    pub fn kind_of_path(&self, path: &str) -> Kind {
        if let Some(k) = self.kinds.by_glob(path) {
            return k;
        }
        if is_index_page(path) {
            return Kind::PAGE;
        }
        let mut best = None;
        for (i, c) in path.char_indices() {
            if c == '/'
                && let Some(k) = self.folders.get(&path[..i])
            {
                best = Some(*k);
            }
        }
        best.unwrap_or(Kind::PAGE)
    }

    /// How a site section is shown (`auto` unless `sections:` says otherwise).
    pub fn section(&self, name: &str) -> SectionMode {
        self.sections
            .get(name)
            .copied()
            .unwrap_or(SectionMode::Auto)
    }

    /// The output folder as an absolute path.
    pub fn output_dir(&self) -> PathBuf {
        if self.output.is_absolute() {
            self.output.clone()
        } else {
            self.root.join(&self.output)
        }
    }

    /// The effective severity of a rule: configured, else its default; `None` when off.
    pub fn severity(&self, rule: Rule, default: Severity) -> Option<Severity> {
        self.rules.get(&rule).copied().unwrap_or(Some(default))
    }
}

/// The names of a folder's index page, in the order one is chosen when a folder has several:
/// a link to the folder leads to it.
pub const INDEX_NAMES: &[&str] = &["index.md", "README.md", "readme.md", "_index.md"];

/// Whether the file at a root-relative path is a folder's index page by its name (`README.md`
/// in any case).
pub fn is_index_page(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    INDEX_NAMES.contains(&name) || name.eq_ignore_ascii_case("readme.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(PathBuf::from("/h"), Path::new("/h/opsbook.yml"), text)
    }

    #[test]
    fn empty_config_gives_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.kind_of_folder("roadmap"), Some(Kind::ROADMAP_ITEM));
        assert_eq!(c.freshness[&Kind::PROCESS], Duration::days(90));
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "title: Acme\nbase_url: https://a.io/h/\nfolders: {bets: roadmap-item}\n\
             freshness: {process: 30d, due_soon: 7d}\nrules: {orphan-page: off, review-overdue: error}\n\
             markdown: {raw_html: true}\nkinds: {}\noutput: public\nsite: {findings: true}\n",
        )
        .unwrap();
        assert!(c.site_findings);
        assert!(!parse("").unwrap().site_findings);
        let e = parse("site: {finding: true}\n").unwrap_err().to_string();
        assert!(e.contains("`site.finding` is not a setting"), "{e}");
        assert_eq!(c.title, "Acme");
        assert_eq!(c.kind_of_folder("bets"), Some(Kind::ROADMAP_ITEM));
        assert_eq!(c.freshness[&Kind::PROCESS], Duration::days(30));
        assert_eq!(c.due_soon, Duration::days(7));
        assert_eq!(c.severity(Rule::OrphanPage, Severity::Warning), None);
        assert_eq!(
            c.severity(Rule::ReviewOverdue, Severity::Warning),
            Some(Severity::Error)
        );
        assert!(c.raw_html);
        assert_eq!(c.output, PathBuf::from("public"));
        assert_eq!(c.output_at, Some(Span::new(8, 9)));
        assert_eq!(parse("title: A\n").unwrap().output_at, None);
    }

    #[test]
    fn unknown_key_has_position_and_suggestion() {
        let e = parse("title: A\ntitel: B\n").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("opsbook.yml:2:1: unknown key `titel`"),
            "{text}"
        );
        assert!(text.contains("did you mean `title`?"), "{text}");
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(
            parse("rules: {orphan-page: loud}\n")
                .unwrap_err()
                .to_string()
                .contains("not a severity")
        );
        assert!(
            parse("rules: {orphan-pgae: off}\n")
                .unwrap_err()
                .to_string()
                .contains("`orphan-page`")
        );
        assert!(
            parse("freshness: {process: 3 months}\n")
                .unwrap_err()
                .to_string()
                .contains(":1:22")
        );
        assert!(
            parse("folders: {x: proces}\n")
                .unwrap_err()
                .to_string()
                .contains("`process`")
        );
        assert!(parse("base_url: acme\n").is_err());
        assert!(parse("title: [\n").is_err());
    }
}
