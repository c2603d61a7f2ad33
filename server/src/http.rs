//! The HTTP surface: pages and server functions (Leptos), operations
//! endpoints, the language switch, and the middleware around them.

use std::sync::OnceLock;
use std::time::Duration;

use app::i18n::{Lang, LANG_COOKIE, LANG_COOKIE_MAX_AGE_SECONDS};
use app::request::REQUEST_ID_HEADER;
use app::shell::{shell, App};
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum_client_ip::ClientIpSource;
use axum_prometheus::metrics_exporter_prometheus::PrometheusHandle;
use axum_prometheus::{EndpointLabel, PrometheusMetricLayer, PrometheusMetricLayerBuilder};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Longest time a request may take before the server answers 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest request body, in bytes, but for the school directory's upload:
/// the longest form is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The path of the school directory's upload, which may send
/// [`app::schools::admin::MAX_FILE_BYTES`] and its multipart framing.
const DIRECTORY_UPLOAD_PATH: &str =
    <app::schools::admin::ImportDirectory as leptos::server_fn::ServerFn>::PATH;

/// `Permissions-Policy`: no page may use the camera, microphone, location,
/// payment or device sensors (video sessions run on another site).
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=()";

/// `Strict-Transport-Security` (RFC 6797): two years, subdomains included.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The metrics layer and its handle. The recorder is process-wide, so it is
/// made once, however many routers the process builds (tests build many).
///
/// Requests no route matched (probes, static files) share one `unmatched`
/// label, so arbitrary URLs cannot grow the number of time series.
fn metrics() -> &'static (PrometheusMetricLayer<'static>, PrometheusHandle) {
    static METRICS: OnceLock<(PrometheusMetricLayer<'static>, PrometheusHandle)> = OnceLock::new();
    METRICS.get_or_init(|| {
        PrometheusMetricLayerBuilder::new()
            .with_endpoint_label_type(EndpointLabel::MatchedPathWithFallbackFn(|_| {
                "unmatched".to_owned()
            }))
            .with_default_metrics()
            .build_pair()
    })
}

/// The whole application as an axum router, ready to serve. The client's
/// address is read as `client_ip_source` says (see the configuration).
///
/// # Errors
/// When the login session store cannot be made (a bug: its names are
/// constant).
pub fn router(state: AppState, client_ip_source: ClientIpSource) -> Result<Router, String> {
    let routes = generate_route_list(App);
    let sessions = crate::login_sessions::layer(&state.db, &state.public_url)?;
    let public_origin = origin_of(&state.public_url);
    let (metrics_layer, metrics_handle) = metrics().clone();
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    // HSTS only when the platform is served over HTTPS (RFC 6797 §7.2: a
    // browser ignores it over plain HTTP, and a test server has none).
    let hsts = state
        .public_url
        .starts_with("https://")
        .then(|| HeaderValue::from_static(HSTS));

    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            "/metrics",
            get(move || std::future::ready(metrics_handle.render())),
        )
        .route("/langue/{code}", get(switch_language))
        .route("/coordination/appariement/besoins.csv", get(supply_gap_csv))
        .route("/coordination/export/{file}", get(export_csv))
        .route("/attestation.pdf", get(attestation_pdf))
        .route("/compte/donnees.json", get(data_export))
        .route("/calendrier/flux/{file}", get(calendar_feed))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(limit_request_body))
                .layer(axum::middleware::from_fn(bad_arguments_are_client_errors))
                .layer(axum::middleware::from_fn(upload_must_be_multipart))
                // A panic in a handler (a bug) answers 500 instead of
                // dropping the connection.
                .layer(tower_http::catch_panic::CatchPanicLayer::new())
                .layer(axum::middleware::from_fn(no_store_unless_static))
                .layer(sessions)
                .layer(client_ip_source.into_extension())
                .layer(axum::middleware::from_fn(move |request, next| {
                    refuse_cross_origin(public_origin.clone(), request, next)
                }))
                .layer(axum::middleware::map_request(drop_unusable_request_id))
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .on_response(
                            tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                        )
                        .make_span_with(|request: &Request<_>| {
                            let id = request
                                .headers()
                                .get(REQUEST_ID_HEADER)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            tracing::info_span!(
                                "request",
                                request_id = %id,
                                method = %request.method(),
                                path = %logged_path(request.uri().path()),
                            )
                        }),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(metrics_layer)
                // Pages depend on the language cookie and Accept-Language:
                // a shared cache must not serve one visitor's to another.
                .layer(SetResponseHeaderLayer::appending(
                    header::VARY,
                    HeaderValue::from_static("cookie, accept-language"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("strict-origin-when-cross-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                // Pages set their own policy, with their scripts' nonce.
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(app::security::OTHER_POLICY),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static(PERMISSIONS_POLICY),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::STRICT_TRANSPORT_SECURITY,
                    hsts,
                ))
                // gzip or Brotli, as the browser accepts: the wasm bundle
                // shrinks by more than half.
                .layer(CompressionLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                )),
        )
        .with_state(state);
    Ok(router)
}

