//! The reader's own data from the terminal: bookmarks, reading progress, export, import
//! and wipe, over [`quire_core::store::Store`].
//!
//! Privacy: these commands print the reader's data only when asked to (listing, export),
//! on stdout; they log nothing. Commands that only read never create a store: on a fresh
//! machine `quire bookmarks` prints an empty list and leaves no file behind.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand};
use quire_core::bundle::Bundle;
use quire_core::store::{
    EXPORT_FORMAT_VERSION, Export, FlaggedBookmark, ImportSummary, Progress, RecoveryReport,
    Salvaged, Settings, Store,
};
use serde::Serialize;

use crate::{BundleArg, CliResult, Failure, open, render};

/// Environment variable naming the data directory when `--data-dir` is not given.
const DATA_DIR_ENV: &str = "QUIRE_DATA_DIR";

/// Largest file `quire import` reads (an export of 100,000 bookmarks with notes is a few
/// tens of MB).
const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

const POSITION_HELP: &str = "POSITION is how far you have read: a fraction from 0 to 1 (0.4) or a \
percentage from 0% to 100% (40%). 0 is the start, 1 or 100% the end.";

const DATA_DIR_HELP: &str = "Your bookmarks and reading progress are kept in one file in the \
data folder: --data-dir DIR, else $QUIRE_DATA_DIR, else your system's data folder \
(~/.local/share/quire on Linux, ~/Library/Application Support/quire on macOS). Nothing \
leaves this device.";

/// Where the reader's data lives.
#[derive(Args, Clone, Debug)]
pub(crate) struct DataDirArg {
    /// Folder holding your data [default: $QUIRE_DATA_DIR or your system's data folder]
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
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

/// Runs a user-data command. Every failure is one line.
pub(crate) fn run(command: UserCommand, out: &mut impl Write) -> CliResult {
    owner_only_files();
    dispatch(command, out).map_err(|Failure(msg)| Failure(one_line(&msg)))
}

fn dispatch(command: UserCommand, out: &mut impl Write) -> CliResult {
    let color = render::use_color();
    match command {
        UserCommand::Bookmark(BookmarkCommand::Add {
            data,
            bundle,
            id,
            note,
            folder,
        }) => bookmark_add(&data, &bundle, &id, note, folder, out),
        UserCommand::Bookmark(BookmarkCommand::Remove { data, id }) => {
            bookmark_remove(&data, &id, out)
        }
        UserCommand::Bookmarks {
            data,
            bundle,
            folder,
            json,
        } => bookmarks(&data, &bundle, folder.as_deref(), json, color, out),
        UserCommand::Progress {
            data,
            bundle,
            id,
            position,
        } => progress(&data, &bundle, &id, position.as_deref(), out),
        UserCommand::Export { data, output } => export(&data, output.as_deref(), out),
        UserCommand::Import { data, file } => import(&data, &file, out),
        UserCommand::Wipe { data, yes } => wipe(&data, yes, out),
    }
}

// ---- commands ------------------------------------------------------------------

fn bookmark_add(
    data: &DataDirArg,
    bundle: &BundleArg,
    id: &str,
    note: Option<String>,
    folder: Option<String>,
    out: &mut impl Write,
) -> CliResult {
    // The article is checked before the store is touched: an unknown id saves nothing.
    let b = open(bundle)?;
    let title = title_of(&b, bundle, id)?;
    let store = open_store(&data_dir(data)?)?;
    let existing = store.bookmark(id)?;
    // Only what was passed changes; `Store::add_bookmark` replaces both fields.
    let (old_note, old_folder) = existing
        .as_ref()
        .map(|b| (b.note.clone(), b.folder.clone()))
        .unwrap_or_default();
    let note = note.or(old_note);
    let folder = folder.or(old_folder);
    let saved = store.add_bookmark(id, note.as_deref(), folder.as_deref())?;
    let verb = if existing.is_some() {
        "bookmark updated"
    } else {
        "bookmarked"
    };
    write!(out, "{verb}: {} ({id})", printable(&title))?;
    if let Some(folder) = &saved.folder {
        write!(out, " in {}", printable(folder))?;
    }
    writeln!(out)?;
    Ok(())
}

fn bookmark_remove(data: &DataDirArg, id: &str, out: &mut impl Write) -> CliResult {
    let dir = data_dir(data)?;
    let removed = match open_existing_store(&dir)? {
        Some(store) => store.remove_bookmark(id)?,
        None => false,
    };
    if !removed {
        return Err(Failure(format!(
            "there is no bookmark for `{id}` (see `quire bookmarks`)"
        )));
    }
    writeln!(out, "removed the bookmark for {}", printable(id))?;
    Ok(())
}

/// One bookmark as `quire bookmarks --json` prints it.
#[derive(Serialize)]
struct BookmarkJson<'a> {
    article_id: &'a str,
    /// `None` when the article is missing from the bundle.
    title: Option<String>,
    /// The article is not in the bundle (removed by a corpus update); the bookmark is kept.
    missing: bool,
    created_at: DateTime<Utc>,
    note: Option<&'a str>,
    folder: Option<&'a str>,
}

