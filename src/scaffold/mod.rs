//! Starter files: `opsbook init` writes a whole small handbook, `opsbook new` one document. Both
//! fill templates embedded in the binary and never overwrite a file.

mod adopt;
mod init;
mod new_doc;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

pub use adopt::{Adopted, adopt};
pub use init::{Initialized, init};
pub use new_doc::{NewRequest, new_doc};

use crate::error::Error;

/// A file to create: where, and its text.
#[derive(Debug, Clone)]
struct NewFile {
    path: PathBuf,
    text: String,
}

/// Replace each `@NAME@` in `template` by its value.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("@{name}@"), value)
        })
}

/// Write every file, or none of them when any is in the way.
fn write_all(files: &[NewFile], cwd: &Path) -> Result<Vec<PathBuf>, Error> {
    let existing: Vec<String> = files
        .iter()
        .filter(|f| f.path.exists())
        .map(|f| shown(&f.path, cwd))
        .collect();
    if !existing.is_empty() {
        return Err(Error::Exists { paths: existing });
    }
    let mut written = Vec::new();
    for f in files {
        let write_err = |source| Error::Write {
            path: f.path.clone(),
            source,
        };
        if let Some(parent) = f.path.parent() {
            std::fs::create_dir_all(parent).map_err(write_err)?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&f.path)
            .and_then(|mut file| file.write_all(f.text.as_bytes()))
            .map_err(write_err)?;
        written.push(f.path.clone());
    }
    Ok(written)
}

/// A path as the user would type it from `cwd`.
pub fn shown(path: &Path, cwd: &Path) -> String {
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    path.strip_prefix(&cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}

/// `path` made absolute from `cwd`, with symlinks and `..` resolved as far as it exists.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let abs = cwd.join(path);
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.iter().rev() {
        out.push(part);
    }
    // A `..` below the existing part cannot be resolved through symlinks; drop it lexically.
    let mut clean = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted.
fn yaml_scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -.,()/'&?!+".contains(c))
        && !s.ends_with(' ')
        && s.parse::<f64>().is_err()
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_read_back_as_written() {
        assert_eq!(
            yaml_scalar("Vendor security review"),
            "Vendor security review"
        );
        assert_eq!(yaml_scalar("SSO: Okta"), "\"SSO: Okta\"");
        assert_eq!(yaml_scalar("2026"), "\"2026\"");
        assert_eq!(yaml_scalar("no"), "\"no\"");
        assert_eq!(yaml_scalar("#1 \"quoted\""), "\"#1 \\\"quoted\\\"\"");
        assert_eq!(yaml_scalar("Inês"), "Inês");
        for s in [
            "SSO: Okta",
            "2026",
            "no",
            "#1 \"q\"",
            "a # b",
            "[x]",
            "Inês",
            "Rock & roll",
        ] {
            let node =
                crate::frontmatter::parse_yaml(&format!("t: {}\n", yaml_scalar(s)), 1).unwrap();
            assert_eq!(
                node.get("t").unwrap().value,
                crate::frontmatter::Value::Str(s.into())
            );
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill("@A@ and @B@ and @A@", &[("A", "1"), ("B", "2")]),
            "1 and 2 and 1"
        );
    }

    #[test]
    fn absolute_paths_resolve_dots() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        assert_eq!(absolute(&base, Path::new("a/../b/./c")), base.join("b/c"));
        assert_eq!(absolute(&base, Path::new(".")), base);
    }
}
