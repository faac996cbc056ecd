//! The word model: inflected forms built once from the lists in `words.rs`, and the
//! Zipf tables used to sample them.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::rng::Zipf;
use crate::words;

/// A noun with its forms.
pub(crate) struct Noun {
    pub(crate) sg: &'static str,
    pub(crate) pl: &'static str,
    /// A mass noun: no plural and no `a`.
    pub(crate) mass: bool,
}

/// A verb with its five forms.
pub(crate) struct Verb {
    pub(crate) base: &'static str,
    pub(crate) third: &'static str,
    pub(crate) ing: &'static str,
    pub(crate) past: &'static str,
    pub(crate) participle: &'static str,
    /// Takes no direct object.
    pub(crate) intransitive: bool,
}

/// Everything the generator samples from, built once.
pub(crate) struct Model {
    pub(crate) nouns: Vec<Noun>,
    pub(crate) nouns_z: Zipf,
    /// Indices of count nouns (those with a plural), in frequency order.
    pub(crate) count_nouns: Vec<usize>,
    pub(crate) count_nouns_z: Zipf,
    pub(crate) verbs: Vec<Verb>,
    pub(crate) verbs_z: Zipf,
    pub(crate) cat_verbs: Vec<Verb>,
    pub(crate) cat_verbs_z: Zipf,
    pub(crate) that_verbs: Vec<Verb>,
    pub(crate) that_verbs_z: Zipf,
    pub(crate) adjs_z: Zipf,
    pub(crate) advs_z: Zipf,
    pub(crate) topics_z: Zipf,
    pub(crate) tags_z: Zipf,
    /// Every content word form, roughly most frequent first, without duplicates.
    pub(crate) vocabulary: Vec<&'static str>,
}

/// The shared model.
pub(crate) fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(build)
}

/// Leaks one string: the model lives for the whole program, and is built once.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// True when `w` ends in a consonant followed by `y` (try, worry, study).
fn consonant_y(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'y' && !is_vowel(b[b.len() - 2])
}

fn sibilant(w: &str) -> bool {
    w.ends_with('s')
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("sh")
        || w.ends_with("ch")
}

pub(crate) fn parse_noun(spec: &'static str) -> Noun {
    match spec.split_once('|') {
        Some((sg, "")) => Noun {
            sg,
            pl: sg,
            mass: true,
        },
        Some((sg, pl)) => Noun {
            sg,
            pl,
            mass: false,
        },
        None => {
            let pl = if sibilant(spec) {
                format!("{spec}es")
            } else if consonant_y(spec) {
                format!("{}ies", &spec[..spec.len() - 1])
            } else {
                format!("{spec}s")
            };
            Noun {
                sg: spec,
                pl: leak(pl),
                mass: false,
            }
        }
    }
}

pub(crate) fn parse_verb(spec: &'static str) -> Verb {
    let (spec, intransitive) = match spec.strip_suffix('!') {
        Some(s) => (s, true),
        None => (spec, false),
    };
    let mut parts = spec.split('>');
    let head = parts.next().expect("split yields one part");
    let (base, double) = match head.strip_suffix('+') {
        Some(b) => (b, true),
        None => (head, false),
    };
    let irregular_past = parts.next();
    let irregular_participle = parts.next();

    let third = if sibilant(base) || base.ends_with('o') {
        format!("{base}es")
    } else if consonant_y(base) {
        format!("{}ies", &base[..base.len() - 1])
    } else {
        format!("{base}s")
    };
    let last = base.chars().last().expect("non-empty verb");
    let stem_doubled = || format!("{base}{last}");
    let ing = if double {
        format!("{}ing", stem_doubled())
    } else if let Some(stem) = base.strip_suffix("ie") {
        format!("{stem}ying")
    } else if base.ends_with('e')
        && !base.ends_with("ee")
        && !base.ends_with("ye")
        && !base.ends_with("oe")
    {
        format!("{}ing", &base[..base.len() - 1])
    } else {
        format!("{base}ing")
    };
    let regular_past = || {
        if double {
            format!("{}ed", stem_doubled())
        } else if base.ends_with('e') {
            format!("{base}d")
        } else if consonant_y(base) {
            format!("{}ied", &base[..base.len() - 1])
        } else {
            format!("{base}ed")
        }
    };
    let past: &'static str = match irregular_past {
        Some(p) => p,
        None => leak(regular_past()),
    };
    let participle = irregular_participle.unwrap_or(past);
    Verb {
        base,
        third: leak(third),
        ing: leak(ing),
        past,
        participle,
        intransitive,
    }
}

