//! Tests of [`super`]: Markdown to blocks, spans, links and offsets.

use super::*;

fn blocks(md: &str) -> Vec<Block> {
    to_blocks(md, &|dest| {
        dest.strip_prefix("quire:")
            .or(Some(dest).filter(|d| *d == "known-article"))
            .map(str::to_string)
    })
}

fn span_text(b: &Block, s: &Span) -> String {
    b.text
        .chars()
        .skip(s.start as usize)
        .take((s.end - s.start) as usize)
        .collect()
}

#[test]
fn headings_paragraphs_and_styles() {
    let b = blocks(
        "# Title here\n\nSome *soft* and **firm** words, `code`, ~~gone~~.\n\n## Next\n\nA line\nwraps.",
    );
    assert_eq!(b.len(), 4);
    assert_eq!(b[0].kind, BlockKind::Heading { level: 1 });
    assert_eq!(b[0].text, "Title here");
    assert_eq!(b[1].kind, BlockKind::Paragraph);
    assert_eq!(b[1].text, "Some soft and firm words, code, gone.");
    let styled: Vec<(String, SpanStyle)> = b[1]
        .spans
        .iter()
        .map(|s| (span_text(&b[1], s), s.style.clone()))
        .collect();
    assert_eq!(
        styled,
        vec![
            ("soft".into(), SpanStyle::Emphasis),
            ("firm".into(), SpanStyle::Strong),
            ("code".into(), SpanStyle::Code),
            ("gone".into(), SpanStyle::Strikethrough),
        ]
    );
    assert_eq!(b[2].kind, BlockKind::Heading { level: 2 });
    assert_eq!(b[3].text, "A line wraps.");
}

#[test]
fn lists_nested_numbered_and_loose() {
    let b =
        blocks("- one\n- two\n  1. first\n  2. second\n\n3. three\n\n   more of three\n4. four");
    let kinds: Vec<(&str, BlockKind)> = b
        .iter()
        .map(|b| (b.text.as_str(), b.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "one",
                BlockKind::ListItem {
                    ordinal: None,
                    depth: 0,
                    continued: false
                }
            ),
            (
                "two",
                BlockKind::ListItem {
                    ordinal: None,
                    depth: 0,
                    continued: false
                }
            ),
            (
                "first",
                BlockKind::ListItem {
                    ordinal: Some(1),
                    depth: 1,
                    continued: false
                }
            ),
            (
                "second",
                BlockKind::ListItem {
                    ordinal: Some(2),
                    depth: 1,
                    continued: false
                }
            ),
            (
                "three",
                BlockKind::ListItem {
                    ordinal: Some(3),
                    depth: 0,
                    continued: false
                }
            ),
            (
                "more of three",
                BlockKind::ListItem {
                    ordinal: None,
                    depth: 0,
                    continued: true
                }
            ),
            (
                "four",
                BlockKind::ListItem {
                    ordinal: Some(4),
                    depth: 0,
                    continued: false
                }
            ),
        ]
    );
}

#[test]
fn quotes_code_rules_and_tables() {
    let b = blocks(
        "> quoted *words*\n>\n> > deeper\n\n```text\nline 1\n  line 2\n```\n\n---\n\n| a | b |\n|---|---|\n| 1 | **2** |\n",
    );
    assert_eq!(b[0].kind, BlockKind::Quote { depth: 1 });
    assert_eq!(b[0].text, "quoted words");
    assert_eq!(b[1].kind, BlockKind::Quote { depth: 2 });
    assert_eq!(
        b[2].kind,
        BlockKind::Code {
            language: Some("text".into())
        }
    );
    assert_eq!(b[2].text, "line 1\n  line 2");
    assert_eq!(b[3].kind, BlockKind::Rule);
    assert_eq!(
        b[4].kind,
        BlockKind::TableRow {
            header: true,
            cells: 2
        }
    );
    assert_eq!(b[4].text, "a\tb");
    assert_eq!(
        b[5].kind,
        BlockKind::TableRow {
            header: false,
            cells: 2
        }
    );
    assert_eq!(b[5].text, "1\t2");
    assert_eq!(span_text(&b[5], &b[5].spans[0]), "2");
}

#[test]
fn links_resolve_to_articles_or_leave_the_app() {
    let b = blocks(
        "See [the other](quire:other-one), [this](known-article), [a site](https://example.org/x) and <help@example.org>.",
    );
    let links: Vec<(String, LinkTarget)> = b[0]
        .spans
        .iter()
        .filter_map(|s| match &s.style {
            SpanStyle::Link { target } => Some((span_text(&b[0], s), target.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        links,
        vec![
            (
                "the other".into(),
                LinkTarget::Article {
                    id: "other-one".into()
                }
            ),
            (
                "this".into(),
                LinkTarget::Article {
                    id: "known-article".into()
                }
            ),
            (
                "a site".into(),
                LinkTarget::External {
                    url: "https://example.org/x".into()
                }
            ),
            (
                "help@example.org".into(),
                LinkTarget::External {
                    url: "mailto:help@example.org".into()
                }
            ),
        ]
    );
}

#[test]
fn offsets_count_characters_not_bytes() {
    let b = blocks("“Héllo” — **wörld** 👋 *end*");
    let strong = &b[0].spans[0];
    assert_eq!(span_text(&b[0], strong), "wörld");
    assert_eq!(strong.start, 10);
    let em = &b[0].spans[1];
    assert_eq!(span_text(&b[0], em), "end");
}

#[test]
fn images_html_and_odd_input_give_no_text() {
    assert!(blocks("").is_empty());
    assert!(blocks("![caption](pic.png)").is_empty());
    assert!(blocks("<div>raw</div>").is_empty());
    let b = blocks("**unclosed *styles");
    assert_eq!(b.len(), 1);
    assert!(
        b[0].spans
            .iter()
            .all(|s| s.end as usize <= b[0].text.chars().count())
    );
    // Deep nesting neither overflows nor loses the text.
    let deep = format!("{}deep", "> ".repeat(200));
    let b = blocks(&deep);
    assert_eq!(b.last().map(|b| b.text.as_str()), Some("deep"));
}

#[test]
fn hard_breaks_keep_lines() {
    let b = blocks("first line  \nsecond line");
    assert_eq!(b[0].text, "first line\nsecond line");
}

#[test]
fn minutes() {
    assert_eq!(reading_minutes(0), 1);
    assert_eq!(reading_minutes(200), 1);
    assert_eq!(reading_minutes(201), 2);
}
