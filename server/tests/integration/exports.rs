//! The coordinator's CSV exports of pairs and sessions (issue 8) through
//! the real router and database (SQLite, or PostgreSQL with
//! `BINOME_TEST_POSTGRES_URL`): readable by a spreadsheet in French
//! settings and by a program, round-tripped, in scope only, without the
//! comments of minors.
//!
//! Inès (born March 2010, so 17) and Maëlys meet on Tuesdays at 19:00
//! Paris from 23 March 2027; both answer about the first session.

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::tuesdays_from_23_march;
use common::people::{montpellier_coordinator, TOULOUSE_SCHOOL};
use common::visitor::Visitor;
use common::TestApp;

/// `body` read as the export's CSV: without its byte-order mark, `;`
/// between fields; the header, then the rows.
fn read(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = body.strip_prefix('\u{feff}').expect("a byte-order mark");
    assert!(text.ends_with("\r\n"), "CRLF line ends");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[tokio::test]
async fn pairs_and_sessions_export_as_csv_in_scope_without_minors_comments() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let match_id = json_of(&ines.post("/api/binomes", &[]).await)[0]["id"]
        .as_i64()
        .expect("a match");
    let entries = json_of(&ines.post("/api/calendrier", &[]).await);
    let first = entries[0]["id"].to_string();
    clock.advance(
        Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0)
            .single()
            .expect("an instant")
            - clock.now(),
    );
    ines.sign_in_again("ines@exemple.fr").await;
    maelys.sign_in_again("maelys@exemple.fr").await;
    let pupil_comment = "Merci, c’était clair ; à mardi !";
    for (who, form) in [
        (
            &mut ines,
            vec![
                ("took_place", "yes"),
                ("rating", "4"),
                ("confidence", "3"),
                ("comment", pupil_comment),
            ],
        ),
        (
            &mut maelys,
            vec![
                ("took_place", "yes"),
                ("rating", "5"),
                ("worked_on", "=1+1 ; \"récurrence\""),
                ("comment", "Élève motivée\nà suivre"),
            ],
        ),
    ] {
        let mut form = form;
        form.push(("occurrence_id", &first));
        let given = who.post("/api/avis/donner", &form).await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    }

    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let pairs = camille.get("/coordination/export/binomes.csv").await;
    assert_eq!(pairs.status, StatusCode::OK, "{}", pairs.body);
    assert_eq!(
        pairs.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        pairs.header("content-disposition"),
        Some("attachment; filename=\"binomes-2027-03-24.csv\"")
    );
    let (header, rows) = read(&pairs.body);
    assert_eq!(header[0], "Binôme");
    assert_eq!(header.len(), 13);
    assert_eq!(
        rows,
        [[
            match_id.to_string(),
            "Inès Roux".to_owned(),
            TOULOUSE_SCHOOL.to_owned(),
            rows[0][3].clone(),
            "toulouse".to_owned(),
            "premiere_generale".to_owned(),
            "spe_mathematiques".to_owned(),
            "Maëlys Payet".to_owned(),
            "active".to_owned(),
            "2027-03-20".to_owned(),
            String::new(),
            String::new(),
            // The first session, held.
            "1".to_owned(),
        ]]
    );
    assert!(!rows[0][3].is_empty(), "the school's name");

    let sessions = camille.get("/coordination/export/seances.csv").await;
    assert_eq!(sessions.status, StatusCode::OK, "{}", sessions.body);
    let (header, rows) = read(&sessions.body);
    assert_eq!(header.len(), 17);
    let stored: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_occurrences"
    )
    .fetch_one(pool)
    .await
    .expect("a count"));
    assert_eq!(rows.len(), usize::try_from(stored).expect("a count"));
    assert_eq!(
        rows[0],
        [
            first.clone(),
            match_id.to_string(),
            "Inès Roux".to_owned(),
            "Maëlys Payet".to_owned(),
            "2027-03-23".to_owned(),
            "19:00".to_owned(),
            "Europe/Paris".to_owned(),
            "60".to_owned(),
            "scheduled".to_owned(),
            "oui".to_owned(),
            "oui".to_owned(),
            "4".to_owned(),
            "5".to_owned(),
            "3".to_owned(),
            // Not read as a formula by a spreadsheet.
            "'=1+1 ; \"récurrence\"".to_owned(),
            "Élève motivée\nà suivre".to_owned(),
            // Inès is 17: her comment stays out.
            String::new(),
        ]
    );
    assert!(!sessions.body.contains("Merci"), "{}", sessions.body);
    // The next week, not answered: the feedback columns are empty.
    assert_eq!(rows[1][4], "2027-03-30");
    assert!(rows[1][9..].iter().all(String::is_empty), "{:?}", rows[1]);

    // Round trip: written again, the rows give the same bytes.
    let mut all = vec![header];
    all.extend(rows);
    let again = app::coordination::exports::to_csv(&all).expect("written");
    assert_eq!(String::from_utf8(again).expect("UTF-8"), sessions.body);

    // Had Inès been born in February 2009, she was 18 when she wrote it
    // (24 March 2027): her comment is exported. Born in March 2009, she
    // may have been 17 still: it is not.
    for (month, shown) in [(2, true), (3, false)] {
        app::on_db!(&app.db, |pool| sqlx::query(
            "UPDATE pupils SET birth_year = 2009, birth_month = $1"
        )
        .bind(month)
        .execute(pool)
        .await
        .expect("updated")
        .rows_affected());
        let again = camille.get("/coordination/export/seances.csv").await;
        let (_, rows) = read(&again.body);
        let expected = if shown { pupil_comment } else { "" };
        assert_eq!(rows[0][16], expected, "born {month}/2009");
    }

    // Outside the scope: the header only. Others: refused or sent to sign in.
    let mut louis = montpellier_coordinator(&app).await;
    for file in ["binomes.csv", "seances.csv"] {
        let theirs = louis.get(&format!("/coordination/export/{file}")).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert_eq!(read(&theirs.body).1.len(), 0, "{}", theirs.body);
    }
    let unknown = camille.get("/coordination/export/eleves.csv").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let pupil = ines.get("/coordination/export/binomes.csv").await;
    assert_eq!(pupil.status, StatusCode::NOT_FOUND);
    let signed_out = Visitor::new(&app)
        .get("/coordination/export/seances.csv")
        .await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.header("location"), Some("/connexion"));
}
