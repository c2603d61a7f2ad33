use leptos::prelude::*;

use leptos_meta::Title;

use crate::i18n::tr;

/// Shown for any path no route matches, with a 404 status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr("not_found.title")/>
        <h1>{tr("not_found.title")}</h1>
        <p>
            <a href="/">{tr("not_found.back_home")}</a>
        </p>
    }
}
