//! Why a pupil is left out, in a coordinator's words: one sentence per
//! pupil, in French or English, naming the tutors and what would make a
//! pair work. The same sentences on the web and on the command line
//! (`binome match`); texts in `locales/app.yml` under `matching.why.*`.

use domain::matching::candidates::Candidates;
use domain::matching::{haversine_km, Near, Problem, Pupil, Reason, Tutor, Unmatched};

use crate::availability::{clock, WEEKDAY_KEYS};
use crate::i18n::{text, Lang};
use crate::levels::LEVELS;
use crate::subjects::SUBJECTS;

/// How many tutors a sentence names before "and N others".
pub const NAMED: usize = 3;

/// Writes the explanations of one run.
#[derive(Debug)]
pub struct Explainer<'a> {
    pub problem: &'a Problem,
    pub lang: Lang,
    /// How each tutor is named, by tutor index: an id on the command line,
    /// a name on the web.
    pub tutor_names: &'a [String],
    /// Each pupil's niveau, as an index of [`LEVELS`], by pupil index.
    pub pupil_levels: &'a [usize],
}

/// The text of `key` with each `%{name}` replaced by its value.
pub fn fill(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let mut out = text(lang, key);
    for (name, value) in values {
        out = out.replace(&format!("%{{{name}}}"), value);
    }
    out
}

/// `text` between the language's quotation marks: `« text »`, `“text”`.
pub fn quoted(lang: Lang, value: &str) -> String {
    fill(lang, "matching.why.quoted", &[("text", value)])
}

/// A distance in kilometres with one decimal at most, in the language's
/// notation: `35,2` (French), `35.2` (English), `10`.
pub fn kilometres(lang: Lang, km: f64) -> String {
    crate::i18n::decimal(lang, km, 1)
}

impl Explainer<'_> {
    fn tutor(&self, tutor: usize) -> &str {
        &self.tutor_names[tutor]
    }

    /// `t1, t2, t3 et 4 autres`.
    fn names(&self, items: &[String]) -> String {
        let mut shown = items[..items.len().min(NAMED)].join(", ");
        let rest = items.len().saturating_sub(NAMED);
        if rest == 1 {
            shown.push_str(&text(self.lang, "matching.why.and_one_other"));
        } else if rest > 1 {
            shown.push_str(&fill(
                self.lang,
                "matching.why.and_others",
                &[("count", &rest.to_string())],
            ));
        }
        shown
    }

    /// Why `unmatched` is left out. `feasible`: for
    /// [`Reason::TutorsFull`], the tutors the pupil could have had.
    pub fn unmatched(&self, unmatched: &Unmatched, feasible: &[usize]) -> String {
        let lang = self.lang;
        let pupil = &self.problem.pupils[unmatched.pupil];
        match unmatched.reason {
            Reason::NoTutorForSubject => {
                let subjects: Vec<String> = pupil
                    .subjects
                    .iter()
                    .map(|&s| quoted(lang, SUBJECTS[usize::from(s)].label(lang)))
                    .collect();
                let level = LEVELS[self.pupil_levels[unmatched.pupil]].label(lang);
                fill(
                    lang,
                    "matching.why.no_tutor_for_subject",
                    &[
                        ("subjects", &subjects.join(&text(lang, "matching.why.nor"))),
                        ("level", &quoted(lang, level)),
                    ],
                )
            }
            Reason::NoCompatibleMode => self.no_compatible_mode(unmatched.pupil),
            Reason::NoSharedSlot => self.no_shared_slot(&unmatched.nearest),
            Reason::TutorsFull => {
                let names: Vec<String> =
                    feasible.iter().map(|&t| self.tutor(t).to_owned()).collect();
                if names.len() == 1 {
                    fill(lang, "matching.why.full_one", &[("name", &names[0])])
                } else {
                    fill(
                        lang,
                        "matching.why.full_many",
                        &[
                            ("count", &names.len().to_string()),
                            ("names", &self.names(&names)),
                        ],
                    )
                }
            }
        }
    }

    fn no_compatible_mode(&self, pupil_index: usize) -> String {
        let lang = self.lang;
        let problem = self.problem;
        let pupil = &problem.pupils[pupil_index];
        let covering = Candidates::funnel(problem, pupil_index).covering;
        let count = covering.len();
        let they = if count == 1 {
            fill(
                lang,
                "matching.why.covers_one",
                &[("name", self.tutor(covering[0]))],
            )
        } else {
            fill(
                lang,
                "matching.why.covers_many",
                &[("count", &count.to_string())],
            )
        };
        let plain: Vec<String> = covering.iter().map(|&t| self.tutor(t).to_owned()).collect();
        let listed = if count == 1 {
            String::new()
        } else {
            format!(" ({})", self.names(&plain))
        };
        if pupil.modes.in_person && pupil.location.is_none() {
            let key = if pupil.modes.online {
                "matching.why.no_location_online"
            } else {
                "matching.why.no_location_in_person"
            };
            return fill(lang, key, &[("they", &they), ("names", &listed)]);
        }
        let wanted = text(
            lang,
            match (pupil.modes.online, pupil.modes.in_person) {
                (true, false) => "matching.why.wanted_online",
                (false, true) => "matching.why.wanted_in_person",
                _ => "matching.why.wanted_either",
            },
        );
        if count == 1 {
            return fill(
                lang,
                "matching.why.mode_one",
                &[
                    ("they", &they),
                    ("wanted", &wanted),
                    (
                        "why",
                        &self.mode_obstacle(pupil, &problem.tutors[covering[0]]),
                    ),
                ],
            );
        }
        let why: Vec<String> = covering
            .iter()
            .map(|&t| {
                format!(
                    "{} ({})",
                    self.tutor(t),
                    self.mode_obstacle(pupil, &problem.tutors[t])
                )
            })
            .collect();
        fill(
            lang,
            "matching.why.mode_many",
            &[
                ("they", &they),
                ("wanted", &wanted),
                ("why", &self.names(&why)),
            ],
        )
    }

    /// Why `tutor` cannot meet `pupil` in a mode both accept (they cannot).
    fn mode_obstacle(&self, pupil: &Pupil, tutor: &Tutor) -> String {
        let lang = self.lang;
        if !pupil.modes.in_person {
            return text(lang, "matching.why.obstacle_in_person_only");
        }
        if !tutor.modes.in_person {
            return text(lang, "matching.why.obstacle_online_only");
        }
        let (Some(here), Some(there)) = (pupil.location, tutor.location) else {
            return text(lang, "matching.why.obstacle_unknown_place");
        };
        let Some(max_km) = tutor.max_km else {
            return text(lang, "matching.why.obstacle_no_max_km");
        };
        fill(
            lang,
            "matching.why.obstacle_too_far",
            &[
                ("km", &kilometres(lang, haversine_km(here, there))),
                ("max", &kilometres(lang, max_km)),
            ],
        )
    }

    fn no_shared_slot(&self, nearest: &[Near]) -> String {
        let lang = self.lang;
        let minutes = self.problem.session_minutes.to_string();
        let items: Vec<String> = nearest.iter().map(|near| self.near(near)).collect();
        let key = match items.len() {
            0 => "matching.why.no_slot",
            1 => "matching.why.no_slot_nearest_one",
            _ => "matching.why.no_slot_nearest_many",
        };
        fill(
            lang,
            key,
            &[
                ("minutes", &minutes),
                (
                    "items",
                    &items.join(&text(lang, "matching.why.list_separator")),
                ),
            ],
        )
    }

    fn near(&self, near: &Near) -> String {
        let lang = self.lang;
        let name = self.tutor(near.tutor);
        let Some(longest) = near.longest else {
            let key = if self.problem.weeks == 1 {
                "matching.why.near_none"
            } else {
                "matching.why.near_none_weekly"
            };
            return fill(lang, key, &[("name", name)]);
        };
        let day = text(
            lang,
            WEEKDAY_KEYS[longest.weekday.num_days_from_monday() as usize],
        );
        let mut sentence = fill(
            lang,
            "matching.why.near",
            &[
                ("name", name),
                ("minutes", &longest.minutes.to_string()),
                ("day", &day),
                ("from", &clock(longest.start)),
                ("to", &clock(longest.start + longest.minutes)),
            ],
        );
        if near.missing_minutes > 0 {
            sentence.push_str(&fill(
                lang,
                "matching.why.missing",
                &[("minutes", &near.missing_minutes.to_string())],
            ));
        }
        sentence
    }
}

