//! The guard's word lists, in bokmål, nynorsk and English, and how a word matches them.
//!
//! A pattern is one or more words separated by spaces (a phrase must stay inside one sentence).
//! Each word is written as:
//! - `word`    the word itself;
//! - `stem*`   the stem with a common inflection ending (`mobbet`, `allergien`, `threats`);
//! - `stem**`  the stem followed by anything (`psykologtime`, `diagnostisert`);
//! - `~stem*`  also at the end of a compound (`nøtteallergi`, `nettmobbing`);
//! - `=WORD`   the word exactly as written, capitals included (`ADD`, not the English verb).

use super::text::Token;
use std::sync::LazyLock;

/// What a term of the guard's lists stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Health,
    Bullying,
    /// Negative talk: sensitive only about another child (see `names`).
    Negative,
}

/// A term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// Diagnoses, conditions, medication and health services.
const HEALTH: &[&str] = &[
    // Diagnoses and conditions
    "adhd**",
    "=ADD",
    "autisme*",
    "autist*",
    "autistisk*",
    "autism*",
    "autistic",
    "asperger*",
    "epilepsi*",
    "epileptisk*",
    "epilepsy",
    "epileptic",
    "~diabetes",
    "diabetiker*",
    "diabetic",
    "sukkersyk**",
    "~astma*",
    "astmatiker*",
    "asthma*",
    "asthmatic",
    "~allergi*",
    "allergisk*",
    "allergy",
    "allergies",
    "allergic",
    "depresjon*",
    "deprimert*",
    "depression*",
    "depressed",
    "angst**",
    "anxiety",
    "panikkanfall*",
    "panic attack*",
    "dysleksi*",
    "dyslektisk*",
    "dyslektikar*",
    "dyslex**",
    "dyskalkuli*",
    "dyscalculia",
    "tourette*",
    "cøliaki*",
    "coeliac",
    "celiac",
    "laktoseintoleran**",
    "intoleranse*",
    "spiseforstyrr**",
    "eating disorder*",
    "anoreksi*",
    "anorexi**",
    "bulimi**",
    "selvskad**",
    "sjølvskad**",
    "self harm*",
    "selvmord**",
    "sjølvmord**",
    "suicid**",
    "kreft",
    "kreften",
    "kreftsyk**",
    "cancer",
    "leukemi*",
    "sykdom*",
    "sjukdom*",
    "illness*",
    "syndrom*",
    "syndrome*",
    "ocd",
    "ptsd",
    "psykisk*",
    "mental health",
    "mental illness",
    "cerebral parese",
    "cerebral palsy",
    "hørselshemm**",
    "synshemm**",
    "funksjonsnedsett**",
    "funksjonshemm**",
    "disability",
    "disabilities",
    "utviklingshemm**",
    "anfall*",
    "seizure*",
    "diagnose*",
    "~diagnose*",
    "diagnos**",
    // Medication
    "medisin*",
    "~medisin*",
    "medisinering*",
    "medication*",
    "medicine*",
    "medikament*",
    "ritalin",
    "concerta",
    "equasym",
    "melatonin",
    "insulin**",
    "inhalator*",
    "inhaler*",
    "epipen*",
    "adrenalinpenn*",
    "antidepressiv**",
    "antibiotika*",
    "antibiotics",
    // Health services
    "bup",
    "ppt",
    "pp tjenesten",
    "pp tenesta",
    "camhs",
    "psykolog**",
    "psychologist*",
    "psykiat**",
    "psychiatr**",
    "terapeut*",
    "terapi*",
    "therapy",
    "therapist*",
    "fysioterapeut*",
    "ergoterapeut*",
    "logoped*",
    "speech therapist*",
    "helsesykepleier*",
    "helsesøster*",
    "helsestasjon*",
    "sykehus**",
    "sjukehus**",
    "hospital*",
    "legevakt*",
    "utredning*",
    "utgreiing*",
    "spesialundervisning*",
    "habilitering*",
];

