//! The fast path against serde-saphyr: it must give the very same node (values, positions,
//! `raw`, key names), or `None`; and it must be taken for the frontmatter real files have.

use std::path::Path;

use proptest::prelude::*;

use super::super::{Format, Node, parse_saphyr, split, strip_bom};
use super::parse_simple;

/// The fast result when there is one; it must equal serde-saphyr's (which must succeed).
fn checked(yaml: &str) -> Option<Node> {
    let fast = parse_simple(yaml, 3)?;
    assert_eq!(
        Ok(&fast),
        parse_saphyr(yaml, 3).as_ref(),
        "fast path differs on {yaml:?}"
    );
    Some(fast)
}

/// Typical blocks: the shapes of the example handbook and of the generated bench corpus.
const TYPICAL: &[&str] = &[
    "title: Feature widget trend 0\nstatus: shipped\nowner: role:role-002\nteam: team-002\n\
     theme: Self-serve\ntarget: 2025-Q2\nshipped: 2026-03-16\nscore:\n  rice: {reach: 1283, \
     impact: 1, confidence: 80%, effort: 2}\noutcome: Board model cache metric metric sync.\n",
    "title: Report insight search 15\nitem: item-000000\ntier: 1\nowner: sam-novak\n\
     status: launched\ndate: 2025-01-18\nchecklist:\n  - {task: Pipeline cohort goal, owner: \
     tao-lima, due: 2027-06-16, done: true}\n  - {task: Notify audit share, owner: bo-lima, \
     due: 2027-04-15, done: true}\n",
    "title: Label cohort alert 13\nperiod: 2026-Q2\nstatus: dropped\nowner: role:role-001\n\
     key_results:\n  - {id: kr-1, title: User query view report, baseline: 51, target: 67, \
     current: 56, unit: ms}\n  - {id: kr-2, title: Alert insight, baseline: 14, target: 48, \
     current: 26, unit: \"%\"}\n",
    "title: Charter of team-000\nteam: team-000\nmission: Share plan query insight.\n\
     roles: [role-000]\nlast_reviewed: 2026-10-15\nresponsibilities:\n  - {id: planning, \
     activity: Quarterly planning, A: role-000, R: role-000}\n",
    "title: Usage metric widget 14\nowner: ana-xu\nunit: ms\ndirection: up\n\
     source: \"https://dashboards.example.com/metric-000014\"\nlast_reviewed: 2026-10-01\n",
    "title: Dashboard share usage 10\nowner: ines-hale\ncadence: continuous\n\
     participants: [role:role-005]\ninputs: [admin board schedule]\noutputs: [filter model]\n",
    "title: Mobile journey onboard 19\ntags: [alert]\n",
    "# a comment\ntitle: A\n\nrelated:\n- a.md\n- b.md # why\nreviewers:\n  - id: kr-1\n    \
     baseline: 43\n    unit: '%'\n  -   id: kr-2\n      done: false\nnotes:\n",
    "title: Rollout, phase 2\nversion: 1.10\nweight: -3\nratio: 0.25\nempty: ~\nflag: True\n\
     date: 2026-11-23\nwhen: 2023-01-01T10:00:00Z\nrelease: 1.2.3\nname: é日本 x\nq: \"é, x\"\n\
     tags: [é, 日本, x]\nmeta: {}\nlist: [ ]\n",
    "  indented: 1\n  nested:\n    deeper:\n      - x\n      - y: 1\n        z:\n        - w\n",
];

#[test]
fn typical_blocks_take_the_fast_path() {
    for yaml in TYPICAL {
        assert!(checked(yaml).is_some(), "not taken: {yaml:?}");
        // Saved on Windows: the same node.
        let crlf = yaml.replace('\n', "\r\n");
        assert_eq!(checked(&crlf), checked(yaml), "{crlf:?}");
    }
    // A carriage return that ends no line is left to serde-saphyr.
    for odd in ["a: b\r", "a: b\rc: d\n", "a: \"x\ry\"\n", "a: [x,\r y]\n"] {
        assert_eq!(parse_simple(odd, 1), None, "{odd:?}");
    }
}

