//! The bytes of the cache files: the records of a walk (paths and authors stored once), and
//! the tracked values of file versions (each distinct set of values stored once).

use std::collections::{HashMap, HashSet};

use git2::Oid;

use super::Log;
use super::codec::{Reader, Writer};
use crate::git::CommitInfo;
use crate::git::diff::Delta;
use crate::git::state::ItemState;
use crate::git::tally::Record;

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
                i => Some((Some(string(i - 1)?.to_string()), Some(r.oid()?))),
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
    let head = r.oid()?;
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
        let id = r.oid()?;
        order.push(id);
        if let Some(record) = get_record(&mut r, &strings, id)? {
            records.insert(id, record);
        }
    }
    let n = r.count(29)?;
    let mut sides = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = r.oid()?;
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

const FIELDS: usize = 6;

pub(super) fn encode_states<'a>(states: impl Iterator<Item = (Oid, &'a ItemState)>) -> Vec<u8> {
    // Many versions share their values (only the body changed): each value set is stored once.
    let mut unique: HashMap<&ItemState, u32> = HashMap::new();
    let mut list: Vec<&ItemState> = Vec::new();
    let mut blobs: Vec<(Oid, u32)> = Vec::new();
    let mut seen = HashSet::new();
    for (blob, state) in states {
        if !seen.insert(blob) {
            continue;
        }
        let next = list.len() as u32;
        let i = *unique.entry(state).or_insert_with(|| {
            list.push(state);
            next
        });
        blobs.push((blob, i));
    }
    blobs.sort_unstable();
    let mut w = Writer::default();
    w.len(list.len());
    for s in list {
        for v in fields(s) {
            w.opt_str(v.as_deref());
        }
    }
    w.len(blobs.len());
    for (blob, i) in blobs {
        w.oid(blob);
        w.u32(i);
    }
    w.buf
}

fn fields(s: &ItemState) -> [&Option<String>; FIELDS] {
    [
        &s.title,
        &s.status,
        &s.target,
        &s.owner,
        &s.score,
        &s.last_reviewed,
    ]
}

pub(super) fn decode_states(body: &[u8]) -> Option<HashMap<Oid, ItemState>> {
    let mut r = Reader::new(body);
    let n = r.count(FIELDS)?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(ItemState {
            title: r.opt_str()?,
            status: r.opt_str()?,
            target: r.opt_str()?,
            owner: r.opt_str()?,
            score: r.opt_str()?,
            last_reviewed: r.opt_str()?,
        });
    }
    let n = r.count(24)?;
    let mut out = HashMap::with_capacity(n);
    for _ in 0..n {
        let blob = r.oid()?;
        let state: &ItemState = list.get(r.u32()? as usize)?;
        out.insert(blob, state.clone());
    }
    r.at_end().then_some(out)
}