fn build() -> Model {
    let nouns: Vec<Noun> = dedup_by(words::NOUNS.iter().map(|s| parse_noun(s)), |n| n.sg);
    let count_nouns: Vec<usize> = (0..nouns.len()).filter(|&i| !nouns[i].mass).collect();
    let verbs: Vec<Verb> = dedup_by(words::VERBS.iter().map(|s| parse_verb(s)), |v| v.base);
    let cat_verbs: Vec<Verb> = words::CATENATIVE_VERBS
        .iter()
        .map(|s| parse_verb(s))
        .collect();
    let that_verbs: Vec<Verb> = words::THAT_VERBS.iter().map(|s| parse_verb(s)).collect();

    let nouns_z = Zipf::new(nouns.len(), 3);
    let verbs_z = Zipf::new(verbs.len(), 3);
    let adjs_z = Zipf::new(words::ADJECTIVES.len(), 3);
    let advs_z = Zipf::new(words::ADVERBS.len(), 3);

    // Rough share of each form among content-word slots, for ordering the vocabulary.
    let mut weighted: Vec<(&'static str, f64)> = Vec::new();
    for (i, n) in nouns.iter().enumerate() {
        let p = 0.45 * nouns_z.probability(i);
        if n.mass {
            weighted.push((n.sg, p));
        } else {
            weighted.push((n.sg, 0.65 * p));
            weighted.push((n.pl, 0.35 * p));
        }
    }
    for (i, v) in verbs.iter().enumerate() {
        let p = 0.30 * verbs_z.probability(i);
        for (form, share) in [
            (v.base, 0.35),
            (v.third, 0.15),
            (v.past, 0.2),
            (v.ing, 0.15),
            (v.participle, 0.15),
        ] {
            weighted.push((form, share * p));
        }
    }
    for (i, a) in words::ADJECTIVES.iter().enumerate() {
        weighted.push((a, 0.17 * adjs_z.probability(i)));
    }
    for (i, a) in words::ADVERBS.iter().enumerate() {
        weighted.push((a, 0.08 * advs_z.probability(i)));
    }
    for v in cat_verbs.iter().chain(that_verbs.iter()) {
        for form in [v.base, v.third, v.past, v.ing, v.participle] {
            weighted.push((form, 0.0));
        }
    }
    // Sum the weights of forms shared by several lemmas ("talk" noun and verb).
    let mut order: Vec<&'static str> = Vec::new();
    let mut total: std::collections::HashMap<&'static str, f64> = std::collections::HashMap::new();
    for (w, p) in weighted {
        let entry = total.entry(w).or_insert_with(|| {
            order.push(w);
            0.0
        });
        *entry += p;
    }
    let mut vocabulary = order;
    // Stable sort by descending weight: ties keep list order, so this is deterministic.
    vocabulary.sort_by(|a, b| total[b].partial_cmp(&total[a]).expect("finite weights"));

    Model {
        count_nouns_z: Zipf::new(count_nouns.len(), 3),
        count_nouns,
        nouns_z,
        nouns,
        verbs_z,
        verbs,
        cat_verbs_z: Zipf::new(cat_verbs.len(), 2),
        cat_verbs,
        that_verbs_z: Zipf::new(that_verbs.len(), 2),
        that_verbs,
        adjs_z,
        advs_z,
        topics_z: Zipf::new(words::TOPICS.len(), 4),
        tags_z: Zipf::new(words::TAGS.len(), 2),
        vocabulary,
    }
}

fn dedup_by<T>(items: impl Iterator<Item = T>, key: impl Fn(&T) -> &'static str) -> Vec<T> {
    let mut seen = HashSet::new();
    items.filter(|x| seen.insert(key(x))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(spec: &'static str) -> [&'static str; 5] {
        let v = parse_verb(spec);
        [v.base, v.third, v.ing, v.past, v.participle]
    }

    #[test]
    fn verb_inflection() {
        assert_eq!(
            forms("talk!"),
            ["talk", "talks", "talking", "talked", "talked"]
        );
        assert_eq!(
            forms("stop+"),
            ["stop", "stops", "stopping", "stopped", "stopped"]
        );
        assert_eq!(forms("try"), ["try", "tries", "trying", "tried", "tried"]);
        assert_eq!(
            forms("hope!"),
            ["hope", "hopes", "hoping", "hoped", "hoped"]
        );
        assert_eq!(
            forms("agree!"),
            ["agree", "agrees", "agreeing", "agreed", "agreed"]
        );
        assert_eq!(forms("lie!"), ["lie", "lies", "lying", "lied", "lied"]);
        assert_eq!(
            forms("touch"),
            ["touch", "touches", "touching", "touched", "touched"]
        );
        assert_eq!(
            forms("play!"),
            ["play", "plays", "playing", "played", "played"]
        );
        assert_eq!(
            forms("go>went>gone!"),
            ["go", "goes", "going", "went", "gone"]
        );
        assert_eq!(
            forms("begin+>began>begun"),
            ["begin", "begins", "beginning", "began", "begun"]
        );
        assert_eq!(
            forms("feel>felt"),
            ["feel", "feels", "feeling", "felt", "felt"]
        );
        assert_eq!(
            forms("see>saw>seen"),
            ["see", "sees", "seeing", "saw", "seen"]
        );
        assert!(parse_verb("talk!").intransitive && !parse_verb("touch").intransitive);
    }

    #[test]
    fn noun_inflection() {
        let n = parse_noun("kiss");
        assert_eq!((n.sg, n.pl, n.mass), ("kiss", "kisses", false));
        let n = parse_noun("worry|worries");
        assert_eq!((n.sg, n.pl, n.mass), ("worry", "worries", false));
        let n = parse_noun("consent|");
        assert!(n.mass);
        assert_eq!(parse_noun("party").pl, "parties");
        assert_eq!(parse_noun("day").pl, "days");
    }

    #[test]
    fn vocabulary_is_large_unique_and_clean() {
        let v = &model().vocabulary;
        assert!(v.len() > 2500, "only {} words", v.len());
        let set: HashSet<_> = v.iter().collect();
        assert_eq!(set.len(), v.len());
        assert!(v.iter().all(|w| !w.is_empty() && !w.contains(' ')));
        for w in [
            "talk",
            "talks",
            "talking",
            "talked",
            "consent",
            "partner",
            "boundaries",
        ] {
            assert!(set.contains(&w), "{w} missing");
        }
        // Common words come first.
        let pos = |w: &str| v.iter().position(|x| *x == w).expect("present");
        assert!(pos("partner") < pos("vaccinate"));
    }
}
