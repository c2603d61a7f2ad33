//! Ending a match with a coded reason, and reports made from a match
//! (issue 8), through the real router and database (SQLite, or PostgreSQL
//! with `BINOME_TEST_POSTGRES_URL`), with an injected clock.
//!
//! Inès (Paris) and Maëlys (Réunion) meet on Tuesdays at 19:00 Paris from
//! 23 March 2027; the first session, 18:00–19:00 UTC, is held before each
//! ending below (Wednesday 24 March, 09:00 UTC).

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::tuesdays_from_23_march;
use common::people::{montpellier_coordinator, user_id};
use common::visitor::{field_errors, outbox, pairs, Visitor};
use common::TestApp;

fn wednesday_24_march() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0)
        .single()
        .expect("an instant")
}

/// The match, after the first session: (pupil, tutor, match id). The
/// clock is on Wednesday 24 March, both signed in again.
async fn after_first_session<'a>(
    app: &'a TestApp,
    clock: &app::clock::ManualClock,
) -> (Visitor<'a>, Visitor<'a>, String) {
    let (mut ines, mut maelys) = tuesdays_from_23_march(app).await;
    let id = json_of(&ines.post("/api/binomes", &[]).await)[0]["id"]
        .as_i64()
        .expect("a match")
        .to_string();
    clock.advance(wednesday_24_march() - clock.now());
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    (ines, maelys, id)
}

async fn end(who: &mut Visitor<'_>, form: &[(&str, &str)]) -> common::TestResponse {
    who.post("/api/binome/terminer", form).await
}

/// The match's row: (status, end reason, ended by, note).
async fn match_row(
    app: &TestApp,
    id: &str,
) -> (String, Option<String>, Option<i64>, Option<String>) {
    let id: i64 = id.parse().expect("an id");
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT status, end_reason, ended_by_user_id, end_note FROM matches WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("the match"))
}

/// The pupil's help requests: (status, requested at).
async fn requests(app: &TestApp) -> Vec<(String, DateTime<Utc>)> {
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT status, requested_at FROM help_requests ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .expect("requests"))
}

/// The stored sessions: (start, status), by start.
async fn sessions(app: &TestApp) -> Vec<(DateTime<Utc>, String)> {
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT starts_at, status FROM session_occurrences ORDER BY starts_at"
    )
    .fetch_all(pool)
    .await
    .expect("sessions"))
}

/// Whether each tutor's offer is paused, by tutor.
async fn paused(app: &TestApp) -> Vec<bool> {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT paused_at IS NOT NULL FROM tutor_offers ORDER BY tutor_user_id"
    )
    .fetch_all(pool)
    .await
    .expect("offers"))
}

/// The text of the `match_ended` email to `to`.
async fn ended_email(app: &TestApp, to: &str) -> String {
    let found: Vec<String> = outbox(app)
        .await
        .into_iter()
        .filter(|(kind, recipient, _)| kind == "match_ended" && recipient == to)
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(found.len(), 1, "one email to {to}: {found:?}");
    found[0].clone()
}

