//! The demo (issue 9, part 1) on SQLite, or PostgreSQL with
//! `BINOME_TEST_POSTGRES_URL`: loaded into an empty database with the real
//! directory, a history the dashboard counts, the accounts signing in with
//! the one demo password, the same data again from the same seed, and a
//! database with real data refused untouched.
//!
//! A smaller population than `binome serve --demo` (400 pupils, 120
//! tutors) keeps the test quick; the generator's own tests check the full
//! size.

use crate::common;

use std::sync::Arc;

use app::clock::{Clock, ManualClock};
use app::demo::{self, population::Size, Status};
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::needs::json_of;
use common::visitor::Visitor;
use common::TestApp;

const SIZE: Size = Size {
    pupils: 400,
    tutors: 120,
};

/// Monday 7 December 2026, noon in Paris.
fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 12, 7, 11, 0, 0)
            .single()
            .expect("an instant"),
    ))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

async fn rows(app: &TestApp, sql: &str) -> Vec<(String, String)> {
    app::on_db!(&app.db, |pool| sqlx::query_as(sql)
        .fetch_all(pool)
        .await
        .expect(sql))
}

/// The strings of a JSON array.
fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

/// The lycées of the shared directory file, counted with the csv crate.
fn directory_rows() -> i64 {
    let path = common::shared_data("lycees-occitanie.csv");
    let count = csv::Reader::from_path(&path)
        .expect(&path)
        .records()
        .count();
    i64::try_from(count).expect("a count")
}

