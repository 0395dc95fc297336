//! Splitting, parsing with positions, and YAML errors located where their construct starts.

use super::*;
use crate::diagnostic::Span;

fn parse(y: &str) -> Node {
    parse_yaml(y, 2).expect("valid yaml")
}

#[test]
fn splits_frontmatter_and_body() {
    let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
    assert_eq!(s.yaml, Some("title: A\n"));
    assert_eq!(s.body, "# Body\n");
    assert_eq!(s.body_line, 4);
}

#[test]
fn splits_crlf_and_dots_fence() {
    let s = split("---\r\ntitle: A\r\n...\r\nbody\r\n").unwrap();
    assert_eq!(s.yaml, Some("title: A\r\n"));
    assert_eq!(s.body, "body\r\n");
}

#[test]
fn no_frontmatter_and_thematic_break_in_body() {
    let s = split("# Title\n\n---\n\ntext\n").unwrap();
    assert_eq!(s.yaml, None);
    let s = split("---\na: 1\n---\nx\n---\ny\n").unwrap();
    assert_eq!(s.body, "x\n---\ny\n");
}

#[test]
fn empty_block_and_unterminated() {
    let s = split("---\n---\nbody").unwrap();
    assert_eq!(s.yaml, Some(""));
    assert_eq!(
        split("---\ntitle: x\n"),
        Err(SplitError::Unterminated(Format::Yaml))
    );
    assert_eq!(split("---"), Err(SplitError::Unterminated(Format::Yaml)));
}

#[test]
fn positions_of_keys_and_nested_values() {
    let n = parse("title: A\nresponsibilities:\n  - id: x\n    A: [ops, pm]\n");
    let Value::Map(entries) = &n.value else {
        panic!("map")
    };
    assert_eq!(entries[1].0.span, Span::new(3, 1));
    let resp = n.get("responsibilities").unwrap();
    let Value::Seq(items) = &resp.value else {
        panic!("seq")
    };
    let a = items[0].get("A").unwrap();
    assert_eq!(a.span, Span::new(5, 8));
    let Value::Seq(parties) = &a.value else {
        panic!("seq")
    };
    assert_eq!(parties[1].span, Span::new(5, 14));
}

#[test]
fn strict_booleans_and_dates_stay_strings() {
    let n = parse("a: no\nb: 2026-02-30\nc: true\nd: 1.10\ne: 80%\n");
    assert_eq!(n.get("a").unwrap().value, Value::Str("no".into()));
    assert_eq!(n.get("b").unwrap().value, Value::Str("2026-02-30".into()));
    assert_eq!(n.get("c").unwrap().value, Value::Bool(true));
    assert_eq!(n.get("d").unwrap().scalar_text().as_deref(), Some("1.10"));
    assert_eq!(n.get("e").unwrap().value, Value::Str("80%".into()));
}

#[test]
fn duplicate_keys_are_kept_for_reporting() {
    let n = parse("a: 1\nb: 2\na: 3\n");
    let Value::Map(entries) = &n.value else {
        panic!("map")
    };
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[2].0.span, Span::new(4, 1));
}

#[test]
fn syntax_error_is_located_in_the_file() {
    let e = parse_yaml("title: A\nowner: [a, b\n", 2).unwrap_err();
    let span = e.span.expect("located");
    assert!(span.line >= 3, "{span:?}");
    assert!(!e.message.is_empty());
}

#[test]
fn empty_and_comment_only_blocks_are_null() {
    assert_eq!(parse("").value, Value::Null);
    assert_eq!(parse("# nothing\n").value, Value::Null);
}

// YAML errors

/// Parse frontmatter whose first YAML line is file line 2 (after the opening `---`).
fn error(yaml: &str) -> YamlError {
    parse_yaml(yaml, 2).expect_err("invalid YAML")
}

fn at(e: &YamlError) -> (u32, u32) {
    let s = e.span.expect("located");
    (s.line, s.col)
}

#[test]
fn unclosed_brackets_and_quotes_point_where_they_open() {
    // `status: [now` on file line 3; the parser only notices at the `:` of line 4.
    for (yaml, open, pos) in [
        ("title: A\nstatus: [now\nowner: x\n", '[', (3, 9)),
        ("title: A\nstatus: [now\nowner: x\ntags: [a]\n", '[', (3, 9)),
        ("title: A\nstatus: [now, later\n", '[', (3, 9)),
        ("title: [a, b,\n  c\nstatus: now\n", '[', (2, 8)),
        ("title: A\nstatus: {now\nowner: x\n", '{', (3, 9)),
        ("title: A\nstatus: \"now\nowner: x\n", '"', (3, 9)),
        ("title: A\nstatus: 'now\nowner: x\n", '\'', (3, 9)),
        ("a: \"x\nb: \"y\"\nc: 1\n", '"', (2, 4)),
        ("- id: x\n  A: [pm, eng\n- id: y\n", '[', (3, 6)),
    ] {
        let e = error(yaml);
        assert_eq!(at(&e), pos, "{yaml:?}: {e:?}");
        assert_eq!(
            e.message,
            format!("unclosed `{open}` opened here"),
            "{yaml:?}"
        );
        assert!(
            e.help.contains(&format!(
                "`{}`",
                match open {
                    '[' => ']',
                    '{' => '}',
                    q => q,
                }
            )),
            "{yaml:?}: {}",
            e.help
        );
    }
}

