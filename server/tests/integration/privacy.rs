//! The data rights of issue 10 (GDPR art. 15, 17 and 20), through the real
//! router and database (SQLite, or PostgreSQL with
//! `BINOME_TEST_POSTGRES_URL`), with an injected clock.
//!
//! Inès (pupil, Paris) and Maëlys (tutor, Réunion) meet on Tuesdays at
//! 19:00 Paris from 23 March 2027; the first session is held, both give
//! feedback naming the other, then the export and the erasure are checked
//! against the database itself, read without the application's code.

use std::collections::{BTreeMap, BTreeSet};

use crate::common;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::{session_on, tuesdays_from_23_march};
use common::people::{confirmed, consenting_parent, save_pupil_profile, user_id, TOULOUSE_SCHOOL};
use common::visitor::{field_errors, pairs, Visitor, PASSWORD};
use common::TestApp;
use serde_json::Value;

const URL: &str = "http://127.0.0.1:3000";
const INES: &str = "ines@exemple.fr";
const MAELYS: &str = "maelys@exemple.fr";
const CAMILLE: &str = "camille@ac-toulouse.fr";
const INES_COMMENT: &str = "Maëlys Payet explique très bien les suites.";
const MAELYS_COMMENT: &str = "Inès Roux a bien progressé ; Inès revoit les dérivées.";

/// The pair after its first session, each side's feedback given:
/// (Inès, Maëlys), the clock on Wednesday 24 March 2027, 09:00 UTC.
async fn pair_with_history<'a>(
    app: &'a TestApp,
    clock: &app::clock::ManualClock,
) -> (Visitor<'a>, Visitor<'a>) {
    let (mut ines, mut maelys) = tuesdays_from_23_march(app).await;
    let first = session_on(&mut ines, "2027-03-23").await;
    let wednesday = Utc
        .with_ymd_and_hms(2027, 3, 24, 9, 0, 0)
        .single()
        .expect("an instant");
    clock.advance(wednesday - clock.now());
    ines.sign_in_again(INES).await;
    maelys.sign_in_again(MAELYS).await;
    app::feedback::asks::ask_due(&app.db, URL, clock.now())
        .await
        .expect("asked");
    for (who, comment) in [(&mut ines, INES_COMMENT), (&mut maelys, MAELYS_COMMENT)] {
        let given = who
            .post(
                "/api/avis/donner",
                &[
                    ("occurrence_id", &first),
                    ("took_place", "yes"),
                    ("rating", "5"),
                    ("confidence", "4"),
                    ("worked_on", "Les suites"),
                    ("comment", comment),
                ],
            )
            .await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    }
    (ines, maelys)
}

/// Every table of the schema, read from the engine's catalogue.
async fn schema_tables(app: &TestApp) -> BTreeSet<String> {
    let names: Vec<String> = match &app.db {
        app::db::Db::Sqlite(pool) => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(pool)
        .await
        .expect("tables"),
        app::db::Db::Postgres(pool) => sqlx::query_scalar(
            "SELECT table_name::TEXT FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
        .fetch_all(pool)
        .await
        .expect("tables"),
    };
    names.into_iter().collect()
}

/// Every column of every table: (table, column, holds text or bytes).
async fn schema_columns(app: &TestApp) -> Vec<(String, String, bool)> {
    match &app.db {
        app::db::Db::Sqlite(pool) => {
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(pool)
            .await
            .expect("columns");
            rows.into_iter()
                .map(|(t, c, ty)| {
                    let textual = matches!(ty.as_str(), "TEXT" | "BLOB" | "");
                    (t, c, textual)
                })
                .collect()
        }
        app::db::Db::Postgres(pool) => {
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT table_name::TEXT, column_name::TEXT, data_type::TEXT \
                 FROM information_schema.columns WHERE table_schema = current_schema()",
            )
            .fetch_all(pool)
            .await
            .expect("columns");
            rows.into_iter()
                .map(|(t, c, ty)| {
                    let textual = matches!(ty.as_str(), "text" | "bytea" | "character varying");
                    (t, c, textual)
                })
                .collect()
        }
    }
}

