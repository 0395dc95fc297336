//! What every kind of document is, as data: its folders, its fields and their types, its
//! site columns and review interval. The built-in kinds are declared in `builtin.yml`, in the
//! same form as `kinds:` in `opsbook.yml`, and read by the same parser; the loader, `schema`,
//! `new`, `export` and the site all read these specs, so a custom kind gets all of them.

mod generators;
mod parse;
pub mod reference;

use std::sync::{Arc, OnceLock};

use globset::GlobSet;

use crate::kind::Kind;
use crate::values::Duration;

pub use generators::GENERATOR_KEYS;
pub use parse::parse_kinds;

/// The type of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    /// One line of text.
    String,
    /// Any text (several lines or paragraphs).
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// A YAML timestamp with a time and a zone: `2026-03-01T09:30:00Z`.
    DateTime,
    /// `YYYY`, `YYYY-Hn`, `YYYY-Qn`, `YYYY-MM` or a date.
    Period,
    /// `90d`, `6w`, `3m`, `1q`, `1y`.
    Duration,
    Number,
    Integer,
    Bool,
    /// An `http(s)://` URL.
    Url,
    Email,
    /// One of the words.
    Enum(Vec<String>),
    /// A document of one of these kinds: `id` or `kind:id`.
    Ref(Arc<[Kind]>),
    /// A list of values of one type (a single value reads as a list of one).
    List(Box<FieldType>),
    /// Structures of the built-in kinds.
    Rice,
    Links,
    Scope,
    Raci,
    Cadence,
    /// A number from 0 to 1, or a percentage like `70%`.
    Fraction,
    /// The key results of an objective: `{id, title, metric, baseline, target, current, unit,
    /// direction, confidence, owner}`.
    KeyResults,
    /// A key result of an objective: `objective-id#key-result-id`.
    KeyResult,
    /// A launch checklist: `{task, owner, due, done}`.
    Checklist,
    /// Any value, kept as it is and never checked: a key other tools read.
    Any,
}

impl FieldType {
    /// For a list of mappings with ids whose history is kept per entry, the key of the value
    /// each entry's history follows: a key result's `current`.
    pub fn entry_value(&self) -> Option<&'static str> {
        match self {
            FieldType::KeyResults => Some("current"),
            _ => None,
        }
    }

    /// The name written in `type:` (`list` for lists).
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
            FieldType::Period => "period",
            FieldType::Duration => "duration",
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Bool => "bool",
            FieldType::Url => "url",
            FieldType::Email => "email",
            FieldType::Enum(_) => "enum",
            FieldType::Ref(_) => "ref",
            FieldType::List(_) => "list",
            FieldType::Rice => "rice",
            FieldType::Links => "links",
            FieldType::Scope => "scope",
            FieldType::Raci => "raci",
            FieldType::Cadence => "cadence",
            FieldType::Fraction => "fraction",
            FieldType::KeyResults => "key-results",
            FieldType::KeyResult => "key-result",
            FieldType::Checklist => "checklist",
            FieldType::Any => "any",
        }
    }

    /// The kinds a reference (or a list of them) may point at.
    pub fn ref_targets(&self) -> Option<&Arc<[Kind]>> {
        match self {
            FieldType::Ref(to) => Some(to),
            FieldType::List(of) => of.ref_targets(),
            _ => None,
        }
    }

    /// How the type reads in docs and messages: `a list of references to person or team`.
    pub fn describe(&self) -> String {
        match self {
            FieldType::Enum(values) => format!("one of {}", values.join(", ")),
            FieldType::Ref(to) => format!("a reference to {}", kinds_phrase(to, "or")),
            FieldType::List(of) => format!("a list of {}", of.describe_plural()),
            FieldType::Rice => "a RICE score `{rice: {reach, impact, confidence, effort}}`".into(),
            FieldType::Links => "a list of `{title, url}`".into(),
            FieldType::Scope => "`{in: [...], out: [...]}`".into(),
            FieldType::Raci => "a list of RACI rows `{id, activity, R, A, C, I, process}`".into(),
            FieldType::Cadence => "a cadence word or a duration like `6w`".into(),
            FieldType::Fraction => "a number from 0 to 1, or a percentage like `70%`".into(),
            FieldType::KeyResults => {
                "a list of key results `{id, title, metric, baseline, target, current, unit, direction, confidence, owner}`".into()
            }
            FieldType::KeyResult => "a key result `objective-id#key-result-id`".into(),
            FieldType::Checklist => "a list of tasks `{task, owner, due, done}`".into(),
            FieldType::Any => "any value (not checked)".into(),
            FieldType::DateTime => "a date and time with a zone (`2026-03-01T09:30:00Z`)".into(),
            FieldType::Date => "a date (`YYYY-MM-DD`)".into(),
            FieldType::Period => {
                "a period (`2026`, `2026-H1`, `2026-Q3`, `2026-05` or a date)".into()
            }
            FieldType::Duration => "a duration like `90d` or `6m`".into(),
            FieldType::Integer => "a whole number".into(),
            FieldType::Bool => "true or false".into(),
            FieldType::Url => "an http(s) URL".into(),
            FieldType::Email => "an email address".into(),
            FieldType::Number => "a number".into(),
            FieldType::String => "a string".into(),
            FieldType::Text => "text".into(),
        }
    }

    fn describe_plural(&self) -> String {
        match self {
            FieldType::Ref(to) => format!("references to {}", kinds_phrase(to, "or")),
            FieldType::Enum(values) => format!("words out of {}", values.join(", ")),
            FieldType::String | FieldType::Text => "strings".into(),
            FieldType::KeyResult => "key results `objective-id#key-result-id`".into(),
            other => format!("{} values", other.name()),
        }
    }
}