/// The content types of the attachments of the `match_ended` email to `to`.
async fn attachments(app: &TestApp, to: &str) -> Vec<(String, String)> {
    let rows: Vec<(String, Vec<u8>)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT a.content_type, a.content FROM email_attachments a \
         JOIN email_outbox o ON o.id = a.email_id \
         WHERE o.kind = 'match_ended' AND o.recipient_address = $1 ORDER BY a.position"
    )
    .bind(to)
    .fetch_all(pool)
    .await
    .expect("attachments"));
    rows.into_iter()
        .map(|(kind, bytes)| (kind, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

#[tokio::test]
async fn the_tutor_ends_the_pair_the_pupil_keeps_her_place_and_the_coming_sessions_are_cancelled() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys, id) = after_first_session(&app, &clock).await;
    let requests_before = requests(&app).await;
    assert_eq!(requests_before.len(), 1);
    let before = sessions(&app).await;
    let now = clock.now();
    let coming = before.iter().filter(|(start, _)| *start > now).count();
    assert!(coming >= 4, "{before:?}");

    // Bad input: field by field, nothing changed.
    let wrong = end(
        &mut maelys,
        &[
            ("match_id", &id),
            ("reason", "fini"),
            ("note", &"x".repeat(501)),
        ],
    )
    .await;
    assert_eq!(
        field_errors(&wrong),
        pairs(&[
            ("reason", "errors.match_end.reason"),
            ("note", "errors.match_end.note_long")
        ])
    );
    let no_note = end(&mut maelys, &[("match_id", &id), ("reason", "other")]).await;
    assert_eq!(
        field_errors(&no_note),
        pairs(&[("note", "errors.match_end.note_needed")])
    );
    assert_eq!(match_row(&app, &id).await.0, "active");
    assert_eq!(sessions(&app).await, before);

    // Nobody else may end it: a coordinator of another académie, a
    // visitor signed out.
    let mut montpellier = montpellier_coordinator(&app).await;
    let outside = end(
        &mut montpellier,
        &[("match_id", &id), ("reason", "goal_reached")],
    )
    .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "{}", outside.body);
    let anonymous = end(
        &mut Visitor::new(&app),
        &[("match_id", &id), ("reason", "goal_reached")],
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(match_row(&app, &id).await.0, "active");

    // The tutor ends it; her unticked checkbox does not close the request.
    let ended = end(
        &mut maelys,
        &[
            ("match_id", &id),
            ("reason", "no_longer_available"),
            ("note", "  Stage à l’étranger  "),
        ],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(
        match_row(&app, &id).await,
        (
            "ended".to_owned(),
            Some("no_longer_available".to_owned()),
            Some(user_id(&app, "maelys@exemple.fr").await),
            Some("Stage à l’étranger".to_owned()),
        )
    );
    // Back in the waiting list, the time she waited kept: her request's
    // date moves on by the time the match lasted.
    let started_at: DateTime<Utc> = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT started_at FROM matches"
    )
    .fetch_one(pool)
    .await
    .expect("the match"));
    assert_eq!(
        requests(&app).await,
        [("open".to_owned(), requests_before[0].1 + (now - started_at))]
    );
    // She has no time left: her offer is paused, nobody else proposed.
    assert_eq!(paused(&app).await, [true]);
    // The held session stays; every one to come is cancelled.
    let after = sessions(&app).await;
    assert_eq!(after.len(), before.len());
    for ((start, was), (same, now_status)) in before.iter().zip(&after) {
        assert_eq!(start, same);
        if *start > now {
            assert_eq!(now_status, "cancelled", "{start}");
        } else {
            assert_eq!(now_status, was, "{start}");
        }
    }
    let series: Vec<(String,)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT status FROM session_series"
    )
    .fetch_all(pool)
    .await
    .expect("series"));
    assert_eq!(series, [("ended".to_owned(),)]);

    // Both told; the pupil not of the note, which is for coordinators.
    let to_ines = ended_email(&app, "ines@exemple.fr").await;
    assert!(
        to_ines.contains("Maëlys Payet a mis fin à votre binôme."),
        "{to_ines}"
    );
    assert!(
        to_ines.contains("Raison\u{202f}: Plus disponible"),
        "{to_ines}"
    );
    assert!(
        to_ines.contains("vous gardez votre place dans la liste d’attente"),
        "{to_ines}"
    );
    assert!(!to_ines.contains("Stage"), "{to_ines}");
    let to_maelys = ended_email(&app, "maelys@exemple.fr").await;
    assert!(
        to_maelys.contains("Vous avez mis fin à votre binôme avec Inès"),
        "{to_maelys}"
    );
    assert!(to_maelys.contains("Votre place se libère"), "{to_maelys}");
    assert!(
        to_maelys.contains("Votre offre de tutorat est en pause"),
        "{to_maelys}"
    );
    // Each calendar keeps the session held and loses the others: the
    // series now ends on Wednesday 24 March (Paris), after the first one.
    for to in ["ines@exemple.fr", "maelys@exemple.fr"] {
        let found = attachments(&app, to).await;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "text/calendar; charset=utf-8; method=REQUEST");
        let ics = found[0].1.replace("\r\n ", "");
        assert!(ics.contains("METHOD:REQUEST"), "{ics}");
        assert!(ics.contains("RRULE:FREQ=WEEKLY;"), "{ics}");
        assert!(ics.contains("UNTIL=20270324"), "{ics}");
    }

    // Gone from both accounts; a second ending finds nothing.
    for who in [&mut ines, &mut maelys] {
        let list = json_of(&who.post("/api/binomes", &[]).await);
        assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
    }
    let again = end(&mut ines, &[("match_id", &id), ("reason", "goal_reached")]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let audit: Vec<(String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT action, details FROM audit_log WHERE action = 'match.end'"
    )
    .fetch_all(pool)
    .await
    .expect("audit"));
    assert_eq!(
        audit,
        [(
            "match.end".to_owned(),
            "by=tutor reason=no_longer_available back_to_pool=true sessions_ended=1 offer_paused=true \
             tutor_suspended=false"
                .to_owned()
        )]
    );
}

