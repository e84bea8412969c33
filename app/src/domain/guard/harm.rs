//! Bullying and conflict: words that always mean it ("mobbet", "utestengt", "hatgruppe"), and
//! verbs that mean it only with a person on the receiving end — "slo ham" and "ble dyttet",
//! not "slo rekord" or "dyttet vogna"; "kalte henne tjukk", not "vi kaller ham Nico". General
//! talk about the topic ("temauke mot mobbing") is not a case.

use super::context::Context;
use super::lexicon::*;
use super::tagging::Hit;
use super::{Category, Finding, Reason};
use std::ops::Range;

/// A harmful act found in a sentence, with what the other-child rule needs to know.
pub struct Act {
    pub finding: Finding,
    /// The act's words.
    pub tokens: Range<usize>,
    /// Tokens that are the one it was done to (the object, or the subject of a passive).
    pub victims: Vec<usize>,
}

pub fn find(context: &Context) -> Vec<Act> {
    let mut acts = Vec::new();
    for hit in &context.hits {
        let sentence = context.sentence_of(hit.first);
        if let Some(reason) = reason(context, hit, &sentence) {
            let victims = victims(context, hit, &sentence);
            // The mark covers the one it was done to when it follows at once: "dyttet meg".
            let end = match victims.iter().find(|&&v| v == hit.end) {
                Some(&v) => v + 1,
                None => hit.end,
            };
            let tokens = hit.first..end;
            acts.push(Act {
                finding: context.finding(Category::Bullying, reason, tokens.clone()),
                victims,
                tokens,
            });
        }
    }
    acts
}

/// Whether the words of `hit` tell of bullying or conflict here, and as what.
fn reason(context: &Context, hit: &Hit, sentence: &Range<usize>) -> Option<Reason> {
    let tags = hit.tags;
    let yes = |found: bool, reason: Reason| found.then_some(reason);
    if tags & BULLY != 0 {
        return yes(!general_talk(context, hit, sentence), Reason::Bullying);
    }
    if tags & HARM != 0 {
        // In sport, "slo dem 3-1" is winning and "de blir kastet i matta" is wrestling;
        // kicking *him* during football is still kicking. The sport is often named in the
        // sentence before ("Great match on Saturday! We beat Vålerenga 3-2").
        let before = (sentence.start > 0).then(|| context.sentence_of(sentence.start - 1));
        let sporty = context.sentence_has(sentence, SPORT)
            || before.is_some_and(|b| context.sentence_has(&b, SPORT))
            || has_a_score(context, sentence);
        let sport =
            sporty && (won_over(context, hit) || !done_to_someone_named(context, hit, sentence));
        return yes(!sport && done_to_a_person(context, hit, sentence), Reason::Violence);
    }
    if tags & CALL != 0 {
        return yes(called_names(context, hit, sentence), Reason::Words);
    }
    if tags & SAY != 0 {
        return yes(insulted(context, hit, sentence), Reason::Words);
    }
    if tags & THREAT != 0 {
        return yes(done_to_a_person(context, hit, sentence), Reason::Words);
    }
    if tags & MOCK != 0 {
        return yes(about_a_person(context, sentence), Reason::Exclusion);
    }
    if tags & SPREAD != 0 {
        return yes(spread_about_a_person(context, sentence), Reason::Online);
    }
    if tags & FEAR != 0 {
        let of_school =
            context.sentence_has(sentence, SCHOOL) && context.sentence_has(sentence, GO);
        return yes(of_school, Reason::Bullying);
    }
    if tags & SOCIAL != 0 {
        return yes(left_out(context, hit, sentence), Reason::Exclusion);
    }
    if tags & ONLINE != 0 {
        // "meldinger på snap der det står at hun er stygg", not "Minecraft er litt dumt".
        let at_someone =
            context.sentence_has(sentence, INSULT) && about_a_person(context, sentence);
        return yes(at_someone, Reason::Online);
    }
    if tags & DISTRESS != 0 {
        // A child's distress that points at school or at others: "har grått tre dager på rad
        // og nektet å gå ut til bussen", "vondt i magen hver søndag … skjer noe på skolen".
        let pointed = context.text_has(SCHOOL | REPEAT) || context.hits_tagged(DISTRESS) > 1;
        return yes(pointed, Reason::Bullying);
    }
    if tags & INJURY != 0 {
        let doubted = context.text_has(REPEAT | SUSPICION | DOER_CUE)
            || sentence.clone().any(|j| context.is_person(j) && !context.has(j, FAMILY));
        return yes(doubted, Reason::Violence);
    }
    if tags & TAKE != 0 {
        // Taking someone's things again and again, or to laugh at them.
        let again = context.text_has(REPEAT) || context.sentence_has(sentence, MOCK | DUMP);
        return yes(again && someone_elses(context, hit, sentence), Reason::Bullying);
    }
    None
}

