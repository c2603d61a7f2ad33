//! The `binome` binary itself: bad configuration stops the start with one
//! clear line and nothing created; SIGTERM stops it gracefully.

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
