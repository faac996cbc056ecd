//! Text generation: titles, summaries, sentences, paragraphs, lists and whole bodies.
//!
//! Sentences come from a small phrase grammar (subject, verb phrase, objects,
//! prepositional phrases, subordinate clauses, questions) whose slots are filled from
//! the Zipf-sampled word lists, with subject-verb agreement so that every inflected
//! form appears in a plausible place. Each article also has a topic phrase and a few
//! "favourite" nouns that it repeats, as real articles do.

use crate::model::{Model, Verb, model};
use crate::rng::Rng;
use crate::words::{self, TopicNum};

/// Grammatical person and number of a subject.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Num {
    /// Third person singular (takes "talks", "is", "has").
    Sg,
    /// Plural, or "you" (takes "talk", "are", "have").
    Pl,
    /// "I" (takes "talk", "am", "have").
    I,
}

const SG_DETS: &[&str] = &[
    "a", "a", "a", "a", "a", "a", "the", "the", "the", "the", "the", "the", "your", "your", "your",
    "their", "this", "one", "every", "another", "each", "that", "my", "her", "his", "our",
];
const PL_DETS: &[&str] = &[
    "", "", "", "", "", "", "", "the", "the", "the", "the", "your", "your", "their", "many",
    "some", "some", "most", "these", "other", "a few", "those", "all", "several", "no", "such",
];
const MASS_DETS: &[&str] = &[
    "", "", "", "", "", "", "the", "the", "your", "their", "this", "our", "some", "more", "enough",
    "less",
];
const OWNERS: &[&str] = &[
    "your partner's",
    "your partner's",
    "a partner's",
    "your body's",
    "your doctor's",
    "their partner's",
    "the other person's",
    "a friend's",
    "someone's",
];
const SG_PRONOUNS: &[&str] = &[
    "she",
    "he",
    "it",
    "it",
    "someone",
    "everyone",
    "this",
    "that",
    "nobody",
    "each partner",
];
const PL_PRONOUNS: &[&str] = &[
    "you",
    "you",
    "you",
    "you",
    "you",
    "they",
    "they",
    "they",
    "we",
    "we",
    "many people",
    "most people",
    "some couples",
    "both of you",
    "other people",
];
const OBJ_PRONOUNS: &[&str] = &[
    "it",
    "it",
    "them",
    "them",
    "you",
    "yourself",
    "each other",
    "something",
    "someone",
    "this",
    "that",
    "everything",
    "one another",
    "me",
    "us",
    "him",
    "her",
    "anything",
    "themselves",
];
const PREPS: &[&str] = &[
    "about", "about", "about", "with", "with", "with", "for", "for", "during", "after", "before",
    "without", "in", "in", "on", "through", "around", "into", "from", "to", "to", "toward",
    "despite", "like", "over", "within", "beyond", "against", "among", "under",
];
const MODALS: &[&str] = &[
    "can", "can", "can", "could", "may", "might", "might", "should", "should", "will", "would",
    "must",
];
const MODAL_NEG: &[&str] = &[
    "cannot",
    "can't",
    "won't",
    "should not",
    "shouldn't",
    "might not",
    "may not",
    "would not",
    "wouldn't",
];
const FREQ_ADVS: &[&str] = &[
    "often",
    "sometimes",
    "usually",
    "rarely",
    "always",
    "never",
    "really",
    "simply",
    "also",
    "still",
    "just",
    "even",
    "only",
    "actually",
    "already",
    "probably",
];
const INTENSIFIERS: &[&str] = &[
    "very",
    "quite",
    "often",
    "not",
    "rarely",
    "usually",
    "more",
    "less",
    "so",
    "really",
    "a little",
    "completely",
    "perfectly",
    "sometimes",
    "surprisingly",
    "especially",
    "not always",
    "rather",
    "fairly",
    "too",
];
const OPENERS: &[&str] = &[
    "for many people,",
    "in practice,",
    "over time,",
    "at first,",
    "in our experience,",
    "of course,",
    "for example,",
    "in other words,",
    "on the other hand,",
    "sometimes",
    "often",
    "later,",
    "after a while,",
    "in the end,",
    "either way,",
    "even so,",
    "still,",
    "above all,",
    "most of the time,",
    "however,",
    "however,",
    "also,",
    "in fact,",
    "for some couples,",
    "at the same time,",
    "in a long relationship,",
    "with a new partner,",
    "during pregnancy,",
    "after a baby arrives,",
    "at night,",
    "in the moment,",
    "for now,",
    "first,",
    "next,",
    "finally,",
    "then",
    "so",
    "and yet",
    "besides,",
    "as a result,",
    "luckily,",
    "unfortunately,",
    "understandably,",
    "honestly,",
    "realistically,",
    "in many cases,",
    "for others,",
    "as one reader put it,",
    "in therapy,",
    "by contrast,",
    "meanwhile,",
    "instead,",
    "now",
    "today,",
];
const SUBORD_FIRST: &[&str] = &[
    "when",
    "when",
    "if",
    "if",
    "because",
    "although",
    "while",
    "after",
    "before",
    "until",
    "once",
    "as long as",
    "even if",
    "whenever",
    "since",
    "unless",
    "even though",
    "as soon as",
];
const SUBORD_MID: &[&str] = &[
    "because",
    "because",
    "when",
    "if",
    "until",
    "while",
    "although",
    "unless",
    "so that",
    "as",
    "before",
    "after",
    "since",
    "whenever",
    "even when",
    "whether or not",
];
const COORD: &[&str] = &[
    "and", "and", "and", "but", "but", "so", "or", "yet", "and then",
];

/// Generates the text of one article from its own random stream.
pub(crate) struct Writer {
    rng: Rng,
    m: &'static Model,
    /// Everything is written here; the caller takes it at the end.
    pub(crate) out: String,
    /// Whether the next word needs a space before it.
    space: bool,
    /// Whether emphasis and links may be added (not in titles, headings, summary).
    markup: bool,
    /// Whether this article spells apostrophes as U+2019, as many web sources do.
    curly: bool,
    topic: usize,
    favourites: [usize; 4],
    scratch: String,
}