/// A match result in the sentence: "3-2", "4–1".
pub fn has_a_score(context: &Context, sentence: &Range<usize>) -> bool {
    let (from, to) = (context.tokens[sentence.start].start, context.tokens[sentence.end - 1].end);
    context.chars[from..to]
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && matches!(w[1], '-' | '–') && w[2].is_ascii_digit())
}

/// A person right after the verb ("kicked him"), not only a passive ("blir kastet").
fn done_to_someone_named(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    (hit.end..(hit.end + 3).min(sentence.end))
        .any(|j| (context.has(j, OBJECT) && !context.has(j + 1, PLAY)) || context.is_person(j))
}

/// In a sentence about sport, "slo dem 3-1" and "beat them" are winning, not hitting; kicking
/// someone during football is still kicking.
fn won_over(context: &Context, hit: &Hit) -> bool {
    matches!(
        context.tokens[hit.first].lower.as_str(),
        "beat" | "beats" | "beaten" | "slo" | "slår" | "slått" | "slog" | "slå"
    )
}

/// A word about bullying that speaks of the topic, not of a case: inside a phrase like "mot
/// mobbing", in a sentence about a theme week that names nobody, or denied ("han er ikke blitt
/// mobbet").
fn general_talk(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    if context.sentence_has(sentence, STORY) {
        return true;
    }
    let covered = context.in_topic(hit.first, hit.end);
    let names_someone = context.names_someone(hit.first);
    covered
        || (context.sentence_has(sentence, TOPIC) && !names_someone)
        || context.negated(hit.first)
}

/// A verb with a person as its object ("slo ham", "hit the boy"), a passive ("ble slått", "got
/// kicked") or a part of the body ("i ansiktet"); "slo seg" (an accident), "slo av lyset" and
/// "pushing the pram" are not.
fn done_to_a_person(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    let after = hit.end..(hit.end + 4).min(sentence.end);
    for j in after {
        if context.has(j, REFLEXIVE) {
            break;
        }
        // "dyttet bilen til vaktmesteren": the caretaker owns the car, he was not pushed.
        let owner = j >= hit.end + 2
            && matches!(context.tokens[j - 1].lower.as_str(), "til" | "åt" | "of")
            && context.tags[j - 2] & (OBJECT | SUBJECT | DESCRIBED) == 0
            && !context.is_person(j - 2);
        if owner {
            return false;
        }
        if context.has(j, OBJECT) || context.is_person(j) {
            // "pushed him on the swing" is play; "grabbed her bag": "her" owns the thing, it is
            // not the one harmed ("hit her face" is).
            let rest = j + 1..(j + 6).min(sentence.end);
            if rest.clone().any(|k| context.has(k, PLAY)) {
                return false;
            }
            let owner = matches!(
                context.tokens[j].lower.as_str(),
                "her" | "his" | "their" | "hans" | "hennes" | "hennar" | "deres"
            );
            let thing = context.tokens.get(j + 1).is_some_and(|t| {
                t.sentence == context.tokens[j].sentence
                    && context.tags[j + 1] == 0
                    && !context.names[j + 1]
            });
            return !(owner && thing) || context.has(j + 1, BODY);
        }
    }
    // "sparket i magen", "kicked in the stomach"; but "slo hodet i sklia" and "slo seg i
    // hodet" are accidents.
    let body = hit.end..(hit.end + 5).min(sentence.end);
    let accident = context.has(hit.end, REFLEXIVE);
    let on_the_body = !accident
        && body.clone().any(|j| {
            context.has(j, BODY)
                && j > hit.end
                && matches!(
                    context.tokens[j - 1].lower.as_str(),
                    "i" | "in" | "på" | "on" | "into" | "over" | "across"
                )
        });
    if on_the_body || context.sentence_has(sentence, INTENT) {
        return true;
    }
    // "ble slått", "got kicked", "was really pushed": an auxiliary at most one word before a
    // participle.
    let before = hit.first.saturating_sub(2).max(sentence.start)..hit.first;
    // "ble dyttet på huska", "bitt av en flått": play and animals.
    participle(context, hit)
        && before.clone().any(|j| context.has(j, PASSIVE))
        && !context.has(hit.end, REFLEXIVE)
        && !context.sentence_has(sentence, PLAY)
}

