//! The people of a test: schools to attend, and accounts of every role,
//! each signed in through the real journeys (sign-up and emailed link,
//! invitation link, parent consent link).

use app::accounts::Role;
use app::audit::store::AuditActor;
use app::i18n::Lang;
use app::mail::EmailAddress;
use axum::http::StatusCode;

use super::visitor::{emailed_secret, Visitor, PASSWORD};
use super::TestApp;

/// A lycée of the académie of Toulouse (Foix) and one of Montpellier
/// (Carcassonne), from the Occitanie directory.
pub const TOULOUSE_SCHOOL: &str = "0090002D";
pub const MONTPELLIER_SCHOOL: &str = "0110004V";

/// Imports the two schools above.
pub async fn import_schools(app: &TestApp) {
    let csv = "uai,nom,nature,statut,commune,code_postal,departement,academie,region,voie_generale,voie_technologique,voie_professionnelle,latitude,longitude\n\
0090002D,Lycée général et technologique Gabriel Fauré,LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE,Public,Foix,09007,Ariège,Toulouse,Occitanie,1,1,0,42.96196712087671,1.6049297132028237\n\
0110004V,Lycée Paul Sabatier,LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE,Public,Carcassonne,11802,Aude,Montpellier,Occitanie,1,1,0,43.22231629742369,2.3461095696551713\n";
    app::schools::directory::import(&app.db, csv.as_bytes(), chrono::Utc::now(), &mut |_, _| {})
        .await
        .expect("the two schools import");
}

/// A pupil or tutor who signed up and followed the confirmation link.
pub async fn confirmed<'a>(
    app: &'a TestApp,
    role: &str,
    first: &str,
    last: &str,
    email: &str,
) -> Visitor<'a> {
    let mut visitor = Visitor::new(app);
    let response = visitor.sign_up(role, first, last, email).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let secret = emailed_secret(app, email, "/inscription/confirmer").await;
    let confirmed = visitor
        .post("/api/confirmer-adresse", &[("token", &secret)])
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    visitor
}

/// A coordinator (académies `academies`) or administrator (no académie),
/// invited from the command line, who chose their password by the link.
pub async fn invited<'a>(
    app: &'a TestApp,
    role: Role,
    first: &str,
    email: &str,
    academies: &[&str],
) -> Visitor<'a> {
    // The application's time: an invitation issued by the wall clock would
    // have expired for a test whose clock is months away.
    let now = app.clock.now();
    let address = EmailAddress::parse(email).expect("a valid address");
    let academies: Vec<String> = academies.iter().map(|a| (*a).to_owned()).collect();
    let mut tx = app.db.begin_write().await.expect("tx");
    let actor = AuditActor {
        user_id: None,
        label: "test".into(),
    };
    app::coordination::admin::invite(
        &mut tx,
        "http://127.0.0.1:3000",
        &actor,
        role,
        (first, "Durand"),
        &address,
        &academies,
        None,
        Lang::Fr,
        now,
    )
    .await
    .expect("invited")
    .expect("a new address");
    tx.commit().await.expect("commit");
    let secret = emailed_secret(app, email, "/mot-de-passe/nouveau").await;
    let mut visitor = Visitor::new(app);
    let response = visitor
        .post(
            "/api/nouveau-mot-de-passe",
            &[("token", &secret), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // Staff: the second factor is added at the first sign-in.
    assert_eq!(response.header("location"), Some("/connexion/code"));
    let step = visitor.post("/api/connexion/code/etape", &[]).await;
    assert!(
        step.body.contains("\"Enrol\""),
        "{} {}",
        step.status,
        step.body
    );
    let enrolled = visitor.second_factor(email).await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    assert_eq!(
        enrolled.header("location"),
        Some("/connexion/codes-de-secours")
    );
    assert_eq!(visitor.me().await["role"], role.as_str());
    visitor
}

/// Saves a pupil's profile; returns the answer.
pub async fn save_pupil_profile(
    pupil: &mut Visitor<'_>,
    month: &str,
    year: &str,
    school: &str,
    level: &str,
    parent_email: &str,
) -> super::TestResponse {
    pupil
        .post(
            "/api/eleve/profil/enregistrer",
            &[
                ("birth_month", month),
                ("birth_year", year),
                ("school_uai", school),
                ("level_code", level),
                ("parent_email", parent_email),
            ],
        )
        .await
}

/// Saves a tutor's profile volunteering in `academy`.
pub async fn save_tutor_profile(tutor: &mut Visitor<'_>, academy: &str) -> super::TestResponse {
    tutor
        .post(
            "/api/tuteur/profil/enregistrer",
            &[
                ("institution", "Université Toulouse III – Paul Sabatier"),
                ("field_of_study", "Mathématiques"),
                ("study_year", "3"),
                ("academies[]", academy),
                ("charter", "accepted"),
            ],
        )
        .await
}

/// The parent who follows the consent link emailed to `email` and accepts.
pub async fn consenting_parent<'a>(app: &'a TestApp, email: &str) -> Visitor<'a> {
    let secret = emailed_secret(app, email, "/parent/consentement").await;
    let mut parent = Visitor::new(app);
    let response = parent
        .post(
            "/api/parent/repondre",
            &[("token", &secret), ("answer", "accept")],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("location"), Some("/parent"));
    parent
}

/// The id of the account of `email`.
pub async fn user_id(app: &TestApp, email: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT id FROM users WHERE email_key = $1"
    )
    .bind(email.to_lowercase())
    .fetch_one(pool)
    .await
    .expect("the account exists"))
}

/// Louis, coordinator of the académie of Montpellier: outside the scope of
/// the Toulouse pupils of the tests.
pub async fn montpellier_coordinator(app: &TestApp) -> Visitor<'_> {
    invited(
        app,
        Role::Coordinator,
        "Louis",
        "louis@ac-montpellier.fr",
        &["montpellier"],
    )
    .await
}
