//! What the scanner records, with exact positions.

use super::*;

fn open(s: &Scan) -> Vec<(char, Pos, Option<Pos>, Option<u32>)> {
    s.constructs
        .iter()
        .map(|c| (c.open, c.at, c.closed, c.dedent))
        .collect()
}

#[test]
fn brackets_and_quotes_with_where_they_open_and_close() {
    let s = scan("title: A\nstatus: [now\nowner: x\n");
    assert_eq!(open(&s), [('[', (2, 9), None, Some(3))]);
    // Closed on the line they open on: nothing to record.
    let s = scan("a: [1, {b: \"c]\"}]\nd: 'it''s'\n");
    assert_eq!(open(&s), []);
    let s = scan("a: [1, {b: \"c\n  d\"}, [e,\n  f]]\n");
    assert_eq!(
        open(&s),
        [
            ('[', (1, 4), Some((3, 5)), None),
            ('{', (1, 8), Some((2, 5)), None),
            ('"', (1, 12), Some((2, 4)), None),
            ('[', (2, 8), Some((3, 4)), None),
        ]
    );
    // A list over several indented lines is fine; a key at the left margin is outside it.
    let s = scan("a: [x,\n  y]\n");
    assert_eq!(open(&s), [('[', (1, 4), Some((2, 4)), None)]);
    let s = scan("a: \"x\nb: \"y\"\n");
    assert_eq!(open(&s)[0], ('"', (1, 4), Some((2, 4)), Some(2)));
}

#[test]
fn brackets_quotes_and_colons_inside_plain_values_are_text() {
    assert_eq!(scan("a: \"x\" y\nb: 'c' # d\n").trailing, [(1, 4)]);
    let s = scan("title: it's [not] a \"list\":really\nurl: http://x.org/a#b\n");
    assert!(s.constructs.is_empty(), "{:?}", s.constructs);
    assert!(s.colons.is_empty());
    let s = scan("notes: |\n  [a\n  \"b\n  c: d\nnext: 1\n");
    assert!(s.constructs.is_empty(), "{:?}", s.constructs);
    assert_eq!(s.lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 5]);
}

#[test]
fn block_lines_tabs_colons_and_markers() {
    let s = scan("rice:\n  reach: 1\n\t- x\nstatus: a: b\n---\n- c: d\n");
    let heads: Vec<_> = s
        .lines
        .iter()
        .map(|l| (l.line, l.indent, l.head.as_str(), l.dash, l.has_value))
        .collect();
    assert_eq!(
        heads,
        [
            (1, 0, "rice", false, false),
            (2, 2, "reach", false, true),
            (3, 1, "- x", true, true),
            (4, 0, "status", false, true),
            (6, 0, "- c", true, true),
        ]
    );
    assert_eq!(s.tabs, [(3, 1)]);
    assert_eq!(
        s.colons,
        [ColonInValue {
            at: (4, 9),
            key: "status".into(),
            value: "a: b".into()
        }]
    );
    assert_eq!(s.markers, [((5, 1), "---")]);
}

#[test]
fn a_key_indented_under_a_plain_value_is_a_line_of_its_own() {
    let s = scan("rice:\n  reach: 1\n    impact: 2\n");
    assert_eq!(s.lines.last().map(|l| (l.line, l.indent)), Some((3, 4)));
    // A plain value going on over lines is not a key.
    let s = scan("title: a long\n  title\nnext: 1\n");
    assert_eq!(s.lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 3]);
}

#[test]
fn columns_count_characters() {
    let s = scan("tïtle: ünï [x\n");
    assert!(s.constructs.is_empty());
    let s = scan("tïtle: [ünï, \"x\n");
    assert_eq!(
        open(&s),
        [('[', (1, 8), None, None), ('"', (1, 14), None, None)]
    );
}

#[test]
fn a_huge_line_is_read_in_linear_time_and_bounded_memory() {
    let line = format!("a: {}\n", "[".repeat(2_000_000));
    let s = scan(&line);
    assert_eq!(s.constructs.len(), MAX_OPEN + 1);
    assert_eq!(s.constructs[MAX_OPEN].at, (1, 4 + MAX_OPEN as u32));
    let line = format!("a: {}\nb: [x\n", "[x] ".repeat(1_000_000));
    let s = scan(&line);
    assert_eq!(open(&s), [('[', (2, 4), None, None)]);
}
