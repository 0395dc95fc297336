//! Reading typed fields out of a YAML mapping, with a diagnostic for every value that does not
//! fit: wrong type, bad enum word, impossible date, unknown key.

use std::sync::Arc;

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::frontmatter::{Key, Node, Value};
use crate::kind::Kind;
use crate::kinds::Kinds;
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
    pub allowed: Arc<[Kind]>,
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

/// Parse `kind:id` or `id` (kinds from `kinds`, else the built-in ones). An unknown kind
/// before `:` is an error message.
pub fn parse_ref(text: &str, kinds: Option<&Kinds>) -> Result<(Option<Kind>, String), String> {
    let t = text.trim();
    match t.split_once(':') {
        Some((k, id)) => {
            let k = k.trim();
            let kind = match kinds {
                Some(kinds) => kinds.parse(k),
                None => Kind::builtin(k),
            }
            .ok_or_else(|| format!("`{k}` in `{t}` is not a kind"))?;
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
    /// The handbook's kinds, for `kind:id` references (default: the built-in kinds).
    kinds: Option<&'a Kinds>,
    /// Keys read as another field: `(alias, field)`.
    aliases: &'a [(String, String)],
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
            kinds: None,
            aliases: &[],
        }
    }

    /// Read `kind:id` references with the handbook's kinds.
    pub fn with_kinds(mut self, kinds: &'a Kinds) -> Self {
        self.kinds = Some(kinds);
        self
    }

    /// Read these keys as the fields they stand for.
    pub fn with_aliases(mut self, aliases: &'a [(String, String)]) -> Self {
        self.aliases = aliases;
        self
    }

    /// A reader for a mapping nested in this one (same file, kinds and diagnostics).
    pub fn nested<'b>(&'b mut self, node: &'a Node, prefix: String, at: Span) -> Reader<'a, 'b> {
        let kinds = self.kinds;
        let mut r = Reader::new(self.path, node, prefix, at, self.diags);
        r.kinds = kinds;
        r
    }

    pub fn path(&self) -> &'a str {
        self.path
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value of `key` (the first, when repeated, or written under an alias); `null`
    /// counts as absent.
    pub fn node(&mut self, key: &str) -> Option<&'a Node> {
        let mut found = None;
        let aliases = self.aliases;
        let is_key = |name: &str| name == key || aliases.iter().any(|(a, f)| a == name && f == key);
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if is_key(&k.name) {
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
            .find(|(k, _)| {
                k.name == key || self.aliases.iter().any(|(a, f)| *a == k.name && f == key)
            })
            .map(|(k, _)| k.span)
    }

    pub fn type_error(&mut self, key: &str, node: &Node, expected: &str) {
        let field = self.name(key);
        self.type_error_at(&field, node, expected);
    }

    /// `field` (a full field name: `prs[2]`) is not of the expected type.
    pub fn type_error_at(&mut self, field: &str, node: &Node, expected: &str) {
        let d = Diagnostic::new(Rule::FieldType, self.path, Some(node.span)).message(format!(
            "`{field}` must be {expected}, found {}",
            node.type_name()
        ));
        self.diags.push(d);
    }

    /// The full name of field `key` in messages: `responsibilities[2].A`.
    pub fn field_name(&self, key: &str) -> String {
        self.name(key)
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A scalar read as text.
    pub fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.string_at(&field, node)
    }

    /// The text of a scalar `node` of `field`.
    pub fn string_at(&mut self, field: &str, node: &Node) -> Option<Spanned<String>> {
        match node.scalar_text() {
            Some(s) => Some(Spanned::new(s, node.span)),
            None => {
                self.type_error_at(field, node, "a string");
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
    pub fn one_of<S: AsRef<str>>(&mut self, key: &str, allowed: &[S]) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.one_of_at(&field, node, allowed)
    }

    pub fn one_of_at<S: AsRef<str>>(
        &mut self,
        field: &str,
        node: &Node,
        allowed: &[S],
    ) -> Option<Spanned<String>> {
        let s = self.string_at(field, node)?;
        if allowed.iter().any(|a| a.as_ref() == s.value) {
            return Some(s);
        }
        let words: Vec<&str> = allowed.iter().map(AsRef::as_ref).collect();
        let d = Diagnostic::new(Rule::FieldEnum, self.path, Some(s.span))
            .message(format!(
                "{field} `{}` is not one of {}",
                s.value,
                words.join(", ")
            ))
            .help_opt(did_you_mean(&s.value, words.iter().copied()));
        self.diags.push(d);
        None
    }

    pub fn date(&mut self, key: &str) -> Option<Spanned<Date>> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.date_at(&field, node)
    }

    pub fn date_at(&mut self, field: &str, node: &Node) -> Option<Spanned<Date>> {
        let s = self.string_at(field, node)?;
        match values::parse_date(&s.value) {
            Ok(d) => Some(Spanned::new(d, s.span)),
            Err(m) => {
                let d = Diagnostic::new(Rule::FieldDate, self.path, Some(s.span))
                    .message(format!("{field}: {m}"))
                    .help("write a real day as YYYY-MM-DD, e.g. 2026-03-31");
                self.diags.push(d);
                None
            }
        }
    }

    pub fn period(&mut self, key: &str) -> Option<Spanned<Period>> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.period_at(&field, node)
    }

    pub fn period_at(&mut self, field: &str, node: &Node) -> Option<Spanned<Period>> {
        let s = self.string_at(field, node)?;
        match values::parse_period(&s.value) {
            Ok(p) => Some(Spanned::new(p, s.span)),
            Err(m) => {
                let rule = if s.value.len() == 10 {
                    Rule::FieldDate
                } else {
                    Rule::FieldPeriod
                };
                let d =
                    Diagnostic::new(rule, self.path, Some(s.span)).message(format!("{field}: {m}"));
                self.diags.push(d);
                None
            }
        }
    }

    pub fn duration(&mut self, key: &str) -> Option<Spanned<Duration>> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.duration_at(&field, node)
    }

    pub fn duration_at(&mut self, field: &str, node: &Node) -> Option<Spanned<Duration>> {
        let s = self.string_at(field, node)?;
        match values::parse_duration(&s.value) {
            Ok(v) => Some(Spanned::new(v, s.span)),
            Err(m) => {
                let d = Diagnostic::new(Rule::FieldDuration, self.path, Some(s.span))
                    .message(format!("{field}: {m}"));
                self.diags.push(d);
                None
            }
        }
    }

    /// A number; `percent` also accepts `80%` (read as 0.8).
    pub fn number(&mut self, key: &str, percent: bool) -> Option<Spanned<f64>> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.number_at(&field, node, percent)
    }

    pub fn number_at(&mut self, field: &str, node: &Node, percent: bool) -> Option<Spanned<f64>> {
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
            self.type_error_at(field, node, expected);
        }
        value.map(|v| Spanned::new(v, node.span))
    }

    /// A reference of `field` to one of `allowed`.
    pub fn make_ref(&mut self, field: String, node: &Node, allowed: &Arc<[Kind]>) -> Option<Ref> {
        let Some(text) = node.scalar_text() else {
            let d = Diagnostic::new(Rule::FieldType, self.path, Some(node.span)).message(format!(
                "`{field}` must be a reference like `id` or `kind:id`, found {}",
                node.type_name()
            ));
            self.diags.push(d);
            return None;
        };
        self.ref_from_text(field, &text, node.span, allowed)
    }

    /// A reference of `field` written as `text` at `span`.
    pub fn ref_from_text(
        &mut self,
        field: String,
        text: &str,
        span: Span,
        allowed: &Arc<[Kind]>,
    ) -> Option<Ref> {
        match parse_ref(text, self.kinds) {
            Ok((kind, id)) => Some(Ref {
                kind,
                id,
                span,
                field,
                allowed: Arc::clone(allowed),
            }),
            Err(m) => {
                let kinds: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
                let d = Diagnostic::new(Rule::UnresolvedRef, self.path, Some(span))
                    .message(format!("`{field}`: {m}"))
                    .help(format!("write `{}:ID` or a bare id", kinds.join(":ID`, `")));
                self.diags.push(d);
                None
            }
        }
    }

    /// One reference.
    pub fn reference(&mut self, key: &str, allowed: &Arc<[Kind]>) -> Option<Ref> {
        let node = self.node(key)?;
        let field = self.name(key);
        self.make_ref(field, node, allowed)
    }

    /// A list of references (a single one is read as a list of one).
    pub fn references(&mut self, key: &str, allowed: &Arc<[Kind]>) -> Vec<Ref> {
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
        self.finish_near(known, &[], what);
    }

    /// [`Reader::finish`], where a near miss of one of `near` (keys accepted but not listed)
    /// is suggested too.
    pub fn finish_near(self, known: &[&str], near: &[&str], what: &str) {
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
                    did_you_mean(&k.name, known.iter().chain(near).copied())
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
