//! The words of the search index (see [`search`](super::search)): made from every document's
//! words, or, in a serve session, kept from one render to the next and patched with the words
//! of the documents whose pages a render made again (an edit changes a few words of one
//! document; the index holds every word of the handbook).
//!
//! A patched index is the index made whole from the same documents, byte for byte: the
//! documents are numbered in the same order, and a word's list is written from its entries
//! sorted by document as a whole index writes it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;

use super::search::{DocWords, Entry, WordMap};
use super::{Site, lock};

/// The search index of the last render, as a serve session keeps it for the next.
pub type KeptSearch = Mutex<SearchIndex>;

/// The documents of the search index and its words.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// The documents in the index's order: page, and search entry and words (the words are
    /// left out of an index that is not kept).
    docs: Vec<(String, DocWords)>,
    /// Word → the documents it is in, as written in the index: `<document number delta in
    /// base 36><weight in base 36>` entries joined by `,`, by document number.
    pub words: BTreeMap<String, String>,
}

/// A weight is one base-36 digit: the last of each entry.
const _: () = assert!(super::search::MAX_WEIGHT < 36);

/// At most this share of the documents made again is patched in; more is made whole.
const PATCH_AT_MOST: usize = 4;

impl SearchIndex {
    /// The index of the documents `order` (indexes into the handbook, in path order): `old`
    /// patched with the words of the documents whose pages this render made, when it holds
    /// the same documents in the same order and few were made; else made whole, with the
    /// words of the pages left out taken from `old`. `keep`: the index is kept for the next
    /// render (else the documents' words are dropped once counted).
    pub(super) fn update(
        site: &Site<'_, '_>,
        order: &[usize],
        old: SearchIndex,
        keep: bool,
    ) -> Self {
        let skipped = lock(&site.skipped).clone();
        let same = old.docs.len() == order.len()
            && old
                .docs
                .iter()
                .zip(order)
                .all(|((url, _), &i)| url == site.url(i));
        let made: Vec<(usize, usize)> = order
            .iter()
            .enumerate()
            .filter(|(_, i)| !skipped.contains(i))
            .map(|(n, &i)| (n, i))
            .collect();
        if keep && same && made.len() * PATCH_AT_MOST <= order.len() {
            let mut index = old;
            for (n, i) in made {
                let words = site.fresh_words(i);
                if words != index.docs[n].1 {
                    index.patch(n, words);
                }
            }
            return index;
        }
        let mut by_url: HashMap<String, DocWords> = old.docs.into_iter().collect();
        let docs: Vec<(String, Option<DocWords>)> = order
            .iter()
            .map(|&i| {
                let url = site.url(i).to_string();
                let kept = skipped.contains(&i).then(|| by_url.remove(&url)).flatten();
                (url, kept)
            })
            .collect();
        drop(by_url);
        let docs: Vec<(String, DocWords)> = docs
            .into_par_iter()
            .zip(order.par_iter())
            .map(|((url, kept), &i)| (url, kept.unwrap_or_else(|| site.fresh_words(i))))
            .collect();
        SearchIndex::whole(docs, keep)
    }

    /// The index of `docs`, made whole.
    fn whole(mut docs: Vec<(String, DocWords)>, keep: bool) -> SearchIndex {
        // Each document's words go as they are taken in; each word is copied once.
        let mut postings: WordMap<String, Vec<(usize, u8)>> = WordMap::default();
        for (n, (_, d)) in docs.iter_mut().enumerate() {
            for (w, weight) in d.words.iter() {
                match postings.get_mut(w) {
                    Some(list) => list.push((n, weight)),
                    None => {
                        postings.insert(w.to_string(), vec![(n, weight)]);
                    }
                }
            }
            if !keep {
                d.words = Default::default();
            }
        }
        let words: Vec<(String, String)> = postings
            .into_par_iter()
            .map(|(w, mut list)| {
                list.sort_unstable();
                (w, encode(&list))
            })
            .collect();
        SearchIndex {
            docs,
            words: words.into_iter().collect(),
        }
    }

