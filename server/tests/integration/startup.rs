//! The `binome` binary itself: bad configuration stops the start with one
//! clear line and nothing created; SIGTERM stops it gracefully; its mail
//! worker delivers what the administration commands queue.

use crate::common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_binome");

/// A command for the binary with a clean, explicit environment.
fn binome(data_dir: &Path, address: &str) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("BINOME_DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ADDR", address)
        .env("LEPTOS_OUTPUT_NAME", "binome")
        .env("RUST_LOG", "warn")
        // No .env file is picked up from the test's working directory.
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .stdin(Stdio::null());
    command
}

fn free_address() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").to_string()
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_malformed_database_url_stops_the_start_with_one_line() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");

    let output = binome(&data, &free_address())
        .env("DATABASE_URL", "mysql://user:hunter2@localhost/binome")
        .output()
        .expect("runs");

    assert_eq!(output.status.code(), Some(78));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("DATABASE_URL"), "{lines:?}");
    assert!(!lines[0].contains("hunter2"), "{lines:?}");
    assert!(!data.exists(), "nothing is created");
}

#[test]
fn a_port_in_use_stops_the_start_with_one_line_and_creates_nothing() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("address").to_string();

    let output = binome(&data, &address).output().expect("runs");

    assert_eq!(output.status.code(), Some(69));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains(&address), "{lines:?}");
    assert!(lines[0].contains("LEPTOS_SITE_ADDR"), "{lines:?}");
    assert!(!data.exists(), "nothing is created");
}

#[test]
fn an_unreachable_database_stops_the_start_with_one_line() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    // Port 1 on loopback: nothing listens there.
    let output = binome(&data, &free_address())
        .env("DATABASE_URL", "postgres://binome@127.0.0.1:1/binome")
        .output()
        .expect("runs");

    assert_eq!(output.status.code(), Some(69));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("cannot reach PostgreSQL at 127.0.0.1:1"),
        "{lines:?}"
    );
    assert!(!data.exists(), "no data folder for a PostgreSQL target");
}

#[test]
fn an_unusable_data_folder_stops_the_start_with_one_line() {
    let root = tempfile::tempdir().expect("temp");
    // A folder cannot be created below a regular file, whoever runs the test
    // (a read-only folder would not stop root).
    let file = root.path().join("not-a-folder");
    std::fs::write(&file, b"").expect("write");
    let data = file.join("data");

    let output = binome(&data, &free_address()).output().expect("runs");

    assert_eq!(output.status.code(), Some(69));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("BINOME_DATA_DIR"), "{lines:?}");
}

fn get(address: &str, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

fn wait_until_ready(child: &mut Child, address: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(answer) = get(address, "/readyz") {
            if answer.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server was not ready within 30 s");
}

#[test]
fn the_server_creates_its_database_serves_and_stops_on_sigterm() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    let mut child = binome(&data, &address)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");

    wait_until_ready(&mut child, &address);
    assert!(
        data.join("binome.db").exists(),
        "the SQLite file is created"
    );
    let home = get(&address, "/").expect("the home page answers");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("Toulouse"));

    stop_gracefully(&mut child);
}

/// Sends SIGTERM and checks the server exits cleanly within 10 s.
fn stop_gracefully(child: &mut Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("the server did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful exit: {status}");
}

const FROM: &str = "Binôme <no-reply@binome.example.fr>";

#[test]
fn the_server_delivers_a_queued_test_email_through_smtp() {
    let sink = common::smtp::SmtpSink::start();
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    let with_smtp = |command: &mut Command| {
        command
            .env("BINOME_SMTP_URL", sink.url())
            .env("BINOME_MAIL_FROM", FROM);
    };
    let mut serve = binome(&data, &address);
    with_smtp(&mut serve);
    let mut child = serve
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    wait_until_ready(&mut child, &address);

    let mut queue = binome(&data, &address);
    with_smtp(&mut queue);
    let output = queue
        .args(["mail", "test", "camille@example.org", "--lang", "en"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.starts_with("queued email 1 to camille@example.org"),
        "{said}"
    );
    assert!(said.contains("SMTP server 127.0.0.1:"), "{said}");

    let messages = sink.wait_for(1, Duration::from_secs(20));
    assert_eq!(messages.len(), 1, "the running server delivered it");
    assert_eq!(messages[0].rcpt_tos, vec!["camille@example.org".to_owned()]);
    assert_eq!(messages[0].parsed().subject(), Some("Binôme: test email"));

    let listing = binome(&data, &address)
        .args(["outbox", "list", "--state", "sent"])
        .output()
        .expect("runs");
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.starts_with("pending: 0  sending: 0  sent: 1  dead: 0"),
        "{listing}"
    );
    assert!(listing.contains("camille@example.org"), "{listing}");
    stop_gracefully(&mut child);
}

