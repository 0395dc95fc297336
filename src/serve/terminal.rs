//! What a session says on the terminal: one line per build, and the browser to open.

use std::net::{IpAddr, Ipv4Addr};

use crate::error::Error;

use super::Outcome;

/// One line about a build: what changed, the findings, what the site got, how long it took.
/// Paths are shown from the current folder (`shown` goes before a root-relative path) with
/// control characters escaped.
pub fn line(o: &Outcome, shown: &str) -> String {
    let what = match o.changed.as_slice() {
        _ if o.first => "built".to_string(),
        [] => "rebuilt".to_string(),
        [one] => format!("{} changed", plain(&format!("{shown}{one}"))),
        [one, rest @ ..] => format!(
            "{} and {} more changed",
            plain(&format!("{shown}{one}")),
            rest.len()
        ),
    };
    let c = &o.counts;
    let findings = format!(
        "{} {}, {} {}, {} {}",
        c.errors,
        plural(c.errors, "error"),
        c.warnings,
        plural(c.warnings, "warning"),
        c.infos,
        plural(c.infos, "note")
    );
    if let Some(lines) = &o.failure {
        let why = lines.join(": ");
        return format!(
            "{what}: the site could not be rebuilt: {}; the last good pages stay ({} ms)",
            plain(&why),
            o.millis
        );
    }
    if let Some(first) = o.errors.first() {
        let at = match first.span {
            Some(s) => format!("{}:{}:{}", first.path.display(), s.line, s.col),
            None => first.path.display().to_string(),
        };
        return format!(
            "{what}: {findings} (first: {} {}); the last good pages stay, with the errors over \
             them ({} ms)",
            plain(&format!("{shown}{at}")),
            first.rule,
            o.millis
        );
    }
    let whole = if o.whole { ", whole site" } else { "" };
    format!(
        "{what}: {findings}; {} {} updated ({} rendered{whole}) in {} ms",
        o.committed.written + o.committed.removed,
        plural(o.committed.written + o.committed.removed, "file"),
        o.rendered.unwrap_or(0),
        o.millis
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `s` with control characters escaped (`\n`, `\u{1b}`), safe to print on a terminal.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `--bind`: an IP address, or `localhost`.
pub fn parse_bind(s: &str) -> Result<IpAddr, Error> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    s.trim_matches(['[', ']']).parse().map_err(|_| {
        Error::Usage(format!(
            "--bind {}: not an IP address; use 127.0.0.1 (this machine only), ::1, or 0.0.0.0 \
             (every network this machine is on)",
            plain(s)
        ))
    })
}

/// Open `url` in the default browser; a failure is only reported.
pub fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let started = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Counts, Diagnostic, Span};
    use crate::rules::Rule;

    #[test]
    fn lines() {
        let mut o = Outcome {
            changed: vec!["roadmap/a\u{1b}[31m.md".into()],
            counts: Counts {
                errors: 0,
                warnings: 2,
                infos: 1,
            },
            rendered: Some(12),
            millis: 8,
            ..Outcome::default()
        };
        o.committed.written = 3;
        assert_eq!(
            line(&o, "hb/"),
            "hb/roadmap/a\\u{1b}[31m.md changed: 0 errors, 2 warnings, 1 note; 3 files updated \
             (12 rendered) in 8 ms"
        );
        o.counts.errors = 1;
        o.rendered = None;
        o.errors = vec![Diagnostic::new(
            Rule::FrontmatterInvalid,
            "roadmap/a.md",
            Some(Span::new(3, 8)),
        )];
        assert!(
            line(&o, "").contains(
                "1 error, 2 warnings, 1 note (first: roadmap/a.md:3:8 frontmatter-invalid)"
            ),
            "{}",
            line(&o, "")
        );
    }

    #[test]
    fn bind_addresses() {
        assert!(parse_bind("localhost").unwrap().is_loopback());
        assert!(parse_bind("::1").unwrap().is_loopback());
        assert!(parse_bind("[::1]").unwrap().is_loopback());
        assert!(!parse_bind("0.0.0.0").unwrap().is_loopback());
        assert!(parse_bind("example.com").is_err());
    }
}