impl Writer {
    /// A writer for article `n` of corpus `seed`.
    pub(crate) fn new(seed: u64, n: u64) -> Writer {
        let m = model();
        let mut rng = Rng::for_article(seed, n);
        let topic = m.topics_z.sample(&mut rng);
        // Two mid-frequency and two arbitrary nouns that this article keeps coming back to.
        let mut favourites = [0; 4];
        for (i, f) in favourites.iter_mut().enumerate() {
            *f = if i < 2 {
                let mut r = m.nouns_z.sample(&mut rng);
                for _ in 0..8 {
                    if r >= 12 {
                        break;
                    }
                    r = m.nouns_z.sample(&mut rng);
                }
                r
            } else {
                rng.below(m.nouns.len())
            };
        }
        let curly = rng.percent(20);
        Writer {
            rng,
            m,
            out: String::new(),
            space: false,
            markup: false,
            curly,
            topic,
            favourites,
            scratch: String::new(),
        }
    }

    // ----- low-level output -------------------------------------------------------

    #[inline]
    fn w(&mut self, s: &str) {
        if self.space {
            self.out.push(' ');
        }
        self.out.push_str(s);
        self.space = true;
    }

    /// Writes words that may contain an apostrophe, curled in some articles.
    fn wa(&mut self, s: &str) {
        if self.curly && s.contains('\'') {
            if self.space {
                self.out.push(' ');
            }
            for c in s.chars() {
                self.out.push(if c == '\'' { '\u{2019}' } else { c });
            }
            self.space = true;
        } else {
            self.w(s);
        }
    }

    /// Writes a content word, now and then in *italics* or **bold**.
    #[inline]
    fn cw(&mut self, s: &str) {
        if self.markup && self.rng.below(150) == 0 {
            let mark = if self.rng.percent(35) { "**" } else { "*" };
            if self.space {
                self.out.push(' ');
            }
            self.out.push_str(mark);
            self.out.push_str(s);
            self.out.push_str(mark);
            self.space = true;
        } else {
            self.w(s);
        }
    }

    /// Upper-cases the first letter written at or after `start`.
    fn capitalize(&mut self, start: usize) {
        if let Some(i) = self.out[start..].find(|c: char| c.is_alphabetic()) {
            let i = start + i;
            if let Some(s) = self.out.get_mut(i..i + 1) {
                s.make_ascii_uppercase();
            }
        }
    }

    fn words_since(&self, start: usize) -> usize {
        self.out[start..].split_ascii_whitespace().count()
    }

    // ----- word choice ------------------------------------------------------------

    fn noun_idx(&mut self, count_only: bool) -> usize {
        let m = self.m;
        if self.rng.percent(9) {
            let f = self.favourites[self.rng.below(4)];
            if !count_only || !m.nouns[f].mass {
                return f;
            }
        }
        if count_only {
            m.count_nouns[m.count_nouns_z.sample(&mut self.rng)]
        } else {
            m.nouns_z.sample(&mut self.rng)
        }
    }