#[test]
fn conventions_found_by_running_serde_saphyr() {
    use crate::diagnostic::Span;
    let node = checked("a:\n- x\nb:\n  - y\nc:\n").unwrap();
    // A list at its key's indentation is where its first item is; an indented one where its
    // first `-` is; an empty value where its colon is.
    assert_eq!(node.get("a").unwrap().span, Span::new(4, 3));
    assert_eq!(node.get("b").unwrap().span, Span::new(6, 3));
    assert_eq!(node.get("c").unwrap().span, Span::new(7, 2));
    let node = checked("t: [é, 日本, x]\n").unwrap();
    let super::Value::Seq(items) = &node.get("t").unwrap().value else {
        panic!("a list")
    };
    assert_eq!(items[2].span, Span::new(3, 12), "columns count characters");
    let node = checked("a: x, y\nb: \"x, y\"\nc: 1.10\n").unwrap();
    assert_eq!(node.get("a").unwrap().raw.as_deref(), Some("x, y"));
    assert_eq!(node.get("b").unwrap().raw, None);
    assert_eq!(node.get("c").unwrap().raw.as_deref(), Some("1.10"));
}

#[test]
fn unsure_spellings_and_constructs_are_left_to_serde_saphyr() {
    for yaml in [
        "a: 007\n",
        "a: 1e3\n",
        "a: 0x1f\n",
        "a: 1_000\n",
        "a: .5\n",
        "a: .inf\n",
        "a: 9223372036854775808\n",
        "a: &x 1\n",
        "a: *x\n",
        "a: !!str 1\n",
        "a: |\n  x\n",
        "a: x\n  y\n",
        "a: 'it''s'\n",
        "a: \"a\\\"b\"\n",
        "a: [a, [b]]\n",
        "a: [a, b,]\n",
        "a:\t1\n",
        "\u{feff}a: 1\n",
        "? a\n: b\n",
        "\"a\": 1\n",
        "1: x\n",
        "null: x\n",
        "a : 1\n",
        "a: x\n---\nb: y\n",
        "- a\n- b\n",
        "a: b: c\n",
        "a: 1\n b: 2\n",
        "a:\n  -\n",
        "a:\n  - - x\n",
        "a: {x:1}\n",
        "a: \u{a0}x\n",
    ] {
        assert_eq!(parse_simple(yaml, 1), None, "{yaml:?}");
    }
}

fn frontmatters(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            frontmatters(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Ok(s) = split(strip_bom(&text))
                && let (Some(yaml), Format::Yaml) = (s.yaml, s.format)
            {
                out.push((path.display().to_string(), yaml.to_string()));
            }
        }
    }
}

#[test]
fn every_handbook_file_of_the_repo_parses_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut blocks = Vec::new();
    frontmatters(&root.join("example-repo"), &mut blocks);
    frontmatters(&root.join("docs"), &mut blocks);
    assert!(blocks.len() > 20, "found {} blocks", blocks.len());
    // `checked` compares every block the fast path reads with serde-saphyr's node. A block
    // it leaves (a folded `>` description, say) is fine, but typical handbooks are read by it.
    let slow: Vec<_> = blocks
        .iter()
        .filter(|(_, yaml)| checked(yaml).is_none())
        .map(|(path, _)| path)
        .collect();
    assert!(
        slow.len() * 10 <= blocks.len(),
        "the fast path left {} of {} blocks: {slow:?}",
        slow.len(),
        blocks.len()
    );
}

