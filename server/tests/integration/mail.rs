//! The email outbox against a real SMTP server (aiosmtpd), on SQLite or
//! PostgreSQL: what is committed is delivered once, what is rolled back
//! never, and nothing is lost when the mail server or a worker fails.

use crate::common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use app::clock::{Clock, ManualClock};
use app::db::Db;
use app::i18n::Lang;
use app::mail::outbox::{
    self, Attachment, EmailId, EmailState, NewEmail, Recipient, RetryPolicy, RetrySelection,
};
use app::mail::{EmailAddress, HeaderText, TestEmail};
use chrono::{DateTime, TimeDelta, Utc};
use common::smtp::{Received, SmtpSink};
use common::TestDatabase;
use lettre::message::Mailbox;
use mail_parser::MimeHeaders;
use secrecy::SecretString;
use server::config::MailTransportConfig;
use server::mail::{Transport, Worker, WorkerSettings};

const PUBLIC_URL: &str = "http://127.0.0.1:3000";
const FROM: &str = "Binôme <no-reply@binome.example.fr>";
const WAIT: Duration = Duration::from_secs(10);

struct Setup {
    db: Db,
    database: TestDatabase,
    clock: Arc<ManualClock>,
    sink: SmtpSink,
}

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

impl Setup {
    async fn new() -> Setup {
        let database = TestDatabase::create().await;
        let db = server::database::open(&database.target, "DATABASE_URL")
            .await
            .expect("the database opens");
        Setup {
            db,
            database,
            clock: Arc::new(ManualClock::new(start())),
            sink: SmtpSink::start(),
        }
    }

    fn smtp(&self) -> Transport {
        Transport::from_config(&MailTransportConfig::Smtp {
            url: SecretString::from(self.sink.url()),
        })
        .expect("a valid SMTP URL")
    }

    fn worker_on(&self, db: &Db, settings: WorkerSettings) -> Worker {
        Worker::new(
            db.clone(),
            self.smtp(),
            from(),
            self.clock.clone(),
            settings,
        )
    }

    fn worker(&self) -> Worker {
        self.worker_on(&self.db, WorkerSettings::default())
    }

    /// Queues `email` in a transaction of its own and commits.
    async fn queue(&self, email: &NewEmail) -> EmailId {
        let mut tx = self.db.begin_write().await.expect("a transaction");
        let id = outbox::enqueue(&mut tx, email, self.clock.now())
            .await
            .expect("queued");
        tx.commit().await.expect("committed");
        id
    }

    async fn entry(&self, id: EmailId) -> outbox::OutboxEntry {
        outbox::list(&self.db, None, 1000)
            .await
            .expect("the outbox lists")
            .into_iter()
            .find(|e| e.id == id)
            .expect("the email is in the outbox")
    }

    async fn public_id(&self, id: EmailId) -> String {
        app::on_db!(&self.db, |pool| sqlx::query_scalar::<_, String>(
            "SELECT public_id FROM email_outbox WHERE id = $1"
        )
        .bind(id.0)
        .fetch_one(pool)
        .await
        .expect("the row"))
    }
}

fn from() -> Mailbox {
    FROM.parse().expect("a valid sender")
}

fn test_email(to: &str, name: Option<&str>, lang: Lang) -> NewEmail {
    NewEmail::from_template(
        Recipient {
            address: EmailAddress::parse(to).expect("a valid address"),
            name: name.map(HeaderText::new),
        },
        lang,
        &TestEmail {
            requested_by: "Camille Durand".into(),
        },
        PUBLIC_URL,
    )
    .expect("the template renders")
}

/// Runs `worker` until a pass claims nothing.
async fn drain(worker: &Worker) -> usize {
    let mut sent = 0;
    loop {
        let report = worker.run_once().await.expect("the worker runs");
        sent += report.sent;
        if report.claimed == 0 {
            return sent;
        }
    }
}

fn message_ids(messages: &[Received]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m.parsed().message_id().expect("a Message-ID").to_owned())
        .collect()
}

