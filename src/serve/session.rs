//! A serve session's build: the steps of `opsbook build` (read, model, git, validate, render),
//! kept in memory between rebuilds so that a rebuild does only what changed: reading in
//! [`sources`](super::sources), git in [`history`](super::history), validation in
//! [`checks`](super::checks), what an edit reaches in [`deps`](super::deps); the whole site
//! is made again after a change of config, templates or date.
//!
//! The site a session serves is byte for byte what `opsbook build` writes for the same handbook
//! (tests hold it to that). While the handbook has errors, the last good site stays.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::civil::Date;

use crate::config::Config;
use crate::diagnostic::{Counts, Diagnostic, Severity};
use crate::discover::{self, walk::Found};
use crate::error::Error;
use crate::render::themes::ThemeSlugs;
use crate::render::{
    self, KeptSearch, OutputFile, Partial, RenderInput, Select, Sink, Templates, templates,
};
use crate::site::{self, MARKER, MARKER_TEXT};

use super::carry::{Last, Selected, SiteFactsOf, findings_by_doc, global_facts, merge};
use super::checks::Checks;
use super::deps::{Dirty, Index, Key};
use super::history::GitState;
use super::output::SiteDir;
pub use super::rebuild::{Batch, Outcome};
use super::sources::Sources;

mod intake;

/// What a session is asked to do besides the handbook's config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The date freshness is judged against; `None`: the date a build would take now
    /// (`SOURCE_DATE_EPOCH`, else the system date), looked at on every rebuild.
    pub today: Option<Date>,
    /// Read git facts.
    pub git: bool,
}

/// What the session needs to redo after what happened since the last good render.
#[derive(Debug, Default)]
struct Pending {
    /// Root-relative paths of files that changed (documents or not).
    paths: HashSet<String>,
    config: bool,
    templates: bool,
    statics: bool,
    /// Read every document again.
    reread: bool,
    /// The whole git pass.
    git: bool,
    /// Make every page again.
    whole: bool,
    /// What the changes taken in so far reach.
    dirty: Dirty,
    /// Documents (by path) whose git facts changed.
    facts: HashSet<String>,
    /// Files whose git marks (modified locally, new) changed.
    marks: BTreeSet<String>,
}

impl Pending {
    /// Read, pass and make everything again (templates and static files too).
    fn everything(&mut self) {
        self.reread = true;
        self.templates = true;
        self.statics = true;
        self.git = true;
        self.whole = true;
    }
}

/// A serve session's state.
pub struct Session {
    cfg: Config,
    opts: Options,
    sources: Sources,
    /// What every document mentions, as of the last rebuild.
    index: Option<Index>,
    checks: Checks,
    templates: Option<(Templates, Vec<Diagnostic>)>,
    statics: Option<(Vec<Found>, Vec<Diagnostic>)>,
    git: GitState,
    site_facts: Option<SiteFactsOf>,
    site: SiteDir,
    /// Copied files by site path, with the real path read.
    copied: HashMap<String, PathBuf>,
    /// The search index of the last render, kept to be patched by the next.
    search: KeptSearch,
    last: Option<Last>,
    pending: Pending,
    builds: usize,
}

impl Session {
    /// A session over `cfg`'s handbook; nothing is read until the first [`Session::rebuild`].
    pub fn new(mut cfg: Config, opts: Options) -> Result<Session, Error> {
        cfg.base_url = cfg.base_url.map(|b| site::base_url(&b)).transpose()?;
        Ok(Session {
            sources: Sources::new(&cfg),
            cfg,
            opts,
            index: None,
            checks: Checks::default(),
            templates: None,
            statics: None,
            git: GitState::default(),
            site_facts: None,
            site: SiteDir::new()?,
            copied: HashMap::new(),
            search: KeptSearch::default(),
            last: None,
            builds: 0,
            pending: Pending {
                reread: true,
                git: true,
                whole: true,
                statics: true,
                templates: true,
                ..Pending::default()
            },
        })
    }

    /// The folder the site is served from.
    pub fn dir(&self) -> &Path {
        self.site.live()
    }

