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

pub(super) fn encode_log(
    head: Oid,
    order: &[Oid],
    records: &HashMap<Oid, Record>,
    at_head: &HashSet<String>,
) -> Vec<u8> {
    // The same records give the same bytes.
    let mut strings = Strings::default();
    let mut paths: Vec<&String> = at_head.iter().collect();
    paths.sort_unstable();
    let at_head: Vec<u32> = paths.into_iter().map(|p| strings.id(p)).collect();
    let mut commits = Writer::default();
    for id in order {
        commits.oid(*id);
        match records.get(id) {
            None => commits.u8(UNKNOWN),
            Some(Record { info: None, .. }) => commits.u8(NO_CHANGE),
            Some(Record {
                info: Some(info),
                deltas,
                ..
            }) => {
                commits.u8(CHANGED);
                commits.i64(info.time);
                commits.i64(i64::from(info.date.year()));
                commits.u8(info.date.month() as u8);
                commits.u8(info.date.day() as u8);
                commits.u32(strings.id(&info.author));
                commits.len(deltas.len());
                for d in deltas {
                    for (path, blob) in [(&d.old_path, d.old), (&d.new_path, d.new)] {
                        match (path, blob) {
                            (Some(p), Some(b)) => {
                                commits.u32(strings.id(p) + 1);
                                commits.oid(b);
                            }
                            _ => commits.u32(0),
                        }
                    }
                }
            }
        }
    }
    let mut w = Writer::default();
    w.oid(head);
    w.len(strings.list.len());
    for s in &strings.list {
        w.str(s);
    }
    w.len(at_head.len());
    for i in at_head {
        w.u32(i);
    }
    w.len(order.len());
    w.buf.extend_from_slice(&commits.buf);
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
    let string = |i: u32| strings.get(i as usize).copied();
    let n = r.count(4)?;
    let mut at_head = Vec::with_capacity(n);
    for _ in 0..n {
        at_head.push(string(r.u32()?)?.to_string());
    }
    let n = r.count(21)?;
    let mut order = Vec::with_capacity(n);
    let mut records = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = r.oid()?;
        order.push(id);
        let record = match r.u8()? {
            UNKNOWN => continue,
            NO_CHANGE => Record::default(),
            CHANGED => {
                let time = r.i64()?;
                let year = i16::try_from(r.i64()?).ok()?;
                let (month, day) = (r.u8()? as i8, r.u8()? as i8);
                let date = jiff::civil::Date::new(year, month, day).ok()?;
                let author = string(r.u32()?)?.to_string();
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
                let info = CommitInfo {
                    id: id.to_string(),
                    date,
                    author,
                    time,
                    boundary: false,
                };
                Record {
                    info: Some(info),
                    deltas,
                    ..Record::default()
                }
            }
            _ => return None,
        };
        records.insert(id, record);
    }
    r.at_end().then_some(Log {
        head: Some(head),
        order,
        records,
        at_head,
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
