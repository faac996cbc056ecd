//! A corpus of real English text, assembled from WordNet's database (Debian's
//! `wordnet-base`, `/usr/share/wordnet/data.{noun,verb,adj,adv}`), so the benchmark also
//! runs on an open vocabulary: about 150,000 distinct words written by lexicographers,
//! where the generated corpus has about 3,000.
//!
//! One article per synset: its words as the title, the first clause of its gloss as the
//! summary, the whole gloss and its example sentences as the body's first paragraph,
//! then one section per related synset (broader, narrower, part of, similar, see also…,
//! at most 12) with that synset's words as the heading and its gloss as the text, and
//! the lexicographer file (`noun.feeling`, `verb.motion`…) as tags. Every sentence is
//! WordNet's own; only their grouping into articles is ours. Articles come in an order
//! shuffled by a fixed hash of their id, and a corpus of `n` articles is the first `n`,
//! so the 10,000 are part of the 100,000. Nothing is downloaded: without the package the
//! real-text corpora are skipped and the run says so.

use std::collections::HashMap;
use std::path::Path;

use quire_core::corpus::{Article, parse_article};

/// Where Debian puts the database.
pub const WORDNET_DIR: &str = "/usr/share/wordnet";

/// The lexicographer files, by number (WordNet's `lexnames`).
const LEXNAMES: [&str; 45] = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
];

/// Related synsets shown per article.
const MAX_RELATED: usize = 12;

struct Synset {
    pos: char,
    offset: u64,
    lexfile: usize,
    words: Vec<String>,
    pointers: Vec<(String, char, u64)>,
    gloss: String,
}

/// Whether WordNet's database is installed.
pub fn available() -> bool {
    Path::new(WORDNET_DIR).join("data.noun").exists()
}

/// The first `count` articles (at most about 117,000), their Markdown's total size, and
/// the corpus's words from the most used to the least (by articles using them).
pub fn articles(count: usize) -> Result<(Vec<Article>, u64), String> {
    let synsets = load()?;
    let index: HashMap<(char, u64), usize> = synsets
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.pos, s.offset), i))
        .collect();
    let mut order: Vec<usize> = (0..synsets.len()).collect();
    order.sort_by_key(|&i| (mix(synsets[i].offset ^ ((synsets[i].pos as u64) << 40)), i));
    let mut out = Vec::with_capacity(count.min(order.len()));
    let mut bytes = 0;
    for &i in order.iter().take(count) {
        let md = markdown(&synsets, &index, i);
        bytes += md.len() as u64;
        let name = format!("{}.md", id(&synsets[i]));
        out.push(parse_article(Path::new(&name), &md).map_err(|e| format!("{name}: {e}"))?);
    }
    Ok((out, bytes))
}

