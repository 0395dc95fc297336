//! The bytes of the cache files: the records of a walk (paths and authors stored once), and
//! the tracked values of file versions (each distinct set of values stored once).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use git2::Oid;

use super::Log;
use crate::cache_file::codec::{Reader, Writer};
use crate::git::CommitInfo;
use crate::git::diff::Delta;
use crate::git::history::{Form, Values};
use crate::git::tally::Record;
use crate::git::tracking::{Entry, Slots};

/// Object ids in the cache files: their 20 bytes.
trait OidCodec {
    fn oid(&mut self, id: Oid);
}

impl OidCodec for Writer {
    fn oid(&mut self, id: Oid) {
        let b = id.as_bytes();
        let mut raw = [0u8; 20];
        raw[..b.len().min(20)].copy_from_slice(&b[..b.len().min(20)]);
        self.raw(&raw);
    }
}

fn read_oid(r: &mut Reader) -> Option<Oid> {
    Oid::from_bytes(r.take(20)?).ok()
}

/// Strings (paths and authors) are stored once, and referred to by index.
#[derive(Default)]
struct Strings<'a> {
    index: HashMap<&'a str, u32>,
    list: Vec<&'a str>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let next = self.list.len() as u32;
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

// A commit of the order is one of these, then its record.
const UNKNOWN: u8 = 0;
const NO_CHANGE: u8 = 1;
const CHANGED: u8 = 2;

/// One record (or `UNKNOWN` for none), its strings in `strings`.
fn put_record<'a>(w: &mut Writer, strings: &mut Strings<'a>, record: Option<&'a Record>) {
    match record {
        None => w.u8(UNKNOWN),
        Some(Record { info: None, .. }) => w.u8(NO_CHANGE),
        Some(Record {
            info: Some(info),
            deltas,
            ..
        }) => {
            w.u8(CHANGED);
            w.i64(info.time);
            w.i64(i64::from(info.date.year()));
            w.u8(info.date.month() as u8);
            w.u8(info.date.day() as u8);
            w.u32(strings.id(&info.author));
            w.len(deltas.len());
            for d in deltas {
                for (path, blob) in [(&d.old_path, d.old), (&d.new_path, d.new)] {
                    match (path, blob) {
                        (Some(p), Some(b)) => {
                            w.u32(strings.id(p) + 1);
                            w.oid(b);
                        }
                        _ => w.u32(0),
                    }
                }
            }
        }
    }
}

/// One record of commit `id` (`Some(None)`: unknown); `None` when the bytes are damaged.
fn get_record(r: &mut Reader, strings: &[&str], id: Oid) -> Option<Option<Record>> {
    let string = |i: u32| strings.get(i as usize).copied();
    let info = match r.u8()? {
        UNKNOWN => return Some(None),
        NO_CHANGE => return Some(Some(Record::default())),
        CHANGED => {
            let time = r.i64()?;
            let year = i16::try_from(r.i64()?).ok()?;
            let (month, day) = (r.u8()? as i8, r.u8()? as i8);
            let date = jiff::civil::Date::new(year, month, day).ok()?;
            let author = string(r.u32()?)?.to_string();
            CommitInfo {
                id: id.to_string(),
                date,
                author,
                time,
                boundary: false,
            }
        }
        _ => return None,
    };
    let n = r.count(8)?;
    let mut deltas = Vec::with_capacity(n);
    for _ in 0..n {
        let mut side = || -> Option<(Option<String>, Option<Oid>)> {
            match r.u32()? {
                0 => Some((None, None)),
                i => Some((Some(string(i - 1)?.to_string()), Some(read_oid(r)?))),
            }
        };
        let (old_path, old) = side()?;
        let (new_path, new) = side()?;
        if old_path.is_none() && new_path.is_none() {
            return None;
        }
        deltas.push(Delta {
            old_path,
            new_path,
            old,
            new,
        });
    }
    Some(Some(Record {
        info: Some(info),
        deltas,
        ..Record::default()
    }))
}

pub(super) fn encode_log(log: &Log) -> Vec<u8> {
    // The same records give the same bytes.
    let mut strings = Strings::default();
    let mut paths: Vec<&String> = log.at_head.iter().collect();
    paths.sort_unstable();
    let at_head: Vec<u32> = paths.into_iter().map(|p| strings.id(p)).collect();
    let mut commits = Writer::default();
    for id in &log.order {
        commits.oid(*id);
        put_record(&mut commits, &mut strings, log.records.get(id));
    }
    let mut sides: Vec<(&(Oid, u64), &Record)> = log.sides.iter().collect();
    sides.sort_unstable_by_key(|s| *s.0);
    let mut side = Writer::default();
    side.len(sides.len());
    for ((id, followed), record) in sides {
        side.oid(*id);
        side.buf.extend_from_slice(&followed.to_le_bytes());
        put_record(&mut side, &mut strings, Some(record));
    }
    let mut w = Writer::default();
    w.oid(log.head.unwrap_or(Oid::ZERO_SHA1));
    w.len(strings.list.len());
    for s in &strings.list {
        w.str(s);
    }
    w.len(at_head.len());
    for i in at_head {
        w.u32(i);
    }
    w.len(log.order.len());
    w.buf.extend_from_slice(&commits.buf);
    w.buf.extend_from_slice(&side.buf);
    w.buf
}

