//! Shortcodes read as blanks, shown as code or left out, and as link destinations.
use super::*;

#[test]
fn blanking_keeps_offsets_and_line_breaks() {
    let body =
        "Intro {% include note.html %} and {{ page.title }}.\n\n{{< figure src=\"a.png\" >}}\n";
    let b = blank(body);
    assert_eq!(b.len(), body.len());
    assert_eq!(b.lines().count(), body.lines().count());
    assert!(!b.contains('{') && !b.contains('}'), "{b}");
    assert!(b.starts_with("Intro "));
    // Code is left alone.
    let code = "`{{ x }}` and\n\n```\n{% raw %}\n```\n";
    assert_eq!(blank(code), code);
    assert!(matches!(blank("no templates here"), Cow::Borrowed(_)));
}

#[test]
fn the_site_shows_shortcodes_as_code_or_leaves_them_out() {
    let body = "Use {{ site.title }} here.\n";
    assert_eq!(
        for_site(body, Shortcodes::Code),
        "Use ` {{ site.title }} ` here.\n"
    );
    assert_eq!(for_site(body, Shortcodes::Strip), "Use  here.\n");
    assert_eq!(code_span("{{ `x` }}"), "`` {{ `x` }} ``");
    // Comments are always left out; raw content is shown.
    let c = "a {% comment %}secret {{ x }}{% endcomment %} b {# note #} c\n";
    assert_eq!(for_site(c, Shortcodes::Code), "a  b  c\n");
    let r = "{% raw %}{{ shown }}{% endraw %}\n";
    assert_eq!(for_site(r, Shortcodes::Code), "{{ shown }}\n");
    assert_eq!(blank(r).trim(), "{{ shown }}");
}

#[test]
fn link_destinations_become_paths_or_are_dropped() {
    for (body, dest) in [
        ("[a]({{ site.baseurl }}/guide/setup/)", "/guide/setup/"),
        ("[a]({{site.url}}{{site.baseurl}}/x.html#y)", "/x.html#y"),
        ("[a]({% link guide/setup.md %})", "/guide/setup.md"),
        ("[a]({% link 'guide/a b.md' %})", "/guide/a%20b.md"),
        ("[a]({%~ link guide/é.md ~%})", "/guide/é.md"),
        ("[a]({{< ref \"setup.md\" >}})", "setup.md"),
        ("[a]({{% relref \"/guide/x\" %}}#h)", "/guide/x#h"),
        ("[a]({{ '/guide/' | relative_url }})", "/guide/"),
        ("[a]({{ page.next.url }})", UNRESOLVED),
        ("[a]({{ x }} \"title\")", UNRESOLVED),
    ] {
        let b = blank(body);
        assert_eq!(b.len(), body.len(), "{body}");
        let inner = &b[b.find("](").unwrap() + 2..];
        assert!(inner.starts_with(dest), "{body} → {b}");
        assert!(b.ends_with(')'), "{b}");
    }
    let def = "[ref]: {{ site.baseurl }}/a.md\n";
    assert!(blank(def).starts_with("[ref]: /a.md "));
}

proptest::proptest! {
    /// Any text: blanking keeps every offset and line break, and nothing panics.
    #[test]
    fn any_text_keeps_its_offsets(body in "([{}%#<>\\[\\]()'\"|`~é a-z/.:-]|\n|\\{\\{|\\{%|%\\}|\\}\\}){0,80}") {
        let b = blank(&body);
        proptest::prop_assert_eq!(b.len(), body.len());
        proptest::prop_assert_eq!(b.matches('\n').count(), body.matches('\n').count());
        let _ = for_site(&body, Shortcodes::Code);
        let _ = for_site(&body, Shortcodes::Strip);
    }
}

#[test]
fn unclosed_or_runaway_braces_are_text() {
    for body in ["a {{ b\n\nc }}", "{{", "{% x", "set {#id}", "{{ x }"] {
        assert_eq!(blank(body), body, "{body}");
    }
    let long = format!("{{{{ {} }}}}", "x".repeat(MAX_LEN));
    assert_eq!(blank(&long), long);
    // A multi-byte character at the window's edge.
    let edge = format!("{{{{ {} }}}}", "é".repeat(MAX_LEN));
    assert_eq!(blank(&edge), edge);
}
