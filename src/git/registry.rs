//! Reading the versions of the registry (`org.yml`) for the history of its entries: each entry
//! of a tracked list (`people`, `teams`…) by its `id`, with its tracked values and a digest of
//! the whole entry.
//!
//! A registry is one file that changes often and a little: most versions differ from the one
//! before in one entry. When the text is laid out plainly (block lists under top-level keys),
//! it is cut into its entries and each distinct entry is parsed once in the whole pass; anything
//! else (flow style at the top, an alias to an anchor in another entry, tabs…) is parsed whole.
//! Both give the same entries (only an error elsewhere in the file, outside the tracked lists,
//! costs a version parsed whole its entries).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::cache::KeyHasher;
use super::tracking::{Slots, Tracking};
use crate::frontmatter::{self, Node, Value};

/// One entry of a registry version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Entry {
    /// The index of its list in [`Tracking::registry`].
    pub list: usize,
    pub id: String,
    pub slots: Slots,
    /// A digest of the whole entry as parsed: any change to it is a change of the entry.
    pub digest: u64,
}

/// What one reader (a thread of the pass) has parsed already.
#[derive(Debug, Default)]
pub(super) struct Memo {
    /// Frontmatter (cut down to its tracked keys) → its values.
    pub docs: HashMap<String, Slots>,
    /// Per list, the text of one of its items → the entry (`None`: not an entry with an id).
    entries: HashMap<usize, HashMap<String, Option<Arc<Entry>>>>,
}

impl Tracking {
    /// The tracked entries of a registry version, in list and file order (the first entry of
    /// each list and id); none when it cannot be read.
    pub(super) fn read_registry(&self, text: &str, memo: &mut Memo) -> Vec<Arc<Entry>> {
        let text = frontmatter::strip_bom(text);
        let entries = match self.items(text) {
            Some(items) => self.cut(items, memo),
            None => None,
        };
        let entries = entries.unwrap_or_else(|| self.whole(text));
        let mut seen = HashSet::with_capacity(entries.len());
        let keep: Vec<bool> = entries
            .iter()
            .map(|e| seen.insert((e.list, e.id.as_str())))
            .collect();
        if keep.iter().all(|k| *k) {
            return entries;
        }
        entries
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(e, _)| Arc::clone(e))
            .collect()
    }

    /// The entries of the cut-out items, each parsed once per memo; `None` when an item does
    /// not parse on its own (an alias to an anchor in another item).
    fn cut(&self, items: Vec<(usize, &str)>, memo: &mut Memo) -> Option<Vec<Arc<Entry>>> {
        let mut out = Vec::with_capacity(items.len());
        for (list, text) in items {
            let seen = memo.entries.entry(list).or_default();
            let entry = match seen.get(text) {
                Some(e) => e.clone(),
                None => {
                    let node = frontmatter::parse_yaml(text, 1).ok()?;
                    let Value::Seq(mut seq) = node.value else {
                        return None;
                    };
                    if seq.len() != 1 {
                        return None;
                    }
                    let e = self.entry(list, &seq.remove(0)).map(Arc::new);
                    seen.insert(text.to_string(), e.clone());
                    e
                }
            };
            out.extend(entry);
        }
        Some(out)
    }

    /// The entries of the whole text, parsed at once.
    fn whole(&self, text: &str) -> Vec<Arc<Entry>> {
        let Ok(node) = frontmatter::parse_yaml(text, 1) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (list, (key, _)) in self.registry.iter().enumerate() {
            if let Some(Value::Seq(items)) = node.get(key).map(|n| &n.value) {
                out.extend(
                    items
                        .iter()
                        .filter_map(|i| self.entry(list, i).map(Arc::new)),
                );
            }
        }
        out
    }

    /// An item of list `list`, when it is a mapping with an `id`.
    fn entry(&self, list: usize, item: &Node) -> Option<Entry> {
        if !matches!(item.value, Value::Map(_)) {
            return None;
        }
        let id = item.get("id").and_then(Node::scalar_text)?;
        let mut h = KeyHasher::new();
        digest(item, &mut h);
        Some(Entry {
            list,
            id,
            slots: self.slots(item),
            digest: h.finish(),
        })
    }

    /// The items of the tracked lists, as the parts of `text` that parse on their own to a
    /// list of one, in list order then file order; `None` when the text is not laid out
    /// plainly enough to cut safely.
    fn items<'t>(&self, text: &'t str) -> Option<Vec<(usize, &'t str)>> {
        // Per list: its items, as (first line, last line) ranges of `lines`.
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut sections: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        let mut keys_seen = HashSet::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let first = line.chars().next().unwrap_or('\n');
            if matches!(first, ' ' | '#' | '\r' | '\n') {
                if first == ' ' && !is_blank_or_comment(line) {
                    // Indented content under no key: not a plain mapping.
                    return None;
                }
                i += 1;
                continue;
            }
            if matches!(
                first,
                '-' | '{' | '[' | '?' | '"' | '\'' | '%' | '\t' | '!' | '&' | '*'
            ) || !line.contains(':')
            {
                return None;
            }
            let (key, rest) = line.split_once(':')?;
            let key = key.trim_end();
            if !keys_seen.insert(key.to_string()) {
                return None;
            }
            // The lines of this key's value.
            let end = (i + 1..lines.len())
                .find(|&j| {
                    let c = lines[j].chars().next().unwrap_or('\n');
                    !matches!(c, ' ' | '-' | '#' | '\r' | '\n')
                })
                .unwrap_or(lines.len());
            if let Some(list) = self.registry.iter().position(|(k, _)| k == key) {
                let rest = rest.trim();
                if !(rest.is_empty() || rest.starts_with('#')) {
                    return None;
                }
                sections.insert(list, items_of(&lines[i + 1..end], i + 1)?);
            }
            i = end;
        }
        // Where each line starts in `text`.
        let mut starts = Vec::with_capacity(lines.len() + 1);
        let mut at = 0;
        for line in &lines {
            starts.push(at);
            at += line.len();
        }
        starts.push(at);
        let mut out = Vec::new();
        for list in 0..self.registry.len() {
            for &(from, to) in sections.get(&list).into_iter().flatten() {
                out.push((list, &text[starts[from]..starts[to]]));
            }
        }
        Some(out)
    }
}

