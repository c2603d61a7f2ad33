use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{text, tr, use_lang};

/// A link to the other language.
///
/// Without JavaScript it goes to `/langue/{code}?retour={page}`, where the
/// server remembers the choice in a cookie and sends the visitor back. Once
/// the page is hydrated, a click switches the language in place, without a
/// reload, and remembers it the same way.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let href = move || {
        let mut page = location.pathname.get();
        let search = location.search.get();
        if !search.is_empty() {
            page.push('?');
            page.push_str(&search);
        }
        let back: String = form_urlencoded::byte_serialize(page.as_bytes()).collect();
        format!("/langue/{}?retour={back}", lang.get().other().code())
    };
    let switch = move |event: leptos::ev::MouseEvent| {
        // Ctrl-, Shift-, middle-click…: the browser opens the link elsewhere.
        let modified = event.button() != 0
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
            || event.alt_key();
        if modified {
            return;
        }
        event.prevent_default();
        let other = lang.get_untracked().other();
        lang.set(other);
        #[cfg(feature = "hydrate")]
        crate::i18n::remember_lang_in_browser(other);
    };
    view! {
        <nav class="language-switch" aria-label=tr("language.nav_label")>
            <a
                href=href
                hreflang=move || lang.get().other().code()
                lang=move || lang.get().other().code()
                on:click=switch
                data-testid="language-switch"
            >
                {move || text(lang.get().other(), "language.name")}
            </a>
        </nav>
    }
}
