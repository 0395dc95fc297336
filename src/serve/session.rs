//! A serve session's build: the same steps as `opsbook build` (read, model, git, validate,
//! render), kept in memory between rebuilds so that a rebuild does only what changed.
//!
//! - Reading: the handbook is walked again on every rebuild (by the same rules as a build, so
//!   an added, removed or renamed file is found whatever the watcher reported), but only files
//!   that are new, changed or reported are read and parsed again.
//! - Git: see [`history`](super::history).
//! - Validation runs over the whole handbook every time, as a build's does (bodies parsed for
//!   link checks are kept with their documents, so it is quick).
//! - Rendering: only the pages [`deps`](super::deps) says an edit can change, plus every page
//!   that gathers many documents; the whole site after a change of config, templates or date.
//!
//! The site a session serves is byte for byte what `opsbook build` writes for the same handbook
//! (a test holds it to that). While the handbook has errors, the last good site stays.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Counts, Diagnostic, Severity};
use crate::discover::{self, walk::Found};
use crate::error::Error;
use crate::model::{self, Doc, Handbook};
use crate::render::facts::{DocFacts, SiteFacts};
use crate::render::themes::ThemeSlugs;
use crate::render::{self, BodyInfo, Partial, RenderInput, Select, Templates, templates};
use crate::site::{self, MARKER, MARKER_TEXT};
use crate::validate;

use super::deps::{Changed, Dirty, Graph};
use super::history::GitState;
use super::output::{Committed, SiteDir};

/// What a session is asked to do besides the handbook's config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The date freshness is judged against; `None`: the date a build would take now
    /// (`SOURCE_DATE_EPOCH`, else the system date), looked at on every rebuild.
    pub today: Option<Date>,
    /// Read git facts.
    pub git: bool,
}

/// What the watcher saw since the last rebuild.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Paths that changed (under the handbook root).
    pub paths: BTreeSet<PathBuf>,
    /// Events may have been lost: look at everything again.
    pub rescan: bool,
    /// The repository's HEAD, index or ignore rules may have changed.
    pub git: bool,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The session's first build.
    pub first: bool,
    /// Root-relative paths of the files that changed.
    pub changed: Vec<String>,
    /// Findings in the handbook (the site is not updated while there are errors).
    pub counts: Counts,
    /// The errors that keep the site from being updated.
    pub errors: Vec<Diagnostic>,
    /// Why the rebuild could not run at all (a config that cannot be read, a file that
    /// cannot be read, a template that fails), as `error` and `caused by` lines.
    pub failure: Option<Vec<String>>,
    /// Files rendered or copied; `None` when the site was not updated.
    pub rendered: Option<usize>,
    /// The whole site was rendered.
    pub whole: bool,
    /// What changed in the served folder.
    pub committed: Committed,
    pub millis: u128,
}

impl Outcome {
    /// The site as served changed.
    pub fn served_changed(&self) -> bool {
        self.committed != Committed::default()
    }
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
    /// Render every page.
    whole: bool,
}

/// The last render that succeeded: what the next one compares with.
struct Last {
    graph: Graph,
    /// Findings by the page of the document they are in.
    findings: HashMap<String, Vec<Diagnostic>>,
    facts: std::collections::BTreeMap<String, DocFacts>,
    /// What every page shows from git: facts available, the repository's web address.
    global: (bool, Option<String>),
    themes: HashMap<String, String>,
    bodies: HashMap<String, BodyInfo>,
    today: Date,
}

/// A serve session's state.
pub struct Session {
    cfg: Config,
    opts: Options,
    /// Documents by root-relative path: the real path read, and the findings of reading it.
    files: BTreeMap<String, (PathBuf, Vec<Diagnostic>)>,
    walk_diags: Vec<Diagnostic>,
    hb: Handbook,
    templates: Option<(Templates, Vec<Diagnostic>)>,
    statics: Option<(Vec<Found>, Vec<Diagnostic>)>,
    git: GitState,
    site: SiteDir,
    /// Copied files by site path, with the real path read.
    copied: HashMap<String, PathBuf>,
    last: Option<Last>,
    pending: Pending,
    builds: usize,
}

