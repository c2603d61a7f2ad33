//! The coordinator's dashboard (issue 8, part 5) through the real router
//! and database (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`):
//! each figure on a small scope whose right values are counted by hand
//! below, the page with its charts and tables, and the indicators' CSV.
//!
//! Inès (asked on Saturday 20 March 2027, 09:00 UTC) meets Maëlys on
//! Tuesdays at 19:00 Paris from 23 March. Both say the first session took
//! place (ratings 4 and 5, Inès's confidence 2); Inès says the second (30
//! March, after the change to summer time) did not. Léa asked for help on
//! 20 March, Hugo on 27 March, both at 09:00 UTC; neither has a tutor. The
//! dashboard is read on Thursday 1 April, 09:00 UTC.

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::needs::{json_of, pupil_asking, saturday_20_march_2027};
use common::pairs::{session_on, tuesdays_from_23_march};
use common::people::{montpellier_coordinator, TOULOUSE_SCHOOL};
use common::visitor::Visitor;
use common::TestApp;
use serde_json::json;

fn advance_to(clock: &app::clock::ManualClock, (m, d): (u32, u32)) {
    let at = Utc
        .with_ymd_and_hms(2027, m, d, 9, 0, 0)
        .single()
        .expect("an instant");
    clock.advance(at - clock.now());
}

