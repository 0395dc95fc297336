//! The frontmatter cache gives exactly what parsing gives, whatever its file holds.

use std::path::{Path, PathBuf};

use super::*;
use crate::frontmatter::{parse_yaml, split, strip_bom};

/// A block of YAML and the file line it starts on.
type Block = (String, u32);

/// `yaml` with a literal block scalar after it: a block the fast path leaves to serde-saphyr,
/// which the cache keeps (what the tests of keeping need).
fn kept(yaml: &str) -> String {
    let end = if yaml.is_empty() || yaml.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    format!("{yaml}{end}zz_kept: |\n  a literal block\n")
}

/// Every frontmatter block (and `org.yml`) of the test fixtures and the example handbook, as
/// [`kept`] blocks.
fn fixture_blocks() -> Vec<Block> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut blocks = Vec::new();
    for top in ["tests/fixtures", "example-repo"] {
        for e in walkdir::WalkDir::new(base.join(top)).sort_by_file_name() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy();
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            let text = strip_bom(&text);
            if name == "org.yml" || name == "opsbook.yml" {
                blocks.push((kept(text), 1));
            } else if name.ends_with(".md")
                && let Ok(s) = split(text)
                && let Some(yaml) = s.yaml
            {
                blocks.push((kept(yaml), s.yaml_line));
            }
        }
    }
    assert!(blocks.len() > 100, "{} blocks", blocks.len());
    blocks
}

/// Blocks parsing rejects, and edge cases of values (as [`kept`] blocks).
fn odd_blocks() -> Vec<Block> {
    [
        "title: [unclosed\n",
        "a: 1\n  b: 2\n",
        "key: \"unterminated\n",
        "- a\nb: c\n",
        "\t- tab\n",
        "",
        "# only a comment\n",
        "x: .nan\ny: -.inf\nz: 1e400\nw: 0x1F\nv: 18446744073709551616\n",
        "dup: 1\ndup: 2\nn: ~\nb: true\nq: 'quoted, with comma'\np: a, b, c\n",
        "nested: {a: [1, {b: [2, [3, {c: d}]]}]}\nunicode: \"é\\u00e9 🎉\"\n",
        "anchor: &a {x: 1}\nref: *a\n",
        "? complex\n: key\n",
        "a: !!str 12\nb: 1.10\nc: 010\n",
    ]
    .iter()
    .map(|y| (y.to_string(), 2))
    .chain([
        (
            "deep: ".to_string() + &"[".repeat(40) + &"]".repeat(40) + "\n",
            2,
        ),
        ("title: A\n".to_string(), 1),
        ("title: A\n".to_string(), 7),
    ])
    .map(|(y, line)| (kept(&y), line))
    .collect()
}

/// What `parse` gives, as text: `Debug` shows every span, raw text and value (a NaN
/// included, which `==` would call different from itself).
fn shown(p: &Parsed) -> String {
    format!("{p:?}")
}

/// One run over `blocks` with the cache in `dir`: what it gave, and how it used the cache.
fn run(dir: &Path, blocks: &[Block]) -> (Vec<String>, Stats) {
    let cache = Cache::open(dir, "handbook/");
    let got = blocks
        .iter()
        .map(|(y, line)| shown(&cache.parse(y, *line)))
        .collect();
    let stats = cache.stats();
    cache.save();
    (got, stats)
}

fn parsed(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|(y, line)| shown(&parse_yaml(y, *line)))
        .collect()
}

/// The one cache file in `dir`.
fn cache_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).unwrap().ino()
}

#[test]
fn decoded_trees_are_exactly_what_parsing_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut blocks = fixture_blocks();
    blocks.extend(odd_blocks());
    let want = parsed(&blocks);
    assert!(want.iter().any(|w| w.starts_with("Err")), "some errors");
    let distinct = {
        let mut d: Vec<&Block> = blocks.iter().collect();
        d.sort();
        d.dedup();
        d.len()
    };
    // Cold: everything parsed (and written).
    let (got, stats) = run(dir.path(), &blocks);
    assert_eq!(got, want);
    assert_eq!((stats.hits, stats.parsed), (0, blocks.len()));
    let file = cache_file(dir.path());
    // Warm: everything decoded, and nothing written.
    #[cfg(unix)]
    let before = inode(&file);
    let (got, stats) = run(dir.path(), &blocks);
    assert_eq!(got, want);
    assert_eq!((stats.hits, stats.parsed), (blocks.len(), 0));
    #[cfg(unix)]
    assert_eq!(
        inode(&file),
        before,
        "a run that parsed nothing writes nothing"
    );
    let body = Cache::open(dir.path(), "handbook/").rows;
    assert_eq!(body, distinct, "each block once");
}

