use chrono::TimeZone;

use super::*;

fn form<'a>(took_place: &'a str, rating: &'a str) -> Form<'a> {
    Form {
        took_place,
        rating,
        ..Form::default()
    }
}

#[test]
fn a_pupil_rates_the_session_and_their_confidence() {
    let answers = check(
        Side::Pupil,
        Form {
            confidence: " 3 ",
            comment: "  Merci pour les exercices !  ",
            // Not the pupil's to say: not kept.
            worked_on: "Les suites",
            ..form("yes", "4")
        },
    )
    .expect("valid");
    assert_eq!(
        answers,
        Answers {
            took_place: true,
            rating: Some(4),
            confidence: Some(3),
            worked_on: None,
            comment: Some("Merci pour les exercices !".into()),
        }
    );
}

#[test]
fn a_tutor_says_what_was_worked_on() {
    let answers = check(
        Side::Tutor,
        Form {
            worked_on: "Dérivées, tableau de variations",
            confidence: "5",
            ..form("yes", "5")
        },
    )
    .expect("valid");
    assert_eq!(
        answers.worked_on.as_deref(),
        Some("Dérivées, tableau de variations")
    );
    assert_eq!(answers.confidence, None);
    assert_eq!(answers.comment, None);
}

#[test]
fn a_session_that_did_not_take_place_keeps_only_the_comment() {
    let answers = check(
        Side::Tutor,
        Form {
            worked_on: "",
            comment: "Personne au rendez-vous",
            ..form("no", "9")
        },
    )
    .expect("valid: nothing is rated");
    assert_eq!(
        answers,
        Answers {
            took_place: false,
            rating: None,
            confidence: None,
            worked_on: None,
            comment: Some("Personne au rendez-vous".into()),
        }
    );
}

#[test]
fn every_wrong_field_is_named() {
    for rating in ["", "0", "6", "4.5", "trois", "-1"] {
        assert_eq!(
            check(
                Side::Pupil,
                Form {
                    confidence: "2",
                    ..form("yes", rating)
                }
            ),
            Err(vec![(Field::Rating, Problem::Scale)]),
            "{rating:?}"
        );
    }
    assert_eq!(
        check(Side::Pupil, form("yes", "")),
        Err(vec![
            (Field::Rating, Problem::Scale),
            (Field::Confidence, Problem::Scale)
        ])
    );
    assert_eq!(
        check(
            Side::Tutor,
            Form {
                worked_on: "   ",
                ..form("yes", "3")
            }
        ),
        Err(vec![(Field::WorkedOn, Problem::Missing)])
    );
    let long = "é".repeat(WORKED_ON_MAX_CHARS + 1);
    assert_eq!(
        check(
            Side::Tutor,
            Form {
                worked_on: &long,
                ..form("yes", "3")
            }
        ),
        Err(vec![(Field::WorkedOn, Problem::TooLong)])
    );
    // Exactly at the limit, counted in characters, not bytes.
    let longest = "é".repeat(WORKED_ON_MAX_CHARS);
    assert!(check(
        Side::Tutor,
        Form {
            worked_on: &longest,
            ..form("yes", "3")
        }
    )
    .is_ok());
    let comment = "x".repeat(COMMENT_MAX_CHARS + 1);
    assert_eq!(
        check(
            Side::Pupil,
            Form {
                comment: &comment,
                ..form("maybe", "")
            }
        ),
        Err(vec![
            (Field::TookPlace, Problem::TookPlace),
            (Field::Comment, Problem::TooLong)
        ])
    );
}

#[test]
fn feedback_is_open_for_fourteen_days_from_the_end() {
    let ends = chrono::Utc
        .with_ymd_and_hms(2027, 3, 23, 19, 0, 0)
        .single()
        .expect("an instant");
    let second = Duration::seconds(1);
    assert!(!open(ends, ends - second), "not before it ends");
    assert!(open(ends, ends));
    assert!(open(ends, ends + Duration::days(14) - second));
    assert!(!open(ends, ends + Duration::days(14)));
}

#[test]
fn a_line_break_counts_as_one_character_as_in_the_browser() {
    // 999 characters and a line break, posted without JavaScript as CRLF.
    let comment = format!("{}\r\n{}", "a".repeat(500), "b".repeat(499));
    let answers = check(
        Side::Pupil,
        Form {
            comment: &comment,
            ..form("no", "")
        },
    )
    .expect("1,000 characters");
    assert_eq!(
        answers.comment,
        Some(format!("{}\n{}", "a".repeat(500), "b".repeat(499)))
    );
    let over = format!("{comment}\r\nc");
    assert_eq!(
        check(
            Side::Pupil,
            Form {
                comment: &over,
                ..form("no", "")
            }
        ),
        Err(vec![(Field::Comment, Problem::TooLong)])
    );
}