#[tokio::test]
async fn the_dashboard_counts_what_was_counted_by_hand() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let availability = [("3", "1080", "1200")];
    pupil_asking(
        &app,
        "lea@exemple.fr",
        &availability,
        &["francais", "spe_mathematiques"],
    )
    .await;

    advance_to(&clock, (3, 24));
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    let first = session_on(&mut ines, "2027-03-23").await;
    for (who, answers) in [
        (&mut ines, [("rating", "4"), ("confidence", "2")]),
        (&mut maelys, [("rating", "5"), ("worked_on", "Suites")]),
    ] {
        let mut form = vec![("occurrence_id", first.as_str()), ("took_place", "yes")];
        form.extend(answers);
        let given = who.post("/api/avis/donner", &form).await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    }

    advance_to(&clock, (3, 27));
    pupil_asking(&app, "hugo@exemple.fr", &availability, &["francais"]).await;

    advance_to(&clock, (3, 31));
    ines.sign_in_again("ines@exemple.fr").await;
    let second = session_on(&mut ines, "2027-03-30").await;
    let said = ines
        .post(
            "/api/avis/donner",
            &[("occurrence_id", &second), ("took_place", "no")],
        )
        .await;
    assert_eq!(said.status, StatusCode::OK, "{}", said.body);

    advance_to(&clock, (4, 1));
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let board = json_of(&camille.post("/api/coordination/tableau-de-bord", &[]).await);
    assert_eq!(board["today"], "2027-04-01");
    assert_eq!(board["week_start"], "2027-03-29");
    assert_eq!(board["year_start"], "2026-09-01");
    let total = json!({
        // Léa since 20 March (12 days), Hugo since 27 March (5 days).
        "waiting": 2,
        "median_wait_days": 8.5,
        "active_pairs": 1,
        // 30 March, in the week of Monday 29 March, was missed.
        "held_this_week": 0,
        "missed_this_week": 1,
        "held_this_year": 1,
        "missed_this_year": 1,
        "volunteer_minutes": 60,
        "average_rating": 4.5,
        "ratings": 2,
        // One answer of Inès only: no change to tell.
        "confidence_change": null,
        // 20 March 09:00 UTC to 23 March 18:00 UTC (19:00 Paris).
        "median_days_to_first_session": 3.0,
    });
    assert_eq!(board["total"], total);
    // One school: the same figures.
    assert_eq!(board["schools"].as_array().map(Vec::len), Some(1));
    assert_eq!(board["schools"][0]["code"], TOULOUSE_SCHOOL);
    assert_eq!(board["schools"][0]["figures"], total);
    // Subjects: Léa and Hugo ask for French; Léa for spécialité
    // mathématiques too, which Maëlys covers for Inès.
    let subjects = board["subjects"].as_array().expect("a list");
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert_eq!(subjects[0]["code"], "francais");
    assert_eq!(subjects[0]["figures"]["waiting"], 2);
    assert_eq!(subjects[0]["figures"]["median_wait_days"], 8.5);
    assert_eq!(subjects[0]["figures"]["active_pairs"], 0);
    assert_eq!(subjects[0]["figures"]["held_this_year"], 0);
    assert_eq!(subjects[1]["code"], "spe_mathematiques");
    let mut maths = total.clone();
    maths["waiting"] = json!(1);
    maths["median_wait_days"] = json!(12.0);
    assert_eq!(subjects[1]["figures"], maths);
    // 31 weeks from Monday 31 August 2026 to Monday 29 March 2027.
    let weeks = board["weeks"].as_array().expect("a list");
    assert_eq!(weeks.len(), 31);
    assert_eq!(weeks[0]["monday"], "2026-08-31");
    assert_eq!(
        weeks[29],
        json!({"monday": "2027-03-22", "held": 1, "missed": 0})
    );
    assert_eq!(
        weeks[30],
        json!({"monday": "2027-03-29", "held": 0, "missed": 1})
    );
    let counted: i64 = weeks
        .iter()
        .map(|w| w["held"].as_i64().unwrap_or(0) + w["missed"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(counted, 2);

    // The page: figures, both charts as images with their title, their
    // tables, readable without JavaScript.
    let page = camille.get("/coordination/tableau-de-bord").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "data-figure=\"median_wait\"",
        "8,5\u{a0}j",
        "4,5 / 5 (2 notes)",
        "1 h 00",
        "role=\"img\" aria-labelledby=\"graphique-semaines-title\" \
         aria-describedby=\"graphique-semaines-desc\"",
        "<title id=\"graphique-matieres-title\">",
        "data-testid=\"weeks-table\"",
        "data-testid=\"subjects-table\"",
        "data-testid=\"schools-table\"",
        "Mathématiques (spécialité)",
    ] {
        assert!(page.body.contains(expected), "{expected} in {}", page.body);
    }

    // The indicators as a file: the total, each subject, each school.
    let file = camille.get("/coordination/export/indicateurs.csv").await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"indicateurs-2027-04-01.csv\"")
    );
    let text = file
        .body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    assert_eq!(reader.headers().expect("a header").len(), 15);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "total", "toulouse", "Toulouse", "2", "8,5", "1", "0", "1", "1", "1", "1", "4,5", "2",
            "", "3"
        ]
    );
    assert_eq!(
        rows[1][..5],
        ["subject", "francais", "Français", "2", "8,5"]
    );
    assert_eq!(
        rows[2][..5],
        [
            "subject",
            "spe_mathematiques",
            "Mathématiques (spécialité)",
            "1",
            "12"
        ]
    );
    assert_eq!(rows[3][..2], ["school", TOULOUSE_SCHOOL]);
    assert_eq!(rows[3][3..], rows[0][3..]);
    assert_eq!(rows.len(), 4);

    // Another académie's coordinator sees none of it; others may not look.
    let mut louis = montpellier_coordinator(&app).await;
    let theirs = json_of(&louis.post("/api/coordination/tableau-de-bord", &[]).await);
    assert_eq!(theirs["total"]["waiting"], 0);
    assert_eq!(theirs["total"]["held_this_year"], 0);
    assert_eq!(theirs["schools"], json!([]));
    ines.sign_in_again("ines@exemple.fr").await;
    let pupil = ines.post("/api/coordination/tableau-de-bord", &[]).await;
    assert_eq!(pupil.status, StatusCode::NOT_FOUND);
    let signed_out = Visitor::new(&app)
        .post("/api/coordination/tableau-de-bord", &[])
        .await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
}