/// Words of `articles`' bodies, most used first (by number of articles), ASCII letters
/// only, at least three of them.
pub fn vocabulary(articles: &[Article]) -> Vec<String> {
    let mut df: HashMap<String, u32> = HashMap::new();
    for a in articles {
        let mut seen = std::collections::HashSet::new();
        for w in a.body.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 3 && seen.insert(w) {
                *df.entry(w.to_ascii_lowercase()).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(String, u32)> = df.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.into_iter().map(|(w, _)| w).collect()
}

fn id(s: &Synset) -> String {
    format!("wn-{}-{:08}", s.pos, s.offset)
}

/// A fixed 64-bit mix (splitmix64's finaliser): the shuffle must not change between
/// runs or machines.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn load() -> Result<Vec<Synset>, String> {
    let mut out = Vec::new();
    for (file, pos) in [("noun", 'n'), ("verb", 'v'), ("adj", 'a'), ("adv", 'r')] {
        let path = Path::new(WORDNET_DIR).join(format!("data.{file}"));
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{}: {e} (bench/install-deps.sh installs wordnet-base)",
                path.display()
            )
        })?;
        for line in text.lines().filter(|l| !l.starts_with(' ')) {
            if let Some(s) = parse_line(line, pos) {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// One line of a `data.*` file: `offset lexfile type w_cnt (word lex_id)… p_cnt
/// (symbol offset pos source/target)… [frames] | gloss`.
fn parse_line(line: &str, pos: char) -> Option<Synset> {
    let (head, gloss) = line.split_once(" | ")?;
    let f: Vec<&str> = head.split_whitespace().collect();
    let offset = f.first()?.parse().ok()?;
    let lexfile = f.get(1)?.parse().ok()?;
    let w_cnt = usize::from_str_radix(f.get(3)?, 16).ok()?;
    let mut at = 4;
    let mut words = Vec::new();
    for _ in 0..w_cnt {
        let w = f.get(at)?;
        // Adjectives may carry a marker such as `(p)`.
        let w = w.split('(').next().unwrap_or(w);
        words.push(w.replace('_', " "));
        at += 2;
    }
    let p_cnt: usize = f.get(at)?.parse().ok()?;
    at += 1;
    let mut pointers = Vec::new();
    for _ in 0..p_cnt {
        let symbol = f.get(at)?.to_string();
        let target = f.get(at + 1)?.parse().ok()?;
        let tpos = match f.get(at + 2)?.chars().next()? {
            's' => 'a',
            c => c,
        };
        pointers.push((symbol, tpos, target));
        at += 4;
    }
    Some(Synset {
        pos: if pos == 'a' { 'a' } else { pos },
        offset,
        lexfile,
        words,
        pointers,
        gloss: gloss.trim().to_string(),
    })
}

fn relation(symbol: &str) -> &'static str {
    match symbol {
        "@" | "@i" => "broader",
        "~" | "~i" => "narrower",
        "#m" | "#s" | "#p" => "part of",
        "%m" | "%s" | "%p" => "has part",
        "&" => "similar",
        "^" => "see also",
        "!" => "opposite",
        "=" => "attribute",
        "+" => "related form",
        "*" => "entails",
        ">" => "causes",
        ";c" | "-c" => "topic",
        ";r" | "-r" => "region",
        ";u" | "-u" => "usage",
        "\\" => "derived from",
        "<" => "participle of",
        "$" => "verb group",
        _ => "related",
    }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

fn markdown(all: &[Synset], index: &HashMap<(char, u64), usize>, i: usize) -> String {
    let s = &all[i];
    let title = s.words.join(", ");
    let (definition, examples) = split_gloss(&s.gloss);
    let summary = definition.split(';').next().unwrap_or(&definition).trim();
    let lexname = LEXNAMES.get(s.lexfile).copied().unwrap_or("other");
    let tag = lexname.replace('.', "-").to_lowercase();
    let kind = lexname.split('.').next().unwrap_or("word");
    let mut md = format!(
        "---\nid: {}\ntitle: {}\nsource: \"WordNet 3.0, Princeton University (Debian wordnet-base)\"\ntags: [{kind}, {tag}]\nsummary: {}\n---\n\n",
        id(s),
        quoted(&title),
        quoted(&sentence(summary)),
    );
    md.push_str(&sentence(&definition));
    md.push_str("\n\n");
    for e in &examples {
        md.push_str("> ");
        md.push_str(&sentence(e));
        md.push('\n');
    }
    if !examples.is_empty() {
        md.push('\n');
    }
    let mut shown = 0;
    for (symbol, tpos, target) in &s.pointers {
        if shown == MAX_RELATED {
            break;
        }
        let Some(&j) = index.get(&(*tpos, *target)) else {
            continue;
        };
        if j == i {
            continue;
        }
        let r = &all[j];
        let (def, ex) = split_gloss(&r.gloss);
        md.push_str(&format!(
            "## {} ({})\n\n{}",
            r.words.join(", "),
            relation(symbol),
            sentence(&def)
        ));
        if let Some(e) = ex.first() {
            md.push_str(&format!(" For example: {}", sentence(e)));
        }
        md.push_str("\n\n");
        shown += 1;
    }
    md
}

/// A gloss's definition and its quoted example sentences.
fn split_gloss(gloss: &str) -> (String, Vec<String>) {
    let mut definition = String::new();
    let mut examples = Vec::new();
    for (k, piece) in gloss.split('"').enumerate() {
        if k % 2 == 1 {
            let e = piece.trim();
            if !e.is_empty() {
                examples.push(e.to_string());
            }
        } else if examples.is_empty() {
            definition.push_str(piece);
        }
    }
    let definition = definition.trim().trim_end_matches(';').trim().to_string();
    (definition, examples)
}

/// `text` with a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let t = text.trim();
    let mut c = t.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_data_line_and_its_gloss() {
        let s = parse_line(
            "00982679 04 n 01 strategic_intelligence 0 001 @ 00981830 n 0000 | intelligence \
             that is required for forming policy; \"they lacked it\"",
            'n',
        )
        .unwrap();
        assert_eq!(s.words, vec!["strategic intelligence"]);
        assert_eq!(s.pointers, vec![("@".to_string(), 'n', 981830)]);
        let (d, e) = split_gloss(&s.gloss);
        assert_eq!(d, "intelligence that is required for forming policy");
        assert_eq!(e, vec!["they lacked it"]);
        assert_eq!(sentence("a word"), "A word.");
    }

    #[test]
    fn builds_articles_when_wordnet_is_installed() {
        if !available() {
            eprintln!("WordNet is not installed: skipped");
            return;
        }
        let (a, bytes) = articles(50).unwrap();
        assert_eq!(a.len(), 50);
        assert!(bytes > 50 * 100);
        assert_eq!(a, articles(50).unwrap().0, "deterministic");
        assert!(!vocabulary(&a).is_empty());
    }
}