/// The `table.column`s whose text (or bytes, read as text) holds
/// `needle`, case ignored for ASCII letters.
async fn holding(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column, textual) in schema_columns(app).await {
        if !textual {
            continue;
        }
        let count: i64 = match &app.db {
            app::db::Db::Sqlite(pool) => sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM \"{table}\" WHERE \
                 INSTR(LOWER(CAST(\"{column}\" AS TEXT)), LOWER($1)) > 0"
            ))
            .bind(needle)
            .fetch_one(pool)
            .await
            .expect("a count"),
            app::db::Db::Postgres(pool) => {
                let value = if column == "content" || column == "data" {
                    format!("ENCODE(\"{column}\", 'escape')")
                } else {
                    format!("\"{column}\"::TEXT")
                };
                sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM \"{table}\" WHERE STRPOS(LOWER({value}), LOWER($1)) > 0"
                ))
                .bind(needle)
                .fetch_one(pool)
                .await
                .expect("a count")
            }
        };
        if count > 0 {
            found.push(format!("{table}.{column} ({count})"));
        }
    }
    found
}

/// The columns that name a person by id.
const PERSON_COLUMNS: [&str; 10] = [
    "user_id",
    "pupil_user_id",
    "tutor_user_id",
    "coordinator_user_id",
    "actor_user_id",
    "reporter_user_id",
    "parent_user_id",
    "acknowledged_by",
    "updated_by",
    "closed_by_user_id",
];

/// How many rows of `table` name `id` in one of [`PERSON_COLUMNS`] (or,
/// for `users`, are the account itself; for the outbox, are addressed to
/// `email`), read from the schema.
async fn rows_naming(app: &TestApp, table: &str, id: i64, email: &str) -> i64 {
    let columns: Vec<String> = schema_columns(app)
        .await
        .into_iter()
        .filter(|(t, c, _)| t == table && PERSON_COLUMNS.contains(&c.as_str()))
        .map(|(_, c, _)| c)
        .collect();
    let mut conditions: Vec<String> = columns.iter().map(|c| format!("{c} = $1")).collect();
    if table == "users" {
        conditions.push("id = $1".into());
    }
    let by_email = table == "email_outbox";
    if by_email {
        conditions.push("LOWER(recipient_address) = $2".into());
    }
    if conditions.is_empty() {
        return 0;
    }
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE {}",
        conditions.join(" OR ")
    );
    app::on_db!(&app.db, |pool| {
        let mut query = sqlx::query_scalar(&sql).bind(id);
        if by_email {
            query = query.bind(email.to_lowercase());
        }
        query.fetch_one(pool).await.expect("a count")
    })
}

