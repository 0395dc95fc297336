//! A persistent cache of parsed frontmatter, in the repository's git folder.
//!
//! Parsing YAML with serde-saphyr is costly, and most frontmatter does not change between two
//! runs. So what [`super::parse_yaml`] gives for a block that the fast path (`fast.rs`) does
//! not read (the [`Node`] tree with every position, or the [`YamlError`]) is kept under a
//! SHA-1 of that exact text and the file line it starts on; a run looks each such block up,
//! parses only those it does not find, and decodes the others (which is many times cheaper).
//! A block the fast path reads is never kept: reading it costs about what a lookup does. What
//! the cache gives is exactly what parsing gives: an edited block has another hash, so it is
//! parsed again, never served stale.
//!
//! The file, `<git dir>/opsbook/frontmatter-v1-<key>`, is written only by a run that parsed
//! a block it keeps, and then holds exactly the kept blocks that run read (so it never grows
//! beyond one handbook's frontmatter). Its key covers the opsbook version, the source of the parsing code
//! and the versions of its dependencies (`Cargo.lock`), and the handbook's folder in the
//! repository: a build whose parsing differs never reads what another one wrote. The file is
//! framed, checksummed and written atomically like the history pass's cache (the shared pieces
//! are in `cache_file`); one that does not read back exactly (truncated, damaged, another
//! format) is ignored and rewritten. Whether a repository gets caches at all (not in shallow
//! or partial clones, nor with `OPSBOOK_NO_GIT_CACHE`) and where they go is git's to say;
//! outside a repository there is no cache.
//!
//! Layout of the body: the number of entries `n`, then `n` index rows sorted by hash (20 bytes
//! of hash, the offset and the length of the entry's bytes after the index), then the entries.
//! A lookup is a binary search in the index; entries are decoded only when asked for.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{Key, Node, Value, YamlError, fast, parse_saphyr, yaml_error::MAX_DEPTH};
use crate::cache_file::codec::{self, KeyHasher, Reader, Writer, frame, unframe};
use crate::cache_file::{read_regular, tidy, write_atomic};
use crate::diagnostic::Span;

/// Bump when the layout of the file changes.
const FORMAT: u32 = 1;
const MAGIC: &[u8] = b"opsbook frontmatter\n";
const PREFIX: &str = "frontmatter-";
/// The code whose result is cached, and the versions of the YAML parser it uses.
const SOURCE: u64 = codec::source_hash(&[
    include_bytes!("../frontmatter.rs"),
    include_bytes!("cache.rs"),
    include_bytes!("diagnosis.rs"),
    include_bytes!("fast.rs"),
    include_bytes!("fast/scalar.rs"),
    include_bytes!("scan.rs"),
    include_bytes!("syntax.rs"),
    include_bytes!("yaml_error.rs"),
    include_bytes!("../escape.rs"),
    include_bytes!("../../Cargo.lock"),
]);
/// A cache file larger than this is not read (and is rewritten).
const MAX_FILE: u64 = 512 << 20;
const HASH: usize = 20;
/// An index row: hash, offset, length.
const ROW: usize = HASH + 8;

type Hash = [u8; HASH];
type Parsed = Result<Node, YamlError>;

/// The parsed frontmatter a previous run kept, and what this run parses besides.
#[derive(Debug, Default)]
pub struct Cache {
    /// Where the cache is written; `None`: no cache (nothing is read or written).
    path: Option<PathBuf>,
    key: u64,
    /// The file read (empty when there was none, or it did not read back), and where its
    /// body starts: the body is the rest of the file.
    file: Vec<u8>,
    body_at: usize,
    /// The number of index rows in `body`.
    rows: usize,
    /// Which rows this run used.
    used: Vec<AtomicBool>,
    /// What this run parsed: hash and encoded result.
    parsed: Mutex<Vec<(Hash, Vec<u8>)>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// How a run used the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Blocks decoded from the cache.
    pub hits: usize,
    /// Blocks parsed (not in the cache, or unreadable there).
    pub parsed: usize,
}

impl Cache {
    /// No cache: every block is parsed, nothing is written.
    pub fn none() -> Cache {
        Cache::default()
    }