/// `Cache-Control: no-store` on everything but the built site's files
/// (`/pkg/…`, the icon): pages and answers may hold a pupil's data, and a
/// shared lycée computer must not show them again with Back after
/// signing out (ASVS 4.0 §8.2.1).
async fn no_store_unless_static(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_static = {
        let path = request.uri().path();
        path.starts_with("/pkg/") || path == "/favicon.svg"
    };
    let mut response = next.run(request).await;
    if !is_static && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The directory upload's server function reads a multipart body, and the
/// decoder of server_fn 0.8 panics on a request without a multipart
/// boundary ("couldn't parse boundary"): such a request is refused here
/// with 400, in the application's error shape.
async fn upload_must_be_multipart(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if request.uri().path() == DIRECTORY_UPLOAD_PATH && request.method() == axum::http::Method::POST
    {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let boundary = content_type
            .split(';')
            .filter_map(|part| part.trim().strip_prefix("boundary="))
            .any(|value| !value.trim_matches('"').trim().is_empty());
        if !content_type.starts_with("multipart/form-data") || !boundary {
            let error = app::error::AppError::Transport {
                message: "a multipart/form-data body with a boundary is expected".into(),
            };
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::to_string(&error).unwrap_or_default(),
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// Largest error body [`bad_arguments_are_client_errors`] reads.
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// A server function whose arguments could not be read (a body that is
/// not UTF-8, not a form, or a field of the wrong type) fails before its
/// code runs, and Leptos answers 500. The request was wrong, not the
/// server: such an answer ([`app::error::AppError::Transport`]) becomes
/// 400 (ASVS 4.0 §13.1: malformed input gets a client error).
async fn bad_arguments_are_client_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if matches!(
        serde_json::from_slice::<app::error::AppError>(&bytes),
        Ok(app::error::AppError::Transport { .. })
    ) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Refuses a request body longer than [`MAX_BODY_BYTES`] (the directory
/// upload: its file limit and 64 KiB more) with 413 (ASVS 4.0 §13.1.3):
/// before reading it when `Content-Length` says so (hyper then holds the
/// body to that length), else once the limit is passed while reading it
/// into memory.
async fn limit_request_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let limit = if request.uri().path() == DIRECTORY_UPLOAD_PATH {
        app::schools::admin::MAX_FILE_BYTES + 64 * 1024
    } else {
        MAX_BODY_BYTES
    };
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Requête trop volumineuse. / Request too large.",
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => too_large(),
        Some(_) => next.run(request).await,
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    let body = axum::body::Body::from(bytes);
                    next.run(axum::extract::Request::from_parts(parts, body))
                        .await
                }
                Err(_) => too_large(),
            }
        }
    }
}

/// `scheme://host[:port]` of an absolute URL, as browsers write `Origin`.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    Some(url.origin().ascii_serialization()).filter(|origin| origin != "null")
}

/// Refuses state-changing requests sent by another site (cross-site
/// request forgery; OWASP CSRF Prevention Cheat Sheet, "Verifying Origin
/// with standard headers"), as Go 1.25's `http.CrossOriginProtection` does:
///
/// - `GET`, `HEAD` and `OPTIONS` change nothing here and always pass;
/// - a browser that sends `Sec-Fetch-Site` (all current ones) passes only
///   with `same-origin` (or `none`: typed by the person);
/// - otherwise an `Origin` header must be the platform's public origin or
///   match the `Host` the request was sent to;
/// - a request with neither header is not from a browser that could carry
///   someone's cookies across sites, and passes.
///
/// Login session cookies are also `SameSite=Lax`, which browsers do not
/// send on cross-site POSTs. The refusal is a plain 403.
async fn refuse_cross_origin(
    public_origin: Option<String>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if is_cross_origin_write(&request, public_origin.as_deref()) {
        tracing::warn!(
            path = %logged_path(request.uri().path()),
            origin = ?request.headers().get(header::ORIGIN),
            "cross-origin request refused"
        );
        return (
            StatusCode::FORBIDDEN,
            "Requête refusée : elle vient d’un autre site. / Request refused: it comes from another site.",
        )
            .into_response();
    }
    next.run(request).await
}

