//! A strict parser for the small YAML subset Quire's front matter uses.
//!
//! ```text
//! ---
//! id: consent-is-a-process
//! title: "Consent Is A Process"
//! published: 2025-09-16
//! tags: [consent, communication]
//! ---
//! ```
//!
//! Supported values: plain scalars, `"double quoted"` (with `\"`, `\\`, `\n`, `\t`
//! escapes), `'single quoted'` (with `''`), inline lists `[a, "b"]` and block lists
//! (`key:` followed by `  - item` lines). Blank lines and `#` comment lines are skipped.
//! Anything else is an error that names the line, so a typo never turns into silently
//! wrong metadata.

/// A front matter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A scalar (plain or quoted).
    Scalar(String),
    /// A list of scalars.
    List(Vec<String>),
}

/// One `key: value` entry with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// The value.
    pub value: Value,
    /// Line of the key, 1-based, counted in the whole file.
    pub line: usize,
}

/// A parse failure: the 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line in the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Splits a Markdown file into its front matter entries and its body.
///
/// Returns the entries, the body text and the 1-based line the body starts on.
pub fn split(text: &str) -> Result<(Vec<Entry>, &str, usize), ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = LineIter::new(text);
    match lines.next() {
        Some((_, first)) if first.trim_end() == "---" => {}
        _ => return Err(err(1, "expected front matter starting with a `---` line")),
    }
    let mut entries: Vec<Entry> = Vec::new();
    // A key whose value is a block list still being read.
    let mut open_list: Option<usize> = None;
    loop {
        let Some((no, raw)) = lines.next() else {
            return Err(err(
                lines.line,
                "front matter is not closed by a `---` line",
            ));
        };
        let line = raw.trim_end();
        if line == "---" {
            let body_line = no + 1;
            return Ok((entries, lines.rest(), body_line));
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) =
            trimmed
                .strip_prefix("- ")
                .or(if trimmed == "-" { Some("") } else { None })
        {
            let Some(idx) = open_list else {
                return Err(err(no, "list item `- …` outside of a list"));
            };
            let item = parse_scalar(item.trim(), no)?;
            if item.is_empty() {
                return Err(err(no, "empty list item"));
            }
            if let Value::List(items) = &mut entries[idx].value {
                items.push(item);
            }
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            return Err(err(
                no,
                "unexpected indentation (only list items `  - x` may be indented)",
            ));
        }
        let Some((key, rest)) = line.split_once(':') else {
            return Err(err(
                no,
                format!("expected `key: value`, found `{}`", clip(line)),
            ));
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(err(no, format!("invalid key `{}`", clip(key))));
        }
        if entries.iter().any(|e| e.key == key) {
            return Err(err(no, format!("key `{key}` appears twice")));
        }
        let rest = rest.trim();
        let value = if rest.is_empty() {
            open_list = Some(entries.len());
            Value::List(Vec::new())
        } else {
            open_list = None;
            if rest.starts_with('[') {
                Value::List(parse_inline_list(rest, no)?)
            } else {
                Value::Scalar(parse_scalar(rest, no)?)
            }
        };
        entries.push(Entry {
            key: key.to_string(),
            value,
            line: no,
        });
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Parses a scalar: plain, double-quoted or single-quoted. Nothing may follow a
/// closing quote but a `# comment`.
fn parse_scalar(s: &str, line: usize) -> Result<String, ParseError> {
    let (value, rest) = parse_scalar_prefix(s, line, false)?;
    let rest = rest.trim_start();
    if !rest.is_empty() && !rest.starts_with('#') {
        return Err(err(
            line,
            format!("unexpected text after value: `{}`", clip(rest)),
        ));
    }
    Ok(value)
}

/// Parses one scalar at the start of `s` and returns it with the unparsed rest.
/// Inside an inline list a plain scalar stops at `,` or `]`.
fn parse_scalar_prefix(s: &str, line: usize, in_list: bool) -> Result<(String, &str), ParseError> {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, '"')) => {
            let mut out = String::new();
            let mut escaped = false;
            for (i, c) in chars {
                if escaped {
                    out.push(match c {
                        'n' => '\n',
                        't' => '\t',
                        '"' => '"',
                        '\\' => '\\',
                        '/' => '/',
                        other => {
                            return Err(err(
                                line,
                                format!("unknown escape `\\{other}` in quoted value"),
                            ));
                        }
                    });
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    return Ok((out, &s[i + 1..]));
                } else {
                    out.push(c);
                }
            }
            Err(err(line, "unclosed double quote"))
        }
        Some((_, '\'')) => {
            let mut out = String::new();
            let bytes = s.as_bytes();
            let mut i = 1;
            while i < s.len() {
                let c = s[i..].chars().next().unwrap_or('\0');
                if c == '\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        out.push('\'');
                        i += 2;
                        continue;
                    }
                    return Ok((out, &s[i + 1..]));
                }
                out.push(c);
                i += c.len_utf8();
            }
            Err(err(line, "unclosed single quote"))
        }
        _ => {
            let end = if in_list {
                s.find([',', ']']).unwrap_or(s.len())
            } else {
                s.len()
            };
            let mut value = &s[..end];
            // A ` #` starts a comment after a plain value.
            if let Some(pos) = value.find(" #") {
                value = &value[..pos];
            }
            let consumed = if value.len() < end && !in_list {
                s.len()
            } else {
                end
            };
            let value = value.trim();
            if value.starts_with(['[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`']) {
                return Err(err(
                    line,
                    format!(
                        "value `{}` starts with a reserved character; put it in double quotes",
                        clip(value)
                    ),
                ));
            }
            Ok((value.to_string(), &s[consumed..]))
        }
    }
}

