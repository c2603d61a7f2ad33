//! People with needs and offers: availability, help requests, tutors who
//! volunteer from La Réunion, offers.

use axum::http::StatusCode;

use super::people::{confirmed, save_pupil_profile, TOULOUSE_SCHOOL};
use super::visitor::Visitor;
use super::{TestApp, TestResponse};

/// Posts availability rows `(day, from, to)` in minutes.
pub async fn save_availability(
    who: &mut Visitor<'_>,
    zone: &str,
    rows: &[(&str, &str, &str)],
) -> TestResponse {
    let mut form = vec![("time_zone", zone)];
    for (day, from, to) in rows {
        form.extend([("days[]", *day), ("froms[]", *from), ("tos[]", *to)]);
    }
    who.post("/api/disponibilites/enregistrer", &form).await
}

pub async fn pupil_in_premiere<'a>(app: &'a TestApp, email: &str) -> Visitor<'a> {
    let mut pupil = confirmed(app, "pupil", "Inès", "Roux", email).await;
    let saved = save_pupil_profile(
        &mut pupil,
        "3",
        "2010",
        TOULOUSE_SCHOOL,
        "premiere_generale",
        "",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    pupil
}

pub async fn request_help(pupil: &mut Visitor<'_>, subjects: &[&str]) -> TestResponse {
    let mut form: Vec<(&str, &str)> = subjects.iter().map(|s| ("subjects[]", *s)).collect();
    form.extend([
        (
            "difficulty",
            "Les suites et les dérivées : je bloque sur les démonstrations.",
        ),
        ("mode", "online"),
        ("deadline", "2027-06-15"),
    ]);
    pupil.post("/api/eleve/demande/enregistrer", &form).await
}

/// A tutor living in La Réunion who volunteers (online) for Toulouse too.
pub async fn reunion_tutor<'a>(app: &'a TestApp, email: &str) -> Visitor<'a> {
    let mut tutor = confirmed(app, "tutor", "Maëlys", "Payet", email).await;
    let saved = tutor
        .post(
            "/api/tuteur/profil/enregistrer",
            &[
                ("institution", "Université de La Réunion"),
                ("field_of_study", "Mathématiques"),
                ("study_year", "4"),
                ("academies[]", "la-reunion"),
                ("academies[]", "toulouse"),
                ("charter", "accepted"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    tutor
}

pub async fn offer(tutor: &mut Visitor<'_>, entries: &[(&str, &str)]) -> TestResponse {
    let mut form: Vec<(&str, &str)> = Vec::new();
    for (subject, level) in entries {
        form.extend([("entry_subjects[]", *subject), ("entry_levels[]", *level)]);
    }
    form.extend([
        ("capacity", "2"),
        ("mode", "online"),
        ("languages[]", "fr"),
        ("languages[]", "en"),
    ]);
    tutor.post("/api/tuteur/offre/enregistrer", &form).await
}

/// The JSON of a 200 answer.
pub fn json_of(response: &TestResponse) -> serde_json::Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).expect("JSON")
}

/// Records a valid background check (1 March 2027 to 29 February 2028)
/// for `tutor_id` and approves them.
pub async fn approve(coordinator: &mut Visitor<'_>, tutor_id: i64) {
    let id = tutor_id.to_string();
    let recorded = coordinator
        .post(
            "/api/coordination/controle",
            &[
                ("tutor_id", &id),
                ("outcome", "cleared"),
                ("done_on", "2027-03-01"),
                ("expires_on", "2028-02-29"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    let approved = coordinator
        .post(
            "/api/coordination/decision",
            &[("tutor_id", &id), ("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
}

/// A clock at Saturday 20 March 2027, 09:00 UTC: the Monday after is a
/// week before Europe/Paris goes to summer time.
pub fn saturday_20_march_2027() -> std::sync::Arc<app::clock::ManualClock> {
    use chrono::TimeZone;
    std::sync::Arc::new(app::clock::ManualClock::new(
        chrono::Utc
            .with_ymd_and_hms(2027, 3, 20, 9, 0, 0)
            .single()
            .expect("a date"),
    ))
}

/// A pupil in première générale in Toulouse, available `rows` (as
/// [`save_availability`] takes them, in Paris), asking for help in
/// `subjects`.
pub async fn pupil_asking<'a>(
    app: &'a TestApp,
    email: &str,
    rows: &[(&str, &str, &str)],
    subjects: &[&str],
) -> Visitor<'a> {
    let mut pupil = pupil_in_premiere(app, email).await;
    let saved = save_availability(&mut pupil, "", rows).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let asked = request_help(&mut pupil, subjects).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    pupil
}

/// Maëlys's offer: a tutor in La Réunion (UTC+4) free on Tuesdays
/// 21:00–23:00 her time, teaching spécialité mathématiques up to terminale
/// générale (not yet approved).
pub async fn reunion_maths_tutor<'a>(app: &'a TestApp, email: &str) -> Visitor<'a> {
    let mut tutor = reunion_tutor(app, email).await;
    let saved = save_availability(&mut tutor, "", &[("2", "1260", "1380")]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let offered = offer(&mut tutor, &[("spe_mathematiques", "terminale_generale")]).await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.body);
    tutor
}
