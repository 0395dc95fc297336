//! Baselines: the findings a repository already had when it adopted opsbook, written down once
//! (`check --write-baseline FILE`) so that `check --baseline FILE` and `build --baseline FILE`
//! report — and fail on — new findings only.
//!
//! A finding is known by its fingerprint: its rule, its file and its message with whitespace
//! collapsed and line numbers left out. Lines added or removed above a finding, or the finding's
//! line edited elsewhere, leave the fingerprint as it was. The same fingerprint may stand for
//! several findings (the same broken link twice in a file): the baseline holds how many, and
//! one more is new.
//!
//! The file is JSON, one finding per line so that a change to it reads well in a review:
//!
//! ```json
//! {"opsbook_baseline": 1, "findings": [
//! {"fingerprint": "6c0a8e5d1f2b3a47", "rule": "broken-link", "path": "guide/setup.md", "count": 1, "message": "link `old.md` points at `guide/old.md`, which does not exist"}
//! ]}
//! ```
//!
//! Only `fingerprint` and `count` are read back; `rule`, `path` and `message` are there for
//! the reader.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// The version of the file format `write` writes and `read` reads.
const VERSION: u32 = 1;

/// One line of the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Entry {
    fingerprint: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    path: String,
    #[serde(default = "one")]
    count: usize,
    #[serde(default)]
    message: String,
}

fn one() -> usize {
    1
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    opsbook_baseline: u32,
    findings: Vec<Entry>,
}

/// The findings a baseline holds: how many of each fingerprint, and each one's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: HashMap<String, (usize, String)>,
}

/// What applying a baseline left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings the baseline holds, not reported.
    pub known: usize,
    /// Findings the baseline holds that are gone (fixed), among the files looked at.
    pub fixed: usize,
}

/// The fingerprint of a finding: 16 hex digits of a hash of its rule, file and message (with
/// whitespace collapsed and `line N` left out).
pub fn fingerprint(d: &Diagnostic) -> String {
    let text = format!(
        "{}\0{}\0{}",
        d.rule.name(),
        d.path.to_string_lossy().replace('\\', "/"),
        normalize(&d.message)
    );
    // FNV-1a, 64 bits: the same on every platform and in every version.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A message without what moves when lines move: runs of whitespace become one space, and the
/// number after `line` (`first on line 12`) is left out.
fn normalize(message: &str) -> String {
    let words: Vec<&str> = message.split_whitespace().collect();
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let after_line = i > 0 && words[i - 1].trim_start_matches('(') == "line";
        let number = w
            .trim_end_matches([')', ',', ';', ':', '.'])
            .bytes()
            .all(|b| b.is_ascii_digit());
        if after_line && number && !w.is_empty() {
            out.push("#");
        } else {
            out.push(w);
        }
    }
    out.join(" ")
}

impl Baseline {
    /// Read a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, Error> {
        let bad = |message: String| Error::Config {
            path: path.to_path_buf(),
            span: None,
            message,
            help: Some("write it again with `opsbook check --write-baseline FILE`".into()),
        };
        let text = std::fs::read_to_string(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::Usage(format!(
                    "--baseline {}: no such file\n    help: write one with `opsbook check \
                     --write-baseline {}`",
                    path.display(),
                    path.display()
                ))
            } else {
                Error::Read {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| bad(format!("not an opsbook baseline: {e}")))?;
        if file.opsbook_baseline != VERSION {
            return Err(bad(format!(
                "baseline format {} is not one this opsbook reads (it reads {VERSION})",
                file.opsbook_baseline
            )));
        }
        let mut counts: HashMap<String, (usize, String)> = HashMap::new();
        for e in file.findings {
            let slot = counts.entry(e.fingerprint).or_insert((0, e.path));
            slot.0 += e.count;
        }
        Ok(Baseline { counts })
    }

