//! Generated handbooks through random edits: an edit reaches only a small part of such a
//! site, so a page a rebuild should have made and left out shows as a difference.

use std::path::Path;

use super::{Live, tree};

/// A small deterministic random source.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, of: &'a [T]) -> &'a T {
        &of[self.below(of.len())]
    }
}

const PEOPLE: usize = 12;
const ITEMS: usize = 40;
const PROCESSES: usize = 8;
const GUIDES: usize = 6;
const THEMES: &[&str] = &["Growth", "Trust", "Speed", "Reach"];
const STATUSES: &[&str] = &["shipped", "now", "next", "later", "dropped"];

/// Every party an item or process may name as owner.
fn owners() -> Vec<String> {
    let mut out: Vec<String> = (0..PEOPLE).map(|p| format!("p{p}")).collect();
    out.extend((0..3).map(|r| format!("role:r{r}")));
    out.extend((0..3).map(|t| format!("team:t{t}")));
    out
}

fn item_text(rng: &mut Rng, i: usize, owners: &[String]) -> String {
    let status = STATUSES[i % STATUSES.len()];
    let mut fm = format!(
        "title: Item {i}\nstatus: {status}\nowner: {}\nteam: t{}\ntheme: {}\n",
        rng.pick(owners),
        rng.below(3),
        rng.pick(THEMES)
    );
    match status {
        "shipped" => fm.push_str(&format!(
            "shipped: 2026-0{}-1{}\n",
            1 + rng.below(9),
            rng.below(9)
        )),
        "dropped" => fm.push_str("dropped_reason: Not now\n"),
        "later" => {}
        _ => fm.push_str("target: 2027-Q1\n"),
    }
    // Only shipped items are depended on (always in an earlier column), and a later item may
    // also depend on an item in Now or Next.
    if status != "dropped" && status != "shipped" {
        let mut deps: Vec<String> = (0..rng.below(3))
            .map(|_| {
                let j = rng.below(ITEMS / 5) * 5;
                format!("i{j}")
            })
            .collect();
        if status == "later" {
            deps.push(format!("i{}", (i % ITEMS) / 5 * 5 + 1));
        }
        deps.sort();
        deps.dedup();
        fm.push_str(&format!("depends_on: [{}]\n", deps.join(", ")));
    }
    if rng.below(2) == 0 {
        fm.push_str(&format!(
            "score:\n  rice: {{reach: {}, impact: 1, confidence: 0.5, effort: 2}}\n",
            10 * (1 + rng.below(50))
        ));
    }
    format!(
        "---\n{fm}---\n# Item {i}\n\n## Context\n\nWhy item {i} matters; see [item](i{}.md).\n",
        rng.below(ITEMS)
    )
}

fn org_text(names: &[String]) -> String {
    let mut s = String::from("roles:\n");
    for r in 0..3 {
        s.push_str(&format!(
            "  - id: r{r}\n    title: Role {r}\n    responsibilities: [Does {r}]\n"
        ));
    }
    s.push_str("teams:\n");
    for t in 0..3 {
        s.push_str(&format!(
            "  - id: t{t}\n    name: Team {t}\n    lead: p{t}\n"
        ));
    }
    s.push_str("people:\n");
    for (p, name) in names.iter().enumerate() {
        s.push_str(&format!(
            "  - id: p{p}\n    name: {name}\n    roles: [r{}]\n    teams: [t{}]\n",
            p % 3,
            p % 3
        ));
    }
    s
}

