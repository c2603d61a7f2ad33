//! The demo's people, generated from a seed and the school directory: who
//! they are, where they study, what they ask for and when they are free.
//! Pure: no database, no clock (ages and waits are relative to the dates
//! passed in), so the same seed and schools give the same people.
//!
//! The patterns follow what tutoring programmes report (and what
//! `domain::matching::generate` assumes for the benchmarks): mathematics,
//! French and physics–chemistry are asked most; pupils are free on weekday
//! evenings and Wednesday afternoons, a few on Saturday mornings; most
//! accept online sessions; tutors study in Toulouse or Montpellier and
//! take one to three pupils.

use chrono::{Datelike, NaiveDate};
use domain::matching::generate::SplitMix64;

use crate::levels::{level, Level};
use crate::meeting::Mode;
use crate::subjects::{subject, SUBJECTS};

/// A lycée of the directory, as the demo needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct School {
    pub uai: String,
    pub academy_code: String,
    /// The ministry's label, e.g. `LYCEE PROFESSIONNEL`.
    pub nature: String,
    pub commune: String,
    /// Whether it teaches each voie; `None` when the directory does not say.
    pub general: Option<bool>,
    pub technological: Option<bool>,
    pub vocational: Option<bool>,
    pub post_baccalaureate_only: bool,
    pub located: bool,
}

impl School {
    /// The voies pupils are drawn in (general, technological, vocational):
    /// the directory's, or, where it does not say, what the nature implies
    /// (a *lycée professionnel* teaches the vocational voie, a *polyvalent*
    /// all three, others the general and technological ones).
    pub fn voies(&self) -> (bool, bool, bool) {
        let vocational_nature = self.nature.contains("PROF");
        let polyvalent = self.nature.contains("POLYVALENT");
        let known = self.general.is_some() || self.technological.is_some();
        let general = self
            .general
            .unwrap_or(!known && (!vocational_nature || polyvalent));
        let technological = self
            .technological
            .unwrap_or(!known && (!vocational_nature || polyvalent));
        let vocational = self.vocational.unwrap_or(vocational_nature || polyvalent);
        (general, technological, vocational)
    }
}

/// One weekly availability interval: ISO weekday (1 = Monday), minutes
/// from local midnight.
pub type Interval = (u8, u16, u16);

/// A generated pupil.
#[derive(Clone, Debug, PartialEq)]
pub struct Pupil {
    pub first_name: &'static str,
    pub last_name: &'static str,
    /// Index in the schools given to [`generate`].
    pub school: usize,
    pub level_code: &'static str,
    pub birth_year: i32,
    pub birth_month: u32,
    /// Subject codes, most wanted first, each taught at the pupil's niveau.
    pub subjects: Vec<&'static str>,
    pub mode: Mode,
    pub difficulty: &'static str,
    pub availability: Vec<Interval>,
    /// When the pupil asked for help.
    pub requested_on: NaiveDate,
    /// Language of the account.
    pub english: bool,
}

/// A generated tutor.
#[derive(Clone, Debug, PartialEq)]
pub struct Tutor {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub academy_code: &'static str,
    pub institution: &'static str,
    pub field_of_study: &'static str,
    pub study_year: u8,
    /// (subject code, up to niveau code).
    pub offer: Vec<(&'static str, &'static str)>,
    pub capacity: u8,
    pub mode: Mode,
    /// For in person: index of the school they meet pupils at, and how
    /// far they go from it (km).
    pub meeting: Option<(usize, u16)>,
    pub languages: Vec<&'static str>,
    pub availability: Vec<Interval>,
    /// When they signed up.
    pub joined_on: NaiveDate,
    /// Approved with a background check; otherwise still waiting for the
    /// coordinator.
    pub approved: bool,
}

/// How many people to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub pupils: usize,
    pub tutors: usize,
}

/// The size of a real programme for a région like Occitanie.
pub const FULL: Size = Size {
    pupils: 2000,
    tutors: 600,
};

/// Everyone the demo holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    pub pupils: Vec<Pupil>,
    pub tutors: Vec<Tutor>,
}