#[tokio::test]
async fn a_committed_change_delivers_exactly_one_email_with_both_parts_and_the_right_headers() {
    let setup = Setup::new().await;
    let email = test_email(
        "camille.durand@example.org",
        Some("Camille Durand"),
        Lang::Fr,
    );
    let id = setup.queue(&email).await;

    let report = setup.worker().run_once().await.expect("runs");
    assert_eq!((report.claimed, report.sent), (1, 1));

    let messages = setup.sink.wait_for(1, WAIT);
    assert_eq!(messages.len(), 1);
    let received = &messages[0];
    assert_eq!(received.mail_from, "no-reply@binome.example.fr");
    assert_eq!(
        received.rcpt_tos,
        vec!["camille.durand@example.org".to_owned()]
    );

    let message = received.parsed();
    // French typography survives the trip: a narrow no-break space before ":".
    assert_eq!(message.subject(), Some("Binôme\u{202f}: courriel d’essai"));
    let to = message.to().and_then(|a| a.first()).expect("a To address");
    assert_eq!(to.name(), Some("Camille Durand"));
    assert_eq!(to.address(), Some("camille.durand@example.org"));
    let sender = message
        .from()
        .and_then(|a| a.first())
        .expect("a From address");
    assert_eq!(sender.name(), Some("Binôme"));
    let public_id = setup.public_id(id).await;
    assert_eq!(
        message.message_id(),
        Some(format!("{public_id}@binome.example.fr").as_str())
    );
    assert_eq!(
        message.date().map(|d| d.to_timestamp()),
        Some(start().timestamp()),
        "Date is the queueing time"
    );
    let headers = received.header_block();
    assert!(
        headers.contains("Auto-Submitted: auto-generated"),
        "{headers}"
    );
    assert!(headers.contains("Content-Language: fr"), "{headers}");

    let text = message.body_text(0).expect("a plain-text part");
    assert!(text.contains("Camille Durand"), "{text}");
    assert!(text.contains(&format!("{PUBLIC_URL}/")), "{text}");
    let html = message.body_html(0).expect("an HTML part");
    assert!(
        html.contains(&format!("<a href=\"{PUBLIC_URL}/\"")),
        "{html}"
    );
    assert!(html.contains("<html lang=\"fr\""), "{html}");
    assert_eq!(message.text_body.len(), 1);
    assert_eq!(message.html_body.len(), 1);
    assert_eq!(message.attachments.len(), 0);

    let entry = setup.entry(id).await;
    assert_eq!((entry.state, entry.attempts), (EmailState::Sent, 1));
    assert_eq!(entry.sent_at, Some(start()));
    // Delivered: the bodies (which may carry single-use links) are gone.
    let bodies: (String, String) = app::on_db!(&setup.db, |pool| sqlx::query_as(
        "SELECT body_text, body_html FROM email_outbox WHERE id = $1"
    )
    .bind(id.0)
    .fetch_one(pool)
    .await
    .expect("the row"));
    assert_eq!(bodies, (String::new(), String::new()));

    // Nothing more to send, ever.
    setup.clock.advance(TimeDelta::days(2));
    assert_eq!(drain(&setup.worker()).await, 0);
    assert_eq!(setup.sink.messages().len(), 1);
}

#[tokio::test]
async fn an_email_is_in_the_recipients_language() {
    let setup = Setup::new().await;
    setup
        .queue(&test_email("pat@example.org", None, Lang::En))
        .await;
    drain(&setup.worker()).await;
    let messages = setup.sink.wait_for(1, WAIT);
    let message = messages[0].parsed();
    assert_eq!(message.subject(), Some("Binôme: test email"));
    assert!(messages[0].header_block().contains("Content-Language: en"));
    assert!(message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.name())
        .is_none());
}

