//! The pages of objectives, metrics and launches, delivery health, ownership and flow, on the
//! `site-product` fixture.

use super::support::{build, fixture, main_of, page, text};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let hb = fixture("site-product");
    let out = build(hb.path(), &["--no-git"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let site = hb.path().join("site");
    (hb, site)
}

#[test]
fn objectives_show_progress_key_results_and_contributing_items() {
    let (_hb, site) = built();
    let index = main_of(&page(&site, "objectives/index.html"));
    // Newest period first; the objective's progress is the mean of its key results:
    // activation (24 − 20) ÷ (30 − 20) = 40 %, retention (41 − 40) ÷ (45 − 40) = 20 %.
    let q4 = index.find("2026-Q4").unwrap();
    let q3 = index.find("2026-Q3").unwrap();
    assert!(q4 < q3, "{index}");
    assert!(
        index.contains(
            r#"value="30" aria-label="progress of New accounts reach value in their first week""#
        ),
        "{index}"
    );
    // A key result that should go down: from 800 ms to 400 ms, at 380 ms it is reached.
    assert!(
        index.contains(r#"value="100" aria-label="progress of Dashboards load fast""#),
        "{index}"
    );

    let o = main_of(&page(&site, "objectives/activation-q4.html"));
    assert!(o.contains(r#"<li id="kr-activation">"#), "{o}");
    assert!(o.contains("20 → <strong>24</strong> → 30 %"), "{o}");
    assert!(o.contains(r#"<a href="../metrics/activation-rate.html">Activation rate</a>"#));
    // Contributing items by status: Now before Shipped, each once.
    let now = o.find("<h3>Now</h3>").unwrap();
    let next = o.find("<h3>Next</h3>").unwrap();
    let shipped = o.find("<h3>Shipped</h3>").unwrap();
    assert!(now < next && next < shipped, "{o}");
    assert_eq!(
        o.matches(r#"<a class="card-title" href="../roadmap/billing.html">"#)
            .count(),
        1
    );
    insta::assert_snapshot!("product_objective", o);
    insta::assert_snapshot!("product_objectives", index);

    // The item page and card say which key results it moves.
    let item = main_of(&page(&site, "roadmap/onboarding.html"));
    assert!(item.contains("Key results it moves"), "{item}");
    assert!(item.contains(r#"Activation rate from 20% to 30% <span class="muted">in <a href="../objectives/activation-q4.html">"#), "{item}");
    let board = page(&site, "roadmap/index.html");
    assert!(board.contains(r#"title="moves New accounts reach value in their first week: Activation rate from 20% to 30%">1 key result</span>"#), "{board}");
}

#[test]
fn metrics_have_a_catalogue_and_list_the_key_results_that_use_them() {
    let (_hb, site) = built();
    let catalogue = main_of(&page(&site, "metrics/index.html"));
    assert!(catalogue.contains("3 metrics"), "{catalogue}");
    assert!(catalogue.contains(r#"<a href="https://dashboards.example.com/activation">open</a>"#));
    let m = main_of(&page(&site, "metrics/activation-rate.html"));
    assert!(m.contains(r#"<a href="../objectives/activation-q4.html#kr-activation">Activation rate from 20% to 30%</a>"#), "{m}");
    insta::assert_snapshot!("product_metrics", catalogue);
    insta::assert_snapshot!("product_metric", m);
}

#[test]
fn launches_show_readiness_and_the_checklist() {
    let (_hb, site) = built();
    let index = main_of(&page(&site, "launches/index.html"));
    // Upcoming first; readiness = done ÷ tasks = 1 of 3; one open task is past its due date.
    let upcoming = index.find("Coming up").unwrap();
    let past = index.find("Launched and cancelled").unwrap();
    let onboarding = index.find("Guided onboarding launch").unwrap();
    let billing = index.find("Self-serve billing launch").unwrap();
    assert!(
        upcoming < onboarding && onboarding < past && past < billing,
        "{index}"
    );
    assert!(index.contains(r#"value="33" aria-label="readiness of Guided onboarding launch">33%</meter> <span class="progress-value">1/3 tasks</span>"#), "{index}");
    assert!(
        index.contains(r#"<span class="chip chip-warn">1 overdue</span>"#),
        "{index}"
    );
    let l = main_of(&page(&site, "launches/onboarding.html"));
    assert!(
        l.contains(
            r#"<li class="task-overdue"><span class="task-mark">Overdue</span> In-app announcement"#
        ),
        "{l}"
    );
    assert!(
        l.contains(r#"<li class="task-open"><span class="task-mark">Open</span> Sales enablement"#),
        "{l}"
    );
    insta::assert_snapshot!("product_launches", index);
    insta::assert_snapshot!("product_launch", l);
    // The item page shows its launch with the readiness.
    let item = main_of(&page(&site, "roadmap/billing.html"));
    assert!(item.contains(r#"<a href="../launches/billing.html">Self-serve billing launch</a> <span class="status status-launched">Launched</span>"#), "{item}");
    assert!(item.contains("2/2 tasks"), "{item}");
    // The home page lists the product sections with their sizes; the nav has them too.
    let home = page(&site, "index.html");
    for (label, href) in [
        ("Objectives", "objectives/index.html"),
        ("Metrics", "metrics/index.html"),
        ("Launches", "launches/index.html"),
    ] {
        assert!(
            home.contains(&format!(r#"<li><a href="{href}">{label}</a></li>"#)),
            "{label}: {home}"
        );
    }
}

#[test]
fn a_handbook_without_objectives_has_no_empty_product_sections() {
    let hb = fixture("site-basic");
    let out = build(hb.path(), &["--no-git"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let site = hb.path().join("site");
    let home = page(&site, "index.html");
    for missing in [
        "objectives/index.html",
        "metrics/index.html",
        "launches/index.html",
    ] {
        assert!(!home.contains(missing), "{missing}");
        assert!(!site.join(missing).exists(), "{missing}");
    }
}

#[test]
fn delivery_health_and_lateness_on_cards_board_home_and_timeline() {
    let (_hb, site) = built();
    // The card: health (with the confidence), and how late a Now item whose target ended is.
    let board = page(&site, "roadmap/index.html");
    assert!(
        board.contains(r#"data-health="health:at-risk" data-late="late:late">"#),
        "{board}"
    );
    assert!(board.contains(r#"<span class="chip chip-health health-at-risk" title="confidence 60%">At risk</span><span class="chip chip-late" title="target ended 2026-09-30">Late 7 weeks</span>"#), "{board}");
    // The board filters by health and lateness, with a page per filter.
    assert!(board.contains(r#"<li><a href="health/at-risk.html" data-filter="health:at-risk">At risk <span class="count">1</span></a></li>"#), "{board}");
    assert!(board.contains(r#"<li><a href="health/late.html" data-filter="late:late">Late <span class="count">1</span></a></li>"#), "{board}");
    let late = main_of(&page(&site, "roadmap/health/late.html"));
    assert!(
        late.contains("Guided onboarding") && !late.contains("SAML single sign-on"),
        "{late}"
    );
    // The home page lists what is at risk or late; an on-track item on time is not there.
    let home = main_of(&page(&site, "index.html"));
    let at_risk = &home[home.find("At risk and late").unwrap()..home.find("Needs review").unwrap()];
    assert!(at_risk.contains("Guided onboarding"), "{at_risk}");
    assert!(!at_risk.contains("SAML single sign-on"), "{at_risk}");
    // The timeline: bars from start to target on one scale of whole quarters (2026-Q2 to
    // 2027-Q1, 365 days), today's line, the late part from the target's end to today.
    let t = main_of(&page(&site, "roadmap/timeline.html"));
    assert!(
        t.contains(r#"<span class="today-line" style="left: 64.79%"></span>"#),
        "{t}"
    );
    assert!(t.contains(r#"<span class="bar" style="left: 24.93%; width: 25.21%"></span><span class="bar-late" style="left: 50.14%; width: 14.79%"></span>"#), "{t}");
    assert!(
        t.contains(r#"<span class="lane-dates">2026-07 → 2026-Q3</span>"#),
        "{t}"
    );
    assert!(
        t.contains(r#"<span class="lane-dates">2026-Q2 → shipped 2026-10-02</span>"#),
        "{t}"
    );
    insta::assert_snapshot!("product_timeline", t);
}

#[test]
fn ownership_rolls_up_through_roles() {
    let (_hb, site) = built();
    // Maria holds the Product Manager role: her page lists what the role owns, marked so.
    let maria = main_of(&page(&site, "people/maria.html"));
    let via = r#"<span class="via">via role <a href="../roles/product-manager.html">Product Manager</a></span>"#;
    assert!(
        maria.contains(&format!(
            r#"<a href="../processes/weekly-sync.html">Weekly product sync</a> {via}"#
        )),
        "{maria}"
    );
    assert!(maria.contains(r#"<p class="via">via role <a href="../roles/product-manager.html">Product Manager</a></p>"#), "{maria}");
    // What she owns herself is not marked.
    assert!(
        maria.contains(r#"<a href="../metrics/activation-rate.html">Activation rate</a>, "#),
        "{maria}"
    );
    // The team's page rolls up the roles its members hold.
    let growth = main_of(&page(&site, "teams/growth.html"));
    assert!(
        growth.contains(&format!(
            r#"<a href="../processes/weekly-sync.html">Weekly product sync</a> {via}"#
        )),
        "{growth}"
    );

    let o = main_of(&page(&site, "ownership.html"));
    // Every owner with counts, the most first; Maria: 2 items, 1 objective, 1 key result,
    // 2 metrics, 2 launches, 1 process = 9, 5 of them through her role.
    assert!(o.contains(r#"<th scope="row"><a href="people/maria.html">Maria Gomez</a> <span class="muted">person</span></th>
        <td>2</td><td>1</td><td>1</td><td>2</td><td>2</td><td>1</td><td>0</td>
        <td>9 <span class="muted">(5 via roles)</span></td>"#), "{o}");
    assert!(o.find("Maria Gomez").unwrap() < o.find("Leo Martins").unwrap());
    // Sam owns nothing; the latency metric has no owner.
    let idle = &o[o.find("People with nothing").unwrap()..o.find("Things with nobody").unwrap()];
    assert!(
        idle.contains("Sam Okafor") && !idle.contains("Maria"),
        "{idle}"
    );
    assert!(o.contains(r#"<a href="metrics/p95-latency.html">p95 dashboard load</a> <span class="muted">Metric: no owner</span>"#), "{o}");
    insta::assert_snapshot!("product_ownership", o);
}

#[test]
fn warnings_stay_on_the_health_page_unless_the_site_is_internal() {
    let (hb, site) = built();
    // Guided onboarding has a warning (its target passed): not on its card nor its page.
    let item = main_of(&page(&site, "roadmap/onboarding.html"));
    assert!(
        !item.contains("doc-findings") && !item.contains("chip-warn"),
        "{item}"
    );
    assert!(!page(&site, "roadmap/index.html").contains("chip-warn"));
    // The Health page has it, with the quoted parts as code.
    let health = main_of(&page(&site, "health.html"));
    assert!(health.contains("<code>target-passed</code>"), "{health}");
    assert!(health.contains("set <code>target</code> to when it will ship now, and <code>health</code> to say how it is going"), "{health}");
    // An internal site shows them everywhere.
    super::support::write(
        hb.path(),
        "opsbook.yml",
        "title: Product handbook\nrules: {orphan-page: off}\nsite: {findings: true}\n",
    );
    let out = build(hb.path(), &["--no-git"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let item = page(&site, "roadmap/onboarding.html");
    assert!(item.contains(r#"<section class="doc-findings""#), "{item}");
    assert!(page(&site, "roadmap/index.html").contains(
        r#"<span class="chip chip-warn" title="warnings in this item">1 warning</span>"#
    ));
}

#[test]
fn the_board_says_how_it_is_sorted_and_rounds_rice() {
    let hb = fixture("site-basic");
    build(hb.path(), &["--no-git"]);
    let board = page(&hb.path().join("site"), "roadmap/index.html");
    assert!(
        board.contains("Each column is sorted by RICE score, highest first"),
        "{board}"
    );
    // 100 × 2 × 0.8 ÷ 0.6 = 266.67, shown as 267 on the card; the item page keeps the arithmetic.
    assert!(board.contains(">RICE 267</span>"), "{board}");
    let item = page(&hb.path().join("site"), "roadmap/search.html");
    assert!(item.contains(r#"<span class="score">267</span>"#), "{item}");
    assert!(item.contains("= <strong>266.67</strong>"), "{item}");
}
