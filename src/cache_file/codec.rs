//! The byte format of the cache files: little-endian integers, length-prefixed strings, and a
//! framed file (magic, key, length, checksum, body). Reading never panics: every read is
//! bounds-checked and any surprise is `None`, which a cache treats as "no cache".

/// A 64-bit FNV-1a hash of byte strings: stable across builds and platforms (the standard
/// library's hasher is not), for cache keys.
#[derive(Debug, Clone)]
pub(crate) struct KeyHasher(u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl KeyHasher {
    pub(crate) fn new() -> Self {
        KeyHasher(FNV_OFFSET)
    }

    /// Add one part; parts are length-prefixed, so `("ab", "c")` and `("a", "bc")` differ.
    pub(crate) fn part(&mut self, bytes: &[u8]) -> &mut Self {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(FNV_PRIME);
        }
        self
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// FNV-1a over several byte strings, at compile time (for the source of the code whose
/// results a cache keeps).
pub(crate) const fn source_hash(files: &[&[u8]]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut f = 0;
    while f < files.len() {
        let mut i = 0;
        while i < files[f].len() {
            h = (h ^ files[f][i] as u64).wrapping_mul(FNV_PRIME);
            i += 1;
        }
        f += 1;
    }
    h
}

/// A checksum of a file body, eight bytes at a time (corruption detection, not security).
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h = (h ^ word).wrapping_mul(FNV_PRIME).rotate_left(23);
    }
    for b in chunks.remainder() {
        h = (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME);
    }
    h
}

#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// A count or index; the cache never holds four billion of anything.
    pub(crate) fn len(&mut self, v: usize) {
        self.u32(u32::try_from(v).unwrap_or(u32::MAX));
    }
    pub(crate) fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// Bytes as they are (a fixed-size field: the reader knows the length).
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Reader { data, at: 0 }
    }
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.data.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    pub(crate) fn at_end(&self) -> bool {
        self.at == self.data.len()
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub(crate) fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    /// A count of items that take at least `min_size` bytes each: never more than the bytes
    /// left could hold, so a damaged count cannot ask for a huge allocation.
    pub(crate) fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        let left = self.data.len() - self.at;
        (n.saturating_mul(min_size.max(1)) <= left).then_some(n)
    }
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    pub(crate) fn opt_str(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?.to_string())),
            _ => None,
        }
    }
}

/// A whole file: magic, format version, key, body length, body checksum, body.
pub(crate) fn frame(magic: &[u8], version: u32, key: u64, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(magic.len() + 28 + body.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The body of a file made by [`frame`] with the same magic, version and key; `None` for
/// anything else (another format, another key, a truncated or damaged file).
pub(crate) fn unframe<'a>(
    magic: &[u8],
    version: u32,
    key: u64,
    file: &'a [u8],
) -> Option<&'a [u8]> {
    let mut r = Reader::new(file);
    if r.take(magic.len())? != magic || r.u32()? != version || r.u64()? != key {
        return None;
    }
    let len = usize::try_from(r.u64()?).ok()?;
    let sum = r.u64()?;
    let body = r.take(len)?;
    (r.at_end() && checksum(body) == sum).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_reject_damage() {
        let body = b"some body bytes, more than eight".to_vec();
        let file = frame(b"magic\n", 1, 42, &body);
        assert_eq!(unframe(b"magic\n", 1, 42, &file), Some(&body[..]));
        assert_eq!(unframe(b"magic\n", 1, 43, &file), None);
        assert_eq!(unframe(b"magic\n", 2, 42, &file), None);
        assert_eq!(unframe(b"other\n", 1, 42, &file), None);
        for cut in 0..file.len() {
            assert_eq!(
                unframe(b"magic\n", 1, 42, &file[..cut]),
                None,
                "cut at {cut}"
            );
        }
        for i in 0..file.len() {
            let mut bad = file.clone();
            bad[i] ^= 0x10;
            assert_eq!(unframe(b"magic\n", 1, 42, &bad), None, "flip at {i}");
        }
        let mut long = file.clone();
        long.push(0);
        assert_eq!(unframe(b"magic\n", 1, 42, &long), None);
    }

    #[test]
    fn readers_stop_at_the_end() {
        let mut w = Writer::default();
        w.str("päth");
        w.opt_str(None);
        w.opt_str(Some("x"));
        w.i64(-5);
        w.u32(7);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.str(), Some("päth"));
        assert_eq!(r.opt_str(), Some(None));
        assert_eq!(r.opt_str(), Some(Some("x".into())));
        assert_eq!(r.i64(), Some(-5));
        assert_eq!(r.count(4), None, "7 items of 4 bytes do not fit in 0 bytes");
        assert_eq!(r.u8(), None);
        assert!(r.at_end());
    }

    #[test]
    fn key_parts_are_delimited() {
        let a = KeyHasher::new().part(b"ab").part(b"c").finish();
        let b = KeyHasher::new().part(b"a").part(b"bc").finish();
        assert_ne!(a, b);
        assert_eq!(a, KeyHasher::new().part(b"ab").part(b"c").finish());
    }
}