#[test]
fn a_tab_is_reported_on_its_own_line() {
    for (yaml, pos) in [
        ("title: A\n\tstatus: now\nowner: x\n", (3, 1)),
        ("title: A\nrice:\n\treach: 1\n", (4, 1)),
        ("title: A\nlist:\n  - a\n\t- b\n", (5, 1)),
    ] {
        let e = error(yaml);
        assert_eq!(at(&e), pos, "{yaml:?}: {e:?}");
        assert_eq!(e.message, "a tab indents this line");
        assert!(e.help.contains("spaces only"), "{}", e.help);
    }
}

#[test]
fn bad_indentation_names_the_lines_it_does_not_fit() {
    let e = error("title: A\nrice:\n  reach: 1\n    impact: 2\n");
    assert_eq!(at(&e), (5, 5));
    assert_eq!(
        e.message,
        "`impact:` is indented under `reach:` (line 4), which already has a value"
    );
    let e = error("title: A\nstatus: now\n  owner: x\n");
    assert_eq!(at(&e), (4, 3));
    assert_eq!(
        e.message,
        "`owner:` is indented under `status:` (line 3), which already has a value"
    );
    let e = error("title: A\nrice:\n    reach: 1\n  impact: 2\n");
    assert_eq!(at(&e), (5, 3));
    assert_eq!(
        e.message,
        "`impact:` is indented 2 spaces: more than `rice:` (line 3) and less than `reach:` (line 4)"
    );
    assert!(
        e.help
            .starts_with("keys of one mapping start in the same column")
    );
    let e = error("a:\n  - b\n  c: 1\n");
    assert_eq!(at(&e), (4, 3));
    assert_eq!(e.message, "`c:` stands among list items (`- b`, line 3)");
    let e = error("a: 1\n- b\n");
    assert_eq!(at(&e), (3, 1));
    assert_eq!(
        e.message,
        "the list item `- b` stands among the keys of a mapping (`a:`, line 2)"
    );
    assert!(e.help.contains("indent the `- ` items"), "{}", e.help);
}

#[test]
fn a_colon_in_a_plain_value_points_at_the_value() {
    let e = error("title: A\nstatus: a: b\nowner: x\n");
    assert_eq!(at(&e), (3, 9));
    assert_eq!(
        e.message,
        "the value `a: b` holds `: `, which YAML reads as a second key"
    );
    assert_eq!(e.help, "quote the value: `status: \"a: b\"`");
    let e = error("title: say \"hi\": now\n");
    assert_eq!(at(&e), (2, 8));
    assert_eq!(e.help, "quote the value: `title: 'say \"hi\": now'`");
}

#[test]
fn a_second_document_points_at_its_marker() {
    for (yaml, pos, marker) in [
        ("people: []\n---\nroles: []\n", (3, 1), "---"),
        ("title: A\n--- x\nstatus: now\n", (3, 1), "---"),
        ("people: []\n...\nroles: []\n", (3, 1), "..."),
    ] {
        let e = error(yaml);
        assert_eq!(at(&e), pos, "{yaml:?}: {e:?}");
        assert!(
            e.message.starts_with(&format!("`{marker}`")),
            "{}",
            e.message
        );
        assert!(e.help.contains("one YAML document"), "{}", e.help);
    }
}

#[test]
fn other_mistakes_get_their_own_words() {
    let cases = [
        (
            "a: *nope\n",
            (2, 4),
            "`*nope` refers to no anchor `&nope` defined before it",
        ),
        ("a: [1, 2]]\n", (2, 10), "`]` closes nothing"),
        ("a: [1, 2}\n", (2, 4), "`[` opened here is closed by `}`"),
        (
            "a: 1\nc\nd: 3\n",
            (3, 1),
            "`c` stands among keys but has no `:`",
        ),
        (
            "a: \"x\" y\n",
            (2, 4),
            "the value goes on after its closing quote",
        ),
        (
            "a: \"\\q\"\n",
            (2, 4),
            "a `\\` escape in this double-quoted value is not valid",
        ),
        ("a: @x\n", (2, 4), "a plain value cannot start with `@`"),
        ("a: 1e999\n", (2, 4), "`1e999` is not a finite number"),
    ];
    for (yaml, pos, message) in cases {
        let e = error(yaml);
        assert_eq!((at(&e), e.message.as_str()), (pos, message), "{yaml:?}");
    }
    // Each kind of mistake has help of its own.
    let helps: std::collections::HashSet<String> =
        cases.iter().map(|(y, _, _)| error(y).help).collect();
    assert_eq!(helps.len(), cases.len());
    // Inside an open `{`, a `[` closed by `}` is the `[`'s fault, not an unclosed `{`.
    let e = error("a: {x: 1, y: [1, 2}\n");
    assert_eq!(
        (at(&e), e.message.as_str()),
        ((2, 14), "`[` opened here is closed by `}`")
    );
}

#[test]
fn limits_are_said_in_plain_words_and_deep_nesting_never_overflows_the_stack() {
    let deep: String = (0..300)
        .map(|i| format!("{}a{i}:\n", " ".repeat(i)))
        .collect();
    let e = error(&deep);
    assert_eq!(
        e.message,
        "too much to read: nested more than 24 levels deep"
    );
    assert_eq!(e.span, Some(Span::new(26, 25)));
    let flow = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
    let e = error(&flow);
    assert_eq!(
        e.message,
        "too much to read: nested more than 24 levels deep"
    );
    assert_eq!(e.span, Some(Span::new(2, 28)));
    // An alias bomb: each level repeats the one before ten times.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    let e = error(&bomb);
    assert!(e.message.starts_with("too much to read: "), "{e:?}");
    assert!(e.span.is_some());
    for text in [&e.message, &e.help] {
        assert!(!text.contains("budget") && !text.contains('{'), "{text}");
    }
}
