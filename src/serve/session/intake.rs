//! What an edit brings into a session: the watcher's changes noted as work to do, the config
//! read again, the documents taken into the index of what they mention, and the static files
//! and linked files copied when they are new or changed.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Batch, Session};
use crate::config::{CONFIG_FILE, Config};
use crate::discover::{self, walk::Found};
use crate::error::Error;
use crate::render::{self, OutputFile, Sink};
use crate::serve::deps::Index;
use crate::site;

impl Session {
    /// Bring the index of what documents mention up to date with the documents read, and
    /// note what the change reaches.
    pub(super) fn take_in_documents(&mut self) {
        let hb = &self.sources.hb;
        match &mut self.index {
            Some(index) if !self.checks.collided && !self.pending.whole => {
                index.update(hb, &self.pending.paths, &mut self.pending.dirty);
            }
            _ => {
                self.index = Some(Index::of(hb));
                self.pending.whole = true;
            }
        }
    }

    /// Copy `static/` and the files bodies link to: only those new or changed since the last
    /// render are read again. Returns every copied file by site path.
    pub(super) fn copy(
        &self,
        rendered: &render::Rendered,
        statics: &[Found],
        staging: &crate::serve::output::Staging,
        whole: bool,
        batch: &Batch,
    ) -> Result<HashMap<String, PathBuf>, Error> {
        let mut copied = HashMap::new();
        for (rel, real) in site::copies(&self.cfg.root, &self.cfg.output_dir(), statics, rendered) {
            let unchanged = !whole
                && self.copied.get(&rel) == Some(&real)
                && self.site.has(&rel)
                && !self.pending.paths.contains(&rel)
                && !batch.paths.contains(&real);
            if !unchanged {
                let bytes = std::fs::read(&real).map_err(|source| Error::Read {
                    path: real.clone(),
                    source,
                })?;
                staging.put(OutputFile {
                    rel_path: rel.clone(),
                    bytes,
                })?;
            }
            copied.insert(rel, real);
        }
        Ok(copied)
    }

    /// Record what the watcher saw as work to do.
    pub(super) fn note(&mut self, batch: &Batch) {
        let p = &mut self.pending;
        if batch.rescan {
            p.config = true;
            p.everything();
        }
        p.git |= batch.git;
        for path in &batch.paths {
            let Some(rel) = discover::relative(&self.cfg.root, path) else {
                continue;
            };
            match rel.split('/').next().unwrap_or_default() {
                // A navigation file's links decide which pages are orphans.
                _ if rel == CONFIG_FILE || self.cfg.links.nav.contains(&rel) => p.config = true,
                "templates" => p.templates = true,
                "static" => p.statics = true,
                _ => {}
            }
            p.paths.insert(rel);
        }
    }

    /// Read the config file again; everything is then read and made again.
    pub(super) fn reload_config(&mut self) -> Result<(), Error> {
        let root = self.cfg.root.clone();
        let mut cfg = Config::discover(Some(&root), &root)?;
        cfg.base_url = cfg.base_url.map(|b| site::base_url(&b)).transpose()?;
        self.cfg = cfg;
        self.site_facts = None;
        self.pending.config = false;
        self.pending.everything();
        Ok(())
    }
}
