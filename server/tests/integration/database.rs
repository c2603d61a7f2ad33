//! The database layer on each engine: migrations, reference data, and
//! write transactions that do not fail under concurrency.

use crate::common;

use std::collections::BTreeSet;

use app::db::Db;
use app::on_tx;
use common::{reference_academies, repository_reference, shared_data, TestApp};

fn migration_names(engine: &str) -> BTreeSet<String> {
    let folder = format!("{}/../migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .map(|entry| {
            entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn both_engines_have_the_same_migration_names() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgres"));
}

#[test]
fn the_repository_copy_of_the_academies_matches_the_shared_reference() {
    assert_eq!(
        reference_academies(&repository_reference("academies.csv")),
        reference_academies(&shared_data("academies.csv"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_seeds_every_academy_with_its_region_and_time_zone() {
    let app = TestApp::spawn().await;

    let mut seeded: Vec<(String, String, String)> = app::on_db!(&app.db, |pool| {
        sqlx::query_as(
            "SELECT r.name, a.name, a.time_zone FROM academies a \
             JOIN regions r ON r.code = a.region_code",
        )
        .fetch_all(pool)
        .await
    })
    .expect("the académies can be read");

    let mut expected = reference_academies(&shared_data("academies.csv"));
    seeded.sort();
    expected.sort();
    assert_eq!(seeded, expected);
    let reunion = seeded
        .iter()
        .find(|(_, a, _)| a == "La Réunion")
        .expect("present");
    assert_eq!(reunion.2, "Indian/Reunion");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_twice_without_harm() {
    let app = TestApp::spawn().await;
    server::database::migrate(&app.db)
        .await
        .expect("a second run finds nothing to do");
}

/// Many transactions that read a value then write it back: with
/// `BEGIN IMMEDIATE` on SQLite every one succeeds and none is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_read_then_write_transactions_all_succeed() {
    const WRITERS: i64 = 24;
    let app = TestApp::spawn().await;
    if !matches!(app.db, Db::Sqlite(_)) {
        // PostgreSQL serialises with row locks instead; this test is about
        // SQLite's whole-database write lock.
        return;
    }
    let mut tx = app.db.begin_write().await.expect("begin");
    on_tx!(&mut tx, |conn| {
        sqlx::query("CREATE TABLE test_counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
            .execute(&mut *conn)
            .await
            .expect("create");
        sqlx::query("INSERT INTO test_counter (id, n) VALUES (1, 0)")
            .execute(&mut *conn)
            .await
            .expect("insert");
    });
    tx.commit().await.expect("commit");

    let tasks: Vec<_> = (0..WRITERS)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin_write().await?;
                on_tx!(&mut tx, |conn| {
                    let (n,): (i64,) = sqlx::query_as("SELECT n FROM test_counter WHERE id = 1")
                        .fetch_one(&mut *conn)
                        .await?;
                    tokio::task::yield_now().await;
                    sqlx::query("UPDATE test_counter SET n = $1 WHERE id = 1")
                        .bind(n + 1)
                        .execute(&mut *conn)
                        .await?;
                });
                tx.commit().await
            })
        })
        .collect();
    for task in tasks {
        task.await
            .expect("the task ran")
            .expect("the transaction succeeded");
    }

    let (n,): (i64,) = app::on_db!(&app.db, |pool| {
        sqlx::query_as("SELECT n FROM test_counter WHERE id = 1")
            .fetch_one(pool)
            .await
    })
    .expect("read");
    assert_eq!(n, WRITERS, "no update was lost");
}

#[tokio::test]
async fn the_academy_names_the_pages_show_are_the_seeded_ones() {
    let app = TestApp::spawn().await;
    let mut seeded: Vec<(String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT code, name FROM academies ORDER BY code"
    )
    .fetch_all(pool)
    .await
    .expect("academies"));
    seeded.sort();
    let mut table: Vec<(String, String)> = app::academies::ACADEMY_NAMES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect();
    table.sort();
    assert_eq!(table, seeded);
    assert_eq!(app::academies::academy_name("la-reunion"), "La Réunion");
    assert_eq!(app::academies::academy_name("atlantide"), "atlantide");
}