#[test]
fn an_edited_block_is_parsed_again() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = vec![(kept("title: A\nstatus: now\n"), 2)];
    run(dir.path(), &v1);
    let v2 = vec![(kept("title: A\nstatus: nwo\n"), 2)];
    let (got, stats) = run(dir.path(), &v2);
    assert_eq!(got, parsed(&v2));
    assert_eq!((stats.hits, stats.parsed), (0, 1));
    // The same text further down the file: other positions.
    let v3 = vec![(kept("title: A\nstatus: nwo\n"), 5)];
    let (got, stats) = run(dir.path(), &v3);
    assert_eq!(got, parsed(&v3));
    assert!(got[0].contains("line: 6"), "{}", got[0]);
    assert_eq!((stats.hits, stats.parsed), (0, 1));
}

#[test]
fn the_file_keeps_only_what_the_last_writing_run_read() {
    let dir = tempfile::tempdir().unwrap();
    let all: Vec<Block> = (0..50).map(|i| (kept(&format!("id: x{i}\n")), 2)).collect();
    run(dir.path(), &all);
    // A run that reads ten of them, and one new block: the file keeps those eleven.
    let mut some: Vec<Block> = all[..10].to_vec();
    some.push((kept("id: new\n"), 2));
    let (_, stats) = run(dir.path(), &some);
    assert_eq!((stats.hits, stats.parsed), (10, 1));
    assert_eq!(Cache::open(dir.path(), "handbook/").rows, 11);
    let (_, stats) = run(dir.path(), &all);
    assert_eq!((stats.hits, stats.parsed), (10, 40));
}

#[test]
fn keys_keep_handbooks_apart() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = vec![(kept("title: A\n"), 2)];
    run(dir.path(), &blocks);
    let other = Cache::open(dir.path(), "other/");
    assert_eq!(other.rows, 0);
    assert_ne!(other.key, Cache::open(dir.path(), "handbook/").key);
}

/// Replace the cache file's bytes, run, and check the run gave what parsing gives, parsed
/// everything, and rewrote a file that the next run reads whole.
fn survives(dir: &Path, blocks: &[Block], bytes: &[u8], what: &str) {
    let file = cache_file(dir);
    std::fs::write(&file, bytes).unwrap();
    let (got, stats) = run(dir, blocks);
    assert_eq!(got, parsed(blocks), "{what}");
    assert_eq!(stats.hits, 0, "{what}");
    let (got, stats) = run(dir, blocks);
    assert_eq!(got, parsed(blocks), "{what}");
    assert_eq!(
        (stats.hits, stats.parsed),
        (blocks.len(), 0),
        "{what}: rewritten"
    );
}

#[test]
fn a_damaged_truncated_or_foreign_file_is_ignored_and_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let blocks: Vec<Block> = odd_blocks()
        .into_iter()
        .filter(|(y, _)| !y.is_empty())
        .collect();
    run(dir.path(), &blocks);
    let good = std::fs::read(cache_file(dir.path())).unwrap();
    let key = Cache::open(dir.path(), "handbook/").key;
    for cut in [0, 1, MAGIC.len(), 40, good.len() / 2, good.len() - 1] {
        survives(dir.path(), &blocks, &good[..cut], &format!("cut at {cut}"));
    }
    for at in [MAGIC.len() + 2, good.len() / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x40;
        survives(dir.path(), &blocks, &bad, &format!("flip at {at}"));
    }
    survives(dir.path(), &blocks, b"garbage", "garbage");
    let other = frame(b"opsbook git facts\n", FORMAT, key, &good[60..]);
    survives(dir.path(), &blocks, &other, "another cache's file");
    let older = frame(MAGIC, FORMAT + 1, key, &good[60..]);
    survives(dir.path(), &blocks, &older, "another format");
    // Framed right, but entries that are not what they should be: each is parsed instead.
    let body = encode_body(&[
        (&hash(&blocks[0].0, blocks[0].1), &[OK, 1, 2][..]),
        (&hash(&blocks[1].0, blocks[1].1), &[9][..]),
    ]);
    let mut rows: Vec<(Hash, &[u8])> = vec![
        (hash(&blocks[0].0, blocks[0].1), &[OK, 1, 2]),
        (hash(&blocks[1].0, blocks[1].1), &[9]),
    ];
    rows.sort();
    let rows: Vec<(&[u8], &[u8])> = rows.iter().map(|(h, b)| (&h[..], *b)).collect();
    let sorted = encode_body(&rows);
    for b in [body, sorted] {
        survives(
            dir.path(),
            &blocks,
            &frame(MAGIC, FORMAT, key, &b),
            "bad entries",
        );
    }
}

