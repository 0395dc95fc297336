//! Reading `opsbook.yml`: every key optional, unknown keys rejected with a did-you-mean, each
//! error with the file's line and column.

use std::path::{Path, PathBuf};

use super::*;

impl Config {
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
        // A section with one true-or-false setting: `markdown: {raw_html: true}`.
        let section_flag = |value: &Node, section: &str, name: &str| {
            let mut found = None;
            for (k, v) in map(value).map_err(|m| err(Some(value.span), m, None))? {
                if k.name != name {
                    return Err(err(
                        Some(k.span),
                        format!("`{section}.{}` is not a setting", k.name),
                        did_you_mean(&k.name, [name]),
                    ));
                }
                match v.value {
                    Value::Bool(b) => found = Some(b),
                    _ => {
                        return Err(err(
                            Some(v.span),
                            format!("`{name}` must be true or false"),
                            None,
                        ));
                    }
                }
            }
            Ok(found)
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
        // Kinds first: `folders:` and `freshness:` may name a custom kind.
        if let Some((_, value)) = entries.iter().find(|(k, _)| k.name == "kinds") {
            cfg.kinds = parse_kinds(value).map_err(|e| err(Some(e.span), e.message, e.help))?;
            cfg.folders.clear();
            cfg.freshness.clear();
            cfg.apply_kinds();
        }
        let kind_names = cfg.kinds.names();
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
                    cfg.output =
                        PathBuf::from(string(value).ok_or_else(|| {
                            err(s, "`output` must be a folder path".into(), None)
                        })?);
                    cfg.output_at = s;
                }
                "folders" => {
                    for (k, v) in map(value).map_err(|m| err(s, m, None))? {
                        let name = string(v).unwrap_or_default();
                        let kind = cfg.kinds.parse(&name).ok_or_else(|| {
                            err(
                                Some(v.span),
                                format!("`{name}` is not a kind"),
                                did_you_mean(&name, kind_names.iter().copied()).or_else(|| {
                                    Some(format!("use one of {}", kind_names.join(", ")))
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
                        } else if let Some(kind) = cfg.kinds.parse(&k.name) {
                            cfg.freshness.insert(kind, d);
                        } else {
                            let mut names: Vec<&str> = kind_names.clone();
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
                        let Some(rule) = Rule::parse(&k.name) else {
                            return Err(err(
                                Some(k.span),
                                format!("`{}` is not a rule", k.name),
                                did_you_mean(&k.name, RULES.iter().map(|r| r.name))
                                    .or_else(|| Some("docs/rules.md lists every rule".into())),
                            ));
                        };
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
                        cfg.rules.insert(rule, sev);
                    }
                }
                "markdown" => {
                    let bad = |(at, m, h)| err(Some(at), m, h);
                    if let Some(b) = options::markdown(value, &mut cfg.markdown).map_err(bad)? {
                        cfg.raw_html = b;
                    }
                }
                "ignore" => {
                    cfg.ignore = options::ignore(value).map_err(|(at, m, h)| err(Some(at), m, h))?
                }
                "sections" => {
                    let custom: Vec<&str> = cfg.kinds.custom().map(|s| s.kind.as_str()).collect();
                    cfg.sections = sections::sections(value, &custom)
                        .map_err(|(at, m, h)| err(Some(at), m, h))?;
                }
                "links" => {
                    cfg.links = options::links(value).map_err(|(at, m, h)| err(Some(at), m, h))?
                }
                "site" => {
                    if let Some(b) = section_flag(value, "site", "findings")? {
                        cfg.site_findings = b;
                    }
                }
                "kinds" => {} // read first, above
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
