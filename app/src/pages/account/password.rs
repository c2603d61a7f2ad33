use leptos::prelude::*;

use crate::accounts::api::{fields, RequestPasswordReset, ResetPassword};
use crate::accounts::PASSWORD_MAX_CHARS;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    field_errors, link_token, other_error, Field, FormErrors, LinkInvalid,
};
use crate::i18n::tr;

/// `/mot-de-passe/oubli`: ask for a link to choose a new password.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{tr("accounts.forgot.title")}</h1>
            <p>{tr("accounts.forgot.lead")}</p>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                <Field name=fields::EMAIL label="accounts.field.email" kind="email"
                    autocomplete="email" errors/>
                <button type="submit" class="primary" data-testid="forgot-submit">
                    {tr("accounts.forgot.submit")}
                </button>
            </ActionForm>
        </section>
    }
}

/// `/mot-de-passe/envoye`: after asking for a link.
#[component]
pub fn ResetSentPage() -> impl IntoView {
    view! {
        <section class="narrow" aria-labelledby="reset-sent-title">
            <h1 id="reset-sent-title">{tr("accounts.forgot.sent_title")}</h1>
            <p data-testid="reset-sent">{tr("accounts.forgot.sent_body")}</p>
        </section>
    }
}

/// `/mot-de-passe/nouveau?jeton=…`: choose a new password with the emailed
/// link.
#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    let token = link_token();
    let link_invalid = move || errors.get().iter().any(|e| e.field == fields::TOKEN);
    view! {
        <section class="narrow" aria-labelledby="new-password-title">
            <h1 id="new-password-title">{tr("accounts.new_password.title")}</h1>
            {move || if link_invalid() {
                view! { <LinkInvalid href="/mot-de-passe/oubli" label="accounts.new_password.ask_again"/> }.into_any()
            } else {
                view! { <FormErrors errors/> }.into_any()
            }}
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                <input type="hidden" name=fields::TOKEN value=token/>
                <Field name=fields::PASSWORD label="accounts.field.new_password" kind="password"
                    autocomplete="new-password" errors hint="accounts.field.new_password_hint"
                    maxlength=PASSWORD_MAX_CHARS as u32/>
                <button type="submit" class="primary" data-testid="new-password-submit">
                    {tr("accounts.new_password.submit")}
                </button>
            </ActionForm>
        </section>
    }
}
