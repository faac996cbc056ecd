//! `quire`: build article bundles and read, search and bookmark them from a terminal.

mod output;
mod packs;
mod render;
mod user;

use std::io::{self, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use packs::Articles;
use quire_core::bundle::signature::SigningKey;
use quire_core::bundle::{self, BuildOptions, Bundle, SignatureCheck};
use quire_core::corpus;
use quire_core::index::{Analyzers, Language, Thesaurus};
use quire_core::pack::{ArticleRef, PackIdentity};
use quire_core::search::{SearchOptions, Searcher};
use user::DataDirArg;

mod lexicons;
mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_corpus.rs"));
}

const ABOUT: &str =
    "Quire: a private, offline reader of articles about sex, consent and relationships.

Every command works with no network. Without --bundle, commands use the articles built into
this program; they also see the packs installed with `quire pack install`, whose article
ids read pack-id/article-id.";

const SEARCH_SYNTAX: &str =
    "Syntax: words match in any form; \"words in quotes\" must appear together;
-word leaves out articles with that word; the last word may be unfinished.";

#[derive(Parser)]
#[command(name = "quire", version, about = ABOUT, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct BundleArg {
    /// Bundle file to use instead of the built-in articles
    #[arg(long, value_name = "FILE")]
    bundle: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build a bundle (.quire file) from a directory of Markdown articles
    #[command(
        after_help = "Each article is a .md file with front matter between `---` lines:
  id: a-stable-slug        (required; bookmarks refer to it)
  title: \"The title\"       (required)
  source, published (YYYY-MM-DD), tags: [a, b], summary: \"One line.\" (optional)
A thesaurus.txt in the directory, if any, is compiled in (docs/bundle-format.md):
  revoke, withdraw, take back        (a group: each one also searches the others)
  coerced => pressured, pushed       (one way)
A pack.toml in the directory makes the bundle a content pack (docs/bundle-format.md):
  id = \"org.example.clinic\"   name = \"Example Clinic\"   version = 3   language = \"en\"