#[tokio::test]
async fn the_pupil_who_reached_her_goal_leaves_the_waiting_list() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, _maelys, id) = after_first_session(&app, &clock).await;
    let ended = end(
        &mut ines,
        &[
            ("match_id", &id),
            ("reason", "goal_reached"),
            ("back_to_pool", "on"),
        ],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let requests = requests(&app).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].0, "withdrawn");
    assert_eq!(paused(&app).await, [false]);
    let to_ines = ended_email(&app, "ines@exemple.fr").await;
    assert!(
        to_ines.contains("Votre demande d’aide est close."),
        "{to_ines}"
    );
    let to_maelys = ended_email(&app, "maelys@exemple.fr").await;
    assert!(
        to_maelys.contains("Inès Roux a mis fin à votre binôme."),
        "{to_maelys}"
    );
    assert!(to_maelys.contains("Objectif atteint"), "{to_maelys}");
}

#[tokio::test]
async fn a_safeguarding_ending_reaches_the_coordinators_and_is_not_told_to_the_other_side() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, maelys, id) = after_first_session(&app, &clock).await;
    let ended = end(
        &mut ines,
        &[
            ("match_id", &id),
            ("reason", "safeguarding"),
            ("note", "Il m’a demandé mon numéro de téléphone."),
            ("back_to_pool", "on"),
        ],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(requests(&app).await[0].0, "open");
    // The tutor is proposed nobody meanwhile, and is not told why.
    assert_eq!(paused(&app).await, [true]);
    let to_maelys = ended_email(&app, "maelys@exemple.fr").await;
    assert!(!to_maelys.contains("en pause"), "{to_maelys}");
    assert!(!to_maelys.contains("Raison"), "{to_maelys}");
    assert!(!to_maelys.contains("sécurité"), "{to_maelys}");
    assert!(!to_maelys.contains("téléphone"), "{to_maelys}");
    let to_ines = ended_email(&app, "ines@exemple.fr").await;
    assert!(
        to_ines.contains("Un problème de sécurité ou de comportement"),
        "{to_ines}"
    );

    // In the coordinators' queue, naming the pair, and emailed to them.
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let overview = json_of(&camille.post("/api/coordination", &[]).await);
    let reports = overview["open_reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 1, "{overview}");
    assert_eq!(
        reports[0]["body"],
        "Il m’a demandé mon numéro de téléphone."
    );
    assert_eq!(reports[0]["pupil"], "Inès Roux");
    assert_eq!(reports[0]["tutor"], "Maëlys Payet");
    let told: Vec<String> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, _, _)| kind == "problem_reported")
        .map(|(_, to, _)| to)
        .collect();
    assert_eq!(told, ["camille@ac-toulouse.fr"]);

    // Suspended until a coordinator looks into it: taking her pause back
    // does not make her proposable again; Camille's approval does.
    let maelys_id = user_id(&app, "maelys@exemple.fr").await;
    assert_eq!(tutor_status(&app, maelys_id).await, "suspended");
    let mut maelys = maelys;
    let resumed = maelys
        .post("/api/tuteur/offre/pause", &[("paused", "0")])
        .await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.body);
    assert_eq!(paused(&app).await, [false]);
    assert_eq!(tutor_status(&app, maelys_id).await, "suspended");
    let approved = camille
        .post(
            "/api/coordination/decision",
            &[
                ("tutor_id", &maelys_id.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(tutor_status(&app, maelys_id).await, "approved");
    let audited: String = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'match.end'"
    )
    .fetch_one(pool)
    .await
    .expect("the ending"));
    assert!(audited.ends_with("tutor_suspended=true"), "{audited}");
    let on_tutor: Vec<(String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT action, details FROM audit_log WHERE object_type = 'tutor' AND object_id = $1 \
         ORDER BY id"
    )
    .bind(maelys_id.to_string())
    .fetch_all(pool)
    .await
    .expect("her history"));
    let ending: i64 = id.parse().expect("an id");
    assert_eq!(
        on_tutor
            .iter()
            .rev()
            .take(2)
            .rev()
            .cloned()
            .collect::<Vec<_>>(),
        [
            (
                "tutor.suspend".to_owned(),
                format!("from=approved to=suspended match={ending} reason=safeguarding")
            ),
            (
                "tutor.approve".to_owned(),
                "from=suspended to=approved".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn a_coordinators_safeguarding_ending_suspends_the_tutor_too() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, _maelys, id) = after_first_session(&app, &clock).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let ended = end(
        &mut camille,
        &[
            ("match_id", &id),
            ("reason", "safeguarding"),
            ("back_to_pool", "on"),
        ],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let maelys_id = user_id(&app, "maelys@exemple.fr").await;
    assert_eq!(tutor_status(&app, maelys_id).await, "suspended");
    // No report: the coordinators know already.
    let overview = json_of(&camille.post("/api/coordination", &[]).await);
    assert_eq!(overview["open_reports"].as_array().map(Vec::len), Some(0));
}

/// The status of the tutor `id` (`approved`, `suspended`, …).
async fn tutor_status(app: &TestApp, id: i64) -> String {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT status FROM tutors WHERE user_id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("a tutor"))
}

#[tokio::test]
async fn a_tutors_own_safeguarding_concern_does_not_suspend_her() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, mut maelys, id) = after_first_session(&app, &clock).await;
    let ended = end(
        &mut maelys,
        &[
            ("match_id", &id),
            ("reason", "safeguarding"),
            ("back_to_pool", "on"),
        ],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    // Her concern is about the pupil: it reaches the coordinators, and she
    // stays approved (her offer paused, as after any safeguarding ending).
    let maelys_id = user_id(&app, "maelys@exemple.fr").await;
    assert_eq!(tutor_status(&app, maelys_id).await, "approved");
    assert_eq!(paused(&app).await, [true]);
    let reports: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM problem_reports WHERE status = 'open'"
    )
    .fetch_one(pool)
    .await
    .expect("reports"));
    assert_eq!(reports, 1);
}

