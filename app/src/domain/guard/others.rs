//! Other people: a named or described child or adult as the doer of a harmful act ("Mathias
//! slo ham", "it was one of the boys"), described negatively ("Sara er så frekk", not "Sara er
//! ikke slem"), or another family's private circumstances ("foreldrene til Emil skal skilles",
//! not "vi er skilt, så Jonas bor hos meg annenhver uke").

use super::context::Context;
use super::harm::Act;
use super::lexicon::*;
use super::{Category, Finding, Reason};
use std::ops::Range;

pub fn find(context: &Context, acts: &[Act], health: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    // A visit or a job frames the police and prisons of the whole text: "Class trip to the
    // police station. They get to sit in a police car and see the cells."
    let visited = context.hits.iter().filter(|h| h.tags & POLICE != 0).any(|h| {
        let near = h.first.saturating_sub(4)..(h.end + 4).min(context.tokens.len());
        near.clone().any(|j| {
            context.has(j, VISIT | JOB)
                && context.tokens[j].sentence == context.tokens[h.first].sentence
        })
    });

    for sentence in &context.sentences {
        if context.sentence_has(sentence, STORY) {
            // "a story about a bully called Rufus"
            continue;
        }
        out.extend(with_health(context, sentence, health));
        out.extend(named_after_an_act(context, sentence, acts));
        // Acts are in the order of their words: this sentence's are one run of them.
        let from = acts.partition_point(|a| a.tokens.start < sentence.start);
        let to = acts.partition_point(|a| a.tokens.start < sentence.end);
        let here: Vec<&Act> = acts[from..to.max(from)].iter().collect();
        if !here.is_empty() {
            out.extend(doers(context, sentence, &here));
        }
        if !sporty(context, sentence) {
            // "ungene knuste dem 5-0" is a match report.
            out.extend(described(context, sentence, &here));
        }
        out.extend(feared(context, sentence));
        if private(context, sentence, visited) {
            out.extend(people(context, sentence, Reason::Private));
        }
    }
    out
}

/// A sentence about a match: a match named in it or just before, or a result ("5-0").
fn sporty(context: &Context, sentence: &Range<usize>) -> bool {
    let before = (sentence.start > 0).then(|| context.sentence_of(sentence.start - 1));
    context.sentence_has(sentence, MATCH)
        || before.is_some_and(|b| context.sentence_has(&b, MATCH))
        || super::harm::has_a_score(context, sentence)
}

/// The one feared: "Jonas er redd for Mathias", "scared of the new boy".
fn feared(context: &Context, sentence: &Range<usize>) -> Vec<Finding> {
    let spans = context
        .hits_in(sentence)
        .iter()
        .filter(|h| h.tags & AFRAID_OF != 0)
        .filter_map(|h| {
            let start = (h.end..(h.end + 2).min(sentence.end)).find(|&j| context.is_person(j))?;
            let mut end = start + 1;
            while end < sentence.end && context.is_person(end) {
                end += 1;
            }
            Some(start..end)
        })
        .collect();
    flag(context, spans, Reason::Described)
}

/// Per token of `sentence`: whether one of `acts` covers it, and whether it is one an act was
/// done to.
fn covered_by(acts: &[&Act], sentence: &Range<usize>) -> (Vec<bool>, Vec<bool>) {
    let mut covered = vec![false; sentence.len()];
    let mut victim = vec![false; sentence.len()];
    let mark = |marks: &mut Vec<bool>, i: usize| {
        if let Some(m) = i.checked_sub(sentence.start).and_then(|k| marks.get_mut(k)) {
            *m = true;
        }
    };
    for act in acts {
        act.tokens.clone().for_each(|i| mark(&mut covered, i));
        act.victims.iter().for_each(|&i| mark(&mut victim, i));
    }
    (covered, victim)
}

/// Findings on `spans` of people.
fn flag(context: &Context, spans: Vec<Range<usize>>, reason: Reason) -> Vec<Finding> {
    spans.into_iter().map(|span| context.finding(Category::OtherChild, reason, span)).collect()
}

