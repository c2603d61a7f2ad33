//! Coordinators' alerts (issue 8) through the real router and database
//! (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`), with an
//! injected clock: each rule raised, acknowledged with a note, and closed
//! when its cause is gone; only in the coordinator's scope.
//!
//! Inès (Paris) and Maëlys (Réunion) are matched on Saturday 20 March 2027
//! at 09:00 UTC; with weekly sessions, they meet on Tuesdays at 19:00
//! Paris from 23 March.

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::{active_match, session_on, tuesdays_from_23_march};
use common::people::{montpellier_coordinator, user_id};
use common::visitor::{field_errors, pairs, Visitor};
use common::TestApp;
use domain::alerts::Rules;
use serde_json::Value;

fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, month, day, hour, minute, 0)
        .single()
        .expect("an instant")
}

/// Moves the clock to `when` and runs the rules, as housekeeping does.
async fn refresh_at(app: &TestApp, clock: &app::clock::ManualClock, when: DateTime<Utc>) {
    clock.advance(when - clock.now());
    app::alerts::store::refresh(&app.db, &Rules::default(), clock.now())
        .await
        .expect("alerts refreshed");
}

/// The coordinator's open alerts: (kind, label, acknowledged), in the
/// page's order, and their ids.
async fn alerts(who: &mut Visitor<'_>) -> (Vec<(String, String, bool)>, Vec<String>) {
    let found = json_of(&who.post("/api/coordination/alertes", &[]).await);
    let list = found["alerts"].as_array().expect("alerts").clone();
    (
        list.iter()
            .map(|a| {
                (
                    a["kind"].as_str().expect("a kind").to_owned(),
                    a["label"].as_str().expect("a label").to_owned(),
                    !a["acknowledged"].is_null(),
                )
            })
            .collect(),
        list.iter().map(|a| a["id"].to_string()).collect(),
    )
}

fn alert(kind: &str, label: &str, acknowledged: bool) -> (String, String, bool) {
    (kind.to_owned(), label.to_owned(), acknowledged)
}

async fn acknowledge(who: &mut Visitor<'_>, id: &str, note: &str) -> common::TestResponse {
    who.post(
        "/api/coordination/alertes/vu",
        &[("alert_id", id), ("note", note)],
    )
    .await
}

async fn answer(who: &mut Visitor<'_>, form: &[(&str, &str)]) {
    let given = who.post("/api/avis/donner", form).await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
}

const PAIR: &str = "Inès Roux / Maëlys Payet";

/// A coordinator of Montpellier tries to close the report `id`.
async fn louis_closes(app: &TestApp, id: &str) -> StatusCode {
    let mut louis = montpellier_coordinator(app).await;
    louis
        .post(
            "/api/coordination/signalement/clore",
            &[("report_id", id), ("note", "Vu")],
        )
        .await
        .status
}

#[tokio::test]
async fn missed_sessions_and_a_low_rating_are_raised_acknowledged_and_closed() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    refresh_at(&app, &clock, clock.now()).await;
    assert_eq!(alerts(&mut camille).await.0, []);

    // The first session did not take place, say both: one is not two.
    let first = session_on(&mut ines, "2027-03-23").await;
    refresh_at(&app, &clock, at(3, 24, 9, 0)).await;
    for (who, email) in [
        (&mut ines, "ines@exemple.fr"),
        (&mut maelys, "maelys@exemple.fr"),
    ] {
        who.sign_in_again(email).await;
        answer(who, &[("occurrence_id", &first), ("took_place", "no")]).await;
    }
    refresh_at(&app, &clock, clock.now()).await;
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    assert_eq!(alerts(&mut camille).await.0, []);

    // The second neither, says Inès alone: two missed in a row.
    let second = session_on(&mut ines, "2027-03-30").await;
    refresh_at(&app, &clock, at(3, 31, 9, 0)).await;
    ines.sign_in_again("ines@exemple.fr").await;
    answer(
        &mut ines,
        &[("occurrence_id", &second), ("took_place", "no")],
    )
    .await;
    refresh_at(&app, &clock, clock.now()).await;
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let (found, ids) = alerts(&mut camille).await;
    assert_eq!(found, [alert("missed_sessions", PAIR, false)]);

    // Acknowledged with a note (required); it stays open while the cause
    // is there.
    let empty = acknowledge(&mut camille, &ids[0], "  ").await;
    assert_eq!(
        field_errors(&empty),
        pairs(&[("note", "errors.alerts.note_needed")])
    );
    let seen = acknowledge(&mut camille, &ids[0], "J’appelle Maëlys demain.").await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(
        alerts(&mut camille).await.0,
        [alert("missed_sessions", PAIR, true)]
    );
    refresh_at(&app, &clock, clock.now()).await;
    assert_eq!(
        alerts(&mut camille).await.0,
        [alert("missed_sessions", PAIR, true)]
    );

    // The third is held, rated 1 by Inès: the missed sessions' cause is
    // gone, the low rating raised.
    let third = session_on(&mut ines, "2027-04-06").await;
    refresh_at(&app, &clock, at(4, 7, 9, 0)).await;
    ines.sign_in_again("ines@exemple.fr").await;
    answer(
        &mut ines,
        &[
            ("occurrence_id", &third),
            ("took_place", "yes"),
            ("rating", "1"),
            ("confidence", "2"),
        ],
    )
    .await;
    refresh_at(&app, &clock, clock.now()).await;
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let (found, ids) = alerts(&mut camille).await;
    assert_eq!(found, [alert("low_rating", PAIR, false)]);

    // Not for a coordinator of another académie, who cannot acknowledge it.
    let mut louis = montpellier_coordinator(&app).await;
    assert_eq!(alerts(&mut louis).await.0, []);
    let outside = acknowledge(&mut louis, &ids[0], "Vu").await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);

    // Acknowledged, a low rating closes, and is not raised again.
    let seen = acknowledge(&mut camille, &ids[0], "Échange avec Inès ce soir.").await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(alerts(&mut camille).await.0, []);
    refresh_at(&app, &clock, clock.now()).await;
    assert_eq!(alerts(&mut camille).await.0, []);
    let audit: Vec<(String,)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT details FROM audit_log WHERE action = 'alert.acknowledge' ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .expect("audit"));
    assert_eq!(audit.len(), 2);
    assert!(
        audit[1].0.starts_with("kind=low_rating subject=feedback:"),
        "{audit:?}"
    );
}