    fn verb(&mut self) -> &'static Verb {
        let m = self.m;
        &m.verbs[m.verbs_z.sample(&mut self.rng)]
    }

    fn adj(&mut self) -> &'static str {
        words::ADJECTIVES[self.m.adjs_z.sample(&mut self.rng)]
    }

    fn adv(&mut self) -> &'static str {
        words::ADVERBS[self.m.advs_z.sample(&mut self.rng)]
    }

    fn topic_phrase(&self) -> &'static str {
        words::TOPICS[self.topic].0
    }

    fn topic_num(&self) -> Num {
        match words::TOPICS[self.topic].2 {
            TopicNum::S => Num::Sg,
            TopicNum::P => Num::Pl,
        }
    }

    // ----- phrases ----------------------------------------------------------------

    /// A noun phrase. `depth` 1 means no possessive and no trailing phrase.
    fn np(&mut self, want: Option<Num>, depth: u8) -> Num {
        let plural = match want {
            Some(Num::Pl) => true,
            Some(_) => false,
            None => self.rng.percent(38),
        };
        let noun = &self.m.nouns[self.noun_idx(plural)];
        let adj = if self.rng.percent(22) {
            Some(self.adj())
        } else {
            None
        };
        let head = if plural { noun.pl } else { noun.sg };
        if depth == 0 && self.rng.percent(4) {
            let owner = self.rng.pick(OWNERS);
            self.wa(owner);
        } else {
            let det = if plural {
                self.rng.pick(PL_DETS)
            } else if noun.mass {
                self.rng.pick(MASS_DETS)
            } else {
                self.rng.pick(SG_DETS)
            };
            match det {
                "" => {}
                "a" => self.w(indefinite_article(adj.unwrap_or(head))),
                d => self.w(d),
            }
        }
        if let Some(a) = adj {
            self.cw(a);
        }
        self.cw(head);
        if depth == 0 {
            match self.rng.below(100) {
                0..=11 => {
                    let p = self.rng.pick(&[
                        "of", "of", "of", "of", "about", "with", "around", "during", "after",
                    ]);
                    self.w(p);
                    self.np(None, 1);
                }
                12..=17 => {
                    let and = self.rng.percent(85);
                    self.w(if and { "and" } else { "or" });
                    self.np(None, 1);
                    // "trust and respect are", agreement by the coordination.
                    if and {
                        return Num::Pl;
                    }
                }
                _ => {}
            }
        }
        if plural { Num::Pl } else { Num::Sg }
    }

    fn subject(&mut self, want: Option<Num>) -> Num {
        if want == Some(Num::I) {
            self.w("I");
            return Num::I;
        }
        let r = self.rng.below(100);
        if r < 4 {
            let tn = self.topic_num();
            if want.is_none() || want == Some(tn) {
                self.w(self.topic_phrase());
                return tn;
            }
        }
        if r < 32 {
            let num = want.unwrap_or_else(|| match self.rng.below(100) {
                0..=9 => Num::I,
                10..=37 => Num::Sg,
                _ => Num::Pl,
            });
            match num {
                Num::I => self.w("I"),
                Num::Sg => {
                    let p = self.rng.pick(SG_PRONOUNS);
                    self.w(p);
                }
                Num::Pl => {
                    let p = self.rng.pick(PL_PRONOUNS);
                    self.w(p);
                }
            }
            return num;
        }
        self.np(want, 0)
    }

    fn object(&mut self) {
        if self.markup && self.rng.below(110) == 0 {
            self.link();
            return;
        }
        match self.rng.below(100) {
            0..=13 => {
                let p = self.rng.pick(OBJ_PRONOUNS);
                self.w(p);
            }
            14..=16 => self.w(self.topic_phrase()),
            _ => {
                self.np(None, 0);
            }
        }
    }

    /// A noun phrase as a Markdown link to a made-up page on example.org.
    fn link(&mut self) {
        if self.space {
            self.out.push(' ');
        }
        self.out.push('[');
        self.space = false;
        let start = self.out.len();
        self.markup = false;
        self.np(None, 1);
        self.markup = true;
        let section = self
            .rng
            .pick(&["guides/", "articles/", "health/", "topics/", ""]);
        self.scratch.clear();
        for c in self.out[start..].chars() {
            if c.is_ascii_alphanumeric() {
                self.scratch.push(c.to_ascii_lowercase());
            } else if (c == ' ' || c == '-')
                && !self.scratch.is_empty()
                && !self.scratch.ends_with('-')
            {
                self.scratch.push('-');
            }
        }
        let slug = self.scratch.trim_end_matches('-');
        self.out.push_str("](https://example.org/");
        self.out.push_str(section);
        self.out.push_str(slug);
        self.out.push(')');
        self.space = true;
    }

    fn pp(&mut self) {
        let p = self.rng.pick(PREPS);
        self.w(p);
        match self.rng.below(100) {
            0..=5 => self.w(self.topic_phrase()),
            6..=14 => {
                let p = self.rng.pick(OBJ_PRONOUNS);
                self.w(p);
            }
            _ => {
                self.np(None, 1);
            }
        }
    }

    /// Like [`Self::complement`] but never empty: for list items, which need substance.
    fn complement_full(&mut self, intransitive: bool) {
        if intransitive {
            self.pp();
        } else {
            self.object();
            if self.rng.percent(30) {
                self.pp();
            }
        }
    }

    fn complement(&mut self, intransitive: bool) {
        if !intransitive && self.rng.percent(65) {
            self.object();
        }
        if self.rng.percent(if intransitive { 60 } else { 30 }) {
            self.pp();
        }
        if self.rng.percent(9) {
            let a = self.adv();
            self.cw(a);
        }
    }

    /// A finite verb phrase agreeing with `num`, with its complements.
    fn vp(&mut self, num: Num) {
        let v;
        match self.rng.below(100) {
            0..=29 => {
                if self.rng.percent(10) {
                    let a = self.rng.pick(FREQ_ADVS);
                    self.w(a);
                }
                v = self.verb();
                self.cw(if num == Num::Sg { v.third } else { v.base });
            }
            30..=43 => {
                if self.rng.percent(8) {
                    let a = self.rng.pick(FREQ_ADVS);
                    self.w(a);
                }
                v = self.verb();
                self.cw(v.past);
            }
            44..=61 => {
                if self.rng.percent(12) {
                    let m = self.rng.pick(MODAL_NEG);
                    self.wa(m);
                } else {
                    let m = self.rng.pick(MODALS);
                    self.w(m);
                    if self.rng.percent(20) {
                        let a = self.rng.pick(&[
                            "also",
                            "often",
                            "still",
                            "not",
                            "really",
                            "sometimes",
                            "usually",
                        ]);
                        self.w(a);
                    }
                }
                v = self.verb();
                self.cw(v.base);
            }
            62..=69 => {
                let past = self.rng.percent(25);
                self.w(be(num, past));
                if self.rng.percent(12) {
                    let a = self
                        .rng
                        .pick(&["not", "still", "already", "slowly", "finally", "just"]);
                    self.w(a);
                }
                v = self.verb();
                self.cw(v.ing);
            }
            70..=76 => {
                self.w(if num == Num::Sg { "has" } else { "have" });
                if self.rng.percent(25) {
                    let a = self.rng.pick(&[
                        "already", "never", "often", "always", "not", "just", "recently",
                    ]);
                    self.w(a);
                }
                v = self.verb();
                self.cw(v.participle);
            }
            77..=87 => {
                let neg = if self.rng.percent(25) {
                    self.rng.pick(&["did not", "didn't"])
                } else if num == Num::Sg {
                    self.rng.pick(&["does not", "doesn't"])
                } else {
                    self.rng.pick(&["do not", "don't"])
                };
                self.wa(neg);
                v = self.verb();
                self.cw(v.base);
            }
            _ => {
                let m = self.m;
                let c = &m.cat_verbs[m.cat_verbs_z.sample(&mut self.rng)];
                match self.rng.below(4) {
                    0 | 1 => self.cw(if num == Num::Sg { c.third } else { c.base }),
                    2 => self.cw(c.past),
                    _ => {
                        let md = self.rng.pick(MODALS);
                        self.w(md);
                        self.cw(c.base);
                    }
                }
                self.w("to");
                v = self.verb();
                self.cw(v.base);
            }
        }
        self.complement(v.intransitive);
    }

    /// "is (very) ADJ (PP)" agreeing with `num`.
    fn copula(&mut self, num: Num) {
        if num != Num::I && self.rng.percent(12) {
            let m = self.rng.pick(&[
                "can be",
                "may be",
                "might be",
                "should be",
                "will be",
                "can feel",
                "often feels",
            ]);
            let m = if num == Num::Pl && m == "often feels" {
                "often feel"
            } else {
                m
            };
            self.w(m);
        } else if self.rng.percent(10) {
            self.w(if num == Num::Sg { "feels" } else { "feel" });
        } else {
            let past = self.rng.percent(15);
            self.w(be(num, past));
        }
        if self.rng.percent(35) {
            let i = self.rng.pick(INTENSIFIERS);
            self.w(i);
        }
        let a = self.adj();
        self.cw(a);
        match self.rng.below(100) {
            0..=29 => self.pp(),
            30..=39 => {
                self.w("to");
                let v = self.verb();
                self.cw(v.base);
                if !v.intransitive && self.rng.percent(50) {
                    self.object();
                }
            }
            _ => {}
        }
    }

    fn clause(&mut self) {
        let num = self.subject(None);
        if self.rng.percent(22) {
            self.copula(num);
        } else {
            self.vp(num);
        }
    }

    fn opener(&mut self, percent: usize) {
        if self.rng.percent(percent) {
            let o = self.rng.pick(OPENERS);
            self.w(o);
        }
    }

    fn imperative(&mut self) {
        self.imperative_with(false);
    }

    /// An imperative; `full` insists on an object or prepositional phrase.
    fn imperative_with(&mut self, full: bool) {
        match self.rng.below(100) {
            0..=11 => self.wa("don't"),
            12..=19 => self.w("try to"),
            20..=25 => self.w("remember to"),
            26..=29 => self.w("be sure to"),
            30..=33 => self.w("take time to"),
            34..=39 => {
                let a = self.adv();
                self.cw(a);
            }
            _ => {}
        }
        let v = self.verb();
        self.cw(v.base);
        if full {
            self.complement_full(v.intransitive);
        } else {
            self.complement(v.intransitive);
        }
    }

    /// A gerund phrase with an object or prepositional phrase: "talking about
    /// boundaries with a partner".
    fn gerund_full(&mut self) {
        let v = self.verb();
        self.cw(v.ing);
        self.complement_full(v.intransitive);
    }

    // ----- sentences --------------------------------------------------------------

    /// A declarative statement of kind `0..STATEMENT_KINDS`; no final punctuation.
    fn statement(&mut self, kind: usize) {
        match kind {
            0 => {
                self.opener(18);
                self.clause();
            }
            1 => {
                self.opener(10);
                let num = self.subject(None);
                self.copula(num);
            }
            2 => {
                if self.rng.percent(55) {
                    let s = self.rng.pick(SUBORD_FIRST);
                    self.w(s);
                    self.clause();
                    self.out.push(',');
                    self.clause();
                } else {
                    self.clause();
                    let s = self.rng.pick(SUBORD_MID);
                    self.w(s);
                    self.clause();
                }
            }
            3 => {
                self.clause();
                self.out.push(',');
                let c = self.rng.pick(COORD);
                self.w(c);
                self.clause();
            }
            4 => {
                self.opener(8);
                let num = self.subject(None);
                let m = self.m;
                let v = &m.that_verbs[m.that_verbs_z.sample(&mut self.rng)];
                match self.rng.below(5) {
                    0 => self.cw(v.past),
                    1 => {
                        let md = self.rng.pick(&[
                            "may",
                            "might",
                            "will",
                            "often",
                            "sometimes",
                            "usually",
                        ]);
                        self.w(md);
                        let form = match md {
                            "often" | "sometimes" | "usually" if num == Num::Sg => v.third,
                            _ => v.base,
                        };
                        self.cw(form);
                    }
                    _ => self.cw(if num == Num::Sg { v.third } else { v.base }),
                }
                if self.rng.percent(70) {
                    self.w("that");
                }
                self.clause();
            }
            5 => {
                let lead = self.rng.pick(&[
                    "it is",
                    "it's",
                    "it can be",
                    "it may be",
                    "it is often",
                    "it is not always",
                    "it was",
                ]);
                self.wa(lead);
                let a = self.adj();
                self.cw(a);
                self.w("to");
                let v = self.verb();
                self.cw(v.base);
                if !v.intransitive && self.rng.percent(70) {
                    self.object();
                }
                if self.rng.percent(40) {
                    self.pp();
                }
            }
            6 => {
                self.w("there");
                let plural = self.rng.percent(45);
                let verb = if plural {
                    self.rng
                        .pick(&["are", "are", "are often", "were", "can be"])
                } else {
                    self.rng.pick(&["is", "is", "is often", "was", "can be"])
                };
                self.w(verb);
                self.np(Some(if plural { Num::Pl } else { Num::Sg }), 0);
                if self.rng.percent(60) {
                    self.pp();
                }
            }
            7 => {
                self.gerund_full();
                if self.rng.percent(75) {
                    self.vp(Num::Sg);
                } else {
                    self.copula(Num::Sg);
                }
            }
            _ => {
                let s = self
                    .rng
                    .pick(&["if", "when", "whenever", "once", "before", "as soon as"]);
                self.w(s);
                self.clause();
                self.out.push(',');
                self.imperative();
            }
        }
    }

    fn question(&mut self) {
        let num = match self.rng.below(100) {
            0..=14 => Num::I,
            15..=44 => Num::Sg,
            _ => Num::Pl,
        };
        let aux_do = |num: Num| if num == Num::Sg { "does" } else { "do" };
        match self.rng.below(8) {
            0 => {
                let wh = self
                    .rng
                    .pick(&["how", "how", "what", "why", "when", "where"]);
                self.w(wh);
                let aux = if self.rng.percent(50) {
                    aux_do(num)
                } else {
                    self.rng.pick(MODALS)
                };
                self.w(aux);
                self.subject(Some(num));
                let v = self.verb();
                self.cw(v.base);
                // "what" is the object already.
                self.complement(v.intransitive || wh == "what");
            }
            1 => {
                self.w("is it");
                let a = self.adj();
                self.cw(a);
                self.w("to");
                let v = self.verb();
                self.cw(v.base);
                self.complement(v.intransitive);
            }
            2 => {
                let aux = if self.rng.percent(60) {
                    aux_do(num)
                } else {
                    self.rng.pick(MODALS)
                };
                self.w(aux);
                self.subject(Some(num));
                let v = self.verb();
                self.cw(v.base);
                self.complement(v.intransitive);
            }
            3 => {
                self.w("why");
                let num = if num == Num::I { Num::Pl } else { num };
                self.w(be(num, false));
                self.subject(Some(num));
                if self.rng.percent(40) {
                    let i = self
                        .rng
                        .pick(&["so", "still", "often", "suddenly", "less", "more"]);
                    self.w(i);
                }
                let a = self.adj();
                self.cw(a);
            }
            4 => {
                self.w("what happens when");
                self.clause();
            }
            5 => {
                self.w("have you ever");
                let v = self.verb();
                self.cw(v.participle);
                self.complement(v.intransitive);
            }
            6 => {
                let num = if num == Num::I { Num::Sg } else { num };
                self.w(be(num, false));
                self.subject(Some(num));
                let a = self.adj();
                self.cw(a);
                if self.rng.percent(50) {
                    self.pp();
                }
            }
            _ => {
                self.w("what if");
                self.clause();
            }
        }
    }

    fn exclamation(&mut self) {
        match self.rng.below(3) {
            0 => self.imperative(),
            1 => {
                let lead = self
                    .rng
                    .pick(&["that is", "this is", "that's", "it's", "it is"]);
                self.wa(lead);
                if self.rng.percent(60) {
                    let i = self.rng.pick(&[
                        "completely",
                        "perfectly",
                        "so",
                        "really",
                        "entirely",
                        "absolutely",
                    ]);
                    self.w(i);
                }
                let a = self.adj();
                self.cw(a);
            }
            _ => {
                self.w("you");
                let v = self.rng.pick(&[
                    "deserve",
                    "can ask for",
                    "are allowed to ask for",
                    "have a right to",
                ]);
                self.w(v);
                self.object();
            }
        }
    }

    /// One sentence, capitalised, with its final `.`, `?` or `!`.
    fn sentence(&mut self) {
        let start = self.out.len();
        self.space = false;
        let end = match self.rng.below(100) {
            0..=25 => {
                self.statement(0);
                '.'
            }
            26..=35 => {
                self.statement(1);
                '.'
            }
            36..=45 => {
                self.statement(2);
                '.'
            }
            46..=53 => {
                self.statement(3);
                '.'
            }
            54..=61 => {
                self.statement(4);
                '.'
            }
            62..=67 => {
                self.statement(5);
                '.'
            }
            68..=73 => {
                self.imperative();
                '.'
            }
            74..=77 => {
                self.statement(6);
                '.'
            }
            78..=81 => {
                self.statement(7);
                '.'
            }
            82..=85 => {
                self.statement(8);
                '.'
            }
            86..=96 => {
                self.question();
                '?'
            }
            _ => {
                self.exclamation();
                '!'
            }
        };
        self.capitalize(start);
        self.out.push(end);
        self.space = true;
    }

    /// A paragraph of `sentences` sentences and the blank line after it; returns its
    /// word count.
    fn paragraph(&mut self, sentences: usize) -> usize {
        let start = self.out.len();
        for i in 0..sentences {
            if i > 0 {
                self.out.push(' ');
            }
            self.sentence();
        }
        let words = self.words_since(start);
        self.out.push_str("\n\n");
        words
    }

    /// A bullet or numbered list of 3 to 6 items; returns its word count.
    fn list(&mut self) -> usize {
        let start = self.out.len();
        let numbered = self.rng.percent(30);
        let items = self.rng.range(3, 6);
        for k in 1..=items {
            if numbered {
                self.out.push(char::from(b'0' + k as u8));
                self.out.push_str(". ");
            } else {
                self.out.push_str("- ");
            }
            let item = self.out.len();
            self.space = false;
            if numbered {
                self.imperative_with(true);
                self.out.push('.');
            } else {
                match self.rng.below(100) {
                    0..=39 => {
                        self.np(None, 0);
                        if self.rng.percent(40) {
                            self.pp();
                        }
                    }
                    40..=74 => {
                        self.imperative_with(true);
                        self.out.push('.');
                    }
                    _ => self.gerund_full(),
                }
            }
            self.capitalize(item);
            self.out.push('\n');
        }
        self.out.push('\n');
        self.words_since(start)
    }

    /// How many sentences the next paragraph gets, given the words still wanted.
    fn sentences_for(&mut self, remaining: usize) -> usize {
        let k = self.rng.range(2, 7);
        if remaining < k * 13 {
            (remaining / 13 + 1).clamp(2, 7)
        } else {
            k
        }
    }

    // ----- headings, titles, summary ----------------------------------------------

    /// A noun for a heading: plural for count nouns, mostly.
    fn heading_noun(&mut self) -> &'static str {
        let n = &self.m.nouns[self.noun_idx(false)];
        if !n.mass && self.rng.percent(60) {
            n.pl
        } else {
            n.sg
        }
    }

    fn heading_text(&mut self) {
        match self.rng.below(34) {
            0 => self.w("why it happens"),
            1 => self.w("what you can do"),
            2 => self.w("when to seek help"),
            3 => self.w("talking with your partner"),
            4 => self.w("practical steps"),
            5 => self.w("where to start"),
            6 => self.w("common questions"),
            7 => self.w("what the research says"),
            8 => self.w("small changes that help"),
            9 => self.w("signs to watch for"),
            10 => self.w("getting support"),
            11 => self.w("the bottom line"),
            12 => self.w("myths and facts"),
            13 => self.w("after the conversation"),
            14 => {
                self.w("a note on");
                let n = self.heading_noun();
                self.w(n);
            }
            15 => {
                self.w("the role of");
                let n = self.heading_noun();
                self.w(n);
            }
            16 => {
                let a = self.heading_noun();
                let b = self.heading_noun();
                self.w(a);
                self.w("and");
                self.w(b);
            }
            17 => {
                self.w("how");
                self.w(self.topic_phrase());
                self.w(if self.topic_num() == Num::Pl {
                    "affect"
                } else {
                    "affects"
                });
                let n = self.heading_noun();
                self.w(n);
            }
            18 => {
                self.w("understanding your");
                let n = self.m.nouns[self.noun_idx(false)].sg;
                self.w(n);
            }
            19 => {
                self.w("if you feel");
                let a = self.adj();
                self.w(a);
            }
            20 => {
                self.w("making room for");
                let n = self.heading_noun();
                self.w(n);
            }
            21 => {
                self.w("what");
                let g = self.rng.pick(words::GROUPS);
                self.w(g);
                self.w("say about");
                let n = self.heading_noun();
                self.w(n);
            }
            22 => {
                self.w("beyond");
                self.w(self.topic_phrase());
            }
            23 => {
                self.w("finding");
                let a = self.adj();
                self.w(a);
                self.w("ways to");
                let v = self.verb();
                self.w(v.base);
            }
            24 => {
                self.w("working through");
                let n = self.heading_noun();
                self.w(n);
            }
            25 => {
                let v = self.verb();
                self.w(v.ing);
                self.w("about");
                let n = self.heading_noun();
                self.w(n);
            }
            26 => {
                self.w("before you");
                let v = self.verb();
                self.w(v.base);
            }
            27 => {
                self.w(self.topic_phrase());
                self.w("and your");
                let n = self.m.nouns[self.noun_idx(false)].sg;
                self.w(n);
            }
            28 => {
                self.w("when");
                let n = &self.m.nouns[self.noun_idx(false)];
                self.w(n.sg);
                self.w("feels");
                let a = self.adj();
                self.w(a);
            }
            29 => {
                self.w("questions to ask about");
                let n = self.heading_noun();
                self.w(n);
            }
            30 => {
                self.w("why");
                let n = &self.m.nouns[self.noun_idx(false)];
                self.w(n.sg);
                self.w("matters");
            }
            31 => {
                let a = self.adj();
                let n = self.heading_noun();
                self.w(a);
                self.w(n);
            }
            32 => {
                let a = self.adj();
                self.w(indefinite_article(a));
                self.w(a);
                self.w("approach to");
                let n = self.heading_noun();
                self.w(n);
            }
            _ => {
                self.w("what to say when");
                let s = self.rng.pick(words::SITUATIONS);
                self.wa(s);
            }
        }
    }

    /// Writes text with `f` into the buffer, takes it out again and title-cases it.
    fn take_phrase(&mut self, f: impl FnOnce(&mut Self)) -> String {
        let start = self.out.len();
        self.space = false;
        let markup = std::mem::replace(&mut self.markup, false);
        f(self);
        self.markup = markup;
        let text = title_case(&self.out[start..]);
        self.out.truncate(start);
        text
    }

    fn context_for_topic(&mut self) -> &'static str {
        let topic = self.topic_phrase();
        let mut c = self.rng.pick(words::CONTEXTS);
        for _ in 0..6 {
            let clash = c
                .split(' ')
                .any(|w| w.len() > 3 && topic.split(' ').any(|t| t == w))
                || c.split(' ').next() == topic.split(' ').nth(1);
            if !clash {
                break;
            }
            c = self.rng.pick(words::CONTEXTS);
        }
        c
    }

    fn transitive_verb(&mut self) -> &'static Verb {
        let mut v = self.verb();
        for _ in 0..10 {
            if !v.intransitive {
                break;
            }
            v = self.verb();
        }
        v
    }

    /// Title templates with open word slots, for variety across large corpora.
    fn title_with_words(&mut self) {
        let topic = self.topic_phrase();
        match self.rng.below(10) {
            0 => {
                self.w(topic);
                self.w("and");
                let n = self.heading_noun();
                self.w(n);
            }
            1 => {
                self.w(topic);
                self.out.push(',');
                let a = self.heading_noun();
                let b = self.heading_noun();
                self.w(a);
                self.w("and");
                self.w(b);
            }
            2 => {
                let n = self.rng.range(3, 12);
                self.w(["3", "4", "5", "6", "7", "8", "9", "10", "11", "12"][n - 3]);
                self.w("ways to");
                let v = self.transitive_verb();
                self.w(v.base);
                if self.rng.percent(50) {
                    self.w("your");
                    let n = self.heading_noun();
                    self.w(n);
                } else {
                    self.w(topic);
                }
            }
            3 => {
                self.w("what");
                self.w(topic);
                self.w("taught me about");
                let n = self.heading_noun();
                self.w(n);
            }
            4 => {
                let a = self.adj();
                let n = self.m.nouns[self.noun_idx(true)].pl;
                self.w(a);
                self.w(n);
                self.out.push(':');
                self.w("rethinking");
                self.w(topic);
            }
            5 => {
                self.w("how");
                let n = &self.m.nouns[self.noun_idx(false)];
                if n.mass || self.rng.percent(50) {
                    self.w(n.sg);
                    self.w("shapes");
                } else {
                    self.w(n.pl);
                    self.w("shape");
                }
                self.w(topic);
            }
            6 => {
                let v = self.transitive_verb();
                self.w(v.ing);
                self.w(topic);
                let c = self.context_for_topic();
                self.w(c);
            }
            7 => {
                self.w("the role of");
                let n = self.heading_noun();
                self.w(n);
                self.w("in");
                self.w(topic);
            }
            8 => {
                let a = self.adj();
                self.w(indefinite_article(a));
                self.w(a);
                self.w("look at");
                self.w(topic);
            }
            _ => {
                self.w(topic);
                let c = self.context_for_topic();
                self.w(c);
                self.out.push(':');
                self.w("what");
                let g = self.rng.pick(words::GROUPS);
                self.w(g);
                self.w("say");
            }
        }
    }

    fn title_once(&mut self) {
        if self.rng.percent(40) {
            self.title_with_words();
            return;
        }
        let topic = self.topic_phrase();
        let plural = self.topic_num() == Num::Pl;
        match self.rng.below(100) {
            0..=17 => {
                self.w(topic);
                let c = self.context_for_topic();
                self.w(c);
            }
            18..=24 => {
                self.w("how to talk about");
                self.w(topic);
                self.w("with");
                let p = self.rng.pick(words::PEOPLE);
                self.w(p);
            }
            25..=30 => {
                self.w(topic);
                let c = self.context_for_topic();
                self.w(c);
                self.out.push(':');
                self.w("what helps");
            }
            31..=34 => {
                self.w(topic);
                self.out.push(':');
                let tail =
                    self.rng
                        .pick(&["what helps", "what to know", "the basics", "a gentle guide"]);
                self.w(tail);
            }
            35..=40 => {
                self.w("what to do when");
                let s = self.rng.pick(words::SITUATIONS);
                self.wa(s);
            }
            41..=45 => {
                self.w("understanding");
                self.w(topic);
                if self.rng.percent(50) {
                    let c = self.context_for_topic();
                    self.w(c);
                }
            }
            46..=50 => {
                let n = self.rng.range(3, 12);
                self.w(["3", "4", "5", "6", "7", "8", "9", "10", "11", "12"][n - 3]);
                self.w("myths about");
                self.w(topic);
            }
            51..=55 => {
                self.w("a guide to");
                self.w(topic);
                self.w("for");
                let g = self.rng.pick(words::GROUPS);
                self.w(g);
            }
            56..=59 => {
                self.w(topic);
                self.out.push(':');
                self.w("a guide for");
                let g = self.rng.pick(words::GROUPS);
                self.w(g);
            }
            60..=63 => {
                self.w("why");
                self.w(topic);
                self.w(if plural { "are" } else { "is" });
                self.w("more common than you think");
            }
            64..=67 => {
                self.w(if plural { "are" } else { "is" });
                self.w(topic);
                self.w("normal?");
            }
            68..=71 => {
                self.w("when");
                let s = self.rng.pick(words::SITUATIONS);
                self.wa(s);
            }
            72..=75 => {
                self.w(topic);
                self.w("and");
                let other = self.rng.pick(words::TOPICS).0;
                self.w(if other == topic { "trust" } else { other });
            }
            76..=79 => {
                self.w("questions to ask");
                let p = self.rng.pick(words::PEOPLE);
                self.w(p);
                self.w("about");
                self.w(topic);
            }
            80..=83 => {
                self.w("what nobody tells you about");
                self.w(topic);
            }
            84..=87 => {
                self.w(topic);
                self.w("for");
                let g = self.rng.pick(words::GROUPS);
                self.w(g);
            }
            88..=90 => {
                self.w("talking to");
                let p = self.rng.pick(words::PEOPLE);
                self.w(p);
                self.w("about");
                self.w(topic);
            }
            91..=93 => {
                self.w("how");
                let g = self.rng.pick(words::GROUPS);
                self.w(g);
                self.w("can navigate");
                self.w(topic);
            }
            94..=97 => {
                self.w(topic);
                let c = self.context_for_topic();
                self.w(c);
                self.out.push(':');
                self.w("a practical guide");
            }
            _ => {
                // A quoted phrase, so the front matter needs its escapes.
                let q = self.rng.pick(words::QUOTED);
                match self.rng.below(3) {
                    0 => {
                        self.w("why");
                        self.quoted(q);
                        self.w("is not the answer to");
                        self.w(topic);
                    }
                    1 => {
                        self.w("beyond");
                        self.quoted(q);
                        self.out.push(':');
                        self.w(topic);
                    }
                    _ => {
                        self.w("what");
                        self.quoted(q);
                        self.w("means for");
                        self.w(topic);
                    }
                }
            }
        }
    }

    fn quoted(&mut self, q: &str) {
        if self.space {
            self.out.push(' ');
        }
        self.out.push('"');
        self.out.push_str(q);
        self.out.push('"');
        self.space = true;
    }

    /// The title: 3 to 12 words, title case.
    pub(crate) fn title(&mut self) -> String {
        for _ in 0..30 {
            let t = self.take_phrase(|w| w.title_once());
            let awkward = t.to_lowercase().contains("about talking");
            if !awkward && (3..=12).contains(&t.split_whitespace().count()) {
                return if self.curly {
                    t.replace('\'', "\u{2019}")
                } else {
                    t
                };
            }
        }
        title_case(&format!("{} in brief", self.topic_phrase()))
    }

    /// 1 to 4 distinct tags, the topic's own first.
    pub(crate) fn tags(&mut self) -> Vec<&'static str> {
        let k = match self.rng.below(100) {
            0..=27 => 1,
            28..=63 => 2,
            64..=86 => 3,
            _ => 4,
        };
        let mut tags = Vec::with_capacity(k);
        tags.push(words::TOPICS[self.topic].1);
        for _ in 0..64 {
            if tags.len() == k {
                break;
            }
            let t = words::TAGS[self.m.tags_z.sample(&mut self.rng)];
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }

    /// A publication date for about 80% of articles, 2015-01-01 to 2026-06-30.
    pub(crate) fn date(&mut self) -> Option<String> {
        if !self.rng.percent(80) {
            return None;
        }
        let first = days_from_civil(2015, 1, 1);
        let last = days_from_civil(2026, 6, 30);
        let day = first + self.rng.below((last - first + 1) as usize) as i64;
        let (y, m, d) = civil_from_days(day);
        Some(format!("{y:04}-{m:02}-{d:02}"))
    }

    /// One plain sentence of 8 to 25 words, often about the topic.
    pub(crate) fn summary(&mut self) -> String {
        let markup = std::mem::replace(&mut self.markup, false);
        let mut text = String::new();
        for attempt in 0..40 {
            let start = self.out.len();
            self.space = false;
            if self.rng.percent(60) {
                // Lead with the topic itself.
                let topic = self.topic_phrase();
                let num = self.topic_num();
                self.w(topic);
                if self.rng.percent(40) {
                    self.copula(num)
                } else {
                    self.vp(num)
                }
                if self.rng.percent(50) {
                    self.out.push(',');
                    let c = self.rng.pick(&["and", "but", "so"]);
                    self.w(c);
                    self.clause();
                }
            } else {
                let kind = self.rng.pick(&[0, 1, 2, 3, 4, 5, 7]);
                self.statement(kind);
            }
            self.capitalize(start);
            self.out.push('.');
            let n = self.words_since(start);
            if (8..=25).contains(&n) || attempt == 39 {
                text = self.out[start..].to_string();
                self.out.truncate(start);
                break;
            }
            self.out.truncate(start);
        }
        if text.split_whitespace().count() > 25 {
            // Practically unreachable; keep the promise anyway.
            let cut: Vec<&str> = text.split_whitespace().take(25).collect();
            text = cut.join(" ");
            text = text
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            text.push('.');
        } else if text.split_whitespace().count() < 8 {
            text.pop();
            text.push_str(", and it is more common than many people think.");
        }
        self.markup = markup;
        if self.curly {
            text.replace('\'', "\u{2019}")
        } else {
            text
        }
    }

    /// Appends the body to `out`: an introduction, then 3 to 8 `##` sections of 1 to 5
    /// paragraphs, sometimes with a list. `title` is never repeated as a heading.
    pub(crate) fn body(&mut self, title: &str) {
        self.markup = true;
        let target = self.target_words();
        let sections = ((target + 80) / 170 + self.rng.below(3))
            .saturating_sub(1)
            .clamp(3, 8);
        let mut written = 0;
        let intro = if self.rng.percent(25) { 2 } else { 1 };
        for _ in 0..intro {
            let k = self.rng.range(2, 5);
            written += self.paragraph(k);
        }
        let per_section = target.saturating_sub(written) / sections;
        let mut headings: Vec<String> = Vec::with_capacity(sections);
        for _ in 0..sections {
            let mut heading = self.take_phrase(|w| w.heading_text());
            for _ in 0..20 {
                if heading != title && !headings.contains(&heading) {
                    break;
                }
                heading = self.take_phrase(|w| w.heading_text());
            }
            if self.curly {
                heading = heading.replace('\'', "\u{2019}");
            }
            self.out.push_str("## ");
            self.out.push_str(&heading);
            self.out.push_str("\n\n");
            let mut section_words = heading.split_whitespace().count();
            headings.push(heading);
            let mut has_list = false;
            for p in 0..5 {
                let remaining = per_section.saturating_sub(section_words);
                if p > 0 && remaining < 8 {
                    break;
                }
                let k = self.sentences_for(remaining);
                section_words += self.paragraph(k);
                if !has_list && self.rng.percent(14) {
                    has_list = true;
                    section_words += self.list();
                }
            }
            written += section_words;
        }
        let _ = written;
        while self.out.ends_with('\n') {
            self.out.pop();
        }
        self.markup = false;
    }

    /// Words wanted in the body: a bell around 550 plus a heavy (Pareto, alpha 2)
    /// tail, kept within 200..=2000 (the structure adds a little on top).
    fn target_words(&mut self) -> usize {
        let bell = self.rng.unit() + self.rng.unit();
        let u = self.rng.unit();
        let tail = 1.0 / (1.0 - u).sqrt() - 1.0;
        let t = 300.0 + 280.0 * bell + 150.0 * tail;
        t.clamp(200.0, 2000.0) as usize
    }
}

