//! Feedback after each session (issue 8) through the real router and
//! database (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`), with
//! an injected clock: asked once by email when a session ends, listed on
//! the next visit in each side's zone, given or corrected for 14 days,
//! bad input refused field by field with nothing written.
//!
//! Inès (Paris) and Maëlys (Réunion, UTC+4) meet on Tuesdays at 19:00 Paris
//! from 23 March 2027: the first session is 18:00–19:00 UTC (Paris is
//! UTC+1 until 28 March), the second 17:00–18:00 UTC (UTC+2).

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::{session_on, tuesdays_from_23_march};
use common::visitor::{field_errors, outbox, pairs, Visitor};
use common::TestApp;
use serde_json::Value;

/// The test application's `BINOME_PUBLIC_URL`.
const URL: &str = "http://127.0.0.1:3000";

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let month = if day >= 20 { 3 } else { 4 };
    Utc.with_ymd_and_hms(2027, month, day, hour, minute, 0)
        .single()
        .expect("an instant")
}

async fn pending(who: &mut Visitor<'_>) -> Vec<Value> {
    let list = json_of(&who.post("/api/avis/a-donner", &[]).await);
    list.as_array().expect("a list").clone()
}

/// Feedback requests queued so far: (recipient, text).
async fn asked(app: &TestApp) -> Vec<(String, String)> {
    outbox(app)
        .await
        .into_iter()
        .filter(|(kind, _, _)| kind == "feedback_asked")
        .map(|(_, to, text)| (to, text))
        .collect()
}

/// The stored feedback: (side, took place, rating, confidence, worked on,
/// comment), by side.
type Stored = (
    String,
    bool,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
);

async fn stored(app: &TestApp) -> Vec<Stored> {
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT side, took_place, rating, confidence, worked_on, comment \
         FROM session_feedback ORDER BY occurrence_id, side"
    )
    .fetch_all(pool)
    .await
    .expect("feedback readable"))
}

async fn give(who: &mut Visitor<'_>, form: &[(&str, &str)]) -> common::TestResponse {
    who.post("/api/avis/donner", form).await
}

