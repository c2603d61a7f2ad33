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

/// The recovery codes of `email` not used yet.
async fn codes_left(app: &TestApp, email: &str) -> u32 {
    totp::recovery_codes_left(&app.db, user_id(app, email).await)
        .await
        .expect("read")
}

/// The actions of the audit log on the account `id`, as (actor id, action).
async fn audited(app: &TestApp, id: i64) -> Vec<(Option<i64>, String)> {
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT actor_user_id, action FROM audit_log \
         WHERE object_type = 'user' AND object_id = $1 ORDER BY id"
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await
    .expect("read"))
}

#[tokio::test]
async fn staff_renew_their_recovery_codes_with_a_code_of_their_app() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let mut camille = invited(&app, Role::Coordinator, "Camille", CAMILLE, &["toulouse"]).await;
    let old = json_of(&camille.post("/api/connexion/codes-de-secours", &[]).await);
    let old: Vec<String> = serde_json::from_value(old).expect("codes");
    assert_eq!(old.len(), 10);

    // One recovery code used at a sign-in elsewhere.
    let mut phone = Visitor::new(&app);
    phone.sign_in(CAMILLE, PASSWORD).await;
    let used = phone
        .post("/api/connexion/code", &[("code", &old[0])])
        .await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.body);
    let status = json_of(
        &camille
            .post("/api/compte/double-authentification", &[])
            .await,
    );
    assert_eq!(
        status,
        serde_json::json!({"enrolled_on": "2027-03-20", "recovery_codes_left": 9})
    );

    // A recovery code, or a wrong code, does not renew them.
    for code in [old[1].clone(), wrong_code(&app, CAMILLE).await] {
        let refused = camille
            .post("/api/compte/codes-de-secours", &[("code", &code)])
            .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[("code", "errors.second_factor.wrong")])
        );
    }
    assert_eq!(codes_left(&app, CAMILLE).await, 9);

    // A code of the app does: ten new codes, shown once; the old ones stop.
    let code = common::visitor::next_code(&app, CAMILLE).await;
    let renewed = camille
        .post("/api/compte/codes-de-secours", &[("code", &code)])
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    assert_eq!(
        renewed.header("location"),
        Some("/connexion/codes-de-secours")
    );
    let new = json_of(&camille.post("/api/connexion/codes-de-secours", &[]).await);
    let new: Vec<String> = serde_json::from_value(new).expect("codes");
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|code| !old.contains(code)), "{new:?}");
    assert_eq!(codes_left(&app, CAMILLE).await, 10);
    let mut lost = Visitor::new(&app);
    lost.sign_in(CAMILLE, PASSWORD).await;
    let refused = lost.post("/api/connexion/code", &[("code", &old[1])]).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("code", "errors.second_factor.wrong")])
    );
    let recovered = lost.post("/api/connexion/code", &[("code", &new[3])]).await;
    assert_eq!(recovered.status, StatusCode::OK, "{}", recovered.body);
    let id = user_id(&app, CAMILLE).await;
    assert_eq!(
        audited(&app, id).await.last(),
        Some(&(Some(id), "account.recovery_codes_renewed".to_owned()))
    );
    // The code that renewed them does not serve twice.
    let again = camille
        .post("/api/compte/codes-de-secours", &[("code", &code)])
        .await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("code", "errors.second_factor.wrong")])
    );
    // A sign-in waiting for its code may not renew them, even with a code
    // not used yet.
    clock.advance(chrono::Duration::seconds(30));
    let mut pending = Visitor::new(&app);
    pending.sign_in(CAMILLE, PASSWORD).await;
    let next = common::visitor::next_code(&app, CAMILLE).await;
    let refused = pending
        .post("/api/compte/codes-de-secours", &[("code", &next)])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);

    // Five wrong codes end the login session instead.
    let wrong = wrong_code(&app, CAMILLE).await;
    for _ in 1..app::accounts::second_factor::MAX_ATTEMPTS {
        let refused = lost
            .post("/api/compte/codes-de-secours", &[("code", &wrong)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let last = lost
        .post("/api/compte/codes-de-secours", &[("code", &wrong)])
        .await;
    assert_eq!(last.status, StatusCode::UNAUTHORIZED, "{}", last.body);
    assert_eq!(lost.me().await, serde_json::Value::Null);
    assert_eq!(codes_left(&app, CAMILLE).await, 9);

    // Not for pupils, nor anonymous visitors.
    let mut pupil = common::people::confirmed(&app, "pupil", "Léa", "Roux", "lea@exemple.fr").await;
    pupil.sign_in("lea@exemple.fr", PASSWORD).await;
    for path in [
        "/api/compte/double-authentification",
        "/api/compte/codes-de-secours",
    ] {
        let refused = pupil.post(path, &[("code", "123456")]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
        let anonymous = Visitor::new(&app).post(path, &[("code", "123456")]).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn an_administrator_resets_a_coordinators_lost_second_factor() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let mut alix = invited(
        &app,
        Role::Administrator,
        "Alix",
        "alix@binome.example.fr",
        &[],
    )
    .await;
    let mut camille = invited(&app, Role::Coordinator, "Camille", CAMILLE, &["toulouse"]).await;
    let mut sacha = invited(
        &app,
        Role::Coordinator,
        "Sacha",
        "sacha@ac-montpellier.fr",
        &["montpellier"],
    )
    .await;
    let camille_id = user_id(&app, CAMILLE).await;
    let alix_id = user_id(&app, "alix@binome.example.fr").await;
    let (old_secret, _, _) = totp::find(&app.db, camille_id)
        .await
        .expect("read")
        .expect("a secret");
    let enrolled = |list: &serde_json::Value, email: &str| {
        list.as_array()
            .expect("a list")
            .iter()
            .find(|c| c["email"] == email)
            .map(|c| c["second_factor"].clone())
    };
    let list = json_of(&alix.post("/api/administration/coordinateurs", &[]).await);
    assert_eq!(enrolled(&list, CAMILLE), Some(serde_json::json!(true)));

    // Nobody but an administrator, and only a coordinator's.
    let id = camille_id.to_string();
    let refused = sacha
        .post(
            "/api/administration/double-authentification",
            &[("user_id", &id)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let own = alix_id.to_string();
    let refused = alix
        .post(
            "/api/administration/double-authentification",
            &[("user_id", &own)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert!(totp::find(&app.db, alix_id).await.expect("read").is_some());

    let done = alix
        .post(
            "/api/administration/double-authentification",
            &[("user_id", &id)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.header("location"), Some("/administration"));

    // Gone, with the codes; Camille is signed out and told by email.
    assert!(totp::find(&app.db, camille_id)
        .await
        .expect("read")
        .is_none());
    assert_eq!(codes_left(&app, CAMILLE).await, 0);
    assert_eq!(camille.me().await, serde_json::Value::Null);
    assert_eq!(sacha.me().await["role"], "coordinator");
    let emails = common::visitor::outbox(&app).await;
    let (kind, to, text) = emails.last().expect("an email");
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("second_factor_reset", CAMILLE)
    );
    assert!(text.contains("/connexion"), "{text}");
    assert_eq!(
        audited(&app, camille_id).await.last(),
        Some(&(Some(alix_id), "account.second_factor_reset".to_owned()))
    );
    let list = json_of(&alix.post("/api/administration/coordinateurs", &[]).await);
    assert_eq!(enrolled(&list, CAMILLE), Some(serde_json::json!(false)));

    // Her next sign-in adds a new secret.
    let mut again = Visitor::new(&app);
    let signed = again.sign_in(CAMILLE, PASSWORD).await;
    assert_eq!(signed.header("location"), Some("/connexion/code"));
    let step = json_of(&again.post("/api/connexion/code/etape", &[]).await);
    let key = step["Enrol"]["key"]
        .as_str()
        .expect("a new key")
        .replace(' ', "");
    assert_ne!(key, old_secret);
    let done = again.second_factor(CAMILLE).await;
    assert_eq!(done.header("location"), Some("/connexion/codes-de-secours"));
    assert_eq!(again.me().await["role"], "coordinator");
}

#[tokio::test]
async fn codes_are_limited_per_account_whatever_the_session() {
    use app::accounts::rate_limit::Action;
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let email = "alix@binome.example.fr";
    invited(&app, Role::Administrator, "Alix", email, &[]).await;
    let wrong = wrong_code(&app, email).await;
    let burst = Action::SecondFactorCode.per_account().burst;
    // The enrolment typed one; then wrong ones, four per sign-in (the
    // fifth would end it), until the account's count is spent.
    let mut typed = 1;
    while typed < burst {
        let mut visitor = Visitor::new(&app);
        visitor.sign_in(email, PASSWORD).await;
        for _ in 1..app::accounts::second_factor::MAX_ATTEMPTS {
            if typed == burst {
                break;
            }
            let refused = visitor
                .post("/api/connexion/code", &[("code", &wrong)])
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "code {typed}: {}",
                refused.body
            );
            typed += 1;
        }
    }
    // From a new sign-in, even the right code now waits.
    let mut late = Visitor::new(&app);
    late.sign_in(email, PASSWORD).await;
    let refused = late.second_factor(email).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.header("retry-after").is_some());
    assert_eq!(late.me().await, serde_json::Value::Null);
}
