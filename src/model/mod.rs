//! Typed documents and the handbook that holds them.

pub mod fields;
pub mod kinds;
pub mod links;
pub mod product;
pub mod structures;
pub mod typed;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use rayon::prelude::*;

pub use fields::{Ref, Spanned};
pub use kinds::{Charter, Data, Person, Process, RaciRow, Rice, RoadmapItem, Role, Team};
pub use product::{KeyResult, KeyResultRef, Launch, Metric, Objective, Task};
pub use typed::{FieldValue, Fields};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::discover::SourceFile;
use crate::frontmatter::{self, Node, SplitError, Value};
use crate::kind::Kind;
use crate::kinds::TitleRule;
use crate::markdown::{self, Outline};
use crate::rules::Rule;
use crate::values::{self, Duration};
use fields::Reader;

/// One document: a Markdown file, or one entry of `org.yml`.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path relative to the handbook root, `/`-separated.
    pub path: String,
    pub kind: Kind,
    pub id: String,
    /// Where the id is written (the `id:` value), else where the document starts.
    pub id_span: Span,
    pub title: String,
    pub tags: Vec<String>,
    pub last_reviewed: Option<Spanned<Date>>,
    pub review_every: Option<Spanned<Duration>>,
    /// Where findings about a missing field point: line 1, or the `org.yml` list item.
    pub start: Span,
    /// The frontmatter as parsed (for export); `None` without frontmatter.
    pub frontmatter: Option<Node>,
    /// The file's text (shared, not copied); the body starts at `body_start`.
    text: Arc<String>,
    body_start: usize,
    pub body_line: u32,
    /// Headings and links of the body, parsed on first use (`Doc::outline`): a check of one
    /// file needs the outlines of that file and of the documents it links to, not of all.
    outline: OnceLock<Outline>,
    /// The fields its kind declares, as read (absent ones left out).
    pub fields: Fields,
    /// The typed view of a built-in kind's fields.
    pub data: Data,
    /// The frontmatter could not be read: field and document rules skip it.
    pub broken: bool,
    /// How the body is read (anchors, shortcodes): the handbook's `markdown:` settings.
    pub markdown: crate::config::MarkdownOptions,
}

impl Doc {
    /// The Markdown body after the frontmatter.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }

    /// Headings and links of the body (parsed once, on first use).
    pub fn outline(&self) -> &Outline {
        self.outline
            .get_or_init(|| markdown::outline(self.body(), self.body_line, self.markdown))
    }
    pub fn roadmap(&self) -> Option<&RoadmapItem> {
        match &self.data {
            Data::RoadmapItem(x) => Some(x),
            _ => None,
        }
    }
    pub fn charter(&self) -> Option<&Charter> {
        match &self.data {
            Data::Charter(x) => Some(x),
            _ => None,
        }
    }
    pub fn process(&self) -> Option<&Process> {
        match &self.data {
            Data::Process(x) => Some(x),
            _ => None,
        }
    }
    pub fn person(&self) -> Option<&Person> {
        match &self.data {
            Data::Person(x) => Some(x),
            _ => None,
        }
    }
    pub fn role(&self) -> Option<&Role> {
        match &self.data {
            Data::Role(x) => Some(x),
            _ => None,
        }
    }
    pub fn team(&self) -> Option<&Team> {
        match &self.data {
            Data::Team(x) => Some(x),
            _ => None,
        }
    }
    pub fn objective(&self) -> Option<&Objective> {
        match &self.data {
            Data::Objective(x) => Some(x),
            _ => None,
        }
    }
    pub fn metric(&self) -> Option<&Metric> {
        match &self.data {
            Data::Metric(x) => Some(x),
            _ => None,
        }
    }
    pub fn launch(&self) -> Option<&Launch> {
        match &self.data {
            Data::Launch(x) => Some(x),
            _ => None,
        }
    }
    /// `kind:id`, the handle other documents use.
    pub fn handle(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
    /// The page this document becomes on the site, relative to the site root.
    pub fn url(&self) -> String {
        match self.kind {
            Kind::PAGE => format!("{}.html", self.path.trim_end_matches(".md")),
            k => format!("{}/{}.html", k.folder(), self.id),
        }
    }
    /// Every reference the document makes, for resolution.
    pub fn refs(&self) -> Vec<&Ref> {
        self.fields.refs()
    }
}

/// Every document, sorted by path (then position), with lookups by id.
#[derive(Debug)]
pub struct Handbook {
    pub docs: Vec<Doc>,
    /// The kinds of the handbook (from its config).
    pub kinds: crate::kinds::Kinds,
    by_kind_id: HashMap<(Kind, String), usize>,
    by_id: HashMap<String, Vec<usize>>,
    by_path: HashMap<String, Vec<usize>>,
}

/// How a reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Found(usize),
    /// The id exists, but only as kinds the field does not allow.
    WrongKind(Vec<Kind>),
    Ambiguous(Vec<Kind>),
    Missing,
}

