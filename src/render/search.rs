//! Client-side search: an inverted index (`search-index.json`), the same index as a script that
//! sets a global (`search-index.js`, because `fetch()` of a file fails on `file://`), and the
//! page. The index holds each word once with the documents it is in (so it grows with the
//! vocabulary, not with the text); `assets/search.js` folds accents, stems English words
//! (`prioritise` and `prioritize` meet) and forgives one typo when it reads it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::error::Error;
use crate::model::{Data, Doc, FieldValue, Handbook};

use super::view::SearchView;
use super::{Site, kind_label};

/// One document in the index. Short keys keep the file small.
#[derive(Debug, Serialize)]
struct Entry {
    /// Title.
    t: String,
    /// Page, relative to the site root.
    u: String,
    /// Kind label.
    k: String,
    /// The start of its text (or of its fields), for the result's snippet.
    s: String,
}

#[derive(Debug, Serialize)]
struct Index {
    docs: Vec<Entry>,
    /// Words left out of the index (and ignored in queries).
    stop: &'static [&'static str],
    /// Word → its documents: `<index delta in base 36><weight in base 36>` entries joined by
    /// `,`, in document order (weight: 12 in the title, 4 in headings and fields, plus the
    /// number of times in the text, at most 5).
    words: BTreeMap<String, String>,
}

/// Characters of a result's snippet.
const SNIPPET: usize = 160;
const TITLE_WEIGHT: u32 = 12;
const FIELD_WEIGHT: u32 = 4;
const TEXT_MAX: u32 = 5;

/// Words too common to find anything by.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "we", "with",
];

/// Lowercase words: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() <= 40 && !STOP.contains(&w.as_str()))
}

/// The weight of each word of one document.
fn weights(title: &str, fields: &[String], text: &str) -> HashMap<String, u32> {
    // (in the title, in a heading or field, times in the text)
    let mut out: HashMap<String, (bool, bool, u32)> = HashMap::new();
    for w in words(title) {
        out.entry(w).or_default().0 = true;
    }
    for f in fields {
        for w in words(f) {
            out.entry(w).or_default().1 = true;
        }
    }
    for w in words(text) {
        let e = out.entry(w).or_default();
        e.2 = (e.2 + 1).min(TEXT_MAX);
    }
    out.into_iter()
        .map(|(w, (t, f, n))| {
            let weight = u32::from(t) * TITLE_WEIGHT + u32::from(f) * FIELD_WEIGHT + n;
            (w, weight)
        })
        .collect()
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The first `max` characters of `text`, cut at a word, with `…` when cut.
fn start_of(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
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

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let hb = site.hb;
    let linker = super::href::Linker::for_page("search.html");
    let mut docs = Vec::new();
    let mut postings: BTreeMap<String, Vec<(usize, u32)>> = BTreeMap::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        if doc.id.is_empty() {
            continue;
        }
        let mut h: Vec<String> = doc
            .outline()
            .headings
            .iter()
            .filter(|x| x.level <= 3)
            .map(|x| x.text.clone())
            .collect();
        h.extend(fields(hb, doc));
        let text = site.text_of(i);
        let n = docs.len();
        for (w, weight) in weights(&doc.title, &h, &text) {
            postings.entry(w).or_default().push((n, weight));
        }
        let summary = if text.trim().is_empty() {
            h.join(" · ")
        } else {
            text
        };
        docs.push(Entry {
            t: doc.title.clone(),
            u: linker.href(&doc.url()),
            k: kind_label(site.cfg, doc.kind).to_string(),
            s: start_of(&summary, SNIPPET),
        });
    }
    let words = postings
        .into_iter()
        .map(|(w, mut list)| {
            list.sort_unstable();
            let mut last = 0;
            let encoded: Vec<String> = list
                .iter()
                .map(|&(d, weight)| {
                    let delta = d - last;
                    last = d;
                    format!("{}{}", base36(delta), base36(weight as usize))
                })
                .collect();
            (w, encoded.join(","))
        })
        .collect();
    let count = docs.len();
    let json = serde_json::to_string(&Index {
        docs,
        stop: STOP,
        words,
    })
    .unwrap_or_default();
    site.add_file(
        "search-index.js",
        format!("window.OPSBOOK_SEARCH = {json};\n").into_bytes(),
    )?;
    site.add_file("search-index.json", format!("{json}\n").into_bytes())?;
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
    fn words_are_weighted_by_where_they_are() {
        let w = weights(
            "Prioritise the roadmap",
            &["Roadmap review".into()],
            "We prioritise, then prioritise again. Roadmap!",
        );
        assert_eq!(w["prioritise"], TITLE_WEIGHT + 2);
        assert_eq!(w["roadmap"], TITLE_WEIGHT + FIELD_WEIGHT + 1);
        assert_eq!(w["review"], FIELD_WEIGHT);
        assert!(!w.contains_key("the") && !w.contains_key("we"));
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
        assert_eq!(start_of("one two three", 8), "one two…");
        assert_eq!(start_of("short", 8), "short");
    }
}
