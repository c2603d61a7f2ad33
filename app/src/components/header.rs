use leptos::prelude::*;

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::tr;

/// The banner at the top of every page: the platform's name and the
/// language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-name" href="/">{tr("site.name")}</a>
            <LanguageSwitch/>
        </header>
    }
}