/// Pieces of frontmatter lines: keys, values (the spellings whose typing matters, quotes,
/// flow collections, and constructs the fast path must refuse) and line ends.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "title", "id", "a", "A", "tags", "key with space", "k.e-y_1", "_x", "null", "true", "yes", "1",
    "é", "\"q\"", "x:y", "k ", "[k]", "-k", "? k", "a#b", "inf",
];
#[rustfmt::skip]
const VALUES: &[&str] = &[
    "x", "Foo bar", "007", "0", "00", "+1", "-0", "-1", "1_000", "0x1f", "0o7", "0b101", "1e3",
    ".5", "5.", "-.5", "+.5", "1.5", "+1.5", "-1.25", "1.10", "01.5", "0.30000000000000004",
    "123456789.123456789", ".inf", "-.inf", ".nan", "NaN", "inf", "Infinity", "null", "Null",
    "NULL", "nUll", "~", "true", "True", "TRUE", "tRue", "false", "FALSE", "yes", "on", "off", "y",
    "2026-11-23", "2026-1-1", "2023-01-01T10:00:00Z", "2026-Q2", "1.2.3", "10.20.30", "12:30",
    "180d", "2026-10", "1-2-", "1--2", "10k", "1f", "0x1g", "0b12", "1d", "1.5h", "1:20:30",
    "3 apples", "80%", "1,000", "9223372036854775807", "999999999999999999", "9223372036854775808",
    "-9223372036854775809", "3e", "0x", "1_", "-", "--", "-x", "a:b", "a: b", "x:", "role:role-1",
    "http://x.y/z?a=b#c", "x #c", "x#c", "Foo [draft]", "x]", "x}", "a,b", "x, y , z", "a{b}, c",
    "é日本", "日本, x", "=", "<<", "(x)", "$x", "%x", "@x", "`x", "&a x", "*a", "!!str 1", "!x", "|",
    ">", "? x", "\"x, y\"", "'p, q'", "'it''s'", "\"a\\\"b\"", "\"\"", "''", "\"日本\"", "\"x\"y",
    "'x'#c", "\"a: b\"", "\"unterminated", "'%'", "[a, b]", "[]", "[ ]", "{}", "{ }",
    "{id: x, title: y}", "{id: x, due: 2027-02-18, done: true}",
    "{id: kr-1, baseline: 43, unit: \"%\"}", "[a,b,]", "[a, , b]", "[role:ops, x]", "[a:, b]",
    "[a: b]", "[é, 日本]", "{x:1}", "{x}", "{x: }", "{x :1}", "{x : 1}", "{\"k\": v}", "[a, [b]]",
    "[{x: 1}]", "[a b, c]", "[\"a, b\", 'c']", "[a#b]", "[a #b]", "[a#b, #c]",
    "[2026-q4-x#y-z, a]", "[a, b]x", "[a, b] # c", "[a, b]#c", "{x: 1, x: 2}",
    "[1, -2, 1.5, true, ~, null]", "[a", "{a: b", "a]", "x\u{a0}", "\u{85}x", "a\tb",
];
#[rustfmt::skip]
const ENDS: &[&str] = &[
    "", "", "", " ", "  # c", " #", "#c", " # x: y", "\t", "\r", " :",
];

/// One line: indentation change, shape, key, value, end.
fn line() -> impl Strategy<Value = (i8, u8, usize, usize, usize)> {
    (
        prop::sample::select(vec![0i8, 0, 0, 0, 2, 2, -2, -2, -4, 1, -1, 4, -8]),
        0u8..14,
        0..KEYS.len(),
        0..VALUES.len(),
        0..ENDS.len(),
    )
}

