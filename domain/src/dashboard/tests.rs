use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("an instant")
}

const A: &str = "0310001A";
const B: &str = "0340002B";
const MATHS: &str = "mathematiques";
const FRENCH: &str = "francais";

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

fn waiting(school: &str, subjects: &[&str], days_ago: i64, now: DateTime<Utc>) -> Waiting {
    Waiting {
        school: school.to_owned(),
        subjects: codes(subjects),
        requested_at: now - chrono::Duration::days(days_ago),
    }
}

fn pair(
    id: i64,
    school: &str,
    subjects: &[&str],
    active: bool,
    requested_at: Option<DateTime<Utc>>,
) -> Pair {
    Pair {
        id,
        school: school.to_owned(),
        subjects: codes(subjects),
        active,
        requested_at,
    }
}

fn session(
    pair: i64,
    (y, m, d): (i32, u32, u32),
    minutes: u32,
    answers: &[Option<bool>],
    ratings: &[u8],
    confidence: Option<u8>,
) -> Session {
    Session {
        pair,
        date: date(y, m, d),
        starts_at: at(y, m, d, 15),
        minutes,
        answers: answers.to_vec(),
        ratings: ratings.to_vec(),
        confidence,
    }
}

/// Wednesday 2 December 2026: the week began on Monday 30 November, the
/// school year on 1 September.
fn fixture() -> (
    Vec<Waiting>,
    Vec<Pair>,
    Vec<Session>,
    NaiveDate,
    DateTime<Utc>,
) {
    let now = at(2026, 12, 2, 12);
    let yes = Some(true);
    let no = Some(false);
    let waiting = vec![
        waiting(A, &[MATHS], 10, now),
        waiting(A, &[MATHS, FRENCH], 3, now),
        waiting(B, &[FRENCH], 20, now),
    ];
    let pairs = vec![
        pair(1, A, &[MATHS], true, Some(at(2026, 8, 1, 0))),
        pair(2, B, &[FRENCH, MATHS], false, Some(at(2026, 10, 1, 0))),
        pair(3, A, &[FRENCH], true, None),
    ];
    let sessions = vec![
        // Last school year: the first held session of pair 1.
        session(1, (2026, 8, 25), 60, &[yes, None], &[5], Some(2)),
        session(1, (2026, 11, 4), 60, &[yes, yes], &[4, 3], Some(3)),
        // This week: missed (one side says it did not take place).
        session(1, (2026, 11, 30), 60, &[no, yes], &[], None),
        session(1, (2026, 12, 1), 90, &[yes, None], &[2], Some(4)),
        session(2, (2026, 10, 8), 60, &[yes, yes], &[5, 5], Some(1)),
        // Nobody answered: neither held nor missed.
        session(2, (2026, 10, 15), 60, &[None, None], &[], None),
        session(2, (2026, 10, 22), 60, &[yes, None], &[4], Some(3)),
        session(3, (2026, 12, 2), 45, &[None, yes], &[], None),
        // A pair outside the scope.
        session(99, (2026, 12, 1), 60, &[yes, yes], &[1, 1], Some(5)),
    ];
    (waiting, pairs, sessions, date(2026, 12, 2), now)
}

fn close(found: Option<f64>, expected: f64) -> bool {
    found.is_some_and(|value| (value - expected).abs() < 1e-9)
}

#[test]
fn the_totals_are_those_counted_by_hand() {
    let (waiting, pairs, sessions, today, now) = fixture();
    let total = compute(&waiting, &pairs, &sessions, today, now).total;
    assert_eq!(total.waiting, 3);
    // Days 10, 3 and 20.
    assert!(close(total.median_wait_days, 10.0), "{total:?}");
    assert_eq!(total.active_pairs, 2);
    // Held this year: 4 Nov, 1 Dec, 8 Oct, 22 Oct, 2 Dec; missed: 30 Nov.
    assert_eq!((total.held_this_year, total.missed_this_year), (5, 1));
    assert_eq!((total.held_this_week, total.missed_this_week), (2, 1));
    assert_eq!(total.volunteer_minutes, 60 + 90 + 60 + 60 + 45);
    // Ratings 4, 3, 2, 5, 5, 4.
    assert_eq!(total.ratings, 6);
    assert!(close(total.average_rating, 23.0 / 6.0), "{total:?}");
    // Pair 1: 3 then 4 (its August answer is last year's); pair 2: 1 then 3.
    assert!(close(total.confidence_change, 1.5), "{total:?}");
    // Pair 1's first session was last year, pair 3's request is not
    // known: pair 2 only, 1 October 00:00 to 8 October 15:00.
    assert!(close(total.median_days_to_first_session, 7.0), "{total:?}");
}

