//! What the history reads from each version of a file, from the kind specs: every field a kind
//! marks `history: true` (under its name or an alias), `last_reviewed` and the title, for the
//! Markdown files of every kind that has such a field, and per entry of the registry
//! (`org.yml`) for the kinds of its lists that have one.
//!
//! A version is read once, whatever its path: its [`Slots`] hold the value of every *probe* (a
//! field of some kind, by its keys and how its value is read), and the kind of the version's
//! path picks its fields out of them ([`Tracking::view`]). So a file renamed across kinds shows
//! each version with the fields of the kind at its path, and the cache keeps one set of values
//! per blob.
//!
//! A list of mappings with ids (an objective's `key_results`) is tracked per entry: its value
//! in a version is one value per entry (a key result's `current`), shown under the key
//! `field#id` ([`entry_key`]), so a change to one key result is a change of that entry alone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::cache::KeyHasher;
use super::diff::is_outside;
pub(super) use super::registry::{Entry, Memo};
use super::state::{ItemState, entry_key, rice};
use crate::config::Config;
use crate::frontmatter::{self, Node, Value};
use crate::kind::Kind;
use crate::kinds::{FieldType, TitleRule};

/// The registry file, at the handbook root: lists of people, roles and teams.
pub const REGISTRY: &str = "org.yml";

/// How a tracked value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Read {
    /// A scalar, as written.
    Text,
    /// A list of scalars (or one), joined by `, `.
    List,
    /// A RICE score `{rice: {…}}`, computed.
    Rice,
    /// A list of mappings with an `id`: per entry, the number under this key (a key result's
    /// `current`), kept as one text ([`entries_text`]) and shown per entry.
    Entries(&'static str),
}

/// One value the history reads: the first of `keys` present, read as `read`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Probe {
    keys: Vec<String>,
    read: Read,
}

/// The values of one version, one per probe of its [`Tracking`] (`None`: absent, or not
/// readable as the probe reads it).
pub(super) type Slots = Arc<[Option<String>]>;

/// The probes every version is read with, at these places.
const TITLE: usize = 0;
const NAME: usize = 1;
const LAST_REVIEWED: usize = 2;

/// What one kind's history shows: its fields with `history: true`, then `last_reviewed`, each
/// with its probe.
#[derive(Debug, Clone)]
struct View {
    fields: Vec<(Arc<str>, usize)>,
    title_by_name: bool,
    /// The kind has fields with `history: true`: its files are tracked.
    tracked: bool,
}

/// What the history of a handbook reads, made from its kind specs.
#[derive(Debug, Clone)]
pub(super) struct Tracking {
    probes: Vec<Probe>,
    /// Every key of every probe: a frontmatter is cut down to these before it is parsed.
    keys: HashSet<String>,
    views: HashMap<Kind, View>,
    /// The lists of `org.yml` whose kind is tracked, with that kind.
    pub(super) registry: Vec<(String, Kind)>,
    fingerprint: u64,
}

