//! Pupils, parents, tutors, coordinators and administrators through the
//! real router and database (SQLite, or PostgreSQL with
//! `BINOME_TEST_POSTGRES_URL`): profiles, parental consent under 15, the
//! background check and approval of tutors, its expiry, invitations and
//! the audit log.

use crate::common;

use std::sync::Arc;

use app::accounts::Role;
use app::clock::{Clock, ManualClock};
use axum::http::StatusCode;
use chrono::{TimeDelta, TimeZone, Utc};
use common::people::{
    confirmed, consenting_parent, import_schools, invited, save_pupil_profile, save_tutor_profile,
    user_id, MONTPELLIER_SCHOOL, TOULOUSE_SCHOOL,
};
use common::visitor::{emailed_secret, field_errors, outbox, pairs, Visitor, PASSWORD};
use common::TestApp;

/// 30 November 2026, 09:00 UTC.
fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
            .single()
            .expect("a date"),
    ))
}

async fn profile(pupil: &mut Visitor<'_>) -> serde_json::Value {
    let response = pupil.post("/api/eleve/profil", &[]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).expect("JSON")
}

#[tokio::test]
async fn a_pupil_under_15_can_ask_for_help_once_a_parent_consents_by_the_emailed_link() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut coordinator = invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let mut pupil = confirmed(&app, "pupil", "Zoé", "N'Diaye-Lefèvre", "zoe@exemple.fr").await;

    // Born in May 2012: 14 in November 2026. A parent's address is needed.
    let missing =
        save_pupil_profile(&mut pupil, "5", "2012", TOULOUSE_SCHOOL, "seconde_gt", "").await;
    assert_eq!(
        field_errors(&missing),
        pairs(&[("parent_email", "errors.parent_email.missing")])
    );
    let own = save_pupil_profile(
        &mut pupil,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "ZOE@exemple.fr",
    )
    .await;
    assert_eq!(
        field_errors(&own),
        pairs(&[("parent_email", "errors.parent_email.own")])
    );
    assert_eq!(
        profile(&mut pupil).await,
        serde_json::Value::Null,
        "nothing was saved"
    );

    let saved = save_pupil_profile(
        &mut pupil,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "parent.ndiaye@exemple.fr",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/compte"));
    let before = profile(&mut pupil).await;
    assert_eq!(before["under_15"], true);
    assert_eq!(before["consent"], "pending");
    assert_eq!(before["may_request_help"], false);
    assert_eq!(before["school"]["academy_code"], "toulouse");

    // The parent's email says what is collected and why.
    let emails = outbox(&app).await;
    let (_, _, text) = emails
        .iter()
        .find(|(kind, to, _)| kind == "parent_consent" && to == "parent.ndiaye@exemple.fr")
        .expect("a consent email to the parent");
    assert!(
        text.contains("Zoé N'Diaye-Lefèvre") && text.contains("Gabriel Fauré"),
        "{text}"
    );
    assert!(text.contains("mois et année de naissance"), "{text}");

    // The request the link opens shows the child, without using the link.
    let secret = emailed_secret(&app, "parent.ndiaye@exemple.fr", "/parent/consentement").await;
    let mut stranger = Visitor::new(&app);
    let request = stranger
        .post("/api/parent/demande", &[("token", &secret)])
        .await;
    assert_eq!(request.status, StatusCode::OK, "{}", request.body);
    let children: serde_json::Value = serde_json::from_str(&request.body).expect("JSON");
    assert_eq!(children[0]["profile"]["first_name"], "Zoé");

    let mut parent = consenting_parent(&app, "parent.ndiaye@exemple.fr").await;
    assert_eq!(parent.me().await["role"], "parent");
    let after = profile(&mut pupil).await;
    assert_eq!(after["consent"], "given");
    assert_eq!(after["may_request_help"], true);
    // Once only.
    let again = stranger
        .post(
            "/api/parent/repondre",
            &[("token", &secret), ("answer", "accept")],
        )
        .await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("token", "errors.link.invalid")])
    );

    // The parent space shows the child; withdrawing pauses the child and
    // tells the coordinator of the académie.
    let overview = parent.post("/api/parent/enfants", &[]).await;
    let children: serde_json::Value = serde_json::from_str(&overview.body).expect("JSON");
    let pupil_id = children[0]["pupil_id"].as_i64().expect("an id");
    assert_eq!(pupil_id, user_id(&app, "zoe@exemple.fr").await);
    let withdrawn = parent
        .post(
            "/api/parent/consentement",
            &[("pupil_id", &pupil_id.to_string()), ("give", "false")],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(profile(&mut pupil).await["may_request_help"], false);
    assert!(outbox(&app)
        .await
        .iter()
        .any(|(kind, to, text)| kind == "consent_withdrawn"
            && to == "camille@ac-toulouse.fr"
            && text.contains("Zoé N'Diaye-Lefèvre")));
    let overview: serde_json::Value =
        serde_json::from_str(&coordinator.post("/api/coordination", &[]).await.body).expect("JSON");
    assert_eq!(overview["pupils"][0]["profile"]["consent"], "withdrawn");

    // A new link into the parent space, by email, at any time.
    let asked = stranger
        .post("/api/parent/lien", &[("email", "parent.ndiaye@exemple.fr")])
        .await;
    assert_eq!(asked.header("location"), Some("/parent/envoye"));
    let mut link = String::new();
    for _ in 0..50 {
        if outbox(&app)
            .await
            .iter()
            .any(|(kind, _, _)| kind == "parent_sign_in")
        {
            link = emailed_secret(&app, "parent.ndiaye@exemple.fr", "/parent/entrer").await;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut phone = Visitor::new(&app);
    let entered = phone.post("/api/parent/entrer", &[("token", &link)]).await;
    assert_eq!(
        entered.header("location"),
        Some("/parent"),
        "{}",
        entered.body
    );
    assert_eq!(phone.me().await["role"], "parent");
}

#[tokio::test]
async fn fifteen_counts_from_the_month_after_the_fifteenth_birthday() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut pupil = confirmed(&app, "pupil", "Léo", "Martin", "leo@exemple.fr").await;
    // Born in November 2011: 15 in November 2026, counted 15 from December.
    let young = save_pupil_profile(
        &mut pupil,
        "11",
        "2011",
        MONTPELLIER_SCHOOL,
        "premiere_generale",
        "",
    )
    .await;
    assert_eq!(
        field_errors(&young),
        pairs(&[("parent_email", "errors.parent_email.missing")])
    );
    // Born in October 2011: 15 since 1 November 2026.
    let saved = save_pupil_profile(
        &mut pupil,
        "10",
        "2011",
        MONTPELLIER_SCHOOL,
        "premiere_generale",
        "",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let profile = profile(&mut pupil).await;
    assert_eq!(
        (
            profile["under_15"].clone(),
            profile["consent"].clone(),
            profile["may_request_help"].clone()
        ),
        (
            serde_json::json!(false),
            serde_json::json!("not_required"),
            serde_json::json!(true)
        )
    );
    assert!(!outbox(&app)
        .await
        .iter()
        .any(|(kind, _, _)| kind == "parent_consent"));
}

#[tokio::test]
async fn every_bad_profile_field_is_reported_and_nothing_is_saved() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut pupil = confirmed(&app, "pupil", "Inès", "Roux", "ines@exemple.fr").await;
    // 0310024H is a well-formed UAI (its letter matches) that is not in
    // this test's directory; 0310024X has the wrong letter.
    let response = save_pupil_profile(
        &mut pupil,
        "13",
        "1990",
        "0310024H",
        "spe_mathematiques",
        "",
    )
    .await;
    assert_eq!(
        field_errors(&response),
        pairs(&[
            ("birth_month", "errors.birth_month.invalid"),
            ("birth_year", "errors.birth_year.range"),
            ("school_uai", "errors.school.unknown"),
            ("level_code", "errors.level.unknown"),
        ])
    );
    let letter = save_pupil_profile(&mut pupil, "3", "2010", "0310024X", "seconde_gt", "").await;
    assert_eq!(
        field_errors(&letter),
        pairs(&[("school_uai", "errors.uai.check_letter")])
    );
    assert_eq!(profile(&mut pupil).await, serde_json::Value::Null);

    let mut tutor = confirmed(&app, "tutor", "Hugo", "Bernard", "hugo@exemple.fr").await;
    let bad = tutor
        .post(
            "/api/tuteur/profil/enregistrer",
            &[
                ("institution", " "),
                ("field_of_study", "Physique"),
                ("study_year", "9"),
                ("academies[]", "atlantide"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&bad),
        pairs(&[
            ("institution", "errors.text.empty"),
            ("study_year", "errors.study_year.invalid"),
            ("academies", "errors.academies.unknown"),
            ("charter", "errors.charter.required"),
        ])
    );
    let none = tutor.post("/api/tuteur/profil", &[]).await;
    assert_eq!(none.body, "null");
}

#[tokio::test]
async fn a_tutor_is_approved_only_with_a_valid_check_and_is_pending_again_when_it_expires() {
    let clock = clock();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let mut admin = invited(
        &app,
        Role::Administrator,
        "Alex",
        "admin@region-occitanie.fr",
        &[],
    )
    .await;
    let mut coordinator = invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let mut tutor = confirmed(&app, "tutor", "Hugo", "Bernard", "hugo@exemple.fr").await;
    let saved = save_tutor_profile(&mut tutor, "toulouse").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let tutor_id = user_id(&app, "hugo@exemple.fr").await.to_string();
    let status = |body: &str| -> (String, bool) {
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
        (
            json["status"].as_str().unwrap_or_default().to_owned(),
            json["proposable"].as_bool().unwrap_or(true),
        )
    };
    assert_eq!(
        status(&tutor.post("/api/tuteur/profil", &[]).await.body),
        ("pending".into(), false)
    );

    // No approval without a valid check.
    let early = coordinator
        .post(
            "/api/coordination/decision",
            &[("tutor_id", &tutor_id), ("decision", "approve")],
        )
        .await;
    assert_eq!(
        field_errors(&early),
        pairs(&[("decision", "errors.decision.check_needed")])
    );
    let bad_dates = coordinator
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor_id),
                ("outcome", "cleared"),
                ("done_on", "2026-12-01"),
                ("expires_on", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&bad_dates),
        pairs(&[("done_on", "errors.check.done_in_future")])
    );
    let backwards = coordinator
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor_id),
                ("outcome", "cleared"),
                ("done_on", "2026-11-20"),
                ("expires_on", "2026-11-19"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&backwards),
        pairs(&[("expires_on", "errors.check.expires_before_done")])
    );

    let recorded = coordinator
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor_id),
                ("outcome", "cleared"),
                ("done_on", "2026-11-20"),
                ("expires_on", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    assert_eq!(
        recorded.header("location").map(str::to_owned),
        Some(format!("/coordination/tuteurs/{tutor_id}"))
    );
    let approved = coordinator
        .post(
            "/api/coordination/decision",
            &[("tutor_id", &tutor_id), ("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(
        status(&tutor.post("/api/tuteur/profil", &[]).await.body),
        ("approved".into(), true)
    );
    let seen: serde_json::Value = serde_json::from_str(
        &coordinator
            .post("/api/coordination/tuteur", &[("tutor_id", &tutor_id)])
            .await
            .body,
    )
    .expect("JSON");
    assert_eq!(seen["check"]["recorded_by"], "Camille Durand");
    assert_eq!(seen["check"]["expires_on"], "2026-12-31");

    // The last day counts; the day after, the daily job sends the tutor
    // back to pending and tells both sides.
    clock.advance(TimeDelta::days(31));
    assert_eq!(clock.now().date_naive().to_string(), "2026-12-31");
    assert_eq!(
        app::tutors::expiry::expire_checks(&app.db, "http://127.0.0.1:3000", clock.now())
            .await
            .expect("runs"),
        0
    );
    clock.advance(TimeDelta::days(1));
    assert_eq!(
        app::tutors::expiry::expire_checks(&app.db, "http://127.0.0.1:3000", clock.now())
            .await
            .expect("runs"),
        1
    );
    // A month later every login session has ended: sign in again.
    assert_eq!(tutor.me().await, serde_json::Value::Null);
    tutor.sign_in("hugo@exemple.fr", PASSWORD).await;
    admin.sign_in_again("admin@region-occitanie.fr").await;
    assert_eq!(
        status(&tutor.post("/api/tuteur/profil", &[]).await.body),
        ("pending".into(), false)
    );
    let expired: Vec<String> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, _, _)| kind == "check_expired")
        .map(|(_, to, _)| to)
        .collect();
    assert_eq!(
        expired,
        vec![
            "hugo@exemple.fr".to_owned(),
            "camille@ac-toulouse.fr".to_owned()
        ]
    );
    assert_eq!(
        app::tutors::expiry::expire_checks(&app.db, "http://127.0.0.1:3000", clock.now())
            .await
            .expect("runs"),
        0
    );

    // The audit log holds who did what, newest first.
    let log: serde_json::Value =
        serde_json::from_str(&admin.post("/api/journal", &[]).await.body).expect("JSON");
    let actions: Vec<(&str, &str)> = log
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default(),
                e["actor"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("tutor.check_expired", "Binôme (automatique)"),
            ("tutor.approve", "Camille Durand <camille@ac-toulouse.fr>"),
            (
                "tutor.background_check",
                "Camille Durand <camille@ac-toulouse.fr>"
            ),
            (
                "account.second_factor_enrolled",
                "Camille Durand <camille@ac-toulouse.fr>"
            ),
            ("coordinator.create", "test"),
            (
                "account.second_factor_enrolled",
                "Alex Durand <admin@region-occitanie.fr>"
            ),
            ("administrator.create", "test"),
        ]
    );
    assert_eq!(
        log[2]["details"],
        "outcome=cleared, done_on=2026-11-20, expires_on=2026-12-31"
    );
}

