//! The user-data commands: what each does, and what it prints.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use quire_core::store::{
    EXPORT_FORMAT_VERSION, Export, FlaggedBookmark, Progress, Settings, Store,
};
use serde::Serialize;

use super::args::{BookmarkCommand, DataDirArg, UserCommand, parse_position};
use super::data::{data_dir, open_existing_store, open_store, owner_only_files, store_files};
use super::files::{read_export, write_private_file};
use super::wording::{count, describe_import, local_time, one_line, percent, plural, printable};
use crate::packs::Articles;
use crate::{BundleArg, CliResult, Failure, render};

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

fn bookmark_add(
    data: &DataDirArg,
    bundle: &BundleArg,
    id: &str,
    note: Option<String>,
    folder: Option<String>,
    out: &mut impl Write,
) -> CliResult {
    // The article is checked before the store is touched: an unknown id saves nothing.
    let b = Articles::open(bundle, data)?;
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
    let b = Articles::open(bundle, data)?;
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
            let pack = quire_core::pack::ArticleRef::parse(&bm.article_id).pack;
            if b.0.bundle(pack).is_none() {
                line.push_str(&format!(" · its pack {pack} is not installed"));
            } else {
                line.push_str(" · not in these articles any more");
            }
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
    let b = Articles::open(bundle, data)?;
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

/// The title of article `id`, or a one-line error naming where it was looked for.
fn title_of(b: &Articles, bundle: &BundleArg, id: &str) -> Result<String, Failure> {
    if !b.contains(id)? {
        return Err(unknown_article(bundle, id));
    }
    Ok(b.meta(id)?.title)
}

fn unknown_article(bundle: &BundleArg, id: &str) -> Failure {
    let place = match &bundle.bundle {
        Some(path) => format!("in {}", path.display()),
        None => "among the built-in articles and installed packs".to_owned(),
    };
    Failure(format!(
        "no article with id `{id}` {place} (see `quire list`); nothing was saved"
    ))
}
