//! The guard's lexicon: words and phrases of bokmål, nynorsk and English by the part they play
//! in a sentence, not by topic alone. "slo" is a verb of physical harm, harmful only with a
//! person as its object ("slo ham", not "slo rekord"); "skilsmisse" is a private circumstance,
//! sensitive only about another family; "sykehus" is a health place, harmless on a class visit.
//! The rules that combine them are in `health`, `harm` and `others`; the syntax of a word is
//! in `morph`; the words themselves are data, in `public/guard/lexicon.txt` (see `data`).

/// What a word or phrase can be, as bits: a word may be several things.
pub type Tags = u64;

/// A diagnosis, condition, medication, treatment or hospital stay: health information.
pub const HEALTH: Tags = 1;
/// A health profession or service (psychologist, BUP): health unless someone works there or
/// the class visits it.
pub const HEALTH_SERVICE: Tags = 1 << 1;
/// A health place (hospital, A&E): health unless the class visits it.
pub const HOSPITAL: Tags = 1 << 2;
/// An allergy: health about a person, practical when asked about in general.
pub const ALLERGY: Tags = 1 << 3;
/// Bullying, violence, exclusion or conflict whoever does it: always a finding.
pub const BULLY: Tags = 1 << 4;
/// A verb of physical harm: harmful with a person as its object or in the passive.
pub const HARM: Tags = 1 << 5;
/// Calling someone something: harmful with names or ugly words.
pub const CALL: Tags = 1 << 6;
/// A threatening verb: harmful against a person ("truet ham", not "det truer med regn").
pub const THREAT: Tags = 1 << 7;
/// A social app or group chat.
pub const ONLINE: Tags = 1 << 8;
/// Mocking or talking behind someone's back: harmful about a person or online.
pub const MOCK: Tags = 1 << 9;
/// A negative description of a person or a bad act ("slem", "frekk", "lyver", "a bad influence").
pub const NEGATIVE: Tags = 1 << 10;
/// A kind description ("snill"), negative when negated ("ikke snill").
pub const POSITIVE: Tags = 1 << 11;
/// A family's private circumstances: divorce, child welfare, police, money, residence status.
pub const PRIVATE: Tags = 1 << 12;
pub const NEGATION: Tags = 1 << 13;
/// A passive auxiliary: "ble slått", "got hit".
pub const PASSIVE: Tags = 1 << 14;
/// A person as the object of a verb: "ham", "meg", "her".
pub const OBJECT: Tags = 1 << 15;
/// A third person as subject: "han", "she", "de".
pub const SUBJECT: Tags = 1 << 16;
/// A person described, not named: "en gutt i klassen", "the new girl", "vikaren".
pub const DESCRIBED: Tags = 1 << 17;
/// The writer or the writer's family: "jeg", "vi", "our".
pub const FIRST_PERSON: Tags = 1 << 18;
/// A part of the body: "i ansiktet", "in the face".
pub const BODY: Tags = 1 << 19;
/// A general topic, not a case: "temauke mot mobbing", "anti-bullying week".
pub const TOPIC: Tags = 1 << 20;
/// A visit: "besøk på sykehuset", "a trip to the police station".
pub const VISIT: Tags = 1 << 21;
/// Someone's work: "jobber som psykolog", "career day".
pub const JOB: Tags = 1 << 22;
/// A general question: "noen allergier?", "any allergies".
pub const ANY: Tags = 1 << 23;
/// Another family's people: "moren til", "foreldrene hennes", "his parents".
pub const KIN: Tags = 1 << 24;
/// A common first name, also written in lower case.
pub const NAME: Tags = 1 << 25;
/// A capitalised word that is not a name: "Hei", "Mandag", "I".
pub const STOP: Tags = 1 << 26;
/// The doer after a passive: "av", "by".
pub const AGENT: Tags = 1 << 27;
/// Fear of school or of someone.
pub const FEAR: Tags = 1 << 28;
/// School, kindergarten, SFO, break time: where fear and exclusion happen.
pub const SCHOOL: Tags = 1 << 29;
/// Spreading a picture or a rumour.
pub const SPREAD: Tags = 1 << 30;
/// A picture or video.
pub const PICTURE: Tags = 1 << 31;
/// "seg": "slo seg" is an accident, not an assault; "pushing the pram": a thing, not a person.
pub const REFLEXIVE: Tags = 1 << 32;
/// On purpose: "med vilje", "deliberately".
pub const INTENT: Tags = 1 << 34;
/// A verb that reports what someone heard or said: "eg høyrde at", "I heard".
pub const REPORT: Tags = 1 << 35;
/// Saying something to someone: hurtful with an insult ("sa til ham at han var feit").
pub const SAY: Tags = 1 << 36;
/// An insult said to or about a person.
pub const INSULT: Tags = 1 << 37;
/// A member of a family: a death is another family's private matter.
pub const FAMILY: Tags = 1 << 38;
/// A death, a loss or drinking: private where a family member is named with it.
pub const DEATH: Tags = 1 << 39;
/// Play, where pushing is fun: "dyttet ham på huska", "pushed her on the swing".
pub const PLAY: Tags = 1 << 40;
/// A phrase that makes the words in it harmless: "ring hit" (here), "ved sykdom" (in case of
/// illness), "slo meg at" (struck me that).
pub const BENIGN: Tags = 1 << 41;
/// Points out the doer in the sentence after an act: "det var Kyle", "it was his mates".
pub const DOER_CUE: Tags = 1 << 42;
/// Again and again: "hver dag", "every break".
pub const REPEAT: Tags = 1 << 43;
/// Taking, hiding or throwing away someone's things.
pub const TAKE: Tags = 1 << 44;
/// Going somewhere: "redd for å gå på skolen".
pub const GO: Tags = 1 << 45;
/// Nobody, never: "ingen vil leke med ham".
pub const NOBODY: Tags = 1 << 46;
/// Letting: "they won't let her join".
pub const LET: Tags = 1 << 47;
/// Playing, talking, sitting with, joining: what exclusion withholds.
pub const SOCIAL: Tags = 1 << 48;
/// A story, book or play: a bully in a story is no case.
pub const STORY: Tags = 1 << 49;
/// The police and prisons: private about a family, not on a class visit.
pub const POLICE: Tags = 1 << 50;
/// A child's distress that points at others: "kom hjem og gråt igjen", "won't take the bus".
pub const DISTRESS: Tags = 1 << 51;
/// An injury a child comes home with: "blått øye", "scratches on her neck".
pub const INJURY: Tags = 1 << 52;
/// Doubt about how something happened: "det tror jeg ikke på", "what went on".
pub const SUSPICION: Tags = 1 << 53;
/// A match and its result: "vant 4-1", "what a game": a report, not a judgement of players.
pub const MATCH: Tags = 1 << 54;
/// A bad place for someone's things: "kasta sekken i grøfta", "threw it in the ditch".
pub const DUMP: Tags = 1 << 55;
/// Afraid of: the person after it is the one feared ("Jonas er redd for Mathias").
pub const AFRAID_OF: Tags = 1 << 56;
/// A sport, where hitting, kicking and fighting are the game.
pub const SPORT: Tags = 1 << 33;

