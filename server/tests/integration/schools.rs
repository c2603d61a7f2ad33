//! Importing the school directory, on SQLite or PostgreSQL: the real
//! directory of Occitanie loads whole, a second import changes nothing, and
//! a file with a bad row writes nothing.

use crate::common;

use std::collections::HashMap;

use app::db::Db;
use app::schools::directory::{self, ImportError, ImportReport, RowProblem};
use chrono::{DateTime, Utc};
use common::TestDatabase;

const DIRECTORY: &str = "lycees-occitanie.csv";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

async fn database() -> (TestDatabase, Db) {
    let database = TestDatabase::create().await;
    let db = server::database::open(&database.target, "DATABASE_URL")
        .await
        .expect("the database opens");
    (database, db)
}

fn directory_text() -> String {
    let path = common::shared_data(DIRECTORY);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn import(db: &Db, text: &str) -> (Result<ImportReport, ImportError>, Vec<(usize, usize)>) {
    let mut calls = Vec::new();
    let result = directory::import(db, text.as_bytes(), now(), &mut |done, total| {
        calls.push((done, total));
    })
    .await;
    (result, calls)
}

async fn count(db: &Db, condition: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM schools WHERE {condition}");
    app::on_db!(db, |pool| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(pool)
        .await
        .expect("counts"))
}

#[tokio::test]
async fn the_occitanie_directory_loads_whole_and_a_second_import_changes_nothing() {
    let (_database, db) = database().await;
    let text = directory_text();
    // Counted from the file itself, independently of the importer.
    let rows = text.lines().skip(1).filter(|l| !l.is_empty()).count();
    let toulouse = text
        .lines()
        .filter(|l| l.contains(",Toulouse,Occitanie,"))
        .count();
    let montpellier = text
        .lines()
        .filter(|l| l.contains(",Montpellier,Occitanie,"))
        .count();
    assert_eq!((rows, toulouse + montpellier), (556, 556));

    let (report, progress) = import(&db, &text).await;
    let report = report.expect("the directory is valid");
    assert_eq!(
        report,
        ImportReport {
            total: rows,
            inserted: rows,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(progress.len(), rows.div_ceil(50), "{progress:?}");
    assert_eq!(progress.last(), Some(&(rows, rows)));

    let by_academy = directory::count_by_academy(&db).await.expect("counts");
    let expected: HashMap<String, i64> = [
        (
            "toulouse".to_owned(),
            i64::try_from(toulouse).expect("small"),
        ),
        (
            "montpellier".to_owned(),
            i64::try_from(montpellier).expect("small"),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_academy, expected);
    // The shared data's README: 9 post-baccalauréat-only schools, 4 without
    // coordinates, 208 whose voies are unknown.
    assert_eq!(count(&db, "post_baccalaureate_only = TRUE").await, 9);
    assert_eq!(
        count(&db, "latitude IS NULL AND longitude IS NULL").await,
        4
    );
    assert_eq!(
        count(
            &db,
            "general_track IS NULL AND technological_track IS NULL AND vocational_track IS NULL"
        )
        .await,
        208
    );
    let (name, general, vocational, latitude): (String, Option<bool>, Option<bool>, Option<f64>) =
        app::on_db!(&db, |pool| sqlx::query_as(
            "SELECT name, general_track, vocational_track, latitude FROM schools WHERE uai = $1"
        )
        .bind("0090002D")
        .fetch_one(pool)
        .await
        .expect("Foix's lycée"));
    assert_eq!(name, "Lycée général et technologique Gabriel Fauré");
    assert_eq!((general, vocational), (Some(true), Some(false)));
    assert!((latitude.expect("known") - 42.961_967_120_876_71).abs() < 1e-9);

    let (again, _) = import(&db, &text).await;
    assert_eq!(
        again.expect("still valid"),
        ImportReport {
            total: rows,
            inserted: 0,
            updated: 0,
            unchanged: rows
        }
    );

    let renamed = text.replacen(
        "Lycée général et technologique Gabriel Fauré",
        "Lycée Gabriel-Fauré",
        1,
    );
    let (changed, _) = import(&db, &renamed).await;
    let changed = changed.expect("still valid");
    assert_eq!((changed.updated, changed.unchanged), (1, rows - 1));
}

#[tokio::test]
async fn a_file_with_a_bad_row_writes_nothing_and_names_every_bad_line() {
    let (_database, db) = database().await;
    let text = directory_text();
    let mut lines: Vec<String> = text.lines().take(11).map(str::to_owned).collect();
    // Line 12: a typing mistake in a UAI; line 13: an académie that does not exist.
    lines.push(lines[1].replacen("0090002D", "0090002E", 1));
    lines.push(
        lines[2]
            .replacen(",Toulouse,Occitanie,", ",Gotham,Occitanie,", 1)
            .replacen("0090003E", "0310024H", 1),
    );
    let file = lines.join("\n");

    let (result, progress) = import(&db, &file).await;
    let Err(ImportError::Rows(errors)) = result else {
        panic!("expected bad rows, got {result:?}");
    };
    let found: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(found, vec![12, 13], "{errors:?}");
    assert!(matches!(errors[0].problem, RowProblem::Uai { .. }));
    assert!(
        matches!(&errors[1].problem, RowProblem::UnknownAcademy { value } if value == "Gotham")
    );
    assert!(progress.is_empty(), "nothing was written, so no progress");
    assert_eq!(count(&db, "TRUE").await, 0, "not even the ten good rows");
}

/// The directory's rows as (uai, name, nature, commune), read with the csv
/// crate independently of the importer.
fn directory_rows() -> Vec<(String, String, String, String)> {
    let text = directory_text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("a valid row");
            (
                r[0].to_owned(),
                r[1].to_owned(),
                r[2].to_owned(),
                r[4].to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn schools_are_found_by_name_commune_or_uai_but_not_post_baccalaureate_ones() {
    let app = common::TestApp::spawn().await;
    let (report, _) = import(&app.db, &directory_text()).await;
    report.expect("imports");
    let rows = directory_rows();
    let search = |query: &str| {
        let db = app.db.clone();
        let query = query.to_owned();
        async move {
            app::schools::search::queries::search(&db, &query, 20)
                .await
                .expect("searches")
        }
    };

    let found = search("gabriel FAURE").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].uai, "0090002D");
    assert_eq!(found[0].commune, "Foix");

    let post_bac_only = directory::POST_BACCALAUREATE_ONLY_NATURE;
    let in_foix: Vec<&String> = rows
        .iter()
        .filter(|(_, _, nature, commune)| commune == "Foix" && nature != post_bac_only)
        .map(|(uai, ..)| uai)
        .collect();
    let found = search("foix").await;
    assert!(!in_foix.is_empty());
    assert!(
        found.len() >= in_foix.len(),
        "every school of Foix: {found:?}"
    );
    for uai in in_foix {
        assert!(found.iter().any(|s| &s.uai == uai), "{uai} is found");
    }

    assert_eq!(
        search(" 0310024h ")
            .await
            .iter()
            .map(|s| s.uai.as_str())
            .collect::<Vec<_>>(),
        vec!["0310024H"]
    );
    let (excluded, ..) = rows
        .iter()
        .find(|(_, _, nature, _)| nature == post_bac_only)
        .expect("the file has post-baccalauréat-only schools");
    assert!(
        search(excluded).await.is_empty(),
        "{excluded} teaches no lycée pupils"
    );

    let many = search("lycée").await;
    assert_eq!(many.len(), 20, "capped");
    for (query, why) in [
        ("a", "too short"),
        ("%", "no word"),
        ("_ _", "no word"),
        ("zzzzzz", "nothing"),
    ] {
        assert!(search(query).await.is_empty(), "{query:?}: {why}");
    }

    // The same through the public server function.
    let answer = app
        .post(
            "/api/etablissements",
            "application/x-www-form-urlencoded",
            "query=Gabriel+Faur%C3%A9",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let json: serde_json::Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(json[0]["uai"], "0090002D");
    assert_eq!(json[0]["academy_code"], "toulouse");
}
