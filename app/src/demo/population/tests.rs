//! The generator on the real directory: repeatable, sized as asked, and
//! every pupil and offer valid by the curriculum's rules (read from the
//! reference files here, not from the generator's tables).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::*;
use crate::levels::LEVELS;

/// The directory, read from the repository's copy with the csv crate.
fn schools() -> Vec<School> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reference/lycees-occitanie.csv"
    );
    let mut reader = csv::Reader::from_path(path).expect("the directory file");
    let flag = |text: &str| match text {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    reader
        .records()
        .map(|row| {
            let row = row.expect("a row");
            School {
                uai: row[0].to_owned(),
                academy_code: row[7].to_lowercase(),
                nature: row[2].to_owned(),
                commune: row[4].to_owned(),
                general: flag(&row[9]),
                technological: flag(&row[10]),
                vocational: flag(&row[11]),
                post_baccalaureate_only: &row[2] == "ECOLES COMPOSEES UNIQT DE STS ET OU CPGE",
                located: !row[12].is_empty(),
            }
        })
        .collect()
}

/// `niveaux.csv`: code → (voie, parcours list, ordre).
fn niveaux() -> BTreeMap<String, (String, Vec<String>, u8)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/niveaux.csv");
    let mut reader = csv::Reader::from_path(path).expect("the niveaux file");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (code, voie, parcours, ordre) = (
        column("code"),
        column("voie"),
        column("parcours"),
        column("ordre"),
    );
    reader
        .records()
        .map(|row| {
            let row = row.expect("a row");
            (
                row[code].to_owned(),
                (
                    row[voie].to_owned(),
                    row[parcours].split('|').map(str::to_owned).collect(),
                    row[ordre].parse().expect("an ordre"),
                ),
            )
        })
        .collect()
}

/// `matieres-lycee.csv`: code → niveaux where it is taught.
fn matieres() -> BTreeMap<String, BTreeSet<String>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reference/matieres-lycee.csv"
    );
    let mut reader = csv::Reader::from_path(path).expect("the subjects file");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (code, niveaux) = (column("code"), column("niveaux"));
    reader
        .records()
        .map(|row| {
            let row = row.expect("a row");
            (
                row[code].to_owned(),
                row[niveaux].split('|').map(str::to_owned).collect(),
            )
        })
        .collect()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date")
}

#[test]
fn the_same_seed_gives_the_same_people_and_another_seed_others() {
    let schools = schools();
    let small = Size {
        pupils: 300,
        tutors: 80,
    };
    let first = generate(7, small, &schools, today());
    assert_eq!(first, generate(7, small, &schools, today()));
    assert_ne!(first, generate(8, small, &schools, today()));
}

#[test]
fn a_full_demo_has_two_thousand_pupils_and_six_hundred_tutors() {
    let people = generate(2026, FULL, &schools(), today());
    assert_eq!(people.pupils.len(), 2000);
    assert_eq!(people.tutors.len(), 600);
}

#[test]
fn every_pupil_studies_a_niveau_of_a_voie_of_her_school_and_asks_what_is_taught_there() {
    let schools = schools();
    let niveaux = niveaux();
    let matieres = matieres();
    let people = generate(2026, FULL, &schools, today());
    let voie_names = |s: &School| {
        let (g, t, v) = s.voies();
        let mut names = Vec::new();
        if g {
            names.push("generale");
        }
        if t {
            names.push("technologique");
        }
        if v {
            names.push("professionnelle");
        }
        names
    };
    for pupil in &people.pupils {
        let school = &schools[pupil.school];
        assert!(!school.post_baccalaureate_only, "{}", school.uai);
        let (voie, _, _) = &niveaux[pupil.level_code];
        // seconde_gt's voie is "generale|technologique" in the file.
        assert!(
            voie.split('|').any(|v| voie_names(school).contains(&v)),
            "{} at {} ({:?})",
            pupil.level_code,
            school.uai,
            school.voies()
        );
        let distinct: BTreeSet<_> = pupil.subjects.iter().collect();
        assert_eq!(distinct.len(), pupil.subjects.len());
        assert!((1..=3).contains(&pupil.subjects.len()));
        for code in &pupil.subjects {
            assert!(
                matieres[*code].contains(pupil.level_code),
                "{code} at {}",
                pupil.level_code
            );
        }
        for &(day, from, to) in &pupil.availability {
            assert!((1..=7).contains(&day) && from < to && to <= 1440);
            assert_eq!((from % 30, to % 30), (0, 0));
        }
        assert!(!pupil.availability.is_empty());
    }
}