impl Tracking {
    pub(super) fn new(cfg: &Config) -> Tracking {
        let mut probes = vec![
            probe("title", &[], Read::Text),
            probe("name", &[], Read::Text),
            probe("last_reviewed", &[], Read::Text),
        ];
        let mut views = HashMap::new();
        for spec in cfg.kinds.all() {
            let mut fields = Vec::new();
            for f in spec.fields.iter().filter(|f| f.history) {
                let aliases: Vec<&str> = spec
                    .aliases
                    .iter()
                    .filter(|(_, to)| *to == *f.name)
                    .map(|(a, _)| a.as_str())
                    .collect();
                let read = match &f.ty {
                    FieldType::Rice => Read::Rice,
                    FieldType::List(_) => Read::List,
                    ty => ty.entry_value().map_or(Read::Text, Read::Entries),
                };
                let p = probe(&f.name, &aliases, read);
                let at = match probes.iter().position(|q| *q == p) {
                    Some(at) => at,
                    None => {
                        probes.push(p);
                        probes.len() - 1
                    }
                };
                fields.push((Arc::clone(&f.name), at));
            }
            let tracked = !fields.is_empty();
            fields.push((Arc::from("last_reviewed"), LAST_REVIEWED));
            let view = View {
                fields,
                title_by_name: spec.title == TitleRule::Name,
                tracked,
            };
            views.insert(spec.kind, view);
        }
        let registry: Vec<(String, Kind)> = cfg
            .kinds
            .all()
            .iter()
            .filter(|s| views.get(&s.kind).is_some_and(|v| v.tracked))
            .filter_map(|s| Some((s.registry.clone()?, s.kind)))
            .collect();
        let keys = probes.iter().flat_map(|p| p.keys.iter().cloned()).collect();
        let mut h = KeyHasher::new();
        for p in &probes {
            h.part(format!("{:?}", p.read).as_bytes());
            for k in &p.keys {
                h.part(k.as_bytes());
            }
            h.part(b"/");
        }
        for (list, kind) in &registry {
            h.part(list.as_bytes()).part(kind.as_str().as_bytes());
        }
        Tracking {
            probes,
            keys,
            views,
            registry,
            fingerprint: h.finish(),
        }
    }

    /// Identifies what versions are read for (the probes and the registry lists), for the key
    /// of the cached values.
    pub(super) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// How many values a version has.
    pub(super) fn width(&self) -> usize {
        self.probes.len()
    }

    /// How many lists of the registry are tracked.
    pub(super) fn lists(&self) -> usize {
        self.registry.len()
    }

    /// The kind of the registry list at `index`.
    pub(super) fn list(&self, index: usize) -> Option<Kind> {
        self.registry.get(index).map(|(_, k)| *k)
    }

    /// Whether the file at the root-relative `path` has a history: a Markdown file of a kind
    /// with history fields, or the registry when one of its lists has them.
    pub(super) fn tracks(&self, cfg: &Config, path: &str) -> bool {
        if is_outside(path) {
            return false;
        }
        if path == REGISTRY {
            return !self.registry.is_empty();
        }
        path.ends_with(".md") && self.has_history(cfg.kind_of_path(path))
    }

    /// Whether documents of `kind` have a history (fields with `history: true`).
    pub(super) fn has_history(&self, kind: Kind) -> bool {
        self.views.get(&kind).is_some_and(|v| v.tracked)
    }

    /// The kind whose fields a version at `path` shows, in the history of the file known as
    /// `key`: a version from before the file was moved into the root is of the kind it has now.
    pub(super) fn kind_at(cfg: &Config, path: &str, key: &str) -> Kind {
        if is_outside(path) {
            cfg.kind_of_path(key)
        } else {
            cfg.kind_of_path(path)
        }
    }

    /// What a version with these values shows as a document of `kind`.
    pub(super) fn view(&self, kind: Kind, slots: &Slots) -> ItemState {
        let Some(view) = self.views.get(&kind) else {
            return ItemState::default();
        };
        let get = |i: usize| slots.get(i).cloned().flatten();
        let mut values = BTreeMap::new();
        for (name, at) in &view.fields {
            let Some(v) = get(*at) else { continue };
            if let Read::Entries(_) = self.probes[*at].read {
                for (id, v) in entries_of(&v) {
                    values.entry(entry_key(name, &id)).or_insert(v);
                }
            } else {
                values.insert(name.to_string(), v);
            }
        }
        let title = get(TITLE).or_else(|| get(NAME).filter(|_| view.title_by_name));
        ItemState { title, values }
    }