fn be(num: Num, past: bool) -> &'static str {
    match (num, past) {
        (Num::I, false) => "am",
        (Num::Sg, false) => "is",
        (Num::Pl, false) => "are",
        (Num::Pl, true) => "were",
        _ => "was",
    }
}

/// "a" or "an" before `word`, by its sound as well as a short spelling rule can tell.
pub(crate) fn indefinite_article(word: &str) -> &'static str {
    let lower_start: String = word.chars().take(4).flat_map(char::to_lowercase).collect();
    if ["hon", "hour", "heir"]
        .iter()
        .any(|p| lower_start.starts_with(p))
    {
        return "an";
    }
    if ["uni", "use", "usu", "ure", "uro", "eu", "one", "once"]
        .iter()
        .any(|p| lower_start.starts_with(p))
    {
        return "a";
    }
    let first = word.chars().next().unwrap_or('x');
    let acronym = word.len() > 1
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if acronym && "FHLMNRSX".contains(first) {
        return "an";
    }
    if "aeiouAEIOU".contains(first) {
        "an"
    } else {
        "a"
    }
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "on", "to", "up", "via",
];

/// Title case: every word capitalised (each part of a hyphenated word too) except
/// short function words, which stay lowercase unless first, last or after a colon.
/// Letters already uppercase (STI, GP) are kept.
pub(crate) fn title_case(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = String::with_capacity(s.len());
    let mut after_colon = true;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let small = SMALL_WORDS.contains(&core) && !after_colon && i + 1 < words.len();
        if small {
            out.push_str(w);
        } else {
            let mut cap_next = true;
            for c in w.chars() {
                if cap_next && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    cap_next = false;
                } else {
                    out.push(c);
                    if c == '-' {
                        cap_next = true;
                    }
                }
            }
        }
        after_colon = w.ends_with(':');
    }
    out
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number from [`days_from_civil`].
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_rules() {
        assert_eq!(
            title_case("desire discrepancy in long-term relationships"),
            "Desire Discrepancy in Long-Term Relationships"
        );
        assert_eq!(
            title_case("how to talk about boundaries with a new partner"),
            "How to Talk About Boundaries With a New Partner"
        );
        assert_eq!(
            title_case("painful sex after childbirth: what helps"),
            "Painful Sex After Childbirth: What Helps"
        );
        assert_eq!(
            title_case("STI testing: a guide for couples"),
            "STI Testing: A Guide for Couples"
        );
        assert_eq!(title_case("signs to watch for"), "Signs to Watch For");
        assert_eq!(
            title_case("why \"just relax\" is not the answer"),
            "Why \"Just Relax\" Is Not the Answer"
        );
    }

    #[test]
    fn articles_a_an() {
        assert_eq!(indefinite_article("partner"), "a");
        assert_eq!(indefinite_article("orgasm"), "an");
        assert_eq!(indefinite_article("honest"), "an");
        assert_eq!(indefinite_article("useful"), "a");
        assert_eq!(indefinite_article("STI"), "an");
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for day in days_from_civil(2015, 1, 1)..=days_from_civil(2026, 6, 30) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), day);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }
}
