//! The demo at a real size: a kindergarten group of 18 children, two classes of 22–24 pupils and
//! an SFO of 40, with their guardians in the demo's registers. The named demo persons
//! (`demo.json`) stay as they are; everyone else is made here, the same on every run (a fixed
//! seed), with synthetic national identity numbers (Skatteetaten's test numbers: month + 80,
//! valid check digits), so that nobody real is named and the numbers pass every check.
//!
//! Families are as a unit meets them: most children have two guardians with shared
//! responsibility, some of them at different addresses; some have one; a few are siblings in the
//! kindergarten and the school. One child and the parent living with them have a confidential
//! address; one guardian is reserved in KRR.

use serde_json::json;

/// A generated adult or child.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub pid: String,
    pub given_names: String,
    pub surname: String,
}

/// A generated child and the groups it is enrolled in, from when.
#[derive(Debug, Clone)]
pub struct Child {
    pub person: Person,
    pub groups: Vec<(&'static str, &'static str)>,
}

/// Everyone generated, and the register documents that say who they are to each other.
#[derive(Debug, Clone, Default)]
pub struct Population {
    pub adults: Vec<Person>,
    pub children: Vec<Child>,
    /// Folkeregisteret's person documents, by pid.
    pub register: Vec<(String, String)>,
    /// KRR's contact documents, by pid.
    pub krr: Vec<(String, String)>,
}

/// How many children each group gets here, beside the named ones already in it.
const BLABAER: usize = 17;
const CLASS_4A: usize = 22;
const CLASS_4B: usize = 21;
/// Of the generated 4B pupils, this many also go to SFO (with all of 4A and Jonas: 40).
const SFO_FROM_4B: usize = 17;

// No name of a named demo person, so that a name on a screen is never ambiguous.
const GIRLS: &[&str] = &[
    "Nora", "Olivia", "Ella", "Sofie", "Leah", "Frida", "Maja", "Selma", "Astrid", "Hedda",
    "Amalie", "Ada", "Sara", "Tiril", "Iben", "Aurora", "Hanna", "Mia", "Vilde", "Live", "Eline",
    "Aisha", "Zofia", "Mariam", "Linh", "Amira", "Thea", "Julie",
];
const BOYS: &[&str] = &[
    "Jakob",
    "Noah",
    "Emil",
    "Lucas",
    "Filip",
    "Oskar",
    "Henrik",
    "Aksel",
    "Isak",
    "Magnus",
    "Johannes",
    "Elias",
    "Liam",
    "Sander",
    "Theodor",
    "Ludvig",
    "Tobias",
    "Mohammed",
    "Ali",
    "Adam",
    "Mikkel",
    "Sebastian",
    "Kasper",
    "Jonatan",
    "Omar",
    "Aleksander",
    "Minh",
    "Even",
    "Olav",
    "Viktor",
];
const WOMEN: &[&str] = &[
    "Marte",
    "Silje",
    "Ida",
    "Camilla",
    "Hanne",
    "Kristine",
    "Linn",
    "Maria",
    "Ingvild",
    "Ragnhild",
    "Tone",
    "Fatima",
    "Agnieszka",
    "Thu",
    "Karoline",
    "Elisabeth",
    "Lene",
    "Randi",
];
const MEN: &[&str] = &[
    "Lars", "Thomas", "Martin", "Anders", "Kristian", "Eirik", "Espen", "Jon", "Stian", "Morten",
    "Øyvind", "Trond", "Ahmed", "Piotr", "Duc", "Rune", "Bjarte", "Geir", "Håkon", "Sindre",
];
const SURNAMES: &[&str] = &[
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Haugen",
    "Eriksen",
    "Bakke",
    "Halvorsen",
    "Moen",
    "Solheim",
    "Lie",
    "Brekke",
    "Myklebust",
    "Haukeland",
    "Strand",
    "Helland",
    "Sæther",
    "Nguyen",
    "Kowalski",
    "Hussain",
    "Ali",
    "Tveit",
    "Fjeld",
    "Aasen",
    "Rød",
    "Dale",
    "Hovland",
    "Vågen",
];
const STREETS: &[&str] = &[
    "Fjordveien",
    "Liaveien",
    "Skolegaten",
    "Bjørkeveien",
    "Kirkebakken",
    "Sjøgaten",
    "Haugeveien",
    "Fjellstien",
    "Nygårdsgaten",
    "Damsgårdsveien",
];

