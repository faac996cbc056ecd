//! An article body as blocks a phone can draw natively: headings, paragraphs, list
//! items, quotes, code, rules and table rows, each with its text and styled spans.
//!
//! Neither Android nor iOS renders Markdown without third-party code, so the core turns
//! the Markdown into plain text plus ranges: the shell draws a `TextView` or `Text` per
//! block and applies the spans as its own bold, italics and links.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// What a block is, and how it is laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading, `level` 1 (largest) to 6.
    Heading {
        /// 1 to 6.
        level: u8,
    },
    /// A paragraph of running text.
    Paragraph,
    /// A paragraph of a list item.
    ListItem {
        /// The item's number in an ordered list; `None` for a bullet.
        ordinal: Option<u64>,
        /// Nesting: 0 for a top-level list, 1 for a list inside an item, …
        depth: u32,
        /// True for a later paragraph of the same item: indent it, without a bullet.
        continued: bool,
    },
    /// A paragraph of a block quote.
    Quote {
        /// Nesting: 1 for a quote, 2 for a quote inside a quote, …
        depth: u32,
    },
    /// Preformatted code, drawn in a monospace font, lines kept.
    Code {
        /// The language named after the opening fence, if any.
        language: Option<String>,
    },
    /// A thematic break (a horizontal line). Its text is empty.
    Rule,
    /// A row of a table; the cells are separated by tab characters in the text.
    TableRow {
        /// True for the table's header row.
        header: bool,
        /// Number of cells.
        cells: u32,
    },
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkTarget {
    /// Another article of the same bundle: open it in the app.
    Article {
        /// Its id.
        id: String,
    },
    /// An address outside the app: opening it leaves the app (the shell asks first).
    External {
        /// The address as written.
        url: String,
    },
}

/// The style of a span of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SpanStyle {
    /// Emphasis (italics).
    Emphasis,
    /// Strong emphasis (bold).
    Strong,
    /// Inline code (monospace).
    Code,
    /// Struck-through text.
    Strikethrough,
    /// A link.
    Link {
        /// Where it goes.
        target: LinkTarget,
    },
}

/// A styled range of a block's text, in Unicode scalar values `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// First character.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
    /// How it is styled.
    pub style: SpanStyle,
}

/// One block of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Its text, without markup. Hard line breaks are `\n`.
    pub text: String,
    /// Styled ranges of `text`, ordered by start; they may nest (a link in bold).
    pub spans: Vec<Span>,
}

/// Blocks of a Markdown body. `resolve` maps a link destination to the id of an
/// article of the same bundle, or `None` for an address outside the app. Images and raw
/// HTML are left out (as they are from the indexed text); never fails.
pub fn to_blocks(markdown: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Vec<Block> {
    let mut b = Builder::default();
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    );
    for event in parser {
        b.event(event, resolve);
    }
    b.finish_block();
    b.blocks
}

/// A list being read: its next number (ordered lists) and whether its current item
/// already has a paragraph.
#[derive(Debug)]
struct List {
    next: Option<u64>,
    item_started: bool,
}