    /// The values of a frontmatter (of a Markdown file's text). A file whose frontmatter cannot
    /// be read has none.
    pub(super) fn read_doc(&self, text: &str, memo: &mut Memo) -> Slots {
        let seen = &mut memo.docs;
        let Ok(split) = frontmatter::split(frontmatter::strip_bom(text)) else {
            return self.empty();
        };
        let Some(yaml) = split.yaml else {
            return self.empty();
        };
        if split.format == frontmatter::Format::Toml {
            let parsed = frontmatter::parse_toml(yaml, split.yaml_line);
            return parsed.map_or_else(|_| self.empty(), |n| self.slots(&n));
        }
        // Most of a frontmatter is not tracked: parse only the tracked keys when that is safe.
        let short = tracked_lines(yaml, &self.keys);
        let key = short.as_deref().unwrap_or(yaml);
        if let Some(known) = seen.get(key) {
            return Arc::clone(known);
        }
        let full = || frontmatter::parse_yaml(yaml, split.yaml_line);
        let parsed = match &short {
            Some(s) => frontmatter::parse_yaml(s, 1).or_else(|_| full()),
            None => full(),
        };
        let slots = parsed.map_or_else(|_| self.empty(), |n| self.slots(&n));
        seen.insert(key.to_string(), Arc::clone(&slots));
        slots
    }

    fn empty(&self) -> Slots {
        vec![None; self.probes.len()].into()
    }

    /// The values of a mapping, one per probe.
    pub(super) fn slots(&self, node: &Node) -> Slots {
        self.probes
            .iter()
            .map(|p| {
                let value = p.keys.iter().find_map(|k| node.get(k))?;
                match p.read {
                    Read::Text => value.scalar_text(),
                    Read::List => list_text(value),
                    Read::Rice => rice(value),
                    Read::Entries(key) => entries_text(value, key),
                }
            })
            .collect()
    }
}

fn probe(name: &str, aliases: &[&str], read: Read) -> Probe {
    let mut keys = vec![name.to_string()];
    keys.extend(aliases.iter().map(|a| a.to_string()));
    Probe { keys, read }
}

/// A list of scalars (or a single one) as `a, b`; `None` when it holds anything else.
fn list_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(Node::scalar_text)
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(", ")),
        _ => node.scalar_text(),
    }
}

/// The entries of a list of mappings with an `id` whose `key` is a number, as the text of a
/// JSON list of `[id, number]` in list order (a repeated id keeps its first entry); `None` for
/// anything but a list. Numbers are written the shortest way that reads back the same, so
/// `38` and `38.0` are the same value.
fn entries_text(node: &Node, key: &str) -> Option<String> {
    let Value::Seq(items) = &node.value else {
        return None;
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for item in items {
        let (Some(id), Some(n)) = (
            item.get("id").and_then(Node::scalar_text),
            item.get(key).and_then(number_text),
        ) else {
            continue;
        };
        if seen.insert(id.clone()) {
            out.push((id, n));
        }
    }
    serde_json::to_string(&out).ok()
}

/// The `(id, value)` pairs [`entries_text`] wrote (none when the text is not that).
fn entries_of(text: &str) -> Vec<(String, String)> {
    serde_json::from_str(text).unwrap_or_default()
}

/// A finite number as the shortest text that reads back as the same number.
fn number_text(node: &Node) -> Option<String> {
    match node.value {
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) if f.is_finite() => Some(if f.fract() == 0.0 && f.abs() < 1e15 {
            (f as i64).to_string()
        } else {
            f.to_string()
        }),
        _ => None,
    }
}

/// The top-level entries of a block mapping whose key is one of `keys`, with the lines that
/// continue them; `None` when the YAML uses anything that makes cutting it unsafe (flow style
/// at the top, anchors, aliases, tags, complex keys, tabs).
fn tracked_lines(yaml: &str, keys: &HashSet<String>) -> Option<String> {
    if yaml.contains(['&', '*', '!', '\t']) {
        return None;
    }
    let mut out = String::with_capacity(yaml.len() / 2);
    let mut keep = false;
    for line in yaml.split_inclusive('\n') {
        let first = line.chars().next().unwrap_or(' ');
        if !matches!(first, ' ' | '-' | '#' | '\r' | '\n') {
            let key = line.split(':').next().unwrap_or_default().trim();
            if matches!(first, '{' | '[' | '?' | '"' | '\'' | '%') || !line.contains(':') {
                return None;
            }
            keep = keys.contains(key);
        }
        if keep {
            out.push_str(line);
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "tests_tracking.rs"]
mod tests;