fn parse_inline_list(s: &str, line: usize) -> Result<Vec<String>, ParseError> {
    let mut rest = &s[1..];
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(']') {
            let after = after.trim_start();
            if !after.is_empty() && !after.starts_with('#') {
                return Err(err(
                    line,
                    format!("unexpected text after list: `{}`", clip(after)),
                ));
            }
            return Ok(items);
        }
        if rest.is_empty() {
            return Err(err(line, "list is not closed by `]`"));
        }
        let (item, after) = parse_scalar_prefix(rest, line, true)?;
        if item.is_empty() {
            return Err(err(line, "empty list item"));
        }
        items.push(item);
        rest = after.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if rest.is_empty() {
            return Err(err(line, "list is not closed by `]`"));
        } else if !rest.starts_with(']') {
            return Err(err(line, "expected `,` or `]` in list"));
        }
    }
}

/// Iterates over lines with their 1-based numbers, remembering where the rest starts.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str) -> Self {
        LineIter {
            text,
            pos: 0,
            line: 0,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        self.line += 1;
        Some((self.line, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(entries: &[Entry], key: &str) -> String {
        match &entries.iter().find(|e| e.key == key).unwrap().value {
            Value::Scalar(s) => s.clone(),
            Value::List(_) => panic!("{key} is a list"),
        }
    }

    #[test]
    fn parses_all_value_forms() {
        let text = "---\nid: a-b\ntitle: \"Why \\\"Stop\\\": Means Stop\"\nsource: 'It''s mine'\n# comment\n\ntags: [consent, \"body image\"]\nmore:\n  - one\n  - \"two, three\"\nplain: some words # trailing comment\n---\n\nBody here.\n";
        let (entries, body, body_line) = split(text).unwrap();
        assert_eq!(scalar(&entries, "id"), "a-b");
        assert_eq!(scalar(&entries, "title"), "Why \"Stop\": Means Stop");
        assert_eq!(scalar(&entries, "source"), "It's mine");
        assert_eq!(scalar(&entries, "plain"), "some words");
        let tags = &entries.iter().find(|e| e.key == "tags").unwrap().value;
        assert_eq!(
            tags,
            &Value::List(vec!["consent".into(), "body image".into()])
        );
        let more = &entries.iter().find(|e| e.key == "more").unwrap().value;
        assert_eq!(more, &Value::List(vec!["one".into(), "two, three".into()]));
        assert_eq!(body, "\nBody here.\n");
        assert_eq!(body_line, 13);
        assert_eq!(entries.iter().find(|e| e.key == "tags").unwrap().line, 7);
    }

    #[test]
    fn handles_bom_and_crlf() {
        let text = "\u{feff}---\r\nid: x\r\n---\r\nBody\r\n";
        let (entries, body, _) = split(text).unwrap();
        assert_eq!(scalar(&entries, "id"), "x");
        assert_eq!(body, "Body\r\n");
    }

    #[test]
    fn errors_name_the_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("no front matter", 1, "starting with"),
            ("---\nid: x\n", 2, "not closed"),
            ("---\nid: x\ntitle \"oops\"\n---\n", 3, "key: value"),
            (
                "---\nid: x\ntitle: \"open\n---\n",
                3,
                "unclosed double quote",
            ),
            ("---\nid: x\ntags: [a, b\n---\n", 3, "not closed"),
            ("---\nid: x\n  - stray\n---\n", 3, "outside of a list"),
            ("---\nid: x\nid: y\n---\n", 3, "twice"),
            ("---\nid: x\ntitle: \"a\" b\n---\n", 3, "after value"),
            ("---\nid: x\ntitle: [a,,b]\n---\n", 3, "empty list item"),
            ("---\nid: x\ntitle: *ref\n---\n", 3, "reserved"),
            ("---\nid: x\ntitle: \"bad \\q\"\n---\n", 3, "escape"),
            ("---\nid: x\n  indented: 1\n---\n", 3, "indentation"),
        ];
        for (text, line, needle) in cases {
            let e = split(text).unwrap_err();
            assert_eq!(e.line, *line, "{text:?}: {e:?}");
            assert!(e.message.contains(needle), "{text:?}: {e:?}");
        }
    }
}