#[tokio::test]
async fn the_export_holds_every_row_about_the_person_and_nothing_about_others() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, _maelys) = pair_with_history(&app, &clock).await;
    let ines_id = user_id(&app, INES).await;

    // Every table of the schema is either exported or said to hold no
    // personal data.
    let listed: BTreeSet<String> = app::privacy::export::TABLES
        .iter()
        .map(|spec| spec.table.to_owned())
        .chain(
            app::privacy::export::NO_PERSONAL_DATA
                .iter()
                .map(|(table, _)| (*table).to_owned()),
        )
        .collect();
    assert_eq!(schema_tables(&app).await, listed);

    let file = ines.get("/compte/donnees.json").await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(
        file.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(file
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment; filename=\"binome-donnees-")));
    assert_eq!(file.header("cache-control"), Some("private, no-store"));
    let document: Value = serde_json::from_str(&file.body).expect("JSON");
    assert_eq!(document["format"], "binome-export/1");
    assert_eq!(document["user_id"], ines_id);
    assert_eq!(document["generated_at"], "2027-03-24T09:00:00Z");
    let tables = document["tables"].as_object().expect("tables");

    // Complete: at least every row that names her, table by table.
    for table in schema_tables(&app).await {
        let naming = rows_naming(&app, &table, ines_id, INES).await;
        let exported = tables
            .get(&table)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        assert!(
            i64::try_from(exported).expect("small") >= naming,
            "{table}: {exported} exported, {naming} name her"
        );
    }
    assert_eq!(tables["users"][0]["email"], INES);
    assert_eq!(tables["users"][0]["first_name"], "Inès");
    assert_eq!(tables["pupils"][0]["birth_year"], 2010);
    assert_eq!(tables["help_requests"].as_array().map(Vec::len), Some(1));
    assert_eq!(tables["matches"].as_array().map(Vec::len), Some(1));
    assert_eq!(tables["session_series"].as_array().map(Vec::len), Some(1));
    assert_eq!(tables["session_feedback"][0]["comment"], INES_COMMENT);
    assert_eq!(tables["session_feedback"][0]["took_place"], true);
    assert!(!tables["session_occurrences"]
        .as_array()
        .expect("rows")
        .is_empty());
    assert!(!tables["email_outbox"].as_array().expect("rows").is_empty());

    // Nothing about others: each row names her, or hangs from a row that
    // does (her match's sessions, her request's subjects, her emails'
    // attachments).
    let ids_of = |table: &str, column: &str| -> BTreeSet<String> {
        tables[table]
            .as_array()
            .expect("rows")
            .iter()
            .map(|row| row[column].to_string())
            .collect()
    };
    let parents: BTreeMap<&str, BTreeSet<String>> = BTreeMap::from([
        ("match_id", ids_of("matches", "id")),
        ("series_id", ids_of("session_series", "id")),
        ("occurrence_id", ids_of("session_occurrences", "id")),
        ("request_id", ids_of("help_requests", "id")),
        ("email_id", ids_of("email_outbox", "id")),
    ]);
    for (table, rows) in tables {
        for row in rows.as_array().expect("rows") {
            let fields = row.as_object().expect("a row");
            let names_her = fields.iter().any(|(column, value)| {
                (PERSON_COLUMNS.contains(&column.as_str()) && value.as_i64() == Some(ines_id))
                    || (table == "users" && column == "id" && value.as_i64() == Some(ines_id))
                    || (column == "recipient_address" && value == INES)
            });
            let hangs = fields.iter().any(|(column, value)| {
                parents
                    .get(column.as_str())
                    .is_some_and(|ids| ids.contains(&value.to_string()))
            });
            assert!(names_her || hangs, "{table}: {row}");
        }
    }
    // Maëlys's words and secrets are not in it.
    assert!(!file.body.contains(MAELYS_COMMENT));
    assert!(!file.body.contains(MAELYS));
    assert!(!file.body.contains("$argon2"));

    // The readable page says the same.
    let page = ines.get("/compte/donnees").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "data-testid=\"data-users\"",
        "data-testid=\"data-session_feedback\"",
        "Maëlys Payet explique très bien les suites.",
        "data-testid=\"erase-confirm\"",
        "href=\"/compte/donnees.json\"",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }

    // Signed out: nothing.
    let anonymous = Visitor::new(&app).get("/compte/donnees.json").await;
    assert!(
        anonymous.status.is_redirection() || anonymous.status == StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.status
    );
}

