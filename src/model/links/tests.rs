//! The link model on a small handbook in a temp folder.

use std::path::PathBuf;

use super::*;

/// The handbook of `files` (written into `root` too), read with the default config.
fn handbook(root: &std::path::Path, files: &[(&str, &str)]) -> (Handbook, Config) {
    handbook_with(root, files, |_| {})
}

#[test]
fn resolves_documents_pages_folders_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for rel in ["guides/a.md", "guides/plan.pdf", "notes/n.md", ".env"] {
        let p: PathBuf = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x").unwrap();
    }
    let (hb, cfg) = handbook(
        &root,
        &[
            (
                "guides/a.md",
                "# A\n\n## Steps\n\nA note[^n].\n\n[^n]: Text.\n\n<span id=\"raw\"></span> <a name=\"tag\"></a>\n",
            ),
            ("notes/n.md", "# N\n"),
            (
                "roadmap/sso.md",
                "---\nid: okta\ntitle: SSO\nstatus: later\n---\n",
            ),
        ],
    );
    let links = Links::new(&hb, &cfg);
    let from = hb.by_path("guides/a.md").unwrap();
    let sso = hb.by_path("roadmap/sso.md").unwrap();
    let to = |url: &str| links.resolve(url, from).map(|r| r.dest);
    assert_eq!(to("mailto:ana@example.com"), Ok(Dest::External));
    assert_eq!(to("#steps"), Ok(Dest::SameDoc));
    assert_eq!(to("#fn-n"), Ok(Dest::SameDoc));
    assert_eq!(to("../roadmap/sso.md"), Ok(Dest::Doc(sso)));
    assert_eq!(to("roadmap-item:okta"), Ok(Dest::Doc(sso)));
    // The page of a document, by its page path or by its source path with `.html`.
    assert_eq!(to("../roadmap/okta.html"), Ok(Dest::Doc(sso)));
    assert_eq!(to("../roadmap/sso.html"), Ok(Dest::Doc(sso)));
    assert_eq!(to("../roadmap/"), Ok(Dest::Generated("roadmap/index.html")));
    assert_eq!(to("../people/"), Ok(Dest::Generated("people/index.html")));
    assert_eq!(to("/"), Ok(Dest::Generated("index.html")));
    assert_eq!(
        to("plan.pdf#page=2"),
        Ok(Dest::Asset("guides/plan.pdf".into()))
    );
    assert_eq!(
        to("../notes/"),
        Err(Broken::Unpublished {
            path: "notes".into(),
            why: Unpublished::Folder
        })
    );
    assert_eq!(
        to("../.env"),
        Err(Broken::Unpublished {
            path: ".env".into(),
            why: Unpublished::File(NotPublished::Hidden)
        })
    );
    assert_eq!(to("../gone.md"), Err(Broken::Missing("gone.md".into())));
    assert_eq!(to("../../x"), Err(Broken::Outside));
    assert_eq!(
        to("person:bob"),
        Err(Broken::NoDoc {
            kind: Kind::PERSON,
            id: "bob".into()
        })
    );
    assert!(matches!(
        to("../roadmap/#col-now"),
        Err(Broken::Anchor { .. })
    ));
    assert!(matches!(to("#nope"), Err(Broken::Anchor { .. })));
    // An id in raw HTML counts only when raw HTML is rendered; an anchor tag always (the
    // site renders it as an empty anchor).
    assert!(matches!(to("#raw"), Err(Broken::Anchor { .. })));
    assert_eq!(to("#tag"), Ok(Dest::SameDoc));
    let trusted = Links {
        raw_html: true,
        ..Links::new(&hb, &cfg)
    };
    assert_eq!(
        trusted.resolve("#raw", from).map(|r| r.dest),
        Ok(Dest::SameDoc)
    );
}