/// Every entry of the lexicon with its tags: `(tags, entry)`.
pub fn entries() -> impl Iterator<Item = (Tags, &'static str)> {
    let mut tags: Tags = 0;
    super::data::lexicon()
        .lines()
        .filter_map(move |line| {
            let line = line.trim();
            if let Some(names) = line.strip_prefix("== ").and_then(|l| l.strip_suffix(" ==")) {
                tags = names.split_whitespace().map(tag).fold(0, |all, t| all | t);
                return None;
            }
            (!line.is_empty() && !line.starts_with('#')).then_some((tags, line))
        })
        .flat_map(|(tags, line)| {
            line.split(',').map(str::trim).filter(|e| !e.is_empty()).map(move |e| (tags, e))
        })
}

/// Every tag by its name, as `lexicon.txt` and the learned component write them.
pub const TAG_NAMES: [(&str, Tags); 57] = [
    ("HEALTH", HEALTH),
    ("HEALTH_SERVICE", HEALTH_SERVICE),
    ("HOSPITAL", HOSPITAL),
    ("ALLERGY", ALLERGY),
    ("BULLY", BULLY),
    ("HARM", HARM),
    ("CALL", CALL),
    ("THREAT", THREAT),
    ("ONLINE", ONLINE),
    ("MOCK", MOCK),
    ("NEGATIVE", NEGATIVE),
    ("POSITIVE", POSITIVE),
    ("PRIVATE", PRIVATE),
    ("NEGATION", NEGATION),
    ("PASSIVE", PASSIVE),
    ("OBJECT", OBJECT),
    ("SUBJECT", SUBJECT),
    ("DESCRIBED", DESCRIBED),
    ("FIRST_PERSON", FIRST_PERSON),
    ("BODY", BODY),
    ("TOPIC", TOPIC),
    ("VISIT", VISIT),
    ("JOB", JOB),
    ("ANY", ANY),
    ("KIN", KIN),
    ("NAME", NAME),
    ("STOP", STOP),
    ("AGENT", AGENT),
    ("FEAR", FEAR),
    ("SCHOOL", SCHOOL),
    ("SPREAD", SPREAD),
    ("PICTURE", PICTURE),
    ("REFLEXIVE", REFLEXIVE),
    ("INTENT", INTENT),
    ("REPORT", REPORT),
    ("SAY", SAY),
    ("INSULT", INSULT),
    ("FAMILY", FAMILY),
    ("DEATH", DEATH),
    ("PLAY", PLAY),
    ("BENIGN", BENIGN),
    ("DOER_CUE", DOER_CUE),
    ("REPEAT", REPEAT),
    ("TAKE", TAKE),
    ("GO", GO),
    ("NOBODY", NOBODY),
    ("LET", LET),
    ("SOCIAL", SOCIAL),
    ("STORY", STORY),
    ("POLICE", POLICE),
    ("DISTRESS", DISTRESS),
    ("INJURY", INJURY),
    ("SUSPICION", SUSPICION),
    ("SPORT", SPORT),
    ("AFRAID_OF", AFRAID_OF),
    ("DUMP", DUMP),
    ("MATCH", MATCH),
];

/// The tag a section header names; an unknown name is no tag (a test catches it).
fn tag(name: &str) -> Tags {
    TAG_NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_of_the_lexicon_names_known_tags_and_has_entries() {
        let mut tags: Tags = 0;
        for line in super::super::data::lexicon().lines() {
            if let Some(names) = line.strip_prefix("== ").and_then(|l| l.strip_suffix(" ==")) {
                for name in names.split_whitespace() {
                    assert_ne!(tag(name), 0, "unknown tag {name}");
                    tags |= tag(name);
                }
            }
        }
        assert!(entries().count() > 4_000);
        assert!(entries().all(|(tags, entry)| tags != 0 && !entry.is_empty()));
        // Every tag the rules use is in the lexicon.
        assert_eq!(tags.count_ones(), 57);
    }
}
