//! A small reader of YAML's surface that knows where constructs start: quotes, brackets, keys,
//! indented lines, tabs and document markers.
//!
//! The YAML parser notices a mistake where it can no longer go on, which is often a line or more
//! after the cause (`status: [now` without `]` is noticed at the `:` of the next key). This
//! scanner reads the same text once more, line by line, and records every construct with the
//! place it starts, so that a syntax error can be reported where the faulty construct begins.
//! It is only run on text the parser rejected, never decides on its own that YAML is invalid,
//! and never fails: odd input gives fewer findings, not an error.

/// A 1-based line and character column inside the YAML text.
pub type Pos = (u32, u32);

/// A quote or bracket that goes on over lines or never closes: where it opens and where (if
/// anywhere) it closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Construct {
    /// `[`, `{`, `"` or `'`.
    pub open: char,
    pub at: Pos,
    pub closed: Option<Pos>,
    /// The first later line, while the construct is open, that is not indented past the
    /// key or list item holding it (so YAML reads it as outside).
    pub dedent: Option<u32>,
    /// Indentation (0-based column) that continuation lines must go past.
    owner: usize,
}

/// One line in block context (not inside a quote, bracket or block scalar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockLine {
    pub line: u32,
    /// Leading spaces and tabs.
    pub indent: usize,
    /// The line's first token, for messages: `reach:` or `- b`.
    pub head: String,
    /// The line is a list item (`- …`).
    pub dash: bool,
    /// A key whose value is written on the same line (`key: value`).
    pub has_value: bool,
}

/// A plain value that holds `: ` after its key: `status: a: b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColonInValue {
    pub at: Pos,
    pub key: String,
    pub value: String,
}

/// Everything the scanner found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Quotes and brackets that go on over lines or never close (one that closes on the line
    /// it opens on cannot be the cause of an error elsewhere).
    pub constructs: Vec<Construct>,
    pub lines: Vec<BlockLine>,
    /// The first tab in the indentation of each line that has one.
    pub tabs: Vec<Pos>,
    pub colons: Vec<ColonInValue>,
    /// Quoted values with more text after the closing quote on their line: where they open.
    pub trailing: Vec<Pos>,
    /// `---` or `...` after content, with the marker.
    pub markers: Vec<(Pos, &'static str)>,
}

/// Where a block scalar (`|`, `>`) holds its content.
struct BlockScalar {
    owner: usize,
    indent: Option<usize>,
}

struct Scanner<'a> {
    scan: Scan,
    line: &'a [u8],
    text: &'a str,
    n: u32,
    /// Indexes into `scan.constructs` of the open brackets, innermost last.
    flow: Vec<usize>,
    /// Index of an open quote that goes on over lines.
    quote: Option<usize>,
    block: Option<BlockScalar>,
    /// A plain value may go on over more-indented lines: the indentation it must go past.
    plain: Option<usize>,
    seen_content: bool,
    /// Byte offset and character count of the last column computed on this line.
    counted: (usize, usize),
    /// Too many constructs are open at once to be worth recording: stop reading.
    stopped: bool,
}

/// The most quotes and brackets recorded at once; past that the input is not a document.
const MAX_OPEN: usize = 10_000;