/// The handbook of `files`, written into `root`, read with the config `set` changes.
fn handbook_with(
    root: &std::path::Path,
    files: &[(&str, &str)],
    set: impl FnOnce(&mut Config),
) -> (Handbook, Config) {
    for (rel, text) in files {
        let p: PathBuf = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let mut cfg = Config::defaults(root.to_path_buf());
    set(&mut cfg);
    let mut diags = Vec::new();
    let docs = files
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(path, text)| {
            crate::model::read_markdown(path, &text.to_string().into(), &cfg, &mut diags)
        })
        .collect();
    (Handbook::new(docs, cfg.kinds.clone()), cfg)
}

#[test]
fn folders_lead_to_their_index_page_and_site_urls_to_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let files = [
        ("index.md", "# Home\n"),
        ("guide/README.md", "# Guide\n"),
        ("guide/setup.md", "# Setup\n\n## First Steps\n"),
        ("guide/deep/index.md", "# Deep\n"),
        ("roadmap/README.md", "# About the roadmap\n"),
        ("img/logo.png", "png"),
    ];
    let (hb, cfg) = handbook_with(&root, &files, |_| {});
    let links = Links::new(&hb, &cfg);
    let from = hb.by_path("guide/setup.md").unwrap();
    let doc = |p: &str| Dest::Doc(hb.by_path(p).unwrap());
    let to = |url: &str| links.resolve(url, from).map(|r| r.dest);
    // A folder's index page: `index.md`, else `README.md`; the root's `index.md` is home.
    assert_eq!(to("./"), Ok(doc("guide/README.md")));
    assert_eq!(to("/guide"), Ok(doc("guide/README.md")));
    assert_eq!(to("deep/"), Ok(doc("guide/deep/index.md")));
    assert_eq!(to("deep/index.html"), Ok(doc("guide/deep/index.md")));
    assert_eq!(to("/"), Ok(doc("index.md")));
    assert_eq!(to("/index.html"), Ok(doc("index.md")));
    // A folder the site generates a page for keeps it; its README is a page of its own.
    assert_eq!(to("/roadmap/"), Ok(Dest::Generated("roadmap/index.html")));
    assert_eq!(hb.by_path("roadmap/README.md").unwrap().kind, Kind::PAGE);
    // Without the settings, a link without `.md` leads nowhere.
    assert_eq!(to("setup"), Err(Broken::Missing("guide/setup".into())));
    assert!(to("/guide/setup/").is_err());
    assert_eq!(to("/guide/setup.html"), Ok(doc("guide/setup.md")));
    assert_eq!(
        to("../img/logo.png"),
        Ok(Dest::Asset("img/logo.png".into()))
    );

    let (hb, cfg) = handbook_with(&root, &files, |c| {
        c.links.extensionless = true;
        c.links.pretty_urls = true;
        c.links.base_path = Some("/handbook/".into());
        c.links.anchors_ignore_case = true;
    });
    let links = Links::new(&hb, &cfg);
    let from = hb.by_path("guide/setup.md").unwrap();
    let doc = |p: &str| Dest::Doc(hb.by_path(p).unwrap());
    let to = |url: &'static str| links.resolve(url, from);
    assert_eq!(to("setup").map(|r| r.dest), Ok(doc("guide/setup.md")));
    assert_eq!(
        to("/guide/setup/").map(|r| r.dest),
        Ok(doc("guide/setup.md"))
    );
    assert_eq!(
        to("/handbook/guide/setup/index.html").map(|r| r.dest),
        Ok(doc("guide/setup.md"))
    );
    assert_eq!(to("/handbook/").map(|r| r.dest), Ok(doc("index.md")));
    // Relative to the page's published URL (`guide/setup/`), as it works on the site.
    assert_eq!(
        to("../deep/").map(|r| r.dest),
        Ok(doc("guide/deep/index.md"))
    );
    assert_eq!(
        to("../../roadmap/").map(|r| r.dest),
        Ok(Dest::Generated("roadmap/index.html"))
    );
    assert_eq!(
        to("/handbookx/a.md").map(|r| r.dest),
        Err(Broken::Missing("handbookx/a.md".into()))
    );
    // Anchors ignoring case resolve to the heading's own id.
    let r = to("setup#First-Steps").unwrap();
    assert_eq!(r.anchor.as_deref(), Some("first-steps"));
    assert_eq!(
        to("#FIRST-STEPS").unwrap().anchor.as_deref(),
        Some("first-steps")
    );
    assert!(matches!(to("#second"), Err(Broken::Anchor { .. })));
    assert_eq!(
        links
            .doc_at("/handbook/guide/", "")
            .map(|d| d.path.as_str()),
        Some("guide/README.md")
    );
}