/// `person, role or team`.
pub fn kinds_phrase(kinds: &[Kind], last: &str) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    match names.split_last() {
        Some((l, rest)) if !rest.is_empty() => format!("{} {last} {l}", rest.join(", ")),
        Some((l, _)) => l.to_string(),
        None => String::new(),
    }
}

/// One field of a kind.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub name: Arc<str>,
    pub ty: FieldType,
    pub required: bool,
    /// The value a missing field is taken to have (shown in docs; `new` writes it).
    pub default: Option<String>,
    pub description: String,
    /// Changes of the field are read from git and shown as its history.
    pub history: bool,
    /// Declared by opsbook (not by `kinds:` in the config).
    pub builtin: bool,
}

/// Where a document's title comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleRule {
    /// `title:`, else the first `# heading`, else the file name.
    Optional,
    /// `title:` must be written.
    Required,
    /// `title:`, else `name:`; one of them must be written.
    Name,
}

/// Everything opsbook knows about one kind.
#[derive(Debug, Clone)]
pub struct KindSpec {
    pub kind: Kind,
    /// `Roadmap item`.
    pub label: String,
    /// `Roadmap items`.
    pub plural: String,
    pub description: String,
    /// Folders (relative to the root) whose Markdown files are of this kind.
    pub folders: Vec<String>,
    /// Globs (relative to the root) whose files are of this kind, as written.
    pub globs: Vec<String>,
    /// The globs, compiled.
    pub glob_set: Option<GlobSet>,
    /// The `org.yml` list that holds documents of this kind (`people`).
    pub registry: Option<String>,
    pub title: TitleRule,
    pub fields: Vec<FieldSpec>,
    /// A team's own key → the field it stands for (`quarter` → `target`).
    pub aliases: Vec<(String, String)>,
    /// The fields shown in the kind's index table on the site.
    pub columns: Vec<String>,
    /// How often documents of the kind are reviewed (none: never due).
    pub review_every: Option<Duration>,
    pub builtin: bool,
}

