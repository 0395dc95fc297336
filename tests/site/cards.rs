//! Roadmap cards are rendered once by `partials/card.html` and shown on every page that lists
//! them: an overridden partial shows everywhere, and an ejected page that still includes the
//! partial itself (as the templates once did) renders the same site.

use super::support::{assert_same_tree, build, fixture, main_of, page, text, write};

/// A card partial of the handbook's own: the item, its owner, and the role it is held through.
const MY_CARD: &str = "<li class=\"my-card\" data-id=\"{{ card.id }}\">{{ card.title }} \
     ({{ card.status_label }}{% if card.owner %}, {{ card.owner.title }}{% endif %})\
     {% if card.via is defined and card.via %} via {{ card.via.title }}{% endif %}</li>\n";

#[test]
fn an_overridden_card_partial_shows_wherever_cards_show() {
    let hb = fixture("site-product");
    write(hb.path(), "templates/partials/card.html", MY_CARD);
    let out = build(hb.path(), &["--no-git"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    let site = hb.path().join("site");
    let onboarding =
        r#"<li class="my-card" data-id="onboarding">Guided onboarding (Now, Product Manager)</li>"#;
    for rel in [
        // The board, the home page's lists, an objective's contributors, a launch's item.
        "roadmap/index.html",
        "index.html",
        "objectives/activation-q4.html",
        "launches/onboarding.html",
    ] {
        let html = main_of(&page(&site, rel));
        assert!(html.contains(onboarding), "{rel}:\n{html}");
        assert!(!html.contains("class=\"card status-"), "{rel}:\n{html}");
    }
    // A filtered board, and a person's page, where the card says the role it is held through.
    let team = main_of(&page(&site, "roadmap/owner/person-leo.html"));
    assert!(
        team.contains(r#"<li class="my-card" data-id="sso">SAML single sign-on"#),
        "{team}"
    );
    let maria = main_of(&page(&site, "people/maria.html"));
    assert!(
        maria.contains("Guided onboarding (Now, Product Manager) via Product Manager</li>"),
        "{maria}"
    );
}

#[test]
fn an_ejected_page_that_includes_the_card_partial_renders_the_same_site() {
    // Templates ejected before cards were rendered once include the partial in every list;
    // the card's facts are all still there, so such a board renders the same page.
    let hb = fixture("site-product");
    build(hb.path(), &["--no-git", "--out", "builtin"]);
    let board = include_str!("../../templates/board.html");
    let old = board.replace(
        "{{ card.html | safe }}",
        "{% include \"partials/card.html\" %}",
    );
    assert_ne!(old, board, "the board prints the rendered cards");
    write(hb.path(), "templates/board.html", &old);
    let out = build(hb.path(), &["--no-git", "--out", "ejected"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out, hb.path()));
    assert_same_tree(&hb.path().join("builtin"), &hb.path().join("ejected"));
}

#[test]
fn a_card_partial_that_fails_stops_the_build_naming_it() {
    let hb = fixture("site-product");
    write(
        hb.path(),
        "templates/partials/card.html",
        "<li>{{ card.no_such_field }}</li>",
    );
    let out = build(hb.path(), &["--no-git"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = text(&out, hb.path());
    assert!(
        msg.starts_with("error: template partials/card.html could not be rendered"),
        "{msg}"
    );
    assert!(!hb.path().join("site").exists(), "nothing is written");
}
