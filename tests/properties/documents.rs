//! Generated documents, valid and not: frontmatter of every kind (see `fields.rs`), written
//! well or broken (unclosed, a tab, a key twice, an unclosed `[`, a list, bytes that are not
//! UTF-8, CRLF, a BOM), and bodies with headings, footnotes, raw anchors, email autolinks and
//! links of every form: relative (climbing to the root from wherever the file is written),
//! `kind:id`, anchors, folders, files the site does not publish, schemes, broken ones.

use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;

use super::fields::fields;

/// The kind a document's first folder gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Item,
    Process,
    Charter,
    Person,
    Role,
    Team,
    Experiment,
    Page,
}

/// Where each document of the pool is first written (relative to the handbook root). Stems are
/// unique, so every place a document can move to (see `history.rs`) is its own.
pub const SLOTS: &[(&str, Kind)] = &[
    ("roadmap/sso.md", Kind::Item),
    ("roadmap/billing.md", Kind::Item),
    ("roadmap/search.md", Kind::Item),
    ("processes/triage.md", Kind::Process),
    ("processes/release.md", Kind::Process),
    ("charters/platform.md", Kind::Charter),
    ("people/ana.md", Kind::Person),
    ("roles/eng.md", Kind::Role),
    ("teams/growth.md", Kind::Team),
    ("experiments/exp-a.md", Kind::Experiment),
    ("experiments/exp-b.md", Kind::Experiment),
    ("guides/guide.md", Kind::Page),
    ("guides/deep/faq.md", Kind::Page),
    ("notes.md", Kind::Page),
];

/// How a document's frontmatter is written (or broken).
#[derive(Clone, Copy, Debug)]
pub enum Front {
    Yaml,
    Absent,
    /// No closing `---`.
    Unclosed,
    /// A line indented with a tab.
    Tab,
    /// The first key written twice.
    Duplicate,
    /// `tags: [a, b` never closed.
    Flow,
    /// A list instead of a mapping.
    NotMapping,
    /// Bytes that are not UTF-8 in the body.
    NotUtf8,
}