const FIRST_NAMES: &[&str] = &[
    "Emma", "Léa", "Chloé", "Manon", "Inès", "Jade", "Louise", "Camille", "Sarah", "Lina", "Zoé",
    "Lola", "Anaïs", "Maëlys", "Clara", "Yasmine", "Amira", "Rose", "Nour", "Salomé", "Lucas",
    "Hugo", "Louis", "Nathan", "Gabriel", "Arthur", "Jules", "Adam", "Rayan", "Enzo", "Mathis",
    "Théo", "Noah", "Ethan", "Sacha", "Mohamed", "Yanis", "Bastien", "Quentin", "Timéo", "Maxime",
    "Antoine", "Paul", "Mehdi", "Julien", "Elias", "Baptiste", "Romain",
];

const LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Fabre",
    "Rouquette",
    "Azéma",
    "Bousquet",
    "Carrère",
    "Delmas",
    "Escudié",
    "Fabre",
    "Gasc",
    "Lacombe",
    "Mazars",
    "Puech",
    "Rouanet",
    "Sabatier",
    "Vidal",
    "Benali",
    "Nguyen",
    "Haddad",
    "Da Silva",
    "Ferreira",
    "Traoré",
    "Cissé",
];

/// Subjects pupils ask for, with how often (a subject is only drawn
/// where it is taught at the pupil's niveau).
const ASKED: &[(&str, u64)] = &[
    ("mathematiques", 30),
    ("spe_mathematiques", 30),
    ("francais", 26),
    ("physique_chimie", 16),
    ("spe_physique_chimie", 16),
    ("anglais", 10),
    ("philosophie", 9),
    ("histoire_geographie", 6),
    ("svt", 5),
    ("spe_svt", 5),
    ("ses", 4),
    ("spe_ses", 4),
    ("methodologie", 4),
    ("opt_maths_complementaires", 4),
    ("sti2d_stl_physique_chimie_maths", 4),
    ("eco_droit_gestion_pro", 3),
    ("enseignement_scientifique", 3),
    ("opt_maths_expertes", 3),
    ("orientation", 3),
    ("espagnol", 3),
    ("spe_nsi", 3),
    ("grand_oral", 2),
    ("snt", 2),
    ("stmg_gestion", 2),
    ("pse", 1),
    ("allemand", 1),
];

const DIFFICULTIES: &[&str] = &[
    "Je ne comprends pas bien le cours et je n’ose pas demander en classe.",
    "J’ai des difficultés avec les exercices, surtout quand il faut rédiger.",
    "Mes notes ont baissé depuis la rentrée, je voudrais reprendre les bases.",
    "Je travaille beaucoup mais je n’arrive pas à m’organiser.",
    "Je bloque pendant les contrôles alors que je comprends à la maison.",
    "Je voudrais être prêt pour le bac et je manque de méthode.",
    "Je suis arrivé en cours d’année et j’ai du retard.",
    "J’ai du mal à mémoriser et à faire des fiches.",
];

/// Universities and schools of Toulouse and Montpellier.
const INSTITUTIONS: &[(&str, &[&str])] = &[
    (
        "toulouse",
        &[
            "Université Toulouse Capitole",
            "Université Toulouse Jean Jaurès",
            "Université Toulouse III – Paul Sabatier",
            "INSA Toulouse",
            "Toulouse INP",
            "ISAE-SUPAERO",
            "Sciences Po Toulouse",
            "IMT Mines Albi",
        ],
    ),
    (
        "montpellier",
        &[
            "Université de Montpellier",
            "Université Paul-Valéry Montpellier 3",
            "Université de Perpignan Via Domitia",
            "Université de Nîmes",
            "Institut Agro Montpellier",
            "École nationale supérieure de chimie de Montpellier",
            "IMT Mines Alès",
        ],
    ),
];