#[tokio::test]
async fn an_administrator_invites_a_coordinator_for_a_whole_region() {
    let app = TestApp::spawn_with_clock(clock()).await;
    let mut admin = invited(
        &app,
        Role::Administrator,
        "Alex",
        "admin@region-occitanie.fr",
        &[],
    )
    .await;
    let bad = admin
        .post(
            "/api/administration/coordinateur",
            &[
                ("first_name", "Sam"),
                ("last_name", ""),
                ("email", "sam@"),
                ("region", "atlantide"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&bad),
        pairs(&[
            ("last_name", "errors.name.empty"),
            ("email", "errors.email.invalid"),
            ("region", "errors.scope.unknown_region")
        ])
    );
    let created = admin
        .post(
            "/api/administration/coordinateur",
            &[
                ("first_name", "Sam"),
                ("last_name", "Garcia"),
                ("email", "sam@region-academique-occitanie.fr"),
                ("region", "occitanie"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let taken = admin
        .post(
            "/api/administration/coordinateur",
            &[
                ("first_name", "Sam"),
                ("last_name", "Garcia"),
                ("email", "SAM@region-academique-occitanie.fr"),
                ("academies[]", "toulouse"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&taken),
        pairs(&[("email", "errors.email.taken")])
    );

    let list: serde_json::Value = serde_json::from_str(
        &admin
            .post("/api/administration/coordinateurs", &[])
            .await
            .body,
    )
    .expect("JSON");
    assert_eq!(
        list[0]["academies"],
        serde_json::json!(["montpellier", "toulouse"])
    );
    assert_eq!(list[0]["status"], "unconfirmed");

    let secret = emailed_secret(
        &app,
        "sam@region-academique-occitanie.fr",
        "/mot-de-passe/nouveau",
    )
    .await;
    let mut sam = Visitor::new(&app);
    let chosen = sam
        .post(
            "/api/nouveau-mot-de-passe",
            &[("token", &secret), ("password", "garrigue et tramontane")],
        )
        .await;
    // Staff: the second factor comes next.
    assert_eq!(
        chosen.header("location"),
        Some("/connexion/code"),
        "{}",
        chosen.body
    );
    let enrolled = sam
        .second_factor("sam@region-academique-occitanie.fr")
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    assert_eq!(sam.me().await["role"], "coordinator");
    let overview: serde_json::Value =
        serde_json::from_str(&sam.post("/api/coordination", &[]).await.body).expect("JSON");
    assert_eq!(
        overview["academies"],
        serde_json::json!(["montpellier", "toulouse"])
    );
}

#[tokio::test]
async fn an_administrator_sees_the_outbox_and_sends_a_dead_letter_again() {
    let app = TestApp::spawn_with_clock(clock()).await;
    let mut admin = invited(
        &app,
        Role::Administrator,
        "Alex",
        "admin@region-occitanie.fr",
        &[],
    )
    .await;
    invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    app::on_db!(&app.db, |pool| {
        sqlx::query(
            "UPDATE email_outbox SET state = 'dead', last_error = '550 mailbox unavailable', \
             dead_at = next_attempt_at WHERE recipient_address = 'camille@ac-toulouse.fr'",
        )
        .execute(pool)
        .await
        .expect("updated");
    });

    let view: serde_json::Value = serde_json::from_str(
        &admin
            .post("/api/administration/courriels", &[("dead_only", "true")])
            .await
            .body,
    )
    .expect("JSON");
    assert_eq!(
        view["counts"],
        serde_json::json!([["pending", 1], ["sending", 0], ["sent", 0], ["dead", 1]])
    );
    let emails = view["emails"].as_array().expect("emails");
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0]["recipient"], "camille@ac-toulouse.fr");
    assert_eq!(emails[0]["last_error"], "550 mailbox unavailable");
    let id = emails[0]["id"].as_i64().expect("an id").to_string();

    let retried = admin
        .post("/api/administration/courriels/renvoyer", &[("id", &id)])
        .await;
    assert_eq!(
        retried.header("location"),
        Some("/administration/courriels"),
        "{}",
        retried.body
    );
    let view: serde_json::Value =
        serde_json::from_str(&admin.post("/api/administration/courriels", &[]).await.body)
            .expect("JSON");
    assert_eq!(
        view["counts"],
        serde_json::json!([["pending", 2], ["sending", 0], ["sent", 0], ["dead", 0]])
    );
    let log: serde_json::Value =
        serde_json::from_str(&admin.post("/api/journal", &[]).await.body).expect("JSON");
    assert_eq!(log[0]["action"], "outbox.retry");
    assert_eq!(log[0]["object_id"], id);
    assert_eq!(log[0]["details"], "count=1");
}

#[tokio::test]
async fn an_administrator_imports_the_directory_from_the_page_all_or_nothing() {
    let app = TestApp::spawn_with_clock(clock()).await;
    let mut admin = invited(
        &app,
        Role::Administrator,
        "Alex",
        "admin@region-occitanie.fr",
        &[],
    )
    .await;
    let mut coordinator = invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let csv =
        std::fs::read(common::shared_data("lycees-occitanie.csv")).expect("the directory file");

    let refused = coordinator
        .post_file(
            "/api/administration/etablissements",
            "file",
            "lycees.csv",
            &csv,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FOUND,
        "a plain form is sent back to its page"
    );
    assert!(
        refused
            .header("location")
            .is_some_and(|l| l.contains("__err=")),
        "{:?}",
        refused.headers
    );
    assert_eq!(school_count(&app).await, 0);

    let done = admin
        .post_file(
            "/api/administration/etablissements",
            "file",
            "lycees.csv",
            &csv,
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/administration/etablissements?total=556&nouvelles=556&modifiees=0&inchangees=0")
    );
    assert_eq!(school_count(&app).await, 556);
    let page = admin
        .get("/administration/etablissements?total=556&nouvelles=556&modifiees=0&inchangees=0")
        .await;
    assert!(
        page.body.contains("556 établissements, dont 556 nouveaux"),
        "{}",
        page.body
    );

    // One bad UAI: nothing written, the line and reason on the page.
    let text = String::from_utf8(csv)
        .expect("UTF-8")
        .replacen("0090002D", "0090002E", 1)
        .replacen("Ariège", "Ariège modifiée", 1);
    let bad = admin
        .post_file(
            "/api/administration/etablissements",
            "file",
            "lycees.csv",
            text.as_bytes(),
        )
        .await;
    let location = bad.header("location").expect("a redirect").to_owned();
    assert!(
        location.starts_with("/administration/etablissements?erreurs=1&probleme=ligne+2"),
        "{location}"
    );
    let page = admin.get(&location).await;
    assert!(page.body.contains("Rien n’a été importé"), "{}", page.body);
    assert!(page.body.contains("ligne 2"), "{}", page.body);
    let log: serde_json::Value =
        serde_json::from_str(&admin.post("/api/journal", &[]).await.body).expect("JSON");
    assert_eq!(log[0]["action"], "schools.import");
    assert_eq!(
        log[0]["details"],
        "total=556, inserted=556, updated=0, unchanged=0"
    );
}

async fn school_count(app: &TestApp) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM schools"
    )
    .fetch_one(pool)
    .await
    .expect("count"))
}