--sign KEY (from `quire key new`) signs it as its publisher."
    )]
    Build {
        /// Directory holding the articles (*.md)
        corpus_dir: PathBuf,
        /// Where to write the bundle
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Corpus identifier recorded in the bundle [default: the pack id, or local]
        #[arg(long)]
        corpus_id: Option<String>,
        /// Corpus version recorded in the bundle [default: the pack version, or 1]
        #[arg(long)]
        corpus_version: Option<String>,
        /// Language of the articles (en, es): the analysis and the word list follow it
        /// [default: pack.toml's, or en]
        #[arg(long, value_parser = parse_language)]
        language: Option<Language>,
        /// Sign the pack with this publisher key (needs a pack.toml)
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// A word list of the language (one word per line) in place of the built-in one:
        /// search corrects only words unknown to the articles and to this list
        #[arg(long, value_name = "FILE", conflicts_with = "no_lexicon")]
        lexicon: Option<PathBuf>,
        /// No word list: every word the articles do not use may be corrected
        #[arg(long)]
        no_lexicon: bool,
    },
    /// Check every checksum of a bundle, and a pack's signature, and say what is wrong where
    Verify {
        /// The bundle file
        file: PathBuf,
    },
    /// List the articles
    List {
        #[command(flatten)]
        bundle: BundleArg,
        #[command(flatten)]
        data: DataDirArg,
        /// Only articles with this tag
        #[arg(long)]
        tag: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show an article, formatted for the terminal
    Read {
        #[command(flatten)]
        bundle: BundleArg,
        #[command(flatten)]
        data: DataDirArg,
        /// Article id (see `quire list`)
        id: String,
        /// Print the plain text without formatting
        #[arg(long, conflicts_with = "json")]
        plain: bool,
        /// Print the article as the apps receive it: blocks with styled spans, and the
        /// places of the searched words (JSON)
        #[arg(long)]
        json: bool,
        /// With --json: also list where the words of this search are in the article
        #[arg(long, value_name = "QUERY", requires = "json")]
        highlight: Option<String>,
    },
    /// Search the articles
    #[command(after_help = SEARCH_SYNTAX)]
    Search {
        #[command(flatten)]
        bundle: BundleArg,
        #[command(flatten)]
        data: DataDirArg,
        /// Only articles of this pack (repeat for several; `quire-builtin` is the built-in
        /// articles)
        #[arg(long, value_name = "ID")]
        pack: Vec<String>,
        /// Number of results to show (at most 100)
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Number of results to skip, for the next page
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only articles with this tag (repeat for several: all must be present)
        #[arg(long)]
        tag: Vec<String>,
        /// Print one JSON object instead of text
        #[arg(long)]
        json: bool,
        /// Explain the score of this article instead of searching (for tuning ranking)
        #[arg(long, value_name = "ID", hide = true)]
        explain: Option<String>,
        /// What to look for
        #[arg(required = true, num_args = 1.., value_name = "QUERY", allow_hyphen_values = true, trailing_var_arg = true)]
        query: Vec<String>,
    },
    /// Titles that match what you have typed so far
    Suggest {
        #[command(flatten)]
        bundle: BundleArg,
        #[command(flatten)]
        data: DataDirArg,
        /// The start of a query
        #[arg(required = true, num_args = 1.., value_name = "TEXT", allow_hyphen_values = true, trailing_var_arg = true)]
        text: Vec<String>,
        /// Number of titles
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// Articles related to an article
    Related {
        #[command(flatten)]
        bundle: BundleArg,
        #[command(flatten)]
        data: DataDirArg,
        /// Article id
        id: String,
        /// Number of articles
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    #[command(flatten)]
    User(user::UserCommand),
    /// Publisher keys, for signing packs
    #[command(subcommand)]
    Key(packs::KeyCommand),
    /// Install, list and remove content packs
    #[command(subcommand)]
    Pack(packs::PackCommand),
    /// Write a corpus of realistic generated articles, for tests and benchmarks
    Gen {
        /// Number of articles
        #[arg(long, default_value_t = 1000)]
        count: usize,
        /// Random seed: the same seed and count give the same articles
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Directory to write them to (created if needed)
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
}

/// A command failure: one line for stderr.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

type CliResult = Result<(), Failure>;

fn main() -> ExitCode {
    // A bug must still end in one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        eprintln!("quire: internal error: {msg}");
    }));
    let cli = Cli::parse();
    let mut out = output::Output::new(io::stdout().lock());
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        run(cli, &mut out)?;
        out.flush()?;
        Ok(())
    }));
    if out.closed() {
        // Whoever read the output has gone (`quire list | head -1`): that ends the command,
        // quietly and successfully, however the failed write surfaced.
        return ExitCode::SUCCESS;
    }
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(Failure(msg))) => {
            eprintln!("quire: {msg}");
            ExitCode::FAILURE
        }
        Err(_) => ExitCode::from(101),
    }
}

