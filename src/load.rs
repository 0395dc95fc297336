//! The one loader every command uses: discover the sources, read git facts (as much as the
//! command needs), build the model. Validation and output are the commands' own.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, SourceFile};
use crate::error::Error;
use crate::frontmatter;
use crate::git::{self, Facts};
use crate::model::{self, Handbook};
use crate::validate;

/// How much of git a command reads.
pub enum GitRead<'a> {
    /// Nothing (`--no-git`, or not a repository).
    None,
    /// The whole history pass (dates, authors, value histories): `build`, `export`.
    Full,
    /// What `check` needs: the last commit of the documents dated by git among the selected
    /// ones. The pass runs while the documents are read and stops once those have one.
    LastCommits {
        repo: git::Repo,
        /// `check` was given paths or `--changed-since`: only the selected files count.
        narrowed: bool,
        selected: &'a (dyn Fn(&str) -> bool + Sync),
    },
}

/// A handbook as read from disk and git, before the rules run.
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub handbook: Handbook,
    /// What reading found: discovery (symbolic links) and the model (parse and field errors).
    pub diags: Vec<Diagnostic>,
    pub facts: Option<Facts>,
}

/// Read the handbook of `cfg` with as much of git as `git` says.
pub fn load(cfg: &Config, git: GitRead<'_>) -> Result<Loaded, Error> {
    crate::timing::start();
    let (facts, (files, skipped), (handbook, mut diags)) = match git {
        GitRead::None => {
            let (files, skipped) = discover::sources(cfg)?;
            crate::timing::phase("read");
            let model = build_model(&files, cfg, None);
            (None, (files, skipped), model)
        }
        GitRead::Full => {
            // The history pass runs first, on its own (it uses every core itself): beside the
            // reading of the documents it would add its peak memory to theirs.
            let repo = git::Repo::open(&cfg.root)?;
            let facts = match &repo {
                Some(repo) => Some(repo.facts(cfg, &git::ReadOptions::default())?),
                None => None,
            };
            crate::timing::phase("git pass");
            let (files, skipped) = discover::sources(cfg)?;
            crate::timing::phase("read");
            let model = build_model(&files, cfg, repo.as_ref());
            (facts, (files, skipped), model)
        }
        GitRead::LastCommits {
            repo,
            narrowed,
            selected,
        } => {
            let (files, skipped) = discover::sources(cfg)?;
            crate::timing::phase("read");
            let only = narrowed.then(|| {
                files
                    .iter()
                    .map(|f| f.rel_path.clone())
                    .filter(|p| selected(p))
                    .collect()
            });
            let (model, facts) = last_commits(cfg, &files, repo, only, selected)?;
            (Some(facts), (files, skipped), model)
        }
    };
    diags.extend(skipped);
    Ok(Loaded {
        files,
        handbook,
        diags,
        facts,
    })
}

/// The model, and the last commits of the documents dated by git, read at the same time.
fn last_commits(
    cfg: &Config,
    files: &[SourceFile],
    repo: git::Repo,
    only: Option<std::collections::BTreeSet<String>>,
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> Result<((Handbook, Vec<Diagnostic>), Facts), Error> {
    // Only documents dated by git need their last commit: the pass stops once they all have
    // one (the selected files bound the set from the start; the exact set follows once the
    // model is built).
    let (send_wanted, wanted) = std::sync::mpsc::channel();
    let read = git::ReadOptions {
        skip_history: true,
        skip_status: true,
        stop_after: only,
        stop_after_sent: Some(wanted),
    };
    std::thread::scope(|s| {
        // Owned here, so it is dropped (and a pass waiting for the set goes on) even if
        // building the model panics.
        let send_wanted = send_wanted;
        let cache = frontmatter_cache(Some(&repo));
        let pass = s.spawn(move || repo.facts(cfg, &read));
        let (handbook, diags) = model::build_with(files, cfg, &cache);
        model_built(&cache);
        let dated_by_git = handbook
            .docs
            .iter()
            .filter(|d| d.last_reviewed.is_none() && selected(&d.path))
            .filter(|d| validate::freshness::interval(d, cfg).is_some())
            .map(|d| d.path.clone())
            .collect();
        // The pass waits for this set before it stops (or ends): where it stops never depends
        // on timing. It may have failed already; then nobody listens, which is fine.
        let _ = send_wanted.send(dated_by_git);
        // Written while the pass goes on.
        cache.save();
        let facts = pass
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        crate::timing::phase("git pass (last commits)");
        Ok(((handbook, diags), facts))
    })
}

/// The model, with frontmatter parsed through the cache of `repo` (when it has one).
fn build_model(
    files: &[SourceFile],
    cfg: &Config,
    repo: Option<&git::Repo>,
) -> (Handbook, Vec<Diagnostic>) {
    let cache = frontmatter_cache(repo);
    let model = model::build_with(files, cfg, &cache);
    model_built(&cache);
    cache.save();
    model
}

/// The cache of parsed frontmatter: in the repository's cache folder, none outside a
/// repository (or where git says it gets no cache).
fn frontmatter_cache(repo: Option<&git::Repo>) -> frontmatter::Cache {
    match repo.and_then(|r| Some((r.cache_dir()?, r.prefix()))) {
        Some((dir, prefix)) => frontmatter::Cache::open(&dir, prefix),
        None => frontmatter::Cache::none(),
    }
}

fn model_built(cache: &frontmatter::Cache) {
    let stats = cache.stats();
    crate::timing::phase(&format!(
        "model ({} frontmatters from the cache, {} parsed)",
        stats.hits, stats.parsed
    ));
}