    /// Leave out of `diags` the findings the baseline holds (as many of each fingerprint as it
    /// holds, the first ones in order). `looked_at` tells which files were checked, for the
    /// count of fixed findings.
    pub fn apply(&self, diags: &mut Vec<Diagnostic>, looked_at: &dyn Fn(&str) -> bool) -> Applied {
        let mut left: HashMap<&str, usize> = self
            .counts
            .iter()
            .map(|(k, (n, _))| (k.as_str(), *n))
            .collect();
        let mut known = 0;
        diags.retain(|d| match left.get_mut(fingerprint(d).as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                known += 1;
                false
            }
            _ => true,
        });
        let fixed = left
            .iter()
            .filter(|(k, _)| {
                let path = &self.counts[**k].1;
                path == "." || looked_at(path)
            })
            .map(|(_, n)| n)
            .sum();
        Applied { known, fixed }
    }

    /// How many findings the baseline holds.
    pub fn len(&self) -> usize {
        self.counts.values().map(|(n, _)| n).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The text of a baseline file holding `diags`, sorted by file, rule and message.
pub fn text(diags: &[Diagnostic]) -> String {
    let mut entries: BTreeMap<(String, String, String), Entry> = BTreeMap::new();
    for d in diags {
        let path = d.path.to_string_lossy().replace('\\', "/");
        let message = normalize(&d.message);
        let key = (path.clone(), d.rule.name().to_string(), message.clone());
        entries
            .entry(key)
            .and_modify(|e| e.count += 1)
            .or_insert_with(|| Entry {
                fingerprint: fingerprint(d),
                rule: d.rule.name().to_string(),
                path,
                count: 1,
                message,
            });
    }
    let mut out = format!("{{\"opsbook_baseline\": {VERSION}, \"findings\": [\n");
    let lines: Vec<String> = entries
        .values()
        .map(|e| {
            // A JSON string is escaped by serde_json: control characters cannot break a line.
            serde_json::to_string(e).unwrap_or_default()
        })
        .collect();
    out.push_str(&lines.join(",\n"));
    if !lines.is_empty() {
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}

/// Write a baseline of `diags` to `path` (replacing the file). Returns how many findings it
/// holds.
pub fn write(path: &Path, diags: &[Diagnostic]) -> Result<usize, Error> {
    let write_err = |source| Error::Write {
        path: PathBuf::from(path),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(write_err)?;
    }
    std::fs::write(path, text(diags)).map_err(write_err)?;
    Ok(diags.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::rules::Rule;

    fn finding(rule: Rule, path: &str, line: u32, message: &str) -> Diagnostic {
        Diagnostic::new(rule, path, Some(Span::new(line, 3))).message(message)
    }

    #[test]
    fn fingerprints_ignore_lines_and_spacing_but_not_rule_path_or_text() {
        let a = finding(Rule::BrokenLink, "a.md", 3, "link `x.md` points nowhere");
        let moved = finding(Rule::BrokenLink, "a.md", 40, "link  `x.md`\npoints nowhere");
        assert_eq!(fingerprint(&a), fingerprint(&moved));
        for other in [
            finding(Rule::BrokenAnchor, "a.md", 3, "link `x.md` points nowhere"),
            finding(Rule::BrokenLink, "b.md", 3, "link `x.md` points nowhere"),
            finding(Rule::BrokenLink, "a.md", 3, "link `y.md` points nowhere"),
        ] {
            assert_ne!(fingerprint(&a), fingerprint(&other));
        }
        let dup = |l| {
            finding(
                Rule::DuplicateKey,
                "a.md",
                9,
                &format!("key `x` appears twice (first on line {l})"),
            )
        };
        assert_eq!(fingerprint(&dup(2)), fingerprint(&dup(5)));
        assert_eq!(fingerprint(&a).len(), 16);
    }

    #[test]
    fn a_baseline_holds_counts_and_tells_new_from_known_and_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ci/baseline.json");
        let old = vec![
            finding(Rule::BrokenLink, "a.md", 3, "link `x.md` points nowhere"),
            finding(Rule::BrokenLink, "a.md", 8, "link `x.md` points nowhere"),
            finding(Rule::UnknownField, "b.md", 2, "`layuot` is not a field"),
            finding(Rule::OrphanPage, "c.md", 1, "no document links to c.md"),
        ];
        assert_eq!(write(&file, &old).unwrap(), 4);
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(written.lines().count(), 5, "{written}");
        assert!(written.contains("\"count\":2"), "{written}");
        let b = Baseline::read(&file).unwrap();
        assert_eq!(b.len(), 4);
        // Lines moved, one more of a known finding, a new finding, one fixed.
        let mut now = vec![
            finding(Rule::BrokenLink, "a.md", 13, "link `x.md` points nowhere"),
            finding(Rule::BrokenLink, "a.md", 18, "link `x.md` points nowhere"),
            finding(Rule::BrokenLink, "a.md", 20, "link `x.md` points nowhere"),
            finding(Rule::UnknownField, "b.md", 5, "`layuot` is not a field"),
            finding(Rule::BrokenLink, "b.md", 9, "link `new.md` points nowhere"),
        ];
        let applied = b.apply(&mut now, &|_| true);
        assert_eq!(applied, Applied { known: 3, fixed: 1 });
        assert_eq!(now.len(), 2);
        assert_eq!(now[0].span, Some(Span::new(20, 3)));
        assert!(now[1].message.contains("new.md"));
        // A fixed finding in a file not looked at is not counted as fixed.
        let mut none = Vec::new();
        assert_eq!(b.apply(&mut none, &|p| p == "a.md").fixed, 2);
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Baseline::read(&dir.path().join("nope.json"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("no such file"), "{missing}");
        assert!(missing.contains("--write-baseline"), "{missing}");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"findings\": 3}").unwrap();
        let e = Baseline::read(&bad).unwrap_err().to_string();
        assert!(e.contains("not an opsbook baseline"), "{e}");
        std::fs::write(&bad, "{\"opsbook_baseline\": 9, \"findings\": []}").unwrap();
        let e = Baseline::read(&bad).unwrap_err().to_string();
        assert!(e.contains("format 9"), "{e}");
        std::fs::write(&bad, text(&[])).unwrap();
        assert!(Baseline::read(&bad).unwrap().is_empty());
    }
}
