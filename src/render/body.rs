//! A document's Markdown body as safe HTML: heading ids by the checker's slug rule, links
//! rewritten (`.md` → `.html`, `kind:id` → the page), raw HTML escaped unless allowed, unsafe
//! URLs dropped.

use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::markdown::{self, Slugger};
use crate::model::{Doc, Handbook};
use crate::validate::links::{GENERATED, Target, classify};

use super::href::{Linker, is_safe_external};
use super::view::{Body, TocEntry};

/// How many characters of a body go into the search index.
const SEARCH_TEXT: usize = 1200;

/// What rendering a body needs besides the document.
pub struct BodyContext<'a> {
    pub hb: &'a Handbook,
    pub root: &'a Path,
    pub raw_html: bool,
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
    };
    let parser = Parser::new_ext(doc.body(), markdown::options());
    let mut events: Vec<Event> = Vec::new();
    let mut first = true;
    for event in parser {
        let is_first = std::mem::take(&mut first);
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
}

impl<'a> State<'a, '_> {
    fn event(&mut self, event: Event<'a>, first: bool, out: &mut Vec<Event<'a>>) {
        if self.skip_title {
            if let Event::End(TagEnd::Heading(_)) = event {
                self.skip_title = false;
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
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
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
            Event::Html(h) | Event::InlineHtml(h) if !self.cx.raw_html => {
                out.push(Event::Text(h));
            }
            Event::Start(Tag::HtmlBlock) if !self.cx.raw_html => {
                out.push(Event::Html("<pre class=\"raw-html\"><code>".into()));
            }
            Event::End(TagEnd::HtmlBlock) if !self.cx.raw_html => {
                out.push(Event::Html("</code></pre>\n".into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.rewrite(link_type, dest_url, false);
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
                let dest = self.rewrite(link_type, dest_url, true);
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
    fn rewrite(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        image: bool,
    ) -> Option<CowStr<'a>> {
        if matches!(link_type, LinkType::Email) {
            return Some(dest);
        }
        let cx = self.cx;
        match classify(&dest, &self.doc.path, &self.cx.hb.kinds) {
            Target::External => is_safe_external(&dest).then_some(dest),
            Target::SameDoc(_) => Some(dest),
            Target::Handle { kind, id, anchor } => {
                let target = cx.hb.get(kind, id)?;
                Some(with_anchor(cx.linker.href(&target.url()), anchor).into())
            }
            Target::File { path: None, .. } => None,
            Target::File {
                path: Some(path),
                anchor,
            } => {
                let url = self.site_path(&path, image);
                Some(with_anchor(cx.linker.href(&url), anchor).into())
            }
        }
    }

    /// Where a root-relative file path lives in the site.
    fn site_path(&mut self, path: &str, image: bool) -> String {
        let hb = self.cx.hb;
        if path.is_empty() {
            return "index.html".into();
        }
        if path != "org.yml"
            && !image
            && let Some(doc) = hb.by_path(path)
        {
            return doc.url();
        }
        if let Some(stem) = path.strip_suffix(".md") {
            return format!("{stem}.html");
        }
        let index = format!("{}/index.html", path.trim_end_matches('/'));
        if GENERATED.contains(&index.as_str()) {
            return index;
        }
        if self.cx.root.join(path).is_file() {
            self.assets.insert(path.to_string());
        }
        path.to_string()
    }
}

fn with_anchor(href: String, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) if !a.is_empty() => format!("{href}#{a}"),
        _ => href,
    }
}

/// Footnote ids get a prefix so they never collide with heading ids.
fn footnote_id(name: &str) -> CowStr<'static> {
    format!("fn-{}", markdown::slug(name)).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::PathBuf;

    fn html(body: &str, raw_html: bool) -> Rendered {
        let cfg = Config::defaults(PathBuf::from("/nonexistent"));
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
        let hb = Handbook::new(vec![page, other], crate::kinds::Kinds::builtin());
        let linker = Linker::for_page("guides/a.html");
        let cx = BodyContext {
            hb: &hb,
            root: &cfg.root,
            raw_html,
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
            "[a](../roadmap/sso.md#sso) [b](roadmap-item:sso) [c](other.md) [d](#x) [e](https://x.io) [f](../roadmap/)\n",
            false,
        );
        let h = &r.body.html;
        assert!(h.contains("href=\"../roadmap/sso.html#sso\""), "{h}");
        assert!(h.contains("href=\"../roadmap/sso.html\">b"), "{h}");
        assert!(h.contains("href=\"other.html\""), "{h}");
        assert!(h.contains("href=\"#x\""), "{h}");
        assert!(h.contains("href=\"https://x.io\""), "{h}");
        assert!(h.contains("href=\"../roadmap/index.html\""), "{h}");
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
