use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, d).expect("a date")
}

fn session(d: u32, minutes: u32, answers: &[Option<bool>], pupil: i64, subject: &str) -> Session {
    Session {
        date: day(d),
        minutes,
        answers: answers.to_vec(),
        pupil,
        subjects: vec![subject.to_owned()],
    }
}

#[test]
fn only_sessions_someone_confirmed_and_nobody_denied_count() {
    let yes = Some(true);
    let no = Some(false);
    assert!(session(1, 60, &[yes, None], 1, "x").held());
    assert!(!session(1, 60, &[None, None], 1, "x").held());
    assert!(!session(1, 60, &[yes, no], 1, "x").held());
    assert!(!session(1, 60, &[], 1, "x").held());
}

#[test]
fn the_period_includes_both_ends_and_adds_up_by_hand() {
    let yes = Some(true);
    let sessions = [
        // Before the period.
        session(1, 60, &[yes, yes], 1, "mathematiques"),
        // In it: 90 + 60 + 30 minutes, pupils 1 and 2.
        session(2, 90, &[yes, None], 1, "mathematiques"),
        session(9, 60, &[None, yes], 2, "physique_chimie"),
        session(16, 30, &[yes, yes], 1, "mathematiques"),
        // In it, not held.
        session(10, 120, &[Some(false), yes], 2, "physique_chimie"),
        session(11, 120, &[None, None], 3, "francais"),
        // After it.
        session(17, 60, &[yes, yes], 3, "francais"),
    ];
    assert_eq!(
        summarise(&sessions, day(2), day(16)),
        Summary {
            sessions: 3,
            minutes: 180,
            pupils: 2,
            subjects: vec!["mathematiques".into(), "physique_chimie".into()],
        }
    );
    assert_eq!(summarise(&sessions, day(20), day(31)), Summary::default());
}