#[tokio::test]
async fn erasure_leaves_no_personal_data_and_keeps_the_figures() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = pair_with_history(&app, &clock).await;
    let ines_id = user_id(&app, INES).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again(CAMILLE).await;
    let board_before = json_of(&camille.post("/api/coordination/tableau-de-bord", &[]).await);
    assert!(!holding(&app, "Roux").await.is_empty());

    // A wrong confirmation changes nothing.
    let wrong = ines
        .post("/api/compte/supprimer", &[("confirm", "autre@exemple.fr")])
        .await;
    assert_eq!(
        field_errors(&wrong),
        pairs(&[("confirm", "errors.privacy.confirm")])
    );
    assert_eq!(user_id(&app, INES).await, ines_id);

    let erased = ines
        .post("/api/compte/supprimer", &[("confirm", "Ines@Exemple.fr")])
        .await;
    assert!(
        erased.status.is_success() || erased.status.is_redirection(),
        "{}",
        erased.body
    );
    assert_eq!(erased.header("location"), Some("/compte/supprime"));

    // Nothing left that names her: her address, her first and last name,
    // in any text of any table (Maëlys's comment about her included).
    for needle in [INES, "Inès", "Roux"] {
        assert_eq!(
            holding(&app, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    // She is signed out and cannot sign in again.
    assert_eq!(ines.me().await, Value::Null);
    let again = Visitor::new(&app).sign_in(INES, PASSWORD).await;
    assert!(!again.status.is_success(), "{}", again.body);

    // The pair ended, as no longer needed, and Maëlys was told without her
    // name.
    let (status, reason): (String, Option<String>) = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT status, end_reason FROM matches WHERE pupil_user_id = $1"
    )
    .bind(ines_id)
    .fetch_one(pool)
    .await
    .expect("the match"));
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("ended", Some("no_longer_needed"))
    );
    let told: Vec<(String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT subject, body_text FROM email_outbox WHERE recipient_address = $1 \
         AND kind = 'match_ended'"
    )
    .bind(MAELYS)
    .fetch_all(pool)
    .await
    .expect("emails"));
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].1.contains("a supprimé son compte"), "{}", told[0].1);
    assert!(maelys.me().await["email"] == MAELYS);

    // The figures coordinators report are the same: sessions held, hours,
    // ratings.
    let board_after = json_of(&camille.post("/api/coordination/tableau-de-bord", &[]).await);
    for figure in [
        "held_this_year",
        "missed_this_year",
        "volunteer_minutes",
        "average_rating",
        "ratings",
    ] {
        assert_eq!(
            board_after["total"][figure], board_before["total"][figure],
            "{figure}"
        );
    }
    assert_eq!(board_before["total"]["held_this_year"], 1);
    assert_eq!(board_after["total"]["active_pairs"], 0);

    // The audit trail keeps the act, under the pseudonym.
    let (actor, details): (String, String) = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT actor_label, details FROM audit_log WHERE action = 'account.erase'"
    )
    .fetch_one(pool)
    .await
    .expect("the entry"));
    assert_eq!(actor, format!("Compte supprimé #{ines_id}"));
    assert!(
        details.starts_with("by=self role=pupil matches_ended=1"),
        "{details}"
    );
}

#[tokio::test]
async fn a_parent_exercises_the_rights_of_a_child_under_15_only() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    common::people::import_schools(&app).await;
    let mut lea = confirmed(&app, "pupil", "Léa", "Lefèvre", "lea@exemple.fr").await;
    // Born in May 2012: under 15 until May 2027.
    let saved = save_pupil_profile(
        &mut lea,
        "5",
        "2012",
        TOULOUSE_SCHOOL,
        "seconde_gt",
        "parent.lefevre@exemple.fr",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mut parent = consenting_parent(&app, "parent.lefevre@exemple.fr").await;
    let lea_id = user_id(&app, "lea@exemple.fr").await;
    let mut other = confirmed(&app, "pupil", "Bastien", "Roux", "bastien@exemple.fr").await;
    let saved =
        save_pupil_profile(&mut other, "2", "2012", TOULOUSE_SCHOOL, "seconde_gt", "").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let other_id = user_id(&app, "bastien@exemple.fr").await;

    // Her data, to the parent; another child's, to nobody else.
    let file = parent
        .get(&format!("/compte/donnees.json?eleve={lea_id}"))
        .await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let document: Value = serde_json::from_str(&file.body).expect("JSON");
    assert_eq!(document["user_id"], lea_id);
    assert_eq!(document["tables"]["users"][0]["email"], "lea@exemple.fr");
    let not_theirs = parent
        .get(&format!("/compte/donnees.json?eleve={other_id}"))
        .await;
    assert_eq!(
        not_theirs.status,
        StatusCode::NOT_FOUND,
        "{}",
        not_theirs.body
    );
    let not_by_a_pupil = lea
        .get(&format!("/compte/donnees.json?eleve={other_id}"))
        .await;
    assert_eq!(not_by_a_pupil.status, StatusCode::NOT_FOUND);
    let refused = parent
        .post(
            "/api/compte/supprimer",
            &[
                ("pupil_id", &other_id.to_string()),
                ("confirm", "parent.lefevre@exemple.fr"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);

    // Born a year earlier, she would be 15 since June 2026: her rights
    // would be hers alone.
    born_in(&app, lea_id, 2011).await;
    let too_old = parent
        .get(&format!("/compte/donnees.json?eleve={lea_id}"))
        .await;
    assert_eq!(too_old.status, StatusCode::NOT_FOUND);
    born_in(&app, lea_id, 2012).await;

    // The parent erases her account, confirming with their own address,
    // and stays signed in.
    let erased = parent
        .post(
            "/api/compte/supprimer",
            &[
                ("pupil_id", &lea_id.to_string()),
                ("confirm", "parent.lefevre@exemple.fr"),
            ],
        )
        .await;
    assert!(
        erased.status.is_success() || erased.status.is_redirection(),
        "{}",
        erased.body
    );
    assert_eq!(erased.header("location"), Some("/parent"));
    for needle in ["lea@exemple.fr", "Lefèvre"] {
        let left: Vec<String> = holding(&app, needle)
            .await
            .into_iter()
            // The parent's own address holds her family name.
            .filter(|place| !(needle == "Lefèvre" && place.starts_with("users.")))
            .collect();
        assert_eq!(left, Vec::<String>::new(), "{needle}");
    }
    let by: String = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'account.erase'"
    )
    .fetch_one(pool)
    .await
    .expect("the entry"));
    assert!(by.starts_with("by=parent role=pupil"), "{by}");
    assert_eq!(parent.me().await["role"], "parent");
}

