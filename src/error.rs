//! Reasons the tool cannot run at all (exit code 2). Problems in documents are diagnostics.

use std::path::PathBuf;

use crate::diagnostic::Span;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}{}: {message}{}", path.display(), span.map(|s| format!(":{}:{}", s.line, s.col)).unwrap_or_default(), help.as_ref().map(|h| format!("\n    help: {h}")).unwrap_or_default())]
    Config {
        path: PathBuf,
        span: Option<Span>,
        message: String,
        help: Option<String>,
    },
    #[error("{0}")]
    Usage(String),
    /// `init` and `new` never overwrite: the files that are in the way.
    #[error(
        "refusing to overwrite {}; nothing was written:{}",
        existing(paths),
        indented(paths)
    )]
    Exists { paths: Vec<String> },
    #[error("template {name} could not be rendered")]
    Template {
        name: String,
        #[source]
        source: tera::Error,
    },
    #[error("cannot build into {}: {reason}", path.display())]
    Output { path: PathBuf, reason: String },
    /// git refused or failed to read the repository the handbook lives in.
    #[error("{}: {message}{}", path.display(), help.as_ref().map(|h| format!("\n    help: {h}")).unwrap_or_default())]
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
    paths.iter().map(|p| format!("\n    {p}")).collect()
}

impl Error {
    /// Every cause of an error, outermost first, for `error: …` / `caused by: …` output.
    pub fn chain(&self) -> Vec<String> {
        let mut out = vec![self.to_string()];
        let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(self);
        while let Some(e) = cur {
            out.push(e.to_string());
            cur = e.source();
        }
        out
    }
}
