//! What a root-relative path leads to on the site: a document (by its source path, its page's
//! path, without `.md`, or as the published site's URL), a page the site generates, a folder's
//! page, a file the build copies.

use super::{Broken, Dest, GENERATED, INDEX_NAMES, Links, Unpublished, has_page};
use crate::model::Doc;
use crate::publish::Entry;

impl<'h> Links<'h> {
    /// Where a root-relative path leads (`slash`: it was written with a trailing `/`).
    pub(super) fn file(&self, path: &str, slash: bool) -> Result<Dest<'h>, Broken<'h>> {
        let unpublished = |why| {
            Err(Broken::Unpublished {
                path: path.to_string(),
                why,
            })
        };
        if let Some(doc) = self.hb.by_path(path) {
            return if path == "org.yml" {
                unpublished(Unpublished::Registry)
            } else if has_page(doc) {
                Ok(Dest::Doc(doc))
            } else {
                unpublished(Unpublished::NoPage)
            };
        }
        if let Some(dest) = self.page(path) {
            return Ok(dest);
        }
        if let Some(dest) = self.folder_page(path) {
            return Ok(dest);
        }
        match self.files.entry(path) {
            Entry::File(_) => Ok(Dest::Asset(path.to_string())),
            Entry::Folder => match self.source(path, slash) {
                Some(doc) => Ok(Dest::Doc(doc)),
                None => unpublished(Unpublished::Folder),
            },
            Entry::NotPublished(why) => unpublished(Unpublished::File(why)),
            Entry::Missing => match self.source(path, slash) {
                Some(doc) => Ok(Dest::Doc(doc)),
                None => Err(Broken::Missing(path.to_string())),
            },
        }
    }

    /// The document `PATH.md` a link written without the extension leads to: `./setup` with
    /// `extensionless`, `./setup/` (a published site's URL) with `pretty_urls`.
    fn source(&self, path: &str, slash: bool) -> Option<&'h Doc> {
        let wanted = if slash {
            self.opts.pretty_urls
        } else {
            self.opts.extensionless
        };
        if !wanted || path.is_empty() {
            return None;
        }
        self.hb
            .by_path(&format!("{path}.md"))
            .filter(|d| has_page(d))
    }

    /// A link to a page of the site by its `.html` path: a document's page, a generated page,
    /// the page of the document `PATH.md` for `PATH.html`, and a folder's page for
    /// `FOLDER/index.html`.
    fn page(&self, path: &str) -> Option<Dest<'h>> {
        let stem = path.strip_suffix(".html")?;
        let by_url = self.by_url.get_or_init(|| {
            let docs = self.hb.docs.iter().enumerate();
            docs.filter(|(_, d)| has_page(d))
                .map(|(i, d)| (d.url(), i))
                .collect()
        });
        if let Some(&i) = by_url.get(path) {
            return Some(Dest::Doc(&self.hb.docs[i]));
        }
        if let Some(g) = self.generated(path) {
            return Some(g);
        }
        if let Some(doc) = self
            .hb
            .by_path(&format!("{stem}.md"))
            .filter(|d| has_page(d))
        {
            return Some(Dest::Doc(doc));
        }
        let folder = match stem.strip_suffix("index") {
            Some("") => "",
            Some(f) => f.strip_suffix('/')?,
            None => return None,
        };
        self.folder_page(folder)
            .or_else(|| self.source(folder, true).map(Dest::Doc))
    }

    /// A page the site generates at `url` (and writes).
    fn generated(&self, url: &str) -> Option<Dest<'h>> {
        if self.unwritten.contains(url) {
            return None;
        }
        if let Some(g) = GENERATED.iter().find(|g| **g == url) {
            return Some(Dest::Generated(g));
        }
        self.indexes
            .iter()
            .find(|(_, u)| u == url)
            .map(|(_, u)| Dest::KindIndex(u.clone()))
    }

    /// The page a link to a folder leads to. This is the one place that decides it: the
    /// folder's `index.md`; else the index the site generates for it (the root's home page,
    /// `roadmap/`, `people/`…, a kind's folder); else its `README.md` or `_index.md`; other
    /// folders have none.
    fn folder_page(&self, folder: &str) -> Option<Dest<'h>> {
        let index = |name: &str| {
            let path = if folder.is_empty() {
                name.to_string()
            } else {
                format!("{folder}/{name}")
            };
            self.hb.by_path(&path).filter(|d| has_page(d))
        };
        if let Some(doc) = index("index.md").filter(|d| d.url().ends_with("index.html")) {
            return Some(Dest::Doc(doc));
        }
        let page = if folder.is_empty() {
            "index.html".to_string()
        } else {
            format!("{folder}/index.html")
        };
        let kind_index = self
            .indexes
            .iter()
            .find(|(f, _)| f == folder)
            .and_then(|(_, u)| self.generated(u));
        if let Some(dest) = self.generated(&page).or(kind_index) {
            return Some(dest);
        }
        INDEX_NAMES[1..]
            .iter()
            .find_map(|name| index(name))
            .map(Dest::Doc)
    }
}