#[test]
fn without_smtp_the_server_writes_each_email_to_the_data_folder() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    let mut child = binome(&data, &address)
        .env("RUST_LOG", "info")
        .env("BINOME_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    wait_until_ready(&mut child, &address);

    let output = binome(&data, &address)
        .args(["mail", "test", "camille@example.org"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");

    // lettre writes the file in place: wait until it parses whole.
    let emails = data.join("emails");
    let deadline = Instant::now() + Duration::from_secs(20);
    let subject = loop {
        let parsed = std::fs::read_dir(&emails)
            .ok()
            .and_then(|mut entries| entries.next())
            .and_then(Result::ok)
            .map(|e| e.path())
            .filter(|file| file.extension().is_some_and(|e| e == "eml"))
            .and_then(|file| std::fs::read(file).ok())
            .and_then(|raw| {
                let message = mail_parser::MessageParser::default().parse(&raw)?;
                message.body_html(0)?;
                message.subject().map(str::to_owned)
            });
        if let Some(subject) = parsed {
            break subject;
        }
        assert!(
            Instant::now() < deadline,
            "no whole .eml file in {}",
            emails.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(subject, "Binôme\u{202f}: courriel d’essai");

    stop_gracefully(&mut child);
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut log)
        .expect("the log");
    let line = log
        .lines()
        .find(|l| l.contains("email written"))
        .unwrap_or_else(|| panic!("no log line for the email:\n{log}"));
    assert!(line.contains("camille@example.org"), "{line}");
    assert!(line.contains("courriel d’essai"), "{line}");
}

#[test]
fn an_invalid_address_is_refused_and_nothing_is_queued() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    for bad in ["camille", "camille@example.org\r\nBcc: eve@example.org", ""] {
        let output = binome(&data, &address)
            .args(["mail", "test", bad])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(65), "{bad:?}: {output:?}");
        let lines = stderr_lines(&output);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("not a valid email address"), "{lines:?}");
    }
    let output = binome(&data, &address)
        .args(["outbox", "list"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(
        listing.starts_with("pending: 0  sending: 0  sent: 0  dead: 0"),
        "{listing}"
    );

    let output = binome(&data, &address)
        .args(["outbox", "list", "--state", "lost"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    let output = binome(&data, &address)
        .args(["outbox", "retry"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(64),
        "ids or --all-dead are required"
    );
}

#[test]
fn the_school_directory_imports_from_the_command_line_all_or_nothing() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    let directory = common::shared_data("lycees-occitanie.csv");

    let output = binome(&data, &address)
        .args(["import", "schools", &directory])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(said.trim(), "556 schools: 556 new, 0 updated, 0 unchanged");
    let progress = stderr_lines(&output);
    assert_eq!(progress.first().map(String::as_str), Some("… 50/556"));
    assert_eq!(progress.last().map(String::as_str), Some("… 556/556"));

    let bad = root.path().join("bad.csv");
    let text = std::fs::read_to_string(&directory).expect("readable");
    std::fs::write(&bad, text.replacen("0090002D", "0090002E", 1)).expect("written");
    let output = binome(&data, &address)
        .args(["import", "schools", bad.to_str().expect("UTF-8")])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.starts_with("ligne 2\u{202f}: UAI"), "{said}");
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("1 bad row(s)") && lines[0].contains("nothing was imported"),
        "{lines:?}"
    );
}

#[test]
fn an_administrator_is_created_from_the_command_line_with_an_invitation() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    let create = |email: &str| {
        binome(&data, &address)
            .args([
                "admin",
                "create-admin",
                email,
                "--first-name",
                "Alex",
                "--last-name",
                "Durand",
            ])
            .output()
            .expect("runs")
    };
    let output = create("alex@region-occitanie.fr");
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.starts_with("administrator alex@region-occitanie.fr created (id 1)"),
        "{said}"
    );
    let link = said.trim().rsplit(' ').next().unwrap_or_default();
    assert!(
        link.starts_with("http://127.0.0.1:3000/mot-de-passe/nouveau?jeton="),
        "{link}"
    );
    assert_eq!(
        link.len(),
        "http://127.0.0.1:3000/mot-de-passe/nouveau?jeton=".len() + 43,
        "{link}"
    );

    // The invitation is queued; the same address twice is refused.
    let listing = binome(&data, &address)
        .args(["outbox", "list"])
        .output()
        .expect("runs");
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.starts_with("pending: 1  sending: 0  sent: 0  dead: 0"),
        "{listing}"
    );
    assert!(
        listing.contains("invitation") && listing.contains("alex@region-occitanie.fr"),
        "{listing}"
    );
    let again = create("ALEX@region-occitanie.fr");
    assert_eq!(again.status.code(), Some(65), "{again:?}");
    assert!(
        stderr_lines(&again)[0].contains("already has an account"),
        "{again:?}"
    );
    let bad = create("alex@");
    assert_eq!(bad.status.code(), Some(65), "{bad:?}");
}