fn bookmarks(
    data: &DataDirArg,
    bundle: &BundleArg,
    folder: Option<&str>,
    json: bool,
    color: bool,
    out: &mut impl Write,
) -> CliResult {
    let b = open(bundle)?;
    let dir = data_dir(data)?;
    let mut flagged: Vec<FlaggedBookmark> = match open_existing_store(&dir)? {
        Some(store) => store.bookmarks_flagged(|id| b.contains(id).unwrap_or(false))?,
        None => Vec::new(),
    };
    if let Some(folder) = folder {
        flagged.retain(|f| f.bookmark.folder.as_deref() == Some(folder));
    }
    let title = |f: &FlaggedBookmark| {
        (!f.missing)
            .then(|| b.meta(&f.bookmark.article_id).ok().map(|m| m.title))
            .flatten()
    };
    if json {
        let items: Vec<BookmarkJson<'_>> = flagged
            .iter()
            .map(|f| BookmarkJson {
                article_id: &f.bookmark.article_id,
                title: title(f),
                missing: f.missing,
                created_at: f.bookmark.created_at,
                note: f.bookmark.note.as_deref(),
                folder: f.bookmark.folder.as_deref(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
        return Ok(());
    }
    if flagged.is_empty() {
        match folder {
            Some(_) => writeln!(out, "No bookmarks in that folder.")?,
            None => writeln!(
                out,
                "No bookmarks yet. Add one with `quire bookmark add ID`."
            )?,
        }
        return Ok(());
    }
    for f in &flagged {
        let bm = &f.bookmark;
        match title(f) {
            Some(title) => writeln!(out, "{}", printable(&title))?,
            None => writeln!(out, "[missing] {}", printable(&bm.article_id))?,
        }
        let mut line = format!(
            "{} · saved {}",
            printable(&bm.article_id),
            local_time(bm.created_at)
        );
        if let Some(folder) = &bm.folder {
            line.push_str(&format!(" · folder: {}", printable(folder)));
        }
        if f.missing {
            line.push_str(" · not in these articles any more");
        }
        writeln!(out, "  {}", render::dim(&line, color))?;
        if let Some(note) = &bm.note {
            writeln!(out, "  note: {}", printable(note))?;
        }
    }
    let missing = flagged.iter().filter(|f| f.missing).count();
    if missing > 0 {
        writeln!(
            out,
            "\n{missing} {} to an article that is not in these articles; {} kept. \
             `quire bookmark remove ID` removes one.",
            plural(missing, "bookmark points", "bookmarks point"),
            if missing == 1 { "it is" } else { "they are" }
        )?;
    }
    Ok(())
}

fn progress(
    data: &DataDirArg,
    bundle: &BundleArg,
    id: &str,
    position: Option<&str>,
    out: &mut impl Write,
) -> CliResult {
    let b = open(bundle)?;
    let dir = data_dir(data)?;
    match position {
        Some(text) => {
            // Checked before the store is touched: nothing is saved for a bad call.
            let position = parse_position(text)?;
            let title = title_of(&b, bundle, id)?;
            let store = open_store(&dir)?;
            let saved = store.set_progress(id, position)?;
            writeln!(
                out,
                "saved: {} through {} ({id})",
                percent(saved.position),
                printable(&title)
            )?;
        }
        None => {
            let saved: Option<Progress> = match open_existing_store(&dir)? {
                Some(store) => store.progress(id)?,
                None => None,
            };
            let in_bundle = b.contains(id)?;
            match (saved, in_bundle) {
                (Some(p), true) => writeln!(
                    out,
                    "{} ({id}): {} read, last opened {}",
                    printable(&b.meta(id)?.title),
                    percent(p.position),
                    local_time(p.last_opened)
                )?,
                (Some(p), false) => writeln!(
                    out,
                    "{}: {} read, last opened {} (the article is not in these articles any more)",
                    printable(id),
                    percent(p.position),
                    local_time(p.last_opened)
                )?,
                (None, true) => writeln!(
                    out,
                    "{} ({id}): not started, no progress saved",
                    printable(&b.meta(id)?.title)
                )?,
                (None, false) => return Err(unknown_article(bundle, id)),
            }
        }
    }
    Ok(())
}

fn export(data: &DataDirArg, output: Option<&Path>, out: &mut impl Write) -> CliResult {
    let dir = data_dir(data)?;
    let export = match open_existing_store(&dir)? {
        Some(store) => store.export()?,
        // Nothing saved yet: an empty export, without creating a store to read it from.
        None => Export {
            format_version: EXPORT_FORMAT_VERSION,
            exported_at: Utc::now(),
            bookmarks: Vec::new(),
            progress: Vec::new(),
            history: Vec::new(),
            recent_searches: Vec::new(),
            settings: Settings::default(),
            custom_settings: Default::default(),
        },
    };
    let mut json = serde_json::to_string_pretty(&export)?;
    json.push('\n');
    match output {
        None => out.write_all(json.as_bytes())?,
        Some(path) => {
            write_private_file(path, json.as_bytes())
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            writeln!(
                out,
                "exported {} and {} to {} (it holds your notes in plain text: keep it safe)",
                count(export.bookmarks.len(), "bookmark", "bookmarks"),
                count(
                    export.progress.len(),
                    "reading position",
                    "reading positions"
                ),
                path.display()
            )?;
        }
    }
    Ok(())
}

fn import(data: &DataDirArg, file: &Path, out: &mut impl Write) -> CliResult {
    let from_stdin = file == Path::new("-");
    let name = if from_stdin {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let json = read_export(file, from_stdin).map_err(|e| format!("reading {name}: {e}"))?;
    let store = open_store(&data_dir(data)?)?;
    let summary = store.import_json(&json)?;
    writeln!(out, "{}", describe_import(&summary, &name))?;
    Ok(())
}

fn wipe(data: &DataDirArg, yes: bool, out: &mut impl Write) -> CliResult {
    let dir = data_dir(data)?;
    if !yes {
        return Err(Failure(format!(
            "wipe deletes every bookmark, note and reading position in {} for good; \
             run `quire wipe --yes` to go ahead (nothing was deleted)",
            dir.display()
        )));
    }
    let files = store_files(&dir)?;
    if files.is_empty() {
        writeln!(out, "nothing to wipe: no saved data in {}", dir.display())?;
        return Ok(());
    }
    match Store::open(&dir) {
        // Through the open store, so the WAL is checkpointed before the files go.
        Ok(opened) => opened.store.wipe()?,
        // A store that cannot be opened (from a newer app, say) is wiped file by file.
        Err(_) => Store::wipe_dir(&dir)?,
    }
    let left = store_files(&dir)?;
    if !left.is_empty() {
        return Err(Failure(format!(
            "{} could not be removed from {}",
            count(left.len(), "file", "files"),
            dir.display()
        )));
    }
    writeln!(
        out,
        "wiped: every bookmark, note and reading position is gone ({} removed from {})",
        count(files.len(), "file", "files"),
        dir.display()
    )?;
    Ok(())
}

// ---- the data directory and the store ----------------------------------------------

/// `--data-dir`, else `$QUIRE_DATA_DIR`, else the platform's data directory + `quire`.
fn data_dir(arg: &DataDirArg) -> Result<PathBuf, Failure> {
    if let Some(dir) = &arg.data_dir {
        if dir.as_os_str().is_empty() {
            return Err(Failure("--data-dir is empty".into()));
        }
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("quire")).ok_or_else(|| {
        Failure(format!(
            "cannot tell where to keep your data on this system; pass --data-dir DIR or set \
             {DATA_DIR_ENV}"
        ))
    })
}

/// Makes every file this process creates from now on (the database, its WAL and
/// shared-memory files) readable by the owner only, whatever the directory's permissions:
/// `--data-dir` may name a directory that others can list.
fn owner_only_files() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail and touches
    // no memory. This process runs one command and creates no file others should read.
    unsafe {
        libc::umask(0o077);
    }
}

/// Opens (creating if needed, with an owner-only directory) the store in `dir`, telling
/// the reader on stderr if it had to be repaired.
fn open_store(dir: &Path) -> Result<Store, Failure> {
    let opened =
        Store::open(dir).map_err(|e| format!("opening your data in {}: {e}", dir.display()))?;
    if let Some(report) = &opened.recovery {
        eprintln!("quire: {}", describe_recovery(report, dir));
    }
    Ok(opened.store)
}

/// The files of the store in `dir` (none if `dir` does not exist).
fn store_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    Store::files(dir).map_err(|e| Failure(format!("reading your data in {}: {e}", dir.display())))
}

/// The store in `dir` if one exists; `None`, creating nothing, if there is none.
fn open_existing_store(dir: &Path) -> Result<Option<Store>, Failure> {
    if store_files(dir)?.is_empty() {
        return Ok(None);
    }
    open_store(dir).map(Some)
}

// ---- articles ------------------------------------------------------------------

/// The title of article `id`, or a one-line error naming where it was looked for.
fn title_of(b: &Bundle, bundle: &BundleArg, id: &str) -> Result<String, Failure> {
    if !b.contains(id)? {
        return Err(unknown_article(bundle, id));
    }
    Ok(b.meta(id)?.title)
}

fn unknown_article(bundle: &BundleArg, id: &str) -> Failure {
    let place = match &bundle.bundle {
        Some(path) => format!("in {}", path.display()),
        None => "among the built-in articles".to_owned(),
    };
    Failure(format!(
        "no article with id `{id}` {place} (see `quire list`); nothing was saved"
    ))
}

// ---- positions -------------------------------------------------------------------

/// Parses `0.4` (a fraction) or `40%` (a percentage) into a fraction in `0.0..=1.0`.
fn parse_position(text: &str) -> Result<f64, Failure> {
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

/// `0.4` as `40%`, `1/3` as `33.33%`.
fn percent(fraction: f64) -> String {
    let p = format!("{:.2}", fraction * 100.0);
    let p = p.trim_end_matches('0').trim_end_matches('.');
    format!("{p}%")
}

// ---- import and export files -----------------------------------------------------

fn read_export(file: &Path, from_stdin: bool) -> io::Result<String> {
    let mut text = String::new();
    let limit = MAX_IMPORT_BYTES + 1;
    if from_stdin {
        io::stdin().lock().take(limit).read_to_string(&mut text)?;
    } else {
        fs::File::open(file)?
            .take(limit)
            .read_to_string(&mut text)?;
    }
    if text.len() as u64 > MAX_IMPORT_BYTES {
        return Err(io::Error::other(format!(
            "larger than {}, too large to be a Quire export",
            render::bytes(MAX_IMPORT_BYTES)
        )));
    }
    Ok(text)
}

/// Writes `bytes` to `path` atomically (a temporary file in the same directory, flushed,
/// then renamed over `path`), readable and writable by the owner only.
fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}-{attempt}.tmp", std::process::id()));
        let tmp = dir.join(tmp_name);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn describe_import(s: &ImportSummary, name: &str) -> String {
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

// ---- recovery --------------------------------------------------------------------

/// One line saying that the data was damaged and what was kept and lost. Counts only: no
/// note, id or title.
fn describe_recovery(r: &RecoveryReport, dir: &Path) -> String {
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

// ---- text helpers ----------------------------------------------------------------

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// Text from the store or a bundle, safe to print: control characters (a terminal escape
/// sequence in an imported note, say) are shown as `�`.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// A message on one line: line breaks and other control characters become spaces.
fn one_line(s: &str) -> String {
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