/// A small deterministic generator (SplitMix64): the same population on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }
}

/// A synthetic national identity number for a birth date: the month + 80 marks it as a test
/// number; the individual number follows the century rules, and one with an impossible check
/// digit is skipped.
fn synthetic_pid(rng: &mut Rng, (year, month, day): (i32, u32, u32), taken: &[String]) -> String {
    const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let check = |digits: &[u32], weights: &[u32]| {
        let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    let range = if year >= 2000 { 500..1000 } else { 0..500 };
    loop {
        let individual = range.start + rng.below(range.len()) as u32;
        let text = format!("{day:02}{:02}{:02}{individual:03}", month + 80, year % 100);
        let mut digits: Vec<u32> = text.bytes().map(|b| u32::from(b - b'0')).collect();
        let Some(k1) = check(&digits, &K1) else { continue };
        digits.push(k1);
        let Some(k2) = check(&digits, &K2) else { continue };
        let pid = format!("{text}{k1}{k2}");
        if !taken.contains(&pid) {
            return pid;
        }
    }
}

fn birth_date(rng: &mut Rng, years: &[i32]) -> (i32, u32, u32) {
    let year = years[rng.below(years.len())];
    let month = 1 + rng.below(12) as u32;
    (year, month, 1 + rng.below(28) as u32)
}

/// One family's guardians, as the register tells them.
struct Family {
    guardians: Vec<(usize, &'static str)>,
    /// Whether the guardians live apart (two addresses in the register).
    apart: bool,
    confidential: bool,
}

/// A new guardian; their index in `adults`.
fn new_adult(
    rng: &mut Rng,
    pids: &mut Vec<String>,
    adults: &mut Vec<(Person, bool)>,
    woman: bool,
    surname: &str,
) -> usize {
    let given = rng.pick(if woman { WOMEN } else { MEN });
    let born = birth_date(rng, &[1982, 1984, 1986, 1988, 1990]);
    let pid = synthetic_pid(rng, born, pids);
    pids.push(pid.clone());
    let n = adults.len() + 1;
    let person = Person {
        id: format!("demo-adult-g{n:03}"),
        pid,
        given_names: given.to_owned(),
        surname: surname.to_owned(),
    };
    adults.push((person, woman));
    adults.len() - 1
}

/// Builds the population. Cheap (a few milliseconds); [`population`] keeps the one made.
pub fn generate() -> Population {
    let mut rng = Rng(0x5241_4E53_454C_504F); // "RANSELPO"
    let mut pids: Vec<String> = Vec::new();
    let mut adults: Vec<(Person, bool)> = Vec::new(); // (person, woman)
    let mut children: Vec<(Child, bool, usize)> = Vec::new(); // (child, girl, family)
    let mut families: Vec<Family> = Vec::new();
    let plan: [(&'static str, usize, &[i32], &'static str); 3] = [
        ("demo-group-blabaer", BLABAER, &[2022, 2023], "2025-08-15"),
        ("demo-group-4a", CLASS_4A, &[2017], "2026-08-17"),
        ("demo-group-4b", CLASS_4B, &[2017], "2026-08-17"),
    ];
    for (group, count, years, from) in plan {
        for i in 0..count {
            // Four Blåbær children have a big brother or sister in 4A: the same guardians.
            let family = if group == "demo-group-4a" && i < 4 {
                children
                    .iter()
                    .filter(|(c, ..)| c.groups[0].0 == "demo-group-blabaer")
                    .nth(i)
                    .map(|(_, _, f)| *f)
            } else {
                None
            };
            let family = match family {
                Some(f) => f,
                None => {
                    let surname = rng.pick(SURNAMES);
                    let two = rng.percent(75);
                    let apart = two && rng.percent(25);
                    let mother_first = rng.percent(60);
                    let mut guardians = vec![(
                        new_adult(&mut rng, &mut pids, &mut adults, mother_first, surname),
                        if mother_first { "mor" } else { "far" },
                    )];
                    if two {
                        // Parents who live apart often have different surnames.
                        let other = if apart { rng.pick(SURNAMES) } else { surname };
                        guardians.push((
                            new_adult(&mut rng, &mut pids, &mut adults, !mother_first, other),
                            if mother_first { "far" } else { "mor" },
                        ));
                    }
                    families.push(Family { guardians, apart, confidential: false });
                    families.len() - 1
                }
            };
            let girl = rng.percent(50);
            let surname = adults[families[family].guardians[0].0].0.surname.clone();
            let given = rng.pick(if girl { GIRLS } else { BOYS }).to_owned();
            let born = birth_date(&mut rng, years);
            let pid = synthetic_pid(&mut rng, born, &pids);
            pids.push(pid.clone());
            let mut groups = vec![(group, from)];
            let sfo = group == "demo-group-4a" || (group == "demo-group-4b" && i < SFO_FROM_4B);
            if sfo {
                groups.push(("demo-group-sfo", "2026-08-17"));
            }
            let n = children.len() + 1;
            children.push((
                Child {
                    person: Person {
                        id: format!("demo-child-g{n:03}"),
                        pid,
                        given_names: given,
                        surname,
                    },
                    groups,
                },
                girl,
                family,
            ));
        }
    }
    // A mother with a confidential address and her child in 4B: only she has responsibility.
    if let Some(f) = families.iter_mut().rev().find(|f| f.guardians.len() == 1) {
        f.confidential = true;
    }
    let reserved = families[3].guardians[0].0;
    let mut population = Population::default();
    for (family_index, family) in families.iter().enumerate() {
        let kids: Vec<&(Child, bool, usize)> =
            children.iter().filter(|(.., f)| *f == family_index).collect();
        let shared = if family.guardians.len() > 1 { "felles" } else { family.guardians[0].1 };
        for (g, (adult_index, role)) in family.guardians.iter().enumerate() {
            let adult = &adults[*adult_index].0;
            let doc = json!({
                "navn": [{ "fornavn": adult.given_names, "etternavn": adult.surname, "erGjeldende": true }],
                "foreldreansvar": kids.iter().map(|(c, ..)| json!({
                    "ansvar": shared, "ansvarlig": adult.pid, "ansvarssubjekt": c.person.pid, "erGjeldende": true,
                })).collect::<Vec<_>>(),
                "familierelasjon": kids.iter().map(|(c, ..)| json!({
                    "relatertPerson": c.person.pid, "relatertPersonsRolle": "barn",
                    "minRolleForPerson": role, "erGjeldende": true,
                })).collect::<Vec<_>>(),
                "adressebeskyttelse": [{ "graderingsnivaa": protection(family.confidential), "erGjeldende": true }],
                "bostedsadresse": address(family, g),
            });
            population.register.push((adult.pid.clone(), doc.to_string()));
            population
                .krr
                .push((adult.pid.clone(), krr(&mut rng, adult, *adult_index == reserved)));
        }
        for (child, ..) in &kids {
            let doc = json!({
                "navn": [{ "fornavn": child.person.given_names, "etternavn": child.person.surname, "erGjeldende": true }],
                "foreldreansvar": family.guardians.iter().map(|(a, _)| json!({
                    "ansvar": shared, "ansvarlig": adults[*a].0.pid, "ansvarssubjekt": child.person.pid, "erGjeldende": true,
                })).collect::<Vec<_>>(),
                "familierelasjon": family.guardians.iter().map(|(a, role)| json!({
                    "relatertPerson": adults[*a].0.pid, "relatertPersonsRolle": role,
                    "minRolleForPerson": "barn", "erGjeldende": true,
                })).collect::<Vec<_>>(),
                "adressebeskyttelse": [{ "graderingsnivaa": protection(family.confidential), "erGjeldende": true }],
                "bostedsadresse": address(family, 0),
            });
            population.register.push((child.person.pid.clone(), doc.to_string()));
        }
    }
    population.adults = adults.into_iter().map(|(a, _)| a).collect();
    population.children = children.into_iter().map(|(c, ..)| c).collect();
    population
}

fn protection(confidential: bool) -> &'static str {
    if confidential { "fortrolig" } else { "ugradert" }
}

/// Where a family member lives: none is given out for a confidential address; parents who
/// live apart have one each (the children live with the first).
fn address(family: &Family, guardian: usize) -> serde_json::Value {
    if family.confidential {
        return json!([]);
    }
    // The same family, the same draw: a child lives at its first guardian's address.
    let mut at = Rng(0xADD0_0000 + family.guardians[0].0 as u64);
    if family.apart && guardian == 1 {
        at.next();
    }
    json!([{
        "vegadresse": {
            "adressenavn": at.pick(STREETS),
            "husnummer": { "nummer": (1 + at.below(80)).to_string() },
            "poststed": { "postnummer": "5003", "poststedsnavn": "Bergen" },
        },
        "erGjeldende": true,
    }])
}

/// KRR's document: e-mail and mobile updated last year; one guardian reserved.
fn krr(rng: &mut Rng, adult: &Person, reserved: bool) -> String {
    let language = match rng.below(10) {
        0 => "nn",
        1 => "en",
        _ => "nb",
    };
    let n: u32 = adult.id.trim_start_matches("demo-adult-g").parse().unwrap_or(0);
    let doc = if reserved {
        json!({
            "personidentifikator": adult.pid, "reservasjon": "JA", "status": "AKTIV",
            "varslingsstatus": "KAN_IKKE_VARSLES", "spraak": language,
        })
    } else {
        let local = format!("{}.{}.{n}", adult.given_names, adult.surname).to_lowercase();
        let local: String = local
            .chars()
            .map(|c| match c {
                'æ' => 'e',
                'ø' => 'o',
                'å' => 'a',
                c if c.is_ascii_alphanumeric() || c == '.' => c,
                _ => '-',
            })
            .collect();
        json!({
            "personidentifikator": adult.pid, "reservasjon": "NEI", "status": "AKTIV",
            "varslingsstatus": "KAN_VARSLES",
            "kontaktinformasjon": {
                "epostadresse": format!("{local}@example.no"),
                "epostadresse_oppdatert": "2026-02-10T09:00:00+01:00",
                "mobiltelefonnummer": format!("+474000{:04}", 100 + n),
                "mobiltelefonnummer_oppdatert": "2026-02-10T09:00:00+01:00",
            },
            "spraak": language,
        })
    };
    doc.to_string()
}

/// The population, made once per process.
pub fn population() -> &'static Population {
    static POPULATION: std::sync::OnceLock<Population> = std::sync::OnceLock::new();
    POPULATION.get_or_init(generate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Pid;

    #[test]
    fn the_population_is_the_same_on_every_run_and_every_number_is_a_valid_test_number() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.register, b.register);
        assert_eq!(a.krr, b.krr);
        let mut pids: Vec<&str> = a.register.iter().map(|(p, _)| p.as_str()).collect();
        for pid in &pids {
            let parsed = Pid::parse(pid).expect("a valid number");
            assert!(pid.as_bytes()[2] >= b'8', "a synthetic (test) number: {pid}");
            assert!(parsed.birth_date().0 >= 1980);
        }
        pids.sort_unstable();
        let all = pids.len();
        pids.dedup();
        assert_eq!(pids.len(), all, "no number twice");
    }

    #[test]
    fn the_groups_have_a_real_size_with_siblings_a_confidential_address_and_a_reservation() {
        let p = generate();
        let in_group =
            |g: &str| p.children.iter().filter(|c| c.groups.iter().any(|(x, _)| *x == g)).count();
        assert_eq!(in_group("demo-group-blabaer"), BLABAER);
        assert_eq!(in_group("demo-group-4b"), CLASS_4B);
        assert_eq!(in_group("demo-group-sfo"), CLASS_4A + SFO_FROM_4B);
        let docs: Vec<serde_json::Value> =
            p.register.iter().map(|(_, d)| serde_json::from_str(d).unwrap()).collect();
        let responsibilities =
            |d: &serde_json::Value| d["foreldreansvar"].as_array().unwrap().len();
        assert!(
            docs.iter().any(|d| responsibilities(d) == 2
                && d["familierelasjon"][0]["relatertPersonsRolle"] == "barn"),
            "a parent of two"
        );
        assert!(docs.iter().any(|d| d["adressebeskyttelse"][0]["graderingsnivaa"] == "fortrolig"));
        assert_eq!(p.krr.iter().filter(|(_, d)| d.contains("\"reservasjon\":\"JA\"")).count(), 1);
    }
}
