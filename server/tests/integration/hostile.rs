//! Hostile input (issue 10, item 5): every server function, as every kind
//! of visitor, is sent malformed and hostile values (the strings of the Big
//! List of Naughty Strings, `../shared/data/naughty-strings/blns.json`,
//! oversized fields, script tags, SQL fragments, wrong types, invalid
//! UTF-8, broken bodies). None may answer 500; a 4xx says what is wrong in
//! the application's error shape. Text a person may type is stored and
//! shown back exactly as typed, or refused field by field.
//!
//! The server functions are the ones registered in the router
//! (`server_fn_paths`); their fields are read from the sources of the app
//! crate (the arguments of every `#[server]` function), so a new function
//! or field is swept without changing this test.

use std::collections::BTreeSet;

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::needs::{json_of, saturday_20_march_2027};
use common::pairs::tuesdays_from_23_march;
use common::visitor::Visitor;
use common::{TestApp, TestResponse};

/// The strings of the Big List of Naughty Strings.
fn naughty_strings() -> Vec<String> {
    let path = common::shared_data("naughty-strings/blns.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("a JSON list of strings")
}

/// Values that are hostile whatever the field: beyond every length limit,
/// markup, SQL, numbers out of range or of the wrong type, structured
/// values where text is expected.
fn hostile_values() -> Vec<String> {
    vec![
        "x".repeat(1_200),
        "é".repeat(600),
        "<script>alert(1)</script>".to_owned(),
        "</textarea><script>alert(1)</script>".to_owned(),
        "\"><img src=x onerror=alert(1)>".to_owned(),
        "'; DROP TABLE users; --".to_owned(),
        "1 OR 1=1".to_owned(),
        "-1".to_owned(),
        "0".to_owned(),
        "9223372036854775808".to_owned(),
        "-9223372036854775809".to_owned(),
        "1e309".to_owned(),
        "NaN".to_owned(),
        "true".to_owned(),
        "[]".to_owned(),
        "{\"a\":1}".to_owned(),
        "\u{0}".to_owned(),
        "2027-02-30".to_owned(),
        "25:61".to_owned(),
        "../../etc/passwd".to_owned(),
        "%00%ff".to_owned(),
    ]
}

/// The argument names of every `#[server]` function of the app crate,
/// read from its sources.
fn server_fn_fields() -> BTreeSet<String> {
    let root = format!("{}/../app/src", env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![std::path::PathBuf::from(root)];
    let mut fields = BTreeSet::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("a folder") {
                files.push(entry.expect("an entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a source file");
        for (at, _) in source.match_indices("#[server(") {
            let rest = &source[at..];
            let Some(open) = rest
                .find("pub async fn ")
                .and_then(|f| rest[f..].find('(').map(|p| f + p))
            else {
                continue;
            };
            // The arguments, up to the parenthesis that closes them.
            let mut depth = 0;
            let mut arguments = String::new();
            for c in rest[open..].chars() {
                match c {
                    '(' | '<' | '[' => depth += 1,
                    ')' | '>' | ']' => depth -= 1,
                    _ => {}
                }
                arguments.push(c);
                if depth == 0 {
                    break;
                }
            }
            let inner = arguments
                .trim_start_matches('(')
                .trim_end_matches(')')
                .replace("#[server(default)]", "");
            let mut depth = 0;
            let mut part = String::new();
            let mut parts = Vec::new();
            for c in inner.chars() {
                match c {
                    '(' | '<' | '[' => depth += 1,
                    ')' | '>' | ']' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(std::mem::take(&mut part));
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
            parts.push(part);
            for part in parts {
                if let Some((name, kind)) = part.split_once(':') {
                    let name = name.trim().trim_start_matches("mut ").to_owned();
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        continue;
                    }
                    if kind.contains("Vec<") {
                        fields.insert(format!("{name}[]"));
                    }
                    fields.insert(name);
                }
            }
        }
    }
    fields
}

/// Every server function of the router: (path, is GET).
fn server_fns() -> Vec<(String, bool)> {
    // Registered when the router is built (`TestApp::spawn`).
    let mut paths: Vec<(String, bool)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method == axum::http::Method::GET))
        .collect();
    paths.sort();
    // Last, those that end the login session (signing out, and five wrong
    // codes when renewing recovery codes): the visitor stays signed in for
    // the rest.
    paths.sort_by_key(|(path, _)| {
        ["/api/compte/codes-de-secours", "/api/deconnexion"].contains(&path.as_str())
    });
    paths
}

/// Sends `body` (already encoded) to the server function `path` as
/// `visitor`.
async fn send(
    visitor: &mut Visitor<'_>,
    path: &str,
    get: bool,
    content_type: &str,
    body: Vec<u8>,
) -> TestResponse {
    let request = if get {
        let query = String::from_utf8_lossy(&body).into_owned();
        Request::get(format!("{path}?{query}"))
    } else {
        Request::post(path).header("content-type", content_type)
    };
    let mut request = request.header("accept", "application/json");
    if let Some(cookie) = &visitor.cookie {
        request = request.header("cookie", cookie.as_str());
    }
    visitor
        .app
        .request(request.body(Body::from(body)).expect("a request"))
        .await
}

/// A 4xx in the application's error shape (or the body limit's plain
/// answer); never a 5xx.
fn assert_clear(response: &TestResponse, what: &str) {
    assert!(
        response.status.as_u16() < 500,
        "{what}: {} {}",
        response.status,
        response.body
    );
    if response.status.is_client_error() && response.status != StatusCode::PAYLOAD_TOO_LARGE {
        let error: serde_json::Value = serde_json::from_str(&response.body).unwrap_or_else(|_| {
            panic!(
                "{what}: {} is not an error: {}",
                response.status, response.body
            )
        });
        assert!(error["kind"].is_string(), "{what}: {}", response.body);
    }
}

fn form_of(fields: &BTreeSet<String>, value: &str) -> Vec<u8> {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|name| (name.as_str(), value)))
        .finish()
        .into_bytes()
}

