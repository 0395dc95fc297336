//! Reasons the tool cannot run at all (exit code 2). Problems in documents are diagnostics.
//!
//! The text of an error is printed as it is: every path and every message part that may come
//! from a file, git or the environment is escaped here ([`crate::escape`]).

use std::path::{Path, PathBuf};

use crate::diagnostic::Span;
use crate::escape;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}", shown(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", shown(path))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}{}: {}{}", shown(path), span.map(|s| format!(":{}:{}", s.line, s.col)).unwrap_or_default(), escape::message(message), help_line(help))]
    Config {
        path: PathBuf,
        span: Option<Span>,
        message: String,
        help: Option<String>,
    },
    /// A bad flag or argument; the message may end with `\n    help: …`.
    #[error("{}", escape::message(.0))]
    Usage(String),
    /// `init` and `new` never overwrite: the files that are in the way.
    #[error(
        "refusing to overwrite {}; nothing was written:{}",
        existing(paths),
        indented(paths)
    )]
    Exists { paths: Vec<String> },
    #[error("template {} could not be rendered", escape::escape(name))]
    Template {
        name: String,
        #[source]
        source: tera::Error,
    },
    #[error("cannot build into {}: {}", shown(path), escape::message(reason))]
    Output { path: PathBuf, reason: String },
    /// git refused or failed to read the repository the handbook lives in.
    #[error("{}: {}{}", shown(path), escape::message(message), help_line(help))]
    Git {
        path: PathBuf,
        message: String,
        help: Option<String>,
    },
}

fn existing(paths: &[String]) -> String {
    match paths.len() {
        1 => "an existing file".to_string(),
        n => format!("{n} existing files"),
    }
}

fn indented(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| format!("\n    {}", escape::escape(p)))
        .collect()
}

fn shown(path: &Path) -> String {
    escape::path(path)
}

fn help_line(help: &Option<String>) -> String {
    help.as_ref()
        .map(|h| format!("\n    help: {}", escape::escape(h)))
        .unwrap_or_default()
}

impl Error {
    /// Every cause of an error, outermost first, for `error: …` / `caused by: …` output. A
    /// cause whose text the line before already holds (a wrapper that prints its source, like
    /// `IO error for operation on PATH: REASON` over `REASON`) is left out, so that each
    /// reason is printed once. Causes come from other libraries and may quote file text (a
    /// template error shows the template's line): each of their lines is escaped.
    pub fn chain(&self) -> Vec<String> {
        let mut out = vec![self.to_string()];
        let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(self);
        while let Some(e) = cur {
            let text = escape::lines(&e.to_string());
            let said = out.last().is_some_and(|last| last.contains(text.as_str()));
            if !said && !text.is_empty() {
                out.push(text);
            }
            cur = e.source();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("IO error for operation on {path}: {source}")]
    struct Wrapper {
        path: String,
        source: std::io::Error,
    }

    #[test]
    fn each_cause_is_printed_once() {
        let io = std::io::Error::other("Too many levels of symbolic links");
        let err = Error::Read {
            path: "hb/loop".into(),
            source: std::io::Error::other(Wrapper {
                path: "hb/loop".into(),
                source: io,
            }),
        };
        assert_eq!(
            err.chain(),
            [
                "cannot read hb/loop",
                "IO error for operation on hb/loop: Too many levels of symbolic links",
            ]
        );
    }

    #[test]
    fn paths_and_values_from_files_are_escaped() {
        let err = Error::Config {
            path: "a\n::error::x/opsbook.yml".into(),
            span: Some(Span::new(2, 3)),
            message: "`\u{1b}[2J` is not a kind".into(),
            help: Some("use `x\ny`".into()),
        };
        assert_eq!(
            err.to_string(),
            "a\\n::error::x/opsbook.yml:2:3: `\\u{1b}[2J` is not a kind\n    help: use `x\\ny`"
        );
        let err = Error::Usage("`a\nb` is not a kind\n    help: use one of x".into());
        assert_eq!(
            err.to_string(),
            "`a\\nb` is not a kind\n    help: use one of x"
        );
        let err = Error::Exists {
            paths: vec!["a\u{1b}.md".into()],
        };
        assert!(err.to_string().ends_with("\n    a\\u{1b}.md"), "{err}");
    }
}
