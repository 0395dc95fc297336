//! Template shortcodes in bodies — Liquid and Nunjucks `{% … %}` and `{{ … }}`, Hugo
//! `{{< … >}}` and `{{% … %}}` — which other site generators expand and opsbook does not.
//!
//! They are never read as links or heading text, and never shown as plain text: the site shows
//! each as it is written in a code span, or leaves it out (`markdown: {shortcodes: strip}`).
//! Comments (`{% comment %}…{% endcomment %}`, `{# … #}`) are always left out, and what
//! `{% raw %}…{% endraw %}` holds is shown as it is. Code spans and code blocks are left alone.
//!
//! In a link's destination, a shortcode that names a page becomes that page's path (`{% link
//! guide/setup.md %}`, `{{< ref "setup.md" >}}`, `{{ '/guide/' | relative_url }}`), one that
//! stands for the site's address becomes nothing (`{{ site.baseurl }}/guide/` → `/guide/`),
//! and a link made of anything else is left out of the page (its text stays) and never
//! reported.
//!
//! For the checker, [`blank`] keeps every byte offset: what it leaves out becomes spaces (line
//! breaks stay), so positions in findings are those of the file.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::config::Shortcodes;

/// A destination nothing can resolve: an unknown URL scheme, so the checker leaves it alone
/// (an external link) and the site drops the link (not a safe URL).
const UNRESOLVED: &str = "x-:";

/// What to do with one stretch of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Edit {
    /// A shortcode: shown in a code span, or left out.
    Shortcode,
    /// A comment, or a `raw` tag: always left out.
    Drop,
    /// A link destination: replaced by this text.
    Destination(String),
}

/// Whether `body` may hold a shortcode at all (a quick test before any work).
fn may_have(body: &str) -> bool {
    body.contains("{{") || body.contains("{%") || body.contains("{#")
}

/// The body as the checker reads it: shortcodes, comments and `raw` tags as spaces, link
/// destinations made of shortcodes replaced (padded with spaces). Offsets are kept.
pub fn blank(body: &str) -> Cow<'_, str> {
    if !may_have(body) {
        return Cow::Borrowed(body);
    }
    let edits = edits(body);
    if edits.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, edit) in edits {
        out.push_str(&body[at..range.start]);
        let old = &body[range.clone()];
        match edit {
            Edit::Destination(new) => {
                out.push_str(&new);
                out.push_str(&" ".repeat(old.len() - new.len()));
            }
            Edit::Shortcode | Edit::Drop => out.extend(old.chars().flat_map(|c| {
                // Line breaks stay; every other byte becomes a space.
                let n = if c == '\n' { 0 } else { c.len_utf8() };
                std::iter::repeat_n(' ', n).chain((c == '\n').then_some('\n'))
            })),
        }
        at = range.end;
    }
    out.push_str(&body[at..]);
    Cow::Owned(out)
}

/// The body as the site renders it: shortcodes in code spans (or left out with `strip`),
/// comments and `raw` tags left out, link destinations replaced.
pub fn for_site(body: &str, mode: Shortcodes) -> Cow<'_, str> {
    if !may_have(body) {
        return Cow::Borrowed(body);
    }
    let edits = edits(body);
    if edits.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 16 * edits.len());
    let mut at = 0;
    for (range, edit) in edits {
        out.push_str(&body[at..range.start]);
        let old = &body[range.clone()];
        match edit {
            Edit::Destination(new) => out.push_str(&new),
            Edit::Drop => out.extend(old.chars().filter(|c| *c == '\n')),
            Edit::Shortcode if mode == Shortcodes::Strip => {
                out.extend(old.chars().filter(|c| *c == '\n'))
            }
            Edit::Shortcode => out.push_str(&code_span(old)),
        }
        at = range.end;
    }
    out.push_str(&body[at..]);
    Cow::Owned(out)
}

/// `text` as a Markdown code span on one line: a fence of backticks longer than any run in it.
fn code_span(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let longest = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    format!("{fence} {one_line} {fence}")
}

/// The byte ranges of `body` that hold code (code spans and blocks): shortcodes there are text.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, super::options()).into_offset_iter() {
        match event {
            Event::Code(_) => out.push(range),
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    out.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    out
}

/// The longest a shortcode may be: a runaway `{{` never eats the rest of a file.
const MAX_LEN: usize = 2000;

/// Every edit of `body`, in order and without overlap.
fn edits(body: &str) -> Vec<(Range<usize>, Edit)> {
    let code = code_ranges(body);
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let bytes = body.as_bytes();
    let mut out: Vec<(Range<usize>, Edit)> = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' || !matches!(bytes[i + 1], b'{' | b'%' | b'#') || in_code(i) {
            i += 1;
            continue;
        }
        let Some(end) = shortcode_end(body, i) else {
            i += 1;
            continue;
        };
        let tag = &body[i..end];
        if bytes[i + 1] == b'#' {
            out.push((i..end, Edit::Drop));
            i = end;
            continue;
        }
        match liquid_name(tag) {
            Some("comment") => {
                let stop = block_end(body, end, "endcomment").unwrap_or(end);
                out.push((i..stop, Edit::Drop));
                i = stop;
                continue;
            }
            Some("raw") => {
                // What it holds is shown as it is: only the tags go.
                out.push((i..end, Edit::Drop));
                if let Some(close) = block_start(body, end, "endraw") {
                    let close_end = shortcode_end(body, close).unwrap_or(close);
                    out.push((close..close_end, Edit::Drop));
                    i = close_end;
                } else {
                    i = end;
                }
                continue;
            }
            _ => {}
        }
        if let Some((range, dest)) = destination(body, i) {
            out.push((range.clone(), Edit::Destination(dest)));
            i = range.end;
            continue;
        }
        out.push((i..end, Edit::Shortcode));
        i = end;
    }
    out
}

