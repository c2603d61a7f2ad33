//! What the server knows about the request being handled, for code that runs
//! inside Leptos rendering or a server function.

use http::request::Parts;
use leptos::prelude::use_context;

use crate::i18n::{lang_of_headers, Lang};

/// Header carrying the request id set by the server's middleware.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The language of the current request (French when there is none).
pub fn lang_of_request() -> Lang {
    use_context::<Parts>()
        .map(|parts| lang_of_headers(&parts.headers))
        .unwrap_or_default()
}

/// The id the server gave the current request, to join a user's report to
/// the log lines of the same request.
pub fn request_id() -> Option<String> {
    use_context::<Parts>().and_then(|parts| {
        parts
            .headers
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    })
}