/// The items of a block list whose lines are `lines` (starting at `offset`): the ranges of
/// their lines (an item, indented as in the file, parses as a list of one); `None` when it is
/// not a plain block list.
fn items_of(lines: &[&str], offset: usize) -> Option<Vec<(usize, usize)>> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut indent = None;
    for (n, line) in lines.iter().enumerate() {
        if is_blank_or_comment(line) {
            continue;
        }
        let at = line.len() - line.trim_start_matches(' ').len();
        let starts_item = line[at..].starts_with("- ") || line[at..].trim_end() == "-";
        let item_indent = *indent.get_or_insert(at);
        if !starts_item && out.is_empty() {
            return None;
        }
        if at == item_indent && starts_item {
            if let Some(last) = out.last_mut() {
                last.1 = offset + n;
            }
            out.push((offset + n, offset + lines.len()));
        } else if at <= item_indent {
            return None;
        }
    }
    Some(out)
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Feed a parsed value to `h`: equal values (however they are laid out or commented) give
/// equal digests.
fn digest(node: &Node, h: &mut KeyHasher) {
    match &node.value {
        Value::Null => {
            h.part(b"~");
        }
        Value::Bool(b) => {
            h.part(if *b { b"t" } else { b"f" });
        }
        Value::Int(i) => {
            h.part(b"i").part(&i.to_le_bytes());
        }
        Value::Float(f) => {
            h.part(b"n").part(&f.to_bits().to_le_bytes());
        }
        Value::Str(s) => {
            h.part(b"s").part(s.as_bytes());
        }
        Value::Seq(items) => {
            h.part(b"[").part(&(items.len() as u64).to_le_bytes());
            for i in items {
                digest(i, h);
            }
        }
        Value::Map(entries) => {
            h.part(b"{").part(&(entries.len() as u64).to_le_bytes());
            for (k, v) in entries {
                h.part(k.name.as_bytes());
                digest(v, h);
            }
        }
    }
    if let Some(raw) = &node.raw {
        h.part(b"raw").part(raw.as_bytes());
    }
}

#[cfg(test)]
#[path = "tests_registry.rs"]
mod tests;
