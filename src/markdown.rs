//! What the checker needs from a Markdown body: headings (with GitHub slugs), the other ids
//! the rendered body holds, and links, each with its file position. The site renderer uses the
//! same slug, footnote-id and link-destination rules.

use std::borrow::Cow;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Span;

pub mod shortcodes;
mod slugs;

pub use crate::config::{MarkdownOptions, SlugRule};
pub use slugs::{Slugger, slug, slug_by};

/// pulldown-cmark extensions opsbook enables everywhere. Heading attributes: a heading ending
/// in `{#id}` gets that id (the braces are not shown).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
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
    /// Ids of footnote definitions ([`footnote_id`]).
    pub footnotes: Vec<String>,
    /// `id` attributes (and `name` of `<a>`) in raw HTML: anchors of the page only when raw
    /// HTML is rendered (`markdown: {raw_html: true}`); otherwise the HTML is shown as text.
    pub html_ids: Vec<String>,
    /// Ids of inline `<a name="x">` / `<a id="x">` tags ([`anchor_tag`]): anchors of the page
    /// always, as the site renders them even when raw HTML is shown as text.
    pub tag_anchors: Vec<String>,
}

impl Outline {
    /// Whether a heading has the slug `slug`.
    pub fn has_heading(&self, slug: &str) -> bool {
        self.headings.iter().any(|h| h.slug == slug)
    }
    /// Whether the rendered body holds the id `id`: a heading, a footnote, or (when raw HTML
    /// is rendered) an id written in raw HTML.
    pub fn has_anchor(&self, id: &str, raw_html: bool) -> bool {
        self.has_heading(id)
            || self.footnotes.iter().any(|f| f == id)
            || self.tag_anchors.iter().any(|a| a == id)
            || (raw_html && self.html_ids.iter().any(|h| h == id))
    }
    /// The id of the rendered body that `id` names: itself, or (ignoring case) the one that
    /// differs from it in case only.
    pub fn anchor(&self, id: &str, raw_html: bool, ignore_case: bool) -> Option<&str> {
        let ids = self
            .headings
            .iter()
            .map(|h| h.slug.as_str())
            .chain(self.footnotes.iter().map(String::as_str))
            .chain(self.tag_anchors.iter().map(String::as_str))
            .chain(
                self.html_ids
                    .iter()
                    .map(String::as_str)
                    .filter(|_| raw_html),
            );
        let mut folded = None;
        for known in ids {
            if known == id {
                return Some(known);
            }
            if ignore_case && folded.is_none() && known.to_lowercase() == id.to_lowercase() {
                folded = Some(known);
            }
        }
        folded
    }
    pub fn first_h1(&self) -> Option<&str> {
        self.headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.as_str())
    }
}

/// The `{…}` a heading ends with, as written (`source` is the heading's source). When
/// pulldown-cmark read it as attributes without an id (`## Use {braces}`), it is text of the
/// heading, not attributes: only `{#id …}` is read as attributes.
pub fn braces_of(source: &str) -> Option<&str> {
    let line = source.lines().next()?.trim_end();
    let line = line.trim_end_matches('#').trim_end();
    if !line.ends_with('}') {
        return None;
    }
    line.rfind('{').map(|open| &line[open..])
}

/// The id of a footnote definition (a prefix keeps it apart from heading ids).
pub fn footnote_id(name: &str) -> String {
    format!("fn-{}", slug(name))
}

/// The destination of a link as a URL: an email autolink (`<ana@example.com>`) is a `mailto:`
/// link, whose destination pulldown-cmark gives without the scheme.
pub fn link_url<'a>(link_type: LinkType, dest: &'a str) -> Cow<'a, str> {
    if link_type == LinkType::Email && !dest.to_ascii_lowercase().starts_with("mailto:") {
        Cow::Owned(format!("mailto:{dest}"))
    } else {
        Cow::Borrowed(dest)
    }
}

/// The id an inline anchor tag sets: `<a name="x">`, `<a id="x">` or `<a name="x"/>`, with no
/// other attribute (GitHub READMEs mark places so). The site renders such a tag as an empty
/// anchor even when raw HTML is shown as text, so links to it work in `check` and on the site.
pub fn anchor_tag(html: &str) -> Option<String> {
    let inner = html.trim().strip_prefix("<a")?.strip_suffix('>')?;
    let mut rest = inner.strip_suffix('/').unwrap_or(inner);
    if !rest.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let (mut id, mut name) = (None, None);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (attr, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let quote = after.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let (value, tail) = after[1..].split_once(quote)?;
        if value.is_empty() || value.contains(['<', '>']) {
            return None;
        }
        match attr.trim() {
            a if a.eq_ignore_ascii_case("id") => id = Some(value),
            a if a.eq_ignore_ascii_case("name") => name = Some(value),
            _ => return None,
        }
        rest = tail;
    }
    id.or(name).map(str::to_string)
}

