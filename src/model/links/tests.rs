//! The link model on a small handbook in a temp folder.

use std::path::PathBuf;

use super::*;

fn handbook(root: &std::path::Path, files: &[(&str, &str)]) -> (Handbook, Config) {
    let cfg = Config::defaults(root.to_path_buf());
    let mut diags = Vec::new();
    let docs = files
        .iter()
        .map(|(path, text)| {
            crate::model::read_markdown(path, &text.to_string().into(), &cfg, &mut diags)
        })
        .collect();
    (Handbook::new(docs, cfg.kinds.clone()), cfg)
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
                "# A\n\n## Steps\n\nA note[^n].\n\n[^n]: Text.\n\n<a name=\"raw\"></a>\n",
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
    // An anchor in raw HTML counts only when raw HTML is rendered.
    assert!(matches!(to("#raw"), Err(Broken::Anchor { .. })));
    let trusted = Links {
        raw_html: true,
        ..Links::new(&hb, &cfg)
    };
    assert_eq!(
        trusted.resolve("#raw", from).map(|r| r.dest),
        Ok(Dest::SameDoc)
    );
}
