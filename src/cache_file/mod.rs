//! Files a cache keeps in the repository's git folder (`<git dir>/opsbook/`): the history
//! pass's records (`git/cache/`) and parsed frontmatter (`frontmatter/cache.rs`). What they
//! share: the byte format and its framing ([`codec`]), reading only regular files up to a cap,
//! writing whole files atomically, and tidying files no run uses any more.

use std::io::Read;
use std::path::Path;

pub(crate) mod codec;

/// The bytes of the regular file at `path` (symlinks followed), when it is at most `cap`
/// bytes; `None` for anything else. A FIFO (which would block forever), a device such as
/// `/dev/zero` (which never ends) or a huge file put in its place cannot hang or exhaust the
/// run.
pub(crate) fn read_regular(path: &Path, cap: u64) -> Option<Vec<u8>> {
    // Look before opening: opening a FIFO for reading blocks until someone writes to it.
    let before = std::fs::metadata(path).ok()?;
    if !before.is_file() || before.len() > cap {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    // And look again at what was opened: the path may have been swapped meanwhile.
    let opened = file.metadata().ok()?;
    if !opened.is_file() || !same_file(&before, &opened) {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).ok()?);
    file.take(cap + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= cap).then_some(bytes)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Write a whole file under a temporary name, then rename it into place: a reader sees the
/// old file or the new one, never half of one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let tmp = dir.join(format!(".{name}.{}-{nanos}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Remove from `dir` what no run uses any more: temporary files of runs that were killed (an
/// hour old), and files whose name starts with one of `prefixes` (the same cache under other
/// keys: another opsbook version, another handbook) not written for 30 days, except `keep`.
pub(crate) fn tidy(dir: &Path, prefixes: &[&str], keep: &[&Path]) {
    const HOUR: u64 = 3600;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let path = e.path();
        if keep.contains(&path.as_path()) {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        let max_age = if name.starts_with('.') && name.ends_with(".tmp") {
            HOUR
        } else if prefixes.iter().any(|p| name.starts_with(p)) {
            30 * 24 * HOUR
        } else {
            continue;
        };
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok());
        if age.is_some_and(|a| a.as_secs() > max_age) {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_up_to_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular(&file, 5).as_deref(), Some(&b"12345"[..]));
        assert_eq!(read_regular(&file, 4), None, "over the cap");
        assert_eq!(read_regular(dir.path(), 1 << 20), None, "a folder");
        assert_eq!(read_regular(&dir.path().join("nope"), 1 << 20), None);
        #[cfg(unix)]
        {
            // A device that never ends, through a symlink, and a FIFO nobody writes to: both
            // return at once.
            let zero = dir.path().join("zero");
            std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
            assert_eq!(read_regular(&zero, 1 << 20), None);
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert_eq!(read_regular(&fifo, 1 << 20), None);
            }
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read_regular(&link, 16).as_deref(), Some(&b"12345"[..]));
        }
    }
}
