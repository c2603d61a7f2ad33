//! What pupils need and tutors offer, through the real router and database
//! (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`): the curriculum
//! reference, availability, help requests, offers, and what coordinators
//! see of them, across the end of March 2027 (Europe/Paris changes to
//! summer time on Sunday 28 March; Indian/Reunion never changes).

use crate::common;

use std::sync::Arc;

use app::accounts::Role;
use app::clock::ManualClock;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::needs::{offer, pupil_in_premiere, request_help, reunion_tutor, save_availability};
use common::people::{
    confirmed, import_schools, invited, save_tutor_profile, MONTPELLIER_SCHOOL, TOULOUSE_SCHOOL,
};
use common::visitor::{field_errors, pairs, Visitor};
use common::TestApp;
use serde_json::Value;

/// Saturday 20 March 2027, 09:00 UTC.
fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2027, 3, 20, 9, 0, 0)
            .single()
            .expect("a date"),
    ))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).expect("a reference file")
}

fn json(response: &common::TestResponse) -> Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).expect("JSON")
}

#[tokio::test]
async fn the_curriculum_tables_hold_the_reference_files() {
    let app = TestApp::spawn().await;
    let levels: Vec<(String, String, String, String, String, i32)> =
        app::on_db!(&app.db, |pool| sqlx::query_as(
            "SELECT code, label_fr, label_en, tracks, paths, rank FROM levels ORDER BY code"
        )
        .fetch_all(pool)
        .await
        .expect("levels"));
    let mut expected: Vec<_> =
        csv::Reader::from_reader(read(&common::repository_reference("niveaux.csv")).as_bytes())
            .records()
            .map(|r| {
                let r = r.expect("a row");
                (
                    r[0].to_owned(),
                    r[1].to_owned(),
                    r[2].to_owned(),
                    r[3].to_owned(),
                    r[4].to_owned(),
                    r[5].parse::<i32>().expect("a rank"),
                )
            })
            .collect();
    expected.sort();
    assert_eq!(levels, expected);

    let shared = read(&common::shared_data("matieres-lycee.csv"));
    assert_eq!(
        read(&common::repository_reference("matieres-lycee.csv")),
        shared
    );
    let mut reader = csv::Reader::from_reader(shared.as_bytes());
    let mut expected_pairs = Vec::new();
    let mut expected_subjects = Vec::new();
    for record in reader.records() {
        let record = record.expect("a row");
        expected_subjects.push((
            record[0].to_owned(),
            record[1].to_owned(),
            record[2].to_owned(),
        ));
        for level in record[4].split('|') {
            expected_pairs.push((record[0].to_owned(), level.to_owned()));
        }
    }
    expected_subjects.sort();
    expected_pairs.sort();
    let subjects: Vec<(String, String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT code, label_fr, label_en FROM subjects ORDER BY code"
    )
    .fetch_all(pool)
    .await
    .expect("subjects"));
    let pairs: Vec<(String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT subject_code, level_code FROM subject_levels ORDER BY subject_code, level_code"
    )
    .fetch_all(pool)
    .await
    .expect("subject_levels"));
    assert_eq!(subjects, expected_subjects);
    assert_eq!(pairs, expected_pairs);
}

