//! A visitor of the platform through the real router: the login session
//! cookie it was given, forms posted to server functions, and the emails
//! queued for it.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use super::{TestApp, TestResponse};

/// The password every test account uses.
pub const PASSWORD: &str = "trombone à coulisse";

/// A visitor: the router, plus the login session cookie it was given.
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Visitor<'a> {
        Visitor { app, cookie: None }
    }

    /// Posts a form to a server function, as the hydrated page does (no
    /// `Accept: text/html`: redirects come as a `Location` header).
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        self.post_with(path, form, &[]).await
    }

    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut request =
            Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        {
            request = request.header("accept", "application/json");
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.as_str());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .app
            .request(request.body(Body::from(body)).expect("valid request"))
            .await;
        self.keep_cookie(&response);
        response
    }

    /// Posts a file as a browser's plain multipart form does.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        content: &[u8],
    ) -> TestResponse {
        let boundary = "----binome-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut request = Request::post(path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("accept", "text/html")
            .header(
                "referer",
                "http://127.0.0.1:3000/administration/etablissements",
            );
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.as_str());
        }
        let response = self
            .app
            .request(request.body(Body::from(body)).expect("valid request"))
            .await;
        self.keep_cookie(&response);
        response
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let mut request = Request::get(path);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.as_str());
        }
        let response = self
            .app
            .request(request.body(Body::empty()).expect("valid request"))
            .await;
        self.keep_cookie(&response);
        response
    }

    fn keep_cookie(&mut self, response: &TestResponse) {
        for value in response.headers.get_all("set-cookie") {
            let value = value.to_str().expect("ASCII cookie");
            let pair = value.split(';').next().unwrap_or_default().to_owned();
            if let Some(id) = pair.strip_prefix("binome_session=") {
                self.cookie = (!id.is_empty() && !value.contains("Max-Age=0")).then_some(pair);
            }
        }
    }

    /// `current_user` as JSON (`null` when nobody is signed in).
    pub async fn me(&mut self) -> serde_json::Value {
        let response = self.post("/api/moi", &[]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        serde_json::from_str(&response.body).expect("JSON")
    }

    pub async fn sign_up(
        &mut self,
        role: &str,
        first: &str,
        last: &str,
        email: &str,
    ) -> TestResponse {
        self.post(
            "/api/inscription",
            &[
                ("role", role),
                ("first_name", first),
                ("last_name", last),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await
    }

    /// Signs in again with [`PASSWORD`]: for tests whose clock moves on
    /// further than a login session lasts idle. A coordinator or an
    /// administrator then types the code of their second factor.
    pub async fn sign_in_again(&mut self, email: &str) {
        let signed = self.sign_in(email, PASSWORD).await;
        assert!(
            signed.status.is_success() || signed.status.is_redirection(),
            "{}",
            signed.body
        );
        if signed.header("location") == Some("/connexion/code") {
            let done = self.second_factor(email).await;
            assert!(done.status.is_success(), "{}", done.body);
        }
    }

    /// Completes a pending staff sign-in with the code of the account's
    /// second factor (enrolled at its first sign-in, see
    /// `people::invited`): the code of the app clock's step, or of the
    /// next one when that was used (a code works once).
    pub async fn second_factor(&mut self, email: &str) -> TestResponse {
        // Makes the secret of a first sign-in (without a pending sign-in,
        // the code below is refused as it should be).
        self.post("/api/connexion/code/etape", &[]).await;
        let code = next_code(self.app, email).await;
        self.post("/api/connexion/code", &[("code", &code)]).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> TestResponse {
        self.post(
            "/api/connexion",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// The code an authenticator app holding the second factor of `email`
/// shows at the app clock's time: the code of its step, or of the next one
/// when that was used (a code works once).
pub async fn next_code(app: &TestApp, email: &str) -> String {
    use app::accounts::second_factor::totp;
    let id = super::people::user_id(app, email).await;
    let (secret, _, last) = totp::find(&app.db, id)
        .await
        .expect("read")
        .expect("a second factor");
    let now = app.clock.now();
    let step = totp::step_of(now).max(last + 1);
    assert!(
        step <= totp::step_of(now) + totp::SKEW,
        "no code left for {email} now"
    );
    totp::of(&secret, email)
        .expect("a secret")
        .generate(step * totp::STEP_SECONDS)
}

/// The field errors of a 422 answer, as (field, message key) pairs.
pub fn field_errors(response: &TestResponse) -> Vec<(String, String)> {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    let json: serde_json::Value = serde_json::from_str(&response.body).expect("JSON error");
    assert_eq!(json["kind"], "invalid");
    json["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_owned(),
                f["message_key"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// Emails queued so far: (kind, recipient, text body), oldest first.
pub async fn outbox(app: &TestApp) -> Vec<(String, String, String)> {
    app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT kind, recipient_address, body_text FROM email_outbox ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .expect("outbox readable"))
}

/// The secret of the last link to `path` emailed to `to`.
pub async fn emailed_secret(app: &TestApp, to: &str, path: &str) -> String {
    let emails = outbox(app).await;
    let (_, _, text) = emails
        .iter()
        .rev()
        .find(|(_, recipient, text)| recipient == to && text.contains(path))
        .unwrap_or_else(|| panic!("no email to {to} with {path}: {emails:?}"));
    let start = text.find(&format!("{path}?jeton=")).expect("link") + path.len() + 7;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