/// Fields of study, how many tutors study them, and the subjects they
/// offer (the first two always, the others sometimes).
const FIELDS: &[(&str, u64, &[&str])] = &[
    (
        "Mathématiques",
        14,
        &[
            "mathematiques",
            "spe_mathematiques",
            "opt_maths_complementaires",
            "opt_maths_expertes",
            "snt",
        ],
    ),
    (
        "Physique-chimie",
        10,
        &[
            "physique_chimie",
            "spe_physique_chimie",
            "mathematiques",
            "sti2d_stl_physique_chimie_maths",
            "enseignement_scientifique",
        ],
    ),
    (
        "Lettres modernes",
        10,
        &[
            "francais",
            "methodologie",
            "grand_oral",
            "histoire_geographie",
        ],
    ),
    (
        "Philosophie",
        4,
        &["philosophie", "francais", "grand_oral", "spe_hlp"],
    ),
    (
        "Histoire",
        5,
        &["histoire_geographie", "spe_hggsp", "francais", "opt_dgemc"],
    ),
    (
        "Langues étrangères appliquées",
        8,
        &["anglais", "espagnol", "allemand", "italien"],
    ),
    (
        "Biologie",
        7,
        &[
            "svt",
            "spe_svt",
            "physique_chimie",
            "enseignement_scientifique",
        ],
    ),
    (
        "Économie et gestion",
        7,
        &[
            "ses",
            "spe_ses",
            "stmg_gestion",
            "stmg_droit_economie",
            "eco_droit_gestion_pro",
            "mathematiques",
        ],
    ),
    (
        "Informatique",
        7,
        &["spe_nsi", "snt", "mathematiques", "spe_mathematiques"],
    ),
    (
        "Médecine",
        6,
        &["svt", "spe_svt", "physique_chimie", "spe_physique_chimie"],
    ),
    (
        "Sciences de l’éducation",
        4,
        &["methodologie", "orientation", "francais", "grand_oral"],
    ),
    (
        "Génie mécanique",
        5,
        &[
            "sti2d_ingenierie",
            "spe_si",
            "mathematiques",
            "physique_chimie",
        ],
    ),
    (
        "Droit",
        3,
        &[
            "opt_dgemc",
            "stmg_droit_economie",
            "histoire_geographie",
            "grand_oral",
        ],
    ),
];

/// The top rung of each ladder a tutor may teach up to, and how often a
/// tutor who can teach a subject there does.
const TOPS: &[(&str, u64)] = &[
    ("terminale_generale", 100),
    ("terminale_technologique", 60),
    ("terminale_pro", 35),
    ("cap2", 20),
];

/// One of `items` (not empty), uniformly.
pub(crate) fn pick<T: Copy>(rng: &mut SplitMix64, items: &[T]) -> T {
    items[usize::try_from(rng.below(items.len() as u64)).unwrap_or(0)]
}

fn chance(rng: &mut SplitMix64, percent: u64) -> bool {
    rng.below(100) < percent
}

fn mode(rng: &mut SplitMix64, online: u64, both: u64) -> Mode {
    let draw = rng.below(100);
    if draw < online {
        Mode::Online
    } else if draw < online + both {
        Mode::Both
    } else {
        Mode::InPerson
    }
}

/// The niveaux of a school's voies, with how often pupils ask at each.
fn levels_of(voies: (bool, bool, bool)) -> Vec<(&'static str, u64)> {
    let (general, technological, vocational) = voies;
    let mut levels = Vec::new();
    if general || technological {
        levels.push(("seconde_gt", 34));
    }
    if general {
        levels.push(("premiere_generale", 24));
        levels.push(("terminale_generale", 24));
    }
    if technological {
        levels.push(("premiere_technologique", 9));
        levels.push(("terminale_technologique", 9));
    }
    if vocational {
        levels.extend([
            ("seconde_pro", 10),
            ("premiere_pro", 9),
            ("terminale_pro", 9),
            ("cap1", 4),
            ("cap2", 3),
        ]);
    }
    levels
}

/// How many pupils a school sends, relative to the others: its voies.
fn school_weight(voies: (bool, bool, bool)) -> u64 {
    u64::from(voies.0) * 3 + u64::from(voies.1) + u64::from(voies.2) * 2
}

/// Age on 31 December of the school year's first calendar year, at a
/// niveau's rank (seconde 15, première 16, terminale 17; CAP 15 and 16).
fn usual_age(level: &Level) -> i32 {
    14 + i32::from(level.rank)
}

fn subjects_for(rng: &mut SplitMix64, level: &Level) -> Vec<&'static str> {
    let taught: Vec<(&'static str, u64)> = ASKED
        .iter()
        .filter(|(code, _)| subject(code).is_some_and(|s| s.is_taught_at(level)))
        .copied()
        .collect();
    let wanted = match rng.below(100) {
        0..=59 => 1,
        60..=89 => 2,
        _ => 3,
    };
    let mut chosen: Vec<&'static str> = Vec::new();
    let mut left = taught;
    while chosen.len() < wanted && !left.is_empty() {
        let weights: Vec<u64> = left.iter().map(|(_, w)| *w).collect();
        let (code, _) = left.remove(rng.weighted(&weights));
        chosen.push(code);
    }
    chosen
}

