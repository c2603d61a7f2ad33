//! Who may call what: every role against every server function that reads
//! or changes private data, on SQLite (and PostgreSQL with
//! `BINOME_TEST_POSTGRES_URL`). Anonymous callers get 401; signed-in
//! callers outside a function's role or scope get 404, exactly as for an
//! object that does not exist; and a refused change changes nothing.

use crate::common;

use app::accounts::Role;
use axum::http::StatusCode;
use common::people::{
    confirmed, consenting_parent, import_schools, invited, save_pupil_profile, save_tutor_profile,
    user_id, MONTPELLIER_SCHOOL, TOULOUSE_SCHOOL,
};
use common::visitor::Visitor;
use common::TestApp;

const ACTORS: [&str; 8] = [
    "anonymous",
    "pupil_toulouse",
    "pupil_montpellier",
    "tutor_toulouse",
    "parent_toulouse",
    "coordinator_toulouse",
    "coordinator_montpellier",
    "administrator",
];

/// One endpoint called with one form, and the actors allowed (200); the
/// anonymous caller gets 401 and every other actor 404.
struct Row {
    path: &'static str,
    form: Vec<(&'static str, String)>,
    allowed: &'static [&'static str],
}

fn row(path: &'static str, form: &[(&'static str, &str)], allowed: &'static [&'static str]) -> Row {
    Row {
        path,
        form: form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        allowed,
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("a count"))
}