/// Whether the act's last word looks like a participle: "slått", "dytta", "kicked", "bitten".
fn participle(context: &Context, hit: &Hit) -> bool {
    let word = context.tokens[hit.end - 1].lower.as_str();
    !word.ends_with("ing") && ["t", "a", "d", "en", "de", "te"].iter().any(|e| word.ends_with(e))
}

/// Something of another person's taken, hidden, thrown or spoilt ("tok lua til Leon", "pour
/// water over his lunch", "grabbing Leon's cap"), where the text says it happens again and again.
fn someone_elses(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    let word = |j: usize| context.tokens.get(j).map(|t| t.lower.as_str()).unwrap_or("");
    let near = hit.first.saturating_sub(4).max(sentence.start)..(hit.end + 5).min(sentence.end);
    near.clone().filter(|&j| j < hit.first || j >= hit.end).any(|j| {
        matches!(word(j), "hans" | "hennes" | "hennar" | "his" | "her" | "their" | "deira")
            || (word(j) == "til" && context.is_person(j + 1))
            || (context.names[j] && (word(j).ends_with('s') || word(j).ends_with('\'')))
    })
}

/// "sa til ham at han var feit", "told her she was ugly": someone told an insult.
fn insulted(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    // Told to someone else: what "told me" is about is the other-child rule's.
    let to_someone = (hit.end..(hit.end + 3).min(sentence.end))
        .any(|j| (context.has(j, OBJECT) && !context.has(j, FIRST_PERSON)) || context.is_person(j));
    let before = hit.first.saturating_sub(4).max(sentence.start)..hit.first;
    let by_someone = before.clone().any(|j| context.is_person(j) || context.has(j, SUBJECT));
    (to_someone || by_someone)
        && (hit.end..(hit.end + 7).min(sentence.end)).any(|j| context.has(j, INSULT | NEGATIVE))
}

/// "kalte ham homo", "called her names", "kaller henne stygge ting", "called \"deaf boy\"".
fn called_names(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    let from = context.tokens[hit.end - 1].end;
    let to = context.tokens.get(hit.end + 1).map(|t| t.start).unwrap_or(context.chars.len());
    if context.chars[from..to.max(from)].iter().any(|c| matches!(c, '"' | '“' | '«' | '”')) {
        return true;
    }
    (hit.end..(hit.end + 5).min(sentence.end)).any(|j| {
        context.has(j, NEGATIVE | BULLY | INSULT)
            || matches!(
                context.tokens[j].lower.as_str(),
                "names"
                    | "navn"
                    | "namn"
                    | "ting"
                    | "things"
                    | "ord"
                    | "words"
                    | "stygg"
                    | "stygge"
                    | "ugly"
                    | "mean"
                    | "nasty"
            )
    })
}

/// A sentence about a person or online: mocking someone, not laughing at a joke.
fn about_a_person(context: &Context, sentence: &Range<usize>) -> bool {
    sentence
        .clone()
        .any(|j| context.is_person(j) || context.has(j, OBJECT | SUBJECT | ONLINE | FIRST_PERSON))
}