/// The people a sentence with health information is about: another person's health is their
/// private matter ("Theo i 3B har fått leukemi"). Where the sentence starts with a pronoun,
/// the people of the sentence before ("Sara har det ikke bra. Hun har kuttet seg").
fn with_health(context: &Context, sentence: &Range<usize>, health: &[Finding]) -> Vec<Finding> {
    let (from, to) = (context.tokens[sentence.start].start, context.tokens[sentence.end - 1].end);
    // The findings are in the order of their place in the text.
    let first = health.partition_point(|f| f.start < from);
    if health.get(first).is_none_or(|f| f.end > to) {
        return Vec::new();
    }
    // The writer's own family is not another's: "Sønnen vår Emil", "our son Jack", "pappa".
    let theirs = |span: &Range<usize>| {
        let own = (span.start.saturating_sub(2)..span.start).any(|j| {
            matches!(
                context.tokens[j].lower.as_str(),
                "vår" | "vårt" | "våre" | "min" | "mi" | "mitt" | "mine" | "our" | "my"
            )
        });
        let family = span.clone().all(|j| context.has(j, FAMILY) && !context.names[j]);
        !own && (!family || others_family(context, sentence))
    };
    let mut spans: Vec<Range<usize>> =
        person_spans(context, sentence.clone()).into_iter().filter(|s| theirs(s)).collect();
    let mut earlier = sentence.clone();
    // A pronoun points back at most two sentences: "…hjemme hos Kasper? Jeg har hørt at han…".
    for _ in 0..2 {
        if !spans.is_empty() || earlier.start == 0 || !context.sentence_has(sentence, SUBJECT) {
            break;
        }
        earlier = context.sentence_of(earlier.start - 1);
        spans = person_spans(context, earlier.clone());
    }
    flag(context, spans, Reason::Private)
}

/// People pointed out right after an act: "…filmed Jonah crying. I'm sure it was Kyle and his
/// mates."
fn named_after_an_act(context: &Context, sentence: &Range<usize>, acts: &[Act]) -> Vec<Finding> {
    if sentence.start == 0 || !context.sentence_has(sentence, DOER_CUE) {
        return Vec::new();
    }
    let before = context.sentence_of(sentence.start - 1);
    if !acts.iter().any(|a| before.contains(&a.tokens.start)) {
        return Vec::new();
    }
    flag(context, person_spans(context, sentence.clone()), Reason::Doer)
}

/// The people in a sentence with a harmful act who are not the ones it was done to; where a
/// pronoun does it ("Han dyttet meg"), the person named in the sentence before.
fn doers(context: &Context, sentence: &Range<usize>, acts: &[&Act]) -> Vec<Finding> {
    let (covered, victim) = covered_by(acts, sentence);
    let inside = |i: usize| covered[i - sentence.start];
    let victims = |i: usize| victim[i - sentence.start];
    let spans: Vec<Range<usize>> = person_spans(context, sentence.clone())
        .into_iter()
        .filter(|span| !span.clone().any(|i| victims(i) || inside(i)))
        .collect();
    let mut out = flag(context, spans, Reason::Doer);
    // "av noen fra 7. trinn", "by someone": the doer after a passive, named or not.
    for i in sentence.clone().skip(1) {
        if context.has(i - 1, AGENT)
            && context.has(i, OBJECT)
            && !context.is_person(i)
            && !inside(i - 1)
        {
            out.push(context.finding(Category::OtherChild, Reason::Doer, i..i + 1));
        }
    }
    // "Then he told her…": a pronoun early in the sentence is the person just named before.
    let pronoun_first =
        (sentence.start..(sentence.start + 2).min(sentence.end)).any(|i| context.has(i, SUBJECT));
    if out.is_empty() && pronoun_first && sentence.start > 0 {
        let before = context.sentence_of(sentence.start - 1);
        out.extend(flag(context, person_spans(context, before), Reason::Doer));
    }
    if out.is_empty() {
        // "Han slo Jonas": a pronoun before the act, with someone else on the receiving end.
        let first_act = acts.iter().map(|a| a.tokens.start).min().unwrap_or(sentence.start);
        if let Some(p) = (sentence.start..first_act).find(|&i| context.has(i, SUBJECT))
            && acts.iter().any(|a| !a.victims.is_empty() && !a.victims.contains(&p))
        {
            out.push(context.finding(Category::OtherChild, Reason::Doer, p..p + 1));
        }
    }
    out
}

