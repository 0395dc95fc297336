//! The handbook's documents as a session keeps them: walked again on every rebuild (by the
//! same rules as a build, so an added, removed or renamed file is found whatever the watcher
//! reported), but read and parsed again only when new, changed or reported.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, walk::Found};
use crate::error::Error;
use crate::model::{self, Doc, Handbook};

/// The documents of a handbook, read.
pub struct Sources {
    /// Document files by root-relative path: the real path read, and the findings of reading
    /// it.
    files: BTreeMap<String, (PathBuf, Vec<Diagnostic>)>,
    /// The walk's findings (links not followed).
    walk: Vec<Diagnostic>,
    pub hb: Handbook,
}

/// A document file read again: where it was found, its documents, the findings of reading it.
type Parsed<'a> = (&'a Found, Vec<Doc>, Vec<Diagnostic>);

impl Sources {
    pub fn new(cfg: &Config) -> Sources {
        Sources {
            files: BTreeMap::new(),
            walk: Vec::new(),
            hb: Handbook::new(Vec::new(), cfg.kinds.clone()),
        }
    }

    /// Walk the handbook; read and parse the documents that are new, or whose real path is in
    /// `changed` or root-relative path in `named`, or all with `all`. Returns the
    /// root-relative paths of the documents read again, added or gone, and of those added. A
    /// file that cannot be read leaves everything as it was.
    pub fn refresh(
        &mut self,
        cfg: &Config,
        changed: &BTreeSet<PathBuf>,
        named: &HashSet<String>,
        all: bool,
    ) -> Result<(HashSet<String>, Vec<String>), Error> {
        let (found, walk) = discover::find(cfg)?;
        let stale: Vec<&Found> = found
            .iter()
            .filter(|f| {
                all || self
                    .files
                    .get(&f.rel)
                    .is_none_or(|(real, _)| *real != f.path)
                    || named.contains(&f.rel)
                    || changed.contains(&f.path)
            })
            .collect();
        let read: Vec<Option<Parsed>> = stale
            .par_iter()
            .map(|f| match discover::read(f) {
                Ok(file) => {
                    let (hb, diags) = model::build(std::slice::from_ref(&file), cfg);
                    Ok(Some((*f, hb.docs, diags)))
                }
                // Gone since the walk: the next event tells what became of it.
                Err(Error::Read { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    Ok(None)
                }
                Err(e) => Err(e),
            })
            .collect::<Result<_, Error>>()?;
        let present: HashSet<&str> = found.iter().map(|f| f.rel.as_str()).collect();
        let mut touched: HashSet<String> = self
            .files
            .keys()
            .filter(|rel| !present.contains(rel.as_str()))
            .cloned()
            .collect();
        touched.extend(stale.iter().map(|f| f.rel.clone()));
        let was: HashSet<&str> = stale
            .iter()
            .filter(|f| self.files.contains_key(&f.rel))
            .map(|f| f.rel.as_str())
            .collect();
        let mut docs: Vec<Doc> = std::mem::take(&mut self.hb.docs);
        docs.retain(|d| !touched.contains(&d.path));
        let mut added = Vec::new();
        for rel in &touched {
            self.files.remove(rel);
        }
        for (f, new, diags) in read.into_iter().flatten() {
            docs.extend(new);
            if self
                .files
                .insert(f.rel.clone(), (f.path.clone(), diags))
                .is_none()
                && !was.contains(f.rel.as_str())
            {
                added.push(f.rel.clone());
            }
        }
        self.hb = Handbook::new(docs, cfg.kinds.clone());
        self.walk = walk;
        Ok((touched, added))
    }

    /// Whether a document file is known.
    pub fn has(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// The findings of reading every file, in path order, then the walk's: as a build has them.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .files
            .values()
            .flat_map(|(_, d)| d.iter().cloned())
            .collect();
        out.extend(self.walk.iter().cloned());
        out
    }
}