#[test]
fn a_staff_second_factor_is_reset_from_the_command_line() {
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("data");
    let address = free_address();
    let created = binome(&data, &address)
        .args([
            "admin",
            "create-admin",
            "alex@region-occitanie.fr",
            "--first-name",
            "Alex",
            "--last-name",
            "Durand",
        ])
        .output()
        .expect("runs");
    assert!(created.status.success(), "{created:?}");
    let reset = |email: &str| {
        binome(&data, &address)
            .args(["admin", "reset-second-factor", email])
            .output()
            .expect("runs")
    };
    let outbox = || {
        let listing = binome(&data, &address)
            .args(["outbox", "list"])
            .output()
            .expect("runs");
        String::from_utf8_lossy(&listing.stdout).into_owned()
    };
    // Not added yet: nothing to do.
    let output = reset("Alex@region-occitanie.fr");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "alex@region-occitanie.fr has no second factor; nothing was changed"
    );
    assert!(
        outbox().starts_with("pending: 1  sending: 0"),
        "{}",
        outbox()
    );

    // Added (as her first sign-in would), then reset: the secret and the
    // codes are gone, she is emailed, the audit log has it.
    let database = data.join("binome.db");
    let sql = |statement: &str| {
        let statement = statement.to_owned();
        let database = database.clone();
        tokio::runtime::Runtime::new()
            .expect("a runtime")
            .block_on(async move {
                use sqlx::Connection;
                let mut conn =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", database.display()))
                        .await
                        .expect("the database opens");
                let rows: Vec<(String,)> = sqlx::query_as(&statement)
                    .fetch_all(&mut conn)
                    .await
                    .expect("the statement runs");
                rows.into_iter().map(|(value,)| value).collect::<Vec<_>>()
            })
    };
    sql(
        "INSERT INTO second_factors (user_id, secret, created_at, confirmed_at) \
         VALUES (1, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', '2027-03-20T09:00:00Z', \
         '2027-03-20T09:00:00Z') RETURNING secret",
    );
    sql(
        "INSERT INTO recovery_codes (user_id, code_hash, created_at) \
         VALUES (1, 'x', '2027-03-20T09:00:00Z') RETURNING code_hash",
    );
    let output = reset("alex@region-occitanie.fr");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "second factor of alex@region-occitanie.fr removed; signed out everywhere, \
         emailed; the next sign-in adds a new one"
    );
    let left =
        sql("SELECT 'factor' FROM second_factors UNION ALL SELECT 'code' FROM recovery_codes");
    assert_eq!(left, Vec::<String>::new());
    assert_eq!(
        sql("SELECT actor_label || ' ' || action FROM audit_log \
             WHERE action = 'account.second_factor_reset'")
        .len(),
        1
    );
    let listing = outbox();
    assert!(listing.starts_with("pending: 2  sending: 0"), "{listing}");
    assert!(listing.contains("second_factor_reset"), "{listing}");

    // Not an account: refused, nothing written.
    let unknown = reset("personne@region-occitanie.fr");
    assert_eq!(unknown.status.code(), Some(65), "{unknown:?}");
    assert!(
        stderr_lines(&unknown)[0].contains("nothing was changed"),
        "{unknown:?}"
    );
    let bad = reset("alex@");
    assert_eq!(bad.status.code(), Some(65), "{bad:?}");
    assert!(
        outbox().starts_with("pending: 2  sending: 0"),
        "{}",
        outbox()
    );
}
