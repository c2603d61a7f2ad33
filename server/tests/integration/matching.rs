//! A coordinator's dry run of matching, through the real router and
//! database (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`): who
//! is in the pool, the proposal with its slot in both local times across
//! the change to summer time (Europe/Paris, Sunday 28 March 2027), the
//! reasons of those left out, the supply gap and its CSV file, and who may
//! run it.

use crate::common;

use app::accounts::Role;
use axum::http::StatusCode;
use common::needs::{approve, json_of, pupil_asking, reunion_maths_tutor, saturday_20_march_2027};
use common::people::{import_schools, invited, user_id};
use common::visitor::Visitor;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_dry_run_proposes_explains_and_counts_the_unmet_needs_of_the_scope_only() {
    let app = TestApp::spawn_with_clock(saturday_20_march_2027()).await;
    import_schools(&app).await;
    let mut coordinator = invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;

    // Inès: Tuesday 18:00–20:00 Paris, spécialité mathématiques.
    pupil_asking(
        &app,
        "ines@exemple.fr",
        &[("2", "1080", "1200")],
        &["spe_mathematiques"],
    )
    .await;

    // Léo: English, which nobody offers; Monday 17:00–18:00.
    pupil_asking(
        &app,
        "leo@exemple.fr",
        &[("1", "1020", "1080")],
        &["anglais"],
    )
    .await;

    // Zoé: mathematics, but only Wednesday 10:00–11:00.
    pupil_asking(
        &app,
        "zoe@exemple.fr",
        &[("3", "600", "660")],
        &["spe_mathematiques"],
    )
    .await;

    // Maëlys, in La Réunion (UTC+4): Tuesday 21:00–23:00 her time.
    reunion_maths_tutor(&app, "maelys@exemple.fr").await;

    // Before approval she may not be proposed: nobody is matched.
    let before = json_of(
        &coordinator
            .post(
                "/api/coordination/appariement/essai",
                &[("start", "2027-03-22")],
            )
            .await,
    );
    assert_eq!(before["pupils"], 3);
    assert_eq!(before["tutors"], 0);
    assert_eq!(before["matched"], 0);

    approve(&mut coordinator, user_id(&app, "maelys@exemple.fr").await).await;
    let run = json_of(
        &coordinator
            .post(
                "/api/coordination/appariement/essai",
                &[("start", "2027-03-22")],
            )
            .await,
    );
    assert_eq!(run["start"], "2027-03-22");
    assert_eq!(run["tutors"], 1);
    assert_eq!(run["feasible_pairs"], 1);
    assert_eq!(run["matched"], 1);
    assert_eq!(run["greedy_matched"], 1);

    // Paris is UTC+1 on Tuesday 23 March and UTC+2 the three Tuesdays
    // after; Maëlys is free 17:00–19:00 UTC. 18:00 Paris is 16:00 UTC from
    // the second week, so only 19:00–20:00 Paris fits all four weeks: on
    // 23 March that is 18:00 UTC, 22:00 in La Réunion.
    let proposal = &run["proposals"][0];
    assert_eq!(proposal["pupil"]["name"], "Inès Roux");
    assert_eq!(proposal["tutor_name"], "Maëlys Payet");
    assert_eq!(proposal["subjects"], json!(["spe_mathematiques"]));
    assert_eq!(
        proposal["pupil_slot"],
        json!({"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"})
    );
    assert_eq!(
        proposal["tutor_slot"],
        json!({"weekday": 2, "from": "22:00", "to": "23:00", "time_zone": "Indian/Reunion"})
    );
    // One subject covered (100), asked today (0 days), no priority.
    assert_eq!(
        proposal["score"],
        json!({"subjects": 100, "waiting": 0, "priority": 0, "total": 100})
    );

    let reasons: Vec<(String, String)> = run["unmatched"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|u| {
            (
                u["pupil"]["name"].as_str().unwrap_or_default().to_owned(),
                u["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("Inès Roux".to_owned(), "no_tutor_for_subject".to_owned()),
            ("Inès Roux".to_owned(), "no_shared_slot".to_owned()),
        ]
    );
    assert_eq!(
        run["unmatched"][0]["text"],
        "Aucun tuteur ne couvre «\u{202f}Anglais\u{202f}» au niveau «\u{202f}Première générale\u{202f}»\u{202f}; il faudrait en recruter un."
    );
    assert_eq!(
        run["unmatched"][1]["text"],
        "Aucun tuteur ne partage un créneau de 60 min\u{202f}; le plus proche\u{202f}: Maëlys Payet, aucun moment en commun chaque semaine (heures de l’élève)."
    );

    // The gap: English on Monday afternoon (a 17:00 start), mathematics on
    // Wednesday morning, one pupil each, at their niveau.
    assert_eq!(
        run["gaps"],
        json!([
            {"subject": "anglais", "level": "premiere_generale", "weekday": 1, "band": "afternoon", "pupils": 1},
            {"subject": "spe_mathematiques", "level": "premiere_generale", "weekday": 3, "band": "morning", "pupils": 1},
        ])
    );
    let csv = coordinator
        .get("/coordination/appariement/besoins.csv?debut=2027-03-22")
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"besoins-non-couverts-2027-03-22.csv\"")
    );
    let lines: Vec<&str> = csv.body.split("\r\n").collect();
    assert_eq!(
        lines,
        [
            "\u{feff}Matière;subject_code;Niveau;level_code;Jour;Moment;Élèves",
            "Anglais;anglais;Première générale;premiere_generale;lundi;après-midi;1",
            "Mathématiques (spécialité);spe_mathematiques;Première générale;premiere_generale;mercredi;matin;1",
            "",
        ]
    );

    // The page renders the same run without JavaScript.
    let page = coordinator
        .get("/coordination/appariement?debut=2027-03-22&essai=1")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Maëlys Payet"), "{}", page.body);
    assert!(page.body.contains("mardi 19:00–20:00 (Europe/Paris)"));
    assert!(page.body.contains("mardi 22:00–23:00 (Indian/Reunion)"));
}