#[test]
fn a_cache_path_that_is_not_a_file_is_no_cache() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = vec![(kept("title: A\n"), 2)];
    let path = Cache::open(dir.path(), "handbook/").path.unwrap();
    std::fs::create_dir_all(&path).unwrap();
    for _ in 0..2 {
        let (got, stats) = run(dir.path(), &blocks);
        assert_eq!(got, parsed(&blocks));
        assert_eq!(stats.parsed, 1);
    }
    assert!(path.is_dir());
}

#[test]
fn nesting_deeper_than_parsing_allows_is_refused() {
    let mut deep = Writer::default();
    deep.u8(OK);
    for _ in 0..100_000 {
        put_span(&mut deep, Span::START);
        deep.opt_str(None);
        deep.u8(SEQ);
        deep.len(1);
    }
    assert!(decode(&deep.buf).is_none());
    // As deep as parsing goes is fine.
    let yaml = format!("{}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let node = parse_yaml(&yaml, 1).unwrap();
    let bytes = encode(&Ok(node.clone()));
    assert_eq!(shown(&decode(&bytes).unwrap()), shown(&Ok(node)));
}

#[test]
fn blocks_the_fast_path_reads_are_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let simple: Vec<Block> = ["title: A\nstatus: now\n", "id: x\ntags: [a, b]\n"]
        .iter()
        .map(|y| (y.to_string(), 2))
        .collect();
    for _ in 0..2 {
        let (got, stats) = run(dir.path(), &simple);
        assert_eq!(got, parsed(&simple));
        assert_eq!((stats.hits, stats.parsed), (0, 2));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file");
    }
    // Beside a block it keeps: only that one is in the file.
    let mut mixed = simple.clone();
    mixed.push((kept("title: B\n"), 2));
    run(dir.path(), &mixed);
    let (_, stats) = run(dir.path(), &mixed);
    assert_eq!((stats.hits, stats.parsed), (1, 2));
    assert_eq!(Cache::open(dir.path(), "handbook/").rows, 1);
}

#[test]
fn no_cache_parses_and_writes_nothing() {
    let cache = Cache::none();
    let (y, line) = ("title: A\n", 2);
    assert_eq!(shown(&cache.parse(y, line)), shown(&parse_yaml(y, line)));
    assert_eq!(cache.stats(), Stats { hits: 0, parsed: 1 });
    cache.save();
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any bytes as an entry, and any body in a good frame: no panic, and what parsing gives.
    #[test]
    fn any_cache_content_is_safe(entry in proptest::collection::vec(0u8..=255, 0..200),
                                 body in proptest::collection::vec(0u8..=255, 0..400)) {
        let _ = decode(&entry);
        let mut prefixed = vec![OK];
        prefixed.extend_from_slice(&entry);
        let _ = decode(&prefixed);
        let dir = tempfile::tempdir().unwrap();
        let blocks = vec![("title: A\nlist: [1, 2]\n".to_string(), 2)];
        let cache = Cache::open(dir.path(), "handbook/");
        let file = frame(MAGIC, FORMAT, cache.key, &body);
        std::fs::write(cache.path.as_ref().unwrap(), file).unwrap();
        let (got, _) = run(dir.path(), &blocks);
        proptest::prop_assert_eq!(got, parsed(&blocks));
    }
}