    /// The handbook's config as the session uses it.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Take in what changed and bring the served site up to date.
    pub fn rebuild(&mut self, batch: &Batch) -> Outcome {
        let start = Instant::now();
        let mut out = self.try_rebuild(batch).unwrap_or_else(|e| Outcome {
            failure: Some(e.chain()),
            ..Outcome::default()
        });
        let mut changed: Vec<String> = batch
            .paths
            .iter()
            .filter_map(|p| discover::relative(&self.cfg.root, p))
            .collect();
        // Documents first: an editor's temporary files are changes too, but less telling.
        changed.sort_by_key(|p| !discover::is_document(p));
        out.changed = changed;
        out.first = self.builds == 0;
        self.builds += 1;
        out.millis = start.elapsed().as_millis();
        out
    }

    fn try_rebuild(&mut self, batch: &Batch) -> Result<Outcome, Error> {
        crate::timing::phase("serve: waiting");
        self.note(batch);
        if self.pending.config {
            self.reload_config()?;
        }
        let today = match self.opts.today {
            Some(d) => d,
            None => crate::today(None)?,
        };
        let (touched, added) = self.sources.refresh(
            &self.cfg,
            &batch.paths,
            &self.pending.paths,
            self.pending.reread,
        )?;
        self.pending.reread = false;
        if added.iter().any(|rel| self.git.committed(rel)) {
            // A committed file that was gone is back: what git says of it may differ.
            self.pending.git = true;
        }
        self.pending.paths.extend(touched);
        crate::timing::phase("serve: read");
        self.take_in_documents();
        crate::timing::phase("serve: what changed");
        let root = self.cfg.root.clone();
        let out_dir = self.cfg.output_dir();
        // Templates read again: a view that did not change may now make another page.
        let new_templates = self.pending.templates || self.templates.is_none();
        if new_templates {
            let mut diags = Vec::new();
            let t = templates::load(Some(&root), &mut diags)?;
            self.templates = Some((t, diags));
            self.pending.templates = false;
            self.pending.whole = true;
        }
        if self.pending.statics || self.statics.is_none() {
            let mut diags = Vec::new();
            let s = site::static_files(&root, &out_dir, &mut diags)?;
            self.statics = Some((s, diags));
            self.pending.statics = false;
        }
        if self.opts.git {
            let whole = std::mem::take(&mut self.pending.git);
            if let Err(e) = self.git.refresh(&self.cfg, whole) {
                self.pending.git = true;
                return Err(e);
            }
        }
        let marks = self.git.take_marks();
        self.pending.marks.extend(marks);
        let facts = self.git.facts().filter(|_| self.opts.git);
        crate::timing::phase("serve: git");
        let hb = &self.sources.hb;
        let check_all = self.pending.whole || self.index.is_none();
        let mut diags = self.sources.findings();
        diags.extend(self.checks.run(
            hb,
            &self.cfg,
            today,
            facts,
            self.git.passes(),
            (!check_all).then_some(&self.pending.dirty.check),
        ));
        self.pending.dirty.check.clear();
        let (templates, template_diags) = self.templates.as_ref().expect("templates loaded");
        let (statics, static_diags) = self.statics.as_ref().expect("statics walked");
        diags.extend(template_diags.iter().cloned());
        diags.extend(static_diags.iter().cloned());
        let diags = crate::validate::finish(diags, &self.cfg, false);
        let counts = Counts::of(&diags);
        crate::timing::phase("serve: check");
        if counts.errors > 0 || self.checks.collided {
            return Ok(Outcome {
                counts,
                errors: diags
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
                ..Outcome::default()
            });
        }
        // Made whole for another history or date; else made again for the files whose
        // documents or marks changed.
        let of = (self.git.passes(), facts.is_some(), today);
        match (&mut self.site_facts, facts) {
            (Some(s), Some(g)) if s.of == of => {
                let mut paths: BTreeSet<String> = self.pending.marks.clone();
                paths.extend(self.pending.paths.iter().cloned());
                let changed = site::facts::update(&mut s.facts, g, hb, &self.cfg, today, &paths);
                self.pending.facts.extend(changed);
            }
            (Some(s), None) if s.of == of => {}
            _ => {
                let new = facts
                    .map(|g| site::facts::site_facts(g, hb, &self.cfg, today))
                    .unwrap_or_default();
                if let Some(old) = &self.site_facts {
                    let (a, b) = (&old.facts.docs, &new.docs);
                    let changed = a.keys().chain(b.keys()).filter(|p| a.get(*p) != b.get(*p));
                    self.pending.facts.extend(changed.cloned());
                }
                self.site_facts = Some(SiteFactsOf { of, facts: new });
            }
        }
        let site_facts = &self.site_facts.as_ref().expect("site facts made").facts;
        let findings = findings_by_doc(hb, &diags);
        let themes = ThemeSlugs::of(hb).all().clone();
        let global = global_facts(site_facts);
        let whole = self.pending.whole
            || self.last.as_ref().is_none_or(|l| {
                l.today != today
                    || l.global != global
                    || l.themes
                        .iter()
                        .any(|(t, s)| themes.get(t).is_some_and(|n| n != s))
            });
        if let (Some(last), Some(index), false) = (&self.last, &self.index, whole) {
            let findings_changed: HashSet<Key> = findings
                .keys()
                .chain(last.findings.keys())
                .filter(|k| findings.get(*k) != last.findings.get(*k))
                .cloned()
                .collect();
            index.findings_and_facts(
                &findings_changed,
                &self.pending.facts,
                &mut self.pending.dirty,
            );
        }
        crate::timing::phase("serve: facts, findings");
        let (no_linked, no_views) = (HashMap::new(), HashMap::new());
        let no_cards = HashMap::new();
        let selected = (!whole).then(|| Selected::new(hb, &self.pending.dirty));
        let input = RenderInput {
            hb,
            cfg: &self.cfg,
            diagnostics: &diags,
            today,
            facts: site_facts,
            templates,
            partial: Some(Partial {
                select: selected.as_ref().map(|s| s as &dyn Select),
                linked: self.last.as_ref().map_or(&no_linked, |l| &l.linked),
                search: &self.search,
                views: match &self.last {
                    Some(l) if !new_templates => &l.views,
                    _ => &no_views,
                },
                cards: match &self.last {
                    Some(l) if !whole => &l.cards,
                    _ => &no_cards,
                },
            }),
        };
        let staging = self.site.begin()?;
        let made = render::render(&input, &staging).and_then(|rendered| {
            let copied = self.copy(&rendered, statics, &staging, whole, batch)?;
            staging.put(OutputFile {
                rel_path: MARKER.into(),
                bytes: MARKER_TEXT.into(),
            })?;
            Ok((rendered, copied))
        });
        let (rendered, copied) = match made {
            Ok(r) => r,
            Err(e) => {
                drop(staging);
                self.site.abort();
                self.forget_search();
                return Err(e);
            }
        };
        crate::timing::phase("serve: copy");
        let given = staging.given.load(std::sync::atomic::Ordering::Relaxed);
        let staged = staging.finish();
        let mut all: HashSet<String> = rendered.files.iter().cloned().collect();
        all.extend(copied.keys().cloned());
        all.insert(MARKER.to_string());
        let committed = self
            .site
            .commit(staged, &all)
            .inspect_err(|_| self.forget_search())?;
        let last = self.last.take();
        let (mut views, old_linked, old_cards) = last
            .map(|l| (l.views, l.linked, l.cards))
            .unwrap_or_default();
        views.extend(rendered.views);
        views.retain(|url, _| all.contains(url));
        let made = |url: &str| whole || self.pending.dirty.urls.contains(url);
        let linked = merge(&self.sources.hb, rendered.linked, old_linked, &made);
        let cards = match whole {
            true => rendered.cards,
            false => super::carry::cards(rendered.cards, old_cards, &self.pending.dirty),
        };
        self.copied = copied;
        self.last = Some(Last {
            views,
            cards,
            findings,
            global,
            themes,
            linked,
            today,
        });
        self.pending = Pending::default();
        crate::timing::phase("serve: write");
        Ok(Outcome {
            counts,
            rendered: Some(given),
            whole,
            committed,
            ..Outcome::default()
        })
    }

    /// Drop the kept search index after a rebuild that failed once it may have patched it
    /// (with pages that are not served): the next render makes it whole.
    fn forget_search(&self) {
        *self.search.lock().unwrap_or_else(|e| e.into_inner()) = Default::default();
    }
}
