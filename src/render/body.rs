//! A document's Markdown body as safe HTML: heading ids by the checker's slug rule, links
//! rewritten where the link model says they lead (`.md` → `.html`, `kind:id` → the page), raw
//! HTML escaped unless allowed; a link that leads nowhere on the site, or to an unsafe URL, is
//! dropped (its text stays).

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::markdown::{self, Slugger};
use crate::model::Doc;
use crate::model::links::{Dest, Links};

use super::href::{Linker, is_safe_external};
use super::view::{Body, TocEntry};

/// How many characters of a body go into the search index.
const SEARCH_TEXT: usize = 1200;

/// What rendering a body needs besides the document.
pub struct BodyContext<'a> {
    pub links: &'a Links<'a>,
    pub linker: &'a Linker,
}

/// A rendered body, plus what the rest of the build needs from it.
pub struct Rendered {
    pub body: Body,
    /// Plain text for the search index (truncated).
    pub text: String,
    /// Root-relative paths of local files the body links to (images, PDFs…): copied as they are.
    pub assets: BTreeSet<String>,
}

/// Render the body of `doc`.
pub fn render(doc: &Doc, cx: &BodyContext) -> Rendered {
    let mut state = State {
        cx,
        doc,
        slugger: Slugger::default(),
        heading: 0,
        dropped: Vec::new(),
        in_heading: None,
        toc: Vec::new(),
        title_id: None,
        skip_title: false,
        text: String::new(),
        assets: BTreeSet::new(),
        braces: None,
        open_anchors: 0,
    };
    // Template shortcodes as the site shows them (the outline read them as blanks).
    let body = markdown::shortcodes::for_site(doc.body(), doc.markdown.shortcodes);
    let parser = Parser::new_ext(&body, markdown::options());
    let mut events: Vec<Event> = Vec::new();
    let mut first = true;
    for (event, range) in parser.into_offset_iter() {
        let is_first = std::mem::take(&mut first);
        // A heading's `{…}` without an id is text of the heading (the outline reads it so).
        if let Event::Start(Tag::Heading { id: None, .. }) = &event {
            state.braces = markdown::braces_of(&body[range]).map(str::to_string);
        }
        state.event(event, is_first, &mut events);
    }
    let mut html = String::with_capacity(doc.body().len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        body: Body {
            html,
            toc: state.toc,
            title_id: state.title_id,
        },
        text: state.text.trim().to_string(),
        assets: state.assets,
    }
}

struct State<'a, 'c> {
    cx: &'c BodyContext<'a>,
    doc: &'c Doc,
    slugger: Slugger,
    /// Index of the next heading, to take its slug from the document's outline.
    heading: usize,
    /// One entry per open link or image: whether its tags were dropped.
    dropped: Vec<bool>,
    /// The heading being read: (level, text, id).
    in_heading: Option<(u8, String, String)>,
    toc: Vec<TocEntry>,
    title_id: Option<String>,
    /// Inside the leading `# Title`, which the page title replaces.
    skip_title: bool,
    text: String,
    assets: BTreeSet<String>,
    /// The `{…}` the heading being read ends with, when it is text, not attributes.
    braces: Option<String>,
    /// Anchor tags (`<a name="x">`) rendered whose `</a>` is still to come.
    open_anchors: usize,
}