/// Runs one command, writing what it prints to `out`.
fn run(cli: Cli, out: &mut impl Write) -> CliResult {
    let color = render::use_color();
    match cli.command {
        Command::Build {
            corpus_dir,
            output,
            corpus_id,
            corpus_version,
            language,
            lexicon,
            no_lexicon,
            sign,
        } => {
            let identity = PackIdentity::load_dir(&corpus_dir)?;
            let language = match (&identity, language) {
                (Some(id), Some(asked)) if id.language != asked => {
                    return Err(Failure(format!(
                        "--language {} does not match pack.toml's language {}",
                        asked.code(),
                        id.language.code()
                    )));
                }
                (Some(id), _) => id.language,
                (None, asked) => asked.unwrap_or(Language::English),
            };
            let sign_with = match &sign {
                Some(_) if identity.is_none() => {
                    return Err(Failure(format!(
                        "--sign signs a pack: {} has no pack.toml (see `quire build --help`)",
                        corpus_dir.display()
                    )));
                }
                Some(path) => Some(SigningKey::read(path)?),
                None => None,
            };
            let lexicon = match (lexicon, no_lexicon) {
                (_, true) => None,
                (Some(path), false) => {
                    Some(
                        std::fs::read_to_string(&path).map_err(|e| quire_core::Error::Io {
                            context: format!("reading the word list {}", path.display()),
                            source: e,
                        })?,
                    )
                }
                (None, false) => Some(lexicons::builtin(language).to_string()),
            };
            let options = BuildOptions {
                corpus_id: corpus_id
                    .or_else(|| identity.as_ref().map(|i| i.id.clone()))
                    .unwrap_or_else(|| "local".into()),
                corpus_version: corpus_version
                    .or_else(|| identity.as_ref().map(|i| i.version.to_string()))
                    .unwrap_or_else(|| "1".into()),
                language,
                lexicon,
                pack: identity.as_ref().map(PackIdentity::to_info),
                sign_with,
                ..BuildOptions::default()
            };
            build(&corpus_dir, &output, options, out)
        }
        Command::Verify { file } => {
            let started = Instant::now();
            let b = Bundle::open(&file)?;
            b.verify()?;
            let signature = b.check_signature()?;
            writeln!(
                out,
                "ok: {} — {} articles, {} sections, every checksum matches ({:.2} s)",
                file.display(),
                b.len(),
                b.manifest().sections.len(),
                started.elapsed().as_secs_f64()
            )?;
            match b.pack() {
                Some(p) => writeln!(
                    out,
                    "pack: {} ({}), version {}, language {}",
                    p.name,
                    p.id,
                    p.version,
                    b.language().code()
                )?,
                None => writeln!(
                    out,
                    "not a pack: corpus {} version {} (no pack.toml identity)",
                    b.manifest().corpus.id,
                    b.manifest().corpus.version
                )?,
            }
            match signature {
                SignatureCheck::Signed(key) => {
                    writeln!(out, "signature: valid, SHA-256 of the whole file matches")?;
                    writeln!(out, "publisher key: {key}")?;
                    writeln!(out, "fingerprint:   {}", key.fingerprint())?;
                }
                SignatureCheck::Unsigned => writeln!(out, "signature: none (not signed)")?,
            }
            Ok(())
        }
        Command::List {
            bundle,
            data,
            tag,
            json,
        } => {
            let b = Articles::open(&bundle, &data)?;
            let tag = tag.map(|t| corpus::normalize_tag(&t));
            let items: Vec<_> = b
                .list()?
                .into_iter()
                .filter(|m| tag.as_ref().is_none_or(|t| m.tags.contains(t)))
                .collect();
            if json {
                serde_json::to_writer_pretty(&mut *out, &items)?;
                writeln!(out)?;
            } else {
                render::list(out, &items, color)?;
            }
            Ok(())
        }
        Command::Read {
            bundle,
            data,
            id,
            plain,
            json,
            highlight,
        } => {
            let b = Articles::open(&bundle, &data)?;
            if json {
                let view =
                    quire_core::reader::library_article_view(&b.0, &id, highlight.as_deref())?;
                serde_json::to_writer(&mut *out, &view)?;
                writeln!(out)?;
                return Ok(());
            }
            let article = b.article(&id)?;
            if plain {
                writeln!(out, "{}\n\n{}", article.meta.title, article.plain_text)?;
            } else {
                render::article(out, &article, color)?;
            }
            Ok(())
        }
        Command::Search {
            bundle,
            data,
            pack,
            limit,
            offset,
            tag,
            json,
            explain,
            query,
        } => {
            let b = Articles::open(&bundle, &data)?;
            let text = query.join(" ");
            if let Some(id) = explain {
                let (bundle, r) = b.0.resolve(&id)?;
                writeln!(out, "{}", Searcher::new(bundle).explain(&text, r.id)?)?;
                return Ok(());
            }
            let results = b.0.search(
                &text,
                &SearchOptions {
                    limit,
                    offset,
                    tags: tag,
                },
                &pack,
            )?;
            if json {
                serde_json::to_writer(&mut *out, &results)?;
                writeln!(out)?;
            } else {
                render::results(out, &results, offset, color)?;
            }
            Ok(())
        }
        Command::Suggest {
            bundle,
            data,
            text,
            limit,
        } => {
            let b = Articles::open(&bundle, &data)?;
            for s in b.0.suggest_titles(&text.join(" "), limit, &[])? {
                writeln!(
                    out,
                    "{}  {}",
                    render::highlight(&s.title, &s.highlights, color),
                    render::dim(&s.id, color)
                )?;
            }
            Ok(())
        }
        Command::Related {
            bundle,
            data,
            id,
            limit,
        } => {
            let b = Articles::open(&bundle, &data)?;
            let (bundle, r) = b.0.resolve(&id)?;
            for rel in Searcher::new(bundle).related(r.id, limit)? {
                let reference = ArticleRef::format(r.pack, &rel.meta.id);
                writeln!(
                    out,
                    "{}  {}",
                    rel.meta.title,
                    render::dim(&reference, color)
                )?;
            }
            Ok(())
        }
        Command::User(command) => user::run(command, out),
        Command::Key(command) => packs::key(command, out),
        Command::Pack(command) => packs::pack(command, out),
        Command::Gen {
            count,
            seed,
            output,
        } => {
            let started = Instant::now();
            let stats = quire_gen::write_corpus(&output, &quire_gen::GenOptions { count, seed })
                .map_err(|e| format!("writing {}: {e}", output.display()))?;
            writeln!(
                out,
                "wrote {} articles ({}) to {} in {:.1} s",
                stats.articles,
                render::bytes(stats.bytes),
                output.display(),
                started.elapsed().as_secs_f64()
            )?;
            Ok(())
        }
    }
}