#[tokio::test]
async fn availability_is_merged_refused_field_by_field_and_defaults_to_the_academy_zone() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut pupil = pupil_in_premiere(&app, "ines@exemple.fr").await;

    let mine = json(&pupil.post("/api/disponibilites", &[]).await);
    assert_eq!(mine["time_zone"], "Europe/Paris");
    assert_eq!(mine["default_zone"], "Europe/Paris");
    assert_eq!(mine["intervals"], serde_json::json!([]));

    // Zero-length, reversed, off the grain, past midnight, incomplete, and
    // an unknown zone: each refused on its own row, nothing saved.
    let refused = save_availability(
        &mut pupil,
        "Europe/Pariss",
        &[
            ("2", "1080", "1080"),
            ("2", "1200", "1080"),
            ("3", "1085", "1200"),
            ("4", "1380", "1470"),
            ("5", "", "1200"),
            ("", "", ""),
            ("8", "60", "120"),
        ],
    )
    .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[
            ("time_zone", "errors.time_zone.unknown"),
            ("interval-0", "errors.availability.empty"),
            ("interval-1", "errors.availability.empty"),
            ("interval-2", "errors.availability.off_grain"),
            ("interval-3", "errors.availability.past_midnight"),
            ("interval-4", "errors.availability.incomplete"),
            ("interval-6", "errors.availability.day"),
        ])
    );
    let unchanged = json(&pupil.post("/api/disponibilites", &[]).await);
    assert_eq!(unchanged["intervals"], serde_json::json!([]));

    // Overlapping and touching rows of a day are merged, and said so.
    let saved = save_availability(
        &mut pupil,
        "",
        &[
            ("2", "1080", "1140"),
            ("2", "1110", "1200"),
            ("2", "1200", "1230"),
            ("4", "1080", "1170"),
            ("", "", ""),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some("/compte/disponibilites?enregistre=1&fusionnes=2")
    );
    let mine = json(&pupil.post("/api/disponibilites", &[]).await);
    assert_eq!(
        mine["intervals"],
        serde_json::json!([
            { "weekday": 2, "from": 1080, "to": 1230 },
            { "weekday": 4, "from": 1080, "to": 1170 },
        ])
    );
    assert_eq!(mine["time_zone"], "Europe/Paris");

    // Naming the académie's own zone keeps "the académie's zone".
    let same = save_availability(&mut pupil, "Europe/Paris", &[("2", "1080", "1230")]).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    let stored: Option<String> = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT time_zone FROM users WHERE email_key = 'ines@exemple.fr'"
    )
    .fetch_one(pool)
    .await
    .expect("a user"));
    assert_eq!(stored, None);

    // Another zone may be chosen.
    let moved = save_availability(&mut pupil, "America/Cayenne", &[("1", "0", "1440")]).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let mine = json(&pupil.post("/api/disponibilites", &[]).await);
    assert_eq!(mine["time_zone"], "America/Cayenne");
    assert_eq!(mine["default_zone"], "Europe/Paris");

    // A tutor's default is their first académie's zone.
    let mut tutor = reunion_tutor(&app, "maelys@exemple.fr").await;
    let theirs = json(&tutor.post("/api/disponibilites", &[]).await);
    assert_eq!(theirs["time_zone"], "Indian/Reunion");

    // Parents and anonymous visitors have no availability.
    let mut nobody = Visitor::new(&app);
    let anonymous = nobody.post("/api/disponibilites", &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_help_request_asks_only_for_subjects_of_the_niveau_and_is_a_draft_without_availability() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut pupil = pupil_in_premiere(&app, "ines@exemple.fr").await;

    let before = json(&pupil.post("/api/eleve/demande", &[]).await);
    assert_eq!(before["level_code"], "premiere_generale");
    assert_eq!(before["request"], Value::Null);

    // `mathematiques` (common core) is not taught in première générale;
    // the spécialité is a different subject.
    let wrong = request_help(&mut pupil, &["mathematiques"]).await;
    assert_eq!(
        field_errors(&wrong),
        pairs(&[("subjects", "errors.subjects.not_taught")])
    );
    let four = request_help(
        &mut pupil,
        &[
            "spe_mathematiques",
            "spe_physique_chimie",
            "anglais",
            "francais",
        ],
    )
    .await;
    assert_eq!(
        field_errors(&four),
        pairs(&[("subjects", "errors.subjects.too_many")])
    );
    let empty = pupil
        .post(
            "/api/eleve/demande/enregistrer",
            &[
                ("difficulty", "  "),
                ("mode", "by_pigeon"),
                ("deadline", "2027-03-01"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&empty),
        pairs(&[
            ("subjects", "errors.subjects.none"),
            ("difficulty", "errors.difficulty.empty"),
            ("mode", "errors.mode.none"),
            ("deadline", "errors.deadline.past"),
        ])
    );
    let long = "é".repeat(1001);
    let too_long = pupil
        .post(
            "/api/eleve/demande/enregistrer",
            &[
                ("subjects[]", "spe_mathematiques"),
                ("difficulty", &long),
                ("mode", "online"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&too_long),
        pairs(&[("difficulty", "errors.difficulty.too_long")])
    );
    let after_refusals = json(&pupil.post("/api/eleve/demande", &[]).await);
    assert_eq!(after_refusals["request"], Value::Null);

    // Saved without availability: a draft, and the pupil is told why.
    let saved = request_help(&mut pupil, &["spe_mathematiques", "spe_mathematiques"]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mine = json(&pupil.post("/api/eleve/demande", &[]).await);
    let request = &mine["request"];
    assert_eq!(
        request["subjects"],
        serde_json::json!(["spe_mathematiques"])
    );
    assert_eq!(request["requested_on"], "2027-03-20");
    assert_eq!(request["deadline"], "2027-06-15");
    assert_eq!(request["blockers"], serde_json::json!(["no_availability"]));

    // With availability it can be matched. Editing keeps the request date
    // and the same request.
    let available = save_availability(&mut pupil, "", &[("2", "1080", "1200")]).await;
    assert_eq!(available.status, StatusCode::OK, "{}", available.body);
    let edited = request_help(&mut pupil, &["spe_mathematiques", "anglais"]).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let mine = json(&pupil.post("/api/eleve/demande", &[]).await);
    assert_eq!(mine["request"]["id"], request["id"]);
    assert_eq!(mine["request"]["requested_on"], "2027-03-20");
    assert_eq!(
        mine["request"]["subjects"],
        serde_json::json!(["spe_mathematiques", "anglais"])
    );
    assert_eq!(mine["request"]["blockers"], serde_json::json!([]));
    let open: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM help_requests WHERE status = 'open'"
    )
    .fetch_one(pool)
    .await
    .expect("a count"));
    assert_eq!(open, 1);

    // Withdrawn, it is gone; a new one can be made.
    let withdrawn = pupil.post("/api/eleve/demande/retirer", &[]).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let mine = json(&pupil.post("/api/eleve/demande", &[]).await);
    assert_eq!(mine["request"], Value::Null);
    let again = pupil.post("/api/eleve/demande/retirer", &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // Tutors have no help request.
    let mut tutor = reunion_tutor(&app, "maelys@exemple.fr").await;
    let not_theirs = tutor.post("/api/eleve/demande", &[]).await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_offer_covers_subjects_up_to_a_niveau_and_can_be_paused() {
    let app = TestApp::spawn_with_clock(clock()).await;
    import_schools(&app).await;
    let mut tutor = reunion_tutor(&app, "maelys@exemple.fr").await;

    let refused = tutor
        .post(
            "/api/tuteur/offre/enregistrer",
            &[
                ("entry_subjects[]", "spe_mathematiques"),
                ("entry_levels[]", "seconde_gt"),
                ("entry_subjects[]", "mathematiques"),
                ("entry_levels[]", ""),
                ("entry_subjects[]", "maths"),
                ("entry_levels[]", "terminale_generale"),
                ("capacity", "6"),
                ("mode", "in_person"),
                ("max_distance_km", "0"),
                ("languages[]", "klingon"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[
            ("entry-0", "errors.offer.covers_nothing"),
            ("entry-1", "errors.offer.incomplete"),
            ("entry-2", "errors.offer.unknown"),
            ("capacity", "errors.capacity.invalid"),
            ("meeting_school", "errors.meeting_school.none"),
            ("max_distance_km", "errors.max_distance.invalid"),
            ("languages", "errors.languages.unknown"),
        ])
    );
    let none = tutor
        .post(
            "/api/tuteur/offre/enregistrer",
            &[("capacity", "1"), ("mode", "online")],
        )
        .await;
    assert_eq!(
        field_errors(&none),
        pairs(&[
            ("entries", "errors.offer.none"),
            ("languages", "errors.languages.none"),
        ])
    );
    assert_eq!(
        json(&tutor.post("/api/tuteur/offre", &[]).await),
        Value::Null
    );

    let saved = offer(
        &mut tutor,
        &[
            ("spe_mathematiques", "terminale_generale"),
            ("mathematiques", "terminale_technologique"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mine = json(&tutor.post("/api/tuteur/offre", &[]).await);
    assert_eq!(mine["capacity"], 2);
    assert_eq!(mine["mode"], "online");
    assert_eq!(mine["languages"], serde_json::json!(["fr", "en"]));
    assert_eq!(mine["paused"], false);
    assert_eq!(mine["entries"].as_array().map(Vec::len), Some(2));

    // In person needs a meeting school of the directory and a distance.
    let in_person = tutor
        .post(
            "/api/tuteur/offre/enregistrer",
            &[
                ("entry_subjects[]", "spe_mathematiques"),
                ("entry_levels[]", "terminale_generale"),
                ("capacity", "1"),
                ("mode", "both"),
                ("meeting_school", MONTPELLIER_SCHOOL),
                ("max_distance_km", "15"),
                ("languages[]", "fr"),
            ],
        )
        .await;
    assert_eq!(in_person.status, StatusCode::OK, "{}", in_person.body);
    let mine = json(&tutor.post("/api/tuteur/offre", &[]).await);
    assert_eq!(mine["meeting_school"]["uai"], MONTPELLIER_SCHOOL);
    assert_eq!(mine["max_distance_km"], 15);

    let paused = tutor
        .post("/api/tuteur/offre/pause", &[("paused", "1")])
        .await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.body);
    assert_eq!(
        json(&tutor.post("/api/tuteur/offre", &[]).await)["paused"],
        true
    );
    // Saving again keeps the pause; resuming lifts it.
    let resaved = offer(&mut tutor, &[("spe_mathematiques", "terminale_generale")]).await;
    assert_eq!(resaved.status, StatusCode::OK, "{}", resaved.body);
    assert_eq!(
        json(&tutor.post("/api/tuteur/offre", &[]).await)["paused"],
        true
    );
    let resumed = tutor
        .post("/api/tuteur/offre/pause", &[("paused", "0")])
        .await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.body);
    assert_eq!(
        json(&tutor.post("/api/tuteur/offre", &[]).await)["paused"],
        false
    );

    // Pupils have no offer.
    let mut pupil = pupil_in_premiere(&app, "ines@exemple.fr").await;
    let not_theirs = pupil.post("/api/tuteur/offre", &[]).await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_coordinator_sees_requests_offers_and_shared_times_in_each_local_time_across_the_change(
) {
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
    let mut elsewhere = invited(
        &app,
        Role::Coordinator,
        "Hugo",
        "hugo@ac-montpellier.fr",
        &["montpellier"],
    )
    .await;

    // Pupil in Toulouse: Tuesday 18:00–20:00 and Thursday 18:00–19:30.
    let mut pupil = pupil_in_premiere(&app, "ines@exemple.fr").await;
    let saved = save_availability(
        &mut pupil,
        "",
        &[("2", "1080", "1200"), ("4", "1080", "1170")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let asked = request_help(&mut pupil, &["spe_mathematiques"]).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);

    // Tutor in La Réunion (UTC+4): Tuesday 21:00–23:00 and Thursday
    // 20:00–23:00, in their own time.
    let mut tutor = reunion_tutor(&app, "maelys@exemple.fr").await;
    let saved = save_availability(
        &mut tutor,
        "",
        &[("2", "1260", "1380"), ("4", "1200", "1380")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let offered = offer(&mut tutor, &[("spe_mathematiques", "terminale_generale")]).await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.body);

    // A pupil whose request covers nothing the tutor offers.
    let mut other = pupil_in_premiere(&app, "leo@exemple.fr").await;
    let asked = request_help(&mut other, &["anglais"]).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);

    let requests = json(
        &coordinator
            .post(
                "/api/coordination/demandes",
                &[("filter[subject]", "spe_mathematiques")],
            )
            .await,
    );
    let requests = requests.as_array().expect("a list");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["pupil_name"], "Inès Roux");
    assert_eq!(requests[0]["time_zone"], "Europe/Paris");
    assert_eq!(requests[0]["request"]["blockers"], serde_json::json!([]));
    let request_id = requests[0]["request"]["id"].as_i64().expect("an id");
    let all = json(&coordinator.post("/api/coordination/demandes", &[]).await);
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    let by_school = json(
        &coordinator
            .post(
                "/api/coordination/demandes",
                &[("filter[school]", MONTPELLIER_SCHOOL)],
            )
            .await,
    );
    assert_eq!(by_school, serde_json::json!([]));
    let waited = json(
        &coordinator
            .post(
                "/api/coordination/demandes",
                &[("filter[waited_days]", "1")],
            )
            .await,
    );
    assert_eq!(waited, serde_json::json!([]));

    let offers = json(
        &coordinator
            .post(
                "/api/coordination/offres",
                &[
                    ("subject", "spe_mathematiques"),
                    ("level", "premiere_generale"),
                ],
            )
            .await,
    );
    assert_eq!(offers.as_array().map(Vec::len), Some(1));
    assert_eq!(offers[0]["time_zone"], "Indian/Reunion");
    assert_eq!(offers[0]["weekly_minutes"], 300);
    let none = json(
        &coordinator
            .post(
                "/api/coordination/offres",
                &[("subject", "spe_mathematiques"), ("level", "seconde_gt")],
            )
            .await,
    );
    assert_eq!(none, serde_json::json!([]));

    // Four weeks from Monday 22 March 2027. Paris is UTC+1 until Sunday 28
    // March, then UTC+2; La Réunion is UTC+4 throughout.
    // Tuesday, winter: pupil 18:00–20:00 = 17:00–19:00 UTC = 21:00–23:00 tutor.
    // Thursday, winter: pupil 18:00–19:30 = 17:00–18:30 UTC = 21:00–22:30.
    // Tuesday, summer: pupil 18:00–20:00 = 16:00–18:00 UTC; the tutor from
    // 17:00 UTC: 19:00–20:00 pupil = 21:00–22:00 tutor.
    // Thursday, summer: 16:00–17:30 UTC, inside the tutor's 16:00–19:00
    // UTC: 18:00–19:30 pupil = 20:00–21:30 tutor.
    let detail = json(
        &coordinator
            .post(
                "/api/coordination/demande",
                &[
                    ("request_id", &request_id.to_string()),
                    ("from", "2027-03-22"),
                ],
            )
            .await,
    );
    let candidates = detail["candidates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 1);
    let candidate = &candidates[0];
    let shown: Vec<(String, String)> = candidate["shared"]
        .as_array()
        .expect("shared times")
        .iter()
        .map(|s| {
            let side = |v: &Value| {
                format!(
                    "{} {}-{}",
                    v["date"].as_str().unwrap_or_default(),
                    v["from"].as_str().unwrap_or_default(),
                    v["to"].as_str().unwrap_or_default()
                )
            };
            (side(&s["pupil"]), side(&s["tutor"]))
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("2027-03-23 18:00-20:00", "2027-03-23 21:00-23:00"),
        ("2027-03-25 18:00-19:30", "2027-03-25 21:00-22:30"),
        ("2027-03-30 19:00-20:00", "2027-03-30 21:00-22:00"),
        ("2027-04-01 18:00-19:30", "2027-04-01 20:00-21:30"),
        ("2027-04-06 19:00-20:00", "2027-04-06 21:00-22:00"),
        ("2027-04-08 18:00-19:30", "2027-04-08 20:00-21:30"),
        ("2027-04-13 19:00-20:00", "2027-04-13 21:00-22:00"),
        ("2027-04-15 18:00-19:30", "2027-04-15 20:00-21:30"),
    ]
    .iter()
    .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
    .collect();
    assert_eq!(shown, expected);
    assert_eq!(candidate["shared_minutes"], 120 + 90 + 3 * (60 + 90));
    assert_eq!(
        candidate["weekly_fits"],
        serde_json::json!([
            { "weekday": 2, "from": "19:00", "to": "20:00" },
            { "weekday": 4, "from": "18:00", "to": "19:00" },
            { "weekday": 4, "from": "18:30", "to": "19:30" },
        ])
    );

    // A coordinator of both académies sees, for this pupil of Toulouse,
    // neither a tutor of Montpellier only nor one of Toulouse who meets
    // only in person (the pupil asked for online).
    let mut both = invited(
        &app,
        Role::Coordinator,
        "Sacha",
        "sacha@region-occitanie.fr",
        &["toulouse", "montpellier"],
    )
    .await;
    let mut montpellier_tutor =
        confirmed(&app, "tutor", "Jules", "Martin", "jules@exemple.fr").await;
    let saved = save_tutor_profile(&mut montpellier_tutor, "montpellier").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let offered = offer(
        &mut montpellier_tutor,
        &[("spe_mathematiques", "terminale_generale")],
    )
    .await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.body);
    let mut in_person = confirmed(&app, "tutor", "Nora", "Petit", "nora@exemple.fr").await;
    let saved = save_tutor_profile(&mut in_person, "toulouse").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let offered = in_person
        .post(
            "/api/tuteur/offre/enregistrer",
            &[
                ("entry_subjects[]", "spe_mathematiques"),
                ("entry_levels[]", "terminale_generale"),
                ("capacity", "1"),
                ("mode", "in_person"),
                ("meeting_school", TOULOUSE_SCHOOL),
                ("max_distance_km", "20"),
                ("languages[]", "fr"),
            ],
        )
        .await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.body);
    let seen = json(
        &both
            .post(
                "/api/coordination/demande",
                &[
                    ("request_id", &request_id.to_string()),
                    ("from", "2027-03-22"),
                ],
            )
            .await,
    );
    let names: Vec<&str> = seen["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["item"]["tutor_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Maëlys Payet"]);
    let offers = json(&both.post("/api/coordination/offres", &[]).await);
    assert_eq!(
        offers.as_array().map(Vec::len),
        Some(3),
        "all three offers are listed"
    );

    // Weeks far from today are refused on the field, not computed.
    let far = coordinator
        .post(
            "/api/coordination/demande",
            &[
                ("request_id", &request_id.to_string()),
                ("from", "2099-01-04"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&far),
        pairs(&[("from", "errors.date.invalid")])
    );

    // A paused offer is not a candidate.
    let paused = tutor
        .post("/api/tuteur/offre/pause", &[("paused", "1")])
        .await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.body);
    let detail = json(
        &coordinator
            .post(
                "/api/coordination/demande",
                &[
                    ("request_id", &request_id.to_string()),
                    ("from", "2027-03-22"),
                ],
            )
            .await,
    );
    assert_eq!(detail["candidates"], serde_json::json!([]));

    // Outside the scope, the request does not exist.
    let hidden = elsewhere
        .post(
            "/api/coordination/demande",
            &[("request_id", &request_id.to_string()), ("from", "")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        json(&elsewhere.post("/api/coordination/demandes", &[]).await),
        serde_json::json!([])
    );
    // Pupils and tutors cannot read the lists.
    let pupil_tries = pupil.post("/api/coordination/demandes", &[]).await;
    assert_eq!(pupil_tries.status, StatusCode::NOT_FOUND);
    let tutor_tries = tutor.post("/api/coordination/offres", &[]).await;
    assert_eq!(tutor_tries.status, StatusCode::NOT_FOUND);
}