#[test]
fn each_school_and_subject_counts_its_own() {
    let (waiting, pairs, sessions, today, now) = fixture();
    let board = compute(&waiting, &pairs, &sessions, today, now);
    assert_eq!(board.schools.keys().collect::<Vec<_>>(), [A, B]);
    let a = &board.schools[A];
    assert_eq!(a.waiting, 2);
    assert!(close(a.median_wait_days, 6.5));
    assert_eq!(a.active_pairs, 2);
    assert_eq!((a.held_this_year, a.missed_this_year), (3, 1));
    assert_eq!((a.held_this_week, a.missed_this_week), (2, 1));
    assert_eq!(a.volunteer_minutes, 195);
    assert!(close(a.average_rating, 3.0));
    assert!(close(a.confidence_change, 1.0));
    assert_eq!(a.median_days_to_first_session, None);
    let b = &board.schools[B];
    assert_eq!((b.waiting, b.active_pairs), (1, 0));
    assert!(close(b.median_wait_days, 20.0));
    assert_eq!(
        (b.held_this_year, b.missed_this_year, b.held_this_week),
        (2, 0, 0)
    );
    assert_eq!(b.volunteer_minutes, 120);
    assert!(close(b.average_rating, 14.0 / 3.0));
    assert!(close(b.confidence_change, 2.0));
    assert!(close(b.median_days_to_first_session, 7.0));

    assert_eq!(board.subjects.keys().collect::<Vec<_>>(), [FRENCH, MATHS]);
    let maths = &board.subjects[MATHS];
    assert_eq!((maths.waiting, maths.active_pairs), (2, 1));
    assert!(close(maths.median_wait_days, 6.5));
    assert_eq!((maths.held_this_year, maths.missed_this_year), (4, 1));
    assert_eq!((maths.held_this_week, maths.missed_this_week), (1, 1));
    assert_eq!(maths.volunteer_minutes, 270);
    assert!(close(maths.average_rating, 23.0 / 6.0));
    assert!(close(maths.confidence_change, 1.5));
    let french = &board.subjects[FRENCH];
    assert_eq!((french.waiting, french.active_pairs), (2, 1));
    assert!(close(french.median_wait_days, 11.5));
    assert_eq!((french.held_this_year, french.held_this_week), (3, 1));
    assert_eq!(french.volunteer_minutes, 165);
    assert!(close(french.median_days_to_first_session, 7.0));
}

#[test]
fn the_weeks_run_from_the_school_years_first_monday_to_this_one() {
    let (waiting, pairs, sessions, today, now) = fixture();
    let weeks = compute(&waiting, &pairs, &sessions, today, now).weeks;
    // 31 August (the Monday of 1 September's week) to 30 November.
    assert_eq!(weeks.len(), 14);
    assert_eq!(weeks[0].monday, date(2026, 8, 31));
    assert_eq!(weeks[13].monday, date(2026, 11, 30));
    let busy: Vec<(NaiveDate, u32, u32)> = weeks
        .iter()
        .filter(|w| w.held + w.missed > 0)
        .map(|w| (w.monday, w.held, w.missed))
        .collect();
    assert_eq!(
        busy,
        [
            (date(2026, 10, 5), 1, 0),
            (date(2026, 10, 19), 1, 0),
            (date(2026, 11, 2), 1, 0),
            (date(2026, 11, 30), 2, 1),
        ]
    );
}

