//! `/connexion/code`: the second step of a coordinator's or an
//! administrator's sign-in (see [`crate::accounts::second_factor`]): the
//! first time, adding the secret to an authenticator app; then a code.
//! `/connexion/codes-de-secours`: the recovery codes, shown once.
//! `/compte/double-authentification`: a signed-in staff member's second
//! factor, and new recovery codes.

use leptos::prelude::*;

use crate::accounts::second_factor::{
    fields, my_second_factor, second_factor_step, take_recovery_codes, RenewRecoveryCodes, Step,
    VerifySecondFactor, RECOVERY_CODES,
};
use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, loaded, other_error, Field, FormErrors};
use crate::i18n::{date_text, text, tr, use_lang};

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let step = Resource::new(|| (), |_| second_factor_step());
    let action = ServerAction::<VerifySecondFactor>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    let form = move || {
        view! {
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                <Field name=fields::CODE label="second_factor.code" autocomplete="one-time-code"
                    hint="second_factor.code_hint" maxlength=20 errors/>
                <button type="submit" class="primary" data-testid="second-factor-submit">
                    {tr("second_factor.submit")}
                </button>
            </ActionForm>
        }
    };
    view! {
        <section class="narrow" aria-labelledby="second-factor-title">
            <h1 id="second-factor-title">{tr("second_factor.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || step.get().map(|result| loaded(result, move |step| match step {
                    Step::Code { demo_code } => view! {
                        <p>{tr("second_factor.lead")}</p>
                        {demo_code.map(|code| view! {
                            <p class="hint" data-testid="demo-code">{tr("second_factor.demo")} " " <code>{code}</code></p>
                        })}
                        {form()}
                    }.into_any(),
                    Step::Enrol { key, address: _, qr_svg } => view! {
                        <p>{tr("second_factor.enrol_lead")}</p>
                        <ol>
                            <li>{tr("second_factor.enrol_app")}</li>
                            <li>{tr("second_factor.enrol_scan")}</li>
                            <li>{tr("second_factor.enrol_type")}</li>
                        </ol>
                        <div class="qr" role="img" aria-label=tr("second_factor.qr_label") inner_html=qr_svg></div>
                        <p>{tr("second_factor.key")} " " <code data-testid="totp-key">{key}</code></p>
                        {form()}
                    }.into_any(),
                }))}
            </Suspense>
        </section>
    }
}

#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| take_recovery_codes());
    view! {
        <section class="narrow" aria-labelledby="recovery-title">
            <h1 id="recovery-title">{tr("second_factor.codes_title")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || codes.get().map(|result| loaded(result, |codes| {
                    if codes.is_empty() {
                        return view! { <p>{tr("second_factor.codes_gone")}</p> }.into_any();
                    }
                    view! {
                        <p>{tr("second_factor.codes_lead")}</p>
                        <ul class="recovery-codes" data-testid="recovery-codes">
                            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Suspense>
            <p><a class="button" href="/compte" data-testid="recovery-continue">{tr("second_factor.continue")}</a></p>
        </section>
    }
}

/// `/compte/double-authentification`: since when the second factor is on,
/// how many recovery codes are left, and the form that replaces them.
#[component]
pub fn ManageSecondFactorPage() -> impl IntoView {
    let lang = use_lang();
    let status = Resource::new(|| (), |_| my_second_factor());
    let action = ServerAction::<RenewRecoveryCodes>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="manage-second-factor-title">
            <h1 id="manage-second-factor-title">{tr("second_factor.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || status.get().map(|result| loaded(result, move |status| {
                    let left = status.recovery_codes_left.to_string();
                    view! {
                        <dl class="facts">
                            <dt>{tr("second_factor.status_since")}</dt>
                            <dd>{move || date_text(lang.get(), &status.enrolled_on)}</dd>
                            <dt>{tr("second_factor.codes_left")}</dt>
                            <dd data-testid="recovery-codes-left">
                                {move || text(lang.get(), "second_factor.codes_left_count")
                                    .replace("%{left}", &left)
                                    .replace("%{total}", &RECOVERY_CODES.to_string())}
                            </dd>
                        </dl>
                        <h2>{tr("second_factor.renew_title")}</h2>
                        <p>{tr("second_factor.renew_lead")}</p>
                        <FormErrors errors/>
                        {move || other.get().map(|error| view! { <ErrorMessage error/> })}
                        <ActionForm action attr:novalidate=true>
                            <Field name=fields::CODE label="second_factor.code" autocomplete="one-time-code"
                                hint="second_factor.renew_code_hint" maxlength=20 errors/>
                            <button type="submit" class="primary" data-testid="renew-recovery-codes">
                                {tr("second_factor.renew_submit")}
                            </button>
                        </ActionForm>
                        <p class="hint">{tr("second_factor.lost_phone")}</p>
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}