/// People described negatively: a negative description or act not negated ("Sara er så slem",
/// "Emil lyver"), or a kind one negated ("Sara er ikke snill"), said of the person just before
/// it. "Han sa maten var ekkel" is about the food: a word between the person and the
/// description that is neither a small word nor a description ends the link.
fn described(context: &Context, sentence: &Range<usize>, acts: &[&Act]) -> Vec<Finding> {
    let mut out = Vec::new();
    // What was done to someone ("blir kalt stygge ting") does not describe the one it was
    // done to.
    let (covered, victim) = covered_by(acts, sentence);
    let in_act = |i: usize| covered[i - sentence.start];
    let victims = |i: usize| victim[i - sentence.start];
    let mut unattached = false;
    for h in context.hits_in(sentence).iter().filter(|h| !in_act(h.first)) {
        let negative =
            (h.tags & NEGATIVE != 0 && !context.negated(h.first) && !of_a_thing(context, h.first))
                || (h.tags & POSITIVE != 0 && context.negated(h.first));
        if !negative {
            continue;
        }
        let before = out.len();
        let mut j = h.first;
        while j > sentence.start {
            j -= 1;
            if victims(j) {
                break;
            }
            if context.is_person(j) || context.has(j, SUBJECT) {
                let mut start = j;
                while start > sentence.start && context.is_person(start - 1) {
                    start -= 1;
                }
                out.push(context.finding(Category::OtherChild, Reason::Described, start..j + 1));
                break;
            }
            let small = FILLERS.contains(&context.tokens[j].lower.as_str())
                || context.has(j, NEGATIVE | POSITIVE | NEGATION | PASSIVE | INSULT);
            if !small || h.first - j > 6 {
                break;
            }
        }
        if out.len() == before {
            unattached = true;
        }
    }
    if unattached {
        // Not said of anyone just before it ("Det er Noah si skuld"): every person the sentence
        // names (once, however many such words there are).
        let spans = person_spans(context, sentence.clone())
            .into_iter()
            .filter(|span| !span.clone().any(victims))
            .collect();
        out.extend(flag(context, spans, Reason::Described));
    }
    out.sort_by_key(|f| (f.start, f.end));
    out.dedup_by_key(|f| (f.start, f.end));
    out
}

/// Words that may stand between a person and what is said of them: "Sara er egentlig ganske
/// slem", "he is always so rude".
const FILLERS: &[&str] = &[
    "er",
    "var",
    "har",
    "hadde",
    "vore",
    "vært",
    "blitt",
    "vorte",
    "is",
    "was",
    "are",
    "were",
    "has",
    "had",
    "been",
    "being",
    "be",
    "så",
    "so",
    "veldig",
    "very",
    "really",
    "skikkelig",
    "kjempe",
    "helt",
    "heilt",
    "totally",
    "ganske",
    "quite",
    "pretty",
    "litt",
    "a",
    "bit",
    "always",
    "alltid",
    "ofte",
    "often",
    "also",
    "også",
    "og",
    "and",
    "just",
    "bare",
    "berre",
    "en",
    "ein",
    "ei",
    "an",
    "the",
    "such",
    "sånn",
    "slik",
    "noe",
    "noko",
    "sometimes",
    "jævlig",
    "fryktelig",
    "forferdelig",
    "terribly",
    "extremely",
    "ekstremt",
    "utrolig",
    "incredibly",
    "virkelig",
    "verkeleg",
    "truly",
    "simply",
    "actually",
    "faktisk",
    "egentlig",
    "eigentleg",
    "visst",
    "apparently",
    "så",
    "sykt",
    "sjukt",
    "mega",
    "kjempe",
    "super",
    "til",
    "mot",
    "to",
    "towards",
    "med",
    "with",
    "igjen",
    "again",
    "still",
    "fortsatt",
    "framleis",
    "alltid",
    "stadig",
    "constantly",
    "keeps",
    "kept",
    "getting",
    "gets",
    "got",
    "became",
    "become",
    "blir",
    "ble",
    "vart",
    "seems",
    "virker",
    "verkar",
    "kind",
    "sort",
    "of",
    "like",
    "typisk",
    "typical",
    "real",
    "ordentlig",
    "skikkeleg",
    "e",
    "æ",
    "va",
];

