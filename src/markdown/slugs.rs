//! Heading anchors by the slug rules of GitHub and other generators, made unique the way each
//! of them does.

use std::collections::HashMap;

use super::SlugRule;

/// The slug of a heading by `rule` (see [`SlugRule`]).
pub fn slug_by(rule: SlugRule, text: &str) -> String {
    match rule {
        SlugRule::Github => slug(text),
        SlugRule::Kramdown => {
            let ascii: String = text
                .chars()
                .skip_while(|c| !c.is_ascii_alphabetic())
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
                .map(|c| {
                    if c == ' ' {
                        '-'
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            if ascii.is_empty() {
                "section".into()
            } else {
                ascii
            }
        }
        SlugRule::Mkdocs => {
            let kept: String = text
                .chars()
                .filter_map(fold_to_ascii)
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '\t'))
                .collect::<String>()
                .trim()
                .to_lowercase();
            let mut out = String::with_capacity(kept.len());
            for c in kept.chars() {
                if c == '-' || c.is_whitespace() {
                    if !out.ends_with('-') {
                        out.push('-');
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        SlugRule::Blackfriday => {
            let mut out = String::new();
            let mut dash = false;
            for c in text.chars() {
                if c.is_alphanumeric() {
                    if dash && !out.is_empty() {
                        out.push('-');
                    }
                    dash = false;
                    out.extend(c.to_lowercase());
                } else {
                    dash = true;
                }
            }
            out
        }
    }
}

/// A Latin letter with an accent as its ASCII letter (as Unicode decomposition does); other
/// ASCII as it is; anything else dropped.
fn fold_to_ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    const FOLDS: &[(&str, char)] = &[
        ("àáâãäåāăą", 'a'),
        ("ÀÁÂÃÄÅĀĂĄ", 'A'),
        ("çćĉċč", 'c'),
        ("ÇĆĈĊČ", 'C'),
        ("ďđ", 'd'),
        ("ĎĐ", 'D'),
        ("èéêëēĕėęě", 'e'),
        ("ÈÉÊËĒĔĖĘĚ", 'E'),
        ("ĝğġģ", 'g'),
        ("ĜĞĠĢ", 'G'),
        ("ĥ", 'h'),
        ("Ĥ", 'H'),
        ("ìíîïĩīĭįı", 'i'),
        ("ÌÍÎÏĨĪĬĮİ", 'I'),
        ("ĵ", 'j'),
        ("Ĵ", 'J'),
        ("ķ", 'k'),
        ("Ķ", 'K'),
        ("ĺļľŀł", 'l'),
        ("ĹĻĽĿŁ", 'L'),
        ("ñńņňŉ", 'n'),
        ("ÑŃŅŇ", 'N'),
        ("òóôõöōŏő", 'o'),
        ("ÒÓÔÕÖŌŎŐ", 'O'),
        ("ŕŗř", 'r'),
        ("ŔŖŘ", 'R'),
        ("śŝşš", 's'),
        ("ŚŜŞŠ", 'S'),
        ("ţťŧ", 't'),
        ("ŢŤŦ", 'T'),
        ("ùúûüũūŭůűų", 'u'),
        ("ÙÚÛÜŨŪŬŮŰŲ", 'U'),
        ("ŵ", 'w'),
        ("Ŵ", 'W'),
        ("ýÿŷ", 'y'),
        ("ÝŸŶ", 'Y'),
        ("źżž", 'z'),
        ("ŹŻŽ", 'Z'),
    ];
    FOLDS
        .iter()
        .find(|(from, _)| from.contains(c))
        .map(|(_, to)| *to)
}

/// GitHub's heading slug: lowercase, drop punctuation except `-` and `_`, spaces become `-`.
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c == ' ' {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// Makes slugs unique the way the slug rule's generator does: the second `Steps` becomes
/// `steps-1` (`steps_1` by MkDocs' rule).
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
    rule: SlugRule,
}

impl Slugger {
    pub fn new(rule: SlugRule) -> Slugger {
        Slugger {
            seen: HashMap::new(),
            rule,
        }
    }

    pub fn unique(&mut self, text: &str) -> String {
        let base = slug_by(self.rule, text);
        let sep = if self.rule == SlugRule::Mkdocs {
            '_'
        } else {
            '-'
        };
        let n = self.seen.entry(base.clone()).or_insert(0);
        // Python-Markdown gives no heading an empty id.
        let empty = base.is_empty() && self.rule == SlugRule::Mkdocs;
        let out = if *n == 0 && !empty {
            base.clone()
        } else if *n == 0 {
            *n += 1;
            format!("{base}{sep}1")
        } else {
            format!("{base}{sep}{n}")
        };
        *n += 1;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(slug("How we prioritise (RICE)"), "how-we-prioritise-rice");
        assert_eq!(slug("Q&A: what's next?"), "qa-whats-next");
        assert_eq!(slug("snake_case and-dash"), "snake_case-and-dash");
        assert_eq!(slug("Über Größe"), "über-größe");
        let mut s = Slugger::default();
        assert_eq!(s.unique("Steps"), "steps");
        assert_eq!(s.unique("Steps"), "steps-1");
    }

    #[test]
    fn slug_rules_of_other_generators() {
        let cases = [
            (
                "How we prioritise (RICE)",
                [
                    "how-we-prioritise-rice",
                    "how-we-prioritise-rice",
                    "how-we-prioritise-rice",
                    "how-we-prioritise-rice",
                ],
            ),
            (
                "1. Über   Größe_x",
                [
                    "1-über---größe_x",
                    "ber---grex",
                    "1-uber-groe_x",
                    "1-über-größe-x",
                ],
            ),
            (
                "Q&A: what's next?",
                [
                    "qa-whats-next",
                    "qa-whats-next",
                    "qa-whats-next",
                    "q-a-what-s-next",
                ],
            ),
            ("--- 42 ---", ["----42----", "section", "-42-", "42"]),
        ];
        for (text, want) in cases {
            for (rule, w) in SlugRule::NAMES.iter().zip(want) {
                assert_eq!(
                    slug_by(SlugRule::parse(rule).unwrap(), text),
                    w,
                    "{rule}: {text}"
                );
            }
        }
        let mut s = Slugger::new(SlugRule::Mkdocs);
        assert_eq!(
            (s.unique("Steps"), s.unique("Steps")),
            ("steps".into(), "steps_1".into())
        );
        assert_eq!(s.unique("!!"), "_1");
        let mut s = Slugger::new(SlugRule::Kramdown);
        assert_eq!(
            (s.unique("Steps"), s.unique("Steps")),
            ("steps".into(), "steps-1".into())
        );
    }
}