/// Changes the birth year of the pupil `id`.
async fn born_in(app: &TestApp, id: i64, year: i32) {
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE pupils SET birth_year = $2 WHERE user_id = $1"
    )
    .bind(id)
    .bind(year)
    .execute(pool)
    .await
    .expect("updated")
    .rows_affected());
}

#[tokio::test]
async fn staff_accounts_read_their_data_but_are_closed_by_an_administrator() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    common::people::import_schools(&app).await;
    let mut camille = common::people::invited(
        &app,
        app::accounts::Role::Coordinator,
        "Camille",
        CAMILLE,
        &["toulouse"],
    )
    .await;
    let file = camille.get("/compte/donnees.json").await;
    assert_eq!(file.status, StatusCode::OK);
    let document: Value = serde_json::from_str(&file.body).expect("JSON");
    assert_eq!(
        document["tables"]["coordinator_academies"][0]["academy_code"],
        "toulouse"
    );
    let refused = camille
        .post("/api/compte/supprimer", &[("confirm", CAMILLE)])
        .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("confirm", "errors.privacy.staff")])
    );
    assert_eq!(camille.me().await["email"], CAMILLE);
}

/// The state of an account as the retention job leaves it: (erased,
/// warned, first name).
async fn retention_state(app: &TestApp, id: i64) -> (bool, bool, String) {
    let (erased, warned, name): (
        Option<chrono::DateTime<Utc>>,
        Option<chrono::DateTime<Utc>>,
        String,
    ) = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT erased_at, inactivity_warned_at, first_name FROM users WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("the account"));
    (erased.is_some(), warned.is_some(), name)
}

async fn warnings_to(app: &TestApp, address: &str) -> i64 {
    app::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM email_outbox WHERE recipient_address = $1 AND kind = 'account_inactive'"
    )
    .bind(address)
    .fetch_one(pool)
    .await
    .expect("a count")
    })
}