/// For each pupil left out because their tutors are full, the tutors they
/// could have had (one more candidate generation, on those pupils only),
/// by pupil index.
pub fn feasible_of_full(
    problem: &Problem,
    unmatched: &[Unmatched],
) -> std::collections::BTreeMap<usize, Vec<usize>> {
    let full: Vec<usize> = unmatched
        .iter()
        .filter(|u| u.reason == Reason::TutorsFull)
        .map(|u| u.pupil)
        .collect();
    let mut feasible = std::collections::BTreeMap::new();
    if full.is_empty() {
        return feasible;
    }
    let only = Problem {
        pupils: full.iter().map(|&p| problem.pupils[p].clone()).collect(),
        tutors: problem.tutors.clone(),
        start: problem.start,
        weeks: problem.weeks,
        session_minutes: problem.session_minutes,
        weights: problem.weights,
        // Pairs excluded by hand stay excluded.
        excluded: problem
            .excluded
            .iter()
            .filter_map(|&(pupil, tutor)| {
                full.iter()
                    .position(|&p| p == pupil)
                    .map(|row| (row, tutor))
            })
            .collect(),
        fixed: Vec::new(),
    };
    let candidates = Candidates::generate(&only);
    for (row, &pupil) in full.iter().enumerate() {
        let tutors = candidates.of_pupil(row).iter().map(|c| c.tutor).collect();
        feasible.insert(pupil, tutors);
    }
    feasible
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kilometres_follow_the_language() {
        assert_eq!(kilometres(Lang::Fr, 35.24), "35,2");
        assert_eq!(kilometres(Lang::En, 35.26), "35.3");
        assert_eq!(kilometres(Lang::Fr, 9.96), "10");
    }

    #[test]
    fn fill_replaces_every_named_value() {
        assert_eq!(
            fill(Lang::Fr, "matching.why.missing", &[("minutes", "30")]),
            ", il manquerait 30 min"
        );
        assert_eq!(
            fill(Lang::En, "matching.why.missing", &[("minutes", "30")]),
            ", 30 min short"
        );
    }
}