pub(super) fn generated(seed: u64) -> impl FnOnce(&Path) {
    move |root: &Path| {
        let mut rng = Rng(seed);
        let owners = owners();
        let w = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w(
            "opsbook.yml",
            // A link to a heading that is gone is dropped from the page, without an error.
            "title: Generated\nrules: {broken-anchor: off}\n",
        );
        let names: Vec<String> = (0..PEOPLE).map(|p| format!("Person {p}")).collect();
        w("org.yml", &org_text(&names));
        for i in 0..ITEMS {
            w(
                &format!("roadmap/i{i}.md"),
                &item_text(&mut rng, i, &owners),
            );
        }
        for p in 0..PROCESSES {
            w(
                &format!("processes/pr{p}.md"),
                &format!(
                    "---\ntitle: Process {p}\nowner: {}\ncadence: weekly\nparticipants: [r{}]\n\
                     last_reviewed: 2026-11-0{}\n---\n# Process {p}\n\n## Steps\n\n1. Do it.\n",
                    rng.pick(&owners),
                    rng.below(3),
                    1 + rng.below(9)
                ),
            );
        }
        for c in 0..2 {
            w(
                &format!("charters/c{c}.md"),
                &format!(
                    "---\ntitle: Charter {c}\nteam: t{c}\nmission: Ship {c}.\nroles: [r0, r1]\n\
                     last_reviewed: 2026-11-01\nresponsibilities:\n  - id: plan\n    \
                     activity: Plan\n    A: r0\n    R: [r1]\n    process: pr{c}\n---\n# Charter {c}\n"
                ),
            );
        }
        for g in 0..GUIDES {
            w(&format!("guides/g{g}.md"), &guide_text(&mut rng, g));
        }
    }
}

fn guide_text(rng: &mut Rng, g: usize) -> String {
    format!(
        "# Guide {g}\n\nSee [an item](../roadmap/i{}.md#context), [a process](../processes/pr{}.md), \
         [a person](person:p{}) and [a guide](g{}.md).\n",
        rng.below(ITEMS),
        rng.below(PROCESSES),
        rng.below(PEOPLE),
        rng.below(GUIDES)
    )
}

/// One random edit; returns the files it touched.
fn random_edit(live: &Live, rng: &mut Rng, round: usize) -> Vec<String> {
    let owners = owners();
    let item = |i: usize| format!("roadmap/i{i}.md");
    let set = |rel: &str, key: &str, value: &str| {
        let text = live.read(rel);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        match lines.iter().position(|l| l.starts_with(&format!("{key}:"))) {
            Some(n) => lines[n] = format!("{key}: {value}"),
            None => lines.insert(1, format!("{key}: {value}")),
        }
        live.write(rel, &(lines.join("\n") + "\n"));
    };
    match rng.below(12) {
        0 => {
            let rel = item(rng.below(ITEMS));
            let text = live.read(&rel) + &format!("\nMore words, round {round}.\n");
            live.write(&rel, &text);
            vec![rel]
        }
        1 => {
            let rel = item(rng.below(ITEMS));
            set(&rel, "title", &format!("Item renamed in round {round}"));
            vec![rel]
        }
        2 => {
            let rel = item(rng.below(ITEMS));
            set(&rel, "owner", &rng.pick(&owners).clone());
            vec![rel]
        }
        3 => {
            let rel = item(rng.below(ITEMS));
            let theme = if rng.below(3) == 0 {
                format!("New theme {round}")
            } else {
                rng.pick(THEMES).to_string()
            };
            set(&rel, "theme", &theme);
            vec![rel]
        }
        4 => {
            // A depended-on item moves between Shipped and Now (items that depend on it are
            // in Now, Next or Later: both are in order), or a Later one gains a score.
            let i = rng.below(ITEMS / 5) * 5;
            let rel = item(i);
            let text = live.read(&rel);
            if text.contains("status: shipped") {
                live.write(&rel, &text.replace("status: shipped", "status: now"));
            } else {
                live.write(&rel, &text.replace("status: now", "status: shipped"));
            }
            vec![rel]
        }
        5 => {
            let names: Vec<String> = (0..PEOPLE)
                .map(|p| format!("Person {p} v{}", rng.below(3)))
                .collect();
            live.write("org.yml", &org_text(&names));
            vec!["org.yml".into()]
        }
        6 => {
            let g = rng.below(GUIDES + 2);
            let rel = format!("guides/g{g}.md");
            // Guides link only to the first GUIDES guides: the others may go.
            if live.root.join(&rel).exists() && g >= GUIDES {
                std::fs::remove_file(live.root.join(&rel)).unwrap();
            } else {
                live.write(&rel, &guide_text(rng, g));
            }
            vec![rel]
        }
        7 => {
            let rel = format!("processes/pr{}.md", rng.below(PROCESSES));
            set(&rel, "owner", &rng.pick(&owners).clone());
            vec![rel]
        }
        8 => {
            let rel = format!("processes/pr{}.md", rng.below(PROCESSES));
            set(&rel, "title", &format!("Process renamed in round {round}"));
            vec![rel]
        }
        9 => {
            // A new item, or one gone (nothing depends on items past the first of each five).
            let i = ITEMS + rng.below(4);
            let rel = item(i);
            if live.root.join(&rel).exists() {
                std::fs::remove_file(live.root.join(&rel)).unwrap();
            } else {
                live.write(&rel, &item_text(rng, i, &owners));
            }
            vec![rel]
        }
        10 => {
            // A heading comes or goes: links to it from guides lead there or are dropped.
            let rel = item(rng.below(ITEMS));
            let text = live.read(&rel);
            let text = if text.contains("## Context") {
                text.replace("## Context", "## Background")
            } else {
                text.replace("## Background", "## Context")
            };
            live.write(&rel, &text);
            vec![rel]
        }
        _ => {
            // Two files at once.
            let (a, b) = (
                item(1 + rng.below(ITEMS - 1)),
                format!("charters/c{}.md", rng.below(2)),
            );
            set(&a, "team", &format!("t{}", rng.below(3)));
            set(&b, "mission", &format!("Mission of round {round}."));
            vec![a, b]
        }
    }
}

