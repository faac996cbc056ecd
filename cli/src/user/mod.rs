//! The reader's own data from the terminal: bookmarks, reading progress, export, import
//! and wipe, over [`quire_core::store::Store`].
//!
//! Privacy: these commands print the reader's data only when asked to (listing, export),
//! on stdout; they log nothing. Commands that only read never create a store: on a fresh
//! machine `quire bookmarks` prints an empty list and leaves no file behind.

mod args; // the commands' arguments (clap types and help), and parsing a position
mod commands; // what each command does and prints
mod data; // the data directory, and opening the store there
mod files; // reading an import, writing an export atomically and privately
mod wording; // the messages' wording: counts, percentages, times, summaries

pub(crate) use args::{DataDirArg, UserCommand};
pub(crate) use commands::run;
pub(crate) use data::{data_dir, owner_only_files as owner_only};