impl<'a> State<'a, '_> {
    fn event(&mut self, event: Event<'a>, first: bool, out: &mut Vec<Event<'a>>) {
        if self.skip_title {
            if let Event::End(TagEnd::Heading(_)) = event {
                self.skip_title = false;
                self.braces = None;
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = self.heading_id();
                let n = level as u8;
                if first && n == 1 {
                    self.title_id = Some(id);
                    self.skip_title = true;
                    return;
                }
                self.push_text(" ");
                self.in_heading = Some((n, String::new(), id.clone()));
                // Attributes written after the heading (`{#id .class key=value}`): the id is
                // the outline's, classes are kept, other attributes only with raw HTML.
                let (classes, attrs) = if self.braces.is_some() {
                    (Vec::new(), Vec::new())
                } else if self.cx.links.raw_html {
                    (classes, attrs)
                } else {
                    (classes, Vec::new())
                };
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                let written = self.in_heading.as_ref().map(|(_, t, _)| t.trim_end());
                if let Some(b) = self
                    .braces
                    .take()
                    .filter(|b| written.is_some_and(|t| !t.ends_with(b.as_str())))
                {
                    let b = format!(" {b}");
                    self.push_text(&b);
                    out.push(Event::Text(b.into()));
                }
                if let Some((n, text, id)) = self.in_heading.take()
                    && (2..=3).contains(&n)
                {
                    self.toc.push(TocEntry {
                        level: n,
                        text: text.trim().to_string(),
                        id,
                    });
                }
                self.push_text(" ");
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(t) => {
                self.push_text(&t);
                out.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.push_text(&t);
                out.push(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_text(" ");
                out.push(event);
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) => {
                self.push_text(" ");
                out.push(event);
            }
            // An anchor tag (`<a name="opts">`) is an empty anchor, its `</a>` left out.
            Event::InlineHtml(h)
                if !self.cx.links.raw_html && markdown::anchor_tag(&h).is_some() =>
            {
                let id = markdown::anchor_tag(&h).unwrap_or_default();
                if !h.trim_end().ends_with("/>") {
                    self.open_anchors += 1;
                }
                let tag = format!("<a id=\"{}\"></a>", super::escape_html(&id));
                out.push(Event::InlineHtml(tag.into()));
            }
            Event::InlineHtml(h)
                if !self.cx.links.raw_html
                    && self.open_anchors > 0
                    && h.trim().eq_ignore_ascii_case("</a>") =>
            {
                self.open_anchors -= 1;
            }
            Event::Html(h) | Event::InlineHtml(h) if !self.cx.links.raw_html => {
                out.push(Event::Text(h));
            }
            Event::Start(Tag::HtmlBlock) if !self.cx.links.raw_html => {
                out.push(Event::Html("<pre class=\"raw-html\"><code>".into()));
            }
            Event::End(TagEnd::HtmlBlock) if !self.cx.links.raw_html => {
                out.push(Event::Html("</code></pre>\n".into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.rewrite(link_type, dest_url);
                self.open(
                    dest.map(|dest_url| Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }),
                    out,
                );
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.rewrite(link_type, dest_url);
                self.open(
                    dest.map(|dest_url| Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }),
                    out,
                );
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if !self.dropped.pop().unwrap_or(false) {
                    out.push(Event::End(end));
                }
            }
            Event::Start(Tag::Table(a)) => {
                out.push(Event::Html(
                    "<div class=\"table-wrap\" tabindex=\"0\">".into(),
                ));
                out.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>\n".into()));
            }
            Event::FootnoteReference(name) => {
                out.push(Event::FootnoteReference(footnote_id(&name)));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.push(Event::Start(Tag::FootnoteDefinition(footnote_id(&name))));
            }
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked", "done")
                } else {
                    ("", "not done")
                };
                out.push(Event::Html(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            other => out.push(other),
        }
    }

    /// Open a link or image, or drop it (its text stays) when its URL may not be emitted.
    fn open(&mut self, tag: Option<Tag<'a>>, out: &mut Vec<Event<'a>>) {
        self.dropped.push(tag.is_none());
        if let Some(t) = tag {
            out.push(Event::Start(t));
        }
    }

    fn push_text(&mut self, t: &str) {
        if let Some((_, text, _)) = self.in_heading.as_mut() {
            text.push_str(t);
        }
        if self.text.len() < SEARCH_TEXT {
            if t == " " && self.text.ends_with(' ') {
                return;
            }
            self.text.push_str(t);
        }
    }

    /// The id of the next heading: the checker's slug for it, so `#anchors` match.
    fn heading_id(&mut self) -> String {
        let i = self.heading;
        self.heading += 1;
        match self.doc.outline().headings.get(i) {
            Some(h) => h.slug.clone(),
            // A document without an outline (unreadable frontmatter): number the headings.
            None => self.slugger.unique(&format!("section {i}")),
        }
    }

    /// The URL a link or image gets in the site, or `None` to drop it.
    fn rewrite(&mut self, link_type: LinkType, dest: CowStr<'a>) -> Option<CowStr<'a>> {
        let cx = self.cx;
        let url = markdown::link_url(link_type, &dest);
        let to = cx.links.resolve(&url, self.doc).ok()?;
        let path = match to.dest {
            Dest::External => return is_safe_external(&url).then_some(dest),
            // The page's own id, when the link's differs from it in case only.
            Dest::SameDoc => match to.anchor {
                Some(a) if !url.ends_with(&format!("#{a}")) => {
                    return Some(format!("#{}", super::href::encode_path(&a)).into());
                }
                _ => return Some(dest),
            },
            Dest::Asset(path) => {
                self.assets.insert(path.clone());
                path
            }
            other => other.site_path()?,
        };
        Some(cx.linker.href_to(&path, to.anchor.as_deref()).into())
    }
}

/// A footnote's id, by the rule the checker's outline uses.
fn footnote_id(name: &str) -> CowStr<'static> {
    markdown::footnote_id(name).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::PathBuf;

    fn html(body: &str, raw_html: bool) -> Rendered {
        html_with(body, raw_html, crate::config::MarkdownOptions::default())
    }

    fn html_with(body: &str, raw_html: bool, md: crate::config::MarkdownOptions) -> Rendered {
        let mut cfg = Config::defaults(PathBuf::from("/nonexistent"));
        cfg.markdown = md;
        let mut diags = Vec::new();
        let page =
            crate::model::read_markdown("guides/a.md", &body.to_string().into(), &cfg, &mut diags);
        let other = crate::model::read_markdown(
            "roadmap/sso.md",
            &"---\ntitle: SSO\nstatus: later\n---\n# SSO\n"
                .to_string()
                .into(),
            &cfg,
            &mut diags,
        );
        let hb = crate::model::Handbook::new(vec![page, other], crate::kinds::Kinds::builtin());
        let linker = Linker::for_page("guides/a.html");
        let cfg = Config { raw_html, ..cfg };
        let links = Links::new(&hb, &cfg);
        let cx = BodyContext {
            links: &links,
            linker: &linker,
        };
        render(hb.by_path("guides/a.md").unwrap(), &cx)
    }

    #[test]
    fn leading_title_is_replaced_and_headings_get_slugs() {
        let r = html(
            "# Guide\n\n## Steps\n\n## Steps\n\n### Q&A: what's next?\n",
            false,
        );
        assert_eq!(r.body.title_id.as_deref(), Some("guide"));
        assert!(!r.body.html.contains("<h1"));
        assert!(r.body.html.contains("<h2 id=\"steps\">Steps</h2>"));
        assert!(r.body.html.contains("<h2 id=\"steps-1\">"));
        assert!(r.body.html.contains("<h3 id=\"qa-whats-next\">"));
        assert_eq!(r.body.toc.len(), 3);
    }

    #[test]
    fn links_are_rewritten() {
        let r = html(
            "# A\n\n## X\n\n[a](../roadmap/sso.md#sso) [b](roadmap-item:sso) [c](other.md) [d](#x) [e](https://x.io) [f](../roadmap/) <ana@example.com> [g](#nope) [h](../roadmap/sso.md#nope)\n",
            false,
        );
        let h = &r.body.html;
        assert!(h.contains("href=\"../roadmap/sso.html#sso\""), "{h}");
        assert!(h.contains("href=\"../roadmap/sso.html\">b"), "{h}");
        assert!(h.contains("href=\"#x\""), "{h}");
        assert!(h.contains("href=\"mailto:ana@example.com\""), "{h}");
        // Links that lead nowhere on the site keep their text and lose their tag.
        assert!(h.contains(" c "), "{h}");
        assert!(h.contains(" g h"), "{h}");
        assert!(!h.contains("other.html") && !h.contains("nope"), "{h}");
        assert!(h.contains("href=\"https://x.io\""), "{h}");
        assert!(h.contains("href=\"../roadmap/index.html\""), "{h}");
    }

    #[test]
    fn anchor_tags_are_empty_anchors_even_with_raw_html_shown_as_text() {
        let r = html(
            "# A\n\n## <a name=\"opts\"></a> Options\n\nSee [the options](#opts) and \
             <a id=\"x&quot;\" /> <a name=\"in\">inside</a> <b>bold</b>.\n",
            false,
        );
        let h = &r.body.html;
        assert!(h.contains("<a id=\"opts\"></a> Options</h2>"), "{h}");
        assert!(h.contains("href=\"#opts\""), "the link is kept: {h}");
        assert!(h.contains("<a id=\"x&amp;quot;\"></a>"), "{h}");
        assert!(h.contains("<a id=\"in\"></a>inside "), "{h}");
        assert!(!h.contains("&lt;/a&gt;") && !h.contains("&lt;a "), "{h}");
        assert!(
            h.contains("&lt;b&gt;bold&lt;/b&gt;"),
            "other HTML stays text: {h}"
        );
    }

    #[test]
    fn unsafe_urls_and_raw_html_never_pass() {
        let r = html(
            "[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) <javascript:alert(2)> ![i](data:text/html,x)\n\n<script>alert(3)</script>\n\nInline <b onclick=\"x()\">bold</b>\n",
            false,
        );
        let h = &r.body.html;
        assert!(!h.to_lowercase().contains("javascript:alert(1)\""), "{h}");
        assert!(!h.contains("href=\"javascript"), "{h}");
        assert!(!h.contains("src=\"data"), "{h}");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<b "), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        let raw = html("<b>bold</b>\n", true);
        assert!(raw.body.html.contains("<b>bold</b>"));
    }

    #[test]
    fn shortcodes_show_as_code_or_go_and_heading_attributes_set_ids_only() {
        let body = "# A\n\n## Setup {#set-up .wide onclick=alert(1)}\n\nRun {{ site.version }} now.\n\n\
                    {% include note.html %}\n\n[next]({{ page.next.url }}) [sso]({{ site.baseurl }}/roadmap/sso.md)\n";
        let code = html(body, false);
        let h = &code.body.html;
        assert!(
            h.contains("<h2 id=\"set-up\" class=\"wide\">Setup</h2>"),
            "{h}"
        );
        assert!(!h.contains("onclick") && !h.contains("{#"), "{h}");
        assert!(
            h.contains("Run <code>{{ site.version }}</code> now."),
            "{h}"
        );
        assert!(h.contains("<code>{% include note.html %}</code>"), "{h}");
        // A link made of a shortcode leads nowhere known: its text stays, the link goes.
        assert!(h.contains("<p>next <a"), "{h}");
        assert!(h.contains("<a href=\"../roadmap/sso.html\">sso</a>"), "{h}");
        let strip = html_with(
            body,
            false,
            crate::config::MarkdownOptions {
                shortcodes: crate::config::Shortcodes::Strip,
                ..Default::default()
            },
        );
        let h = &strip.body.html;
        assert!(
            !h.contains("{{") && !h.contains("{%") && !h.contains("<code>"),
            "{h}"
        );
        assert!(h.contains("Run  now."), "{h}");
        assert!(!strip.text.contains("{{"), "{}", strip.text);
        // With raw HTML allowed, the other attributes pass too (escaped).
        assert!(html(body, true).body.html.contains("onclick=\"alert(1)\""));
        // Braces without an id are the heading's text, in the title too.
        let r = html("# A {b}\n\n## Use {braces}\n\n## JSON {\"a\": 1}\n", false);
        let h = &r.body.html;
        assert!(h.contains("<h2 id=\"use-braces\">Use {braces}</h2>"), "{h}");
        assert!(
            h.contains("<h2 id=\"json-a-1\">JSON {\"a\": 1}</h2>"),
            "{h}"
        );
        assert_eq!(r.body.title_id.as_deref(), Some("a-b"));
    }

    #[test]
    fn footnotes_tables_and_tasks() {
        let r = html(
            "Text[^n].\n\n[^n]: Note.\n\n| a |\n|---|\n| b |\n\n- [x] done\n- [ ] todo\n~~old~~\n",
            false,
        );
        let h = &r.body.html;
        assert!(h.contains("href=\"#fn-n\""), "{h}");
        assert!(h.contains("id=\"fn-n\""), "{h}");
        assert!(
            h.contains("<div class=\"table-wrap\" tabindex=\"0\"><table>"),
            "{h}"
        );
        assert!(h.contains("checked aria-label=\"done\""), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(r.text.contains("Text"));
    }
}