/// Read `yaml` and record where its constructs start.
pub fn scan(yaml: &str) -> Scan {
    let mut s = Scanner {
        scan: Scan::default(),
        line: &[],
        text: "",
        n: 0,
        flow: Vec::new(),
        quote: None,
        block: None,
        plain: None,
        seen_content: false,
        counted: (0, 0),
        stopped: false,
    };
    for (i, text) in yaml.split('\n').enumerate() {
        let text = text.strip_suffix('\r').unwrap_or(text);
        s.text = text;
        s.line = text.as_bytes();
        s.n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        s.counted = (0, 0);
        s.read_line();
        if s.stopped {
            break;
        }
    }
    s.scan
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Scanner<'_> {
    /// The character column (1-based) of byte `i` of the current line. Columns are counted
    /// on from the last one asked for, so a long line is read once, not once per construct.
    fn pos(&mut self, i: usize) -> Pos {
        let i = i.min(self.text.len());
        let (from, col) = if i >= self.counted.0 {
            self.counted
        } else {
            (0, 0)
        };
        let col = col
            + self
                .text
                .get(from..i)
                .map_or(i - from, |part| part.chars().count());
        self.counted = (i, col);
        (self.n, u32::try_from(col + 1).unwrap_or(u32::MAX))
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.line.get(i).copied()
    }

    /// Whether byte `i` ends a token: a blank or the end of the line.
    fn ends(&self, i: usize) -> bool {
        self.at(i).is_none_or(is_blank)
    }

    fn skip_blanks(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_blank) {
            i += 1;
        }
        i
    }

    fn read_line(&mut self) {
        let first = self.skip_blanks(0);
        let blank = first >= self.line.len();
        let comment = self.at(first) == Some(b'#');
        if let Some(q) = self.quote {
            if !blank {
                self.note_dedent(q, first);
            }
            match self.read_quote(q, 0) {
                Some(next) if !self.flow.is_empty() => self.read_flow(next),
                _ => {}
            }
            return;
        }
        if !self.flow.is_empty() {
            // Nested brackets share the outermost one's indentation; it is the one to blame.
            if !blank && !comment {
                self.note_dedent(self.flow[0], first);
            }
            self.read_flow(first);
            return;
        }
        if blank {
            return;
        }
        if let Some(b) = &mut self.block {
            match b.indent {
                None if first > b.owner => {
                    b.indent = Some(first);
                    return;
                }
                Some(indent) if first >= indent => return,
                _ => self.block = None,
            }
        }
        if let Some(tab) = self.line[..first].iter().position(|&b| b == b'\t') {
            let at = self.pos(tab);
            self.scan.tabs.push(at);
        }
        if comment {
            return;
        }
        if first == 0
            && (self.line.starts_with(b"---") || self.line.starts_with(b"..."))
            && self.ends(3)
        {
            if self.seen_content {
                let marker = if self.line[0] == b'-' { "---" } else { "..." };
                let at = self.pos(0);
                self.scan.markers.push((at, marker));
            }
            self.plain = None;
            let rest = self.skip_blanks(3);
            if rest < self.line.len() && self.at(rest) != Some(b'#') {
                self.read_block(rest, rest);
            }
            return;
        }
        if let Some(owner) = self.plain
            && first > owner
        {
            // More of a plain value; a `key:` here is a key indented under a value.
            let head = self.plain_end(first, false);
            if head.1 {
                self.push_line(first, head.0, true);
            }
            return;
        }
        self.plain = None;
        self.read_block(first, first);
    }

    /// Record `line` as a block line whose first token ends at byte `end`.
    fn push_line(&mut self, first: usize, end: usize, has_value: bool) {
        let dash = self.at(first) == Some(b'-') && self.ends(first + 1);
        let end = if dash {
            self.plain_end(self.skip_blanks(first + 1), true).0
        } else {
            end
        };
        let head = self
            .text
            .get(first..end.min(self.text.len()))
            .unwrap_or("")
            .trim_end();
        self.scan.lines.push(BlockLine {
            line: self.n,
            indent: first,
            head: crate::escape::clip(head, 40).into_owned(),
            dash,
            has_value,
        });
    }

    fn note_dedent(&mut self, k: usize, first: usize) {
        let c = &mut self.scan.constructs[k];
        if c.dedent.is_none() && first <= c.owner && c.at.0 < self.n {
            c.dedent = Some(self.n);
        }
    }

    /// Where a plain scalar starting at `i` ends: before ` #`, at the end of the line, or at a
    /// `:` followed by a blank (then `true`: it is a key). In flow context (`flow`) also
    /// before `,` and brackets.
    fn plain_end(&self, mut i: usize, flow: bool) -> (usize, bool) {
        while let Some(b) = self.at(i) {
            match b {
                b':' if self.ends(i + 1) || (flow && matches!(self.at(i + 1), Some(b','))) => {
                    return (i, true);
                }
                b'#' if i > 0 && self.line.get(i - 1).copied().is_some_and(is_blank) => {
                    return (i, false);
                }
                b',' | b'[' | b']' | b'{' | b'}' if flow => return (i, false),
                _ => i += 1,
            }
        }
        (i, false)
    }

    /// Tokens of a line in block context from byte `i`; `first` is where the line's content
    /// starts.
    fn read_block(&mut self, i: usize, first: usize) {
        self.seen_content = true;
        let mut head_end = None;
        let has_value = self.read_tokens(i, first, &mut head_end);
        self.push_line(first, head_end.unwrap_or(self.line.len()), has_value);
    }

    /// Read the tokens of a block line; whether a value follows its key or dash on the line.
    /// `head_end` is set to where the first token ends.
    fn read_tokens(&mut self, mut i: usize, first: usize, head_end: &mut Option<usize>) -> bool {
        let mut owner = first;
        let mut key: Option<String> = None;
        loop {
            i = self.skip_blanks(i);
            let Some(b) = self.at(i) else { return false };
            match b {
                b'#' => return false,
                b'-' | b'?' | b':' if self.ends(i + 1) => {
                    if b == b'-' {
                        owner = i;
                    }
                    i += 1;
                }
                b'"' | b'\'' => {
                    let k = self.open(b as char, i, owner);
                    let at = self.scan.constructs[k].at;
                    let Some(next) = self.read_quote(k, i + 1) else {
                        return true;
                    };
                    let after = self.skip_blanks(next);
                    let is_key = self.at(after) == Some(b':') && self.ends(after + 1);
                    if key.is_some() || !is_key {
                        if !matches!(self.at(after), None | Some(b'#')) && !is_key {
                            self.scan.trailing.push(at);
                        }
                        return true;
                    }
                    head_end.get_or_insert(next);
                    key = Some(String::new());
                    i = after + 1;
                }
                b'[' | b'{' => {
                    let k = self.open(b as char, i, owner);
                    self.flow.push(k);
                    self.read_flow(i + 1);
                    return true;
                }
                b'|' | b'>' => {
                    self.block = Some(BlockScalar {
                        owner,
                        indent: None,
                    });
                    return true;
                }
                b'*' => return true,
                b'&' | b'!' => {
                    while self.at(i).is_some_and(|b| !is_blank(b)) {
                        i += 1;
                    }
                }
                _ => {
                    let (end, is_key) = self.plain_end(i, false);
                    head_end.get_or_insert(end);
                    match &key {
                        Some(k) if is_key => {
                            let value_end = self.plain_end(end + 1, false).0;
                            let value = self.text.get(i..value_end).unwrap_or("").trim_end();
                            let at = self.pos(i);
                            self.scan.colons.push(ColonInValue {
                                at,
                                key: k.clone(),
                                value: value.to_string(),
                            });
                            return true;
                        }
                        None if is_key => {
                            let word = self.text.get(i..end).unwrap_or("").trim_end();
                            key = Some(word.to_string());
                            owner = i;
                            i = end + 1;
                        }
                        _ => {
                            self.plain = Some(owner);
                            return true;
                        }
                    }
                }
            }
        }
    }

    /// Record a construct opening at byte `i`.
    fn open(&mut self, open: char, i: usize, owner: usize) -> usize {
        if self.scan.constructs.len() >= MAX_OPEN {
            self.stopped = true;
        }
        let at = self.pos(i);
        self.scan.constructs.push(Construct {
            open,
            at,
            closed: None,
            dedent: None,
            owner,
        });
        self.scan.constructs.len() - 1
    }

    /// Construct `k` closes at byte `i`. One that opened on this line is forgotten: it can be
    /// to blame for nothing (and everything opened after it, inside it, is closed too).
    fn close(&mut self, k: usize, i: usize) {
        let at = self.pos(i);
        if self.scan.constructs[k].at.0 == self.n {
            self.scan.constructs.truncate(k);
        } else {
            self.scan.constructs[k].closed = Some(at);
        }
    }

    /// Read the quoted scalar `k` from byte `i`; where it closes (the byte after), or `None`
    /// when it goes on to the next line.
    fn read_quote(&mut self, k: usize, mut i: usize) -> Option<usize> {
        let quote = self.scan.constructs[k].open as u8;
        while let Some(b) = self.at(i) {
            if b == b'\\' && quote == b'"' {
                i += 2;
            } else if b == quote {
                if quote == b'\'' && self.at(i + 1) == Some(b'\'') {
                    i += 2;
                    continue;
                }
                self.close(k, i);
                self.quote = None;
                return Some(i + 1);
            } else {
                i += 1;
            }
        }
        self.quote = Some(k);
        None
    }

    /// Tokens inside brackets from byte `i`, until the outermost bracket closes or the line
    /// ends.
    fn read_flow(&mut self, mut i: usize) {
        while let Some(&outer) = self.flow.first() {
            if self.stopped {
                return;
            }
            i = self.skip_blanks(i);
            let Some(b) = self.at(i) else { return };
            let owner = self.scan.constructs[outer].owner;
            match b {
                b'#' if i == 0 || self.line.get(i - 1).copied().is_some_and(is_blank) => return,
                b'[' | b'{' => {
                    let k = self.open(b as char, i, owner);
                    self.flow.push(k);
                    i += 1;
                }
                b']' | b'}' => {
                    if let Some(k) = self.flow.pop() {
                        self.close(k, i);
                    }
                    i += 1;
                }
                b'"' | b'\'' => {
                    let k = self.open(b as char, i, owner);
                    match self.read_quote(k, i + 1) {
                        Some(next) => i = next,
                        None => return,
                    }
                }
                b',' | b':' | b'?' => i += 1,
                _ => i = self.plain_end(i, true).0.max(i + 1),
            }
        }
    }
}

#[cfg(test)]
mod tests;