#[tokio::test]
async fn a_rolled_back_change_delivers_nothing() {
    let setup = Setup::new().await;
    let mut tx = setup.db.begin_write().await.expect("a transaction");
    outbox::enqueue(
        &mut tx,
        &test_email("camille@example.org", None, Lang::Fr),
        setup.clock.now(),
    )
    .await
    .expect("queued inside the transaction");
    tx.rollback().await.expect("rolled back");

    assert_eq!(drain(&setup.worker()).await, 0);
    assert!(outbox::list(&setup.db, None, 10)
        .await
        .expect("lists")
        .is_empty());
    std::thread::sleep(Duration::from_millis(300));
    assert!(setup.sink.messages().is_empty());
}

#[tokio::test]
async fn emails_wait_while_the_smtp_server_is_down_and_are_all_delivered_when_it_is_back() {
    let mut setup = Setup::new().await;
    setup.sink.stop();
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(
            setup
                .queue(&test_email(
                    &format!("pupil{n}@example.org"),
                    None,
                    Lang::Fr,
                ))
                .await,
        );
    }

    let worker = setup.worker();
    assert_eq!(drain(&worker).await, 0, "nothing can be sent");
    let policy = RetryPolicy::default();
    for id in &ids {
        let entry = setup.entry(*id).await;
        assert_eq!((entry.state, entry.attempts), (EmailState::Pending, 1));
        let wait = entry.next_attempt_at - start();
        assert!(
            wait >= policy.delay(1, 0.0) && wait <= policy.delay(1, 1.0),
            "retry after {wait}"
        );
        assert!(entry.last_error.is_some());
    }

    setup.sink.restart();
    // Not due yet: nothing is tried before its time.
    assert_eq!(worker.run_once().await.expect("runs").claimed, 0);
    setup.clock.advance(policy.delay(1, 1.0));
    assert_eq!(drain(&worker).await, 7);

    let messages = setup.sink.wait_for(7, WAIT);
    assert_eq!(messages.len(), 7, "every email, once");
    let mut recipients: Vec<String> = messages.iter().flat_map(|m| m.rcpt_tos.clone()).collect();
    recipients.sort();
    let expected: Vec<String> = (0..7).map(|n| format!("pupil{n}@example.org")).collect();
    assert_eq!(recipients, expected);
    for id in ids {
        let entry = setup.entry(id).await;
        assert_eq!((entry.state, entry.attempts), (EmailState::Sent, 2));
    }
}

#[tokio::test]
async fn a_worker_that_dies_after_claiming_releases_its_emails_when_the_lease_ends() {
    let setup = Setup::new().await;
    let id = setup
        .queue(&test_email("camille@example.org", None, Lang::Fr))
        .await;
    let lease = WorkerSettings::default().lease;

    // A worker claims the email, then dies without a word.
    let claimed = outbox::claim(&setup.db, "dead-worker", setup.clock.now(), lease, 10)
        .await
        .expect("claims");
    assert_eq!(claimed.len(), 1);

    let survivor = setup.worker();
    assert_eq!(
        survivor.run_once().await.expect("runs").claimed,
        0,
        "the lease holds"
    );
    setup.clock.advance(lease - TimeDelta::seconds(1));
    assert_eq!(
        survivor.run_once().await.expect("runs").claimed,
        0,
        "until it ends"
    );
    setup.clock.advance(TimeDelta::seconds(1));
    let report = survivor.run_once().await.expect("runs");
    assert_eq!((report.claimed, report.sent), (1, 1));

    assert_eq!(setup.sink.wait_for(1, WAIT).len(), 1);
    let entry = setup.entry(id).await;
    assert_eq!((entry.state, entry.attempts), (EmailState::Sent, 2));
    // The dead worker, were it to wake up, no longer holds the email.
    assert!(
        !outbox::mark_sent(&setup.db, id, "dead-worker", setup.clock.now())
            .await
            .expect("runs")
    );
}

