//! What a link in a body points at, read from its text alone: a URL, an anchor, a `kind:id`
//! handle or a path inside the handbook.

use crate::kind::Kind;
use crate::kinds::Kinds;

/// What a link in a body points at, read from its text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// `https:`, `mailto:` (email autolinks included), `//host/…`: not the handbook's.
    External,
    /// `#anchor` (or nothing) in the same document.
    SameDoc(&'a str),
    /// `kind:id` with an optional anchor.
    Handle {
        kind: Kind,
        id: &'a str,
        anchor: Option<&'a str>,
    },
    /// A root-relative path with an optional anchor; `None` when it climbs out of the root.
    File {
        path: Option<String>,
        anchor: Option<&'a str>,
    },
}

/// Classify `url` found in the document at `from` (a root-relative path). An email autolink
/// must come as its `mailto:` URL ([`crate::markdown::link_url`]).
pub fn classify<'a>(url: &'a str, from: &str, kinds: &Kinds) -> Target<'a> {
    let url = url.trim();
    if let Some(anchor) = url.strip_prefix('#') {
        return Target::SameDoc(anchor);
    }
    if let Some((scheme, rest)) = url.split_once(':') {
        if let Some(kind) = kinds.parse(scheme) {
            let (id, anchor) = split_anchor(rest);
            return Target::Handle { kind, id, anchor };
        }
        let is_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            return Target::External;
        }
    }
    if url.starts_with("//") {
        return Target::External;
    }
    let (path, anchor) = split_anchor(url);
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        // `?x` or `` (with or without `#a`): this very document.
        return Target::SameDoc(anchor.unwrap_or(""));
    }
    let path = percent_decode(path);
    let base = if path.starts_with('/') {
        ""
    } else {
        from.rsplit_once('/').map_or("", |(dir, _)| dir)
    };
    Target::File {
        path: normalize(base, &path),
        anchor,
    }
}

fn split_anchor(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (s, None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Join `rel` onto the folder `base` and resolve `.` and `..`; `None` above the root.
fn normalize(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_links() {
        assert_eq!(
            classify("https://x.io", "a.md", &Kinds::builtin()),
            Target::External
        );
        assert_eq!(
            classify("mailto:a@b", "a.md", &Kinds::builtin()),
            Target::External
        );
        assert_eq!(
            classify("#steps", "a.md", &Kinds::builtin()),
            Target::SameDoc("steps")
        );
        assert_eq!(
            classify("", "g/a.md", &Kinds::builtin()),
            Target::SameDoc("")
        );
        assert_eq!(
            classify("?q=1#x", "g/a.md", &Kinds::builtin()),
            Target::SameDoc("x")
        );
        assert_eq!(
            classify("person:ana#bio", "a.md", &Kinds::builtin()),
            Target::Handle {
                kind: Kind::PERSON,
                id: "ana",
                anchor: Some("bio")
            }
        );
        assert_eq!(
            classify(
                "../processes/triage.md#steps",
                "roadmap/sso.md",
                &Kinds::builtin()
            ),
            Target::File {
                path: Some("processes/triage.md".into()),
                anchor: Some("steps")
            }
        );
        assert_eq!(
            classify("/guides/a%20b.md", "roadmap/x.md", &Kinds::builtin()),
            Target::File {
                path: Some("guides/a b.md".into()),
                anchor: None
            }
        );
        assert_eq!(
            classify("../../x.md", "roadmap/x.md", &Kinds::builtin()),
            Target::File {
                path: None,
                anchor: None
            }
        );
        assert_eq!(
            classify("../", "roadmap/x.md", &Kinds::builtin()),
            Target::File {
                path: Some(String::new()),
                anchor: None
            }
        );
    }
}
