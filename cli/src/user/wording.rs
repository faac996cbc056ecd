//! The wording of the user-data commands' messages: counts and plurals, percentages, local
//! times, what an import changed and what a repair kept, and text made safe to print.

use std::path::Path;

use chrono::{DateTime, Local, Utc};
use quire_core::store::{ImportSummary, RecoveryReport, Salvaged};

/// `0.4` as `40%`, `1/3` as `33.33%`.
pub(super) fn percent(fraction: f64) -> String {
    let p = format!("{:.2}", fraction * 100.0);
    let p = p.trim_end_matches('0').trim_end_matches('.');
    format!("{p}%")
}

/// One line saying what an import from `name` changed.
pub(super) fn describe_import(s: &ImportSummary, name: &str) -> String {
    let parts: Vec<String> = [
        (s.bookmarks, "bookmark", "bookmarks"),
        (s.progress, "reading position", "reading positions"),
        (s.history, "history entry", "history entries"),
        (s.recent_searches, "recent search", "recent searches"),
        (s.settings, "setting", "settings"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n as usize, one, many))
    .collect();
    if parts.is_empty() {
        format!("nothing new in {name}: everything in it was already here")
    } else {
        format!("merged from {name}: {} added or updated", parts.join(", "))
    }
}

/// One line saying that the data was damaged and what was kept and lost. Counts only: no
/// note, id or title.
pub(super) fn describe_recovery(r: &RecoveryReport, dir: &Path) -> String {
    let kinds: [(&Salvaged, &str, &str); 5] = [
        (&r.bookmarks, "bookmark", "bookmarks"),
        (&r.progress, "reading position", "reading positions"),
        (&r.history, "history entry", "history entries"),
        (&r.recent_searches, "recent search", "recent searches"),
        (&r.settings, "setting", "settings"),
    ];
    let mut kept = Vec::new();
    let mut lost = Vec::new();
    let mut unknown = Vec::new();
    for (s, one, many) in kinds {
        if s.kept > 0 {
            let mut k = count(s.kept as usize, one, many);
            if s.kept_partially > 0 {
                k.push_str(&format!(" ({} without note or folder)", s.kept_partially));
            }
            kept.push(k);
        }
        match s.lost {
            Some(0) => {}
            Some(n) => lost.push(count(n as usize, one, many)),
            None => unknown.push(many),
        }
    }
    if !unknown.is_empty() {
        lost.push(format!("an unknown number of {}", unknown.join(", ")));
    }
    let cause: String = r.cause.chars().take(120).collect();
    let outcome = if kept.is_empty() && unknown.len() == kinds.len() {
        "nothing in it could be read, so what it held is lost".to_owned()
    } else {
        format!(
            "kept {}; lost {}",
            if kept.is_empty() {
                "nothing".to_owned()
            } else {
                kept.join(", ")
            },
            if lost.is_empty() {
                "nothing".to_owned()
            } else {
                lost.join(", ")
            }
        )
    };
    let mut line = format!(
        "your saved data in {} was damaged ({cause}) and has been repaired: {outcome}",
        dir.display(),
    );
    if !r.damaged_files_left.is_empty() {
        line.push_str(&format!(
            "; {} of the damaged file could not be removed yet (retried next time)",
            count(r.damaged_files_left.len(), "copy", "copies")
        ));
    }
    one_line(&line)
}

/// `n` and the noun, `one` or `many` as `n` says: "1 bookmark", "2 bookmarks".
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// `one` when `n` is 1, else `many`.
pub(super) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A time as the reader's local `YYYY-MM-DD HH:MM`.
pub(super) fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// Text from the store or a bundle, safe to print: control characters (a terminal escape
/// sequence in an imported note, say) are shown as `�`.
pub(super) fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// A message on one line: line breaks and other control characters become spaces.
pub(super) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = if c.is_control() { ' ' } else { c };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_print_without_trailing_zeros() {
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0 / 3.0), "33.33%");
        assert_eq!(percent(0.125), "12.5%");
    }

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("a\nb\r\n\tc "), "a b c");
        assert_eq!(printable("x\x1b[2Jy"), "x\u{fffd}[2Jy");
    }

    #[test]
    fn recovery_line_gives_counts_only() {
        let r = RecoveryReport {
            cause: "file is not a database".into(),
            bookmarks: Salvaged {
                kept: 3,
                kept_partially: 1,
                lost: Some(2),
            },
            progress: Salvaged {
                kept: 0,
                kept_partially: 0,
                lost: None,
            },
            history: Salvaged::default(),
            recent_searches: Salvaged::default(),
            settings: Salvaged::default(),
            damaged_files_left: Vec::new(),
        };
        assert_eq!(
            describe_recovery(&r, Path::new("/d")),
            "your saved data in /d was damaged (file is not a database) and has been \
             repaired: kept 3 bookmarks (1 without note or folder); lost 2 bookmarks, an \
             unknown number of reading positions"
        );
    }
}