/// How one side of the demo gives its time: one evening chosen among
/// three for the weekdays it comes, Wednesday afternoon for many, a
/// weekend stretch for some. Times in minutes of local time; chances in
/// percent.
struct Habits {
    evenings: [(u16, u16); 3],
    /// Chance of each of Monday, Tuesday, Thursday and Friday evening.
    weekday: u64,
    wednesday_afternoon: (u64, u16, u16),
    /// Chance of Wednesday evening without the afternoon (certain when no
    /// weekday evening was drawn).
    wednesday_evening: u64,
    saturday: (u64, u16, u16),
    sunday: (u64, u16, u16),
}

/// What a lycée pupil can give: evenings on weekdays, often Wednesday
/// afternoon, sometimes Saturday morning or Sunday afternoon.
const PUPIL_HABITS: Habits = Habits {
    evenings: [
        (17 * 60, 19 * 60),
        (17 * 60 + 30, 20 * 60),
        (18 * 60, 20 * 60),
    ],
    weekday: 55,
    wednesday_afternoon: (65, 14 * 60, 18 * 60),
    wednesday_evening: 30,
    saturday: (25, 10 * 60, 12 * 60),
    sunday: (10, 15 * 60, 18 * 60),
};

/// What a student can give: evenings too, later; Wednesday afternoon for
/// many (few lectures); weekends for some.
const TUTOR_HABITS: Habits = Habits {
    evenings: [
        (17 * 60, 20 * 60),
        (18 * 60, 21 * 60),
        (17 * 60 + 30, 19 * 60 + 30),
    ],
    weekday: 50,
    wednesday_afternoon: (55, 13 * 60 + 30, 18 * 60),
    wednesday_evening: 40,
    saturday: (30, 9 * 60, 12 * 60),
    sunday: (20, 14 * 60, 18 * 60),
};

/// A weekly availability drawn from `habits`, Monday first.
fn availability(rng: &mut SplitMix64, habits: &Habits) -> Vec<Interval> {
    let mut intervals = Vec::new();
    let evening = pick(rng, &habits.evenings);
    for day in [1, 2, 4, 5] {
        if chance(rng, habits.weekday) {
            intervals.push((day, evening.0, evening.1));
        }
    }
    let (percent, from, to) = habits.wednesday_afternoon;
    if chance(rng, percent) {
        intervals.push((3, from, to));
    } else if intervals.is_empty() || chance(rng, habits.wednesday_evening) {
        intervals.push((3, evening.0, evening.1));
    }
    for (day, (percent, from, to)) in [(6, habits.saturday), (7, habits.sunday)] {
        if chance(rng, percent) {
            intervals.push((day, from, to));
        }
    }
    intervals.sort_unstable();
    intervals
}

fn offer_for(rng: &mut SplitMix64, subjects: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut offer = Vec::new();
    for (i, code) in subjects.iter().enumerate() {
        if i >= 2 && !chance(rng, 45) {
            continue;
        }
        let Some(taught) = subject(code) else {
            continue;
        };
        for (top, percent) in TOPS {
            let Some(top_level) = level(top) else {
                continue;
            };
            if !taught.covered_levels(top_level).is_empty() && chance(rng, *percent) {
                offer.push((*code, *top));
            }
        }
    }
    if offer.is_empty() {
        // Always something to offer: the field's first subject, as high
        // as it is taught on the general ladder.
        offer.push((subjects[0], "terminale_generale"));
    }
    offer
}

/// A first name, drawn by `draw` (for the parents the history adds).
pub fn first_name(draw: u64) -> &'static str {
    FIRST_NAMES[usize::try_from(draw % FIRST_NAMES.len() as u64).unwrap_or(0)]
}

