//! Client-side search: an inverted index (`search-index.json`), the same index as a script that
//! sets a global (`search-index.js`, because `fetch()` of a file fails on `file://`), and the
//! page. The index holds each word once with the documents it is in (so it grows with the
//! vocabulary, not with the text); `assets/search.js` folds accents, stems English words
//! (`prioritise` and `prioritize` meet) and forgives one typo when it reads it.

use std::borrow::Cow;
use std::collections::hash_map::Entry as Slot;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::error::Error;
use crate::model::{Data, Doc, FieldValue, Handbook};

use super::search_index::SearchIndex;
use super::view::SearchView;
use super::{Site, kind_label, lock};

/// One document in the index. Short keys keep the file small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Entry {
    /// Title.
    pub(super) t: String,
    /// Page, relative to the site root.
    pub(super) u: String,
    /// Kind label.
    pub(super) k: String,
    /// The start of its text (or of its fields), for the result's snippet.
    pub(super) s: String,
}

#[derive(Debug, Serialize)]
struct Index<'a> {
    docs: Vec<&'a Entry>,
    /// Words left out of the index (and ignored in queries).
    stop: &'static [&'static str],
    /// Word → its documents: `<index delta in base 36><weight in base 36>` entries joined by
    /// `,`, in document order (weight: 12 in the title, 4 in headings and fields, plus the
    /// number of times in the text, at most 5).
    words: &'a BTreeMap<String, String>,
}

/// Characters of a result's snippet.
const SNIPPET: usize = 160;
const TITLE_WEIGHT: u8 = 12;
const FIELD_WEIGHT: u8 = 4;
const TEXT_MAX: u8 = 5;
/// The most a word weighs in one document.
pub(super) const MAX_WEIGHT: u8 = TITLE_WEIGHT + FIELD_WEIGHT + TEXT_MAX;

/// Words too common to find anything by.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "we", "with",
];

/// A fast hash for the word maps (the FxHash of the Rust compiler): the words are the
/// handbook's own, and every map is sorted before it is written, so the output does not
/// depend on it.
#[derive(Default, Clone, Copy)]
pub(super) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type WordMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

/// Words: runs of letters and digits, as written.
fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The iterator of [`words`]. It reads bytes: ASCII (most text) needs no decoding.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl Words<'_> {
    /// Whether the character at byte `at` is a letter or digit, and its length.
    #[inline]
    fn class(&self, at: usize) -> Option<(bool, usize)> {
        let b = *self.text.as_bytes().get(at)?;
        if b.is_ascii() {
            return Some((b.is_ascii_alphanumeric(), 1));
        }
        let c = self.text[at..].chars().next()?;
        Some((c.is_alphanumeric(), c.len_utf8()))
    }

    /// The end of the run of characters from `at` that are (`word`) or are not letters or
    /// digits.
    #[inline]
    fn run(&self, mut at: usize, word: bool) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            // ASCII bytes one by one, without decoding.
            while let Some(&b) = bytes.get(at) {
                if !b.is_ascii() || b.is_ascii_alphanumeric() != word {
                    break;
                }
                at += 1;
            }
            match self.class(at) {
                Some((w, n)) if w == word => at += n,
                _ => return at,
            }
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let start = self.run(self.at, false);
            if start == self.text.len() {
                self.at = start;
                return None;
            }
            let end = self.run(start, true);
            self.at = end;
            if end - start <= 160 {
                return Some(&self.text[start..end]);
            }
        }
    }
}

/// The words of one document, each with its weight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Weights {
    /// The lowercase words, each followed by a space (a word holds no space).
    words: String,
    /// The weight of each word, in the same order (at most 12 + 4 + 5).
    weights: Vec<u8>,
}

impl Weights {
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.words
            .split_terminator(' ')
            .zip(self.weights.iter().copied())
    }
}

/// Where a word was seen in one document: in the title, in a heading or field, how many times
/// in the text (`None` for a word left out).
type Seen = Option<(bool, bool, u8)>;