#[tokio::test]
async fn no_server_function_fails_on_hostile_input_whoever_sends_it() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (ines, maelys) = tuesdays_from_23_march(&app).await;
    let mut camille = Visitor::new(&app);
    camille.sign_in_again("camille@ac-toulouse.fr").await;
    let admin = common::people::invited(
        &app,
        app::accounts::Role::Administrator,
        "Alix",
        "alix@binome.example.fr",
        &[],
    )
    .await;
    let fields = server_fn_fields();
    for expected in [
        "email",
        "difficulty",
        "subjects[]",
        "match_id",
        "confirm",
        "token",
    ] {
        assert!(fields.contains(expected), "{expected} in {fields:?}");
    }
    let functions = server_fns();
    assert!(functions.len() > 60, "{}", functions.len());

    let mut values = hostile_values();
    values.extend(naughty_strings());
    let mut visitors = vec![
        ("anonymous", Visitor::new(&app)),
        ("pupil", ines),
        ("tutor", maelys),
        ("coordinator", camille),
        ("administrator", admin),
    ];
    let mut sent = 0usize;
    for (who, visitor) in &mut visitors {
        for (path, get) in &functions {
            let what = |detail: &str| format!("{who} {path} {detail}");
            // Broken bodies: none, invalid UTF-8, not a form, JSON.
            for (content_type, body) in [
                ("application/x-www-form-urlencoded", Vec::new()),
                (
                    "application/x-www-form-urlencoded",
                    vec![0xff, 0xfe, b'=', 0xc3, 0x28],
                ),
                ("application/x-www-form-urlencoded", b"%%%&&&==".to_vec()),
                ("application/json", b"{\"email\": [1, 2]}".to_vec()),
                ("text/plain", b"hello".to_vec()),
            ] {
                let response = send(visitor, path, *get, content_type, body).await;
                assert_clear(&response, &what(content_type));
                sent += 1;
            }
            // Every field at once, with each hostile value.
            for value in &values {
                let body = form_of(&fields, value);
                let response = send(
                    visitor,
                    path,
                    *get,
                    "application/x-www-form-urlencoded",
                    body,
                )
                .await;
                assert_clear(&response, &what(&format!("{value:?}")));
                sent += 1;
            }
        }
    }
    // Enough to mean something: every function, every visitor, every value.
    assert!(sent > functions.len() * visitors.len() * 500, "{sent}");
}

#[tokio::test]
async fn text_a_pupil_types_is_kept_exactly_or_refused_field_by_field() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    common::people::import_schools(&app).await;
    let mut pupil = common::needs::pupil_in_premiere(&app, "ines@exemple.fr").await;
    let mut values = naughty_strings();
    values.extend(hostile_values());
    let (mut kept, mut refused) = (0, 0);
    for value in &values {
        let saved = pupil
            .post(
                "/api/eleve/demande/enregistrer",
                &[
                    ("subjects[]", "spe_mathematiques"),
                    ("difficulty", value),
                    ("mode", "online"),
                ],
            )
            .await;
        assert!(saved.status.as_u16() < 500, "{value:?}: {}", saved.body);
        // The rule of the field: trimmed, Windows line ends as `\n`; not
        // empty, at most 1,000 characters, no control character but line
        // breaks and tabs.
        let expected = value.trim().replace("\r\n", "\n");
        let refusal = if expected.is_empty() {
            Some("errors.difficulty.empty")
        } else if expected.chars().count() > 1_000 {
            Some("errors.difficulty.too_long")
        } else if expected
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            Some("errors.text.control")
        } else {
            None
        };
        match refusal {
            None => {
                assert!(
                    saved.status.is_success() || saved.status.is_redirection(),
                    "{value:?}: {}",
                    saved.body
                );
                let own = json_of(&pupil.post("/api/eleve/demande", &[]).await);
                assert_eq!(own["request"]["difficulty"], expected.as_str(), "{value:?}");
                let page = pupil.get("/compte/demande").await;
                assert_eq!(page.status, StatusCode::OK, "{value:?}");
                assert!(
                    !page.body.contains("<script>alert(1)</script>"),
                    "{value:?}"
                );
                kept += 1;
            }
            Some(key) => {
                assert_eq!(
                    common::visitor::field_errors(&saved),
                    common::visitor::pairs(&[("difficulty", key)]),
                    "{value:?}"
                );
                refused += 1;
            }
        }
    }
    // Most strings are text a person may type.
    assert!(kept > 400, "{kept} kept, {refused} refused");
    assert!(refused > 5, "{kept} kept, {refused} refused");
}
