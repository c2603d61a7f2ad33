//! The volunteer attestation (issue 8) through the real router and
//! database (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`), with
//! an injected clock.
//!
//! Maëlys tutors Inès on Tuesdays at 19:00 Paris (one hour) from 23 March
//! 2027. By 7 April three sessions have ended: 23 March, confirmed by
//! both; 30 March, which Inès says did not take place; 6 April, confirmed
//! by Maëlys alone. So two sessions held, two hours, one pupil.

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::tuesdays_from_23_march;
use common::people::{montpellier_coordinator, user_id};
use common::visitor::{field_errors, pairs, Visitor};
use common::TestApp;
use serde_json::Value;

async fn attestation(who: &mut Visitor<'_>, form: &[(&str, &str)]) -> common::TestResponse {
    who.post("/api/attestation", form).await
}

fn figures(found: &Value) -> (i64, i64, i64, Value) {
    (
        found["sessions"].as_i64().expect("sessions"),
        found["minutes"].as_i64().expect("minutes"),
        found["pupils"].as_i64().expect("pupils"),
        found["subjects"].clone(),
    )
}

#[tokio::test]
async fn a_tutor_downloads_and_a_coordinator_issues_the_hours_held_over_a_period() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let entries = json_of(&ines.post("/api/calendrier", &[]).await);
    let id_on = |date: &str| {
        entries
            .as_array()
            .expect("a list")
            .iter()
            .find(|e| e["date"] == date)
            .unwrap_or_else(|| panic!("a session on {date}"))["id"]
            .to_string()
    };
    let (first, second, third) = (
        id_on("2027-03-23"),
        id_on("2027-03-30"),
        id_on("2027-04-06"),
    );
    let held_by_tutor = |id: &str| {
        vec![
            ("occurrence_id", id.to_owned()),
            ("took_place", "yes".to_owned()),
            ("rating", "4".to_owned()),
            ("worked_on", "Les suites".to_owned()),
        ]
    };
    let pupil_first = vec![
        ("occurrence_id", first.clone()),
        ("took_place", "yes".to_owned()),
        ("rating", "5".to_owned()),
        ("confidence", "4".to_owned()),
    ];
    let pupil_second = vec![
        ("occurrence_id", second.clone()),
        ("took_place", "no".to_owned()),
    ];
    // The first two answered on 31 March, the third on 7 April (feedback
    // closes 14 days after a session).
    for (day, answers) in [
        (
            31,
            vec![
                (true, held_by_tutor(&first)),
                (false, pupil_first),
                (false, pupil_second),
            ],
        ),
        (7, vec![(true, held_by_tutor(&third))]),
    ] {
        let month = if day == 31 { 3 } else { 4 };
        clock.advance(
            Utc.with_ymd_and_hms(2027, month, day, 9, 0, 0)
                .single()
                .expect("an instant")
                - clock.now(),
        );
        ines.sign_in_again("ines@exemple.fr").await;
        maelys.sign_in_again("maelys@exemple.fr").await;
        for (tutor_side, form) in answers {
            let who = if tutor_side { &mut maelys } else { &mut ines };
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let given = who.post("/api/avis/donner", &form).await;
            assert_eq!(given.status, StatusCode::OK, "{}", given.body);
        }
    }

    let whole = attestation(&mut maelys, &[("du", "2027-03-01"), ("au", "2027-04-07")]).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
    let found = json_of(&whole);
    assert_eq!(
        figures(&found),
        (2, 120, 1, serde_json::json!(["spe_mathematiques"]))
    );
    assert_eq!(found["tutor_name"], "Maëlys Payet");
    assert_eq!(found["issued_by"], Value::Null);
    assert_eq!(found["issued_on"], "2027-04-07");
    // Up to 5 April: the first only.
    let part =
        json_of(&attestation(&mut maelys, &[("du", "2027-03-01"), ("au", "2027-04-05")]).await);
    assert_eq!(figures(&part).0, 1);
    assert_eq!(figures(&part).1, 60);

    // Bad periods, field by field.
    for (from, to, field, key) in [
        (
            "2027-03-01",
            "2027-04-08",
            "au",
            "errors.attestation.future",
        ),
        ("2027-04-01", "2027-03-01", "au", "errors.attestation.order"),
        (
            "2026-01-01",
            "2027-04-01",
            "au",
            "errors.attestation.too_long",
        ),
        ("1 mars", "2027-04-01", "du", "errors.attestation.date"),
    ] {
        let refused = attestation(&mut maelys, &[("du", from), ("au", to)]).await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[(field, key)]),
            "{from} {to}"
        );
    }

    // Issued by a coordinator of her académie: the same figures, signed,
    // in the audit log; not by another's, nor by a pupil.
    let tutor = user_id(&app, "maelys@exemple.fr").await.to_string();
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let issued = json_of(
        &attestation(
            &mut camille,
            &[
                ("tuteur", &tutor),
                ("du", "2027-03-01"),
                ("au", "2027-04-07"),
            ],
        )
        .await,
    );
    assert_eq!(figures(&issued), figures(&found));
    assert_eq!(issued["issued_by"], "Camille Durand");
    let audit: Vec<(String,)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT details FROM audit_log WHERE action = 'tutor.attestation'"
    )
    .fetch_all(pool)
    .await
    .expect("audit"));
    assert_eq!(
        audit,
        [("from=2027-03-01 to=2027-04-07 sessions=2 minutes=120".to_owned(),)]
    );
    let mut louis = montpellier_coordinator(&app).await;
    let outside = attestation(
        &mut louis,
        &[
            ("tuteur", &tutor),
            ("du", "2027-03-01"),
            ("au", "2027-04-07"),
        ],
    )
    .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    let pupil = attestation(&mut ines, &[("du", "2027-03-01"), ("au", "2027-04-07")]).await;
    assert_eq!(pupil.status, StatusCode::NOT_FOUND);

    // The printable page, rendered on the server.
    let page = maelys.get("/attestation?du=2027-03-01&au=2027-04-07").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("data-testid=\"attestation-hours\">2 h 00<"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("/attestation.pdf?du=2027-03-01&amp;au=2027-04-07&amp;tuteur="),
        "{}",
        page.body
    );

    // The same as a PDF file (its text is read back in the app's tests),
    // under the same rules.
    let file = maelys
        .get("/attestation.pdf?du=2027-03-01&au=2027-04-07")
        .await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.header("cache-control"), Some("private, no-store"));
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"attestation-benevolat-2027-03-01-2027-04-07.pdf\"")
    );
    assert!(file.body.starts_with("%PDF-"));
    let by_coordinator = format!("/attestation.pdf?tuteur={tutor}&du=2027-03-01&au=2027-04-07");
    assert_eq!(camille.get(&by_coordinator).await.status, StatusCode::OK);
    assert_eq!(
        louis.get(&by_coordinator).await.status,
        StatusCode::NOT_FOUND
    );
    let late = maelys
        .get("/attestation.pdf?du=2027-03-01&au=2027-04-08")
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        late.body
            .contains("au\u{202f}: La période ne peut pas finir après aujourd’hui."),
        "{}",
        late.body
    );
    let signed_out = Visitor::new(&app)
        .get("/attestation.pdf?du=2027-03-01&au=2027-04-07")
        .await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
}