/// Collect the anchors raw HTML defines: every `id` attribute, and the `name` of `<a>`.
pub fn html_ids(html: &str, out: &mut Vec<String>) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let tag = &rest[..name_len];
        rest = &rest[name_len..];
        // Attributes up to the closing `>`.
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let end = rest
                .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
                .unwrap_or(rest.len())
                .max(1);
            let attr = &rest[..end];
            rest = rest[end..].trim_start();
            let value = match rest.strip_prefix('=') {
                Some(v) => {
                    let v = v.trim_start();
                    let (value, after) = match v.chars().next() {
                        Some(q @ ('"' | '\'')) => {
                            let inner = &v[1..];
                            match inner.find(q) {
                                Some(e) => (&inner[..e], &inner[e + 1..]),
                                None => (inner, ""),
                            }
                        }
                        _ => {
                            let e = v
                                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                                .unwrap_or(v.len());
                            (&v[..e], &v[e..])
                        }
                    };
                    rest = after;
                    Some(value)
                }
                None => None,
            };
            let named = attr.eq_ignore_ascii_case("id")
                || (attr.eq_ignore_ascii_case("name") && tag.eq_ignore_ascii_case("a"));
            if let Some(v) = value.filter(|v| named && !v.is_empty()) {
                out.push(v.to_string());
            }
        }
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

/// The heading being read by [`outline`].
struct Reading<'b> {
    level: u8,
    text: String,
    /// Where it starts in the body.
    start: usize,
    /// Its own id (`{#id}`).
    id: Option<String>,
    /// A `{…}` at its end that is text, not attributes.
    braces: Option<&'b str>,
}

