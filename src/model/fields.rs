//! Reading typed fields out of a YAML mapping, with a diagnostic for every value that does not
//! fit: wrong type, bad enum word, impossible date, unknown key.

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::frontmatter::{Key, Node, Value};
use crate::kind::Kind;
use crate::rules::Rule;
use crate::values::{self, Duration, Period};

/// A value and the file position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A reference to another document: `kind:id` or a bare `id`, resolved later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The kind written before `:`, if any.
    pub kind: Option<Kind>,
    pub id: String,
    /// Where it is written.
    pub span: Span,
    /// The field, for messages: `owner`, `depends_on[2]`, `responsibilities[1].A`.
    pub field: String,
    /// The kinds this field may point at.
    pub allowed: &'static [Kind],
}

impl Ref {
    /// The reference as written.
    pub fn text(&self) -> String {
        match self.kind {
            Some(k) => format!("{k}:{}", self.id),
            None => self.id.clone(),
        }
    }
}

/// Parse `kind:id` or `id`. An unknown kind before `:` is an error message.
pub fn parse_ref(text: &str) -> Result<(Option<Kind>, String), String> {
    let t = text.trim();
    match t.split_once(':') {
        Some((k, id)) => {
            let kind =
                Kind::parse(k.trim()).ok_or_else(|| format!("`{k}` in `{t}` is not a kind"))?;
            Ok((Some(kind), id.trim().to_string()))
        }
        None => Ok((None, t.to_string())),
    }
}

/// Reads the fields of one mapping; remembers which keys were read so the rest can be reported.
pub struct Reader<'a, 'd> {
    path: &'a str,
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
    /// Prefix for field names in messages: `responsibilities[2].`.
    prefix: String,
    /// Where a missing key is reported.
    pub at: Span,
    pub diags: &'d mut Vec<Diagnostic>,
}

impl<'a, 'd> Reader<'a, 'd> {
    /// A reader over `node` (a mapping; anything else yields no fields).
    pub fn new(
        path: &'a str,
        node: &'a Node,
        prefix: String,
        at: Span,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        let entries: &[(Key, Node)] = match &node.value {
            Value::Map(e) => e,
            _ => &[],
        };
        Reader {
            path,
            entries,
            used: vec![false; entries.len()],
            prefix,
            at,
            diags,
        }
    }