#[tokio::test]
async fn both_sides_are_asked_once_and_give_feedback_within_fourteen_days() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let first = session_on(&mut ines, "2027-03-23").await;
    assert_eq!(session_on(&mut maelys, "2027-03-23").await, first);

    // Before it ends: nothing to give, nothing asked, feedback refused.
    clock.advance(at(23, 18, 30) - clock.now());
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    assert!(pending(&mut ines).await.is_empty());
    let asks = app::feedback::asks::ask_due(&app.db, URL, clock.now())
        .await
        .expect("asked");
    assert_eq!(asks, 0);
    let early = give(
        &mut ines,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "4"),
            ("confidence", "3"),
        ],
    )
    .await;
    assert_eq!(
        field_errors(&early),
        pairs(&[("form", "errors.feedback.not_yet")])
    );

    // Once it has ended: one email to each side, once.
    clock.advance(at(23, 19, 5) - clock.now());
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    let asks = app::feedback::asks::ask_due(&app.db, URL, clock.now())
        .await
        .expect("asked");
    assert_eq!(asks, 2);
    let emails = asked(&app).await;
    let recipients: Vec<&str> = emails.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(recipients, ["ines@exemple.fr", "maelys@exemple.fr"]);
    for (to, text) in &emails {
        assert!(text.contains(&format!("{URL}/avis")), "{to}: {text}");
    }
    // Each in their own time: 19:00 in Paris, 22:00 in Réunion.
    assert!(emails[0].1.contains("19:00"), "{}", emails[0].1);
    assert!(emails[1].1.contains("22:00"), "{}", emails[1].1);
    // And when it closes: 6 April, 21:00 in Paris (summer time by then).
    assert!(emails[0].1.contains("avril 2027, 21:00"), "{}", emails[0].1);
    let again = app::feedback::asks::ask_due(&app.db, URL, clock.now())
        .await
        .expect("asked");
    assert_eq!(again, 0);
    assert_eq!(asked(&app).await.len(), 2);

    // On the next visit, each sees it in their own zone.
    let ines_list = pending(&mut ines).await;
    assert_eq!(ines_list.len(), 1, "{ines_list:?}");
    assert_eq!(ines_list[0]["occurrence_id"].to_string(), first);
    assert_eq!(ines_list[0]["date"], "2027-03-23");
    assert_eq!(ines_list[0]["from"], "19:00");
    assert_eq!(ines_list[0]["time_zone"], "Europe/Paris");
    assert_eq!(ines_list[0]["as_tutor"], false);
    // It closes 14 days after its end: 6 April, 19:00 UTC.
    assert_eq!(ines_list[0]["until"], "2027-04-06");
    assert_eq!(ines_list[0]["until_time"], "21:00");
    let maelys_list = pending(&mut maelys).await;
    assert_eq!(maelys_list.len(), 1);
    assert_eq!(maelys_list[0]["from"], "22:00");
    assert_eq!(maelys_list[0]["as_tutor"], true);
    assert_eq!(maelys_list[0]["until_time"], "23:00");
    assert_eq!(ines_list[0]["other_name"], "Maëlys Payet");
    assert_eq!(maelys_list[0]["other_name"], "Inès Roux");

    // Bad input: every wrong field named, nothing written.
    let long = "x".repeat(1001);
    let bad = give(
        &mut ines,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "6"),
            ("comment", &long),
        ],
    )
    .await;
    assert_eq!(
        field_errors(&bad),
        pairs(&[
            ("rating", "errors.feedback.rating"),
            ("confidence", "errors.feedback.confidence"),
            ("comment", "errors.feedback.comment_long"),
        ])
    );
    let unsaid = give(&mut ines, &[("occurrence_id", &first), ("rating", "3")]).await;
    assert_eq!(
        field_errors(&unsaid),
        pairs(&[("took_place", "errors.feedback.took_place")])
    );
    assert!(stored(&app).await.is_empty());

    // The pupil's answers; what is not theirs to say is not kept, and the
    // comment is kept as typed.
    let comment = "<script>alert(1)</script> Merci ; c'est plus clair !";
    let given = give(
        &mut ines,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "4"),
            ("confidence", "3"),
            ("worked_on", "not the pupil's"),
            ("comment", comment),
        ],
    )
    .await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    assert!(pending(&mut ines).await.is_empty());
    assert_eq!(pending(&mut maelys).await.len(), 1);

    // The tutor must say what was worked on.
    let missing = give(
        &mut maelys,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "5"),
        ],
    )
    .await;
    assert_eq!(
        field_errors(&missing),
        pairs(&[("worked_on", "errors.feedback.worked_on_needed")])
    );
    let given = give(
        &mut maelys,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "5"),
            ("worked_on", "  Suites arithmétiques  "),
        ],
    )
    .await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    // Not a session of theirs, or none at all.
    let foreign = give(
        &mut maelys,
        &[("occurrence_id", "999999"), ("took_place", "no")],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    let anonymous = give(
        &mut Visitor::new(&app),
        &[("occurrence_id", &first), ("took_place", "no")],
    )
    .await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );

    // A correction replaces the answer.
    let corrected = give(
        &mut ines,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "5"),
            ("confidence", "4"),
        ],
    )
    .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.body);
    assert_eq!(
        stored(&app).await,
        [
            ("pupil".to_owned(), true, Some(5), Some(4), None, None),
            (
                "tutor".to_owned(),
                true,
                Some(5),
                None,
                Some("Suites arithmétiques".to_owned()),
                None
            ),
        ]
    );

    // A cancelled session is not one to give feedback on.
    let cancelled = session_on(&mut maelys, "2027-04-13").await;
    let cancel = maelys
        .post(
            "/api/seances/annuler",
            &[("occurrence_id", &cancelled), ("reason", "Partiel")],
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);
    let on_cancelled = give(
        &mut ines,
        &[("occurrence_id", &cancelled), ("took_place", "no")],
    )
    .await;
    assert_eq!(
        on_cancelled.status,
        StatusCode::NOT_FOUND,
        "{}",
        on_cancelled.body
    );

    // The second session: the pupil answers before the email would go, so
    // only the tutor is asked.
    clock.advance(at(30, 18, 5) - clock.now());
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    let second = session_on(&mut maelys, "2027-03-30").await;
    let given = give(
        &mut ines,
        &[
            ("occurrence_id", &second),
            ("took_place", "no"),
            ("rating", "2"),
            ("comment", "Malade"),
        ],
    )
    .await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    let asks = app::feedback::asks::ask_due(&app.db, URL, clock.now())
        .await
        .expect("asked");
    assert_eq!(asks, 1);
    assert_eq!(
        asked(&app).await.last().expect("an email").0,
        "maelys@exemple.fr"
    );
    assert_eq!(
        stored(&app).await[2],
        (
            "pupil".to_owned(),
            false,
            None,
            None,
            None,
            Some("Malade".to_owned())
        )
    );

    // A closed account is not emailed: the third session's ask goes to the
    // pupil only once the tutor's account is deactivated.
    clock.advance(at(6, 18, 5) - clock.now());
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    let tutor_id = common::people::user_id(&app, "maelys@exemple.fr").await;
    let mut tx = app.db.begin_write().await.expect("a transaction");
    app::accounts::users::deactivate(&mut tx, tutor_id, clock.now())
        .await
        .expect("deactivated");
    tx.commit().await.expect("committed");
    let before = asked(&app).await.len();
    let asks = app::feedback::asks::ask_due(&app.db, URL, clock.now())
        .await
        .expect("asked");
    assert_eq!(asks, 1);
    assert_eq!(asked(&app).await.len(), before + 1);
    assert_eq!(
        asked(&app).await.last().expect("an email").0,
        "ines@exemple.fr"
    );
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE users SET status = 'active' WHERE id = $1"
    )
    .bind(tutor_id)
    .execute(pool)
    .await
    .expect("active again")
    .rows_affected());

    // Fourteen days after the first session's end, it is closed.
    clock.advance(at(6, 19, 0) - clock.now());
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    let late = give(
        &mut ines,
        &[
            ("occurrence_id", &first),
            ("took_place", "yes"),
            ("rating", "1"),
            ("confidence", "1"),
        ],
    )
    .await;
    assert_eq!(
        field_errors(&late),
        pairs(&[("form", "errors.feedback.closed")])
    );
    assert_eq!(stored(&app).await[0].2, Some(5));
    let ids = |list: Vec<Value>| -> Vec<String> {
        list.iter()
            .map(|s| s["occurrence_id"].to_string())
            .collect()
    };
    let third = session_on(&mut ines, "2027-04-06").await;
    // 6 April's session ended at 18:00 UTC; the first is closed for both,
    // the second answered by Inès only.
    assert_eq!(ids(pending(&mut ines).await), std::slice::from_ref(&third));
    assert_eq!(ids(pending(&mut maelys).await), [second, third]);
}
