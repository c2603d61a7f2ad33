//! A real SMTP server for the tests: `smtp_sink.py` (aiosmtpd), installed
//! by `scripts/bootstrap --test` in `.tools/smtp-venv`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Variable naming another Python with aiosmtpd, if not the project's.
pub const PYTHON_VARIABLE: &str = "BINOME_TEST_SMTP_PYTHON";

/// The SMTP server, its folder of received messages, and its process.
pub struct SmtpSink {
    folder: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The bytes after DATA, as sent.
    pub raw: Vec<u8>,
    /// The envelope's sender (MAIL FROM).
    pub mail_from: String,
    /// The envelope's recipients (RCPT TO) that were accepted.
    pub rcpt_tos: Vec<String>,
}

impl Received {
    /// The message, parsed by an independent parser.
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.raw)
            .expect("the received message parses")
    }

    /// The raw header lines, unfolded.
    pub fn header_block(&self) -> String {
        let text = String::from_utf8_lossy(&self.raw);
        let end = text
            .find("\r\n\r\n")
            .or_else(|| text.find("\n\n"))
            .unwrap_or(text.len());
        text[..end].replace("\r\n ", " ").replace("\r\n\t", " ")
    }
}

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os(PYTHON_VARIABLE) {
        return PathBuf::from(python);
    }
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/smtp-venv/bin/python");
    assert!(
        python.exists(),
        "no Python with aiosmtpd at {}: run scripts/bootstrap --test (or set {PYTHON_VARIABLE})",
        python.display()
    );
    python
}

fn spawn(folder: &Path, port: u16) -> (Child, u16) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
    let mut child = Command::new(python())
        .arg(&script)
        .arg(folder)
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the SMTP server starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_default();
    let Some(port) = line
        .trim()
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
    else {
        let _ = child.kill();
        panic!("the SMTP server did not start: {line:?}");
    };
    (child, port)
}

impl SmtpSink {
    /// Starts a server on a free loopback port.
    pub fn start() -> SmtpSink {
        let folder = tempfile::tempdir().expect("a folder for received mail");
        let (child, port) = spawn(folder.path(), 0);
        SmtpSink {
            folder,
            port,
            child: Some(child),
        }
    }

    /// `smtp://127.0.0.1:PORT`, for `BINOME_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server: connections are refused until [`SmtpSink::restart`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, keeping what it received.
    pub fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            // The port may linger for a moment after the kill.
            if std::net::TcpListener::bind(("127.0.0.1", self.port)).is_ok()
                || Instant::now() > deadline
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let (child, port) = spawn(self.folder.path(), self.port);
        assert_eq!(port, self.port);
        self.child = Some(child);
    }

    /// From now on, recipients named `refuse…` are accepted.
    pub fn accept_refused(&self) {
        std::fs::write(self.folder.path().join("accept-refused"), b"").expect("the switch file");
    }

    /// Every message received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .expect("the folder is readable")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| {
                let envelope: serde_json::Value = serde_json::from_slice(
                    &std::fs::read(eml.with_extension("json")).expect("the envelope"),
                )
                .expect("the envelope is JSON");
                Received {
                    raw: std::fs::read(&eml).expect("the message"),
                    mail_from: envelope["mail_from"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    rcpt_tos: envelope["rcpt_tos"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Waits until at least `count` messages arrived (at most `timeout`),
    /// and returns all of them.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count || Instant::now() > deadline {
                return messages;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
