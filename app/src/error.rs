//! The error type of the application layer, shared by server functions and
//! the pages that call them.
//!
//! Each variant has an HTTP status ([`AppError::status`]) and a message key
//! in the locale file ([`AppError::message_key`]): the page shows the message
//! in the visitor's language. Internal causes never travel to the browser:
//! they are logged on the server with the request id, and the browser gets the
//! request id only, so a user's report can be joined to the log.

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One invalid field of a submitted form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The name of the form field, as in the form.
    pub field: String,
    /// The locale key of the message explaining what is wrong.
    pub message_key: String,
}

/// What went wrong, as far as the user needs to know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// Some fields are invalid; nothing was written.
    #[error("invalid input in {} field(s)", fields.len())]
    Invalid { fields: Vec<FieldError> },
    /// The action needs a signed-in user.
    #[error("authentication required")]
    Unauthenticated,
    /// The signed-in user may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The thing asked for does not exist (or is not visible to this user).
    #[error("not found")]
    NotFound,
    /// Too many attempts of this action; try again after the given number
    /// of seconds (also sent as `Retry-After`).
    #[error("too many requests; retry after {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: u64 },
    /// A dependency (the database) is unreachable; retrying later may work.
    #[error("service unavailable")]
    Unavailable { request_id: Option<String> },
    /// A bug or an unexpected failure; details are in the server log.
    #[error("internal error")]
    Internal { request_id: Option<String> },
    /// The call never reached the server function, or its answer could not
    /// be read (network down, malformed arguments).
    #[error("request failed: {message}")]
    Transport { message: String },
}

impl AppError {
    /// One invalid field: `field` (its name in the form) and the locale key
    /// of the message explaining what is wrong.
    pub fn field(field: &str, message_key: &str) -> AppError {
        AppError::Invalid {
            fields: vec![FieldError {
                field: field.to_owned(),
                message_key: message_key.to_owned(),
            }],
        }
    }

    /// Several invalid fields, as `(field, message key)` pairs in form
    /// order.
    pub fn fields(pairs: &[(&str, &str)]) -> AppError {
        AppError::Invalid {
            fields: pairs
                .iter()
                .map(|&(field, message_key)| FieldError {
                    field: field.to_owned(),
                    message_key: message_key.to_owned(),
                })
                .collect(),
        }
    }

    /// The locale key of the message shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } => "errors.invalid",
            AppError::Unauthenticated => "errors.unauthenticated",
            AppError::Forbidden => "errors.forbidden",
            AppError::NotFound => "errors.not_found",
            AppError::TooManyRequests { .. } => "errors.too_many_requests",
            AppError::Unavailable { .. } => "errors.unavailable",
            AppError::Internal { .. } => "errors.internal",
            AppError::Transport { .. } => "errors.transport",
        }
    }

    /// The request id to quote when reporting the problem, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            AppError::Unavailable { request_id } | AppError::Internal { request_id } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// The HTTP status of a response carrying this error.
    #[cfg(feature = "ssr")]
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport { .. } => StatusCode::BAD_REQUEST,
        }
    }

    /// Logs a database failure with its cause and the request id, and turns
    /// it into what the user may see: [`AppError::Unavailable`] when the
    /// database could not be reached, [`AppError::Internal`] otherwise.
    #[cfg(feature = "ssr")]
    pub fn from_db(error: sqlx::Error) -> Self {
        let request_id = crate::request::request_id();
        tracing::error!(request_id = request_id.as_deref(), error = %error, "database error");
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                AppError::Unavailable { request_id }
            }
            _ => AppError::Internal { request_id },
        }
    }

    /// Logs an unexpected failure with its cause and the request id.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let request_id = crate::request::request_id();
        tracing::error!(request_id = request_id.as_deref(), error = %cause, "internal error");
        AppError::Internal { request_id }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport {
            message: value.to_string(),
        }
    }
}

/// Sets the HTTP status of the server function's response from its result
/// (and `Retry-After` for [`AppError::TooManyRequests`]), then passes the
/// result on. Every server function ends with it. Plain form posts keep
/// the redirect back to their form, which shows the error.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    // A plain form post (no JavaScript) is answered with a redirect back to
    // the form, the error in its URL; a status set here would replace the
    // redirect's and leave the browser on the raw error.
    let plain_form_post =
        leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
    if let (Err(error), false) = (&result, plain_form_post) {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(error.status());
            if let AppError::TooManyRequests {
                retry_after_seconds,
            } = error
            {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(*retry_after_seconds),
                );
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_the_wire_format() {
        let errors = [
            AppError::Invalid {
                fields: vec![FieldError {
                    field: "email".into(),
                    message_key: "fields.email.invalid".into(),
                }],
            },
            AppError::Internal {
                request_id: Some("abc".into()),
            },
            AppError::NotFound,
        ];
        for error in errors {
            let json = serde_json::to_string(&error).expect("serialises");
            let back: AppError = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, error);
        }
    }

    #[test]
    fn internal_details_are_not_part_of_the_wire_format() {
        let json = serde_json::to_value(AppError::Internal {
            request_id: Some("req-1".into()),
        })
        .expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"kind": "internal", "request_id": "req-1"})
        );
    }
}