#[tokio::test]
async fn a_quiet_pair_a_waiting_pupil_an_expiring_check_and_a_report() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys, match_id) = active_match(&app).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;

    // Matched on 20 March 09:00 and no session since: 14 days exactly is
    // not yet more than 14.
    refresh_at(&app, &clock, at(4, 3, 9, 0)).await;
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    assert_eq!(alerts(&mut camille).await.0, []);
    refresh_at(&app, &clock, at(4, 3, 9, 1)).await;
    assert_eq!(
        alerts(&mut camille).await.0,
        [alert("no_recent_session", PAIR, false)]
    );

    // The pair ends: that alert closes. Inès is back on the waiting list
    // having waited nothing yet (she was matched the day she asked).
    maelys.sign_in_again("maelys@exemple.fr").await;
    let ended = maelys
        .post(
            "/api/binome/terminer",
            &[
                ("match_id", &match_id.to_string()),
                ("reason", "incompatibility"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    refresh_at(&app, &clock, clock.now()).await;
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    assert_eq!(alerts(&mut camille).await.0, []);

    // Seven days later exactly: not yet; then a minute more.
    refresh_at(&app, &clock, at(4, 10, 9, 1)).await;
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    assert_eq!(alerts(&mut camille).await.0, []);
    refresh_at(&app, &clock, at(4, 10, 9, 3)).await;
    assert_eq!(
        alerts(&mut camille).await.0,
        [alert("long_wait", "Inès Roux", false)]
    );

    // Maëlys's check now expires on 1 May: within 30 days.
    let tutor = user_id(&app, "maelys@exemple.fr").await.to_string();
    let recorded = camille
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor),
                ("outcome", "cleared"),
                ("done_on", "2027-04-01"),
                ("expires_on", "2027-05-01"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    refresh_at(&app, &clock, clock.now()).await;
    let kinds = |found: Vec<(String, String, bool)>| -> Vec<String> {
        found.into_iter().map(|(kind, _, _)| kind).collect()
    };
    assert_eq!(
        kinds(alerts(&mut camille).await.0),
        ["long_wait", "check_expiring"]
    );

    // A report from Inès: first in the list.
    ines.sign_in_again("ines@exemple.fr").await;
    let reported = ines
        .post(
            "/api/signaler",
            &[("body", "On se moque de moi en classe.")],
        )
        .await;
    assert!(
        reported.status.is_success() || reported.status.is_redirection(),
        "{}",
        reported.body
    );
    refresh_at(&app, &clock, clock.now()).await;
    let (found, ids) = alerts(&mut camille).await;
    assert_eq!(kinds(found), ["open_report", "long_wait", "check_expiring"]);

    // Acknowledging the report's alert leaves the report in the queue;
    // closing the report (with what was done) closes the alert.
    let seen = acknowledge(&mut camille, &ids[0], "J’appelle la CPE du lycée.").await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let overview = json_of(&camille.post("/api/coordination", &[]).await);
    let report = overview["open_reports"][0]["id"].to_string();
    let outside = louis_closes(&app, &report).await;
    assert_eq!(outside, StatusCode::NOT_FOUND);
    let no_note = camille
        .post(
            "/api/coordination/signalement/clore",
            &[("report_id", &report), ("note", " ")],
        )
        .await;
    assert_eq!(
        field_errors(&no_note),
        pairs(&[("note", "errors.report.note_needed")])
    );
    let closed = camille
        .post(
            "/api/coordination/signalement/clore",
            &[
                ("report_id", &report),
                ("note", "Vu avec la CPE : suivi par l’infirmière du lycée."),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let overview = json_of(&camille.post("/api/coordination", &[]).await);
    assert_eq!(overview["open_reports"], Value::Array(Vec::new()));
    assert_eq!(
        kinds(alerts(&mut camille).await.0),
        ["long_wait", "check_expiring"]
    );
    // The check renewed: its alert closes at the next round.
    let renewed = camille
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor),
                ("outcome", "cleared"),
                ("done_on", "2027-04-10"),
                ("expires_on", "2028-04-10"),
            ],
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    refresh_at(&app, &clock, clock.now()).await;
    assert_eq!(
        alerts(&mut camille).await.0,
        [alert("long_wait", "Inès Roux", false)]
    );
}

#[tokio::test]
async fn a_pair_whose_sessions_nobody_says_were_held_is_quiet() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, _maelys) = tuesdays_from_23_march(&app).await;
    // Two sessions have passed by 3 April, neither answered: nothing says
    // they were held, and the pair started more than 14 days ago.
    refresh_at(&app, &clock, at(4, 3, 9, 1)).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    assert_eq!(
        alerts(&mut camille).await.0,
        [alert("no_recent_session", PAIR, false)]
    );
}