impl Session {
    /// A session over `cfg`'s handbook; nothing is read until the first [`Session::rebuild`].
    pub fn new(mut cfg: Config, opts: Options) -> Result<Session, Error> {
        cfg.base_url = cfg.base_url.map(|b| site::base_url(&b)).transpose()?;
        let kinds = cfg.kinds.clone();
        Ok(Session {
            cfg,
            opts,
            files: BTreeMap::new(),
            walk_diags: Vec::new(),
            hb: Handbook::new(Vec::new(), kinds),
            templates: None,
            statics: None,
            git: GitState::default(),
            site: SiteDir::new()?,
            copied: HashMap::new(),
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
        let mut out = match self.try_rebuild(batch) {
            Ok(o) => o,
            Err(e) => Outcome {
                failure: Some(e.chain()),
                ..Outcome::default()
            },
        };
        let mut changed: Vec<String> = batch
            .paths
            .iter()
            .filter_map(|p| discover::relative(&self.cfg.root, p))
            .collect();
        changed.dedup();
        out.changed = changed;
        out.first = self.builds == 0;
        self.builds += 1;
        out.millis = start.elapsed().as_millis();
        out
    }

    fn try_rebuild(&mut self, batch: &Batch) -> Result<Outcome, Error> {
        self.note(batch);
        if self.pending.config {
            self.reload_config()?;
        }
        let today = match self.opts.today {
            Some(d) => d,
            None => crate::today(None)?,
        };
        crate::timing::start();
        self.read(batch)?;
        crate::timing::phase("serve: read");
        let root = self.cfg.root.clone();
        let out_dir = self.cfg.output_dir();
        if self.pending.templates || self.templates.is_none() {
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
        let facts = if self.opts.git {
            let whole = std::mem::take(&mut self.pending.git);
            match self.git.refresh(&self.cfg, whole) {
                Ok(f) => f,
                Err(e) => {
                    self.pending.git = true;
                    return Err(e);
                }
            }
        } else {
            None
        };
        crate::timing::phase("serve: git");
        let mut diags: Vec<Diagnostic> = self
            .files
            .values()
            .flat_map(|(_, d)| d.iter().cloned())
            .collect();
        diags.extend(self.walk_diags.iter().cloned());
        diags.extend(validate::run_with_git(&self.hb, &self.cfg, today, facts));
        let (templates, template_diags) = self.templates.as_ref().expect("templates loaded");
        let (statics, static_diags) = self.statics.as_ref().expect("statics walked");
        diags.extend(template_diags.iter().cloned());
        diags.extend(static_diags.iter().cloned());
        let diags = validate::finish(diags, &self.cfg, false);
        crate::timing::phase("serve: validate");
        let counts = Counts::of(&diags);
        if counts.errors > 0 {
            return Ok(Outcome {
                counts,
                errors: diags
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
                ..Outcome::default()
            });
        }
        let site_facts = facts
            .map(|g| site::facts::site_facts(g, &self.hb, &self.cfg, today))
            .unwrap_or_default();
        crate::timing::phase("serve: site facts");
        let graph = Graph::of(&self.hb, &self.cfg);
        let findings = findings_by_page(&self.hb, &diags);
        let themes = ThemeSlugs::of(&self.hb).all().clone();
        let global = global_facts(&site_facts);
        let whole = self.pending.whole
            || self.last.as_ref().is_none_or(|l| {
                l.today != today
                    || l.global != global
                    || l.themes
                        .iter()
                        .any(|(t, s)| themes.get(t).is_some_and(|n| n != s))
            });
        let dirty = match (&self.last, whole) {
            (Some(last), false) => Some(self.dirty(last, &graph, &findings, &site_facts)),
            _ => None,
        };
        crate::timing::phase("serve: what changed");
        let no_bodies = HashMap::new();
        let selected = dirty.as_ref().map(|d| Selected {
            hb: &self.hb,
            dirty: d,
        });
        let input = RenderInput {
            hb: &self.hb,
            cfg: &self.cfg,
            diagnostics: &diags,
            today,
            facts: &site_facts,
            templates,
            partial: selected.as_ref().map(|s| Partial {
                select: s as &dyn Select,
                bodies: self.last.as_ref().map_or(&no_bodies, |l| &l.bodies),
            }),
        };
        let staging = self.site.begin()?;
        let filled = render::render(&input, &staging).and_then(|rendered| {
            let copies = site::copies(&root, &out_dir, statics, &rendered);
            let mut copied = HashMap::new();
            for (rel, real) in copies {
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
                    render::Sink::put(
                        &staging,
                        render::OutputFile {
                            rel_path: rel.clone(),
                            bytes,
                        },
                    )?;
                }
                copied.insert(rel, real);
            }
            render::Sink::put(
                &staging,
                render::OutputFile {
                    rel_path: MARKER.into(),
                    bytes: MARKER_TEXT.into(),
                },
            )?;
            Ok((rendered, copied))
        });
        crate::timing::phase("serve: render");
        let (rendered, copied) = match filled {
            Ok(r) => r,
            Err(e) => {
                drop(staging);
                self.site.abort();
                return Err(e);
            }
        };
        let given = staging.given.load(std::sync::atomic::Ordering::Relaxed);
        let staged = staging.finish();
        let mut all: HashSet<String> = rendered.files.iter().cloned().collect();
        all.extend(copied.keys().cloned());
        all.insert(MARKER.to_string());
        let committed = self.site.commit(staged, &all)?;
        crate::timing::phase("serve: write");
        let bodies = self.bodies(rendered.bodies, dirty.as_ref());
        self.copied = copied;
        self.last = Some(Last {
            graph,
            findings,
            facts: site_facts.docs,
            global,
            themes,
            bodies,
            today,
        });
        self.pending = Pending::default();
        Ok(Outcome {
            counts,
            rendered: Some(given),
            whole,
            committed,
            ..Outcome::default()
        })
    }

    /// Record what the watcher saw as work to do.
    fn note(&mut self, batch: &Batch) {
        let p = &mut self.pending;
        if batch.rescan {
            p.config = true;
            p.reread = true;
            p.templates = true;
            p.statics = true;
            p.whole = true;
            p.git = true;
        }
        p.git |= batch.git;
        for path in &batch.paths {
            let Some(rel) = discover::relative(&self.cfg.root, path) else {
                continue;
            };
            let top = rel.split('/').next().unwrap_or_default();
            match top {
                _ if rel == CONFIG_FILE => p.config = true,
                "templates" => p.templates = true,
                "static" => p.statics = true,
                _ => {}
            }
            if rel.rsplit('/').next() == Some(".gitignore") {
                p.git = true;
            }
            p.paths.insert(rel);
        }
    }

    /// Read the config file again; everything is then read and rendered again.
    fn reload_config(&mut self) -> Result<(), Error> {
        let root = self.cfg.root.clone();
        let mut cfg = Config::discover(Some(&root), &root)?;
        cfg.base_url = cfg.base_url.map(|b| site::base_url(&b)).transpose()?;
        self.cfg = cfg;
        let p = &mut self.pending;
        p.config = false;
        p.reread = true;
        p.templates = true;
        p.statics = true;
        p.git = true;
        p.whole = true;
        Ok(())
    }

    /// Walk the handbook; read and parse the documents that are new or changed.
    fn read(&mut self, batch: &Batch) -> Result<(), Error> {
        let (found, walk_diags) = discover::find(&self.cfg)?;
        let reread = self.pending.reread;
        let stale: Vec<&Found> = found
            .iter()
            .filter(|f| {
                reread
                    || self
                        .files
                        .get(&f.rel)
                        .is_none_or(|(real, _)| *real != f.path)
                    || self.pending.paths.contains(&f.rel)
                    || batch.paths.contains(&f.path)
            })
            .collect();
        // Every file first, then the state: a file that cannot be read leaves it as it was.
        let read: Vec<Option<Parsed>> = stale
            .par_iter()
            .map(|f| match discover::read(f) {
                Ok(file) => {
                    let (hb, diags) = model::build(std::slice::from_ref(&file), &self.cfg);
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
        let mut replaced: HashSet<String> = self
            .files
            .keys()
            .filter(|rel| !present.contains(rel.as_str()))
            .cloned()
            .collect();
        for f in &stale {
            replaced.insert(f.rel.clone());
        }
        let mut docs: Vec<Doc> = std::mem::take(&mut self.hb.docs);
        docs.retain(|d| !replaced.contains(&d.path));
        for rel in &replaced {
            if self.files.remove(rel).is_none() && self.git.committed(rel) {
                // A committed file that was gone is back: what git says of it may differ.
                self.pending.git = true;
            }
            self.pending.paths.insert(rel.clone());
        }
        for (f, new, diags) in read.into_iter().flatten() {
            docs.extend(new);
            self.files.insert(f.rel.clone(), (f.path.clone(), diags));
        }
        self.hb = Handbook::new(docs, self.cfg.kinds.clone());
        self.walk_diags = walk_diags;
        self.pending.reread = false;
        Ok(())
    }

    /// The pages an edit can change, in the handbook before it and after it.
    fn dirty(&self, last: &Last, graph: &Graph, findings: &Findings, facts: &SiteFacts) -> Dirty {
        let mut paths = self.pending.paths.clone();
        let mut keys: BTreeSet<&String> = facts.docs.keys().collect();
        keys.extend(last.facts.keys());
        for k in keys {
            if facts.docs.get(k) != last.facts.get(k) {
                paths.insert(k.clone());
            }
        }
        let urls: HashSet<String> = findings
            .keys()
            .chain(last.findings.keys())
            .filter(|url| findings.get(*url) != last.findings.get(*url))
            .cloned()
            .collect();
        let changed = Changed {
            paths: &paths,
            urls: &urls,
        };
        let mut dirty = Dirty::default();
        last.graph.dirty(&changed, &mut dirty);
        graph.dirty(&changed, &mut dirty);
        dirty
    }

    /// What every page's body gave the site, after a render: this render's for the pages it
    /// made, the previous one's for the pages it left.
    fn bodies(
        &mut self,
        mut new: HashMap<String, BodyInfo>,
        dirty: Option<&Dirty>,
    ) -> HashMap<String, BodyInfo> {
        let mut old = self.last.take().map(|l| l.bodies).unwrap_or_default();
        let mut out = HashMap::new();
        for d in &self.hb.docs {
            if d.id.is_empty() {
                continue;
            }
            let url = d.url();
            let made = dirty.is_none_or(|x| x.urls.contains(&url));
            let body = if made {
                new.remove(&url)
            } else {
                old.remove(&url)
            };
            if let Some(b) = body {
                out.insert(url, b);
            }
        }
        out
    }
}

type Findings = HashMap<String, Vec<Diagnostic>>;

/// A document file read again: where it was found, its documents, the findings of reading it.
type Parsed<'a> = (&'a Found, Vec<Doc>, Vec<Diagnostic>);

/// Findings by the page of the document they are in.
fn findings_by_page(hb: &Handbook, diags: &[Diagnostic]) -> Findings {
    let mut out: Findings = HashMap::new();
    for d in diags {
        if let Some(i) = render::doc_of(hb, d) {
            out.entry(hb.docs[i].url()).or_default().push(d.clone());
        }
    }
    out
}

fn global_facts(f: &SiteFacts) -> (bool, Option<String>) {
    (f.available, f.repo.as_ref().map(|r| r.url.clone()))
}

/// The pages of a partial render.
struct Selected<'a> {
    hb: &'a Handbook,
    dirty: &'a Dirty,
}

impl Select for Selected<'_> {
    fn doc(&self, i: usize) -> bool {
        self.dirty.urls.contains(&self.hb.docs[i].url())
    }

    fn theme(&self, theme: &str) -> bool {
        self.dirty.themes.contains(theme)
    }
}
