//! A coordinator's review and publication of matching, and the tutor's
//! answer, through the real router and database (SQLite, or PostgreSQL
//! with `BINOME_TEST_POSTGRES_URL`): removing a proposal and adding a pair
//! by hand with a reason, publishing what was reviewed (and nothing when
//! it changed), the tutor's email, link, reminder and answer, the match
//! both sides see, the audit trail, and the pupil's return to the pool
//! with their waiting time when a proposal expires.

use crate::common;

use app::accounts::Role;
use app::clock::Clock;
use axum::http::StatusCode;
use chrono::TimeDelta;
use common::needs::{approve, json_of, pupil_asking, reunion_maths_tutor, saturday_20_march_2027};
use common::people::{import_schools, invited, user_id};
use common::visitor::{emailed_secret, field_errors, outbox, pairs, Visitor};
use common::TestApp;
use serde_json::{json, Value};

const RUN: &str = "/api/coordination/appariement/essai";

/// Three pupils who ask for spécialité mathématiques on Tuesday 18:00–20:00
/// Paris, one asking for English (nobody offers it), and Maëlys in La
/// Réunion (capacity 2), approved: two of the three can be matched.
struct Pool<'a> {
    coordinator: Visitor<'a>,
    pupils: Vec<(i64, Visitor<'a>)>,
    leo: i64,
    maelys: (i64, Visitor<'a>),
}

async fn pool(app: &TestApp) -> Pool<'_> {
    import_schools(app).await;
    let mut coordinator = invited(
        app,
        Role::Coordinator,
        "Camille",
        "camille@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    let mut pupils = Vec::new();
    for email in ["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"] {
        let pupil =
            pupil_asking(app, email, &[("2", "1080", "1200")], &["spe_mathematiques"]).await;
        pupils.push((user_id(app, email).await, pupil));
    }
    pupil_asking(
        app,
        "leo@exemple.fr",
        &[("2", "1080", "1200")],
        &["anglais"],
    )
    .await;

    let maelys = reunion_maths_tutor(app, "maelys@exemple.fr").await;
    let maelys_id = user_id(app, "maelys@exemple.fr").await;
    approve(&mut coordinator, maelys_id).await;
    Pool {
        coordinator,
        pupils,
        leo: user_id(app, "leo@exemple.fr").await,
        maelys: (maelys_id, maelys),
    }
}

async fn run(coordinator: &mut Visitor<'_>) -> Value {
    json_of(&coordinator.post(RUN, &[("start", "2027-03-22")]).await)
}

fn proposed(run: &Value) -> Vec<i64> {
    run["proposals"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["pupil"]["id"].as_i64().expect("an id"))
        .collect()
}

fn unmatched(run: &Value) -> Vec<(i64, String)> {
    run["unmatched"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|u| {
            (
                u["pupil"]["id"].as_i64().expect("an id"),
                u["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("a count"))
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'matching%' OR action LIKE 'proposal.%' \
         OR action LIKE 'match.%' ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .expect("the audit log"))
}

#[tokio::test]
async fn a_reviewed_run_is_published_and_the_tutor_accepts_from_the_emailed_link() {
    let app = TestApp::spawn_with_clock(saturday_20_march_2027()).await;
    let Pool {
        mut coordinator,
        mut pupils,
        leo,
        maelys: (maelys, mut maelys_visitor),
    } = pool(&app).await;
    let ids: Vec<i64> = pupils.iter().map(|(id, _)| *id).collect();
    let m = maelys.to_string();

    // Equal scores: the solver's order is by pupil index, i.e. the lists'.
    let first = run(&mut coordinator).await;
    assert_eq!(first["matched"], 2);
    let chosen = proposed(&first);
    assert_eq!(chosen.len(), 2);
    let left_out: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !chosen.contains(id))
        .collect();
    assert_eq!(left_out.len(), 1);
    assert!(unmatched(&first).contains(&(left_out[0], "tutors_full".to_owned())));
    assert_eq!(first["choices"], json!([]));

    // No removal of a pair with someone who is not a tutor.
    let nobody = coordinator
        .post(
            "/api/coordination/appariement/retirer",
            &[
                ("start", "2027-03-22"),
                ("pupil_id", &chosen[0].to_string()),
                ("tutor_id", &ids[1].to_string()),
            ],
        )
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND, "{}", nobody.body);

    // Removing the first proposal frees its place for the pupil left out.
    let removed = chosen[0];
    let done = coordinator
        .post(
            "/api/coordination/appariement/retirer",
            &[
                ("start", "2027-03-22"),
                ("pupil_id", &removed.to_string()),
                ("tutor_id", &m),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/coordination/appariement?debut=2027-03-22&essai=1")
    );
    let second = run(&mut coordinator).await;
    let mut now_proposed = proposed(&second);
    now_proposed.sort_unstable();
    let mut expected = vec![chosen[1], left_out[0]];
    expected.sort_unstable();
    assert_eq!(now_proposed, expected);
    assert!(unmatched(&second).iter().any(|(id, _)| *id == removed));
    assert_eq!(second["choices"][0]["kind"], "exclude");
    assert_eq!(second["choices"][0]["applied"], true);

    // Adding a pair by hand needs a reason, a pupil and tutor of the pool,
    // and a feasible pair; nothing is recorded otherwise.
    let no_reason = coordinator
        .post(
            "/api/coordination/appariement/ajouter",
            &[
                ("start", "2027-03-22"),
                ("pupil_id", &removed.to_string()),
                ("tutor_id", &m),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&no_reason),
        pairs(&[("reason", "errors.matching.reason_needed")])
    );
    let english = coordinator
        .post(
            "/api/coordination/appariement/ajouter",
            &[
                ("start", "2027-03-22"),
                ("pupil_id", &leo.to_string()),
                ("tutor_id", &m),
                ("reason", "Elle parle anglais"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&english),
        pairs(&[("tutor_id", "errors.matching.not_feasible")])
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM matching_choices").await,
        1
    );

    // Back by hand, with a reason: it replaces the removal and is kept.
    let fixed = coordinator
        .post(
            "/api/coordination/appariement/ajouter",
            &[
                ("start", "2027-03-22"),
                ("pupil_id", &removed.to_string()),
                ("tutor_id", &m),
                ("reason", "Déjà suivie par Maëlys l’an dernier"),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
    let reviewed = run(&mut coordinator).await;
    assert!(proposed(&reviewed).contains(&removed));
    let manual: Vec<&Value> = reviewed["proposals"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|p| p["manual_reason"] != Value::Null)
        .collect();
    assert_eq!(manual.len(), 1);
    assert_eq!(manual[0]["pupil"]["id"], removed);
    assert_eq!(
        manual[0]["manual_reason"],
        "Déjà suivie par Maëlys l’an dernier"
    );
    assert_eq!(reviewed["choices"].as_array().map(Vec::len), Some(1));
    assert_eq!(reviewed["choices"][0]["kind"], "fix");

    // A stale fingerprint (the run before the pair was added back, whose
    // proposals differ) publishes nothing.
    assert_ne!(second["fingerprint"], reviewed["fingerprint"]);
    let stale = coordinator
        .post(
            "/api/coordination/appariement/publier",
            &[
                ("start", "2027-03-22"),
                ("fingerprint", second["fingerprint"].as_str().expect("text")),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&stale),
        pairs(&[("fingerprint", "errors.matching.changed")])
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM match_proposals").await, 0);
    let emails_before = outbox(&app).await.len();

    // Publishing what was reviewed: two proposals, two emails to Maëlys.
    let published = coordinator
        .post(
            "/api/coordination/appariement/publier",
            &[
                ("start", "2027-03-22"),
                (
                    "fingerprint",
                    reviewed["fingerprint"].as_str().expect("text"),
                ),
            ],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(
        published.header("location"),
        Some("/coordination/appariement?publie=2")
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM match_proposals WHERE status = 'pending'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM matching_choices").await,
        0
    );
    let emails = outbox(&app).await;
    let to_maelys: Vec<_> = emails[emails_before..]
        .iter()
        .filter(|(kind, to, _)| kind == "proposal" && to == "maelys@exemple.fr")
        .collect();
    assert_eq!(to_maelys.len(), 2, "{emails:?}");
    assert!(
        to_maelys[0]
            .2
            .contains("mardi 22:00–23:00 (Indian/Reunion)"),
        "{}",
        to_maelys[0].2
    );
    assert!(
        !to_maelys[0].2.contains("Roux"),
        "only the first name before acceptance"
    );

    // Both pupils and Maëlys's two places are taken: the next run has
    // neither, and publishing again has nothing to publish.
    let after = run(&mut coordinator).await;
    assert_eq!(after["tutors"], 0);
    assert_eq!(after["pupils"], 2);

    // Signed in, Maëlys sees both proposals waiting for her answer.
    let waiting = json_of(&maelys_visitor.post("/api/propositions", &[]).await);
    assert_eq!(waiting.as_array().map(Vec::len), Some(2));
    assert_eq!(
        waiting[0]["tutor_slot"],
        json!({"weekday": 2, "from": "22:00", "to": "23:00", "time_zone": "Indian/Reunion"})
    );
    assert_eq!(waiting[0]["expires_at"], "2027-03-27 13:00");
    let not_hers = pupils[0].1.post("/api/propositions", &[]).await;
    assert_eq!(not_hers.status, StatusCode::NOT_FOUND, "{}", not_hers.body);

    // Maëlys opens the last link: the proposal, in her time.
    let secret = emailed_secret(&app, "maelys@exemple.fr", "/proposition").await;
    let mut anyone = Visitor::new(&app);
    let invite = json_of(&anyone.post("/api/proposition", &[("token", &secret)]).await);
    assert_eq!(invite["status"], "pending");
    assert_eq!(invite["answerable"], true);
    assert_eq!(invite["pupil_first_name"], "Inès");
    assert_eq!(
        invite["tutor_slot"],
        json!({"weekday": 2, "from": "22:00", "to": "23:00", "time_zone": "Indian/Reunion"})
    );
    assert_eq!(
        invite["pupil_slot"],
        json!({"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"})
    );
    let bad = anyone
        .post("/api/proposition", &[("token", "pas-un-lien")])
        .await;
    assert_eq!(
        field_errors(&bad),
        pairs(&[("token", "errors.link.invalid")])
    );

    // Declining needs a reason; an unknown answer is refused.
    let no_reason = anyone
        .post(
            "/api/proposition/reponse",
            &[("token", &secret), ("answer", "decline")],
        )
        .await;
    assert_eq!(
        field_errors(&no_reason),
        pairs(&[("reason", "errors.proposal.reason_needed")])
    );
    let unknown = anyone
        .post(
            "/api/proposition/reponse",
            &[("token", &secret), ("answer", "peut-être")],
        )
        .await;
    assert_eq!(
        field_errors(&unknown),
        pairs(&[("answer", "errors.proposal.answer")])
    );

    let accepted = anyone
        .post(
            "/api/proposition/reponse",
            &[("token", &secret), ("answer", "accept")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let again = anyone
        .post(
            "/api/proposition/reponse",
            &[("token", &secret), ("answer", "decline"), ("reason", "non")],
        )
        .await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("token", "errors.proposal.closed")])
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM matches WHERE status = 'active'").await,
        1
    );
    let invite = json_of(&anyone.post("/api/proposition", &[("token", &secret)]).await);
    assert_eq!(invite["status"], "accepted");
    assert_eq!(invite["answerable"], false);

    // Both sides see the match, each in their own time; both were told.
    let pupil_id: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT pupil_user_id FROM matches"
    )
    .fetch_one(pool)
    .await
    .expect("a match"));
    let pupil = &mut pupils
        .iter_mut()
        .find(|(id, _)| *id == pupil_id)
        .expect("a pupil")
        .1;
    let theirs = json_of(&pupil.post("/api/binomes", &[]).await);
    assert_eq!(theirs[0]["other_name"], "Maëlys Payet");
    assert_eq!(theirs[0]["as_tutor"], false);
    assert_eq!(
        theirs[0]["slot"],
        json!({"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"})
    );
    let hers = json_of(&maelys_visitor.post("/api/binomes", &[]).await);
    assert_eq!(hers[0]["other_name"], "Inès Roux");
    assert_eq!(hers[0]["as_tutor"], true);
    assert_eq!(hers[0]["slot"]["from"], "22:00");
    let page = pupil.get("/compte").await;
    assert!(page.body.contains("Maëlys Payet"), "{}", page.body);
    let emails = outbox(&app).await;
    let started: Vec<&str> = emails
        .iter()
        .filter(|(kind, ..)| kind == "match_started")
        .map(|(_, to, _)| to.as_str())
        .collect();
    assert_eq!(started.len(), 2);
    assert!(started.contains(&"maelys@exemple.fr"));

    // The coordinator follows what was published, newest first.
    let followed = json_of(
        &coordinator
            .post("/api/coordination/appariement/publiees", &[])
            .await,
    );
    let statuses: Vec<&str> = followed
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["accepted", "pending"]);
    assert_eq!(followed[0]["pupil_id"], pupil_id);
    assert_eq!(followed[0]["tutor_name"], "Maëlys Payet");
    assert_eq!(
        followed[0]["slot"],
        json!({"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"})
    );
    assert_eq!(followed[0]["published_on"], "2027-03-20");
    assert_eq!(followed[0]["expires_on"], "2027-03-27");
    let manual = followed
        .as_array()
        .expect("a list")
        .iter()
        .filter(|p| p["manual_reason"] == "Déjà suivie par Maëlys l’an dernier")
        .count();
    assert_eq!(manual, 1);
    let refused = pupil
        .post("/api/coordination/appariement/publiees", &[])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);

    assert_eq!(
        audit_actions(&app).await,
        [
            "matching_review.exclude",
            "matching_review.fix",
            "proposal.publish",
            "proposal.publish",
            "matching.publish",
            "match.start"
        ]
    );

    // The other one she declines from her account, signed in; an id that
    // is not hers is refused, nothing changed.
    let waiting = json_of(&maelys_visitor.post("/api/propositions", &[]).await);
    assert_eq!(waiting.as_array().map(Vec::len), Some(1));
    let id = waiting[0]["id"].as_i64().expect("an id").to_string();
    let unknown = maelys_visitor
        .post(
            "/api/propositions/reponse",
            &[
                ("proposal_id", "999"),
                ("answer", "decline"),
                ("reason", "Non"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&unknown),
        pairs(&[("proposal_id", "errors.proposal.closed")])
    );
    let declined = maelys_visitor
        .post(
            "/api/propositions/reponse",
            &[
                ("proposal_id", &id),
                ("answer", "decline"),
                ("reason", "Plus de place cette année"),
            ],
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.body);
    let waiting = json_of(&maelys_visitor.post("/api/propositions", &[]).await);
    assert_eq!(waiting, json!([]));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM match_proposals WHERE status = 'declined'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn unanswered_proposals_are_reminded_once_then_expire_and_the_pupil_waits_on() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let Pool {
        mut coordinator, ..
    } = pool(&app).await;
    let reviewed = run(&mut coordinator).await;
    let published = coordinator
        .post(
            "/api/coordination/appariement/publier",
            &[
                ("start", "2027-03-22"),
                (
                    "fingerprint",
                    reviewed["fingerprint"].as_str().expect("text"),
                ),
            ],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let first = emailed_secret(&app, "maelys@exemple.fr", "/proposition").await;
    let url = "http://127.0.0.1:3000";
    let deadlines = app::proposals::deadlines::run;

    // Before half the delay (3.5 days of 7): nothing due.
    clock.advance(TimeDelta::hours(83));
    let round = deadlines(&app.db, url, clock.now()).await.expect("a round");
    assert_eq!((round.reminded, round.expired), (0, 0));

    // Half-way: one reminder per proposal, with a new link; the first one
    // keeps working. Never twice.
    clock.advance(TimeDelta::hours(1));
    let round = deadlines(&app.db, url, clock.now()).await.expect("a round");
    assert_eq!((round.reminded, round.expired), (2, 0));
    let round = deadlines(&app.db, url, clock.now()).await.expect("a round");
    assert_eq!((round.reminded, round.expired), (0, 0));
    let reminders = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, _, text)| kind == "proposal" && text.contains("pas encore répondu"))
        .count();
    assert_eq!(reminders, 2);
    let second = emailed_secret(&app, "maelys@exemple.fr", "/proposition").await;
    assert_ne!(first, second);
    let mut anyone = Visitor::new(&app);
    let old = json_of(&anyone.post("/api/proposition", &[("token", &first)]).await);
    assert_eq!(old["status"], "pending");
    let new = json_of(&anyone.post("/api/proposition", &[("token", &second)]).await);
    assert_eq!(new["status"], "pending");

    // At 7 days: both expire, the pupils are back in the pool with their
    // waiting time (asked on 20 March, now 27 March: 7 days), and the
    // link can no longer answer.
    clock.advance(TimeDelta::hours(84));
    let round = deadlines(&app.db, url, clock.now()).await.expect("a round");
    assert_eq!((round.reminded, round.expired), (0, 2));
    let late = anyone
        .post(
            "/api/proposition/reponse",
            &[("token", &second), ("answer", "accept")],
        )
        .await;
    assert_eq!(
        field_errors(&late),
        pairs(&[("token", "errors.proposal.closed")])
    );
    // A week later the coordinator signs in again.
    coordinator.sign_in_again("camille@ac-toulouse.fr").await;
    let again = json_of(&coordinator.post(RUN, &[("start", "2027-03-29")]).await);
    assert_eq!(again["pupils"], 4);
    assert_eq!(again["tutors"], 1);
    assert_eq!(again["matched"], 2);
    assert_eq!(again["proposals"][0]["pupil"]["waiting_days"], 7);
    assert_eq!(again["proposals"][0]["score"]["waiting"], 7);
    let actions = audit_actions(&app).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "proposal.remind").count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "proposal.expire").count(),
        2
    );
}

