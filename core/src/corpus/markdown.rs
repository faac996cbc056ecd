//! Markdown to plain text, for indexing, snippets and the plain-text reading form.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The plain-text form of an article body and the text of its headings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlainText {
    /// Paragraphs separated by a blank line; list items one a line with `• ` (or
    /// `1. `) and two spaces of indent per nesting level. No markup.
    pub text: String,
    /// The text of every heading, in order.
    pub headings: Vec<String>,
}

/// Renders Markdown as plain text. Images, raw HTML and link targets are dropped;
/// link text, emphasis text and code are kept as text.
pub fn to_plain(markdown: &str) -> PlainText {
    let mut out = PlainText::default();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut heading: Option<String> = None;
    let mut image_depth = 0usize;
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    );
    for event in parser {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                block_break(&mut out.text);
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    out.headings.push(h.trim().to_string());
                }
                block_break(&mut out.text);
            }
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_))
            | Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_))
                if lists.is_empty() =>
            {
                block_break(&mut out.text);
            }
            Event::Start(Tag::List(start)) => {
                if lists.is_empty() {
                    block_break(&mut out.text);
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    block_break(&mut out.text);
                }
            }
            Event::Start(Tag::Item) => {
                line_break(&mut out.text);
                let depth = lists.len().saturating_sub(1);
                out.text.extend(std::iter::repeat_n("  ", depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.text.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.text.push_str("• "),
                }
            }
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => line_break(&mut out.text),
            Event::End(TagEnd::TableCell) => out.text.push_str("  "),
            Event::Text(t) | Event::Code(t) if image_depth == 0 => {
                let t = t.as_ref();
                if let Some(h) = heading.as_mut() {
                    h.push_str(t);
                }
                push_text(&mut out.text, t);
            }
            Event::SoftBreak => {
                if let Some(h) = heading.as_mut() {
                    h.push(' ');
                }
                push_text(&mut out.text, " ");
            }
            Event::HardBreak => out.text.push('\n'),
            Event::Rule => block_break(&mut out.text),
            _ => {}
        }
    }
    let trimmed_len = out.text.trim_end().len();
    out.text.truncate(trimmed_len);
    out
}

/// Appends text, collapsing runs of spaces and never starting a line with one.
fn push_text(out: &mut String, t: &str) {
    for c in t.chars() {
        let c = if c == '\n' || c == '\t' { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with([' ', '\n'])) {
            continue;
        }
        out.push(c);
    }
}

fn line_break(out: &mut String) {
    trim_trailing_spaces(out);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn block_break(out: &mut String) {
    trim_trailing_spaces(out);
    if out.is_empty() || out.ends_with("\n\n") {
        return;
    }
    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
}

fn trim_trailing_spaces(out: &mut String) {
    let len = out.trim_end_matches(' ').len();
    out.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup_and_keeps_structure() {
        let md = "Intro with **bold** and a [link](https://x.org).\n\n## What Helps\n\n- one\n- two\n  1. nested\n\n![a caption](pic.png)\n\nLast  line\nwraps.";
        let p = to_plain(md);
        assert_eq!(
            p.text,
            "Intro with bold and a link.\n\nWhat Helps\n\n• one\n• two\n  1. nested\n\nLast line wraps."
        );
        assert_eq!(p.headings, vec!["What Helps".to_string()]);
    }

    #[test]
    fn empty_and_odd_input() {
        assert_eq!(to_plain("").text, "");
        assert_eq!(to_plain("<div>raw html</div>").text, "");
        assert_eq!(
            to_plain("# Only *a* heading").headings,
            vec!["Only a heading".to_string()]
        );
    }
}
