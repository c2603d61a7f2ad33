use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{text, use_lang};

/// An error explained to the user in their language, with the request id to
/// quote when the cause is on our side. An error about the whole form
/// (field `form`) says what it is about.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let key = match &error {
        AppError::Invalid { fields } if fields.len() == 1 && fields[0].field == "form" => {
            fields[0].message_key.clone()
        }
        _ => error.message_key().to_owned(),
    };
    let reference = error.request_id().map(str::to_owned);
    view! {
        <p class="error" role="alert">
            {move || text(lang.get(), &key)}
            {reference.map(|id| view! {
                " " {move || text(lang.get(), "errors.reference")} " " <code>{id}</code>
            })}
        </p>
    }
}
