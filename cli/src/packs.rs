//! Content packs from the terminal: the publisher's key, and installing, listing and
//! removing packs in the reader's data folder; and [`Articles`], the articles every
//! reading command sees (the built-in ones or `--bundle`, and the installed packs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;
use quire_core::bundle::signature::SigningKey;
use quire_core::bundle::{ArticleMeta, ArticleText};
use quire_core::pack::{ArticleRef, InstallOptions, Library, PACKS_DIR};

use crate::user::{DataDirArg, data_dir};
use crate::{BundleArg, CliResult, Failure, open, render};

/// `quire key …`
#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Make a new publisher key for signing packs (`quire build --sign`)
    #[command(
        after_help = "The key file is the publisher's secret: it is created readable by you only, never over an existing file. Keep a copy offline; readers trust packs by the public key printed here."
    )]
    New {
        /// Where to write the secret key
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// `quire pack …`
#[derive(Subcommand)]
pub(crate) enum PackCommand {
    /// Check a pack file and install it (or update the installed one)
    #[command(
        after_help = "Every checksum and the publisher's signature are checked before the pack is visible. A publisher is trusted once, on its first pack: compare the fingerprint with the one the publisher gives you, then run again with --trust. Packs without a signature need --unsigned-ok; an older version than the installed one needs --force."
    )]
    Install {
        #[command(flatten)]
        data: DataDirArg,
        /// The pack file (.quire)
        file: PathBuf,
        /// Trust the pack's publisher key (after checking its fingerprint)
        #[arg(long)]
        trust: bool,
        /// Install it even though no publisher signed it
        #[arg(long)]
        unsigned_ok: bool,
        /// Install it even when it is older than the installed version
        #[arg(long)]
        force: bool,
    },
    /// List the built-in articles and every installed pack
    List {
        #[command(flatten)]
        data: DataDirArg,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Remove an installed pack (your bookmarks and progress in it are kept)
    Remove {
        #[command(flatten)]
        data: DataDirArg,
        /// The pack id (see `quire pack list`)
        id: String,
    },
}

/// The articles a reading command sees: `--bundle` or the built-in ones, and the packs
/// installed in the data folder. Article ids are article references (`pack-id/id` for a
/// pack's articles).
pub(crate) struct Articles(pub(crate) Library);

impl Articles {
    /// Opens `--bundle` (or the built-in articles) and the packs in the data folder;
    /// creates nothing.
    pub(crate) fn open(bundle: &BundleArg, data: &DataDirArg) -> Result<Articles, Failure> {
        let builtin = Arc::new(open(bundle)?);
        let library = Library::open(builtin, &data_dir(data)?)?;
        for d in library.damaged() {
            eprintln!(
                "quire: the installed pack `{}` did not open and is left out: {}",
                d.id, d.error
            );
        }
        Ok(Articles(library))
    }

