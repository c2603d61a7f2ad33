//! The HTTP surface through the real router, on a fresh database.

use crate::common;

use axum::http::StatusCode;
use common::{reference_academies, shared_data, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_french_by_default_and_lists_every_academy() {
    let app = TestApp::spawn().await;

    let response = app.get("/").await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.body.contains(r#"<html lang="fr""#),
        "{}",
        &response.body[..200]
    );
    assert!(response
        .body
        .contains("Du tutorat bénévole pour les lycéens"));
    let academies = reference_academies(&shared_data("academies.csv"));
    assert_eq!(academies.len(), 30);
    for (_, academy, _) in &academies {
        assert!(
            response.body.contains(&format!(">{academy}</li>")),
            "académie {academy} missing from the home page"
        );
    }
    assert!(response.body.contains("30 académies"));
    // Rendered in full before any script: no loading placeholder left.
    assert!(!response.body.contains("Chargement…"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_cookie_then_accept_language_choose_english() {
    let app = TestApp::spawn().await;

    let by_header = app
        .get_with("/", &[("accept-language", "en-GB,en;q=0.9")])
        .await;
    assert!(by_header.body.contains(r#"<html lang="en""#));
    assert!(by_header
        .body
        .contains("Volunteer tutoring for lycée pupils"));

    let by_cookie = app
        .get_with(
            "/",
            &[("accept-language", "en-GB"), ("cookie", "binome_lang=fr")],
        )
        .await;
    assert!(by_cookie.body.contains(r#"<html lang="fr""#));

    let english_cookie = app.get_with("/", &[("cookie", "binome_lang=en")]).await;
    assert!(english_cookie.body.contains(r#"<html lang="en""#));
    // The switch then offers French, labelled in French.
    assert!(english_cookie.body.contains(r#"hreflang="fr""#));
    assert!(english_cookie.body.contains(">Français</a>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_works_without_javascript() {
    let app = TestApp::spawn().await;

    let response = app.get("/langue/en?retour=%2F").await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), Some("/"));
    let cookie = response.header("set-cookie").expect("a cookie is set");
    assert!(cookie.starts_with("binome_lang=en"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=31536000"), "{cookie}");

    // The home page links to it, with the current page as the way back.
    let home = app.get("/").await;
    assert!(home.body.contains(r#"href="/langue/en?retour=%2F""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_refuses_to_send_visitors_elsewhere() {
    let app = TestApp::spawn().await;

    for target in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let response = app.get(&format!("/langue/fr?retour={target}")).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(response.header("location"), Some("/"), "retour={target}");
    }
    assert_eq!(app.get("/langue/de").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_answer_404_in_the_visitors_language() {
    let app = TestApp::spawn().await;

    let response = app.get("/pas-de-page-ici").await;

    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.contains("Page introuvable"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness_follow_the_database() {
    let app = TestApp::spawn().await;

    let health = app.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);

    app.db.close().await;

    assert_eq!(
        app.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = TestApp::spawn().await;

    let fresh = app.get("/healthz").await;
    let id = fresh.header("x-request-id").expect("a request id");
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let given = app
        .get_with("/healthz", &[("x-request-id", "abc-123")])
        .await;
    assert_eq!(given.header("x-request-id"), Some("abc-123"));

    let odd = "<script>alert(1)</script>";
    let replaced = app.get_with("/healthz", &[("x-request-id", odd)]).await;
    let id = replaced.header("x-request-id").expect("a request id");
    assert_ne!(id, odd);
    assert_eq!(id.len(), 36, "a fresh UUID: {id}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_per_route() {
    let app = TestApp::spawn().await;
    app.get("/healthz").await;
    app.get("/readyz").await;
    app.get("/probe-for-something-7f3a").await;

    let metrics = app.get("/metrics").await;

    assert_eq!(metrics.status, StatusCode::OK);
    let counted = |endpoint: &str| {
        metrics.body.lines().any(|line| {
            line.starts_with("axum_http_requests_total{")
                && line.contains(&format!("endpoint=\"{endpoint}\""))
        })
    };
    assert!(counted("/healthz"), "{}", metrics.body);
    assert!(counted("/readyz"), "{}", metrics.body);
    assert!(metrics
        .body
        .contains("axum_http_requests_duration_seconds_bucket"));
    assert!(counted("unmatched"), "{}", metrics.body);
    assert!(
        !metrics.body.contains("probe-for-something"),
        "{}",
        metrics.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_academies_server_function_returns_every_region() {
    let app = TestApp::spawn().await;

    let response = app
        .post("/api/academies", "application/x-www-form-urlencoded", "")
        .await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let regions: Vec<app::academies::Region> =
        serde_json::from_str(&response.body).expect("a JSON list of régions");
    let reference = reference_academies(&shared_data("academies.csv"));
    let mut region_names: Vec<&str> = reference.iter().map(|(r, _, _)| r.as_str()).collect();
    region_names.sort_unstable();
    region_names.dedup();
    assert_eq!(regions.len(), region_names.len());
    let occitanie = regions
        .iter()
        .find(|r| r.name == "Occitanie")
        .expect("Occitanie is a région académique");
    let names: Vec<&str> = occitanie
        .academies
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["Montpellier", "Toulouse"]);
    // French order: Île-de-France sorts among the I, not after Provence.
    let order: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
    let ile = order
        .iter()
        .position(|n| *n == "Île-de-France")
        .expect("present");
    let martinique = order
        .iter()
        .position(|n| *n == "Martinique")
        .expect("present");
    assert!(ile < martinique, "{order:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_function_failure_shows_no_internal_detail_but_the_request_id() {
    let app = TestApp::spawn().await;
    app.db.close().await;

    let response = app
        .post("/api/academies", "application/x-www-form-urlencoded", "")
        .await;

    assert_eq!(
        response.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        response.body
    );
    let error: serde_json::Value = serde_json::from_str(&response.body).expect("JSON");
    assert_eq!(error["kind"], "unavailable");
    assert_eq!(
        error["request_id"].as_str(),
        response.header("x-request-id"),
        "the id shown is the one in the logs"
    );
    assert!(
        !response.body.to_lowercase().contains("pool"),
        "{}",
        response.body
    );

    // The page says so in French, with the reference to quote.
    let page = app.get("/").await;
    assert!(
        page.body.contains("momentanément indisponible"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Référence à communiquer\u{202f}:"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_and_carry_protective_headers() {
    let app = TestApp::spawn().await;

    let plain = app.get("/").await;
    let gzipped = app.get_with("/", &[("accept-encoding", "gzip")]).await;

    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert!(plain.header("content-encoding").is_none());
    let vary = gzipped.header_values("vary").to_lowercase();
    assert!(
        vary.contains("cookie") && vary.contains("accept-language"),
        "{vary}"
    );
    assert_eq!(plain.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(plain.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        plain.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    // Pages and answers are not kept by the browser (a shared computer).
    assert_eq!(plain.header("cache-control"), Some("no-store"));
    let answer = app
        .post("/api/moi", "application/x-www-form-urlencoded", "")
        .await;
    assert_eq!(answer.header("cache-control"), Some("no-store"));
}

/// The nonces of the `<script>` elements of `html`.
fn script_nonces(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let start = tag.find("nonce=\"")? + "nonce=\"".len();
            Some(&tag[start..start + tag[start..].find('"')?])
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_with_the_security_headers_and_pages_run_only_their_nonced_scripts() {
    let app = TestApp::spawn().await;
    // Every page route of the application (parameters filled with 1), the
    // other routes of the router, a server function and an unknown path.
    let mut paths: Vec<String> = leptos_axum::generate_route_list(app::shell::App)
        .iter()
        .map(|route| {
            route
                .path()
                .split('/')
                .map(|segment| match segment.chars().next() {
                    Some(':' | '{' | '*') => "1",
                    _ => segment,
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .map(|path| {
            if path.is_empty() {
                "/".to_owned()
            } else {
                path
            }
        })
        .collect();
    assert!(paths.len() > 30, "{paths:?}");
    paths.extend(
        [
            "/healthz",
            "/readyz",
            "/metrics",
            "/langue/en",
            "/coordination/appariement/besoins.csv",
            "/coordination/export/binomes.csv",
            "/attestation.pdf",
            "/calendrier/flux/x.ics",
            "/favicon.svg",
            "/pas-une-page",
        ]
        .map(str::to_owned),
    );
    let mut pages = 0;
    for path in &paths {
        let response = app.get(path).await;
        let policy = response
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"))
            .to_owned();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(
            response
                .header("permissions-policy")
                .is_some_and(|p| p.contains("camera=()") && p.contains("geolocation=()")),
            "{path}"
        );
        // Served over plain HTTP here: no HSTS; no server banner anywhere.
        assert!(
            response.header("strict-transport-security").is_none(),
            "{path}"
        );
        assert!(response.header("server").is_none(), "{path}");
        assert!(
            response.status != StatusCode::INTERNAL_SERVER_ERROR,
            "{path}"
        );
        let html = response
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"));
        if html {
            pages += 1;
            let nonces = script_nonces(&response.body);
            assert!(!nonces.is_empty(), "{path}: a page hydrates");
            let nonce = nonces[0];
            assert!(nonce.len() >= 22, "{path}: 128 bits or more: {nonce}");
            assert!(nonces.iter().all(|n| *n == nonce), "{path}: {nonces:?}");
            assert!(
                policy.contains(&format!("script-src 'nonce-{nonce}' 'strict-dynamic'")),
                "{path}: {policy}"
            );
            assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
            assert_eq!(
                response.body.matches("<script").count(),
                nonces.len(),
                "{path}: every script carries the nonce"
            );
        } else {
            assert_eq!(policy, app::security::OTHER_POLICY, "{path}");
        }
    }
    assert!(pages > 30, "{pages} pages");
    // A new nonce for each response.
    let first = app.get("/").await;
    let second = app.get("/").await;
    assert_ne!(
        script_nonces(&first.body)[0],
        script_nonces(&second.body)[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_bodies_are_limited_but_the_directory_upload_may_be_large() {
    let app = TestApp::spawn().await;
    let long = "a".repeat(server::http::MAX_BODY_BYTES + 1);
    let form = format!("email={long}");
    // Announced by Content-Length, as browsers do: refused before reading.
    let refused = app
        .request(
            axum::http::Request::post("/api/connexion")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("content-length", form.len())
                .body(axum::body::Body::from(form.clone()))
                .expect("a request"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Sent without a length: cut at the limit, and still refused.
    let chunked = app
        .post("/api/connexion", "application/x-www-form-urlencoded", &form)
        .await;
    assert!(
        chunked.status.is_client_error(),
        "{} {}",
        chunked.status,
        chunked.body
    );
    assert!(
        refused.body.contains("trop volumineuse"),
        "{}",
        refused.body
    );

    // The directory upload may be longer; a visitor is then refused by
    // the server function itself, not by the limit.
    let upload = app
        .post(
            "/api/administration/etablissements",
            "multipart/form-data; boundary=x",
            &format!(
                "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{long}\r\n--x--\r\n"
            ),
        )
        .await;
    assert_ne!(
        upload.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        upload.body
    );
    assert!(upload.status.is_client_error(), "{}", upload.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_page_renders_all_complete() {
    let app = std::sync::Arc::new(TestApp::spawn().await);

    let renders: Vec<_> = (0..40)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let lang = if i % 2 == 0 { "fr" } else { "en" };
                let cookie = format!("binome_lang={lang}");
                let response = app.get_with("/", &[("cookie", cookie.as_str())]).await;
                (lang, response)
            })
        })
        .collect();
    for render in renders {
        let (lang, response) = render.await.expect("the render ran");
        assert_eq!(response.status, StatusCode::OK);
        assert!(response.body.contains(&format!(r#"<html lang="{lang}""#)));
        assert!(response.body.contains(">Toulouse</li>"));
    }
}