#[test]
fn hidden_sections_without_documents_have_no_page_and_kinds_have_their_index() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let files = [
        ("guide.md", "# Guide\n"),
        ("roadmap/index.md", "# Our roadmap\n"),
        ("rfcs/a.md", "---\ntitle: A\n---\n"),
    ];
    let (hb, cfg) = handbook_with(&root, &files, |c| {
        let kinds = crate::frontmatter::parse_yaml("rfc: {folder: rfcs}\n", 1).unwrap();
        c.kinds = crate::kinds::parse_kinds(&kinds).unwrap();
        c.folders.insert("rfcs".into(), Kind::named("rfc"));
        c.sections
            .insert("roadmap".into(), crate::config::SectionMode::Hide);
    });
    let links = Links::new(&hb, &cfg);
    let from = hb.by_path("guide.md").unwrap();
    let to = |url: &str| links.resolve(url, from).map(|r| r.dest);
    assert_eq!(
        to("roadmap/"),
        Ok(Dest::Doc(hb.by_path("roadmap/index.md").unwrap()))
    );
    assert_eq!(to("rfcs/"), Ok(Dest::KindIndex("rfc/index.html".into())));
    assert_eq!(
        to("rfc/index.html"),
        Ok(Dest::KindIndex("rfc/index.html".into()))
    );
    assert_eq!(to("people/"), Ok(Dest::Generated("people/index.html")));
}

#[test]
fn the_sources_a_link_path_may_lead_to() {
    assert_eq!(
        sources_of("guide/setup/index.html"),
        [
            "guide/setup/index.html",
            "guide/setup/index.md",
            "guide/setup.md",
            "guide/setup/index.md",
            "guide/setup/README.md",
            "guide/setup/readme.md",
            "guide/setup/_index.md"
        ]
    );
    assert!(sources_of("eip-1").contains(&"eip-1.md".to_string()));
    assert!(sources_of("index.html").contains(&"README.md".to_string()));
}

#[test]
fn links_from_the_site_root_are_read_from_the_site_root_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let files = [
        (
            "content/commands/npm-install.md",
            "# Install\n\n## Synopsis\n",
        ),
        ("content/using-npm/config.md", "# Config\n"),
        ("README.md", "# Repo\n"),
    ];
    let (hb, cfg) = handbook_with(&root, &files, |c| {
        c.links.extensionless = true;
        c.links.site_root = Some("content/".into());
    });
    let links = Links::new(&hb, &cfg);
    let from = hb.by_path("content/using-npm/config.md").unwrap();
    let doc = |p: &str| Dest::Doc(hb.by_path(p).unwrap());
    let to = |url: &'static str| links.resolve(url, from).map(|r| r.dest);
    assert_eq!(
        to("/commands/npm-install"),
        Ok(doc("content/commands/npm-install.md"))
    );
    assert_eq!(
        links
            .resolve("/commands/npm-install#synopsis", from)
            .map(|r| r.anchor.map(|a| a.to_string())),
        Ok(Some("synopsis".to_string()))
    );
    // Relative links are the file's business, as before; a link that names the folder itself
    // still resolves.
    assert_eq!(
        to("../commands/npm-install.md"),
        Ok(doc("content/commands/npm-install.md"))
    );
    assert_eq!(
        to("/content/using-npm/config.md"),
        Ok(doc("content/using-npm/config.md"))
    );
    assert!(
        links
            .doc_at("/using-npm/config", "README.md")
            .is_some_and(|d| d.path == from.path)
    );
    assert!(to("/commands/nope").is_err());
}
