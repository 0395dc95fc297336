//! The built-in templates and assets, compiled into the binary; a file of the same name in the
//! handbook's `templates/` folder replaces one (extra files under `partials/` are added).

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::discover;
use crate::error::Error;
use crate::rules::Rule;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Tera templates: one per view, the base layout and partials.
pub const TEMPLATES: &[(&str, &str)] = builtin![
    "base.html",
    "doc.html",
    "index.html",
    "board.html",
    "timeline.html",
    "item.html",
    "charter.html",
    "processes.html",
    "process.html",
    "person.html",
    "role.html",
    "team.html",
    "list.html",
    "table.html",
    "record.html",
    "objectives.html",
    "objective.html",
    "metrics.html",
    "metric.html",
    "launches.html",
    "launch.html",
    "ownership.html",
    "flow.html",
    "page.html",
    "changes.html",
    "health.html",
    "search.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "partials/components.html",
    "partials/card.html",
    "partials/raci.html",
    "partials/meta.html",
    "partials/holdings.html",
    "partials/findings.html",
    "partials/fields.html",
    "partials/value.html",
    "partials/history.html",
];

/// Files copied to `assets/` as they are.
pub const ASSETS: &[(&str, &str)] = builtin!["style.css", "search.js", "board.js"];

/// The templates of one build: tera with every template, the assets' text, and the roadmap
/// cards these templates rendered (kept while the templates are).
pub struct Templates {
    pub tera: Tera,
    pub assets: Vec<(String, String)>,
    pub cards: super::cards::CardStore,
}

/// The handbook's folder of template overrides.
pub const DIR: &str = "templates";

/// Load the built-ins, then the overrides in the `templates/` folder of the handbook at `root`
/// (when there is one). Files that replace nothing are reported as `unknown-template` warnings.
pub fn load(root: Option<&Path>, diags: &mut Vec<Diagnostic>) -> Result<Templates, Error> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .map_err(|source| Error::Template {
            name: "built-in".into(),
            source,
        })?;
    let mut assets: Vec<(String, String)> = ASSETS
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let overrides = match root {
        Some(root) => read_overrides(root, diags)?,
        None => Vec::new(),
    };
    let mut replaced = Vec::new();
    for (name, text) in overrides {
        if let Some(slot) = assets.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = text;
        } else if TEMPLATES.iter().any(|(n, _)| *n == name) || name.starts_with("partials/") {
            replaced.push((name, text));
        } else {
            let known = TEMPLATES.iter().chain(ASSETS).map(|(n, _)| *n);
            diags.push(
                Diagnostic::new(Rule::UnknownTemplate, format!("templates/{name}"), None)
                    .message(format!("templates/{name} replaces no built-in template"))
                    .help(did_you_mean(&name, known).unwrap_or_else(|| {
                        "`opsbook templates eject` writes the built-in names; extra files belong \
                         in templates/partials/"
                            .into()
                    })),
            );
        }
    }
    if let Err(source) = tera.add_raw_templates(replaced.iter().map(|(n, t)| (n, t))) {
        // Name the file at fault: the first override that fails on its own, else all of them.
        let alone = replaced
            .iter()
            .find_map(|(n, t)| tera.clone().add_raw_template(n, t).err().map(|e| (n, e)));
        let (name, source) = match alone {
            Some((n, e)) => (format!("templates/{n}"), e),
            None => {
                let names: Vec<String> = replaced
                    .iter()
                    .map(|(n, _)| format!("templates/{n}"))
                    .collect();
                (names.join(", "), source)
            }
        };
        return Err(Error::Template { name, source });
    }
    Ok(Templates {
        tera,
        assets,
        cards: Default::default(),
    })
}

/// The text of every file under the handbook's `templates/`, as `(name below templates/, text)`.
/// It is walked like the content: hidden files are skipped, and a symbolic link is followed only
/// inside the handbook root (the others get a warning in `diags`).
fn read_overrides(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, String)>, Error> {
    let walked = discover::walk::walk(root, DIR, &|_, _, _| false)?;
    diags.extend(walked.skipped);
    walked
        .files
        .into_iter()
        .map(|f| {
            let name = f.rel.strip_prefix(DIR).unwrap_or(&f.rel);
            let name = name.trim_start_matches('/').to_string();
            std::fs::read_to_string(&f.path)
                .map(|text| (name, text))
                .map_err(|source| Error::Read {
                    path: f.path,
                    source,
                })
        })
        .collect()
}

/// What `eject` did.
#[derive(Debug, Default)]
pub struct Ejected {
    pub written: Vec<PathBuf>,
    /// Files that already existed and were left as they are.
    pub kept: Vec<PathBuf>,
}

/// Copy every built-in template and asset into `dir`, for editing. Existing files are kept
/// unless `force`. With `inside` (the handbook root, when `dir` is the handbook's own
/// `templates/`), nothing is written where a symbolic link leads out of it; a file that is a
/// symbolic link is never written through.
pub fn eject(dir: &Path, force: bool, inside: Option<&Path>) -> Result<Ejected, Error> {
    // Everything is checked before anything is written.
    for (name, _) in TEMPLATES.iter().chain(ASSETS) {
        let path = dir.join(name);
        if let (Some(root), Some(parent)) = (inside, path.parent()) {
            stays_inside(parent, root)?;
        }
        if path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Error::Usage(format!(
                "{} is a symbolic link: opsbook does not write through it\n    help: remove the \
                 link, or eject into another folder (`opsbook templates eject DIR`)",
                crate::escape::path(&path)
            )));
        }
    }
    let mut done = Ejected::default();
    for (name, text) in TEMPLATES.iter().chain(ASSETS) {
        let path = dir.join(name);
        if path.exists() && !force {
            done.kept.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
            if let Some(root) = inside {
                stays_inside(parent, root)?;
            }
        }
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        done.written.push(path);
    }
    Ok(done)
}

