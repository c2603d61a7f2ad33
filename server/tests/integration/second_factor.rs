//! The second factor of coordinators and administrators (issue 10, item 7;
//! ASVS 4.0 §2.8), through the real router and database (SQLite, or
//! PostgreSQL with `BINOME_TEST_POSTGRES_URL`), with an injected clock.
//! Codes are computed here from the stored secret with the RFC 6238
//! function that `app::accounts::second_factor::totp` unit-tests against
//! the RFC's own vectors.

use crate::common;

use app::accounts::second_factor::totp;
use app::accounts::Role;
use axum::http::StatusCode;
use common::needs::{json_of, saturday_20_march_2027};
use common::people::{invited, user_id};
use common::visitor::{field_errors, pairs, Visitor, PASSWORD};
use common::TestApp;

const CAMILLE: &str = "camille@ac-toulouse.fr";

/// A 6-digit code that is not the right one at `now` (nor one step off).
async fn wrong_code(app: &TestApp, email: &str) -> String {
    let id = user_id(app, email).await;
    let (secret, _, _) = totp::find(&app.db, id)
        .await
        .expect("read")
        .expect("a secret");
    let totp = totp::of(&secret, email).expect("a secret");
    let step = totp::step_of(app.clock.now());
    let right: Vec<String> = (step - 1..=step + 1)
        .map(|s| totp.generate(s * totp::STEP_SECONDS))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|code| !right.contains(code))
        .expect("a wrong code")
}

#[tokio::test]
async fn staff_sign_in_needs_a_code_that_works_once() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    common::people::import_schools(&app).await;
    let mut first = invited(&app, Role::Coordinator, "Camille", CAMILLE, &["toulouse"]).await;
    // The recovery codes, once.
    let codes = json_of(&first.post("/api/connexion/codes-de-secours", &[]).await);
    assert_eq!(codes.as_array().map(Vec::len), Some(10), "{codes}");
    let again = json_of(&first.post("/api/connexion/codes-de-secours", &[]).await);
    assert_eq!(again, serde_json::json!([]));

    // The password alone does not sign in.
    let mut camille = Visitor::new(&app);
    let signed = camille.sign_in(CAMILLE, PASSWORD).await;
    assert_eq!(signed.header("location"), Some("/connexion/code"));
    assert_eq!(camille.me().await, serde_json::Value::Null);
    let scope = camille.post("/api/coordination/demandes", &[]).await;
    assert_eq!(scope.status, StatusCode::UNAUTHORIZED, "{}", scope.body);
    let step = json_of(&camille.post("/api/connexion/code/etape", &[]).await);
    assert_eq!(step, serde_json::json!({"Code": {"demo_code": null}}));

    // A wrong code is refused; the right one signs in.
    let wrong = wrong_code(&app, CAMILLE).await;
    let refused = camille
        .post("/api/connexion/code", &[("code", &wrong)])
        .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("code", "errors.second_factor.wrong")])
    );
    let done = camille.second_factor(CAMILLE).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.header("location"), Some("/compte"));
    assert_eq!(camille.me().await["role"], "coordinator");

    // The same code again, in the same 30 seconds: refused.
    let id = user_id(&app, CAMILLE).await;
    let (secret, confirmed, last) = totp::find(&app.db, id)
        .await
        .expect("read")
        .expect("a secret");
    assert!(confirmed);
    let used = totp::of(&secret, CAMILLE)
        .expect("a secret")
        .generate(last * totp::STEP_SECONDS);
    let mut replay = Visitor::new(&app);
    replay.sign_in(CAMILLE, PASSWORD).await;
    let refused = replay.post("/api/connexion/code", &[("code", &used)]).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("code", "errors.second_factor.wrong")])
    );

    // A recovery code works once.
    let code = codes[0].as_str().expect("a code").to_uppercase();
    let recovered = replay.post("/api/connexion/code", &[("code", &code)]).await;
    assert_eq!(recovered.status, StatusCode::OK, "{}", recovered.body);
    assert_eq!(replay.me().await["role"], "coordinator");
    let mut twice = Visitor::new(&app);
    twice.sign_in(CAMILLE, PASSWORD).await;
    let refused = twice.post("/api/connexion/code", &[("code", &code)]).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("code", "errors.second_factor.wrong")])
    );

    // A pupil's sign-in has no second step.
    let mut pupil = common::people::confirmed(&app, "pupil", "Léa", "Roux", "lea@exemple.fr").await;
    let signed = pupil.sign_in("lea@exemple.fr", PASSWORD).await;
    assert_eq!(signed.header("location"), Some("/compte"));
}

#[tokio::test]
async fn five_wrong_codes_or_ten_minutes_end_the_pending_sign_in() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    invited(
        &app,
        Role::Administrator,
        "Alix",
        "alix@binome.example.fr",
        &[],
    )
    .await;
    let wrong = wrong_code(&app, "alix@binome.example.fr").await;
    let mut alix = Visitor::new(&app);
    alix.sign_in("alix@binome.example.fr", PASSWORD).await;
    for _ in 1..app::accounts::second_factor::MAX_ATTEMPTS {
        let refused = alix.post("/api/connexion/code", &[("code", &wrong)]).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
    }
    let last = alix.post("/api/connexion/code", &[("code", &wrong)]).await;
    assert_eq!(last.status, StatusCode::UNAUTHORIZED, "{}", last.body);
    // The right code no longer helps: the password is asked again.
    let late = alix.second_factor("alix@binome.example.fr").await;
    assert_eq!(late.status, StatusCode::UNAUTHORIZED, "{}", late.body);

    let mut slow = Visitor::new(&app);
    slow.sign_in("alix@binome.example.fr", PASSWORD).await;
    clock.advance(chrono::Duration::minutes(11));
    let step = slow.post("/api/connexion/code/etape", &[]).await;
    assert_eq!(step.status, StatusCode::UNAUTHORIZED, "{}", step.body);
    // Signing in again from the start works.
    slow.sign_in_again("alix@binome.example.fr").await;
    assert_eq!(slow.me().await["role"], "administrator");
}