impl Handbook {
    pub fn new(mut docs: Vec<Doc>, kinds: crate::kinds::Kinds) -> Handbook {
        docs.sort_by(|a, b| (&a.path, a.start).cmp(&(&b.path, b.start)));
        let mut hb = Handbook {
            docs,
            kinds,
            by_kind_id: HashMap::new(),
            by_id: HashMap::new(),
            by_path: HashMap::new(),
        };
        for (i, d) in hb.docs.iter().enumerate() {
            hb.by_kind_id.entry((d.kind, d.id.clone())).or_insert(i);
            hb.by_id.entry(d.id.clone()).or_default().push(i);
            hb.by_path.entry(d.path.clone()).or_default().push(i);
        }
        hb
    }

    pub fn get(&self, kind: Kind, id: &str) -> Option<&Doc> {
        self.by_kind_id
            .get(&(kind, id.to_string()))
            .map(|&i| &self.docs[i])
    }

    pub fn index_of(&self, kind: Kind, id: &str) -> Option<usize> {
        self.by_kind_id.get(&(kind, id.to_string())).copied()
    }

    /// The Markdown document at a root-relative path.
    pub fn by_path(&self, path: &str) -> Option<&Doc> {
        self.by_path
            .get(path)
            .and_then(|v| v.first())
            .map(|&i| &self.docs[i])
    }

    /// Indexes of the documents read from the file at a root-relative path, in order.
    pub fn indexes_at(&self, path: &str) -> &[usize] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    /// The kinds the handbook has documents of (documents with a page: an id).
    pub fn used_kinds(&self) -> std::collections::BTreeSet<Kind> {
        self.docs
            .iter()
            .filter(|d| !d.id.is_empty())
            .map(|d| d.kind)
            .collect()
    }

    /// Ids of a kind, for did-you-mean.
    pub fn ids_of(&self, kinds: &[Kind]) -> Vec<&str> {
        self.docs
            .iter()
            .filter(|d| kinds.contains(&d.kind))
            .map(|d| d.id.as_str())
            .collect()
    }

    /// Resolve `kind:id` or a bare id among `allowed`.
    pub fn resolve(&self, kind: Option<Kind>, id: &str, allowed: &[Kind]) -> Resolved {
        if let Some(k) = kind {
            if !allowed.contains(&k) {
                return Resolved::WrongKind(vec![k]);
            }
            return self
                .index_of(k, id)
                .map_or(Resolved::Missing, Resolved::Found);
        }
        let hits: Vec<usize> = self
            .by_id
            .get(id)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| allowed.contains(&self.docs[i].kind))
                    .collect()
            })
            .unwrap_or_default();
        let mut kinds: Vec<Kind> = hits.iter().map(|&i| self.docs[i].kind).collect();
        kinds.dedup();
        match kinds.len() {
            0 => match self.by_id.get(id) {
                Some(v) => {
                    let mut ks: Vec<Kind> = v.iter().map(|&i| self.docs[i].kind).collect();
                    ks.sort();
                    ks.dedup();
                    Resolved::WrongKind(ks)
                }
                None => Resolved::Missing,
            },
            1 => Resolved::Found(hits[0]),
            _ => Resolved::Ambiguous(kinds),
        }
    }

    pub fn resolve_ref(&self, r: &Ref) -> Resolved {
        self.resolve(r.kind, &r.id, &r.allowed)
    }

    /// The document a reference points at, when it resolves.
    pub fn target(&self, r: &Ref) -> Option<&Doc> {
        match self.resolve_ref(r) {
            Resolved::Found(i) => Some(&self.docs[i]),
            _ => None,
        }
    }
}

/// Read every source file into documents; problems become diagnostics.
pub fn build(files: &[SourceFile], cfg: &Config) -> (Handbook, Vec<Diagnostic>) {
    build_with(files, cfg, &frontmatter::Cache::none())
}

