//! Terminal output: tables, formatted articles, highlighted search results.

use std::io::{self, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use quire_core::bundle::{ArticleMeta, ArticleText};
use quire_core::search::SearchResults;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const ITALIC: &str = "\x1b[3m";
const MARK: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

/// Colours and bold only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80usize)
        .clamp(40, 100)
}

/// A progress bar on stderr when it is a terminal and the job is big enough to wait for.
pub fn progress_bar(len: u64) -> Option<ProgressBar> {
    if !io::stderr().is_terminal() || len < 200 {
        return None;
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{spinner} {msg:10} [{bar:40}] {percent:>3}% {elapsed_precise} (eta {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message("reading");
    Some(bar)
}

/// `12.3 MB`-style sizes.
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} kB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

/// Dimmed text (on a terminal).
pub fn dim(s: &str, color: bool) -> String {
    if color {
        format!("{DIM}{s}{RESET}")
    } else {
        s.to_string()
    }
}

/// `text` with the character ranges `marks` in bold yellow (on a terminal) or between
/// `[` and `]` (elsewhere, so the marks survive a pipe).
pub fn highlight(text: &str, marks: &[(u32, u32)], color: bool) -> String {
    let (open, close) = if color { (MARK, RESET) } else { ("[", "]") };
    let mut out = String::with_capacity(text.len() + marks.len() * 8);
    let mut marks = marks.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        let i = i as u32;
        if marks.peek().is_some_and(|m| m.0 == i) {
            out.push_str(open);
        }
        out.push(c);
        if marks.peek().is_some_and(|m| m.1 == i + 1) {
            out.push_str(close);
            marks.next();
        }
    }
    out
}

/// The article list as a table.
pub fn list(out: &mut impl Write, items: &[ArticleMeta], color: bool) -> io::Result<()> {
    let id_width = items
        .iter()
        .map(|m| m.id.chars().count())
        .max()
        .unwrap_or(2)
        .min(40);
    for m in items {
        writeln!(
            out,
            "{}  {}",
            dim(&format!("{:id_width$}", m.id), color),
            m.title
        )?;
    }
    writeln!(out, "{}", dim(&format!("{} articles", items.len()), color))
}

/// Search results, numbered, with snippets.
pub fn results(
    out: &mut impl Write,
    r: &SearchResults,
    offset: usize,
    color: bool,
) -> io::Result<()> {
    if let Some(s) = &r.suggestion {
        let note = if r.corrected {
            "Showing results for"
        } else {
            "Did you mean"
        };
        writeln!(
            out,
            "{note}: {}\n",
            if color {
                format!("{BOLD}{s}{RESET}")
            } else {
                s.clone()
            }
        )?;
    }
    if !r.without.is_empty() && !r.hits.is_empty() {
        let words = r.without.join(", ");
        writeln!(
            out,
            "No article has every word. Results without: {}\n",
            if color {
                format!("{BOLD}{words}{RESET}")
            } else {
                words
            }
        )?;
    }
    if r.hits.is_empty() {
        let msg = if r.total > 0 {
            "No more results."
        } else {
            "No articles match."
        };
        return writeln!(out, "{msg}");
    }
    let w = width();
    for (i, hit) in r.hits.iter().enumerate() {
        let title = if color {
            format!("{BOLD}{}{RESET}", hit.title)
        } else {
            hit.title.clone()
        };
        writeln!(
            out,
            "{}. {}  {}",
            offset + i + 1,
            title,
            dim(&hit.id, color)
        )?;
        for line in wrap(&hit.snippet, &hit.highlights, w.saturating_sub(3)) {
            writeln!(out, "   {}", highlight(&line.0, &line.1, color))?;
        }
        writeln!(out)?;
    }
    let shown = format!(
        "{}–{} of {} {}",
        offset + 1,
        offset + r.hits.len(),
        r.total,
        if r.total == 1 { "article" } else { "articles" }
    );
    writeln!(out, "{}", dim(&shown, color))
}

/// Wraps text to `width` characters, carrying highlight ranges into each line.
fn wrap(text: &str, marks: &[(u32, u32)], width: usize) -> Vec<(String, Vec<(u32, u32)>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0usize;
    while start < chars.len() {
        let mut end = (start + width).min(chars.len());
        if end < chars.len() {
            if let Some(space) = chars[start..end].iter().rposition(|&c| c == ' ') {
                if space > 0 {
                    end = start + space;
                }
            }
        }
        let line: String = chars[start..end].iter().collect();
        let line_marks = marks
            .iter()
            .filter(|m| (m.0 as usize) < end && (m.1 as usize) > start)
            .map(|m| {
                (
                    (m.0 as usize).max(start) as u32 - start as u32,
                    (m.1 as usize).min(end) as u32 - start as u32,
                )
            })
            .collect();
        lines.push((line, line_marks));
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    lines
}

/// An article formatted for reading in a terminal.
pub fn article(out: &mut impl Write, a: &ArticleText, color: bool) -> io::Result<()> {
    let w = width();
    let title = if color {
        format!("{BOLD}{}{RESET}", a.meta.title)
    } else {
        a.meta.title.clone()
    };
    writeln!(out, "{title}")?;
    let mut meta = Vec::new();
    if let Some(s) = &a.meta.source {
        meta.push(s.clone());
    }
    if let Some(d) = a.meta.published {
        meta.push(d.format("%-d %B %Y").to_string());
    }
    if !a.meta.tags.is_empty() {
        meta.push(a.meta.tags.join(", "));
    }
    for line in wrap(&meta.join(" · "), &[], w) {
        writeln!(out, "{}", dim(&line.0, color))?;
    }
    writeln!(out)?;
    let mut writer = Blocks {
        out,
        width: w,
        color,
        line: String::new(),
        visible: 0,
        indent: String::new(),
    };
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new(&a.markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                writer.blank()?;
                writer.style(BOLD);
                if level <= HeadingLevel::H2 {
                    writer.word("§")?;
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                writer.style(RESET);
                writer.flush_line()?;
            }
            Event::Start(Tag::Paragraph) if lists.is_empty() => writer.blank()?,
            Event::End(TagEnd::Paragraph) => writer.flush_line()?,
            Event::Start(Tag::List(start)) => {
                if lists.is_empty() {
                    writer.blank()?;
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                writer.flush_line()?;
            }
            Event::Start(Tag::Item) => {
                writer.flush_line()?;
                let depth = lists.len().saturating_sub(1);
                let bullet = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                writer.indent = "  ".repeat(depth + 1) + &" ".repeat(bullet.chars().count() + 1);
                let lead = "  ".repeat(depth + 1) + &bullet + " ";
                writer.visible = lead.chars().count();
                writer.line = lead;
            }
            Event::End(TagEnd::Item) => {
                writer.flush_line()?;
                writer.indent.clear();
            }
            Event::Start(Tag::Strong) => writer.style(BOLD),
            Event::Start(Tag::Emphasis) => writer.style(ITALIC),
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => writer.style(RESET),
            Event::Text(t) | Event::Code(t) => {
                for (i, word) in t.split(' ').enumerate() {
                    if i > 0 {
                        writer.space();
                    }
                    writer.word(word)?;
                }
            }
            Event::SoftBreak => writer.space(),
            Event::HardBreak => writer.flush_line()?,
            _ => {}
        }
    }
    writer.flush_line()
}

/// Word-wrapping writer for formatted articles.
struct Blocks<'a, W: Write> {
    out: &'a mut W,
    width: usize,
    color: bool,
    line: String,
    visible: usize,
    indent: String,
}

impl<W: Write> Blocks<'_, W> {
    fn style(&mut self, code: &str) {
        if self.color {
            self.line.push_str(code);
        }
    }

    fn space(&mut self) {
        if self.visible > self.indent.len() && !self.line.ends_with(' ') {
            self.line.push(' ');
            self.visible += 1;
        }
    }

    fn word(&mut self, word: &str) -> io::Result<()> {
        let n = word.chars().count();
        if self.visible + n > self.width && self.visible > self.indent.len() {
            let trimmed = self.line.trim_end().to_string();
            writeln!(self.out, "{trimmed}")?;
            self.line = self.indent.clone();
            self.visible = self.indent.len();
        }
        self.line.push_str(word);
        self.visible += n;
        Ok(())
    }

    fn flush_line(&mut self) -> io::Result<()> {
        if self.visible > 0 {
            let trimmed = self.line.trim_end().to_string();
            writeln!(self.out, "{trimmed}")?;
        }
        self.line = self.indent.clone();
        self.visible = self.indent.len();
        Ok(())
    }

    fn blank(&mut self) -> io::Result<()> {
        self.flush_line()?;
        writeln!(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_survive_pipes_and_wrapping() {
        assert_eq!(
            highlight("a withdrawal of consent", &[(2, 12), (16, 23)], false),
            "a [withdrawal] of [consent]"
        );
        let lines = wrap("one two three four", &[(8, 13)], 9);
        assert_eq!(lines[0].0, "one two");
        assert_eq!(lines[1], ("three".to_string(), vec![(0, 5)]));
    }
}
