//! The page slug of each roadmap theme: one page (`roadmap/theme/SLUG.html`) and one filter key
//! per distinct theme, whatever its script or punctuation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::Handbook;
use crate::values;

/// Theme text → slug, for every theme of the handbook.
#[derive(Debug, Default)]
pub struct ThemeSlugs(HashMap<String, String>);

impl ThemeSlugs {
    /// The slugs of the themes of every roadmap item.
    pub fn of(hb: &Handbook) -> ThemeSlugs {
        let themes = hb
            .docs
            .iter()
            .filter_map(|d| d.roadmap()?.theme.as_ref())
            .map(|t| t.value.as_str());
        ThemeSlugs::new(themes)
    }

    /// Every theme's slug, by its text.
    pub fn all(&self) -> &HashMap<String, String> {
        &self.0
    }

    /// A theme's slug is its text as an id (`Enterprise readiness` → `enterprise-readiness`).
    /// When that is empty (`日本語`, `!!!`) or shared by several themes (`Growth`, `growth!`),
    /// a short hash of the text follows (`theme-3f9a1c`, `growth-07be24`): the slug depends on
    /// the text alone, never on which other themes exist or in what order they were read —
    /// except that a theme gets the plain slug only while no other theme shares it.
    pub fn new<'a>(themes: impl IntoIterator<Item = &'a str>) -> ThemeSlugs {
        let mut by_base: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for t in themes {
            by_base.entry(values::suggest_id(t)).or_default().insert(t);
        }
        let mut out = HashMap::new();
        let mut used = HashSet::new();
        // Plain slugs first, so that a hashed one can never take one of them.
        let plain = |base: &String, texts: &BTreeSet<&str>| !base.is_empty() && texts.len() == 1;
        for (base, texts) in &by_base {
            if let Some(text) = texts.first().filter(|_| plain(base, texts)) {
                used.insert(base.clone());
                out.insert(text.to_string(), base.clone());
            }
        }
        for (base, texts) in &by_base {
            if plain(base, texts) {
                continue;
            }
            let stem = if base.is_empty() { "theme" } else { base };
            for text in texts {
                let hash = format!("{:016x}", fnv1a(text.as_bytes()));
                // Six hex digits; more in the (unlikely) case two texts share them.
                let mut slug = (6..=16)
                    .step_by(2)
                    .map(|n| format!("{stem}-{}", &hash[..n]))
                    .find(|s| !used.contains(s))
                    .unwrap_or_else(|| format!("{stem}-{hash}"));
                let mut n = 2;
                while used.contains(&slug) {
                    slug = format!("{stem}-{hash}-{n}");
                    n += 1;
                }
                used.insert(slug.clone());
                out.insert(text.to_string(), slug);
            }
        }
        ThemeSlugs(out)
    }

    /// The slug of `theme` (one the handbook has; another gets its hashed slug).
    pub fn slug(&self, theme: &str) -> String {
        self.0.get(theme).cloned().unwrap_or_else(|| {
            let base = values::suggest_id(theme);
            let stem = if base.is_empty() { "theme" } else { &base };
            format!("{stem}-{:06x}", fnv1a(theme.as_bytes()) >> 40)
        })
    }
}

/// 64-bit FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distinct_theme_gets_its_own_slug() {
        let themes = [
            "日本語",
            "中文",
            "!!!",
            "Growth",
            "growth!",
            "Enterprise readiness",
        ];
        let s = ThemeSlugs::new(themes);
        let slugs: HashSet<String> = themes.iter().map(|t| s.slug(t)).collect();
        assert_eq!(slugs.len(), themes.len(), "{slugs:?}");
        assert_eq!(s.slug("Enterprise readiness"), "enterprise-readiness");
        for t in ["日本語", "中文", "!!!"] {
            let slug = s.slug(t);
            assert!(slug.starts_with("theme-") && slug.len() == 12, "{slug}");
        }
        assert!(s.slug("Growth").starts_with("growth-"));
        // The same text gets the same slug whatever else is there, in whatever order.
        let alone = ThemeSlugs::new(["中文", "日本語"]);
        assert_eq!(alone.slug("中文"), s.slug("中文"));
        let reversed = ThemeSlugs::new(themes.iter().rev().copied());
        for t in themes {
            assert_eq!(reversed.slug(t), s.slug(t));
        }
        // A slug is a plain file name.
        assert!(
            slugs
                .iter()
                .all(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        );
    }

    #[test]
    fn hash_is_stable() {
        // FNV-1a test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