#[tokio::test]
async fn the_retention_job_warns_then_erases_inactive_accounts_and_empties_old_texts() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, _maelys) = pair_with_history(&app, &clock).await;
    // Bastien and Zoé sign up on 24 March 2027 and never come back, but
    // Zoé will after the warning.
    confirmed(&app, "pupil", "Bastien", "Quintane", "bastien@exemple.fr").await;
    confirmed(&app, "pupil", "Zoé", "Petit", "zoe@exemple.fr").await;
    let bastien = user_id(&app, "bastien@exemple.fr").await;
    let zoe = user_id(&app, "zoe@exemple.fr").await;
    let mut admin = common::people::invited(
        &app,
        app::accounts::Role::Administrator,
        "Alix",
        "alix@binome.example.fr",
        &[],
    )
    .await;
    // The emails so far were sent on 20–24 March 2027.
    let sent: u64 = app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE email_outbox SET state = 'sent', sent_at = created_at"
    )
    .execute(pool)
    .await
    .expect("marked")
    .rows_affected());
    assert!(sent > 5, "{sent}");

    // 548 days (a school year and a half) after 24 March 2027 09:00 UTC.
    let policy = domain::retention::Policy::default();
    clock.advance(chrono::Duration::days(548));
    let now = clock.now();
    assert_eq!(now.date_naive().to_string(), "2028-09-22");

    // The dry run: both warned, no one erased; Inès and Maëlys, a pair
    // still active, and the staff are not; the two comments of March
    // 2027 (over 365 days old) and every email (over 90 days) are due.
    let plan = app::privacy::retention::plan(&app.db, &policy, now)
        .await
        .expect("a plan");
    let warned: Vec<i64> = plan.warn.iter().map(|due| due.id).collect();
    assert_eq!(warned, [bastien, zoe]);
    assert!(plan.erase.is_empty());
    assert_eq!(plan.texts, 2, "{plan:?}");
    assert_eq!(plan.emails, sent);
    // The administrators' page shows it, and changes nothing.
    admin.sign_in_again("alix@binome.example.fr").await;
    let page = admin.get("/administration/conservation").await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = page
        .body
        .split("data-testid=\"retention-warn\">")
        .nth(1)
        .and_then(|rest| rest.split("</dd>").next())
        .unwrap_or_default();
    assert_eq!(shown.replace("<!>", ""), "2", "{}", page.body);
    assert_eq!(
        retention_state(&app, bastien).await,
        (false, false, "Bastien".into())
    );
    assert_eq!(warnings_to(&app, "bastien@exemple.fr").await, 0);

    // The run: warned once, by email, with the last day.
    let done = app::privacy::retention::apply(&app.state, now)
        .await
        .expect("applied");
    assert_eq!(done, plan);
    assert_eq!(
        retention_state(&app, bastien).await,
        (false, true, "Bastien".into())
    );
    assert_eq!(warnings_to(&app, "bastien@exemple.fr").await, 1);
    let warning: String = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
        "SELECT body_text FROM email_outbox WHERE recipient_address = $1 AND kind = 'account_inactive'"
    )
    .bind("bastien@exemple.fr")
    .fetch_one(pool)
    .await
    .expect("the warning")
    });
    // 22 September 2028 + 30 days.
    assert!(warning.contains("22 octobre 2028"), "{warning}");
    assert!(warning.contains("18 mois"), "{warning}");
    let comments: i64 = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_feedback WHERE comment IS NOT NULL OR worked_on IS NOT NULL"
    )
    .fetch_one(pool)
    .await
    .expect("a count")
    });
    assert_eq!(comments, 0);
    let ratings: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_feedback WHERE rating = 5"
    )
    .fetch_one(pool)
    .await
    .expect("a count"));
    assert_eq!(ratings, 2);
    let emails_left: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM email_outbox WHERE created_at < $1"
    )
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("a count"));
    assert_eq!(emails_left, 0);

    // The next day: nothing more.
    clock.advance(chrono::Duration::days(1));
    let again = app::privacy::retention::apply(&app.state, clock.now())
        .await
        .expect("applied");
    assert_eq!(again, app::privacy::Plan::default());
    assert_eq!(warnings_to(&app, "bastien@exemple.fr").await, 1);

    // Zoé signs in during the notice: kept. Bastien does not: erased
    // 30 days after the warning, by the job.
    let mut zoe_back = Visitor::new(&app);
    zoe_back.sign_in_again("zoe@exemple.fr").await;
    clock.advance(chrono::Duration::days(29));
    let done = app::privacy::retention::apply(&app.state, clock.now())
        .await
        .expect("applied");
    let erased: Vec<i64> = done.erase.iter().map(|due| due.id).collect();
    assert_eq!(erased, [bastien]);
    assert!(done.warn.is_empty());
    assert_eq!(
        retention_state(&app, bastien).await,
        (true, true, "Compte supprimé".into())
    );
    assert!(!retention_state(&app, zoe).await.0);
    for needle in ["bastien@exemple.fr", "Bastien", "Quintane"] {
        assert_eq!(
            holding(&app, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    let by: String = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT actor_label || ' ' || details FROM audit_log WHERE action = 'account.erase'"
    )
    .fetch_one(pool)
    .await
    .expect("the entry"));
    assert!(by.starts_with("retention by=retention role=pupil"), "{by}");
}