/// The weight of each word of one document, by its lowercase form; stop words left out.
pub(super) fn weights<'a>(title: &'a str, fields: &'a [String], text: &'a str) -> Weights {
    // Words already lowercase (most) are keys borrowed from the text, not copies.
    let mut seen: WordMap<Cow<'a, str>, Seen> =
        WordMap::with_capacity_and_hasher(128, Default::default());
    let mut add = |w: &'a str, f: &dyn Fn(&mut (bool, bool, u8))| {
        let key = if w.is_ascii() {
            if w.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(w.to_ascii_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        } else {
            Cow::Owned(w.chars().flat_map(char::to_lowercase).collect())
        };
        match seen.entry(key) {
            Slot::Occupied(mut e) => {
                if let Some(e) = e.get_mut() {
                    f(e);
                }
            }
            Slot::Vacant(v) => {
                let key = v.key();
                let short = key.len() <= 40 || key.chars().count() <= 40;
                let kept = short && !STOP.contains(&key.as_ref());
                let mut e = (false, false, 0);
                f(&mut e);
                v.insert(kept.then_some(e));
            }
        }
    };
    for w in words(title) {
        add(w, &|e| e.0 = true);
    }
    for field in fields {
        for w in words(field) {
            add(w, &|e| e.1 = true);
        }
    }
    for w in words(text) {
        add(w, &|e| e.2 = (e.2 + 1).min(TEXT_MAX));
    }
    let mut out = Weights::default();
    for (w, e) in seen {
        let Some((t, f, n)) = e else { continue };
        out.words.push_str(&w);
        out.words.push(' ');
        out.weights
            .push(u8::from(t) * TITLE_WEIGHT + u8::from(f) * FIELD_WEIGHT + n);
    }
    out
}

/// The first `max` characters of `text`, cut at a word, with `…` when cut.
fn start_of(text: &str, max: usize) -> String {
    // The byte where character `max` starts: the text is longer than `max` when there is one.
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let cut = &text[..end];
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// Field values worth finding a document by.
fn fields(hb: &Handbook, doc: &Doc) -> Vec<String> {
    let title = |r: &crate::model::Ref| hb.target(r).map_or_else(|| r.text(), |d| d.title.clone());
    let mut out: Vec<String> = doc.tags.clone();
    match &doc.data {
        Data::RoadmapItem(x) => {
            out.extend(x.status.iter().map(|s| s.value.clone()));
            out.extend(x.theme.iter().map(|s| s.value.clone()));
            out.extend(x.outcome.iter().map(|s| s.value.clone()));
            out.extend(x.owner.iter().map(title));
            out.extend(x.team.iter().map(title));
        }
        Data::Charter(c) => {
            out.extend(c.mission.iter().map(|s| s.value.clone()));
            out.extend(c.scope_in.iter().cloned());
        }
        Data::Process(p) => {
            out.extend(p.cadence.iter().map(|s| s.value.clone()));
            out.extend(p.owner.iter().map(title));
            out.extend(p.tools.iter().cloned());
        }
        Data::Person(p) => {
            out.extend(p.email.iter().map(|s| s.value.clone()));
            out.extend(p.roles.iter().map(title));
            out.extend(p.teams.iter().map(title));
        }
        Data::Role(r) => out.extend(r.responsibilities.iter().cloned()),
        Data::Team(t) => out.extend(t.lead.iter().map(title)),
        Data::Objective(o) => {
            out.extend(o.status.iter().map(|s| s.value.clone()));
            out.extend(o.owner.iter().map(title));
            out.extend(o.team.iter().map(title));
            for kr in &o.key_results {
                out.extend(kr.title.iter().map(|s| s.value.clone()));
            }
        }
        Data::Metric(m) => {
            out.extend(m.definition.iter().map(|s| s.value.clone()));
            out.extend(m.owner.iter().map(title));
        }
        Data::Launch(l) => {
            out.extend(l.status.iter().map(|s| s.value.clone()));
            out.extend(l.item.iter().map(title));
            out.extend(l.owner.iter().map(title));
        }
        Data::Page => {}
    }
    // Fields a handbook declares itself (custom kinds, extensions of built-in ones).
    let spec = hb.kinds.spec(doc.kind);
    for (name, v) in doc.fields.iter() {
        if spec.field(name).is_some_and(|f| f.builtin) {
            continue;
        }
        match &v.value {
            FieldValue::Ref(r) => out.push(title(r)),
            FieldValue::List(items) => out.extend(items.iter().map(|i| match &i.value {
                FieldValue::Ref(r) => title(r),
                other => other.display(),
            })),
            other => out.push(other.display()),
        }
    }
    out
}

/// One document's search entry and the weights of its words, made when its body is rendered
/// (so the work spreads over the parallel page rendering).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocWords {
    pub(super) entry: Entry,
    pub(super) words: Weights,
}