#[test]
fn generated_handbooks_through_random_edits() {
    let mut partial = 0;
    let mut compared = 0;
    for seed in [0x5eed_0001_u64, 0x5eed_0002] {
        let mut live = Live::new(generated(seed), false);
        live.same_as_build(&["start"]);
        let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
        for round in 0..20 {
            let touched = random_edit(&live, &mut rng, round);
            let rels: Vec<&str> = touched.iter().map(String::as_str).collect();
            let o = live.rebuilt(&rels);
            if o.rendered.is_some() {
                compared += 1;
                if !o.whole {
                    partial += 1;
                }
            }
        }
    }
    // The test means something only if most rebuilds left pages out.
    assert!(
        compared >= 30 && partial >= 25,
        "{compared} compared, {partial} partial"
    );
}

#[test]
fn a_rebuild_renders_only_what_an_edit_reaches() {
    let mut live = Live::new(generated(7), false);
    let total = tree(live.session.dir()).len();
    live.edit("guides/g1.md", "See", "Now see");
    let o = live.rebuilt(&["guides/g1.md"]);
    assert!(!o.whole);
    let rendered = o.rendered.unwrap();
    assert!(rendered < total / 2, "{rendered} of {total} rendered");
    assert_eq!(o.committed.removed, 0);
}

#[test]
fn a_finding_far_from_an_edit_reaches_the_pages_that_show_it() {
    // A person drops the role that owns an item: the item gets a `vacant-role` warning, and
    // the item's team page shows the item's card with its warning count, three steps from the
    // edit (person → role ← item → team). With findings on reader pages, the card counts it
    // on the board too: the board's card is made again, not kept from the last rebuild.
    for config in ["title: Far\n", "title: Far\nsite: {findings: true}\n"] {
        let mut live = Live::new(
            |root| {
                let w = |rel: &str, text: &str| {
                    let p = root.join(rel);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(p, text).unwrap();
                };
                w("opsbook.yml", config);
                w(
                    "org.yml",
                    "roles:\n  - id: lead\n    title: Lead\n    responsibilities: [Leads]\n\
                     teams:\n  - id: core\n    name: Core\n",
                );
                w(
                    "people/solo.md",
                    "---\nname: Solo Person\nroles: [lead]\n---\n# Solo Person\n",
                );
                w(
                    "roadmap/x.md",
                    "---\ntitle: X\nstatus: next\nowner: role:lead\nteam: core\n---\n# X\n",
                );
            },
            false,
        );
        live.edit("people/solo.md", "roles: [lead]", "roles: []");
        let o = live.rebuilt(&["people/solo.md"]);
        assert_eq!(o.counts.warnings, 1, "{o:?}");
        assert!(!o.whole);
    }
}
