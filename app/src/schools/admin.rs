//! Importing the school directory from the administrators' page
//! (`/administration/etablissements`): the same all-or-nothing import as
//! `binome import schools`, from an uploaded file.
//!
//! The form is a plain multipart POST, with or without JavaScript; the
//! server answers with a redirect to the page, the outcome in its query
//! (`total`, `nouvelles`, `modifiees`, `inchangees`, or `erreurs` and up to
//! [`PROBLEMS_SHOWN`] `probleme` lines).

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;

/// Largest file accepted, in bytes (the whole of France's lycées is about
/// 1 MB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Problems listed on the page (all are counted).
pub const PROBLEMS_SHOWN: usize = 20;

/// Imports the uploaded directory file (field `file`). Administrators only.
/// Written to the audit log when something was imported.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles;
/// [`AppError::Invalid`] on `file` when it is missing, too large or not
/// UTF-8. Bad rows are not an error: the redirect lists them, and nothing
/// was imported.
#[server(input = MultipartFormData, prefix = "/api", endpoint = "administration/etablissements")]
pub async fn import_directory(data: MultipartData) -> Result<(), AppError> {
    crate::error::respond(handlers::import(data).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use leptos::server_fn::codec::MultipartData;

    use super::{MAX_FILE_BYTES, PROBLEMS_SHOWN};
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::error::AppError;
    use crate::schools::directory::{self, ImportError};

    fn query(pairs: &[(&str, String)]) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            serializer.append_pair(key, value);
        }
        serializer.finish()
    }

    pub async fn import(data: MultipartData) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Administrator]).await?;
        let mut multipart = data
            .into_inner()
            .ok_or_else(|| AppError::internal("multipart data missing on the server"))?;
        let mut bytes = Vec::new();
        let mut found = false;
        // A broken upload is an error, never a shorter file.
        let unreadable = |_| AppError::field("file", "errors.file.unreadable");
        while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
            if field.name() != Some("file") {
                continue;
            }
            found = true;
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    return Err(AppError::field("file", "errors.file.too_large"));
                }
                bytes.extend_from_slice(&chunk);
            }
        }
        if !found || bytes.is_empty() {
            return Err(AppError::field("file", "errors.file.missing"));
        }
        let now = state.clock.now();
        let lang = crate::request::lang_of_request();
        let outcome = directory::check(&state.db, bytes.as_slice()).await;
        let target = match outcome {
            Ok(records) => {
                // The schools and the audit entry, in one transaction.
                let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
                let report = directory::write(&mut tx, &records, now, &mut |_, _| {})
                    .await
                    .map_err(AppError::from_db)?;
                let details = format!(
                    "total={}, inserted={}, updated={}, unchanged={}",
                    report.total, report.inserted, report.updated, report.unchanged
                );
                record(
                    &mut tx,
                    &AuditActor::from(&actor),
                    now,
                    "schools.import",
                    ("schools", "directory"),
                    &details,
                )
                .await
                .map_err(AppError::from_db)?;
                tx.commit().await.map_err(AppError::from_db)?;
                query(&[
                    ("total", report.total.to_string()),
                    ("nouvelles", report.inserted.to_string()),
                    ("modifiees", report.updated.to_string()),
                    ("inchangees", report.unchanged.to_string()),
                ])
            }
            Err(ImportError::Rows(errors)) => {
                let mut pairs = vec![("erreurs", errors.len().to_string())];
                pairs.extend(
                    errors
                        .iter()
                        .take(PROBLEMS_SHOWN)
                        .map(|error| ("probleme", error.describe(lang))),
                );
                query(&pairs)
            }
            Err(ImportError::Database(error)) => return Err(AppError::from_db(error)),
        };
        leptos_axum::redirect(&format!("/administration/etablissements?{target}"));
        Ok(())
    }
}