#[tokio::test]
async fn a_permanent_refusal_dead_letters_the_email_and_an_administrator_retry_delivers_it() {
    let setup = Setup::new().await;
    let refused = setup
        .queue(&test_email("refuse.me@example.org", None, Lang::Fr))
        .await;

    let report = setup.worker().run_once().await.expect("runs");
    assert_eq!((report.claimed, report.dead), (1, 1));
    let dead = outbox::list(&setup.db, Some(EmailState::Dead), 10)
        .await
        .expect("lists");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].id, refused);
    assert_eq!(dead[0].dead_at, Some(start()));
    let error = dead[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("550"), "{error}");
    setup.clock.advance(TimeDelta::days(1));
    assert_eq!(drain(&setup.worker()).await, 0, "a dead letter stays dead");

    // The mailbox is fixed; the administrator sends it again.
    setup.sink.accept_refused();
    let count = server::mail::admin::retry(
        &setup.db,
        RetrySelection::Ids(&[refused]),
        setup.clock.now(),
    )
    .await
    .expect("retries");
    assert_eq!(count, 1);
    assert_eq!(drain(&setup.worker()).await, 1);
    let messages = setup.sink.wait_for(1, WAIT);
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].rcpt_tos,
        vec!["refuse.me@example.org".to_owned()]
    );
    assert_eq!(setup.entry(refused).await.state, EmailState::Sent);
}

