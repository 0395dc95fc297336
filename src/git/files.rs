//! Reading the small files the history pass looks at besides objects (`.git/shallow`,
//! `.git-blame-ignore-revs`, `.mailmap`, attributes, pack indexes, the cache): only regular
//! files, and never more than a cap, so a FIFO (which would block forever), a device such as
//! `/dev/zero` (which never ends) or a huge file put in their place cannot hang or exhaust the
//! run. Anything else reads as "no file".

use std::io::Read;
use std::path::Path;

/// Files the user writes by hand (`.mailmap`, ignore-revs, attributes, `shallow`).
pub(super) const SMALL: u64 = 16 << 20;

/// The bytes of the regular file at `path` (symlinks followed), when it is at most `cap`
/// bytes; `None` for anything else.
pub(super) fn read_regular(path: &Path, cap: u64) -> Option<Vec<u8>> {
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

/// The same, as text (invalid UTF-8 is replaced).
pub(super) fn read_text(path: &Path, cap: u64) -> Option<String> {
    read_regular(path, cap).map(|b| match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
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
            assert_eq!(read_text(&link, 16).as_deref(), Some("12345"));
        }
    }
}