    /// True when some pack holds article `id`.
    pub(crate) fn contains(&self, id: &str) -> Result<bool, Failure> {
        match self.0.resolve(id) {
            Ok(_) => Ok(true),
            Err(quire_core::Error::ArticleNotFound(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The catalog entry of article `id`, its id the reference.
    pub(crate) fn meta(&self, id: &str) -> Result<ArticleMeta, Failure> {
        let (bundle, r) = self.0.resolve(id)?;
        let mut meta = bundle.meta(r.id)?;
        meta.id = id.to_string();
        Ok(meta)
    }

    /// Article `id` whole, its id the reference.
    pub(crate) fn article(&self, id: &str) -> Result<ArticleText, Failure> {
        let (bundle, r) = self.0.resolve(id)?;
        let mut article = bundle.article(r.id)?;
        article.meta.id = id.to_string();
        Ok(article)
    }

    /// Every article of every pack, the built-in ones first, ids as references.
    pub(crate) fn list(&self) -> Result<Vec<ArticleMeta>, Failure> {
        let mut all = Vec::new();
        for pack in self.0.packs() {
            let Some(bundle) = self.0.bundle(&pack.id) else {
                continue;
            };
            for mut meta in bundle.list()? {
                meta.id = ArticleRef::format(&pack.id, &meta.id);
                all.push(meta);
            }
        }
        Ok(all)
    }
}

/// Runs `quire key …`.
pub(crate) fn key(command: KeyCommand, out: &mut impl Write) -> CliResult {
    match command {
        KeyCommand::New { output } => {
            let key = SigningKey::generate()?;
            key.write_new(&output)?;
            let public = key.public();
            writeln!(
                out,
                "wrote the secret key to {} (readable by you only)",
                output.display()
            )?;
            writeln!(out, "public key:  {public}")?;
            writeln!(out, "fingerprint: {}", public.fingerprint())?;
            Ok(())
        }
    }
}

/// Runs `quire pack …`.
pub(crate) fn pack(command: PackCommand, out: &mut impl Write) -> CliResult {
    let color = render::use_color();
    match command {
        PackCommand::Install {
            data,
            file,
            trust,
            unsigned_ok,
            force,
        } => {
            let dir = data_dir(&data)?;
            crate::user::owner_only();
            let library = Library::open(Arc::new(crate::builtin_bundle()?), &dir)?;
            let mut source = std::fs::File::open(&file)
                .map_err(|e| Failure(format!("opening {}: {e}", file.display())))?;
            let options = InstallOptions {
                trust_publisher: trust,
                allow_unsigned: unsigned_ok,
                allow_downgrade: force,
            };
            let installed = library
                .install(&mut source, &options)
                .map_err(|e| install_failure(e, &file))?;
            let p = &installed.pack;
            let verb = match installed.previous_version {
                None => "installed".to_string(),
                Some(v) if v < p.version => format!("updated from version {v}"),
                Some(v) if v > p.version => format!("went back from version {v}"),
                Some(_) => "reinstalled".to_string(),
            };
            writeln!(
                out,
                "{verb}: {} ({}, version {}, {} articles) into {}",
                p.name,
                p.id,
                p.version,
                p.articles,
                dir.join(PACKS_DIR).display()
            )?;
            match (&p.publisher, installed.trusted_now) {
                (Some(f), true) => writeln!(out, "publisher {f} is now trusted")?,
                (Some(f), false) => writeln!(out, "signed by trusted publisher {f}")?,
                (None, _) => writeln!(out, "not signed: installed because you said --unsigned-ok")?,
            }
            Ok(())
        }
        PackCommand::List { data, json } => {
            let dir = data_dir(&data)?;
            let library = Library::open(Arc::new(crate::builtin_bundle()?), &dir)?;
            let packs = library.packs();
            if json {
                #[derive(serde::Serialize)]
                struct Listing<'a> {
                    packs: &'a [quire_core::pack::PackSummary],
                    damaged: &'a [quire_core::pack::DamagedPack],
                }
                serde_json::to_writer_pretty(
                    &mut *out,
                    &Listing {
                        packs: &packs,
                        damaged: library.damaged(),
                    },
                )?;
                writeln!(out)?;
                return Ok(());
            }
            for p in &packs {
                let signer = match (&p.publisher, p.builtin) {
                    (_, true) => "built in".to_string(),
                    (Some(f), false) => format!("publisher {f}"),
                    (None, false) => "not signed".to_string(),
                };
                writeln!(out, "{}  {}", p.name, render::dim(&p.id, color))?;
                writeln!(
                    out,
                    "  {}",
                    render::dim(
                        &format!(
                            "version {} · {} articles · {} · {} · {signer}",
                            p.version,
                            p.articles,
                            p.language.name(),
                            render::bytes(p.bytes)
                        ),
                        color
                    )
                )?;
            }
            for d in library.damaged() {
                writeln!(out, "[damaged] {}: {}", d.id, d.error)?;
            }
            Ok(())
        }
        PackCommand::Remove { data, id } => {
            let dir = data_dir(&data)?;
            let library = Library::open(Arc::new(crate::builtin_bundle()?), &dir)?;
            let name = library.pack_name(&id);
            library.remove(&id)?;
            writeln!(
                out,
                "removed {} ({id}); your bookmarks and progress in it are kept for when it comes back",
                name.unwrap_or_else(|| id.clone())
            )?;
            Ok(())
        }
    }
}

/// An install's refusal, worded for the terminal with what to do next.
fn install_failure(e: quire_core::Error, file: &Path) -> Failure {
    use quire_core::Error as E;
    Failure(match e {
        E::UntrustedPublisher {
            id,
            name,
            fingerprint,
        } => format!(
            "{} ({id}) is signed by a publisher you have not trusted yet, key fingerprint {fingerprint}: compare it with the fingerprint the publisher gives you, and if they match run again with --trust. Nothing was installed.",
            name
        ),
        E::UnsignedPack { id } => format!(
            "{} holds pack `{id}`, which no publisher signed: anyone could have made or changed it. Run again with --unsigned-ok only if you trust where the file came from. Nothing was installed.",
            file.display()
        ),
        E::PackDowngrade {
            id,
            installed,
            offered,
        } => format!(
            "pack `{id}` version {installed} is installed and {} is version {offered}, older; run again with --force to go back. Nothing was installed.",
            file.display()
        ),
        other => format!("{}: {other}; nothing was installed", file.display()),
    })
}
