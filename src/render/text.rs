//! Text for pages: escaped as HTML, backticks as code, numbers as people read them.

pub use crate::values::format_number as number;

/// Text as HTML text or attribute value: `& < > " '` escaped.
pub fn escape_html(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Text as safe HTML, with each `` `quoted` `` part as code (a lone backtick stays as it is).
pub fn code_spans(text: &str) -> String {
    let escape = escape_html;
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        // Odd parts are inside backticks, when a closing one follows.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            if i % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escape(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            code_spans("status `nwo` is not one of <b>"),
            "status <code>nwo</code> is not one of &lt;b&gt;"
        );
        assert_eq!(code_spans("`<x>`"), "<code>&lt;x&gt;</code>");
        assert_eq!(code_spans("a lone ` tick"), "a lone ` tick");
        assert_eq!(
            code_spans("`a` and `b` and `c"),
            "<code>a</code> and <code>b</code> and `c"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number(108.0), "108");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(2.0 / 3.0), "0.67");
        assert_eq!(number(1.5), "1.5");
    }
}