/// The people of the demo, `size.pupils` pupils (fewer only if `schools`
/// has none that takes pupils) and `size.tutors` tutors. `schools` is the
/// directory (schools teaching only after the baccalauréat get no pupils);
/// `today` dates the requests (1 to 100 days before) and the birth years.
pub fn generate(seed: u64, size: Size, schools: &[School], today: NaiveDate) -> Population {
    let mut rng = SplitMix64(seed);
    let school_year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };

    let weights: Vec<u64> = schools
        .iter()
        .map(|s| {
            if s.post_baccalaureate_only {
                0
            } else {
                school_weight(s.voies())
            }
        })
        .collect();
    let mut pupils = Vec::with_capacity(size.pupils);
    if weights.iter().any(|&w| w > 0) {
        for _ in 0..size.pupils {
            let school = rng.weighted(&weights);
            let levels = levels_of(schools[school].voies());
            let level_weights: Vec<u64> = levels.iter().map(|(_, w)| *w).collect();
            let level_code = levels[rng.weighted(&level_weights)].0;
            let Some(level) = level(level_code) else {
                continue;
            };
            // Most are the usual age; some a year older, a few younger.
            let age = usual_age(level)
                + match rng.below(100) {
                    0..=79 => 0,
                    80..=94 => 1,
                    _ => -1,
                };
            let subjects = subjects_for(&mut rng, level);
            if subjects.is_empty() {
                continue;
            }
            let waited = 1 + rng.below(100);
            pupils.push(Pupil {
                first_name: pick(&mut rng, FIRST_NAMES),
                last_name: pick(&mut rng, LAST_NAMES),
                school,
                level_code,
                birth_year: school_year - age,
                birth_month: 1 + u32::try_from(rng.below(12)).unwrap_or(0),
                subjects,
                mode: mode(&mut rng, 45, 40),
                difficulty: pick(&mut rng, DIFFICULTIES),
                availability: availability(&mut rng, &PUPIL_HABITS),
                requested_on: today - chrono::Duration::days(i64::try_from(waited).unwrap_or(1)),
                english: chance(&mut rng, 3),
            });
        }
    }

    let field_weights: Vec<u64> = FIELDS.iter().map(|(_, w, _)| *w).collect();
    let mut tutors = Vec::with_capacity(size.tutors);
    for _ in 0..size.tutors {
        // A little more than half study in Toulouse, as the pupils do.
        let (academy_code, institutions) = INSTITUTIONS[usize::from(!chance(&mut rng, 55))];
        let (field_of_study, _, subjects) = FIELDS[rng.weighted(&field_weights)];
        let mode = mode(&mut rng, 45, 45);
        let meeting = if mode.in_person() {
            let local: Vec<usize> = schools
                .iter()
                .enumerate()
                .filter(|(_, s)| s.academy_code == academy_code && s.located)
                .map(|(i, _)| i)
                .collect();
            (!local.is_empty()).then(|| (pick(&mut rng, &local), pick(&mut rng, &[5, 10, 15, 25])))
        } else {
            None
        };
        let mode = if meeting.is_none() {
            Mode::Online
        } else {
            mode
        };
        let mut languages = vec!["fr"];
        if chance(&mut rng, 35) {
            languages.push("en");
        }
        if chance(&mut rng, 10) {
            languages.push("es");
        }
        tutors.push(Tutor {
            first_name: pick(&mut rng, FIRST_NAMES),
            last_name: pick(&mut rng, LAST_NAMES),
            academy_code,
            institution: pick(&mut rng, institutions),
            field_of_study,
            study_year: 1 + u8::try_from(rng.weighted(&[20, 25, 25, 18, 12])).unwrap_or(0),
            offer: offer_for(&mut rng, subjects),
            capacity: 1 + u8::try_from(rng.weighted(&[40, 40, 20])).unwrap_or(0),
            mode,
            meeting,
            languages,
            availability: availability(&mut rng, &TUTOR_HABITS),
            joined_on: today
                - chrono::Duration::days(60 + i64::try_from(rng.below(90)).unwrap_or(0)),
            approved: chance(&mut rng, 96),
        });
    }
    Population { pupils, tutors }
}

/// Subject codes of [`SUBJECTS`] the generator may draw (for tests).
pub fn drawn_subjects() -> impl Iterator<Item = &'static str> {
    ASKED
        .iter()
        .map(|(code, _)| *code)
        .chain(
            FIELDS
                .iter()
                .flat_map(|(_, _, subjects)| subjects.iter().copied()),
        )
        .filter(|code| SUBJECTS.iter().any(|s| s.code == *code))
}

#[cfg(test)]
mod tests;
