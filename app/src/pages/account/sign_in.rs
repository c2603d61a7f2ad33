use leptos::prelude::*;

use crate::accounts::api::{fields, SignIn};
use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, other_error, Field, FormErrors};
use crate::i18n::tr;

/// `/connexion`: sign in with an address and a password.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{tr("accounts.sign_in.title")}</h1>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                <Field name=fields::EMAIL label="accounts.field.email" kind="email"
                    autocomplete="username" errors/>
                <Field name=fields::PASSWORD label="accounts.field.password" kind="password"
                    autocomplete="current-password" errors/>
                <button type="submit" class="primary" data-testid="sign-in-submit">
                    {tr("accounts.sign_in.submit")}
                </button>
            </ActionForm>
            <p><a href="/mot-de-passe/oubli">{tr("accounts.sign_in.forgot")}</a></p>
            <p>
                {tr("accounts.sign_in.no_account")} " "
                <a href="/inscription">{tr("accounts.sign_up.link")}</a>
            </p>
        </section>
    }
}