/// Where the shortcode starting at `start` ends (exclusive): `{{ … }}`, `{% … %}`, `{# … #}`
/// on one line. `None` when it does not close soon enough, or runs over a blank line.
fn shortcode_end(body: &str, start: usize) -> Option<usize> {
    let close = match &body.as_bytes()[start + 1] {
        b'{' => "}}",
        b'%' => "%}",
        _ => "#}",
    };
    let window_end = body.len().min(start + MAX_LEN);
    let window = body.get(start + 2..window_end).or_else(|| {
        // Cut inside a character: take the longest prefix that is whole.
        let mut e = window_end;
        while !body.is_char_boundary(e) {
            e -= 1;
        }
        body.get(start + 2..e)
    })?;
    let at = window.find(close)?;
    let inside = &window[..at];
    let blank_line = inside.split('\n').skip(1).any(|l| l.trim().is_empty());
    if blank_line || (close == "#}" && inside.contains('\n')) {
        return None;
    }
    Some(start + 2 + at + close.len())
}

/// What a Liquid or Nunjucks tag holds, without its whitespace control: `{%- link x -%}` →
/// `link x`.
fn liquid_inner(tag: &str) -> Option<&str> {
    let inner = tag.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace()))
}

/// The tag name of a Liquid or Nunjucks tag: `{%- comment -%}` → `comment`.
fn liquid_name(tag: &str) -> Option<&str> {
    liquid_inner(tag)?.split_whitespace().next()
}

/// The start of the next `{% name %}` tag at or after `from`.
fn block_start(body: &str, from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(off) = body.get(at..)?.find("{%") {
        let start = at + off;
        if let Some(end) = shortcode_end(body, start)
            && liquid_name(&body[start..end]) == Some(name)
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The end of the next `{% name %}` tag at or after `from`.
fn block_end(body: &str, from: usize, name: &str) -> Option<usize> {
    let start = block_start(body, from, name)?;
    shortcode_end(body, start)
}

/// When the shortcode at `start` begins a link destination (`](…`, `](<…`, or a reference
/// definition `[id]: …`): the whole destination's range and what it becomes.
fn destination(body: &str, start: usize) -> Option<(Range<usize>, String)> {
    let before = &body[..start];
    let line = before.rsplit('\n').next().unwrap_or(before);
    let opens = before.ends_with("](")
        || before.ends_with("](<")
        || (line.trim_start().starts_with('[') && line.trim_end().ends_with("]:"));
    if !opens {
        return None;
    }
    // The destination runs to whitespace, `)` or `>` outside shortcodes.
    let mut end = start;
    let mut resolved = String::new();
    let mut unknown = false;
    while end < body.len() {
        let rest = &body[end..];
        if rest.starts_with("{{") || rest.starts_with("{%") {
            let Some(close) = shortcode_end(body, end) else {
                break;
            };
            match meaning(&body[end..close]) {
                // A space would end the destination.
                Some(text) => resolved.push_str(&text.replace(' ', "%20")),
                None => unknown = true,
            }
            end = close;
            continue;
        }
        let c = rest.chars().next()?;
        if c.is_whitespace() || c == ')' || c == '>' {
            break;
        }
        resolved.push(c);
        end += c.len_utf8();
    }
    let new = if unknown {
        UNRESOLVED.to_string()
    } else {
        resolved
    };
    // The new text must fit: a shortcode is always longer than what it stands for.
    (new.len() <= end - start).then_some((start..end, new))
}

/// What a shortcode in a link destination stands for: a page's path, or nothing (the site's
/// address); `None` when it cannot be known.
fn meaning(tag: &str) -> Option<String> {
    let quoted = |s: &str| {
        let s = s.trim();
        let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let inner = &s[1..];
        inner.find(q).map(|e| inner[..e].to_string())
    };
    if let (Some(inner), Some(name)) = (liquid_inner(tag), liquid_name(tag)) {
        let arg = inner.strip_prefix(name).unwrap_or_default().trim();
        return match name {
            // Jekyll's `link` takes the source path from the site root.
            "link" => {
                let path = quoted(arg).unwrap_or_else(|| arg.to_string());
                Some(format!("/{}", path.trim_start_matches('/')))
            }
            _ => None,
        };
    }
    let inner = tag
        .strip_prefix("{{")?
        .strip_suffix("}}")?
        .trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace());
    // Hugo: `{{< ref "setup.md" >}}`, `{{% relref "setup" %}}`.
    let hugo = inner
        .strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .or_else(|| inner.strip_prefix('%').and_then(|x| x.strip_suffix('%')))
        .map(str::trim);
    if let Some(call) = hugo {
        let mut words = call.splitn(2, char::is_whitespace);
        return match words.next() {
            Some("ref" | "relref") => words.next().and_then(quoted),
            _ => None,
        };
    }
    // `{{ '/guide/' | relative_url }}` and the like.
    if let Some((value, filters)) = inner.split_once('|') {
        let filter = filters.split_whitespace().next().unwrap_or_default();
        let url_filter = matches!(
            filter,
            "url"
                | "relative_url"
                | "absolute_url"
                | "locale_url"
                | "url_for"
                | "relURL"
                | "absURL"
        );
        return url_filter.then(|| quoted(value)).flatten();
    }
    // The site's address: `{{ site.baseurl }}`, `{{ site.url }}`, `{{ .Site.BaseURL }}`.
    let lower = inner.to_ascii_lowercase();
    let address = [
        "site.baseurl",
        "site.url",
        "site.base_url",
        ".site.baseurl",
        "base_url",
        "baseurl",
        "config.site_url",
    ];
    address.contains(&lower.as_str()).then(String::new)
}

#[cfg(test)]
mod tests;
