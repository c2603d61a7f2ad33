use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::accounts::api::signed_in;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::tr;
use crate::pages::account::SignOutButton;

/// The banner at the top of every page: the platform's name, the account
/// links and the language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-name" href="/">{tr("site.name")}</a>
            <AccountLinks/>
            <LanguageSwitch/>
        </header>
    }
}

/// "Sign in" and "Sign up", or the signed-in person's account and "Sign
/// out". Asked again at each navigation, since signing in or out changes it.
#[component]
fn AccountLinks() -> impl IntoView {
    let location = use_location();
    let user = Resource::new(move || location.pathname.get(), |_| signed_in());
    view! {
        <nav class="account-links" aria-label=tr("accounts.nav_label")>
            <Suspense fallback=|| ()>
                {move || user.get().map(|result| match result {
                    Ok(Some(user)) => view! {
                        // Parents have no name on the platform.
                        <a href="/compte" data-testid="account-link">
                            {if user.first_name.is_empty() {
                                tr("accounts.account.title").into_any()
                            } else {
                                user.first_name.into_any()
                            }}
                        </a>
                        <SignOutButton/>
                    }.into_any(),
                    _ => view! {
                        <a href="/connexion" data-testid="sign-in-link">{tr("accounts.sign_in.link")}</a>
                        <a href="/inscription">{tr("accounts.sign_up.link")}</a>
                    }.into_any(),
                })}
            </Suspense>
        </nav>
    }
}
