//! What serve adds to the HTML pages it serves, and only to them (never to the files it
//! builds, so the built site equals `opsbook build`'s): a script that reloads the page when
//! the site changed, and, while the handbook has errors, an overlay listing them.
//!
//! The script asks the server (`/.opsbook-serve/wait`) to answer once the site's generation
//! differs from the page's; the server holds the request until then, so a reload follows a
//! rebuild at once, with no polling.

use crate::diagnostic::Diagnostic;

/// Marks around the injected snippet (tests strip it to compare pages with a build's).
pub const START: &str = "<!-- opsbook serve -->";
pub const END: &str = "<!-- /opsbook serve -->";

/// The reload script.
pub const SCRIPT: &str = r#"// opsbook serve: reload this page when the site changes.
(() => {
  const generation = document.currentScript.dataset.generation;
  const pause = (ms) => new Promise((done) => setTimeout(done, ms));
  (async () => {
    for (;;) {
      try {
        const r = await fetch('/.opsbook-serve/wait?generation=' + encodeURIComponent(generation), { cache: 'no-store' });
        if (r.ok) {
          if ((await r.text()).trim() !== generation) {
            location.reload();
            return;
          }
          continue;
        }
      } catch (e) {
        // The server is restarting or gone: try again shortly.
      }
      await pause(1000);
    }
  })();
})();
"#;

/// The page served before any site was built (the first build failed).
pub const EMPTY_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
    <title>opsbook serve</title></head>\n<body>\n<h1>The site is not built yet</h1>\n\
    <p>opsbook serve shows the site as soon as the handbook has no errors.</p>\n</body>\n</html>\n";

/// The snippet for the current state: the overlay (when `problems` has lines) and the script.
pub fn snippet(generation: &str, problems: &Problems) -> String {
    let mut out = String::from(START);
    if !problems.is_empty() {
        out.push_str(&overlay(problems));
    }
    out.push_str(&format!(
        "<script src=\"/.opsbook-serve/reload.js\" data-generation=\"{}\"></script>",
        escape(generation)
    ));
    out.push_str(END);
    out
}

/// Why the site is not up to date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// Errors in the handbook.
    pub errors: Vec<Diagnostic>,
    /// Why the rebuild could not run, as `error` and `caused by` lines.
    pub failure: Option<Vec<String>>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.failure.is_none()
    }
}

/// The overlay: every error with its place, message and help, escaped.
fn overlay(p: &Problems) -> String {
    let mut items = String::new();
    for d in &p.errors {
        let path = d.path.to_string_lossy().replace('\\', "/");
        let at = match d.span {
            Some(s) => format!("{path}:{}:{}", s.line, s.col),
            None => path,
        };
        items.push_str(&format!(
            "<li><code>{}</code> error[{}]: {}",
            escape(&at),
            escape(d.rule.name()),
            escape(&d.message)
        ));
        if let Some(h) = &d.help {
            items.push_str(&format!(
                "<br><span style=\"opacity:.8\">help: {}</span>",
                escape(h)
            ));
        }
        items.push_str("</li>");
    }
    if let Some(lines) = &p.failure {
        for (n, l) in lines.iter().enumerate() {
            let lead = if n == 0 { "error" } else { "caused by" };
            items.push_str(&format!("<li>{lead}: {}</li>", escape(l)));
        }
    }
    let title = match p.errors.len() {
        0 => "the site could not be rebuilt".to_string(),
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    format!(
        "<div id=\"opsbook-serve-errors\" role=\"alert\" style=\"position:fixed;left:1rem;\
         right:1rem;bottom:1rem;max-height:60vh;overflow:auto;z-index:2147483647;\
         background:#fff4f4;color:#1d1d1d;border:2px solid #b3261e;border-radius:6px;\
         padding:.75rem 1rem;font:14px/1.5 system-ui,sans-serif;white-space:pre-wrap;\
         box-shadow:0 4px 24px rgba(0,0,0,.3)\"><strong>opsbook serve: {title}; showing \
         the last good pages</strong><ul style=\"margin:.5rem 0 0;padding-left:1.25rem\">\
         {items}</ul></div>"
    )
}

/// HTML text and attribute escaping.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `html` with `snippet` before its last `</body>` (at the end without one).
pub fn into_html(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// A page as served, without what serve added: the page as built.
pub fn strip(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match (text.find(START), text.find(END)) {
        (Some(a), Some(b)) if a < b => {
            let mut out = html[..a].to_vec();
            out.extend_from_slice(&html[b + END.len()..]);
            out
        }
        _ => html.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::rules::Rule;

    #[test]
    fn the_snippet_goes_before_the_last_body_end_and_strips_off() {
        let page = b"<html><body><p>&lt;/body&gt;</p></BODY></html>\n";
        let s = snippet("g-1", &Problems::default());
        let served = into_html(page, &s);
        let text = String::from_utf8(served.clone()).unwrap();
        assert!(text.contains(&format!("</p>{s}</BODY>")), "{text}");
        assert!(!text.contains("opsbook-serve-errors"));
        assert_eq!(strip(&served), page);
        assert_eq!(into_html(b"no body", "X"), b"no bodyX");
    }

    #[test]
    fn the_overlay_escapes_what_documents_say() {
        let d = Diagnostic::new(
            Rule::FrontmatterInvalid,
            "roadmap/<x>.md",
            Some(Span::new(3, 8)),
        )
        .message("invalid YAML: `<script>alert(1)</script>`")
        .help("quote \"it\" & retry");
        let s = snippet(
            "g\"-2",
            &Problems {
                errors: vec![d],
                failure: None,
            },
        );
        assert!(s.contains("opsbook-serve-errors"));
        assert!(s.contains("<code>roadmap/&lt;x&gt;.md:3:8</code>"), "{s}");
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(s.contains("help: quote &quot;it&quot; &amp; retry"));
        assert!(!s.contains("<script>alert"));
        assert!(s.contains("data-generation=\"g&quot;-2\""));
    }
}