    /// Document number `n` has the words `new` now.
    fn patch(&mut self, n: usize, new: DocWords) {
        let SearchIndex { docs, words } = self;
        let old: HashMap<&str, u8> = docs[n].1.words.iter().collect();
        let now: HashMap<&str, u8> = new.words.iter().collect();
        let mut changed: Vec<(&str, Option<u8>)> = old
            .iter()
            .filter(|(w, weight)| now.get(*w) != Some(weight))
            .map(|(w, _)| (*w, now.get(w).copied()))
            .collect();
        changed.extend(
            now.iter()
                .filter(|(w, _)| !old.contains_key(*w))
                .map(|(w, weight)| (*w, Some(*weight))),
        );
        for (w, weight) in changed {
            let mut list = words.get(w).map_or_else(Vec::new, |e| decode(e));
            match (list.binary_search_by_key(&n, |e| e.0), weight) {
                (Ok(at), Some(weight)) => list[at].1 = weight,
                (Ok(at), None) => {
                    list.remove(at);
                }
                (Err(at), Some(weight)) => list.insert(at, (n, weight)),
                (Err(_), None) => {}
            }
            if list.is_empty() {
                words.remove(w);
            } else {
                words.insert(w.to_string(), encode(&list));
            }
        }
        docs[n].1 = new;
    }

    /// The documents' search entries, in the index's order.
    pub(super) fn entries(&self) -> Vec<&Entry> {
        self.docs.iter().map(|(_, d)| &d.entry).collect()
    }
}

impl Site<'_, '_> {
    /// The search entry and words of document `i` as this render has it: those its body gave
    /// when its page was made, else made now.
    fn fresh_words(&self, i: usize) -> DocWords {
        let words = lock(&self.words).remove(&i);
        words.unwrap_or_else(|| super::search::doc_words(self, i, &self.text_of(i)))
    }
}

/// A word's entries (document number, weight), sorted by document number, as the index
/// writes them.
fn encode(list: &[(usize, u8)]) -> String {
    let mut encoded = String::with_capacity(list.len() * 4);
    let mut last = 0;
    for (k, &(d, weight)) in list.iter().enumerate() {
        if k > 0 {
            encoded.push(',');
        }
        push_base36(&mut encoded, d - last);
        push_base36(&mut encoded, usize::from(weight));
        last = d;
    }
    encoded
}

/// The entries [`encode`] wrote.
fn decode(encoded: &str) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    let mut at = 0;
    for entry in encoded.split(',') {
        let (delta, weight) = entry.split_at(entry.len().saturating_sub(1));
        at += usize::from_str_radix(delta, 36).unwrap_or(0);
        let weight = u8::from_str_radix(weight, 36).unwrap_or(0);
        out.push((at, weight));
    }
    out
}

/// `n` in base 36, appended to `out`.
pub(super) fn push_base36(out: &mut String, n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 16];
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = DIGITS[n % 36];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&b| b as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_back_as_written() {
        for list in [
            vec![(0, 12)],
            vec![(0, 0), (1, 21), (35, 5), (36, 4), (1300, 16), (50_000, 1)],
            vec![(7, 3), (8, 3)],
        ] {
            let encoded = encode(&list);
            assert_eq!(decode(&encoded), list, "{encoded}");
        }
        assert_eq!(encode(&[(1, 12), (37, 4)]), "1c,104");
    }

    fn doc(page: &str, title: &str, text: &str) -> (String, DocWords) {
        let entry = Entry {
            t: title.into(),
            u: page.into(),
            k: "Page".into(),
            s: text.into(),
        };
        let words = super::super::search::weights(title, &[], text);
        (page.to_string(), DocWords { entry, words })
    }

    #[test]
    fn a_patched_index_is_the_index_made_whole() {
        let pages = ["a.html", "b.html", "c.html", "d.html"];
        let start = [
            ("Alpha plan", "alpha beta gamma"),
            ("Beta", "beta delta only-here"),
            ("Gamma", "gamma gamma epsilon"),
            ("Delta", "delta"),
        ];
        // Each step: the document number edited and its new title and text.
        let steps = [
            // A word only it had goes, a new one comes, a count and a title change.
            (1, "Beta renamed", "delta delta zeta"),
            // The first document, every word of it gone.
            (0, "Omega", "omega"),
            // The last one, then back as it was.
            (3, "Delta", "alpha beta gamma delta epsilon zeta"),
            (3, "Delta", "delta"),
            (1, "Beta", "beta delta only-here"),
        ];
        let mut now: Vec<(String, DocWords)> = pages
            .iter()
            .zip(start)
            .map(|(p, (t, x))| doc(p, t, x))
            .collect();
        let mut index = SearchIndex::whole(now.clone(), true);
        for (n, title, text) in steps {
            now[n] = doc(pages[n], title, text);
            index.patch(n, now[n].1.clone());
            let whole = SearchIndex::whole(now.clone(), true);
            assert_eq!(index.words, whole.words, "after editing {n} to {text:?}");
            assert_eq!(index.entries(), whole.entries());
        }
        // Words every document lost are gone from the index.
        assert!(index.words.contains_key("omega") && index.words.contains_key("only"));
        assert!(!index.words.contains_key("alpha") && !index.words.contains_key("zeta"));
    }
}