/// `dir` (its nearest existing ancestor, with symbolic links followed) is inside `root`.
fn stays_inside(dir: &Path, root: &Path) -> Result<(), Error> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut at = dir;
    let real = loop {
        if let Ok(real) = at.canonicalize() {
            break real;
        }
        match at.parent() {
            Some(p) => at = p,
            None => return Ok(()),
        }
    };
    if real.starts_with(&root) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{} leads out of the handbook (to {}) through a symbolic link: opsbook does not write \
         there\n    help: remove the link, or name the folder to eject into: `opsbook templates \
         eject DIR`",
        crate::escape::path(dir),
        crate::escape::path(&real)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_load_and_overrides_replace() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(DIR);
        std::fs::create_dir_all(dir.join("partials")).unwrap();
        std::fs::write(dir.join("404.html"), "gone {{ site.title }}").unwrap();
        std::fs::write(dir.join("partials/extra.html"), "x").unwrap();
        std::fs::write(dir.join("roadmpa.html"), "x").unwrap();
        std::fs::write(dir.join("style.css"), "body{}").unwrap();
        let mut diags = Vec::new();
        let t = load(Some(root.path()), &mut diags).unwrap();
        assert!(t.tera.contains_template("partials/extra.html"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].rule, Rule::UnknownTemplate);
        assert!(diags[0].message.contains("roadmpa.html"));
        assert_eq!(t.assets[0].1, "body{}");
        let mut cx = tera::Context::new();
        cx.insert("site", &serde_json::json!({"title": "<T>"}));
        assert_eq!(t.tera.render("404.html", &cx).unwrap(), "gone &lt;T&gt;");
    }

    #[test]
    fn a_broken_override_names_its_file() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(DIR)).unwrap();
        std::fs::write(root.path().join(DIR).join("board.html"), "{% if %}").unwrap();
        let err = load(Some(root.path()), &mut Vec::new()).err().unwrap();
        assert!(err.to_string().contains("templates/board.html"), "{err}");
    }

    /// An override that is a link out of the handbook is not read: the built-in stays, and the
    /// link is named in a warning.
    #[cfg(unix)]
    #[test]
    fn overrides_are_not_read_through_links_out_of_the_root() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "SECRET").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(DIR)).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            root.path().join(DIR).join("style.css"),
        )
        .unwrap();
        let mut diags = Vec::new();
        let t = load(Some(root.path()), &mut diags).unwrap();
        assert_eq!(
            t.assets[0],
            ("style.css".to_string(), ASSETS[0].1.to_string())
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].rule, diags[0].path.to_str()),
            (Rule::SymlinkOutside, Some("templates/style.css"))
        );
        // The whole folder linked out is not read either.
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join(DIR)).unwrap();
        let mut diags = Vec::new();
        load(Some(root.path()), &mut diags).unwrap();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path.to_str(), Some("templates"));
    }

    #[test]
    fn eject_writes_every_file_and_keeps_edits() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("base.html"), "mine").unwrap();
        let done = eject(dir.path(), false, None).unwrap();
        assert_eq!(done.kept, vec![dir.path().join("base.html")]);
        assert_eq!(done.written.len(), TEMPLATES.len() + ASSETS.len() - 1);
        assert!(dir.path().join("partials/card.html").is_file());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("base.html")).unwrap(),
            "mine"
        );
    }

    #[cfg(unix)]
    #[test]
    fn eject_never_writes_out_of_the_handbook_through_a_link() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        // templates/ is a link out of the handbook: nothing is written there.
        symlink(outside.path(), root.path().join("templates")).unwrap();
        let err = eject(&root.path().join("templates"), true, Some(root.path())).unwrap_err();
        assert!(
            err.to_string().contains("leads out of the handbook"),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        // A link inside templates/ to a file elsewhere is never written through, even with force.
        std::fs::remove_file(root.path().join("templates")).unwrap();
        std::fs::create_dir(root.path().join("templates")).unwrap();
        let target = outside.path().join("victim");
        std::fs::write(&target, "keep").unwrap();
        symlink(&target, root.path().join("templates/base.html")).unwrap();
        let err = eject(&root.path().join("templates"), true, Some(root.path())).unwrap_err();
        assert!(err.to_string().contains("is a symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        // A partials/ link out of the handbook is refused too.
        std::fs::remove_file(root.path().join("templates/base.html")).unwrap();
        symlink(outside.path(), root.path().join("templates/partials")).unwrap();
        let err = eject(&root.path().join("templates"), true, Some(root.path())).unwrap_err();
        assert!(
            err.to_string().contains("leads out of the handbook"),
            "{err}"
        );
        assert!(!outside.path().join("card.html").exists());
        assert!(
            !root.path().join("templates/base.html").exists(),
            "nothing written first"
        );
    }
}