#[tokio::test]
async fn the_demo_loads_a_history_that_the_dashboard_counts() {
    let clock = clock();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    assert_eq!(demo::status(&app.db).await.expect("status"), Status::Empty);
    let summary = demo::load(&app.state, 11, SIZE)
        .await
        .expect("the demo loads");
    assert_eq!(
        demo::status(&app.db).await.expect("status"),
        Status::Demo { seed: 11 }
    );

    // The real directory, and the people asked for.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM schools").await,
        directory_rows()
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM schools").await, 556);
    for (role, expected) in [
        ("pupil", 400),
        ("tutor", 120),
        ("coordinator", 2),
        ("administrator", 1),
    ] {
        let sql = format!("SELECT COUNT(*) FROM users WHERE role = '{role}'");
        assert_eq!(count(&app, &sql).await, expected, "{role}");
    }
    let parents = count(&app, "SELECT COUNT(*) FROM users WHERE role = 'parent'").await;
    assert_eq!(
        parents,
        count(
            &app,
            "SELECT COUNT(*) FROM pupils WHERE parent_user_id IS NOT NULL AND consent = 'given'"
        )
        .await
    );
    assert!(parents > 0, "some pupils are under 15");
    assert_eq!(usize::try_from(parents).ok(), Some(summary.parents));
    let domain = format!("%@{}", demo::EMAIL_DOMAIN);
    let outside: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE email NOT LIKE $1"
    )
    .bind(&domain)
    .fetch_one(pool)
    .await
    .expect("addresses"));
    assert_eq!(outside, 0, "every address is a demo address");

    // One hash for every account, of the documented password.
    assert_eq!(
        count(&app, "SELECT COUNT(DISTINCT password_hash) FROM users").await,
        1
    );
    let hash: Option<String> = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT password_hash FROM users LIMIT 1"
    )
    .fetch_one(pool)
    .await
    .expect("a hash"));
    assert!(app::accounts::password::verify(demo::PASSWORD.into(), hash).await);

    // A history: pairs within capacity, past sessions with feedback, next
    // ones scheduled, pupils still waiting, and no email left to send.
    let matches = count(&app, "SELECT COUNT(*) FROM matches WHERE status = 'active'").await;
    assert!(matches > 50, "{matches} pairs");
    assert_eq!(
        usize::try_from(count(&app, "SELECT COUNT(*) FROM matches").await).ok(),
        Some(summary.matches)
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM tutor_offers o WHERE o.capacity < (SELECT COUNT(*) FROM matches m \
             WHERE m.tutor_user_id = o.tutor_user_id AND m.status = 'active')"
        )
        .await,
        0,
        "no tutor over capacity"
    );
    let now = clock.now();
    let past: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_occurrences WHERE ends_at <= $1 AND status = 'scheduled'"
    )
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("past sessions"));
    let future: i64 = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_occurrences WHERE starts_at > $1 AND status = 'scheduled'"
    )
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("next sessions")
    });
    assert!(past > 100 && future > 100, "{past} past, {future} next");
    assert!(count(&app, "SELECT COUNT(*) FROM session_feedback").await > past);
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM session_occurrences WHERE status = 'cancelled'"
        )
        .await
            > 0
    );
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM help_requests r WHERE r.status = 'open' AND NOT EXISTS \
             (SELECT 1 FROM matches m WHERE m.request_id = r.id AND m.status = 'active')"
        )
        .await
            > 50
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM email_outbox").await, 0);

    // Toulouse's coordinator signs in with the demo password and her
    // dashboard counts what the database holds for her académie.
    let accounts = demo::accounts(&app.db).await.expect("accounts");
    let (_, toulouse) = accounts
        .coordinators
        .iter()
        .find(|(academy, _)| academy == "toulouse")
        .expect("Toulouse's coordinator");
    let mut nadia = Visitor::new(&app);
    let signed = nadia.sign_in(toulouse, demo::PASSWORD).await;
    assert_eq!(
        signed.header("location"),
        Some("/connexion/code"),
        "{}",
        signed.body
    );
    // The demo's second factor: its page shows the code of now, which is
    // the demo key's (RFC 6238).
    let step = json_of(&nadia.post("/api/connexion/code/etape", &[]).await);
    let code = step["Code"]["demo_code"]
        .as_str()
        .expect("the demo's code")
        .to_owned();
    let key = app::accounts::second_factor::totp::of(demo::TOTP_KEY, toulouse).expect("a key");
    let this_step = app::accounts::second_factor::totp::step_of(app.clock.now());
    assert_eq!(
        code,
        key.generate(this_step * app::accounts::second_factor::totp::STEP_SECONDS)
    );
    let done = nadia.post("/api/connexion/code", &[("code", &code)]).await;
    assert_eq!(done.header("location"), Some("/compte"), "{}", done.body);
    let board = json_of(&nadia.post("/api/coordination/tableau-de-bord", &[]).await);
    let in_toulouse = "JOIN pupils p ON p.user_id = m.pupil_user_id \
                       JOIN schools s ON s.uai = p.school_uai AND s.academy_code = 'toulouse'";
    let active = count(
        &app,
        &format!("SELECT COUNT(*) FROM matches m {in_toulouse} WHERE m.status = 'active'"),
    )
    .await;
    assert_eq!(board["total"]["active_pairs"], active);
    // The demo's two sides always agree on whether a session took place.
    let held: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(&format!(
        "SELECT COUNT(DISTINCT o.id) FROM session_occurrences o \
         JOIN session_series ss ON ss.id = o.series_id JOIN matches m ON m.id = ss.match_id \
         {in_toulouse} JOIN session_feedback f ON f.occurrence_id = o.id \
         WHERE f.took_place = $2 AND o.ends_at <= $1 AND o.status = 'scheduled'"
    ))
    .bind(now)
    .bind(true)
    .fetch_one(pool)
    .await
    .expect("held sessions"));
    assert!(held > 0);
    assert_eq!(board["total"]["held_this_year"], held);
    assert!(board["total"]["ratings"].as_u64().unwrap_or(0) > 0);

    // Her lists, read in batches, agree with the database row by row: the
    // open requests in order, each with its pupil and subjects in the
    // pupil's order; the offers, each with the tutor's académies in order.
    let listed = json_of(&nadia.post("/api/coordination/demandes", &[]).await);
    let listed: Vec<(i64, String, Vec<String>)> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| {
            (
                item["request"]["id"].as_i64().expect("an id"),
                item["pupil_name"].as_str().expect("a name").to_owned(),
                strings(&item["request"]["subjects"]),
            )
        })
        .collect();
    let stored: Vec<(i64, String, String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT r.id, u.first_name, u.last_name, hs.subject_code FROM help_requests r \
         JOIN users u ON u.id = r.pupil_user_id JOIN pupils p ON p.user_id = r.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai \
         JOIN help_request_subjects hs ON hs.request_id = r.id \
         WHERE r.status = 'open' AND s.academy_code = 'toulouse' \
         ORDER BY r.requested_at, r.id, hs.position"
    )
    .fetch_all(pool)
    .await
    .expect("requests"));
    let mut expected: Vec<(i64, String, Vec<String>)> = Vec::new();
    for (id, first, last, subject) in stored {
        match expected.last_mut() {
            Some(request) if request.0 == id => request.2.push(subject),
            _ => expected.push((id, format!("{first} {last}"), vec![subject])),
        }
    }
    assert!(expected.len() > 20, "{} requests", expected.len());
    assert_eq!(listed, expected);

    let offered = json_of(&nadia.post("/api/coordination/offres", &[]).await);
    let mut offered: Vec<(i64, Vec<String>)> = offered
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| {
            (
                item["tutor_id"].as_i64().expect("an id"),
                strings(&item["academies"]),
            )
        })
        .collect();
    offered.sort();
    let stored: Vec<(i64, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT ta.tutor_user_id, ta.academy_code FROM tutor_academies ta \
         WHERE ta.tutor_user_id IN (SELECT o.tutor_user_id FROM tutor_offers o \
         JOIN tutor_academies t ON t.tutor_user_id = o.tutor_user_id \
         WHERE t.academy_code = 'toulouse') ORDER BY ta.tutor_user_id, ta.position"
    )
    .fetch_all(pool)
    .await
    .expect("offers"));
    let mut expected: Vec<(i64, Vec<String>)> = Vec::new();
    for (id, academy) in stored {
        match expected.last_mut() {
            Some(tutor) if tutor.0 == id => tutor.1.push(academy),
            _ => expected.push((id, vec![academy])),
        }
    }
    assert!(expected.len() > 20, "{} offers", expected.len());
    assert_eq!(offered, expected);

    // The pupil the log names has a tutor and sessions to come.
    let pupil = accounts.pupil.expect("a pupil with a tutor");
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&pupil, demo::PASSWORD).await;
    let page = visitor.get("/calendrier").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_demo_again_and_real_data_is_refused() {
    let app = TestApp::spawn_with_clock(clock()).await;
    demo::load(&app.state, 5, SIZE)
        .await
        .expect("the demo loads");
    let people_sql = "SELECT u.email, u.first_name || ' ' || u.last_name || ' ' || p.school_uai \
                      || ' ' || p.level_code FROM users u JOIN pupils p ON p.user_id = u.id \
                      ORDER BY u.email";
    let pairs_sql =
        "SELECT pu.email, t.email FROM matches m JOIN users pu ON pu.id = m.pupil_user_id \
                     JOIN users t ON t.id = m.tutor_user_id ORDER BY pu.email";
    let people = rows(&app, people_sql).await;
    let pairs = rows(&app, pairs_sql).await;
    assert_eq!(people.len(), 400);

    // Loading again is refused: the database is not empty.
    assert!(matches!(
        demo::load(&app.state, 5, SIZE).await,
        Err(demo::DemoError::NotEmpty)
    ));
    demo::reset(&app.state, 5, SIZE)
        .await
        .expect("the demo resets");
    assert_eq!(rows(&app, people_sql).await, people);
    assert_eq!(rows(&app, pairs_sql).await, pairs);

    // Someone's real account: neither loaded over nor reset.
    let other = TestApp::spawn_with_clock(clock()).await;
    let mut camille = Visitor::new(&other);
    let signed_up = camille
        .sign_up("pupil", "Camille", "Durand", "camille@exemple.fr")
        .await;
    assert!(
        signed_up.status.is_success() || signed_up.status.is_redirection(),
        "{}",
        signed_up.body
    );
    assert_eq!(
        demo::status(&other.db).await.expect("status"),
        Status::Other
    );
    assert!(matches!(
        demo::load(&other.state, 5, SIZE).await,
        Err(demo::DemoError::NotEmpty)
    ));
    assert!(matches!(
        demo::reset(&other.state, 5, SIZE).await,
        Err(demo::DemoError::NotEmpty)
    ));
    assert_eq!(count(&other, "SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(count(&other, "SELECT COUNT(*) FROM schools").await, 0);
}