#[tokio::test]
async fn every_role_against_every_private_server_function() {
    let app = TestApp::spawn().await;
    import_schools(&app).await;

    let mut pupil_toulouse = confirmed(&app, "pupil", "Zoé", "Lefèvre", "zoe@exemple.fr").await;
    let saved = save_pupil_profile(
        &mut pupil_toulouse,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "parent.lefevre@exemple.fr",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mut pupil_montpellier =
        confirmed(&app, "pupil", "Bastien", "Roux", "bastien@exemple.fr").await;
    let saved = save_pupil_profile(
        &mut pupil_montpellier,
        "2",
        "2009",
        MONTPELLIER_SCHOOL,
        "terminale_generale",
        "",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mut tutor = confirmed(&app, "tutor", "Hugo", "Bernard", "hugo@exemple.fr").await;
    assert_eq!(
        save_tutor_profile(&mut tutor, "toulouse").await.status,
        StatusCode::OK
    );
    let parent = consenting_parent(&app, "parent.lefevre@exemple.fr").await;
    let asked = pupil_toulouse
        .post(
            "/api/eleve/demande/enregistrer",
            &[
                ("subjects[]", "anglais"),
                ("difficulty", "L'oral."),
                ("mode", "online"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let coordinator_toulouse = invited(
        &app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let coordinator_montpellier = invited(
        &app,
        Role::Coordinator,
        "Maël",
        "mael@ac-montpellier.fr",
        &["montpellier"],
    )
    .await;
    let administrator = invited(
        &app,
        Role::Administrator,
        "Alex",
        "admin@region-occitanie.fr",
        &[],
    )
    .await;

    let pupil_a = user_id(&app, "zoe@exemple.fr").await.to_string();
    let pupil_b = user_id(&app, "bastien@exemple.fr").await.to_string();
    let tutor_id = user_id(&app, "hugo@exemple.fr").await.to_string();
    let request_a: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT id FROM help_requests WHERE pupil_user_id = $1"
    )
    .bind(pupil_a.parse::<i64>().expect("id"))
    .fetch_one(pool)
    .await
    .expect("a request"));
    let request_a = request_a.to_string();

    let mut visitors: Vec<(&str, Visitor<'_>)> = vec![
        ("anonymous", Visitor::new(&app)),
        ("pupil_toulouse", pupil_toulouse),
        ("pupil_montpellier", pupil_montpellier),
        ("tutor_toulouse", tutor),
        ("parent_toulouse", parent),
        ("coordinator_toulouse", coordinator_toulouse),
        ("coordinator_montpellier", coordinator_montpellier),
        ("administrator", administrator),
    ];
    assert_eq!(
        visitors.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        ACTORS
    );

    const PUPILS: &[&str] = &["pupil_toulouse", "pupil_montpellier"];
    const COORDINATORS: &[&str] = &["coordinator_toulouse", "coordinator_montpellier"];
    const PUPILS_AND_TUTOR: &[&str] = &["pupil_toulouse", "pupil_montpellier", "tutor_toulouse"];
    let rows = vec![
        // Reads.
        row("/api/eleve/profil", &[], PUPILS),
        row("/api/tuteur/profil", &[], &["tutor_toulouse"]),
        row("/api/parent/enfants", &[], &["parent_toulouse"]),
        row("/api/coordination", &[], COORDINATORS),
        row(
            "/api/coordination/eleve",
            &[("pupil_id", &pupil_a)],
            &["coordinator_toulouse"],
        ),
        row(
            "/api/coordination/eleve",
            &[("pupil_id", &pupil_b)],
            &["coordinator_montpellier"],
        ),
        row("/api/coordination/eleve", &[("pupil_id", "999999")], &[]),
        row(
            "/api/coordination/tuteur",
            &[("tutor_id", &tutor_id)],
            &["coordinator_toulouse"],
        ),
        row("/api/coordination/tuteur", &[("tutor_id", &pupil_a)], &[]),
        row("/api/administration/coordinateurs", &[], &["administrator"]),
        row("/api/journal", &[], &["administrator"]),
        row("/api/administration/courriels", &[], &["administrator"]),
        row("/api/disponibilites", &[], PUPILS_AND_TUTOR),
        row("/api/eleve/demande", &[], PUPILS),
        row("/api/tuteur/offre", &[], &["tutor_toulouse"]),
        row("/api/coordination/demandes", &[], COORDINATORS),
        row("/api/coordination/offres", &[], COORDINATORS),
        row(
            "/api/coordination/demande",
            &[("request_id", &request_a)],
            &["coordinator_toulouse"],
        ),
        row(
            "/api/coordination/demande",
            &[("request_id", "999999")],
            &[],
        ),
        // Changes.
        row(
            "/api/coordination/controle",
            &[
                ("tutor_id", &tutor_id),
                ("outcome", "cleared"),
                ("done_on", "2026-01-05"),
                ("expires_on", "2099-01-04"),
            ],
            &["coordinator_toulouse"],
        ),
        row(
            "/api/coordination/decision",
            &[("tutor_id", &tutor_id), ("decision", "suspend")],
            &["coordinator_toulouse"],
        ),
        row(
            "/api/parent/consentement",
            &[("pupil_id", &pupil_a), ("give", "true")],
            &["parent_toulouse"],
        ),
        row(
            "/api/parent/consentement",
            &[("pupil_id", &pupil_b), ("give", "false")],
            &[],
        ),
        row(
            "/api/administration/coordinateur",
            &[
                ("first_name", "Sam"),
                ("last_name", "Garcia"),
                ("email", "sam@exemple.fr"),
                ("academies[]", "toulouse"),
            ],
            &["administrator"],
        ),
        row(
            "/api/administration/courriels/renvoyer",
            &[],
            &["administrator"],
        ),
        row(
            "/api/signaler",
            &[
                ("body", "Un souci pendant la séance."),
                ("pupil_id", &pupil_a),
            ],
            &[
                "pupil_toulouse",
                "pupil_montpellier",
                "tutor_toulouse",
                "parent_toulouse",
            ],
        ),
        row(
            "/api/tuteur/profil/enregistrer",
            &[
                ("institution", "INSA Toulouse"),
                ("field_of_study", "Génie civil"),
                ("study_year", "4"),
                ("academies[]", "toulouse"),
            ],
            &["tutor_toulouse"],
        ),
        row(
            "/api/disponibilites/enregistrer",
            &[
                ("time_zone", ""),
                ("days[]", "3"),
                ("froms[]", "840"),
                ("tos[]", "960"),
            ],
            PUPILS_AND_TUTOR,
        ),
        row(
            "/api/eleve/demande/enregistrer",
            &[
                ("subjects[]", "anglais"),
                ("difficulty", "La compréhension orale."),
                ("mode", "both"),
            ],
            PUPILS,
        ),
        row("/api/eleve/demande/retirer", &[], PUPILS),
        row(
            "/api/tuteur/offre/enregistrer",
            &[
                ("entry_subjects[]", "anglais"),
                ("entry_levels[]", "terminale_generale"),
                ("capacity", "1"),
                ("mode", "online"),
                ("languages[]", "fr"),
            ],
            &["tutor_toulouse"],
        ),
        row(
            "/api/tuteur/offre/pause",
            &[("paused", "1")],
            &["tutor_toulouse"],
        ),
        row(
            "/api/eleve/profil/enregistrer",
            &[
                ("birth_month", "5"),
                ("birth_year", "2012"),
                ("school_uai", TOULOUSE_SCHOOL),
                ("level_code", "premiere_generale"),
                ("parent_email", "parent.lefevre@exemple.fr"),
            ],
            PUPILS,
        ),
    ];

    // Reads first, then what the allowed readers see, then changes (the
    // last one moves the pupils' profiles).
    let reads = 19;
    let mut wrong = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if index == reads {
            // What the allowed readers see stays inside their scope.
            let toulouse = visitors[5].1.post("/api/coordination", &[]).await.body;
            let montpellier = visitors[6].1.post("/api/coordination", &[]).await.body;
            assert!(
                toulouse.contains("Zoé")
                    && toulouse.contains("Hugo")
                    && !toulouse.contains("Bastien"),
                "{toulouse}"
            );
            assert!(
                montpellier.contains("Bastien")
                    && !montpellier.contains("Zoé")
                    && !montpellier.contains("Hugo"),
                "{montpellier}"
            );
            // A pupil reads their own profile only.
            let own = visitors[2].1.post("/api/eleve/profil", &[]).await.body;
            assert!(own.contains("Bastien") && !own.contains("Zoé"), "{own}");
            // Help requests stay inside the scope too.
            let requests = visitors[5]
                .1
                .post("/api/coordination/demandes", &[])
                .await
                .body;
            assert!(requests.contains("Zoé"), "{requests}");
            let requests = visitors[6]
                .1
                .post("/api/coordination/demandes", &[])
                .await
                .body;
            assert_eq!(requests, "[]");
        }
        if index == rows.len() - 1 {
            // Before the last row (which changes the pupils' profiles):
            // the parent of another child changed nothing.
            let bastien: String = app::on_db!(&app.db, |pool| sqlx::query_scalar(
                "SELECT consent FROM pupils WHERE user_id = $1"
            )
            .bind(pupil_b.parse::<i64>().expect("id"))
            .fetch_one(pool)
            .await
            .expect("consent"));
            assert_eq!(
                bastien, "not_required",
                "the parent of another child changed nothing"
            );
        }
        for (actor, visitor) in visitors.iter_mut() {
            let form: Vec<(&str, &str)> = row.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = visitor.post(row.path, &form).await;
            let expected = if row.allowed.contains(actor) {
                StatusCode::OK
            } else if *actor == "anonymous" {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::NOT_FOUND
            };
            if response.status != expected {
                wrong.push(format!(
                    "{actor} {} {:?}: {} (expected {expected}) {}",
                    row.path, row.form, response.status, response.body
                ));
            }
            if expected == StatusCode::NOT_FOUND {
                assert_eq!(
                    response.body, r#"{"kind":"not_found"}"#,
                    "{actor} {}",
                    row.path
                );
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Refused changes of needs and offers changed nothing: one interval for
    // each pupil and the tutor, each pupil's request withdrawn (Zoé's,
    // updated first), one offer, paused.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM availability_intervals").await,
        3
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM help_requests").await, 2);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM help_requests WHERE status = 'withdrawn'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM tutor_offers WHERE paused_at IS NOT NULL"
        )
        .await,
        1
    );

    let toulouse = visitors[5].1.post("/api/coordination", &[]).await.body;
    let montpellier = visitors[6].1.post("/api/coordination", &[]).await.body;
    // Reports reach the coordinators of the académie concerned only.
    assert!(toulouse.contains("Un souci pendant la séance."));
    let reports: serde_json::Value = serde_json::from_str(&montpellier).expect("JSON");
    assert_eq!(
        reports["open_reports"].as_array().map(Vec::len),
        Some(1),
        "Bastien's own report only"
    );

    // Refused changes changed nothing: the audit log holds the allowed
    // actors' actions only, once each.
    let log: serde_json::Value =
        serde_json::from_str(&visitors[7].1.post("/api/journal", &[]).await.body).expect("JSON");
    let mut actions: Vec<String> = log
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            format!(
                "{} by {}",
                e["action"].as_str().unwrap_or_default(),
                e["actor"].as_str().unwrap_or_default()
            )
        })
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        vec![
            "account.second_factor_enrolled by Alex Durand <admin@region-occitanie.fr>",
            "account.second_factor_enrolled by Camille Durand <camille@ac-toulouse.fr>",
            "account.second_factor_enrolled by Maël Durand <mael@ac-montpellier.fr>",
            "administrator.create by test",
            "coordinator.create by Alex Durand <admin@region-occitanie.fr>",
            "coordinator.create by test",
            "coordinator.create by test",
            "outbox.retry by Alex Durand <admin@region-occitanie.fr>",
            "tutor.background_check by Camille Durand <camille@ac-toulouse.fr>",
            "tutor.suspend by Camille Durand <camille@ac-toulouse.fr>",
        ]
    );
}