/// Where a link in a body leads.
#[derive(Clone, Debug)]
pub enum Target {
    /// A file, relative to the handbook root; written relative to the linking document.
    Path(&'static str),
    /// A folder, relative to the handbook root (`""` is the root).
    Folder(&'static str),
    /// `kind:id`, written as it is.
    KindId(&'static str),
    /// Only an anchor of the document itself.
    Here,
    /// A URL with a scheme.
    External(&'static str),
}

#[derive(Clone, Debug)]
pub enum Block {
    Heading(&'static str),
    Text,
    Link {
        target: Target,
        anchor: Option<&'static str>,
        dot: bool,
    },
    /// `<a name="raw"></a>`: an anchor only with `raw_html: true`.
    RawAnchor,
    /// A footnote reference and its definition (`#fn-n`).
    Footnote,
    /// An email autolink.
    Mail,
}

/// One version of a document.
#[derive(Clone, Debug)]
pub struct Content {
    /// Frontmatter entries, each one or more whole lines without the final newline.
    pub fields: Vec<String>,
    pub front: Front,
    pub body: Vec<Block>,
    pub crlf: bool,
    pub bom: bool,
}

/// A document of the pool with the versions the history writes.
#[derive(Clone, Debug)]
pub struct Doc {
    pub slot: usize,
    pub versions: Vec<Content>,
}

const HEADINGS: &[&str] = &[
    "Steps",
    "Getting started",
    "Problem (and why)",
    "Notes",
    "Überblick",
];
const ANCHORS: &[&str] = &[
    "steps",
    "getting-started",
    "problem-and-why",
    "notes",
    "überblick",
    "missing",
    "raw",
    "fn-n",
];
const FILES: &[&str] = &[
    "roadmap/sso.md",
    "roadmap/billing.md",
    "processes/triage.md",
    "charters/platform.md",
    "people/ana.md",
    "experiments/exp-a.md",
    "guides/guide.md",
    "guides/deep/faq.md",
    "notes.md",
    "roadmap/sso-2.md",
    "archive/billing.md",
    "guides/guide.html",
    "org.yml",
    ".env",
    "assets/logo.txt",
    "static/logo.txt",
    "nope.md",
    "guides/alias.md",
    "dangling.md",
];
const FOLDERS: &[&str] = &[
    "",
    "roadmap/",
    "guides/",
    "experiments/",
    "people/",
    "archive/",
];
const KIND_IDS: &[&str] = &[
    "roadmap-item:sso",
    "roadmap-item:gone",
    "person:ana",
    "person:bo",
    "experiment:exp-a",
    "team:core",
    "role:pm",
    "process:triage",
    "charter:platform",
    "page:notes",
];
const EXTERNAL: &[&str] = &[
    "https://example.com/x",
    "mailto:ana@example.com",
    "javascript:alert(1)",
];

fn front(kind: Kind) -> impl Strategy<Value = Front> {
    let absent = if kind == Kind::Page { 6 } else { 1 };
    prop_oneof![
        16 => Just(Front::Yaml),
        absent => Just(Front::Absent),
        2 => select(
            &[
                Front::Unclosed,
                Front::Tab,
                Front::Duplicate,
                Front::Flow,
                Front::NotMapping,
                Front::NotUtf8,
            ][..]
        ),
    ]
}

fn block() -> impl Strategy<Value = Block> {
    let target = prop_oneof![
        4 => select(FILES).prop_map(Target::Path),
        1 => select(FOLDERS).prop_map(Target::Folder),
        2 => select(KIND_IDS).prop_map(Target::KindId),
        1 => Just(Target::Here),
        1 => select(EXTERNAL).prop_map(Target::External),
    ];
    let link = (target, weighted(0.4, select(ANCHORS)), any::<bool>()).prop_map(
        |(target, anchor, dot)| {
            // A link to the document itself needs an anchor.
            let anchor = match target {
                Target::Here => anchor.or(Some("steps")),
                _ => anchor,
            };
            Block::Link {
                target,
                anchor,
                dot,
            }
        },
    );
    prop_oneof![
        2 => select(HEADINGS).prop_map(Block::Heading),
        1 => Just(Block::Text),
        5 => link,
        1 => Just(Block::RawAnchor),
        1 => Just(Block::Footnote),
        1 => Just(Block::Mail),
    ]
}

fn content(kind: Kind) -> impl Strategy<Value = Content> {
    (
        fields(kind),
        front(kind),
        prop::collection::vec(block(), 0..6),
        weighted(0.1, Just(())),
        weighted(0.1, Just(())),
    )
        .prop_map(|(fields, front, body, crlf, bom)| Content {
            fields,
            front,
            body,
            crlf: crlf.is_some(),
            bom: bom.is_some(),
        })
}

pub fn doc(slot: usize) -> BoxedStrategy<Doc> {
    prop::collection::vec(content(SLOTS[slot].1), 1..4)
        .prop_map(move |versions| Doc { slot, versions })
        .boxed()
}

impl Content {
    /// The file's bytes, for a document `depth` folders below the handbook root (relative
    /// links climb that many levels).
    pub fn render(&self, depth: usize) -> Vec<u8> {
        let mut s = String::new();
        if !matches!(self.front, Front::Absent) {
            s.push_str("---\n");
            if matches!(self.front, Front::NotMapping) {
                s.push_str("- a\n- b\n");
            }
            for (i, f) in self.fields.iter().enumerate() {
                s.push_str(f);
                s.push('\n');
                if i == 0 {
                    match self.front {
                        Front::Duplicate => {
                            s.push_str(f);
                            s.push('\n');
                        }
                        Front::Tab => s.push_str("\textra: 1\n"),
                        _ => {}
                    }
                }
            }
            if matches!(self.front, Front::Flow) {
                s.push_str("tags: [a, b\n");
            }
            if !matches!(self.front, Front::Unclosed) {
                s.push_str("---\n");
            }
        }
        for b in &self.body {
            s.push('\n');
            s.push_str(&b.render(depth));
            s.push('\n');
        }
        if self.crlf {
            s = s.replace('\n', "\r\n");
        }
        if self.bom {
            s.insert(0, '\u{feff}');
        }
        let mut bytes = s.into_bytes();
        if matches!(self.front, Front::NotUtf8) {
            bytes.extend_from_slice(b"Caf\xe9 \xff\n");
        }
        bytes
    }
}

impl Block {
    fn render(&self, depth: usize) -> String {
        match self {
            Block::Heading(h) => format!("## {h}"),
            Block::Text => "Some text.".to_string(),
            Block::RawAnchor => "A <a name=\"raw\"></a> raw anchor.".to_string(),
            Block::Footnote => "A note[^n].\n\n[^n]: The note.".to_string(),
            Block::Mail => "Write to <ana@example.com>.".to_string(),
            Block::Link {
                target,
                anchor,
                dot,
            } => {
                let up = if *dot && depth == 0 {
                    "./".to_string()
                } else {
                    "../".repeat(depth)
                };
                let mut url = match target {
                    Target::Path(p) | Target::Folder(p) => format!("{up}{p}"),
                    Target::KindId(k) => k.to_string(),
                    Target::Here => String::new(),
                    Target::External(u) => u.to_string(),
                };
                if let Some(a) = anchor {
                    url.push('#');
                    url.push_str(a);
                }
                format!("See [the link]({url}).")
            }
        }
    }
}