    pub fn path(&self) -> &'a str {
        self.path
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value of `key` (the first, when repeated); `null` counts as absent.
    pub fn node(&mut self, key: &str) -> Option<&'a Node> {
        let mut found = None;
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if k.name == key {
                self.used[i] = true;
                if found.is_none() {
                    found = Some(v);
                }
            }
        }
        found.filter(|n| n.value != Value::Null)
    }

    /// The position of `key` itself, when present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span)
    }

    pub fn type_error(&mut self, key: &str, node: &Node, expected: &str) {
        let d = Diagnostic::new(Rule::FieldType, self.path, Some(node.span)).message(format!(
            "`{}` must be {expected}, found {}",
            self.name(key),
            node.type_name()
        ));
        self.diags.push(d);
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A scalar read as text.
    pub fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        match node.scalar_text() {
            Some(s) => Some(Spanned::new(s, node.span)),
            None => {
                self.type_error(key, node, "a string");
                None
            }
        }
    }

    /// A non-empty string, or `field-required` at the reader's position.
    pub fn required_string(&mut self, key: &str, what: &str) -> Option<Spanned<String>> {
        let wrong_type = self.node(key).is_some_and(|n| n.scalar_text().is_none());
        let s = self.string(key).filter(|s| !s.value.trim().is_empty());
        if s.is_none() && !wrong_type {
            let at = self.key_span(key).unwrap_or(self.at);
            let d = Diagnostic::new(Rule::FieldRequired, self.path, Some(at))
                .message(format!("{what} has no `{}`", self.name(key)))
                .help(format!("add `{key}:` with a value"));
            self.diags.push(d);
        }
        s
    }

    /// A list of scalars; a single scalar is read as a list of one.
    pub fn strings(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.scalar_text() {
                        Some(s) => out.push(Spanned::new(s, item.span)),
                        None => {
                            let d = Diagnostic::new(Rule::FieldType, self.path, Some(item.span))
                                .message(format!(
                                    "`{}[{i}]` must be a string, found {}",
                                    self.name(key),
                                    item.type_name()
                                ));
                            self.diags.push(d);
                        }
                    }
                }
                out
            }
            _ => match node.scalar_text() {
                Some(s) => vec![Spanned::new(s, node.span)],
                None => {
                    self.type_error(key, node, "a list of strings");
                    Vec::new()
                }
            },
        }
    }

    /// One word out of `allowed`, with a did-you-mean.
    pub fn one_of(&mut self, key: &str, allowed: &[&str]) -> Option<Spanned<String>> {
        let s = self.string(key)?;
        if allowed.contains(&s.value.as_str()) {
            return Some(s);
        }
        let d = Diagnostic::new(Rule::FieldEnum, self.path, Some(s.span))
            .message(format!(
                "{} `{}` is not one of {}",
                self.name(key),
                s.value,
                allowed.join(", ")
            ))
            .help_opt(did_you_mean(&s.value, allowed.iter().copied()));
        self.diags.push(d);
        None
    }

    pub fn date(&mut self, key: &str) -> Option<Spanned<Date>> {
        let s = self.string(key)?;
        match values::parse_date(&s.value) {
            Ok(d) => Some(Spanned::new(d, s.span)),
            Err(m) => {
                let d = Diagnostic::new(Rule::FieldDate, self.path, Some(s.span))
                    .message(format!("{}: {m}", self.name(key)))
                    .help("write a real day as YYYY-MM-DD, e.g. 2026-03-31");
                self.diags.push(d);
                None
            }
        }
    }

    pub fn period(&mut self, key: &str) -> Option<Spanned<Period>> {
        let s = self.string(key)?;
        match values::parse_period(&s.value) {
            Ok(p) => Some(Spanned::new(p, s.span)),
            Err(m) => {
                let rule = if s.value.len() == 10 {
                    Rule::FieldDate
                } else {
                    Rule::FieldPeriod
                };
                let d = Diagnostic::new(rule, self.path, Some(s.span))
                    .message(format!("{}: {m}", self.name(key)));
                self.diags.push(d);
                None
            }
        }
    }

    pub fn duration(&mut self, key: &str) -> Option<Spanned<Duration>> {
        let s = self.string(key)?;
        match values::parse_duration(&s.value) {
            Ok(v) => Some(Spanned::new(v, s.span)),
            Err(m) => {
                let d = Diagnostic::new(Rule::FieldDuration, self.path, Some(s.span))
                    .message(format!("{}: {m}", self.name(key)));
                self.diags.push(d);
                None
            }
        }
    }

    /// A number; `percent` also accepts `80%` (read as 0.8).
    pub fn number(&mut self, key: &str, percent: bool) -> Option<Spanned<f64>> {
        let node = self.node(key)?;
        let value = match &node.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Str(s) if percent && s.trim().ends_with('%') => s
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse::<f64>()
                .ok()
                .map(|v| v / 100.0),
            _ => None,
        };
        if value.is_none() {
            let expected = if percent {
                "a number or a percentage like `80%`"
            } else {
                "a number"
            };
            self.type_error(key, node, expected);
        }
        value.map(|v| Spanned::new(v, node.span))
    }

    fn make_ref(&mut self, field: String, node: &Node, allowed: &'static [Kind]) -> Option<Ref> {
        let Some(text) = node.scalar_text() else {
            let d = Diagnostic::new(Rule::FieldType, self.path, Some(node.span)).message(format!(
                "`{field}` must be a reference like `id` or `kind:id`, found {}",
                node.type_name()
            ));
            self.diags.push(d);
            return None;
        };
        match parse_ref(&text) {
            Ok((kind, id)) => Some(Ref {
                kind,
                id,
                span: node.span,
                field,
                allowed,
            }),
            Err(m) => {
                let kinds: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
                let d = Diagnostic::new(Rule::UnresolvedRef, self.path, Some(node.span))
                    .message(format!("`{field}`: {m}"))
                    .help(format!("write `{}:ID` or a bare id", kinds.join(":ID`, `")));
                self.diags.push(d);
                None
            }
        }
    }

    /// One reference.
    pub fn reference(&mut self, key: &str, allowed: &'static [Kind]) -> Option<Ref> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.make_ref(field, node, allowed)
    }

    /// A list of references (a single one is read as a list of one).
    pub fn references(&mut self, key: &str, allowed: &'static [Kind]) -> Vec<Ref> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => {
                let base = self.name(key);
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.make_ref(format!("{base}[{i}]"), item, allowed))
                    .collect()
            }
            _ => {
                let field = self.name(key);
                self.make_ref(field, node, allowed).into_iter().collect()
            }
        }
    }

    /// Report every key that was never read, with a did-you-mean among `known`.
    pub fn finish(self, known: &[&str], what: &str) {
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let d = Diagnostic::new(Rule::UnknownField, self.path, Some(k.span))
                .message(format!(
                    "`{}{}` is not a field of {what}",
                    self.prefix, k.name
                ))
                .help(
                    did_you_mean(&k.name, known.iter().copied())
                        .unwrap_or_else(|| format!("known fields: {}", known.join(", "))),
                );
            self.diags.push(d);
        }
    }
}

/// Report every repeated key in every mapping of `node`.
pub fn duplicate_keys(path: &str, node: &Node, out: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if let Some((first, _)) = entries[..i].iter().find(|(p, _)| p.name == k.name) {
                    out.push(
                        Diagnostic::new(Rule::DuplicateKey, path, Some(k.span))
                            .message(format!(
                                "key `{}` appears twice (first on line {})",
                                k.name, first.span.line
                            ))
                            .help("keep one of them; opsbook reads the first"),
                    );
                }
                duplicate_keys(path, v, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| duplicate_keys(path, n, out)),
        _ => {}
    }
}