#[tokio::test]
async fn a_coordinator_of_the_academie_ends_a_pair_and_chooses_for_the_pupil() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, _maelys, id) = after_first_session(&app, &clock).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    // The pupil's page lists her pair, for her académie's coordinators only.
    let ines = user_id(&app, "ines@exemple.fr").await.to_string();
    let listed = json_of(
        &camille
            .post("/api/coordination/eleve/binomes", &[("pupil_id", &ines)])
            .await,
    );
    assert_eq!(listed[0]["id"].to_string(), id);
    assert_eq!(listed[0]["tutor_name"], "Maëlys Payet");
    assert_eq!(listed[0]["started_on"], "2027-03-20");
    let mut louis = montpellier_coordinator(&app).await;
    let outside = louis
        .post("/api/coordination/eleve/binomes", &[("pupil_id", &ines)])
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    let ended = end(
        &mut camille,
        &[
            ("match_id", &id),
            ("reason", "incompatibility"),
            ("back_to_pool", "on"),
        ],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(requests(&app).await[0].0, "open");
    for to in ["ines@exemple.fr", "maelys@exemple.fr"] {
        let text = ended_email(&app, to).await;
        assert!(
            text.contains("Les coordinateurs de votre académie ont mis fin"),
            "{text}"
        );
        assert!(text.contains("Le binôme ne fonctionne pas bien"), "{text}");
    }
    let listed = json_of(
        &camille
            .post("/api/coordination/eleve/binomes", &[("pupil_id", &ines)])
            .await,
    );
    assert_eq!(listed, serde_json::json!([]));
    // No report: the coordinators did it themselves.
    let overview = json_of(&camille.post("/api/coordination", &[]).await);
    assert_eq!(overview["open_reports"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_report_made_from_a_match_names_it_and_only_its_sides_may_make_it() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, mut maelys, id) = after_first_session(&app, &clock).await;
    let mut other_tutor = common::needs::reunion_maths_tutor(&app, "hugo@exemple.fr").await;
    let body = "Inès semble inquiète, elle parle de harcèlement au lycée.";
    let refused = other_tutor
        .post("/api/signaler", &[("body", body), ("match_id", &id)])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let made = maelys
        .post("/api/signaler", &[("body", body), ("match_id", &id)])
        .await;
    assert!(
        made.status.is_success() || made.status.is_redirection(),
        "{}",
        made.body
    );
    let stored: Vec<(Option<i64>, Option<i64>, String)> = app::on_db!(&app.db, |pool| {
        sqlx::query_as("SELECT match_id, pupil_user_id, academy_code FROM problem_reports")
            .fetch_all(pool)
            .await
            .expect("reports")
    });
    assert_eq!(
        stored,
        [(
            Some(id.parse().expect("an id")),
            Some(user_id(&app, "ines@exemple.fr").await),
            "toulouse".to_owned()
        )]
    );
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let overview = json_of(&camille.post("/api/coordination", &[]).await);
    assert_eq!(overview["open_reports"][0]["tutor"], "Maëlys Payet");
    assert_eq!(overview["open_reports"][0]["body"], body);
}