    /// The cache in `dir` (the repository's cache folder) of the handbook at `prefix` (its
    /// folder in the work tree, `""` at the top).
    pub fn open(dir: &Path, prefix: &str) -> Cache {
        let key = KeyHasher::new()
            .part(b"frontmatter")
            .part(&FORMAT.to_le_bytes())
            .part(env!("CARGO_PKG_VERSION").as_bytes())
            .part(&SOURCE.to_le_bytes())
            .part(prefix.as_bytes())
            .finish();
        let path = dir.join(format!("{PREFIX}v{FORMAT}-{key:016x}"));
        let (file, body_at, rows) = read_regular(&path, MAX_FILE)
            .and_then(|file| {
                let body = unframe(MAGIC, FORMAT, key, &file)?;
                let (at, rows) = (file.len() - body.len(), Reader::new(body).count(ROW)?);
                Some((file, at, rows))
            })
            .unwrap_or_default();
        Cache {
            path: Some(path),
            key,
            used: (0..rows).map(|_| AtomicBool::new(false)).collect(),
            file,
            body_at,
            rows,
            ..Cache::default()
        }
    }

    /// What [`super::parse_yaml`] gives for `yaml` starting at file line `first_line`. A block
    /// the fast path reads is parsed and not kept: that is about as fast as a lookup (whose
    /// hash alone costs a good part of it). Any other block comes from the cache when it has
    /// it, else it is parsed and kept for the next run.
    pub fn parse(&self, yaml: &str, first_line: u32) -> Parsed {
        if let Some(node) = fast::parse_fast(yaml, first_line) {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return Ok(node);
        }
        if self.path.is_none() {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return parse_saphyr(yaml, first_line);
        }
        let hash = hash(yaml, first_line);
        if let Some((row, bytes)) = self.find(&hash)
            && let Some(parsed) = decode(bytes)
        {
            self.used[row].store(true, Ordering::Relaxed);
            self.hits.fetch_add(1, Ordering::Relaxed);
            return parsed;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let parsed = parse_saphyr(yaml, first_line);
        let bytes = encode(&parsed);
        self.parsed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((hash, bytes));
        parsed
    }

    /// How this run used the cache so far.
    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            parsed: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Write what this run read, when it parsed anything: the entries it used and the ones it
    /// parsed, nothing else. Failures are ignored (a read-only git folder gets no cache).
    pub fn save(self) {
        let Some(path) = &self.path else {
            return;
        };
        let parsed = self.parsed.into_inner().unwrap_or_else(|e| e.into_inner());
        if parsed.is_empty() {
            return;
        }
        let body = self.file.get(self.body_at..).unwrap_or_default();
        let mut entries: Vec<(&[u8], &[u8])> = (0..self.rows)
            .filter(|&i| self.used[i].load(Ordering::Relaxed))
            .filter_map(|i| row(body, self.rows, i))
            .collect();
        entries.extend(parsed.iter().map(|(h, b)| (&h[..], &b[..])));
        // The same entries give the same bytes, whatever the order they were parsed in.
        entries.sort_unstable();
        entries.dedup_by(|a, b| a.0 == b.0);
        let file = frame(MAGIC, FORMAT, self.key, &encode_body(&entries));
        if write_atomic(path, &file).is_ok()
            && let Some(dir) = path.parent()
        {
            tidy(dir, &[PREFIX], &[path]);
        }
    }

    fn body(&self) -> &[u8] {
        self.file.get(self.body_at..).unwrap_or_default()
    }

    /// The row of `hash` and its entry's bytes.
    fn find(&self, hash: &Hash) -> Option<(usize, &[u8])> {
        let (mut lo, mut hi) = (0, self.rows);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (h, bytes) = row(self.body(), self.rows, mid)?;
            match h.cmp(&hash[..]) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((mid, bytes)),
            }
        }
        None
    }
}

/// The hash an entry is kept under: the start line (positions are file lines) and the text.
fn hash(yaml: &str, first_line: u32) -> Hash {
    let mut h = sha1_smol::Sha1::new();
    h.update(&first_line.to_le_bytes());
    h.update(yaml.as_bytes());
    h.digest().bytes()
}

/// Index row `i` of a body of `rows` rows: its hash and its entry's bytes; `None` when out of
/// bounds.
fn row(body: &[u8], rows: usize, i: usize) -> Option<(&[u8], &[u8])> {
    let at = i.checked_mul(ROW)?.checked_add(4)?;
    let mut r = Reader::new(body.get(at..at.checked_add(ROW)?)?);
    let hash = r.take(HASH)?;
    let (offset, len) = (r.u32()? as usize, r.u32()? as usize);
    let start = rows.checked_mul(ROW)?.checked_add(4)?.checked_add(offset)?;
    Some((hash, body.get(start..start.checked_add(len)?)?))
}