#[tokio::test]
async fn a_transient_refusal_is_retried_until_the_attempts_run_out() {
    let setup = Setup::new().await;
    let id = setup
        .queue(&test_email("later@example.org", None, Lang::Fr))
        .await;
    let settings = WorkerSettings {
        policy: RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        },
        ..WorkerSettings::default()
    };
    let worker = setup.worker_on(&setup.db, settings);
    for attempt in 1..=3 {
        let report = worker.run_once().await.expect("runs");
        assert_eq!(report.claimed, 1, "attempt {attempt}");
        setup.clock.advance(TimeDelta::hours(1));
    }
    let entry = setup.entry(id).await;
    assert_eq!((entry.state, entry.attempts), (EmailState::Dead, 3));
    let error = entry.last_error.unwrap_or_default();
    assert!(
        error.starts_with("gave up after 3 attempts") && error.contains("451"),
        "{error}"
    );
    assert!(setup.sink.messages().is_empty());

    // Retrying every dead letter resets the count.
    let count = server::mail::admin::retry(&setup.db, RetrySelection::AllDead, setup.clock.now())
        .await
        .expect("retries");
    assert_eq!(count, 1);
    let entry = setup.entry(id).await;
    assert_eq!((entry.state, entry.attempts), (EmailState::Pending, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_database_send_each_email_once() {
    let setup = Setup::new().await;
    let second_pool = server::database::open(&setup.database.target, "DATABASE_URL")
        .await
        .expect("a second pool on the same database");
    let count = 30;
    for n in 0..count {
        setup
            .queue(&test_email(
                &format!("tutor{n}@example.org"),
                None,
                Lang::Fr,
            ))
            .await;
    }
    let settings = WorkerSettings {
        batch: 3,
        ..WorkerSettings::default()
    };
    let first = setup.worker_on(&setup.db, settings);
    let second = setup.worker_on(&second_pool, settings);
    assert_ne!(first.id(), second.id());

    let (a, b) = tokio::join!(drain(&first), drain(&second));
    assert_eq!(a + b, count);
    assert!(a > 0 && b > 0, "both workers took part: {a} and {b}");

    let messages = setup.sink.wait_for(count, WAIT);
    assert_eq!(messages.len(), count, "each email exactly once");
    let unique: HashSet<String> = message_ids(&messages).into_iter().collect();
    assert_eq!(unique.len(), count);
    let counts = outbox::count_by_state(&setup.db).await.expect("counts");
    assert!(
        counts.contains(&(EmailState::Sent, i64::try_from(count).expect("small"))),
        "{counts:?}"
    );
    second_pool.close().await;
}

#[tokio::test]
async fn a_name_or_subject_cannot_inject_a_header() {
    let setup = Setup::new().await;
    let mut email = test_email(
        "camille@example.org",
        Some("Eve\r\nBcc: victim@example.org"),
        Lang::Fr,
    );
    email.content.subject = HeaderText::new("Bonjour\r\nBcc: victim@example.org\nX-Evil: 1");
    setup.queue(&email).await;
    drain(&setup.worker()).await;

    let messages = setup.sink.wait_for(1, WAIT);
    assert_eq!(messages[0].rcpt_tos, vec!["camille@example.org".to_owned()]);
    let headers = messages[0].header_block();
    for line in headers.lines() {
        assert!(
            !line.to_ascii_lowercase().starts_with("bcc:") && !line.starts_with("X-Evil"),
            "an injected header: {line}\n{headers}"
        );
    }
    let message = messages[0].parsed();
    assert_eq!(
        message.subject(),
        Some("Bonjour Bcc: victim@example.org X-Evil: 1")
    );
    assert_eq!(
        message.to().and_then(|a| a.first()).and_then(|a| a.name()),
        Some("Eve Bcc: victim@example.org")
    );
}

#[tokio::test]
async fn attachments_arrive_whole_with_their_type() {
    let setup = Setup::new().await;
    let calendar =
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Binome//test//FR\r\nEND:VCALENDAR\r\n"
            .to_vec();
    let email = test_email("camille@example.org", None, Lang::Fr).with_attachment(Attachment {
        filename: HeaderText::new("séance.ics"),
        content_type: "text/calendar; charset=utf-8; method=REQUEST".into(),
        content: calendar.clone(),
    });
    setup.queue(&email).await;
    drain(&setup.worker()).await;

    let messages = setup.sink.wait_for(1, WAIT);
    let message = messages[0].parsed();
    assert_eq!(message.attachments.len(), 1);
    let attachment = message.attachment(0).expect("the attachment");
    assert_eq!(attachment.attachment_name(), Some("séance.ics"));
    let content_type = attachment.content_type().expect("a content type");
    assert_eq!(
        (content_type.ctype(), content_type.subtype()),
        ("text", Some("calendar"))
    );
    assert_eq!(content_type.attribute("method"), Some("REQUEST"));
    assert_eq!(attachment.contents(), calendar.as_slice());
    assert!(message.body_text(0).is_some() && message.body_html(0).is_some());
}

#[tokio::test]
async fn without_an_smtp_server_each_email_becomes_an_eml_file() {
    let setup = Setup::new().await;
    let folder = tempfile::tempdir().expect("a folder");
    let emails = folder.path().join("emails");
    let transport = Transport::from_config(&MailTransportConfig::Files {
        folder: emails.clone(),
    })
    .expect("the folder is created");
    let worker = Worker::new(
        setup.db.clone(),
        transport,
        from(),
        setup.clock.clone(),
        WorkerSettings::default(),
    );
    setup
        .queue(&test_email("camille@example.org", None, Lang::En))
        .await;
    assert_eq!(drain(&worker).await, 1);

    let files: Vec<_> = std::fs::read_dir(&emails)
        .expect("the folder exists")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read(&files[0]).expect("readable");
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("parses");
    assert_eq!(message.subject(), Some("Binôme: test email"));
    assert_eq!(
        message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address()),
        Some("camille@example.org")
    );
}

/// The value of a metric in Prometheus' text format (0 when absent).
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn the_metrics_count_sent_retried_and_dead_emails_and_the_outbox_states() {
    let app = common::TestApp::spawn().await;
    let clock = Arc::new(ManualClock::new(start()));
    let sink = SmtpSink::start();
    let transport = Transport::from_config(&MailTransportConfig::Smtp {
        url: SecretString::from(sink.url()),
    })
    .expect("valid");
    let mut tx = app.db.begin_write().await.expect("a transaction");
    for to in [
        "camille@example.org",
        "later@example.org",
        "refuse@example.org",
        "pat@example.org",
    ] {
        outbox::enqueue(&mut tx, &test_email(to, None, Lang::Fr), clock.now())
            .await
            .expect("queued");
    }
    tx.commit().await.expect("committed");
    let mut rolled_back = app.db.begin_write().await.expect("a transaction");
    outbox::enqueue(
        &mut rolled_back,
        &test_email("ghost@example.org", None, Lang::Fr),
        clock.now(),
    )
    .await
    .expect("queued");
    rolled_back.rollback().await.expect("rolled back");
    let worker = Worker::new(
        app.db.clone(),
        transport,
        from(),
        clock,
        WorkerSettings::default(),
    );

    let before = app.get("/metrics").await.body;
    worker.refresh_gauges().await.expect("counts");
    let queued = app.get("/metrics").await.body;
    assert_eq!(
        metric(&queued, "binome_outbox_emails{state=\"pending\"}"),
        4.0
    );
    assert_eq!(metric(&queued, "binome_outbox_emails{state=\"sent\"}"), 0.0);

    let report = worker.run_once().await.expect("runs");
    assert_eq!((report.sent, report.retried, report.dead), (2, 1, 1));
    worker.refresh_gauges().await.expect("counts");
    let after = app.get("/metrics").await.body;
    for (series, expected) in [
        ("binome_emails_sent_total", 2.0),
        ("binome_emails_retried_total", 1.0),
        ("binome_emails_dead_total", 1.0),
    ] {
        assert_eq!(
            metric(&after, series) - metric(&before, series),
            expected,
            "{series}"
        );
    }
    for (state, expected) in [
        ("pending", 1.0),
        ("sending", 0.0),
        ("sent", 2.0),
        ("dead", 1.0),
    ] {
        let series = format!("binome_outbox_emails{{state=\"{state}\"}}");
        assert_eq!(metric(&after, &series), expected, "{series}");
    }
}

#[tokio::test]
async fn a_stopping_worker_gives_back_what_it_did_not_try() {
    let setup = Setup::new().await;
    let id = setup
        .queue(&test_email("camille@example.org", None, Lang::Fr))
        .await;
    let lease = WorkerSettings::default().lease;
    let claimed = outbox::claim(&setup.db, "stopping", setup.clock.now(), lease, 10)
        .await
        .expect("claims");
    assert_eq!(claimed.len(), 1);
    assert!(
        !outbox::release(&setup.db, id, "another", setup.clock.now())
            .await
            .expect("runs")
    );
    assert!(
        outbox::release(&setup.db, id, "stopping", setup.clock.now())
            .await
            .expect("runs")
    );
    let entry = setup.entry(id).await;
    assert_eq!((entry.state, entry.attempts), (EmailState::Pending, 0));
    assert_eq!(
        entry.next_attempt_at,
        start(),
        "due at once, for another worker"
    );
    assert_eq!(drain(&setup.worker()).await, 1);
}

#[tokio::test]
async fn postgresql_claims_skip_rows_another_transaction_holds() {
    let setup = Setup::new().await;
    let Db::Postgres(pool) = &setup.db else {
        // SQLite has one writer at a time (BEGIN IMMEDIATE): nothing to skip.
        return;
    };
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(
            setup
                .queue(&test_email(&format!("p{n}@example.org"), None, Lang::Fr))
                .await,
        );
    }
    // Another instance is in the middle of claiming the two oldest.
    let mut other = pool.begin().await.expect("a transaction");
    let held: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM email_outbox ORDER BY id LIMIT 2 FOR UPDATE")
            .fetch_all(&mut *other)
            .await
            .expect("locks");
    let lease = WorkerSettings::default().lease;
    let claimed = tokio::time::timeout(
        Duration::from_secs(5),
        outbox::claim(&setup.db, "second", setup.clock.now(), lease, 10),
    )
    .await
    .expect("the claim does not wait for the lock")
    .expect("claims");
    let claimed: Vec<i64> = claimed.iter().map(|e| e.id.0).collect();
    assert_eq!(
        claimed,
        vec![ids[2].0, ids[3].0],
        "the held rows are skipped: {held:?}"
    );
    other.rollback().await.expect("rolled back");
}