/// An adjective before the thing it describes: "en dum vits", "a dumb joke", not "Sara er dum".
fn of_a_thing(context: &Context, i: usize) -> bool {
    const ADJECTIVES: &[&str] = &[
        "dum",
        "dumme",
        "dumt",
        "dumb",
        "stupid",
        "teit",
        "teite",
        "stygg",
        "stygge",
        "ekkel",
        "ekle",
        "rar",
        "rare",
        "weird",
        "silly",
        "kjip",
        "kjipe",
        "kjipt",
        "horrible",
        "awful",
        "nasty",
        "bad",
        "irriterende",
        "annoying",
        "creepy",
        "scary",
        "skummel",
        "skumle",
    ];
    let next = i + 1;
    ADJECTIVES.contains(&context.tokens[i].lower.as_str())
        && context.tokens.get(next).is_some_and(|t| {
            let about_people = NEGATIVE
                | POSITIVE
                | INSULT
                | NEGATION
                | OBJECT
                | SUBJECT
                | FIRST_PERSON
                | FAMILY
                | DESCRIBED
                | KIN;
            t.sentence == context.tokens[i].sentence
                && context.tags[next] & about_people == 0
                && !context.names[next]
                && !matches!(
                    t.lower.as_str(),
                    "og" | "and" | "as" | "som" | "i" | "in" | "to" | "mot"
                )
        })
}

/// Another family's private circumstance: not the writer's own ("vi er skilt", "my husband
/// lost his job", but "eg høyrde at barnevernet…" is about others), and not a visit or
/// someone's work ("politiet besøker klassen").
fn private(context: &Context, sentence: &Range<usize>, visited: bool) -> bool {
    let family = others_family(context, sentence);
    // The writer's own: "we are divorced" (the writer just before), or a sentence of the
    // writer's that tells of no other family and reports nothing heard.
    let own = |at: usize| {
        // The writer just before, with no "heard"/"think" between: "vi skal skilles", but not
        // "eg høyrde at barnevernet…".
        let near = at.saturating_sub(6).max(sentence.start)..at;
        let writer = near.clone().rev().find(|&j| context.has(j, FIRST_PERSON));
        let told = near.clone().any(|j| context.has(j, REPORT));
        (writer.is_some() && !told)
            || (context.sentence_has(sentence, FIRST_PERSON)
                && !context.sentence_has(sentence, REPORT)
                && !family)
    };
    let framed = |at: usize| visited && context.has(at, POLICE);
    context.hits_in(sentence).iter().any(|h| {
        !own(h.first)
            && ((h.tags & PRIVATE != 0 && !framed(h.first)) || (h.tags & DEATH != 0 && family))
    })
}

/// A member of another family: "moren til Emil", "Olas bestefar", "her dad", "faren hans".
fn others_family(context: &Context, sentence: &Range<usize>) -> bool {
    let word = |j: usize| context.tokens.get(j).map(|t| t.lower.as_str()).unwrap_or("");
    context.sentence_has(sentence, KIN)
        || sentence.clone().any(|j| {
            context.has(j, FAMILY)
                && ((matches!(word(j + 1), "til" | "åt") && context.is_person(j + 2))
                    || matches!(word(j + 1), "hans" | "hennes" | "hennar" | "deira" | "deres")
                    || (j.saturating_sub(2).max(sentence.start)..j).any(|k| {
                        matches!(word(k), "his" | "her" | "their")
                            || (context.names[k]
                                && (word(k).ends_with('s') || word(k).ends_with('\'')))
                    }))
        })
}

/// The people of a sentence as findings: names and described people, else a third-person
/// pronoun ("hun", "hans").
fn people(context: &Context, sentence: &Range<usize>, reason: Reason) -> Vec<Finding> {
    let spans = person_spans(context, sentence.clone());
    if !spans.is_empty() {
        return flag(context, spans, reason);
    }
    let pronoun = sentence.clone().find(|&i| {
        context.has(i, SUBJECT)
            || matches!(
                context.tokens[i].lower.as_str(),
                "hans" | "hennes" | "hennar" | "his" | "her" | "their" | "deres" | "dykkar"
            )
    });
    match pronoun {
        Some(i) => vec![context.finding(Category::OtherChild, reason, i..i + 1)],
        _ => Vec::new(),
    }
}

/// Runs of person tokens in `range`: "Lise Hansen", "moren til", "en gutt".
fn person_spans(context: &Context, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for i in range {
        if !context.is_person(i) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end == i => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}