/// Bullying, exclusion, threats and violence.
const BULLYING: &[&str] = &[
    "mobb**",
    "~mobbing*",
    "~mobbet",
    "bully*",
    "bullied",
    "bullies",
    "bullying",
    "cyberbullying",
    "utesteng**",
    "utestengd*",
    "utfrys**",
    "frøs ut",
    "fryser ut",
    "fryst ut",
    "frøys ut",
    "frys ut",
    "hold* utenfor",
    "hald* utanfor",
    "held* utanfor",
    "halden utanfor",
    "left out",
    "leaves him out",
    "leave her out",
    "excluded",
    "exclusion",
    "trussel*",
    "trusler*",
    "truet",
    "truer",
    "truende",
    "truga",
    "trugar",
    "trusla*",
    "trugsmål*",
    "threat*",
    "threaten**",
    "vold",
    "volden",
    "voldelig*",
    "vald",
    "valden",
    "valdeleg*",
    "violence",
    "violent*",
    "slo ham",
    "slo henne",
    "slo han",
    "slo ho",
    "slo meg",
    "slo til",
    "slår ham",
    "slår henne",
    "slår han",
    "slår ho",
    "slår meg",
    "sparket ham",
    "sparket henne",
    "sparket han",
    "sparka han",
    "sparka ho",
    "sparka meg",
    "sparket meg",
    "dyttet ham",
    "dyttet henne",
    "dyttet han",
    "dytta han",
    "dytta ho",
    "dyttet meg",
    "hit him",
    "hit her",
    "hit me",
    "hits him",
    "hits her",
    "kicked him",
    "kicked her",
    "kicked me",
    "punch**",
    "pushed him",
    "pushed her",
    "beat up",
    "beaten up",
    "beat him",
    "banket opp",
    "banka opp",
    "juling*",
    "slåss*",
    "sloss",
    "slost",
    "slåsskamp*",
    "fight",
    "fights",
    "fighting",
    "fought",
    "konflikt*",
    "conflict*",
    "krangel*",
    "krangl**",
    "trakasser**",
    "harass**",
    "plaget",
    "plager",
    "plaga",
    "plagar",
    "plaging",
    "ertet",
    "erting*",
    "erta",
    "ertes",
    "teased",
    "teasing",
    "tease",
    "hets*",
    "hetset",
    "krenk**",
    "rasis**",
    "racis**",
    "kalte ham",
    "kalte henne",
    "kalte han",
    "kalla han",
    "kalla ho",
    "called him names",
    "called her names",
    "name calling",
    "stygge ord",
    "stygge navn",
    "stygge namn",
    "utsatt for",
    "overgrep*",
    "abuse*",
    "abused",
    "skremt",
    "skremd",
    "intimidat**",
];

/// Negative talk that makes a mention of another child sensitive.
const NEGATIVE: &[&str] = &[
    "slem*",
    "slemt",
    "ekkel",
    "ekle",
    "ekkelt",
    "frekk*",
    "dum",
    "dumme",
    "dumt",
    "teit*",
    "idiot*",
    "stygg*",
    "stygt",
    "lyver",
    "lyg",
    "lyget",
    "løy",
    "ljug",
    "lying",
    "liar",
    "lies",
    "skyld",
    "skuld",
    "fault",
    "blame*",
    "problem*",
    "problematisk*",
    "bråk**",
    "urolig*",
    "uroleg*",
    "dårlig*",
    "dårleg*",
    "bad",
    "worse",
    "worst",
    "ødelegg**",
    "ødela",
    "øydela**",
    "øydelegg**",
    "stjal",
    "stjeler",
    "stel",
    "stole",
    "steals",
    "stealing",
    "aggressiv*",
    "aggressive",
    "sint",
    "sinna",
    "angry",
    "irriter**",
    "annoying",
    "annoyed",
    "plag**",
    "erter",
    "redd for",
    "redd henne",
    "red for",
    "afraid of",
    "scared of",
    "mean",
    "nasty",
    "rude",
    "stupid",
    "horrible",
    "awful",
    "naughty",
    "troublemaker*",
    "villstyring*",
    "uhøflig*",
    "uhøfleg*",
    "vil ikke leke",
    "ville ikke leke",
    "vil ikkje leike",
    "ville ikkje leike",
    "ikke lov",
    "not allowed",
    "unkind",
    "kjip*",
    "lei seg",
    "gråt",
    "gråter",
    "gret",
    "cried",
    "crying",
    "skadet",
    "skada",
    "injured",
    "hurt",
    "hurts",
    "spiteful",
    "grusom*",
    "ufin*",
    "vondt",
    "beit",
    "biter",
    "biting",
];