#[tokio::test]
async fn an_invitation_cannot_be_taken_over_by_signing_up_and_can_always_be_renewed() {
    let app = TestApp::spawn_with_clock(clock()).await;
    let mut admin = invited(
        &app,
        Role::Administrator,
        "Alex",
        "admin@region-occitanie.fr",
        &[],
    )
    .await;
    let created = admin
        .post(
            "/api/administration/coordinateur",
            &[
                ("first_name", "Camille"),
                ("last_name", "Durand"),
                ("email", "camille@ac-toulouse.fr"),
                ("academies[]", "toulouse"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);

    // Someone signs up with the invited address: the answer is the usual
    // one, the invited account does not change, its owner is told.
    let mut intruder = Visitor::new(&app);
    let answer = intruder
        .sign_up("tutor", "Eve", "Intruse", "camille@ac-toulouse.fr")
        .await;
    assert_eq!(answer.header("location"), Some("/inscription/envoyee"));
    let (role, first_name, hash): (String, String, Option<String>) = app::on_db!(&app.db, |pool| {
        sqlx::query_as(
        "SELECT role, first_name, password_hash FROM users WHERE email_key = 'camille@ac-toulouse.fr'"
    )
    .fetch_one(pool)
    .await
    .expect("the invited account")
    });
    assert_eq!(
        (role.as_str(), first_name.as_str(), hash),
        ("coordinator", "Camille", None)
    );
    assert!(outbox(&app)
        .await
        .iter()
        .any(|(kind, to, _)| kind == "account_exists" && to == "camille@ac-toulouse.fr"));
    assert!(!outbox(&app)
        .await
        .iter()
        .any(|(kind, to, _)| kind == "confirm_email" && to == "camille@ac-toulouse.fr"));

    // "Forgot password" gives an invited person without a password a link
    // to choose one, so an expired invitation is never a dead end.
    intruder
        .post(
            "/api/mot-de-passe-oublie",
            &[("email", "camille@ac-toulouse.fr")],
        )
        .await;
    let mut reset = None;
    for _ in 0..50 {
        if outbox(&app)
            .await
            .iter()
            .any(|(kind, to, _)| kind == "reset_password" && to == "camille@ac-toulouse.fr")
        {
            reset =
                Some(emailed_secret(&app, "camille@ac-toulouse.fr", "/mot-de-passe/nouveau").await);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut camille = Visitor::new(&app);
    let chosen = camille
        .post(
            "/api/nouveau-mot-de-passe",
            &[
                ("token", &reset.expect("a reset link")),
                ("password", "garrigue et tramontane"),
            ],
        )
        .await;
    // Staff: the second factor comes next.
    assert_eq!(
        chosen.header("location"),
        Some("/connexion/code"),
        "{}",
        chosen.body
    );
    let enrolled = camille.second_factor("camille@ac-toulouse.fr").await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    assert_eq!(camille.me().await["role"], "coordinator");
}

#[tokio::test]
async fn an_approved_tutor_who_changes_academies_is_vetted_again() {
    let app = TestApp::spawn_with_clock(clock()).await;
    let mut coordinator = invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let mut tutor = confirmed(&app, "tutor", "Hugo", "Bernard", "hugo@exemple.fr").await;
    save_tutor_profile(&mut tutor, "toulouse").await;
    let tutor_id = user_id(&app, "hugo@exemple.fr").await.to_string();
    coordinator
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor_id),
                ("outcome", "cleared"),
                ("done_on", "2026-11-20"),
                ("expires_on", "2027-11-19"),
            ],
        )
        .await;
    let approved = coordinator
        .post(
            "/api/coordination/decision",
            &[("tutor_id", &tutor_id), ("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);

    // Same académies: still approved.
    save_tutor_profile(&mut tutor, "toulouse").await;
    let status = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body).expect("JSON")["status"].clone()
    };
    assert_eq!(
        status(&tutor.post("/api/tuteur/profil", &[]).await.body),
        "approved"
    );
    // Another académie: pending again, and out of this coordinator's sight.
    save_tutor_profile(&mut tutor, "montpellier").await;
    assert_eq!(
        status(&tutor.post("/api/tuteur/profil", &[]).await.body),
        "pending"
    );
    let gone = coordinator
        .post("/api/coordination/tuteur", &[("tutor_id", &tutor_id)])
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn once_a_parent_answered_the_pupil_cannot_change_the_birth_date_or_the_parent() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut pupil = confirmed(&app, "pupil", "Zoé", "Martin", "zoe@exemple.fr").await;
    save_pupil_profile(
        &mut pupil,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "parent@exemple.fr",
    )
    .await;
    let mut parent = consenting_parent(&app, "parent@exemple.fr").await;
    let pupil_id = user_id(&app, "zoe@exemple.fr").await.to_string();
    parent
        .post(
            "/api/parent/consentement",
            &[("pupil_id", &pupil_id), ("give", "false")],
        )
        .await;

    let older = save_pupil_profile(
        &mut pupil,
        "5",
        "2010",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "parent@exemple.fr",
    )
    .await;
    assert_eq!(
        field_errors(&older),
        pairs(&[("birth_year", "errors.profile.locked_by_consent")])
    );
    let other_parent = save_pupil_profile(
        &mut pupil,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "moi-meme@exemple.fr",
    )
    .await;
    assert_eq!(
        field_errors(&other_parent),
        pairs(&[("parent_email", "errors.profile.locked_by_consent")])
    );
    assert_eq!(profile(&mut pupil).await["may_request_help"], false);
    // Other fields still change.
    let level = save_pupil_profile(
        &mut pupil,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "premiere_generale",
        "PARENT@exemple.fr",
    )
    .await;
    assert_eq!(level.status, StatusCode::OK, "{}", level.body);
    assert_eq!(profile(&mut pupil).await["level_code"], "premiere_generale");
}
