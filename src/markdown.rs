//! What the checker needs from a Markdown body: headings (with GitHub slugs) and links, each
//! with its file position. The site renderer uses the same slug rule.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Span;

/// pulldown-cmark extensions opsbook enables everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// Unique slug (GitHub rules, `-1`, `-2`… for repeats).
    pub slug: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub url: String,
    pub span: Span,
    pub image: bool,
}

/// Headings and links of a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<BodyLink>,
}

impl Outline {
    pub fn has_anchor(&self, slug: &str) -> bool {
        self.headings.iter().any(|h| h.slug == slug)
    }
    pub fn first_h1(&self) -> Option<&str> {
        self.headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.as_str())
    }
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

/// Makes slugs unique the way GitHub does: the second `Steps` becomes `steps-1`.
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub fn unique(&mut self, text: &str) -> String {
        let base = slug(text);
        let n = self.seen.entry(base.clone()).or_insert(0);
        let out = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        out
    }
}

/// Byte offset → (line, column) in a body that starts on file line `first_line`.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: u32,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            first_line,
        }
    }
    pub fn span(&self, offset: usize) -> Span {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        Span::new(self.first_line + line as u32, col as u32 + 1)
    }
}

/// Read the headings and links of `body`, which starts on file line `first_line`.
pub fn outline(body: &str, first_line: u32) -> Outline {
    let index = LineIndex::new(body, first_line);
    let mut out = Outline::default();
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, String, usize)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), String::new(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, start)) = heading.take() {
                    let text = text.trim().to_string();
                    let slug = slugger.unique(&text);
                    out.headings.push(Heading {
                        level,
                        text,
                        slug,
                        span: index.span(start),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text, _)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.links.push(BodyLink {
                    url: dest_url.to_string(),
                    span: index.span(range.start),
                    image: false,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.links.push(BodyLink {
                    url: dest_url.to_string(),
                    span: index.span(range.start),
                    image: true,
                });
            }
            _ => {}
        }
    }
    out
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
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
    fn headings_and_links_with_file_positions() {
        let body = "# Title\n\nSee [triage](../processes/triage.md#steps) and `x`.\n\n## Steps `one`\n\n![logo](logo.png)\n";
        let o = outline(body, 5);
        assert_eq!(o.first_h1(), Some("Title"));
        assert_eq!(o.headings[1].slug, "steps-one");
        assert_eq!(o.headings[1].span, Span::new(9, 1));
        assert_eq!(o.links[0].url, "../processes/triage.md#steps");
        assert_eq!(o.links[0].span, Span::new(7, 5));
        assert!(o.links[1].image);
        assert_eq!(o.links[1].span, Span::new(11, 1));
    }

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("äb\ncd", 1);
        assert_eq!(idx.span(2), Span::new(1, 2));
        assert_eq!(idx.span(4), Span::new(2, 1));
    }
}
