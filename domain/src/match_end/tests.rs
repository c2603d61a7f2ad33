use super::*;

fn form<'a>(reason: &'a str, note: &'a str, back_to_pool: &'a str) -> Form<'a> {
    Form {
        reason,
        note,
        back_to_pool,
    }
}

#[test]
fn every_code_reads_back_as_its_reason() {
    let codes = [
        "goal_reached",
        "no_longer_needed",
        "no_longer_available",
        "incompatibility",
        "safeguarding",
        "other",
    ];
    for (code, reason) in codes.into_iter().zip(Reason::ALL) {
        assert_eq!(reason.code(), code);
        assert_eq!(Reason::from_code(&format!(" {code} ")), Some(reason));
    }
    for wrong in ["", "Other", "goal reached", "fin", "other;"] {
        assert_eq!(Reason::from_code(wrong), None, "{wrong:?}");
    }
}

#[test]
fn only_safeguarding_is_kept_from_the_other_side() {
    let kept: Vec<Reason> = Reason::ALL
        .into_iter()
        .filter(|reason| !reason.told_to_other_side())
        .collect();
    assert_eq!(kept, [Reason::Safeguarding]);
}

#[test]
fn the_pupil_chooses_whether_to_go_back_to_the_waiting_list() {
    let back = check(EndedBy::Pupil, form("no_longer_available", "", "on")).expect("valid");
    assert!(back.back_to_pool);
    // Reached her goal: out of the list, even with the box left ticked.
    let done = check(
        EndedBy::Pupil,
        form("goal_reached", "  Bac blanc réussi  ", "on"),
    )
    .expect("valid");
    assert_eq!(
        done,
        Ending {
            reason: Reason::GoalReached,
            note: Some("Bac blanc réussi".into()),
            back_to_pool: false,
        }
    );
    let no_longer = check(EndedBy::Pupil, form("no_longer_needed", "", "on")).expect("valid");
    assert!(!no_longer.back_to_pool);
    let unticked = check(EndedBy::Pupil, form("incompatibility", "", "")).expect("valid");
    assert!(!unticked.back_to_pool);
    let coordinator = check(EndedBy::Coordinator, form("safeguarding", "", "")).expect("valid");
    assert!(!coordinator.back_to_pool);
    let coordinator =
        check(EndedBy::Coordinator, form("incompatibility", "", "on")).expect("valid");
    assert!(coordinator.back_to_pool);
}

#[test]
fn a_tutor_cannot_take_the_pupils_place_in_the_list_away() {
    let ending = check(EndedBy::Tutor, form("no_longer_needed", "", "")).expect("valid");
    assert!(ending.back_to_pool);
    assert_eq!(ending.note, None);
}

#[test]
fn other_needs_a_note_and_notes_are_limited() {
    assert_eq!(
        check(EndedBy::Tutor, form("other", "  \r\n ", "")),
        Err(vec![(Field::Note, Problem::Missing)])
    );
    // 498 letters, a line break sent as CRLF and one more letter: 500
    // characters, the limit.
    let at_limit = format!("{}\r\nx", "é".repeat(498));
    let ok = check(EndedBy::Pupil, form("other", &at_limit, "")).expect("valid");
    assert_eq!(ok.note.map(|n| n.chars().count()), Some(500));
    let over = format!("y{at_limit}");
    assert_eq!(
        check(EndedBy::Pupil, form("other", &over, "")),
        Err(vec![(Field::Note, Problem::TooLong)])
    );
}

#[test]
fn every_wrong_field_is_told() {
    assert_eq!(
        check(EndedBy::Pupil, form("fini", &"a".repeat(501), "on")),
        Err(vec![
            (Field::Reason, Problem::UnknownReason),
            (Field::Note, Problem::TooLong)
        ])
    );
}