/// Read the headings and links of `body`, which starts on file line `first_line`. Template
/// shortcodes are read as blanks ([`shortcodes::blank`]); heading ids follow `opts.slugs`
/// unless a heading gives its own (`{#id}`).
pub fn outline(body: &str, first_line: u32, opts: MarkdownOptions) -> Outline {
    let body = shortcodes::blank(body);
    let body = body.as_ref();
    let index = LineIndex::new(body, first_line);
    let mut out = Outline::default();
    let mut slugger = Slugger::new(opts.slugs);
    let mut heading: Option<Reading> = None;
    // An HTML block comes line by line: a tag may span lines.
    let mut html_block: Option<String> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let braces = id
                    .is_none()
                    .then(|| braces_of(&body[range.clone()]))
                    .flatten();
                let id = id.map(|i| i.to_string()).filter(|i| !i.is_empty());
                heading = Some(Reading {
                    level: level_number(level),
                    text: String::new(),
                    start: range.start,
                    id,
                    braces,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(Reading {
                    level,
                    mut text,
                    start,
                    id,
                    braces,
                }) = heading.take()
                {
                    if let Some(b) = braces.filter(|b| !text.trim_end().ends_with(b)) {
                        text = format!("{} {b}", text.trim_end());
                    }
                    let text = text.trim().to_string();
                    let slug = id.unwrap_or_else(|| slugger.unique(&text));
                    out.headings.push(Heading {
                        level,
                        text,
                        slug,
                        span: index.span(start),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                out.links.push(BodyLink {
                    url: link_url(link_type, &dest_url).into_owned(),
                    span: index.span(range.start),
                    image: false,
                });
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                out.links.push(BodyLink {
                    url: link_url(link_type, &dest_url).into_owned(),
                    span: index.span(range.start),
                    image: true,
                });
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.footnotes.push(footnote_id(&name));
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = html_block.take() {
                    html_ids(&block, &mut out.html_ids);
                }
            }
            Event::Html(h) => match html_block.as_mut() {
                Some(block) => block.push_str(&h),
                None => html_ids(&h, &mut out.html_ids),
            },
            Event::InlineHtml(h) => {
                html_ids(&h, &mut out.html_ids);
                out.tag_anchors.extend(anchor_tag(&h));
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
    fn heading_ids_shortcodes_and_slug_rules_in_the_outline() {
        let body = "# Title {#top}\n\n## Set up {#setup .wide}\n\n## Über uns\n\n## {{ page.title }} Notes\n\n\
                    See [x]({{ site.baseurl }}/a.md) and {% include x.html %}.\n";
        let o = outline(body, 1, MarkdownOptions::default());
        let slugs: Vec<&str> = o.headings.iter().map(|h| h.slug.as_str()).collect();
        assert_eq!(slugs, ["top", "setup", "über-uns", "notes"]);
        let braces = outline(
            "## Use {braces}\n\n## Set {x}: y {.c}\n",
            1,
            MarkdownOptions::default(),
        );
        let texts: Vec<&str> = braces.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["Use {braces}", "Set {x}: y {.c}"]);
        // kramdown's attribute list.
        let kramdown = outline("## Keep {: #kept}\n", 1, MarkdownOptions::default());
        assert_eq!(kramdown.headings[0].slug, "kept");
        assert_eq!(kramdown.headings[0].text, "Keep");
        assert_eq!(o.first_h1(), Some("Title"));
        assert_eq!(o.links.len(), 1);
        assert_eq!(o.links[0].url, "/a.md");
        assert_eq!(o.links[0].span, Span::new(9, 5));
        let kramdown = MarkdownOptions {
            slugs: SlugRule::Kramdown,
            ..MarkdownOptions::default()
        };
        assert_eq!(outline(body, 1, kramdown).headings[2].slug, "ber-uns");
        assert_eq!(o.anchor("SETUP", false, true), Some("setup"));
        assert_eq!(o.anchor("SETUP", false, false), None);
    }

    #[test]
    fn headings_and_links_with_file_positions() {
        let body = "# Title\n\nSee [triage](../processes/triage.md#steps) and `x`.\n\n## Steps `one`\n\n![logo](logo.png)\n";
        let o = outline(body, 5, MarkdownOptions::default());
        assert_eq!(o.first_h1(), Some("Title"));
        assert_eq!(o.headings[1].slug, "steps-one");
        assert_eq!(o.headings[1].span, Span::new(9, 1));
        assert_eq!(o.links[0].url, "../processes/triage.md#steps");
        assert_eq!(o.links[0].span, Span::new(7, 5));
        assert!(o.links[1].image);
        assert_eq!(o.links[1].span, Span::new(11, 1));
    }

    #[test]
    fn footnotes_raw_html_ids_and_email_autolinks() {
        let body = "Mail <ana@example.com>, see[^Big note].\n\n[^Big note]: Text.\n\n<div\n  class=\"x\" id=\"block\">\n<a name='top'></a>\n</div>\n\nInline <span id=inline>x</span> <b name=\"not-an-anchor\">y</b> <!-- <i id=\"commented\"> -->\n";
        let o = outline(body, 1, MarkdownOptions::default());
        assert_eq!(o.links[0].url, "mailto:ana@example.com");
        assert_eq!(o.footnotes, ["fn-big-note"]);
        assert_eq!(o.html_ids, ["block", "top", "inline"]);
        assert!(o.has_anchor("fn-big-note", false));
        assert!(!o.has_anchor("block", false));
        assert!(o.has_anchor("block", true));
        assert_eq!(
            link_url(LinkType::Inline, "guide.md"),
            Cow::Borrowed("guide.md")
        );
    }

    #[test]
    fn anchor_tags_are_read_strictly() {
        let id = |h: &str| anchor_tag(h);
        assert_eq!(id("<a name=\"opts\">").as_deref(), Some("opts"));
        assert_eq!(id("<a id='set'>").as_deref(), Some("set"));
        assert_eq!(id("<a name=\"x\" />").as_deref(), Some("x"));
        assert_eq!(
            id("<A NAME=\"x\">"),
            None,
            "the tag name as GitHub writes it"
        );
        assert_eq!(id("<a name=\"a\" id=\"b\">").as_deref(), Some("b"));
        for other in [
            "<a href=\"x\">",
            "<a name=\"x\" href=\"y\">",
            "<a name=x>",
            "<a name=\"\">",
            "<abbr id=\"x\">",
            "<a name=\"x",
            "<a name=\"<x>\">",
            "</a>",
        ] {
            assert_eq!(id(other), None, "{other}");
        }
        let o = outline(
            "## <a name=\"opts\"></a> Options\n\nSee [the options](#opts).\n",
            1,
            crate::config::MarkdownOptions::default(),
        );
        assert_eq!(o.tag_anchors, ["opts"]);
        assert!(o.has_anchor("opts", false));
    }

    #[test]
    fn html_ids_survive_broken_markup() {
        let mut ids = Vec::new();
        for html in [
            "<",
            "<a",
            "<a id",
            "<a id=",
            "<a id=\"x",
            "<1 id=y>",
            "<a =z id=w>",
            "<!-- x",
        ] {
            html_ids(html, &mut ids);
        }
        assert_eq!(ids, ["x", "w"]);
    }

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("äb\ncd", 1);
        assert_eq!(idx.span(2), Span::new(1, 2));
        assert_eq!(idx.span(4), Span::new(2, 1));
    }
}
