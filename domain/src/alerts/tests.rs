use chrono::TimeZone;

use super::*;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, day, hour, 0, 0)
        .single()
        .expect("an instant")
}

fn cause(kind: Kind, subject: &str) -> Cause {
    Cause {
        kind,
        subject: subject.into(),
        academy: "toulouse".into(),
    }
}

#[test]
fn the_defaults_are_issue_8s_and_each_part_replaces_one() {
    assert_eq!(Rules::parse(""), Ok(Rules::default()));
    assert_eq!(
        Rules::default(),
        Rules {
            missed: 2,
            rating: 2,
            quiet_days: 14,
            waiting_days: 7,
            check_days: 30
        }
    );
    assert_eq!(
        Rules::parse(" quiet = 21 , rating=1,check=60 "),
        Ok(Rules {
            rating: 1,
            quiet_days: 21,
            check_days: 60,
            ..Rules::default()
        })
    );
    for wrong in [
        "missed=0", "rating=5", "quiet=91", "waiting", "check=x", "late=3",
    ] {
        assert!(Rules::parse(wrong).is_err(), "{wrong}");
    }
}

#[test]
fn missed_sessions_counts_the_last_answered_ones() {
    let rules = Rules::default();
    assert!(!rules.missed_sessions(&[]));
    assert!(!rules.missed_sessions(&[Some(false)]));
    assert!(rules.missed_sessions(&[Some(true), Some(false), Some(false)]));
    // A session nobody answered does not break the run.
    assert!(rules.missed_sessions(&[Some(false), None, Some(false), None]));
    // One held after them: the cause is gone.
    assert!(!rules.missed_sessions(&[Some(false), Some(false), Some(true)]));
    let three = Rules {
        missed: 3,
        ..Rules::default()
    };
    assert!(!three.missed_sessions(&[Some(true), Some(false), Some(false)]));
}

#[test]
fn a_rating_of_two_or_less_is_low() {
    let rules = Rules::default();
    let low: Vec<u8> = (1..=5).filter(|&r| rules.low_rating(r)).collect();
    assert_eq!(low, [1, 2]);
}

#[test]
fn quiet_waiting_and_expiring_are_measured_in_whole_days_after() {
    let rules = Rules::default();
    let started = at(1, 12);
    // 14 days exactly: not yet; a minute more: raised.
    assert!(!rules.no_recent_session(started, None, at(15, 12)));
    assert!(rules.no_recent_session(started, None, at(15, 12) + Duration::minutes(1)));
    // A session held on the 10th starts the count again.
    assert!(!rules.no_recent_session(started, Some(at(10, 19)), at(20, 12)));
    assert!(!rules.long_wait(at(1, 12), at(8, 12)));
    assert!(rules.long_wait(at(1, 12), at(8, 13)));
    let today = NaiveDate::from_ymd_opt(2027, 3, 1).expect("a date");
    // Valid until 30 March: 29 days left, within 30.
    assert!(rules.check_expiring(NaiveDate::from_ymd_opt(2027, 3, 30).expect("a date"), today));
    assert!(!rules.check_expiring(NaiveDate::from_ymd_opt(2027, 3, 31).expect("a date"), today));
}

#[test]
fn reconcile_raises_new_causes_and_closes_those_gone() {
    let quiet = cause(Kind::NoRecentSession, "match:1");
    let rating = cause(Kind::LowRating, "feedback:7:pupil");
    let wait = cause(Kind::LongWait, "request:3");
    let alerts = [
        // Open, cause still there: kept.
        Stored {
            id: 1,
            cause: quiet.clone(),
            open: true,
        },
        // Acknowledged and closed: one event, not raised again.
        Stored {
            id: 2,
            cause: rating.clone(),
            open: false,
        },
        // Closed earlier: its cause is back, raised again.
        Stored {
            id: 3,
            cause: wait.clone(),
            open: false,
        },
        // Open, cause gone: closed.
        Stored {
            id: 4,
            cause: cause(Kind::CheckExpiring, "tutor:9"),
            open: true,
        },
    ];
    let report = cause(Kind::OpenReport, "report:5");
    let (raise, close) = reconcile(&[quiet, rating, wait.clone(), report.clone()], &alerts);
    assert_eq!(raise, [wait, report]);
    assert_eq!(close, [4]);
}