/// Opens `--bundle`, or builds the built-in articles in memory.
fn open(arg: &BundleArg) -> Result<Bundle, Failure> {
    match &arg.bundle {
        Some(path) => Ok(Bundle::open(path)?),
        None => Ok(builtin_bundle()?),
    }
}

/// The built-in articles, built in memory from the sources compiled into the program.
fn builtin_bundle() -> quire_core::Result<Bundle> {
    let articles = builtin::ARTICLES
        .iter()
        .map(|(name, text)| corpus::parse_article(Path::new(name), text))
        .collect::<quire_core::Result<Vec<_>>>()?;
    let thesaurus = match builtin::THESAURUS {
        Some(text) => Some(Thesaurus::parse(
            text,
            Path::new("corpus/thesaurus.txt"),
            &mut Analyzers::default(),
        )?),
        None => None,
    };
    let options = BuildOptions {
        corpus_id: "quire-builtin".into(),
        corpus_version: env!("CARGO_PKG_VERSION").into(),
        index_memory_bytes: 16 * 1024 * 1024,
        lexicon: Some(lexicons::builtin(Language::English).to_string()),
        thesaurus,
        ..BuildOptions::default()
    };
    Bundle::from_bytes(bundle::build_bytes(articles, &options)?)
}

fn build(dir: &Path, output: &Path, mut options: BuildOptions, out: &mut impl Write) -> CliResult {
    let started = Instant::now();
    let files = corpus::article_files(dir)?;
    let bar = render::progress_bar(files.len() as u64 * 2);
    let articles = corpus::load_files(&files, dir, |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    })?;
    options.thesaurus = Thesaurus::load_dir(dir, &mut Analyzers::new(options.language))?;
    let n = files.len() as u64;
    if let Some(bar) = &bar {
        bar.set_message("indexing");
    }
    let stats = bundle::build_file(articles, &options, output, |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(n + done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    writeln!(
        out,
        "built {}: {} articles, {} in, {} bundle ({:.2}× the Markdown), {:.1} s",
        output.display(),
        stats.articles,
        render::bytes(stats.input_bytes),
        render::bytes(stats.bundle_bytes),
        stats.bundle_bytes as f64 / stats.input_bytes.max(1) as f64,
        started.elapsed().as_secs_f64()
    )?;
    let lexicon = match stats.lexicon_words {
        0 => "no word list".to_string(),
        n => format!(
            "word list of {n} entries ({})",
            render::bytes(stats.lexicon_bytes)
        ),
    };
    let thesaurus = match stats.thesaurus_entries {
        0 => "no thesaurus".to_string(),
        n => format!("thesaurus of {n} entries"),
    };
    writeln!(
        out,
        "language {} ({}), {lexicon}, {thesaurus}",
        options.language.code(),
        options.language.name()
    )?;
    if let Some(p) = &options.pack {
        let signer = match &options.sign_with {
            Some(key) => format!("signed by publisher {}", key.public().fingerprint()),
            None => "not signed (readers must choose to install it anyway)".to_string(),
        };
        writeln!(out, "pack {} version {}: {signer}", p.id, p.version)?;
    }
    Ok(())
}

/// Reads `--language`.
fn parse_language(code: &str) -> Result<Language, String> {
    Language::from_code(code).ok_or_else(|| {
        let known: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
        format!("unknown language `{code}` (known: {})", known.join(", "))
    })
}
