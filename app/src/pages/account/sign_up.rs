use leptos::prelude::*;

use crate::accounts::api::{fields, ConfirmEmail, SignUp};
use crate::accounts::names::NAME_MAX_CHARS;
use crate::accounts::PASSWORD_MAX_CHARS;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    field_errors, link_token, other_error, Field, FormErrors, LinkInvalid,
};
use crate::i18n::{text, tr, use_lang};

/// `/inscription`: a pupil or a tutor creates an account.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    let lang = use_lang();
    let role_error = move || {
        errors
            .get()
            .into_iter()
            .find(|e| e.field == fields::ROLE)
            .map(|e| e.message_key)
    };
    view! {
        <section class="narrow" aria-labelledby="sign-up-title">
            <h1 id="sign-up-title">{tr("accounts.sign_up.title")}</h1>
            <p>{tr("accounts.sign_up.lead")}</p>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                <fieldset
                    class="field"
                    aria-invalid=move || role_error().is_some().then_some("true")
                    aria-describedby=move || role_error().is_some().then_some("champ-role-erreur")
                >
                    <legend>{tr("accounts.sign_up.role")}</legend>
                    <label class="choice">
                        <input type="radio" name=fields::ROLE value="pupil" required/>
                        {tr("accounts.sign_up.role_pupil")}
                    </label>
                    <label class="choice">
                        <input type="radio" name=fields::ROLE value="tutor"/>
                        {tr("accounts.sign_up.role_tutor")}
                    </label>
                    {move || role_error().map(|key| view! {
                        <p class="field-error" id="champ-role-erreur">{text(lang.get(), &key)}</p>
                    })}
                </fieldset>
                <Field name=fields::FIRST_NAME label="accounts.field.first_name"
                    autocomplete="given-name" errors maxlength=NAME_MAX_CHARS as u32/>
                <Field name=fields::LAST_NAME label="accounts.field.last_name"
                    autocomplete="family-name" errors maxlength=NAME_MAX_CHARS as u32/>
                <Field name=fields::EMAIL label="accounts.field.email" kind="email"
                    autocomplete="email" errors hint="accounts.field.email_hint"/>
                <Field name=fields::PASSWORD label="accounts.field.new_password" kind="password"
                    autocomplete="new-password" errors hint="accounts.field.new_password_hint"
                    maxlength=PASSWORD_MAX_CHARS as u32/>
                <button type="submit" class="primary" data-testid="sign-up-submit">
                    {tr("accounts.sign_up.submit")}
                </button>
            </ActionForm>
            <p>
                {tr("accounts.sign_up.have_account")} " "
                <a href="/connexion">{tr("accounts.sign_in.link")}</a>
            </p>
        </section>
    }
}

/// `/inscription/envoyee`: after signing up.
#[component]
pub fn SignUpSentPage() -> impl IntoView {
    view! {
        <section class="narrow" aria-labelledby="sent-title">
            <h1 id="sent-title">{tr("accounts.sign_up.sent_title")}</h1>
            <p data-testid="sign-up-sent">{tr("accounts.sign_up.sent_body")}</p>
            <p>{tr("accounts.sign_up.sent_spam")}</p>
        </section>
    }
}

/// `/inscription/confirmer?jeton=…`: the link of the confirmation email.
/// Confirming takes a click, not just the visit: mail filters that open
/// links to scan them must not use up the link.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    let token = link_token();
    let link_invalid = move || errors.get().iter().any(|e| e.field == fields::TOKEN);
    view! {
        <section class="narrow" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{tr("accounts.confirm.title")}</h1>
            {move || link_invalid().then(|| view! { <LinkInvalid href="/connexion" label="accounts.confirm.sign_in_for_new_link"/> })}
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <p>{tr("accounts.confirm.lead")}</p>
            <ActionForm action>
                <input type="hidden" name=fields::TOKEN value=token/>
                <button type="submit" class="primary" data-testid="confirm-submit">
                    {tr("accounts.confirm.submit")}
                </button>
            </ActionForm>
        </section>
    }
}
