//! The command-line arguments of the user-data commands (clap types and their help), and
//! parsing a reading position.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::{BundleArg, Failure};

/// How to write a position, after `quire progress --help`.
const POSITION_HELP: &str = "POSITION is how far you have read: a fraction from 0 to 1 (0.4) or a \
percentage from 0% to 100% (40%). 0 is the start, 1 or 100% the end.";

/// Where the data is kept, after the help of every user-data command.
const DATA_DIR_HELP: &str = "Your bookmarks and reading progress are kept in one file in the \
data folder: --data-dir DIR, else $QUIRE_DATA_DIR, else your system's data folder \
(~/.local/share/quire on Linux, ~/Library/Application Support/quire on macOS). Nothing \
leaves this device.";

/// Where the reader's data lives.
#[derive(Args, Clone, Debug)]
pub(crate) struct DataDirArg {
    /// Folder holding your data [default: $QUIRE_DATA_DIR or your system's data folder]
    #[arg(long, value_name = "DIR")]
    pub(super) data_dir: Option<PathBuf>,
}

/// The user-data commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Add or remove a bookmark
    #[command(subcommand)]
    Bookmark(BookmarkCommand),
    /// List your bookmarks, newest first
    #[command(after_help = DATA_DIR_HELP)]
    Bookmarks {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        bundle: BundleArg,
        /// Only bookmarks in this folder
        #[arg(long, value_name = "NAME")]
        folder: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Show how far you have read an article, or save it
    #[command(after_help = format!("{POSITION_HELP}\n\n{DATA_DIR_HELP}"))]
    Progress {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        bundle: BundleArg,
        /// Article id (see `quire list`)
        id: String,
        /// Where you are: 0.4 or 40% (leave it out to see what is saved)
        #[arg(allow_hyphen_values = true)]
        position: Option<String>,
    },
    /// Write all your data (bookmarks, notes, progress, settings) as JSON
    #[command(
        after_help = format!("The export holds your notes in plain text: keep it somewhere safe and delete it when you are done. `quire import` reads it back.\n\n{DATA_DIR_HELP}")
    )]
    Export {
        #[command(flatten)]
        data: DataDirArg,
        /// Write to this file (replaced if it exists; readable by you only) instead of the
        /// terminal
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Merge a file written by `quire export` into your data
    #[command(
        after_help = format!("Bookmarks already here keep their notes, the most recent reading position wins, the file's settings replace yours, and importing the same file twice changes nothing.\n\n{DATA_DIR_HELP}")
    )]
    Import {
        #[command(flatten)]
        data: DataDirArg,
        /// The export file (`-` reads standard input)
        file: PathBuf,
    },
    /// Delete all your saved data (bookmarks, notes, progress, settings) from this device
    #[command(after_help = DATA_DIR_HELP)]
    Wipe {
        #[command(flatten)]
        data: DataDirArg,
        /// Really delete everything (there is no undo)
        #[arg(long)]
        yes: bool,
    },
}

// The `quire bookmark` subcommands.
#[derive(Subcommand)]
pub(crate) enum BookmarkCommand {
    /// Bookmark an article (again: change its note or folder)
    #[command(
        after_help = format!("Bookmarking an article that is already bookmarked changes only what you pass: --note \"\" clears the note, --folder \"\" the folder.\n\n{DATA_DIR_HELP}")
    )]
    Add {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        bundle: BundleArg,
        /// Article id (see `quire list`)
        id: String,
        /// A note to keep with the bookmark
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        note: Option<String>,
        /// A folder (or tag) to file it under
        #[arg(long, value_name = "NAME")]
        folder: Option<String>,
    },
    /// Remove a bookmark, with its note, leaving no trace of it
    #[command(after_help = DATA_DIR_HELP)]
    Remove {
        #[command(flatten)]
        data: DataDirArg,
        /// Article id (works for articles no longer in the bundle too)
        id: String,
    },
}

/// Parses `0.4` (a fraction) or `40%` (a percentage) into a fraction in `0.0..=1.0`.
pub(super) fn parse_position(text: &str) -> Result<f64, Failure> {
    let trimmed = text.trim();
    let bad = || {
        Failure(format!(
            "`{text}` is not a position: give a fraction from 0 to 1 (0.4) or a percentage \
             from 0% to 100% (40%)"
        ))
    };
    let (number, scale) = match trimmed.strip_suffix('%') {
        Some(n) => (n.trim_end(), 100.0),
        None => (trimmed, 1.0),
    };
    let value: f64 = number.parse().map_err(|_| bad())?;
    if !value.is_finite() {
        return Err(bad());
    }
    if scale == 1.0 && value > 1.0 && value <= 100.0 {
        return Err(Failure(format!(
            "position {trimmed} is more than 1: write {trimmed}% for a percentage, or a \
             fraction from 0 to 1"
        )));
    }
    let fraction = value / scale;
    if !(0.0..=1.0).contains(&fraction) {
        return Err(bad());
    }
    // -0 is 0.
    Ok(fraction + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_parse_as_fractions_or_percentages() {
        assert_eq!(parse_position("0.4").ok(), Some(0.4));
        assert_eq!(parse_position("40%").ok(), Some(0.4));
        assert_eq!(parse_position(" 100 % ").ok(), Some(1.0));
        assert_eq!(parse_position("0").ok(), Some(0.0));
        assert_eq!(parse_position("-0").map(f64::to_bits).ok(), Some(0));
        assert_eq!(parse_position("1").ok(), Some(1.0));
        for bad in [
            "40", "1.5", "-0.1", "101%", "-1%", "NaN", "inf", "%", "", "abc", "0.4%%",
        ] {
            assert!(parse_position(bad).is_err(), "{bad:?} accepted");
        }
    }
}