/// Endings a `stem*` may take: Norwegian and English inflection.
const ENDINGS: &[&str] = &[
    "", "e", "a", "s", "t", "n", "r", "en", "et", "er", "ar", "ne", "te", "de", "es", "ed", "ly",
    "ic", "ing", "ings", "inga", "ingen", "ende", "ane", "ene", "ers", "ens", "ets", "ede", "ert",
    "erte", "ere", "isk", "iske", "ies", "y", "al", "ast", "est", "ten", "tar", "ter", "sk", "ske",
    "anes", "enes", "'s", "’s",
];

#[derive(Debug)]
enum Word {
    Exact(String),
    CaseSensitive(String),
    Stem { stem: String, compound: bool },
    Prefix(String),
}

impl Word {
    fn parse(raw: &str) -> Word {
        if let Some(w) = raw.strip_prefix('=') {
            return Word::CaseSensitive(w.to_owned());
        }
        let (compound, raw) = match raw.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        if let Some(stem) = raw.strip_suffix("**") {
            Word::Prefix(stem.to_owned())
        } else if let Some(stem) = raw.strip_suffix('*') {
            Word::Stem { stem: stem.to_owned(), compound }
        } else if compound {
            Word::Stem { stem: raw.to_owned(), compound }
        } else {
            Word::Exact(raw.to_owned())
        }
    }

    fn matches(&self, token: &Token, original: &str) -> bool {
        let lower = token.lower.as_str();
        match self {
            Word::Exact(w) => lower == w || strip_possessive(lower) == Some(w),
            Word::CaseSensitive(w) => original == w,
            Word::Prefix(stem) => lower.starts_with(stem.as_str()),
            Word::Stem { stem, compound } => {
                let ending_ok = |rest: &str| ENDINGS.contains(&rest);
                if let Some(rest) = lower.strip_prefix(stem.as_str())
                    && ending_ok(rest)
                {
                    return true;
                }
                // A compound: the stem after a first part of at least three letters.
                *compound
                    && lower
                        .char_indices()
                        .skip(3)
                        .filter(|(i, _)| lower[*i..].starts_with(stem.as_str()))
                        .any(|(i, _)| ending_ok(&lower[i + stem.len()..]))
            }
        }
    }
}

fn strip_possessive(word: &str) -> Option<&str> {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"))
}

struct Pattern {
    kind: Kind,
    words: Vec<Word>,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let lists = [(Kind::Health, HEALTH), (Kind::Bullying, BULLYING), (Kind::Negative, NEGATIVE)];
    lists
        .into_iter()
        .flat_map(|(kind, list)| {
            list.iter()
                .map(move |raw| Pattern { kind, words: raw.split(' ').map(Word::parse).collect() })
        })
        .collect()
});

/// Every place a pattern matches, by kind.
pub fn find(chars: &[char], tokens: &[Token]) -> Vec<Hit> {
    let originals: Vec<String> =
        tokens.iter().map(|t| chars[t.start..t.end].iter().collect()).collect();
    let mut hits = Vec::new();
    for (i, first) in tokens.iter().enumerate() {
        for pattern in PATTERNS.iter() {
            let n = pattern.words.len();
            let Some(window) = tokens.get(i..i + n) else {
                continue;
            };
            let matched = window.iter().all(|t| t.sentence == first.sentence)
                && pattern
                    .words
                    .iter()
                    .zip(window)
                    .zip(&originals[i..i + n])
                    .all(|((word, token), original)| word.matches(token, original));
            if matched {
                hits.push(Hit {
                    kind: pattern.kind,
                    start: first.start,
                    end: window[n - 1].end,
                    sentence: first.sentence,
                });
            }
        }
    }
    hits.dedup();
    hits
}
