//! Reading the small files the history pass looks at besides objects (`.git/shallow`,
//! `.git-blame-ignore-revs`, `.mailmap`, attributes, pack indexes, the cache): only regular
//! files, and never more than a cap, so a FIFO (which would block forever), a device such as
//! `/dev/zero` (which never ends) or a huge file put in their place cannot hang or exhaust the
//! run. Anything else reads as "no file".

use std::path::Path;

/// Files the user writes by hand (`.mailmap`, ignore-revs, attributes, `shallow`).
pub(super) const SMALL: u64 = 16 << 20;

/// The bytes of a regular file of at most `cap` bytes (see [`crate::cache_file`]).
pub(super) use crate::cache_file::read_regular;

/// A regular file of at most `cap` bytes, as text (invalid UTF-8 is replaced).
pub(super) fn read_text(path: &Path, cap: u64) -> Option<String> {
    read_regular(path, cap).map(|b| match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}