#[test]
fn mathematics_french_and_physics_are_asked_most_and_wednesday_afternoon_is_free_most() {
    let people = generate(2026, FULL, &schools(), today());
    let mut asked: BTreeMap<&str, usize> = BTreeMap::new();
    for pupil in &people.pupils {
        let families: BTreeSet<&str> = pupil
            .subjects
            .iter()
            .map(|code| code.trim_start_matches("spe_"))
            .collect();
        for family in families {
            *asked.entry(family).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = asked.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: BTreeSet<&str> = ranked.iter().take(3).map(|(f, _)| *f).collect();
    assert_eq!(
        top,
        BTreeSet::from(["francais", "mathematiques", "physique_chimie"]),
        "{ranked:?}"
    );
    let wednesday = people
        .pupils
        .iter()
        .filter(|p| {
            p.availability
                .iter()
                .any(|&(d, from, _)| d == 3 && from <= 14 * 60)
        })
        .count();
    let saturday = people
        .pupils
        .iter()
        .filter(|p| p.availability.iter().any(|&(d, _, _)| d == 6))
        .count();
    assert!(wednesday * 2 > people.pupils.len(), "{wednesday}");
    assert!(saturday < wednesday, "{saturday} {wednesday}");
}

#[test]
fn every_offer_entry_covers_a_niveau_and_meeting_schools_are_in_the_tutors_academie() {
    let schools = schools();
    let niveaux = niveaux();
    let matieres = matieres();
    let people = generate(2026, FULL, &schools, today());
    for tutor in &people.tutors {
        assert!(!tutor.offer.is_empty());
        assert!((1..=3).contains(&tutor.capacity));
        for (subject, up_to) in &tutor.offer {
            let (_, top_paths, top_rank) = &niveaux[*up_to];
            // The rule of shared/data/README.md, on the reference files.
            let covered = niveaux.iter().filter(|(code, (_, paths, rank))| {
                rank <= top_rank
                    && paths.iter().any(|p| top_paths.contains(p))
                    && matieres[*subject].contains(code.as_str())
            });
            assert!(covered.count() > 0, "{subject} up to {up_to}");
        }
        match tutor.meeting {
            Some((school, km)) => {
                assert!(tutor.mode.in_person());
                assert_eq!(schools[school].academy_code, tutor.academy_code);
                assert!(schools[school].located);
                assert!((1..=200).contains(&km));
            }
            None => assert_eq!(tutor.mode, Mode::Online),
        }
    }
    let toulouse = people
        .tutors
        .iter()
        .filter(|t| t.academy_code == "toulouse")
        .count();
    assert!(toulouse > 250 && toulouse < 400, "{toulouse}");
}

#[test]
fn every_drawn_subject_and_niveau_exists() {
    for code in drawn_subjects() {
        assert!(subject(code).is_some(), "{code}");
    }
    for (top, _) in TOPS {
        assert!(LEVELS.iter().any(|l| l.code == *top), "{top}");
    }
}

#[test]
fn unknown_voies_follow_the_nature() {
    let school = |nature: &str| School {
        uai: "0310000A".into(),
        academy_code: "toulouse".into(),
        nature: nature.into(),
        commune: "Toulouse".into(),
        general: None,
        technological: None,
        vocational: None,
        post_baccalaureate_only: false,
        located: true,
    };
    assert_eq!(school("LYCEE PROFESSIONNEL").voies(), (false, false, true));
    assert_eq!(school("LYCEE POLYVALENT").voies(), (true, true, true));
    assert_eq!(
        school("LYCEE D ENSEIGNEMENT GENERAL").voies(),
        (true, true, false)
    );
    let mut known = school("LYCEE POLYVALENT");
    known.general = Some(true);
    known.technological = Some(false);
    known.vocational = Some(false);
    assert_eq!(known.voies(), (true, false, false));
}