#[test]
fn the_week_holding_1_september_counts_whole_and_the_year_from_september() {
    // Wednesday 2 September 2026: the week began on Monday 31 August.
    let now = at(2026, 9, 2, 12);
    let pairs = [pair(1, A, &[MATHS], true, None)];
    let sessions = [
        session(1, (2026, 8, 31), 60, &[Some(true)], &[4], None),
        session(1, (2026, 9, 1), 45, &[Some(false)], &[], None),
    ];
    let total = compute(&[], &pairs, &sessions, date(2026, 9, 2), now).total;
    assert_eq!((total.held_this_week, total.missed_this_week), (1, 1));
    assert_eq!((total.held_this_year, total.missed_this_year), (0, 1));
    assert_eq!(total.volunteer_minutes, 0);
    assert_eq!(total.ratings, 0);
}

#[test]
fn nothing_gives_zeros_and_no_averages() {
    let board = compute(&[], &[], &[], date(2027, 3, 1), at(2027, 3, 1, 9));
    assert_eq!(board.total, Figures::default());
    assert!(board.schools.is_empty() && board.subjects.is_empty());
}

#[test]
fn the_school_year_begins_on_1_september() {
    assert_eq!(school_year_start(date(2026, 8, 31)), date(2025, 9, 1));
    assert_eq!(school_year_start(date(2026, 9, 1)), date(2026, 9, 1));
    assert_eq!(school_year_start(date(2027, 1, 15)), date(2026, 9, 1));
    assert_eq!(monday_of(date(2026, 12, 6)), date(2026, 11, 30));
    assert_eq!(monday_of(date(2026, 11, 30)), date(2026, 11, 30));
}

#[test]
fn medians_of_odd_and_even_counts() {
    assert_eq!(median(&mut []), None);
    assert_eq!(median(&mut [7]), Some(7.0));
    assert_eq!(median(&mut [9, 1, 4]), Some(4.0));
    assert_eq!(median(&mut [9, 1, 4, 2]), Some(3.0));
}

proptest! {
    /// Each pair and waiting pupil has one school: the schools' counts add
    /// up to the total.
    #[test]
    fn the_schools_add_up_to_the_total(
        facts in prop::collection::vec((0..3usize, any::<bool>(), 0..60u32, 0..3u8, 30..120u32), 0..40),
        waits in prop::collection::vec((0..3usize, 0..40i64), 0..10),
    ) {
        let schools = ["S0", "S1", "S2"];
        let now = at(2026, 12, 2, 12);
        let today = date(2026, 12, 2);
        let pairs: Vec<Pair> = (0..3)
            .map(|i| pair(i64::try_from(i).unwrap_or(0), schools[i], &[MATHS], i != 1, None))
            .collect();
        let sessions: Vec<Session> = facts
            .iter()
            .map(|&(p, _, days_ago, answer, minutes)| {
                let day = today - Days::new(u64::from(days_ago));
                let answers = match answer {
                    0 => vec![None],
                    1 => vec![Some(true)],
                    _ => vec![Some(false)],
                };
                Session {
                    pair: i64::try_from(p).unwrap_or(0),
                    date: day,
                    starts_at: now - chrono::Duration::days(i64::from(days_ago)),
                    minutes,
                    answers,
                    ratings: vec![3],
                    confidence: None,
                }
            })
            .collect();
        let waiting: Vec<Waiting> = waits
            .iter()
            .map(|&(s, days)| waiting(schools[s], &[FRENCH], days, now))
            .collect();
        let board = compute(&waiting, &pairs, &sessions, today, now);
        let sum = |f: fn(&Figures) -> u32| board.schools.values().map(f).sum::<u32>();
        prop_assert_eq!(sum(|f| f.waiting), board.total.waiting);
        prop_assert_eq!(sum(|f| f.active_pairs), board.total.active_pairs);
        prop_assert_eq!(sum(|f| f.held_this_year), board.total.held_this_year);
        prop_assert_eq!(sum(|f| f.missed_this_year), board.total.missed_this_year);
        prop_assert_eq!(sum(|f| f.held_this_week), board.total.held_this_week);
        prop_assert_eq!(sum(|f| f.volunteer_minutes), board.total.volunteer_minutes);
        prop_assert_eq!(sum(|f| f.ratings), board.total.ratings);
        let weeks_held: u32 = board.weeks.iter().map(|w| w.held).sum();
        prop_assert_eq!(weeks_held, board.total.held_this_year);
    }
}