pub(super) fn decode_log(body: &[u8]) -> Option<Log> {
    let mut r = Reader::new(body);
    let head = read_oid(&mut r)?;
    let n = r.count(4)?;
    let mut strings = Vec::with_capacity(n);
    for _ in 0..n {
        strings.push(r.str()?);
    }
    let n = r.count(4)?;
    let mut at_head = Vec::with_capacity(n);
    for _ in 0..n {
        at_head.push(strings.get(r.u32()? as usize)?.to_string());
    }
    let n = r.count(21)?;
    let mut order = Vec::with_capacity(n);
    let mut records = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = read_oid(&mut r)?;
        order.push(id);
        if let Some(record) = get_record(&mut r, &strings, id)? {
            records.insert(id, record);
        }
    }
    let n = r.count(29)?;
    let mut sides = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = read_oid(&mut r)?;
        let followed = r.u64()?;
        sides.insert((id, followed), get_record(&mut r, &strings, id)??);
    }
    r.at_end().then_some(Log {
        head: Some(head),
        order,
        records,
        at_head,
        sides,
    })
}

/// The tracked values of file versions: each distinct set of values once, each distinct
/// registry entry once, then the blobs read as documents (with the index of their values),
/// then the blobs read as the registry (with the indexes of their entries). `width` is the
/// number of values of a version.
pub(super) fn encode_states<'a>(
    states: impl Iterator<Item = ((Oid, Form), &'a Values)>,
    width: usize,
) -> Vec<u8> {
    // Many versions share their values (only the body changed) and their entries (one entry
    // changed): each is stored once.
    let mut slot_index: HashMap<&[Option<String>], u32> = HashMap::new();
    let mut slot_list: Vec<&[Option<String>]> = Vec::new();
    let mut entry_index: HashMap<&Entry, u32> = HashMap::new();
    let mut entry_list: Vec<(&Entry, u32)> = Vec::new();
    let mut docs: Vec<(Oid, u32)> = Vec::new();
    let mut registries: Vec<(Oid, Vec<u32>)> = Vec::new();
    let mut seen = HashSet::new();
    for (key, values) in states {
        if !seen.insert(key) {
            continue;
        }
        let mut slots = |s: &'a Slots| -> u32 {
            let next = slot_list.len() as u32;
            *slot_index.entry(s).or_insert_with(|| {
                slot_list.push(s);
                next
            })
        };
        match values {
            Values::Doc(s) => docs.push((key.0, slots(s))),
            Values::Registry(entries) => {
                let mut ids = Vec::with_capacity(entries.len());
                for e in entries.iter() {
                    let next = entry_list.len() as u32;
                    let i = match entry_index.get(&**e) {
                        Some(&i) => i,
                        None => {
                            entry_list.push((e, slots(&e.slots)));
                            entry_index.insert(e, next);
                            next
                        }
                    };
                    ids.push(i);
                }
                registries.push((key.0, ids));
            }
        }
    }
    docs.sort_unstable();
    registries.sort_unstable_by_key(|r| r.0);
    let mut w = Writer::default();
    w.len(width);
    w.len(slot_list.len());
    for slots in slot_list {
        for i in 0..width {
            w.opt_str(slots.get(i).and_then(Option::as_deref));
        }
    }
    w.len(entry_list.len());
    for (e, slots) in entry_list {
        w.len(e.list);
        w.str(&e.id);
        w.u32(slots);
        w.buf.extend_from_slice(&e.digest.to_le_bytes());
    }
    w.len(docs.len());
    for (blob, i) in docs {
        w.oid(blob);
        w.u32(i);
    }
    w.len(registries.len());
    for (blob, ids) in registries {
        w.oid(blob);
        w.len(ids.len());
        for i in ids {
            w.u32(i);
        }
    }
    w.buf
}

/// The values [`encode_states`] wrote, when they have `width` values each and name only the
/// `lists` registry lists there are.
pub(super) fn decode_states(
    body: &[u8],
    width: usize,
    lists: usize,
) -> Option<HashMap<(Oid, Form), Values>> {
    let mut r = Reader::new(body);
    if r.u32()? as usize != width {
        return None;
    }
    let n = r.count(width)?;
    let mut slot_list: Vec<Slots> = Vec::with_capacity(n);
    for _ in 0..n {
        let slots: Option<Vec<Option<String>>> = (0..width).map(|_| r.opt_str()).collect();
        slot_list.push(slots?.into());
    }
    let slots = |i: u32| slot_list.get(i as usize).cloned();
    let n = r.count(20)?;
    let mut entry_list: Vec<Arc<Entry>> = Vec::with_capacity(n);
    for _ in 0..n {
        let list = r.u32()? as usize;
        if list >= lists {
            return None;
        }
        let id = r.str()?.to_string();
        let values = slots(r.u32()?)?;
        entry_list.push(Arc::new(Entry {
            list,
            id,
            slots: values,
            digest: r.u64()?,
        }));
    }
    let n = r.count(24)?;
    let mut out = HashMap::with_capacity(n);
    for _ in 0..n {
        let blob = read_oid(&mut r)?;
        out.insert((blob, Form::Doc), Values::Doc(slots(r.u32()?)?));
    }
    let n = r.count(24)?;
    for _ in 0..n {
        let blob = read_oid(&mut r)?;
        let m = r.count(4)?;
        let entries: Option<Vec<Arc<Entry>>> = (0..m)
            .map(|_| entry_list.get(r.u32()? as usize).cloned())
            .collect();
        out.insert((blob, Form::Registry), Values::Registry(entries?.into()));
    }
    r.at_end().then_some(out)
}