/// The search entry and word weights of document `i`, whose body's plain text is `text`.
pub(super) fn doc_words(site: &Site<'_, '_>, i: usize, text: &str) -> DocWords {
    let hb = site.hb;
    let doc = &hb.docs[i];
    let linker = super::href::Linker::for_page("search.html");
    let mut h: Vec<String> = doc
        .outline()
        .headings
        .iter()
        .filter(|x| x.level <= 3)
        .map(|x| x.text.clone())
        .collect();
    h.extend(fields(hb, doc));
    let words = weights(&doc.title, &h, text);
    let summary = if text.trim().is_empty() {
        Cow::Owned(h.join(" · "))
    } else {
        Cow::Borrowed(text)
    };
    DocWords {
        entry: Entry {
            t: doc.title.clone(),
            u: linker.href(&doc.url()),
            k: kind_label(site.cfg, doc.kind).to_string(),
            s: start_of(&summary, SNIPPET),
        },
        words,
    }
}

/// The files [`render`] makes.
pub const FILES: [&str; 3] = ["search-index.js", "search-index.json", "search.html"];

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let hb = site.hb;
    let order: Vec<usize> = (0..hb.docs.len())
        .filter(|&i| !hb.docs[i].id.is_empty())
        .collect();
    // A serve session's index of the last render, patched; a build's, made whole.
    let kept = site.partial.map(|p| p.search);
    let old = kept.map(|k| std::mem::take(&mut *lock(k)));
    let index = SearchIndex::update(site, &order, old.unwrap_or_default(), kept.is_some());
    let docs = index.entries();
    let count = docs.len();
    let json = serde_json::to_string(&Index {
        docs,
        stop: STOP,
        words: &index.words,
    })
    .unwrap_or_default();
    site.add_file(
        "search-index.js",
        format!("window.OPSBOOK_SEARCH = {json};\n").into_bytes(),
    )?;
    site.add_file("search-index.json", format!("{json}\n").into_bytes())?;
    // Kept once written: a render that fails before leaves none, and the next makes it whole.
    if let Some(k) = kept {
        *lock(k) = index;
    }
    let view = SearchView {
        index_href: "search-index.js".into(),
        script_href: "assets/search.js".into(),
        docs: count,
    };
    let page = site.generated("search.html", "search", "Search");
    site.page("search.html", "search.html", page, "search", view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let long = "x".repeat(161);
        for text in [
            "",
            "  Plain words, and 2026-Q4 targets!",
            "İstanbul naïve café Ωμέγα ΣΟΦΊΑ",
            "snake_case kebab-case e\u{301}t\u{e9} 👍emoji👍",
            &format!("short {long} kept"),
            "日本語のテキスト and ｆｕｌｌｗｉｄｔｈ",
        ] {
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && w.len() <= 160)
                .collect();
            assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text}");
        }
    }

    #[test]
    fn words_are_weighted_by_where_they_are() {
        let w = weights(
            "Prioritise the roadmap",
            &["Roadmap review".into()],
            "We prioritise, then prioritise again. Roadmap!",
        );
        let w: HashMap<&str, u8> = w.iter().collect();
        assert_eq!(w["prioritise"], TITLE_WEIGHT + 2);
        assert_eq!(w["roadmap"], TITLE_WEIGHT + FIELD_WEIGHT + 1);
        assert_eq!(w["review"], FIELD_WEIGHT);
        assert!(!w.contains_key("the") && !w.contains_key("we"));
        let base36 = |n| {
            let mut s = String::new();
            super::super::search_index::push_base36(&mut s, n);
            s
        };
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
        assert_eq!(base36(usize::MAX), "3w5e11264sgsf");
        assert_eq!(start_of("one two three", 8), "one two…");
        assert_eq!(start_of("short", 8), "short");
        assert_eq!(start_of("ééééé", 5), "ééééé");
        assert_eq!(start_of("ééééé", 4), "éééé…");
        assert_eq!(start_of("ab cdé fg", 6), "ab…");
    }
}