impl KindSpec {
    /// The kind in a sentence: `roadmap item`.
    pub fn noun(&self) -> String {
        self.label.to_lowercase()
    }

    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| &*f.name == name)
    }

    /// The field a key stands for: the field itself, or the one it is an alias of.
    pub fn field_for_key(&self, key: &str) -> Option<&FieldSpec> {
        self.field(key).or_else(|| {
            self.aliases
                .iter()
                .find(|(a, _)| a == key)
                .and_then(|(_, f)| self.field(f))
        })
    }

    /// The keys a document of the kind may have: the common ones, the fields, the aliases.
    pub fn known_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = COMMON.to_vec();
        keys.extend(self.fields.iter().map(|f| &*f.name));
        keys.extend(self.aliases.iter().map(|(a, _)| a.as_str()));
        keys
    }

    /// Whether the root-relative `path` matches one of the kind's globs.
    pub fn matches_glob(&self, path: &str) -> bool {
        self.glob_set.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// The site page listing every document of the kind.
    pub fn index_url(&self) -> String {
        match self.kind {
            Kind::ROADMAP_ITEM => "roadmap/index.html".into(),
            Kind::PAGE => "pages.html".into(),
            k => format!("{}/index.html", k.folder()),
        }
    }
}

/// Fields every document may have.
pub const COMMON: &[&str] = &[
    "kind",
    "id",
    "title",
    "tags",
    "last_reviewed",
    "review_every",
];

/// Every kind of a handbook: the built-in ones (extended by the config), then the custom
/// ones in the order the config declares them.
#[derive(Debug, Clone)]
pub struct Kinds {
    specs: Vec<KindSpec>,
}

impl Kinds {
    /// The built-in kinds only.
    pub fn builtin() -> Kinds {
        static BUILTIN: OnceLock<Kinds> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let text = include_str!("builtin.yml");
                let node = crate::frontmatter::parse_yaml(text, 1)
                    .unwrap_or_else(|e| panic!("builtin.yml: {}", e.message));
                let mut kinds = Kinds { specs: Vec::new() };
                parse::declare(&mut kinds, &node, true)
                    .unwrap_or_else(|e| panic!("builtin.yml: {e:?}"));
                kinds
            })
            .clone()
    }

    pub fn all(&self) -> &[KindSpec] {
        &self.specs
    }

    /// Every kind, built-in first.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.specs.iter().map(|s| s.kind)
    }

    /// The custom kinds, in declaration order.
    pub fn custom(&self) -> impl Iterator<Item = &KindSpec> {
        self.specs.iter().filter(|s| !s.builtin)
    }

    pub fn get(&self, kind: Kind) -> Option<&KindSpec> {
        self.specs.iter().find(|s| s.kind == kind)
    }

    /// The spec of a kind of this handbook (every document has one; the page spec otherwise).
    pub fn spec(&self, kind: Kind) -> &KindSpec {
        self.get(kind)
            .or_else(|| self.get(Kind::PAGE))
            .unwrap_or(&self.specs[0])
    }

    fn get_mut(&mut self, kind: Kind) -> Option<&mut KindSpec> {
        self.specs.iter_mut().find(|s| s.kind == kind)
    }

    /// The kind called `name`, when the handbook has it.
    pub fn parse(&self, name: &str) -> Option<Kind> {
        self.specs
            .iter()
            .find(|s| s.kind.as_str() == name)
            .map(|s| s.kind)
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.kinds().map(Kind::as_str).collect()
    }

    /// The kind whose globs match `path`, if any (the first declared wins).
    pub fn by_glob(&self, path: &str) -> Option<Kind> {
        self.specs
            .iter()
            .find(|s| s.matches_glob(path))
            .map(|s| s.kind)
    }

    /// The kind whose `org.yml` list is `key`.
    pub fn by_registry(&self, key: &str) -> Option<Kind> {
        self.specs
            .iter()
            .find(|s| s.registry.as_deref() == Some(key))
            .map(|s| s.kind)
    }
}

#[cfg(test)]
mod tests;