/// A picture of a person or a rumour spread, online or to hurt: not the class photos on the
/// school's page.
fn spread_about_a_person(context: &Context, sentence: &Range<usize>) -> bool {
    let of_person = sentence.clone().any(|j| {
        context.has(j, PICTURE)
            && ((j + 1..(j + 6).min(sentence.end))
                .any(|k| context.has(k, OBJECT) || context.is_person(k))
                // "Hanna's photos"
                || (j > sentence.start && context.names[j - 1]))
    });
    // The school's own pictures ("vi har lagt ut bilder fra turen") are the writer's.
    let by_the_writer = context.sentence_has(sentence, FIRST_PERSON);
    let rumour = sentence.clone().any(|j| {
        matches!(
            context.tokens[j].lower.as_str(),
            "rykte"
                | "ryktet"
                | "rykter"
                | "rumour"
                | "rumours"
                | "rumor"
                | "rumors"
                | "løgner"
                | "lies"
        )
    });
    let hurtful = sentence.clone().any(|j| {
        context.has(j, ONLINE | NEGATIVE | MOCK | INSULT)
            || matches!(
                context.tokens[j].lower.as_str(),
                "uten"
                    | "without"
                    | "pinlig"
                    | "pinleg"
                    | "flaut"
                    | "embarrassing"
                    | "naken"
                    | "nude"
                    | "nakenbilde"
                    | "nakenbilete"
                    | "falling"
                    | "crying"
                    | "gråt"
                    | "gråter"
                    | "grin"
                    | "gret"
                    | "dusjen"
                    | "shower"
                    | "toilet"
                    | "toalettet"
                    | "do"
                    | "mortified"
            )
    });
    // "Someone filmed Noah falling over", "en elev ble filmet i dusjen": the film is of a person
    // as much as a picture is.
    let filmed = sentence.clone().any(|j| {
        let film = matches!(
            context.tokens[j].lower.as_str(),
            "filmed" | "filmet" | "filma" | "filmar" | "filmer" | "photographed" | "recorded"
        );
        let of_someone = (j + 1..(j + 3).min(sentence.end))
            .any(|k| context.has(k, OBJECT) || context.is_person(k));
        let someone_was = j > sentence.start
            && context.has(j - 1, PASSIVE)
            && (sentence.start..j).any(|k| context.is_person(k));
        film && (of_someone || someone_was)
    });
    rumour || (of_person && (hurtful || !by_the_writer)) || (filmed && hurtful)
}

/// Who the act was done to: the person just after the verb, or the subject of a passive.
fn victims(context: &Context, hit: &Hit, sentence: &Range<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = (hit.end..(hit.end + 3).min(sentence.end))
        .take_while(|&j| {
            // The object comes before the next clause: "…the loser' and some kids…".
            !context.has(j, AGENT)
                && !matches!(
                    context.tokens[j].lower.as_str(),
                    "men" | "but" | "og" | "and" | "som" | "who" | "while" | "mens"
                )
        })
        .filter(|&j| context.is_person(j) || context.has(j, OBJECT))
        .collect();
    let before = hit.first.saturating_sub(3).max(sentence.start)..hit.first;
    if let Some(aux) =
        before.clone().find(|&j| context.has(j, PASSIVE)).filter(|_| participle(context, hit))
    {
        out.extend((sentence.start..aux).rev().take(3).filter(|&j| context.is_person(j)));
    }
    out
}

/// Someone left out: nobody plays, talks or sits with a person ("ingen vil leke med ham",
/// "nobody talks to her anymore"), or others will not let them join ("dei let han aldri vere
/// med"). "Ingen kan leke ute i dag" leaves out nobody.
fn left_out(context: &Context, hit: &Hit, sentence: &Range<usize>) -> bool {
    let before = hit.first.saturating_sub(5).max(sentence.start)..hit.first;
    let nobody = before.clone().any(|j| context.has(j, NOBODY))
        || (hit.end..(hit.end + 4).min(sentence.end)).any(|j| context.has(j, NOBODY));
    let not_let = before.clone().any(|j| context.has(j, LET))
        && (sentence.start..hit.first).any(|j| context.has(j, NEGATION | NOBODY));
    let someone = (hit.end..(hit.end + 4).min(sentence.end))
        .chain(before.clone())
        .any(|j| context.has(j, OBJECT | SUBJECT) || context.is_person(j));
    (nobody || not_let) && someone
}
