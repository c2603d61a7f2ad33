//! A pupil and a tutor as a match, and with weekly sessions booked: what
//! the tests of sessions and of feedback start from.

use app::accounts::Role;
use axum::http::StatusCode;
use serde_json::Value;

use super::needs::{approve, json_of, pupil_asking, reunion_maths_tutor};
use super::people::{import_schools, invited, user_id};
use super::visitor::{emailed_secret, Visitor};
use super::TestApp;

/// Inès and Maëlys as an active match, through matching, publication and
/// Maëlys's acceptance. Returns (pupil, tutor, match id).
pub async fn active_match(app: &TestApp) -> (Visitor<'_>, Visitor<'_>, i64) {
    import_schools(app).await;
    let mut coordinator = invited(
        app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let mut ines = pupil_asking(
        app,
        "ines@exemple.fr",
        &[("2", "1080", "1200")],
        &["spe_mathematiques"],
    )
    .await;
    let maelys = reunion_maths_tutor(app, "maelys@exemple.fr").await;
    approve(&mut coordinator, user_id(app, "maelys@exemple.fr").await).await;

    let run = json_of(
        &coordinator
            .post(
                "/api/coordination/appariement/essai",
                &[("start", "2027-03-22")],
            )
            .await,
    );
    assert_eq!(run["matched"], 1, "{run}");
    let published = coordinator
        .post(
            "/api/coordination/appariement/publier",
            &[
                ("start", "2027-03-22"),
                ("fingerprint", run["fingerprint"].as_str().expect("text")),
            ],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let secret = emailed_secret(app, "maelys@exemple.fr", "/proposition").await;
    let accepted = Visitor::new(app)
        .post(
            "/api/proposition/reponse",
            &[("token", &secret), ("answer", "accept")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let matches = json_of(&ines.post("/api/binomes", &[]).await);
    let id = matches[0]["id"].as_i64().expect("a match");
    assert_eq!(matches[0]["series"], Value::Null);
    (ines, maelys, id)
}

/// Inès and Maëlys with Tuesdays 19:00 Paris from 23 March 2027 confirmed
/// (on Saturday 20 March, 09:00 UTC). Returns (pupil, tutor).
pub async fn tuesdays_from_23_march(app: &TestApp) -> (Visitor<'_>, Visitor<'_>) {
    let (mut ines, mut maelys, match_id) = active_match(app).await;
    let proposed = maelys
        .post(
            "/api/seances/proposer",
            &[
                ("match_id", &match_id.to_string()),
                ("slot", "2-1140"),
                ("minutes", "60"),
                ("first_date", "2027-03-22"),
            ],
        )
        .await;
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    let seen = json_of(&ines.post("/api/binomes", &[]).await);
    let series_id = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let confirmed = ines
        .post("/api/seances/confirmer", &[("series_id", &series_id)])
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    (ines, maelys)
}

/// The id of `who`'s first calendar entry on `date` (`YYYY-MM-DD`).
pub async fn session_on(who: &mut Visitor<'_>, date: &str) -> String {
    let entries = json_of(&who.post("/api/calendrier", &[]).await);
    entries
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["date"] == date)
        .unwrap_or_else(|| panic!("a session on {date}: {entries}"))["id"]
        .as_i64()
        .expect("an id")
        .to_string()
}