fn encode_body(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut w = Writer::default();
    w.len(entries.len());
    let mut offset = 0usize;
    for (hash, bytes) in entries {
        w.raw(hash);
        w.len(offset);
        w.len(bytes.len());
        offset += bytes.len();
    }
    for (_, bytes) in entries {
        w.raw(bytes);
    }
    w.buf
}

// An entry: `OK` and a node, or `ERR` and the error.
const OK: u8 = 0;
const ERR: u8 = 1;
// A node: its span, its raw text (an optional string), a tag and the value.
const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const SEQ: u8 = 6;
const MAP: u8 = 7;
/// The fewest bytes a node takes (span, no raw text, tag), and a mapping entry (key name,
/// key span, node): a count of them is never more than the bytes left could hold.
const MIN_NODE: usize = 8 + 1 + 1;
const MIN_ENTRY: usize = 4 + 8 + MIN_NODE;

fn encode(parsed: &Parsed) -> Vec<u8> {
    let mut w = Writer::default();
    match parsed {
        Ok(node) => {
            w.u8(OK);
            put_node(&mut w, node);
        }
        Err(e) => {
            w.u8(ERR);
            match e.span {
                Some(s) => {
                    w.u8(1);
                    put_span(&mut w, s);
                }
                None => w.u8(0),
            }
            w.str(&e.message);
            w.str(&e.help);
        }
    }
    w.buf
}

fn put_span(w: &mut Writer, s: Span) {
    w.u32(s.line);
    w.u32(s.col);
}

fn put_node(w: &mut Writer, node: &Node) {
    put_span(w, node.span);
    w.opt_str(node.raw.as_deref());
    match &node.value {
        Value::Null => w.u8(NULL),
        Value::Bool(b) => w.u8(if *b { TRUE } else { FALSE }),
        Value::Int(i) => {
            w.u8(INT);
            w.i64(*i);
        }
        Value::Float(f) => {
            w.u8(FLOAT);
            w.u64(f.to_bits());
        }
        Value::Str(s) => {
            w.u8(STR);
            w.str(s);
        }
        Value::Seq(items) => {
            w.u8(SEQ);
            w.len(items.len());
            for item in items {
                put_node(w, item);
            }
        }
        Value::Map(entries) => {
            w.u8(MAP);
            w.len(entries.len());
            for (key, value) in entries {
                w.str(&key.name);
                put_span(w, key.span);
                put_node(w, value);
            }
        }
    }
}

/// An entry as [`encode`] wrote it; `None` for anything else (the caller parses instead).
fn decode(bytes: &[u8]) -> Option<Parsed> {
    let mut r = Reader::new(bytes);
    let parsed = match r.u8()? {
        OK => Ok(get_node(&mut r, 0)?),
        ERR => {
            let span = match r.u8()? {
                0 => None,
                1 => Some(get_span(&mut r)?),
                _ => return None,
            };
            Err(YamlError {
                span,
                message: r.str()?.to_string(),
                help: r.str()?.to_string(),
            })
        }
        _ => return None,
    };
    r.at_end().then_some(parsed)
}

fn get_span(r: &mut Reader) -> Option<Span> {
    Some(Span::new(r.u32()?, r.u32()?))
}

/// A node `depth` levels down; never deeper than parsing allows, so a damaged file cannot
/// exhaust the stack.
fn get_node(r: &mut Reader, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH + 1 {
        return None;
    }
    let span = get_span(r)?;
    let raw = r.opt_str()?;
    let value = match r.u8()? {
        NULL => Value::Null,
        FALSE => Value::Bool(false),
        TRUE => Value::Bool(true),
        INT => Value::Int(r.i64()?),
        FLOAT => Value::Float(f64::from_bits(r.u64()?)),
        STR => Value::Str(r.str()?.to_string()),
        SEQ => {
            let n = r.count(MIN_NODE)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(get_node(r, depth + 1)?);
            }
            Value::Seq(items)
        }
        MAP => {
            let n = r.count(MIN_ENTRY)?;
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                let name = r.str()?.to_string();
                let span = get_span(r)?;
                entries.push((Key { name, span }, get_node(r, depth + 1)?));
            }
            Value::Map(entries)
        }
        _ => return None,
    };
    Some(Node { span, value, raw })
}

#[cfg(test)]
mod tests;