/// [`build`], with frontmatter parsed through `cache`.
pub fn build_with(
    files: &[SourceFile],
    cfg: &Config,
    cache: &frontmatter::Cache,
) -> (Handbook, Vec<Diagnostic>) {
    // Each file is read on its own, in parallel; results keep the files' order.
    let parsed: Vec<(Vec<Doc>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let mut docs = Vec::new();
            let mut diags = Vec::new();
            match &file.text {
                Err(at) => diags.push(not_utf8(&file.rel_path, *at)),
                Ok(text) if file.rel_path == "org.yml" => {
                    read_org(&file.rel_path, text, cfg, cache, &mut docs, &mut diags)
                }
                Ok(text) => docs.push(read_markdown_with(
                    &file.rel_path,
                    text,
                    cfg,
                    cache,
                    &mut diags,
                )),
            }
            (docs, diags)
        })
        .collect();
    let mut docs = Vec::with_capacity(files.len());
    let mut diags = Vec::new();
    for (d, g) in parsed {
        docs.extend(d);
        diags.extend(g);
    }
    (Handbook::new(docs, cfg.kinds.clone()), diags)
}

fn not_utf8(path: &str, at: Span) -> Diagnostic {
    Diagnostic::new(Rule::NotUtf8, path, Some(at))
        .message("the file is not valid UTF-8")
        .help("save it as UTF-8 (it may be Latin-1 or UTF-16)")
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Read one Markdown file.
pub fn read_markdown(
    path: &str,
    file: &Arc<String>,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Doc {
    read_markdown_with(path, file, cfg, &frontmatter::Cache::none(), diags)
}

fn read_markdown_with(
    path: &str,
    file: &Arc<String>,
    cfg: &Config,
    cache: &frontmatter::Cache,
    diags: &mut Vec<Diagnostic>,
) -> Doc {
    let text = frontmatter::strip_bom(file);
    // A document keeps the file's text and where its body starts in it.
    let at = |body: &str, line: u32| {
        (
            Arc::clone(file),
            body.as_ptr() as usize - file.as_ptr() as usize,
            line,
        )
    };
    let mut kind = cfg.kind_of_path(path);
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(SplitError::Unterminated(format)) => {
            let fence = format.fence();
            diags.push(
                Diagnostic::new(Rule::FrontmatterInvalid, path, Some(Span::START))
                    .message(format!("frontmatter starts with `{fence}` but never ends"))
                    .help(format!(
                        "close the block with a line holding only `{fence}`"
                    )),
            );
            return empty_doc(path, kind, cfg, at(text, 1), true);
        }
    };
    let Some(yaml) = split.yaml else {
        let mut doc = empty_doc(path, kind, cfg, at(text, 1), kind.is_typed());
        if kind.is_typed() {
            diags.push(
                Diagnostic::new(Rule::FrontmatterMissing, path, Some(Span::START))
                    .message(format!(
                        "{} needs frontmatter, and this file has none",
                        with_article(kind.as_str())
                    ))
                    .help("start the file with a `---` block holding its fields, or run `opsbook new`"),
            );
        }
        if let Some(h) = doc.outline().first_h1() {
            doc.title = h.to_string();
        }
        return doc;
    };
    // YAML goes through the cache of parsed blocks; TOML (rarer) is parsed each time.
    let parsed = match split.format {
        frontmatter::Format::Yaml => cache.parse(yaml, split.yaml_line),
        frontmatter::Format::Toml => frontmatter::parse_toml(yaml, split.yaml_line),
    };
    let node = match parsed {
        Ok(n) => n,
        Err(e) => {
            diags.push(
                Diagnostic::new(Rule::FrontmatterInvalid, path, e.span.or(Some(Span::START)))
                    .message(format!(
                        "invalid {} in frontmatter: {}",
                        split.format.name(),
                        e.message
                    ))
                    .help(e.help),
            );
            return empty_doc(path, kind, cfg, at(split.body, split.body_line), true);
        }
    };
    if !matches!(node.value, Value::Map(_) | Value::Null) {
        diags.push(
            Diagnostic::new(Rule::FrontmatterInvalid, path, Some(node.span))
                .message(format!(
                    "frontmatter must be a mapping of fields, found {}",
                    node.type_name()
                ))
                .help("write one `key: value` per line"),
        );
        return empty_doc(path, kind, cfg, at(split.body, split.body_line), true);
    }
    fields::duplicate_keys(path, &node, diags);
    if let Some(k) = node.get("kind") {
        match k.scalar_text() {
            Some(name) => match cfg.kinds.parse(&name) {
                Some(parsed) => kind = parsed,
                None => {
                    let names = cfg.kinds.names();
                    diags.push(
                        Diagnostic::new(Rule::UnknownKind, path, Some(k.span))
                            .message(format!("kind `{name}` is not one this handbook knows"))
                            .help(did_you_mean(&name, names.iter().copied()).unwrap_or_else(
                                || {
                                    format!(
                                        "use one of {}, or declare it under `kinds:` in opsbook.yml",
                                        names.join(", ")
                                    )
                                },
                            )),
                    )
                }
            },
            None => diags.push(
                Diagnostic::new(Rule::FieldType, path, Some(k.span))
                    .message(format!("`kind` must be a string, found {}", k.type_name())),
            ),
        }
    }
    let mut doc = read_fields(path, kind, &node, Span::START, cfg, diags);
    (doc.text, doc.body_start, doc.body_line) = at(split.body, split.body_line);
    if doc.title.is_empty() {
        doc.title = doc
            .outline()
            .first_h1()
            .map(str::to_string)
            .unwrap_or_else(|| stem(path).to_string());
    }
    doc.frontmatter = Some(node);
    doc
}

/// A document without readable fields; `body` is the text, where its body starts, and its line.
fn empty_doc(
    path: &str,
    kind: Kind,
    cfg: &Config,
    body: (Arc<String>, usize, u32),
    broken: bool,
) -> Doc {
    let id = default_id(path, kind);
    Doc {
        path: path.to_string(),
        kind,
        title: stem(path).to_string(),
        id,
        id_span: Span::START,
        tags: Vec::new(),
        last_reviewed: None,
        review_every: None,
        start: Span::START,
        frontmatter: None,
        text: body.0,
        body_start: body.1,
        body_line: body.2,
        outline: OnceLock::new(),
        fields: Fields::default(),
        data: Data::from_fields(kind, &Fields::default()),
        broken,
        markdown: cfg.markdown,
    }
}

/// `a roadmap-item`, `an experiment`.
pub fn with_article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// A page's default id is its path without `.md`; other kinds use the file stem.
fn default_id(path: &str, kind: Kind) -> String {
    match kind {
        Kind::PAGE => path.strip_suffix(".md").unwrap_or(path).to_string(),
        _ => stem(path).to_string(),
    }
}

/// Read the common fields and the kind's fields of one mapping.
fn read_fields(
    path: &str,
    kind: Kind,
    node: &Node,
    at: Span,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Doc {
    let spec = cfg.kinds.spec(kind);
    let mut r = Reader::new(path, node, String::new(), at, diags)
        .with_kinds(&cfg.kinds)
        .with_aliases(&spec.aliases);
    let _ = r.node("kind");
    let explicit_id = r.string("id");
    let (id, id_span) = match &explicit_id {
        Some(s) => (s.value.clone(), s.span),
        None if path == "org.yml" => (String::new(), at),
        None => (default_id(path, kind), at),
    };
    if (kind != Kind::PAGE || explicit_id.is_some())
        && let Err(m) = values::check_id(&id)
    {
        let help = if explicit_id.is_some() {
            format!("try `id: {}`", values::suggest_id(&id))
        } else {
            format!(
                "rename the file to `{}.md`, or set `id: {}`",
                values::suggest_id(&id),
                values::suggest_id(&id)
            )
        };
        if !(path == "org.yml" && id.is_empty()) {
            r.push(
                Diagnostic::new(Rule::IdSyntax, path, Some(id_span))
                    .message(m)
                    .help(help),
            );
        }
    }
    let title = r.string("title");
    let tags = r.strings("tags").into_iter().map(|s| s.value).collect();
    let last_reviewed = r.date("last_reviewed");
    let review_every = r.duration("review_every");
    let fields = typed::read(spec, &mut r);
    let name_title = match spec.title {
        TitleRule::Name => fields.text("name").map(|n| n.value),
        _ => None,
    };
    let title = match (title, name_title) {
        (Some(t), _) if !t.value.trim().is_empty() => t.value,
        (_, Some(n)) if !n.trim().is_empty() => n,
        _ => {
            match spec.title {
                TitleRule::Required => r.push(
                    Diagnostic::new(Rule::FieldRequired, path, Some(at))
                        .message(format!("{kind} has no `title`"))
                        .help("add `title:` with a short human name"),
                ),
                TitleRule::Name => r.push(
                    Diagnostic::new(Rule::FieldRequired, path, Some(at))
                        .message(format!("{kind} has no `name` or `title`"))
                        .help("add `name:`"),
                ),
                TitleRule::Optional => {}
            }
            String::new()
        }
    };
    let known = spec.known_keys();
    let mut near: &[&str] = &[];
    if kind == Kind::PAGE {
        // Other generators' keys: read (so not reported), never used.
        for key in crate::kinds::GENERATOR_KEYS {
            let _ = r.node(key);
        }
        near = crate::kinds::GENERATOR_KEYS;
    }
    let what = with_article(kind.as_str());
    r.finish_near(&known, near, &what);
    let data = Data::from_fields(kind, &fields);
    Doc {
        path: path.to_string(),
        kind,
        id,
        id_span,
        title,
        tags,
        last_reviewed,
        review_every,
        start: at,
        frontmatter: None,
        text: Arc::default(),
        body_start: 0,
        body_line: 1,
        outline: OnceLock::new(),
        fields,
        data,
        broken: false,
        markdown: cfg.markdown,
    }
}

/// Read `org.yml`: lists of people, roles and teams.
fn read_org(
    path: &str,
    text: &str,
    cfg: &Config,
    cache: &frontmatter::Cache,
    docs: &mut Vec<Doc>,
    diags: &mut Vec<Diagnostic>,
) {
    let text = frontmatter::strip_bom(text);
    let node = match cache.parse(text, 1) {
        Ok(n) => n,
        Err(e) => {
            diags.push(
                Diagnostic::new(Rule::FrontmatterInvalid, path, e.span.or(Some(Span::START)))
                    .message(format!("invalid YAML: {}", e.message))
                    .help(e.help),
            );
            return;
        }
    };
    if !matches!(node.value, Value::Map(_) | Value::Null) {
        diags.push(
            Diagnostic::new(Rule::FrontmatterInvalid, path, Some(node.span)).message(format!(
                "org.yml must be a mapping with `people`, `roles` and `teams` lists, found {}",
                node.type_name()
            )),
        );
        return;
    }
    fields::duplicate_keys(path, &node, diags);
    let mut top = Reader::new(path, &node, String::new(), Span::START, diags);
    let mut lists = Vec::new();
    let registry: Vec<(&str, Kind)> = cfg
        .kinds
        .all()
        .iter()
        .filter_map(|s| s.registry.as_deref().map(|r| (r, s.kind)))
        .collect();
    for (key, kind) in &registry {
        if let Some(list) = top.node(key) {
            match &list.value {
                Value::Seq(items) => lists.push((*key, *kind, items)),
                _ => top.type_error(key, list, &format!("a list of {kind} entries")),
            }
        }
    }
    let keys: Vec<&str> = registry.iter().map(|(k, _)| *k).collect();
    top.finish(&keys, "org.yml");
    for (key, kind, items) in lists {
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::Map(_)) {
                diags.push(
                    Diagnostic::new(Rule::FieldType, path, Some(item.span)).message(format!(
                        "`{key}[{i}]` must be a mapping with an `id`, found {}",
                        item.type_name()
                    )),
                );
                continue;
            }
            if item.get("id").is_none() {
                diags.push(
                    Diagnostic::new(Rule::FieldRequired, path, Some(item.span))
                        .message(format!("`{key}[{i}]` has no `id`"))
                        .help("add `id:` (lowercase words joined by `-`)"),
                );
                continue;
            }
            let mut doc = read_fields(path, kind, item, item.span, cfg, diags);
            if item
                .get("kind")
                .is_some_and(|k| k.scalar_text().as_deref() != Some(kind.as_str()))
            {
                diags.push(
                    Diagnostic::new(Rule::UnknownKind, path, item.get("kind").map(|k| k.span))
                        .message(format!(
                            "an entry of `{key}` is {}; remove its `kind:`",
                            with_article(kind.as_str())
                        )),
                );
            }
            doc.frontmatter = Some(item.clone());
            if doc.title.is_empty() {
                doc.title = doc.id.clone();
            }
            docs.push(doc);
        }
    }
}

#[cfg(test)]
mod tests;
