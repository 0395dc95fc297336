//! The example handbook must stay clean, and a single defect must be pinned to its position.

use std::path::Path;

use crate::support::{check_json, copy_of, expect};

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-repo")
}

#[test]
fn example_repo_has_no_findings() {
    let hb = copy_of(&example());
    let (code, found, json) = check_json(hb.path(), &[]);
    assert_eq!(found, Vec::new());
    assert_eq!(code, 0);
    assert!(json["files"].as_u64().unwrap() >= 45, "{json}");
}

#[test]
fn one_defect_in_a_copy_is_reported_at_its_position() {
    let hb = copy_of(&example());
    let path = hb.path().join("roadmap/audit-log.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().position(|l| l.starts_with("status:")).unwrap() as u32 + 1;
    std::fs::write(&path, text.replacen("status: now", "status: nwo", 1)).unwrap();
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        expect(&[("roadmap/audit-log.md", line, 9, "field-enum")])
    );
}