#[tokio::test]
async fn a_declined_pair_is_not_proposed_again_and_a_second_coordinator_cannot_publish_a_stale_run()
{
    let app = TestApp::spawn_with_clock(saturday_20_march_2027()).await;
    let Pool {
        mut coordinator,
        mut pupils,
        ..
    } = pool(&app).await;
    let mut colleague = invited(
        &app,
        Role::Coordinator,
        "Hugo",
        "hugo@ac-toulouse.fr",
        &["toulouse"],
    )
    .await;
    // While the colleague's run holds Toulouse, another run there is
    // refused; a hold older than 10 minutes (a crashed run) is taken over.
    let colleague_id = user_id(&app, "hugo@ac-toulouse.fr").await;
    let held = app.clock.now() - TimeDelta::minutes(9);
    app::on_db!(&app.db, |pool| {
        sqlx::query(
        "INSERT INTO matching_runs (academy_code, coordinator_user_id, started_at) VALUES ('toulouse', $1, $2)"
    )
    .bind(colleague_id)
    .bind(held)
    .execute(pool)
    .await
    .expect("a held académie")
    .rows_affected()
    });
    // The page, waiting, can say what that run is doing.
    let progress = json_of(
        &coordinator
            .post("/api/coordination/appariement/progression", &[])
            .await,
    );
    assert_eq!(
        progress,
        json!({"stage": "pool", "mine": false, "seconds": 540})
    );
    let refused = coordinator.post(RUN, &[("start", "2027-03-22")]).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("form", "errors.matching.running")])
    );
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE matching_runs SET started_at = $1"
    )
    .bind(held - TimeDelta::minutes(2))
    .execute(pool)
    .await
    .expect("an older hold")
    .rows_affected());

    let mine = run(&mut coordinator).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM matching_runs").await, 0);
    let idle = json_of(
        &coordinator
            .post("/api/coordination/appariement/progression", &[])
            .await,
    );
    assert_eq!(idle, Value::Null);
    let theirs = run(&mut colleague).await;
    assert_eq!(mine["fingerprint"], theirs["fingerprint"]);
    let published = coordinator
        .post(
            "/api/coordination/appariement/publier",
            &[
                ("start", "2027-03-22"),
                ("fingerprint", mine["fingerprint"].as_str().expect("text")),
            ],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    // The colleague's review is stale: the same tutor's places are taken.
    let stale = colleague
        .post(
            "/api/coordination/appariement/publier",
            &[
                ("start", "2027-03-22"),
                ("fingerprint", theirs["fingerprint"].as_str().expect("text")),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&stale),
        pairs(&[("fingerprint", "errors.matching.changed")])
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM match_proposals").await, 2);

    // Maëlys declines one, with a reason: that pupil is back, but not with
    // her; the other pupil left out takes the freed place.
    let secret = emailed_secret(&app, "maelys@exemple.fr", "/proposition").await;
    let mut anyone = Visitor::new(&app);
    let declined = anyone
        .post(
            "/api/proposition/reponse",
            &[
                ("token", &secret),
                ("answer", "decline"),
                ("reason", "Je ne connais pas ce programme"),
            ],
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.body);
    let declined_pupil: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT pupil_user_id FROM match_proposals WHERE status = 'declined'"
    )
    .fetch_one(pool)
    .await
    .expect("a declined proposal"));
    let followed = json_of(
        &coordinator
            .post("/api/coordination/appariement/publiees", &[])
            .await,
    );
    let declined: Vec<&Value> = followed
        .as_array()
        .expect("a list")
        .iter()
        .filter(|p| p["status"] == "declined")
        .collect();
    assert_eq!(declined.len(), 1);
    assert_eq!(
        declined[0]["decline_reason"],
        "Je ne connais pas ce programme"
    );
    let next = run(&mut coordinator).await;
    assert_eq!(next["pupils"], 3);
    assert_eq!(next["tutors"], 1);
    assert_eq!(next["matched"], 1);
    assert!(!proposed(&next).contains(&declined_pupil));
    assert!(unmatched(&next).iter().any(|(id, _)| *id == declined_pupil));

    // The other pending proposal's pupil withdraws their request: the
    // proposal is cancelled and can no longer be accepted; its link shows
    // only the pupil's first name.
    let (pending_pupil, pending_hash): (i64, String) = app::on_db!(&app.db, |pool| {
        sqlx::query_as(
            "SELECT pupil_user_id, token_hash FROM match_proposals WHERE status = 'pending'",
        )
        .fetch_one(pool)
        .await
        .expect("a pending proposal")
    });
    let pupil = &mut pupils
        .iter_mut()
        .find(|(id, _)| *id == pending_pupil)
        .expect("a pupil")
        .1;
    let withdrawn = pupil.post("/api/eleve/demande/retirer", &[]).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let status: String = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT status FROM match_proposals WHERE token_hash = $1"
    )
    .bind(&pending_hash)
    .fetch_one(pool)
    .await
    .expect("the proposal"));
    assert_eq!(status, "cancelled");
    let secret = emailed_secret(&app, "maelys@exemple.fr", "/proposition").await;
    let first = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, ..)| kind == "proposal")
        .map(|(_, _, text)| text)
        .collect::<Vec<_>>();
    assert_eq!(first.len(), 2);
    let secrets: Vec<String> = first
        .iter()
        .map(|text| {
            let start = text.find("/proposition?jeton=").expect("a link") + 19;
            text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
        .collect();
    let cancelled = secrets
        .iter()
        .find(|s| app::accounts::token::digest(s) == pending_hash)
        .expect("the cancelled proposal's link");
    assert_ne!(cancelled, &secret);
    let invite = json_of(
        &anyone
            .post("/api/proposition", &[("token", cancelled)])
            .await,
    );
    assert_eq!(invite["status"], "cancelled");
    assert_eq!(invite["answerable"], false);
    assert_eq!(invite["difficulty"], "");
    assert_eq!(invite["school"], "");
    let late = anyone
        .post(
            "/api/proposition/reponse",
            &[("token", cancelled), ("answer", "accept")],
        )
        .await;
    assert_eq!(
        field_errors(&late),
        pairs(&[("token", "errors.proposal.closed")])
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM matches").await, 0);
}

#[tokio::test]
async fn a_school_priority_adds_to_its_pupils_scores_within_the_scope_only() {
    let app = TestApp::spawn_with_clock(saturday_20_march_2027()).await;
    let Pool {
        mut coordinator, ..
    } = pool(&app).await;
    let before = run(&mut coordinator).await;
    assert_eq!(before["schools"].as_array().map(Vec::len), Some(1));
    assert_eq!(before["schools"][0]["priority"], 0);
    assert_eq!(before["schools"][0]["pupils"], 4);
    let uai = before["schools"][0]["uai"]
        .as_str()
        .expect("a UAI")
        .to_owned();

    for bad in ["101", "-1", "trente", ""] {
        let refused = coordinator
            .post(
                "/api/coordination/appariement/priorite",
                &[("start", "2027-03-22"), ("uai", &uai), ("priority", bad)],
            )
            .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[("priority", "errors.matching.priority")]),
            "{bad}"
        );
    }
    // A school of Montpellier is not the coordinator's to weigh.
    let elsewhere = coordinator
        .post(
            "/api/coordination/appariement/priorite",
            &[
                ("start", "2027-03-22"),
                ("uai", "0340002T"),
                ("priority", "50"),
            ],
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "{}",
        elsewhere.body
    );

    let set = coordinator
        .post(
            "/api/coordination/appariement/priorite",
            &[("start", "2027-03-22"), ("uai", &uai), ("priority", "30")],
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let after = run(&mut coordinator).await;
    assert_eq!(after["schools"][0]["priority"], 30);
    // 100 for the subject, 0 days waited, 1 × 30 for the school.
    assert_eq!(
        after["proposals"][0]["score"],
        json!({"subjects": 100, "waiting": 0, "priority": 30, "total": 130})
    );
    assert_eq!(after["total_score"], 260);
    let details: String = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'school.priority'"
    )
    .fetch_one(pool)
    .await
    .expect("an audit entry"));
    assert_eq!(details, "from=0 to=30");
}