#[tokio::test]
async fn only_coordinators_run_matching_and_only_on_their_scope() {
    let app = TestApp::spawn_with_clock(saturday_20_march_2027()).await;
    import_schools(&app).await;
    let mut montpellier = invited(
        &app,
        Role::Coordinator,
        "Hugo",
        "hugo@ac-montpellier.fr",
        &["montpellier"],
    )
    .await;
    let mut ines = pupil_asking(
        &app,
        "ines@exemple.fr",
        &[("2", "1080", "1200")],
        &["spe_mathematiques"],
    )
    .await;

    // A pupil of Toulouse is not in a Montpellier coordinator's pool.
    let run = json_of(
        &montpellier
            .post("/api/coordination/appariement/essai", &[])
            .await,
    );
    assert_eq!(run["pupils"], 0);
    // Empty start: the Monday after Saturday 20 March.
    assert_eq!(run["start"], "2027-03-22");

    let bad = montpellier
        .post(
            "/api/coordination/appariement/essai",
            &[("start", "22/03/2027")],
        )
        .await;
    assert_eq!(
        common::visitor::field_errors(&bad),
        common::visitor::pairs(&[("start", "errors.date.invalid")])
    );

    // A pupil is answered as if nothing were there; nobody signed in is
    // sent to sign in.
    let refused = ines.post("/api/coordination/appariement/essai", &[]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let csv = ines.get("/coordination/appariement/besoins.csv").await;
    assert_eq!(csv.status, StatusCode::NOT_FOUND);
    let mut nobody = Visitor::new(&app);
    let csv = nobody.get("/coordination/appariement/besoins.csv").await;
    assert_eq!(csv.status, StatusCode::SEE_OTHER);
    assert_eq!(csv.header("location"), Some("/connexion"));
}