/// See [`refuse_cross_origin`].
pub fn is_cross_origin_write<B>(request: &Request<B>, public_origin: Option<&str>) -> bool {
    use axum::http::Method;
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    if public_origin == Some(origin) {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    !(host.is_some() && origin_host == host)
}

/// Removes an incoming request id that is not short and plain, so that what
/// reaches the logs and error pages is either a caller's sane id or ours.
async fn drop_unusable_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    let usable = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .is_some_and(is_usable_request_id);
    if !usable {
        request.headers_mut().remove(REQUEST_ID_HEADER);
    }
    request
}

/// 1 to 64 characters among ASCII letters, digits, `-` and `_`.
pub fn is_usable_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `GET /healthz`: the process is up and answering.
async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers; 503 otherwise, so a load balancer
/// stops sending traffic to this instance.
async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
        Err(_) => {
            tracing::warn!("readiness check: database did not answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
struct SwitchLanguage {
    retour: Option<String>,
}

/// `GET /langue/{code}?retour=/page`: remembers the language in a cookie and
/// sends the visitor back to `retour` (a path on this site only, so the link
/// cannot be used to send people elsewhere). Works without JavaScript.
#[derive(Debug, Deserialize)]
struct GapQuery {
    #[serde(default)]
    debut: String,
}

/// The supply gap of a dry run as a CSV download (coordinators only; see
/// `app::matching::export`). Without a login session: to the sign-in page.
async fn supply_gap_csv(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    Query(query): Query<GapQuery>,
) -> Response {
    download(
        app::matching::export::supply_gap_csv(&state, &session, &query.debut).await,
        &headers,
        CSV,
    )
}

/// `GET /coordination/export/binomes.csv` or `…/seances.csv`: the pairs or
/// the sessions of the coordinator's scope (see
/// `app::coordination::exports`); any other name is not found.
async fn export_csv(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some(what) = app::coordination::exports::Export::from_file(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    download(
        app::coordination::exports::export(&state, &session, what).await,
        &headers,
        CSV,
    )
}

#[derive(Debug, Deserialize)]
struct AttestationQuery {
    #[serde(default)]
    tuteur: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

/// `GET /attestation.pdf?du=…&au=…[&tuteur=N]`: the volunteer attestation
/// as a PDF file (see `app::attestation`); the same rules as its page.
async fn attestation_pdf(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    Query(query): Query<AttestationQuery>,
) -> Response {
    let tutor = query.tuteur.trim().parse().unwrap_or(0);
    let lang = app::i18n::lang_of_headers(&headers);
    let mut response = download(
        app::attestation::pdf_file(&state, &session, lang, tutor, &query.du, &query.au).await,
        &headers,
        "application/pdf",
    );
    // A personal document: kept by no shared cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The query of `/compte/donnees.json`: a parent's child, or nobody
/// (oneself).
#[derive(Debug, Deserialize)]
struct DataExportQuery {
    #[serde(default)]
    eleve: String,
}

/// `/compte/donnees.json[?eleve=N]`: everything the platform holds about
/// the signed-in person (or their child under 15) as a JSON file (GDPR
/// art. 15 and 20).
async fn data_export(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    Query(query): Query<DataExportQuery>,
) -> Response {
    let pupil = query.eleve.trim().parse().unwrap_or(0);
    let mut response = download(
        app::privacy::handlers::export_file(&state, &session, pupil).await,
        &headers,
        "application/json; charset=utf-8",
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    response
}

const CSV: &str = "text/csv; charset=utf-8";

/// A file of `content_type` as a download; signed out, to the sign-in
/// page; an error as its message in the visitor's language (for invalid
/// fields, each field's message).
fn download(
    result: Result<(String, Vec<u8>), app::error::AppError>,
    headers: &axum::http::HeaderMap,
    content_type: &str,
) -> Response {
    match result {
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(app::error::AppError::Unauthenticated) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, "/connexion")]).into_response()
        }
        Err(error) => {
            let lang = app::i18n::lang_of_headers(headers);
            let mut message = app::i18n::text(lang, error.message_key());
            if let app::error::AppError::Invalid { fields } = &error {
                let colon = match lang {
                    app::i18n::Lang::Fr => "\u{202f}:",
                    app::i18n::Lang::En => ":",
                };
                for field in fields {
                    message.push_str(&format!(
                        "\n{}{colon} {}",
                        field.field,
                        app::i18n::text(lang, &field.message_key)
                    ));
                }
            }
            (error.status(), message).into_response()
        }
    }
}

/// `path` as logs show it: the secret of a calendar feed link (the only
/// secret carried in a path) is left out.
pub fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    const FEED: &str = "/calendrier/flux/";
    match path.strip_prefix(FEED) {
        Some(_) => std::borrow::Cow::Owned(format!("{FEED}…")),
        None => std::borrow::Cow::Borrowed(path),
    }
}

/// A user's calendar subscription feed (`<token>.ics`, see
/// `app::sessions::feeds`): no login session, the link's secret is the
/// credential. An unknown or revoked link is a 404.
async fn calendar_feed(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let lang = app::i18n::lang_of_headers(&headers);
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            app::i18n::text(lang, "calendar.feed.not_found"),
        )
            .into_response()
    };
    let Some(token) = file.strip_suffix(".ics").filter(|t| !t.is_empty()) else {
        return not_found();
    };
    match app::sessions::feed_text(&state, token).await {
        Ok(Some(text)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"binome.ics\"",
                ),
            ],
            text,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(error) => {
            tracing::error!(%error, "calendar feed not built");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                app::i18n::text(lang, "errors.internal"),
            )
                .into_response()
        }
    }
}

