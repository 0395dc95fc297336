//! `opsbook.yml`: found upward from the working directory, every key optional, unknown keys
//! rejected with a did-you-mean.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{RULES, Severity, Span, did_you_mean};
use crate::error::Error;
use crate::frontmatter::{self, Node, Value};
use crate::kind::Kind;
use crate::values::{Duration, parse_duration};

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
    /// Top-level folder → kind of the documents in it.
    pub folders: BTreeMap<String, Kind>,
    /// Default review interval per kind.
    pub freshness: BTreeMap<Kind, Duration>,
    /// "Due soon" window before a review falls due.
    pub due_soon: Duration,
    /// Severity overrides per rule; `None` turns a rule off.
    pub rules: BTreeMap<String, Option<Severity>>,
    pub raw_html: bool,
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
    "kinds",
];

impl Config {
    /// The built-in defaults for a handbook at `root`.
    pub fn defaults(root: PathBuf) -> Config {
        let folders = [
            ("roadmap", Kind::RoadmapItem),
            ("charters", Kind::Charter),
            ("processes", Kind::Process),
            ("people", Kind::Person),
            ("roles", Kind::Role),
            ("teams", Kind::Team),
        ]
        .into_iter()
        .map(|(f, k)| (f.to_string(), k))
        .collect();
        let freshness = [
            (Kind::Process, Duration::days(90)),
            (Kind::Charter, Duration::days(180)),
            (Kind::Role, Duration::days(180)),
        ]
        .into_iter()
        .collect();
        Config {
            root,
            path: None,
            title: "Handbook".to_string(),
            base_url: None,
            repo_url: None,
            output: PathBuf::from("site"),
            folders,
            freshness,
            due_soon: Duration::days(14),
            rules: BTreeMap::new(),
            raw_html: false,
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

    /// Parse the text of a config file for the handbook at `root`.
    pub fn parse(root: PathBuf, file: &Path, text: &str) -> Result<Config, Error> {
        let mut cfg = Config::defaults(root);
        cfg.path = Some(file.to_path_buf());
        let err = |span: Option<Span>, message: String, help: Option<String>| Error::Config {
            path: file.to_path_buf(),
            span,
            message,
            help,
        };
        let node = frontmatter::parse_yaml(text, 1)
            .map_err(|e| err(e.span, format!("invalid YAML: {}", e.message), Some(e.help)))?;
        let entries = match &node.value {
            Value::Null => return Ok(cfg),
            Value::Map(entries) => entries,
            _ => {
                return Err(err(
                    Some(node.span),
                    "the config must be a mapping of keys".into(),
                    None,
                ));
            }
        };
        let mut seen = std::collections::HashSet::new();
        for (key, value) in entries {
            if !seen.insert(key.name.as_str()) {
                return Err(err(
                    Some(key.span),
                    format!("key `{}` appears twice", key.name),
                    None,
                ));
            }
            let s = Some(value.span);
            match key.name.as_str() {
                "title" => {
                    cfg.title = string(value)
                        .ok_or_else(|| err(s, "`title` must be a string".into(), None))?
                }
                "base_url" => cfg.base_url = Some(url(value).map_err(|m| err(s, m, None))?),
                "repo_url" => cfg.repo_url = Some(url(value).map_err(|m| err(s, m, None))?),
                "output" => {
                    cfg.output = PathBuf::from(
                        string(value)
                            .ok_or_else(|| err(s, "`output` must be a folder path".into(), None))?,
                    )
                }
                "folders" => {
                    for (k, v) in map(value).map_err(|m| err(s, m, None))? {
                        let name = string(v).unwrap_or_default();
                        let kind = Kind::parse(&name).ok_or_else(|| {
                            err(
                                Some(v.span),
                                format!("`{name}` is not a kind"),
                                did_you_mean(&name, Kind::ALL.map(Kind::as_str)).or_else(|| {
                                    Some(format!(
                                        "use one of {}",
                                        Kind::ALL.map(Kind::as_str).join(", ")
                                    ))
                                }),
                            )
                        })?;
                        cfg.folders
                            .insert(k.name.trim_matches('/').to_string(), kind);
                    }
                }
                "freshness" => {
                    for (k, v) in map(value).map_err(|m| err(s, m, None))? {
                        let d = string(v)
                            .ok_or_else(|| "expected a duration".to_string())
                            .and_then(|t| parse_duration(&t))
                            .map_err(|m| err(Some(v.span), m, None))?;
                        if k.name == "due_soon" {
                            cfg.due_soon = d;
                        } else if let Some(kind) = Kind::parse(&k.name) {
                            cfg.freshness.insert(kind, d);
                        } else {
                            let mut names: Vec<&str> = Kind::ALL.map(Kind::as_str).to_vec();
                            names.push("due_soon");
                            return Err(err(
                                Some(k.span),
                                format!("`freshness.{}` is not a kind or `due_soon`", k.name),
                                did_you_mean(&k.name, names),
                            ));
                        }
                    }
                }
                "rules" => {
                    for (k, v) in map(value).map_err(|m| err(s, m, None))? {
                        if !RULES.iter().any(|r| r.name == k.name) {
                            return Err(err(
                                Some(k.span),
                                format!("`{}` is not a rule", k.name),
                                did_you_mean(&k.name, RULES.iter().map(|r| r.name))
                                    .or_else(|| Some("the README lists every rule".into())),
                            ));
                        }
                        let level = string(v).unwrap_or_default();
                        let sev = match level.as_str() {
                            "error" => Some(Severity::Error),
                            "warning" => Some(Severity::Warning),
                            "info" => Some(Severity::Info),
                            "off" => None,
                            _ => {
                                return Err(err(
                                    Some(v.span),
                                    format!("`{level}` is not a severity"),
                                    Some(
                                        did_you_mean(&level, ["error", "warning", "info", "off"])
                                            .unwrap_or_else(|| {
                                                "use error, warning, info or off".into()
                                            }),
                                    ),
                                ));
                            }
                        };
                        cfg.rules.insert(k.name.clone(), sev);
                    }
                }
                "markdown" => {
                    for (k, v) in map(value).map_err(|m| err(s, m, None))? {
                        if k.name != "raw_html" {
                            return Err(err(
                                Some(k.span),
                                format!("`markdown.{}` is not a setting", k.name),
                                did_you_mean(&k.name, ["raw_html"]),
                            ));
                        }
                        cfg.raw_html = match v.value {
                            Value::Bool(b) => b,
                            _ => {
                                return Err(err(
                                    Some(v.span),
                                    "`raw_html` must be true or false".into(),
                                    None,
                                ));
                            }
                        };
                    }
                }
                "kinds" => {
                    if !matches!(&value.value, Value::Null)
                        && !map(value).map_err(|m| err(s, m, None))?.is_empty()
                    {
                        return Err(err(
                            s,
                            "custom kinds are not supported yet".into(),
                            Some("remove `kinds:` or leave it empty".into()),
                        ));
                    }
                }
                other => {
                    return Err(err(
                        Some(key.span),
                        format!("unknown key `{other}`"),
                        did_you_mean(other, KEYS.iter().copied())
                            .or_else(|| Some(format!("the keys are {}", KEYS.join(", ")))),
                    ));
                }
            }
        }
        Ok(cfg)
    }

    /// The kind of documents in a top-level folder.
    pub fn kind_of_folder(&self, folder: &str) -> Option<Kind> {
        self.folders.get(folder).copied()
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
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        self.rules.get(rule).copied().unwrap_or(Some(default))
    }
}

fn string(node: &Node) -> Option<String> {
    node.scalar_text()
}

fn url(node: &Node) -> Result<String, String> {
    let s = string(node).ok_or_else(|| "expected a URL".to_string())?;
    if s.starts_with("https://") || s.starts_with("http://") {
        Ok(s)
    } else {
        Err(format!("`{s}` is not an http(s) URL"))
    }
}

fn map(node: &Node) -> Result<Vec<(&frontmatter::Key, &Node)>, String> {
    match &node.value {
        Value::Map(entries) => Ok(entries.iter().map(|(k, v)| (k, v)).collect()),
        Value::Null => Ok(Vec::new()),
        _ => Err(format!("expected a mapping, found {}", node.type_name())),
    }
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
        assert_eq!(c.kind_of_folder("roadmap"), Some(Kind::RoadmapItem));
        assert_eq!(c.freshness[&Kind::Process], Duration::days(90));
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "title: Acme\nbase_url: https://a.io/h/\nfolders: {bets: roadmap-item}\n\
             freshness: {process: 30d, due_soon: 7d}\nrules: {orphan-page: off, review-overdue: error}\n\
             markdown: {raw_html: true}\nkinds: {}\noutput: public\n",
        )
        .unwrap();
        assert_eq!(c.title, "Acme");
        assert_eq!(c.kind_of_folder("bets"), Some(Kind::RoadmapItem));
        assert_eq!(c.freshness[&Kind::Process], Duration::days(30));
        assert_eq!(c.due_soon, Duration::days(7));
        assert_eq!(c.severity("orphan-page", Severity::Warning), None);
        assert_eq!(
            c.severity("review-overdue", Severity::Warning),
            Some(Severity::Error)
        );
        assert!(c.raw_html);
        assert_eq!(c.output, PathBuf::from("public"));
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