#[derive(Debug, Default)]
struct Builder {
    blocks: Vec<Block>,
    /// The block being filled, if any.
    current: Option<Block>,
    /// Characters of `current.text`.
    chars: u32,
    /// Styles opened and not yet closed: (style, start).
    open: Vec<(SpanStyle, u32)>,
    lists: Vec<List>,
    quote_depth: u32,
    image_depth: u32,
    /// Inside a table: whether in its header, and the cells of the row so far.
    table_header: bool,
    row_cells: u32,
    in_code: Option<Option<String>>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, resolve: &dyn Fn(&str) -> Option<String>) {
        match event {
            Event::Start(tag) => self.start(tag, resolve),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.image_depth == 0 => {
                if self.in_code.is_some() {
                    self.push_raw(&t);
                } else {
                    self.push_text(&t);
                }
            }
            Event::Code(t) if self.image_depth == 0 => {
                let from = self.ensure_block();
                self.push_text(&t);
                self.add_span(SpanStyle::Code, from);
            }
            Event::SoftBreak if self.image_depth == 0 => self.push_text(" "),
            Event::HardBreak if self.image_depth == 0 => {
                self.ensure_block();
                self.trim_trailing_spaces();
                self.push_raw("\n");
            }
            Event::Rule => {
                self.finish_block();
                self.blocks.push(Block {
                    kind: BlockKind::Rule,
                    text: String::new(),
                    spans: Vec::new(),
                });
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, resolve: &dyn Fn(&str) -> Option<String>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.finish_block();
                self.begin(BlockKind::Heading { level: level as u8 });
            }
            Tag::Paragraph => {
                self.finish_block();
                let kind = self.paragraph_kind();
                self.begin(kind);
            }
            Tag::BlockQuote(_) => {
                self.finish_block();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(kind) => {
                self.finish_block();
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(str::to_string)
                        .filter(|s| !s.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                self.in_code = Some(language.clone());
                self.begin(BlockKind::Code { language });
            }
            Tag::List(start) => {
                self.finish_block();
                self.lists.push(List {
                    next: start,
                    item_started: false,
                });
            }
            Tag::Item => {
                self.finish_block();
                if let Some(list) = self.lists.last_mut() {
                    list.item_started = false;
                }
            }
            Tag::Table(_) => self.finish_block(),
            Tag::TableHead => {
                self.finish_block();
                self.table_header = true;
                self.begin_row();
            }
            Tag::TableRow => {
                self.finish_block();
                self.begin_row();
            }
            Tag::TableCell => {
                self.ensure_block();
                if self.row_cells > 0 {
                    self.trim_trailing_spaces();
                    self.push_raw("\t");
                }
                self.row_cells += 1;
            }
            Tag::Emphasis => self.open_style(SpanStyle::Emphasis),
            Tag::Strong => self.open_style(SpanStyle::Strong),
            Tag::Strikethrough => self.open_style(SpanStyle::Strikethrough),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let dest = dest_url.trim();
                let target = match link_type {
                    LinkType::Email => LinkTarget::External {
                        url: format!("mailto:{dest}"),
                    },
                    _ => match resolve(dest) {
                        Some(id) => LinkTarget::Article { id },
                        None => LinkTarget::External {
                            url: dest.to_string(),
                        },
                    },
                };
                self.open_style(SpanStyle::Link { target });
            }
            Tag::Image { .. } => self.image_depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph => self.finish_block(),
            TagEnd::BlockQuote(_) => {
                self.finish_block();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                if let Some(block) = self.current.as_mut() {
                    let len = block.text.trim_end_matches('\n').len();
                    block.text.truncate(len);
                }
                self.in_code = None;
                self.finish_block();
            }
            TagEnd::List(_) => {
                self.finish_block();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.finish_block();
                if let Some(list) = self.lists.last_mut()
                    && let Some(n) = list.next.as_mut()
                {
                    *n += 1;
                }
            }
            TagEnd::TableHead => {
                self.finish_block();
                self.table_header = false;
            }
            TagEnd::TableRow | TagEnd::Table => self.finish_block(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.close_style()
            }
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            _ => {}
        }
    }

    /// The kind of a paragraph starting here (or of loose text in a tight list item).
    fn paragraph_kind(&mut self) -> BlockKind {
        let depth = self.lists.len();
        if let Some(list) = self.lists.last_mut() {
            let continued = list.item_started;
            list.item_started = true;
            return BlockKind::ListItem {
                ordinal: if continued { None } else { list.next },
                depth: depth as u32 - 1,
                continued,
            };
        }
        if self.quote_depth > 0 {
            return BlockKind::Quote {
                depth: self.quote_depth,
            };
        }
        BlockKind::Paragraph
    }

    fn begin(&mut self, kind: BlockKind) {
        self.current = Some(Block {
            kind,
            text: String::new(),
            spans: Vec::new(),
        });
        self.chars = 0;
    }

    fn begin_row(&mut self) {
        self.begin(BlockKind::TableRow {
            header: self.table_header,
            cells: 0,
        });
        self.row_cells = 0;
    }

    /// Starts a block for text that arrives outside any paragraph (a tight list item's
    /// text, a table cell).
    fn ensure_block(&mut self) -> u32 {
        if self.current.is_none() {
            let kind = self.paragraph_kind();
            self.begin(kind);
        }
        self.chars
    }

    fn open_style(&mut self, style: SpanStyle) {
        let at = self.ensure_block();
        self.open.push((style, at));
    }

    fn close_style(&mut self) {
        if let Some((style, start)) = self.open.pop() {
            self.add_span(style, start);
        }
    }

    fn add_span(&mut self, style: SpanStyle, start: u32) {
        // Spaces collapsed at the end belong to no span.
        let end = self.chars;
        if let Some(block) = self.current.as_mut()
            && end > start
        {
            block.spans.push(Span { start, end, style });
        }
    }

    /// Appends running text: newlines and tabs as spaces, runs of spaces collapsed, no
    /// space at the start of a block or line.
    fn push_text(&mut self, t: &str) {
        self.ensure_block();
        let block = self.current.as_mut().expect("ensured");
        for c in t.chars() {
            let c = if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            };
            if c == ' ' && (block.text.is_empty() || block.text.ends_with([' ', '\n', '\t'])) {
                continue;
            }
            block.text.push(c);
            self.chars += 1;
        }
    }

    /// Appends text as it is (code, line breaks, cell separators).
    fn push_raw(&mut self, t: &str) {
        self.ensure_block();
        let block = self.current.as_mut().expect("ensured");
        block.text.push_str(t);
        self.chars += t.chars().count() as u32;
    }

    fn trim_trailing_spaces(&mut self) {
        if let Some(block) = self.current.as_mut() {
            while block.text.ends_with(' ') {
                block.text.pop();
                self.chars -= 1;
            }
        }
    }

    /// Closes the current block: trailing spaces trimmed, spans clamped to the text,
    /// styles still open carried into no other block, empty blocks dropped.
    fn finish_block(&mut self) {
        self.trim_trailing_spaces();
        // Styles left open (markup split across blocks) end here.
        while !self.open.is_empty() {
            self.close_style();
        }
        let Some(mut block) = self.current.take() else {
            return;
        };
        let chars = self.chars;
        for span in &mut block.spans {
            span.end = span.end.min(chars);
        }
        block.spans.retain(|s| s.end > s.start);
        block
            .spans
            .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        if let BlockKind::TableRow { cells, .. } = &mut block.kind {
            *cells = self.row_cells;
        }
        if block.text.is_empty() && !matches!(block.kind, BlockKind::TableRow { .. }) {
            return;
        }
        self.blocks.push(block);
    }
}

/// Minutes an article of `words` words takes to read, at 200 words a minute, at least 1.
pub fn reading_minutes(words: usize) -> u32 {
    words.div_ceil(200).max(1) as u32
}

#[cfg(test)]
mod tests;
