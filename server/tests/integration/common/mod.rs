//! Test plumbing: a fresh database per test (SQLite by default, PostgreSQL
//! when `BINOME_TEST_POSTGRES_URL` names a server) and the real router.

#![allow(dead_code)] // each test binary uses a different part of it

pub mod needs;
pub mod pairs;
pub mod people;
pub mod smtp;
pub mod visitor;

use std::str::FromStr;

use app::db::Db;
use app::state::AppState;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;
use server::config::DatabaseTarget;
use sqlx::Connection;
use tower::ServiceExt;

/// Variable naming the PostgreSQL server the tests may use. The tests
/// create one database per test on it and drop it afterwards.
pub const POSTGRES_URL_VARIABLE: &str = "BINOME_TEST_POSTGRES_URL";

/// The `BINOME_VIDEO_URL_TEMPLATE` of the test application.
pub const VIDEO_URL_TEMPLATE: &str = "https://visio.example.fr/binome-{room}";

/// The application behind its real router, on its own database.
pub struct TestApp {
    pub router: Router,
    pub db: Db,
    /// The state behind the router (for code that runs outside a request).
    pub state: AppState,
    /// The clock the application reads.
    pub clock: std::sync::Arc<dyn app::clock::Clock>,
    _database: TestDatabase,
}

/// An answer, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of a header that may repeat (`Vary`), joined by `, `.
    pub fn header_values(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with_clock(std::sync::Arc::new(app::clock::SystemClock)).await
    }

    /// The application reading the time from `clock`.
    pub async fn spawn_with_clock(clock: std::sync::Arc<dyn app::clock::Clock>) -> TestApp {
        let database = TestDatabase::create().await;
        let db = server::database::open(&database.target, "DATABASE_URL")
            .await
            .expect("the test database opens and migrates");
        let state = AppState {
            leptos_options: LeptosOptions::builder().output_name("binome").build(),
            db: db.clone(),
            public_url: "http://127.0.0.1:3000".into(),
            mail_from: "no-reply@binome.localhost".into(),
            video_url_template: Some(VIDEO_URL_TEMPLATE.into()),
            clock: clock.clone(),
            rate_limits: std::sync::Arc::new(app::accounts::rate_limit::RateLimits::new()),
            answer_delay: app::proposals::deadlines::DEFAULT_ANSWER_DELAY,
            alert_rules: domain::alerts::Rules::default(),
            retention: domain::retention::Policy::default(),
        };
        let router =
            server::http::router(state.clone(), axum_client_ip::ClientIpSource::ConnectInfo)
                .expect("the router builds")
                .layer(axum::extract::connect_info::MockConnectInfo(
                    std::net::SocketAddr::from(([192, 0, 2, 1], 40_000)),
                ));
        TestApp {
            router,
            db,
            state,
            clock,
            _database: database,
        }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body can be read")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.request(request.body(Body::empty()).expect("valid request"))
            .await
    }

    pub async fn post(&self, path: &str, content_type: &str, body: &str) -> TestResponse {
        let request = Request::post(path)
            .header("content-type", content_type)
            .body(Body::from(body.to_owned()))
            .expect("valid request");
        self.request(request).await
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub target: DatabaseTarget,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        match std::env::var(POSTGRES_URL_VARIABLE) {
            Ok(server_url) if !server_url.trim().is_empty() => {
                let name = format!("binome_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = sqlx::PgConnection::connect(&server_url)
                    .await
                    .unwrap_or_else(|e| panic!("{POSTGRES_URL_VARIABLE} is not reachable: {e}"));
                sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut admin)
                    .await
                    .expect("the test database can be created");
                admin.close().await.ok();
                let mut url = url::Url::parse(&server_url).expect("a valid PostgreSQL URL");
                url.set_path(&format!("/{name}"));
                TestDatabase {
                    target: DatabaseTarget::Postgres {
                        url: SecretString::from(url.to_string()),
                    },
                    cleanup: Cleanup::Postgres { server_url, name },
                }
            }
            _ => {
                let folder = tempfile::tempdir().expect("a temporary folder");
                TestDatabase {
                    target: DatabaseTarget::Sqlite {
                        path: folder.path().join("binome.db"),
                    },
                    cleanup: Cleanup::Sqlite(folder),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { server_url, name } = &self.cleanup {
            let (server_url, name) = (server_url.clone(), name.clone());
            // Drop runs inside the test's runtime: use a thread with its own.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async move {
                    let options = sqlx::postgres::PgConnectOptions::from_str(&server_url)?;
                    let mut admin = sqlx::PgConnection::connect_with(&options).await?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut admin)
                        .await?;
                    admin.close().await
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: the test database could not be dropped: {dropped:?}");
            }
        }
    }
}

/// The académies of the shared reference file, read independently of the
/// application: (région académique, académie, time zone).
pub fn reference_academies(path: &str) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 3, "unexpected line {line:?}");
            (
                fields[0].to_owned(),
                fields[1].to_owned(),
                fields[2].to_owned(),
            )
        })
        .collect()
}

/// Path of the shared reference data beside the repository.
pub fn shared_data(file: &str) -> String {
    format!("{}/../../shared/data/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// Path of the repository's own copy of reference data.
pub fn repository_reference(file: &str) -> String {
    format!("{}/../reference/{file}", env!("CARGO_MANIFEST_DIR"))
}