fn soup(lines: &[(i8, u8, usize, usize, usize)]) -> String {
    let mut indent = 0i32;
    let mut out = String::new();
    for &(delta, shape, k, v, e) in lines {
        indent = (indent + i32::from(delta)).clamp(0, 12);
        let (key, value, end) = (KEYS[k % 5], VALUES[v], ENDS[e]);
        let key = if shape % 2 == 0 { key } else { KEYS[k] };
        let text = match shape {
            0..=2 => format!("{key}: {value}{end}"),
            3 | 4 => format!("{key}:{end}"),
            5 | 6 => format!("- {value}{end}"),
            7 | 8 => format!("- {key}: {value}{end}"),
            9 => format!("- {key}:{end}"),
            10 => format!("#{value}"),
            11 => String::new(),
            12 => format!("{value}{end}"),
            _ => format!("-{end}"),
        };
        out.push_str(&" ".repeat(indent as usize));
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// Values that are valid and simple (the fast path should take most of them).
#[rustfmt::skip]
const GOOD: &[&str] = &[
    "x", "Foo bar", "0", "-1", "42", "1.5", "1.10", "true", "False", "null", "~", "2026-11-23",
    "2026-Q2", "role:ops", "a, b", "80%", "\"x, y\"", "'%'", "\"\"", "[a, b]", "[]",
    "{id: x, due: 2027-02-18, done: true}", "{}", "[1, -2, 1.5, true, ~]", "é日本", "1.2.3",
    "[é, 日本, x]", "{id: kr-1, baseline: 43, unit: \"%\"}", "http://x.y/z?a=b#c", "180d",
];

/// A frontmatter-like tree: scalars (written as they are), mappings and lists.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(&'static str, &'static str),
    Map(Vec<(&'static str, Tree)>),
    Seq(Vec<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let value = prop_oneof![5 => prop::sample::select(GOOD), 1 => prop::sample::select(VALUES)];
    let end = prop_oneof![8 => Just(""), 1 => prop::sample::select(ENDS)];
    let key = prop_oneof![8 => prop::sample::select(&KEYS[..7]), 1 => prop::sample::select(KEYS)];
    let leaf = (value, end).prop_map(|(v, e)| Tree::Leaf(v, e));
    leaf.prop_recursive(4, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec((key.clone(), inner.clone()), 1..4).prop_map(Tree::Map),
            prop::collection::vec(inner, 1..4).prop_map(Tree::Seq),
        ]
    })
}

/// How a tree is written: the indentation step, lists at their key's indentation or deeper,
/// and comment or blank lines put in.
struct Style {
    step: usize,
    indentless: bool,
    out: Vec<String>,
}

impl Style {
    fn line(&mut self, indent: usize, text: String) {
        self.out.push(format!("{}{text}", " ".repeat(indent)));
    }

    fn map(&mut self, entries: &[(&str, Tree)], indent: usize) {
        for (key, value) in entries {
            self.entry(key, value, indent, indent);
        }
    }

    /// `key: value` at `indent`; the line starts at `start` (before a `- `).
    fn entry(&mut self, key: &str, value: &Tree, start: usize, indent: usize) {
        let prefix = if start < indent { "- " } else { "" };
        match value {
            Tree::Leaf(v, end) => self.line(start, format!("{prefix}{key}: {v}{end}")),
            Tree::Map(m) => {
                self.line(start, format!("{prefix}{key}:"));
                self.map(m, indent + self.step);
            }
            Tree::Seq(items) => {
                self.line(start, format!("{prefix}{key}:"));
                let at = if self.indentless {
                    indent
                } else {
                    indent + self.step
                };
                self.seq(items, at);
            }
        }
    }

    fn seq(&mut self, items: &[Tree], indent: usize) {
        for item in items {
            match item {
                Tree::Leaf(v, end) => self.line(indent, format!("- {v}{end}")),
                Tree::Map(m) => {
                    let (key, value) = &m[0];
                    self.entry(key, value, indent, indent + 2);
                    self.map(&m[1..], indent + 2);
                }
                Tree::Seq(inner) => {
                    self.line(indent, "-".to_string());
                    self.seq(inner, indent + self.step);
                }
            }
        }
    }
}

fn written(tree: &Tree, step: usize, indentless: bool, extra: &[(usize, &str)]) -> String {
    let mut style = Style {
        step,
        indentless,
        out: Vec::new(),
    };
    match tree {
        Tree::Map(m) => style.map(m, 0),
        other => style.entry("root", other, 0, 0),
    }
    for (at, text) in extra {
        let at = at % (style.out.len() + 1);
        style.out.insert(at, text.to_string());
    }
    style.out.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn frontmatter_trees_give_the_saphyr_node_or_none(
        tree in tree(),
        step in 1usize..5,
        indentless in any::<bool>(),
        extra in prop::collection::vec(
            (any::<usize>(), prop::sample::select(vec!["", "# c", "  # c: d", "   ", " x"])),
            0..3,
        ),
        crlf in any::<bool>(),
    ) {
        let yaml = written(&tree, step, indentless, &extra);
        checked(&if crlf { yaml.replace('\n', "\r\n") } else { yaml });
    }

    #[test]
    fn frontmatter_like_lines_give_the_saphyr_node_or_none(
        lines in prop::collection::vec(line(), 1..12),
    ) {
        checked(&soup(&lines));
    }

    #[test]
    fn a_stray_character_in_a_typical_block_gives_the_saphyr_node_or_none(
        block in 0..TYPICAL.len(),
        at in any::<prop::sample::Index>(),
        stray in prop::sample::select(
            " \n-:#,[]{}'\"&*!|>%@`?\\.0é\t\r\u{a0}".chars().collect::<Vec<_>>()),
        twice in any::<bool>(),
    ) {
        let mut yaml = TYPICAL[block].to_string();
        let mut at = at.index(yaml.len());
        while !yaml.is_char_boundary(at) {
            at -= 1;
        }
        yaml.insert(at, stray);
        if twice {
            yaml.insert(at, stray);
        }
        checked(&yaml);
    }

    #[test]
    fn arbitrary_text_never_panics_and_gives_the_saphyr_node_or_none(
        yaml in "([a-z]{1,3}|[ \n:#,\\[\\]{}'\"0-9.\\-]|é){0,60}",
    ) {
        checked(&yaml);
    }

    #[test]
    fn any_string_never_panics(yaml in any::<String>()) {
        if let Some(fast) = parse_simple(&yaml, 1) {
            let slow = parse_saphyr(&yaml, 1);
            prop_assert_eq!(Ok(&fast), slow.as_ref());
        }
    }
}
