//! The account pages: sign up, confirm, sign in, forgot and new password,
//! and the account's own page.

pub mod password;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::accounts::api::{signed_in, SignOut};
use crate::components::error_message::ErrorMessage;
use crate::i18n::{text, tr, use_lang};

/// `/compte`: who is signed in, and the way out. Anonymous visitors are
/// sent to the sign-in page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| signed_in());
    let lang = use_lang();
    view! {
        <section class="narrow" aria-labelledby="account-title">
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || user.get().map(|result| match result {
                    Ok(Some(user)) => {
                        let role = user.role.label_key();
                        view! {
                            <h1 id="account-title">
                                {move || text(lang.get(), "accounts.account.title")}
                            </h1>
                            <p data-testid="account-greeting">
                                {format!("{} {}", user.first_name, user.last_name)}
                            </p>
                            <dl class="facts">
                                <dt>{tr("accounts.account.email")}</dt>
                                <dd>{user.email.clone()}</dd>
                                <dt>{tr("accounts.account.role")}</dt>
                                <dd data-testid="account-role">{move || text(lang.get(), role)}</dd>
                            </dl>
                            <SignOutButton/>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <Redirect path="/connexion"/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// A button that signs out (a form, so it works without JavaScript).
#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <button type="submit" class="link-button" data-testid="sign-out">
                {tr("accounts.sign_out")}
            </button>
        </ActionForm>
    }
}