async fn switch_language(
    Path(code): Path<String>,
    Query(query): Query<SwitchLanguage>,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let target = query
        .retour
        .filter(|path| is_local_path(path))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = cookie::Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .max_age(cookie::time::Duration::seconds(LANG_COOKIE_MAX_AGE_SECONDS))
        .same_site(cookie::SameSite::Lax)
        .build();
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// A path on this site: starts with one `/`, not `//` or `/\` (which
/// browsers read as another host), no control characters.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::{is_cross_origin_write, is_local_path, is_usable_request_id, logged_path};

    fn request(method: &str, headers: &[(&str, &str)]) -> axum::http::Request<()> {
        let mut builder = axum::http::Request::builder()
            .method(method)
            .uri("/api/connexion");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).expect("a valid request")
    }

    #[test]
    fn cross_site_writes_are_refused_and_same_site_ones_pass() {
        let public = Some("https://binome.example.fr");
        let refused = [
            request("POST", &[("sec-fetch-site", "cross-site")]),
            request("POST", &[("sec-fetch-site", "same-site")]),
            request(
                "POST",
                &[
                    ("origin", "https://evil.example"),
                    ("host", "binome.example.fr"),
                ],
            ),
            request("POST", &[("origin", "null"), ("host", "binome.example.fr")]),
            request(
                "DELETE",
                &[("origin", "https://binome.example.fr.evil.example")],
            ),
        ];
        for r in &refused {
            assert!(is_cross_origin_write(r, public), "{:?}", r.headers());
        }
        let passed = [
            request("GET", &[("sec-fetch-site", "cross-site")]),
            request("POST", &[("sec-fetch-site", "same-origin")]),
            request("POST", &[("sec-fetch-site", "none")]),
            request("POST", &[("origin", "https://binome.example.fr")]),
            request(
                "POST",
                &[
                    ("origin", "http://127.0.0.1:3000"),
                    ("host", "127.0.0.1:3000"),
                ],
            ),
            request("POST", &[]),
        ];
        for r in &passed {
            assert!(!is_cross_origin_write(r, public), "{:?}", r.headers());
        }
    }

    #[test]
    fn only_short_plain_request_ids_are_kept() {
        assert!(is_usable_request_id("abc-123_XYZ"));
        assert!(is_usable_request_id(&"a".repeat(64)));
        assert!(!is_usable_request_id(&"a".repeat(65)));
        assert!(!is_usable_request_id(""));
        assert!(!is_usable_request_id("a b"));
        assert!(!is_usable_request_id("<script>"));
    }

    #[test]
    fn feed_secrets_stay_out_of_the_logs() {
        assert_eq!(
            logged_path("/calendrier/flux/AbC-123_xyz.ics"),
            "/calendrier/flux/…"
        );
        assert_eq!(logged_path("/calendrier"), "/calendrier");
    }

    #[test]
    fn only_local_paths_are_accepted_as_return_targets() {
        for ok in ["/", "/tuteurs", "/a?b=c"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a\nb",
        ] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }
}
