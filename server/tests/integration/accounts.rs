//! The account journeys through the real router and database (SQLite, or
//! PostgreSQL with `BINOME_TEST_POSTGRES_URL`): sign-up, confirmation,
//! sign-in and out, password reset, login session rules, rate limits and
//! cross-site request refusal. Emails are read from the outbox.

use crate::common;

use std::sync::Arc;

use app::clock::ManualClock;
use axum::http::StatusCode;
use chrono::{TimeDelta, TimeZone, Utc};
use common::visitor::{emailed_secret, field_errors, outbox, pairs, Visitor, PASSWORD};
use common::TestApp;

async fn user_row(app: &TestApp, email: &str) -> Option<(String, String, String, Option<String>)> {
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT first_name, role, status, password_hash FROM users WHERE email_key = $1"
    )
    .bind(email.to_lowercase())
    .fetch_optional(pool)
    .await
    .expect("users readable"))
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table}"
    ))
    .fetch_one(pool)
    .await
    .expect("count"))
}

#[tokio::test]
async fn a_tutor_signs_up_confirms_by_the_emailed_link_then_signs_out_and_in() {
    let app = TestApp::spawn().await;
    let mut tutor = Visitor::new(&app);
    let email = "Zoe.Ndiaye@Univ-Toulouse.fr";
    // Domains are case-insensitive: the address is kept with its domain
    // in lowercase, its local part as typed.
    let mailbox = "Zoe.Ndiaye@univ-toulouse.fr";

    let response = tutor
        .sign_up("tutor", "Zoé", "N'Diaye-Lefèvre", email)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("location"), Some("/inscription/envoyee"));
    assert!(tutor.cookie.is_none(), "signing up does not sign in");

    let (first_name, role, status, hash) = user_row(&app, email).await.expect("stored");
    assert_eq!(
        (first_name.as_str(), role.as_str(), status.as_str()),
        ("Zoé", "tutor", "unconfirmed")
    );
    let hash = hash.expect("a password hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(PASSWORD));

    let emails = outbox(&app).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(
        (emails[0].0.as_str(), emails[0].1.as_str()),
        ("confirm_email", mailbox)
    );
    assert!(emails[0].2.starts_with("Bonjour Zoé,"), "{}", emails[0].2);
    let first_secret = emailed_secret(&app, mailbox, "/inscription/confirmer").await;
    assert_eq!(first_secret.len(), 43);

    // Not usable before confirming; the right password gets a new link,
    // which replaces the first one.
    let refused = tutor.sign_in(email, PASSWORD).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("form", "errors.sign_in.unconfirmed")])
    );
    assert_eq!(outbox(&app).await.len(), 2);
    let secret = emailed_secret(&app, mailbox, "/inscription/confirmer").await;
    assert_ne!(secret, first_secret);
    let stale = tutor
        .post("/api/confirmer-adresse", &[("token", &first_secret)])
        .await;
    assert_eq!(
        field_errors(&stale),
        pairs(&[("token", "errors.link.invalid")])
    );

    let confirmed = tutor
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.header("location"), Some("/compte"));
    let set_cookie = confirmed.header_values("set-cookie");
    assert!(set_cookie.contains("binome_session="), "{set_cookie}");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "served over http in tests");
    assert_eq!(user_row(&app, email).await.expect("stored").2, "active");

    let me = tutor.me().await;
    assert_eq!(me["first_name"], "Zoé");
    assert_eq!(me["last_name"], "N'Diaye-Lefèvre");
    assert_eq!(me["role"], "tutor");

    // Single use.
    let mut other = Visitor::new(&app);
    let again = other
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("token", "errors.link.invalid")])
    );

    // Signing out deletes the login session on the server: the old cookie
    // is worth nothing.
    let old_cookie = tutor.cookie.clone();
    assert_eq!(count(&app, "login_sessions").await, 1);
    let out = tutor.post("/api/deconnexion", &[]).await;
    assert_eq!(out.header("location"), Some("/"));
    assert_eq!(count(&app, "login_sessions").await, 0);
    tutor.cookie = old_cookie.clone();
    assert_eq!(tutor.me().await, serde_json::Value::Null);

    // Signing in again, with the address in another case, gives a new id.
    let wrong = tutor.sign_in(email, "trombone à piston").await;
    assert_eq!(
        field_errors(&wrong),
        pairs(&[("form", "errors.sign_in.failed")])
    );
    let signed_in = tutor.sign_in(&email.to_lowercase(), PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert_eq!(signed_in.header("location"), Some("/compte"));
    assert_ne!(tutor.cookie, old_cookie);
    assert_eq!(tutor.me().await["role"], "tutor");

    // The account page shows the names as text.
    let page = tutor.get("/compte").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Zoé N&#x27;Diaye-Lefèvre") || page.body.contains("Zoé N'Diaye-Lefèvre"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_answers_do_not_tell_whether_an_address_has_an_account() {
    let app = TestApp::spawn().await;
    let mut owner = Visitor::new(&app);
    owner
        .sign_up("pupil", "Léa", "Martin", "lea@exemple.fr")
        .await;
    let secret = emailed_secret(&app, "lea@exemple.fr", "/inscription/confirmer").await;
    owner
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    let hash_before = user_row(&app, "lea@exemple.fr").await.expect("stored").3;

    // Sign-up with a taken address and with a new one: the same answer.
    let mut stranger = Visitor::new(&app);
    let taken = stranger
        .sign_up("tutor", "Eve", "Intruse", "LEA@exemple.fr")
        .await;
    let new = stranger
        .sign_up("tutor", "Eve", "Intruse", "eve@exemple.fr")
        .await;
    assert_eq!(
        (taken.status, taken.header("location")),
        (new.status, new.header("location"))
    );
    assert_eq!(taken.body, new.body);
    // The owner is told; the account does not change.
    let emails = outbox(&app).await;
    assert!(emails
        .iter()
        .any(|(kind, to, _)| kind == "account_exists" && to == "lea@exemple.fr"));
    let (first_name, role, status, hash) = user_row(&app, "lea@exemple.fr").await.expect("kept");
    assert_eq!(
        (first_name.as_str(), role.as_str(), status.as_str()),
        ("Léa", "pupil", "active")
    );
    assert_eq!(hash, hash_before);

    // Sign-in: an unknown address and a wrong password read the same.
    let unknown = stranger.sign_in("nobody@exemple.fr", PASSWORD).await;
    let wrong = stranger
        .sign_in("lea@exemple.fr", "pas le bon mot de passe")
        .await;
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(unknown.body, wrong.body);

    // Reset requests: the same answer; only the real account gets an email.
    let before = outbox(&app).await.len();
    let known = stranger
        .post("/api/mot-de-passe-oublie", &[("email", "lea@exemple.fr")])
        .await;
    let unknown = stranger
        .post(
            "/api/mot-de-passe-oublie",
            &[("email", "nobody@exemple.fr")],
        )
        .await;
    assert_eq!(
        (known.status, known.header("location")),
        (StatusCode::OK, Some("/mot-de-passe/envoye"))
    );
    assert_eq!(
        (unknown.status, unknown.header("location")),
        (known.status, known.header("location"))
    );
    assert_eq!(unknown.body, known.body);
    // The email is queued after the answer.
    for _ in 0..50 {
        if outbox(&app).await.len() > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let queued = outbox(&app).await.split_off(before);
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(
        (queued[0].0.as_str(), queued[0].1.as_str()),
        ("reset_password", "lea@exemple.fr")
    );
}

#[tokio::test]
async fn every_invalid_field_is_reported_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let mut visitor = Visitor::new(&app);
    let response = visitor
        .post(
            "/api/inscription",
            &[
                ("role", "coordinator"),
                ("first_name", "  "),
                ("last_name", "Lefèvre"),
                ("email", "zoe@"),
                ("password", "court"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&response),
        pairs(&[
            ("role", "errors.role.choose"),
            ("first_name", "errors.name.empty"),
            ("email", "errors.email.invalid"),
            ("password", "errors.password.too_short"),
        ])
    );
    let common = visitor
        .post(
            "/api/inscription",
            &[
                ("role", "pupil"),
                ("first_name", "Zoé"),
                ("last_name", "Lefèvre"),
                ("email", "zoe@exemple.fr"),
                ("password", "azertyuiop"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&common),
        pairs(&[("password", "errors.password.too_guessable")])
    );
    assert_eq!(count(&app, "users").await, 0);
    assert_eq!(count(&app, "email_outbox").await, 0);
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_other_login_sessions() {
    let app = TestApp::spawn().await;
    let mut laptop = Visitor::new(&app);
    laptop
        .sign_up("tutor", "Hugo", "Bernard", "hugo@exemple.fr")
        .await;
    let secret = emailed_secret(&app, "hugo@exemple.fr", "/inscription/confirmer").await;
    laptop
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    assert_eq!(laptop.me().await["first_name"], "Hugo");

    let mut phone = Visitor::new(&app);
    phone
        .post("/api/mot-de-passe-oublie", &[("email", "hugo@exemple.fr")])
        .await;
    let mut reset = String::new();
    for _ in 0..50 {
        if outbox(&app)
            .await
            .iter()
            .any(|(kind, _, _)| kind == "reset_password")
        {
            reset = emailed_secret(&app, "hugo@exemple.fr", "/mot-de-passe/nouveau").await;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(reset.len(), 43);

    // A guessable password is refused, and the link still works after.
    let weak = phone
        .post(
            "/api/nouveau-mot-de-passe",
            &[("token", &reset), ("password", "hugobernard")],
        )
        .await;
    assert_eq!(
        field_errors(&weak),
        pairs(&[("password", "errors.password.too_guessable")])
    );
    let new_password = "contrebasse et violoncelle";
    let done = phone
        .post(
            "/api/nouveau-mot-de-passe",
            &[("token", &reset), ("password", new_password)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.header("location"), Some("/compte"));
    assert_eq!(phone.me().await["first_name"], "Hugo");

    // The laptop's login session ended with the password change.
    assert_eq!(laptop.me().await, serde_json::Value::Null);
    // Once only.
    let again = phone
        .post(
            "/api/nouveau-mot-de-passe",
            &[("token", &reset), ("password", "une autre phrase encore")],
        )
        .await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("token", "errors.link.invalid")])
    );
    // The old password no longer opens the account; the new one does.
    let mut other = Visitor::new(&app);
    assert_eq!(
        field_errors(&other.sign_in("hugo@exemple.fr", PASSWORD).await),
        pairs(&[("form", "errors.sign_in.failed")])
    );
    assert_eq!(
        other.sign_in("hugo@exemple.fr", new_password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn login_sessions_end_after_idle_and_absolute_timeouts_and_on_deactivation() {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
            .single()
            .expect("a date"),
    ));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let mut pupil = Visitor::new(&app);
    pupil
        .sign_up("pupil", "Inès", "Roux", "ines@exemple.fr")
        .await;
    let secret = emailed_secret(&app, "ines@exemple.fr", "/inscription/confirmer").await;
    pupil
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;

    // Idle: 29 minutes between requests keep it; 30 end it.
    for _ in 0..3 {
        clock.advance(TimeDelta::minutes(29));
        assert_eq!(pupil.me().await["first_name"], "Inès");
    }
    clock.advance(TimeDelta::minutes(30));
    assert_eq!(pupil.me().await, serde_json::Value::Null);
    assert_eq!(count(&app, "login_sessions").await, 0, "the row is deleted");

    // Absolute: active every 20 minutes, still over after 12 hours.
    pupil.sign_in("ines@exemple.fr", PASSWORD).await;
    let mut elapsed = TimeDelta::zero();
    while elapsed + TimeDelta::minutes(20) < TimeDelta::hours(12) {
        clock.advance(TimeDelta::minutes(20));
        elapsed += TimeDelta::minutes(20);
        assert_eq!(pupil.me().await["first_name"], "Inès", "after {elapsed}");
    }
    clock.advance(TimeDelta::hours(12) - elapsed);
    assert_eq!(pupil.me().await, serde_json::Value::Null);

    // Deactivation ends it at the next request.
    pupil.sign_in("ines@exemple.fr", PASSWORD).await;
    assert_eq!(pupil.me().await["first_name"], "Inès");
    let id: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(pool)
        .await
        .expect("id"));
    let mut tx = app.db.begin_write().await.expect("tx");
    app::accounts::users::deactivate(&mut tx, id, app::clock::Clock::now(clock.as_ref()))
        .await
        .expect("deactivated");
    tx.commit().await.expect("commit");
    assert_eq!(pupil.me().await, serde_json::Value::Null);
    let refused = pupil.sign_in("ines@exemple.fr", PASSWORD).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("form", "errors.sign_in.failed")])
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account_with_retry_after() {
    let app = TestApp::spawn().await;
    let mut attacker = Visitor::new(&app);
    let burst = app::accounts::rate_limit::Action::SignIn
        .per_account()
        .burst;
    for _ in 0..burst {
        let response = attacker.sign_in("cible@exemple.fr", "devinette123").await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited = attacker.sign_in("cible@exemple.fr", "devinette123").await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    let retry: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=90).contains(&retry), "{retry}");
    let json: serde_json::Value = serde_json::from_str(&limited.body).expect("JSON");
    assert_eq!(json["kind"], "too_many_requests");
    // Another account from the same address is not affected.
    let other = attacker.sign_in("autre@exemple.fr", "devinette123").await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_forged_cross_site_post_is_refused() {
    let app = TestApp::spawn().await;
    let mut visitor = Visitor::new(&app);
    visitor
        .sign_up("tutor", "Jules", "Petit", "jules@exemple.fr")
        .await;
    let secret = emailed_secret(&app, "jules@exemple.fr", "/inscription/confirmer").await;
    visitor
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    assert_eq!(visitor.me().await["first_name"], "Jules");

    // A page of another site posting the sign-out form with the cookie.
    for headers in [
        vec![
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ],
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
    ] {
        let forged = visitor.post_with("/api/deconnexion", &[], &headers).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(visitor.me().await["first_name"], "Jules", "still signed in");
    }
    // The same from the platform's own pages passes.
    let own = visitor
        .post_with(
            "/api/deconnexion",
            &[],
            &[
                ("origin", "http://127.0.0.1:3000"),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(visitor.me().await, serde_json::Value::Null);
}

#[tokio::test]
async fn html_typed_in_a_name_is_kept_as_typed_and_shown_as_text() {
    let app = TestApp::spawn().await;
    let mut visitor = Visitor::new(&app);
    let name = "<script>alert('x')</script>";
    visitor
        .sign_up("tutor", name, "Nguyễn", "nguyen@exemple.fr")
        .await;
    let secret = emailed_secret(&app, "nguyen@exemple.fr", "/inscription/confirmer").await;
    visitor
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    assert_eq!(visitor.me().await["first_name"], name, "stored as typed");
    let page = visitor.get("/compte").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(page.body.contains("&lt;script&gt;alert("), "{}", page.body);
    assert!(page.body.contains("Nguyễn"));
}

#[tokio::test]
async fn a_form_posted_without_javascript_is_sent_back_to_the_form_with_its_errors() {
    let app = TestApp::spawn().await;
    let mut visitor = Visitor::new(&app);
    // No role chosen: no `role` field at all. The answer names the field.
    let response = visitor
        .post(
            "/api/inscription",
            &[
                ("first_name", "Zoé"),
                ("last_name", "Martin"),
                ("email", "zoe@exemple.fr"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&response),
        pairs(&[("role", "errors.role.choose")])
    );

    // A browser without JavaScript posts the form and accepts HTML: it is
    // redirected back to the form, the error in the URL for the page to show.
    let response = visitor
        .post_with(
            "/api/connexion",
            &[("email", "zoe@exemple.fr"), ("password", "pas le bon")],
            &[
                ("accept", "text/html,application/xhtml+xml"),
                ("referer", "http://127.0.0.1:3000/connexion"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
    let location = response.header("location").expect("a redirect");
    assert!(
        location.starts_with("http://127.0.0.1:3000/connexion?__path=%2Fapi%2Fconnexion&__err="),
        "{location}"
    );
    let page = visitor
        .get(location.trim_start_matches("http://127.0.0.1:3000"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Adresse électronique ou mot de passe incorrect."),
        "{}",
        page.body
    );
}
