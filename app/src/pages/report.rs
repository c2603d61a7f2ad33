//! `/signaler?eleve=…` or `/signaler?binome=…`: reporting a problem to the
//! coordinators, about a parent's child or from a match.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    error_id, field_errors, has_error, other_error, FieldMessage, FormErrors,
};
use crate::i18n::tr;
use crate::pupils::api::{fields, ReportProblem};

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let pupil = move || query.read().get("eleve").unwrap_or_default();
    let pair = move || query.read().get("binome").unwrap_or_default();
    let action = ServerAction::<ReportProblem>::new();
    let errors = field_errors(action);
    let other = other_error(action);

    view! {
        <section class="narrow" aria-labelledby="report-title">
            <h1 id="report-title">{tr("reports.title")}</h1>
            <p>{tr("reports.lead")}</p>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                {move || (!pupil().is_empty()).then(|| view! { <input type="hidden" name="pupil_id" value=pupil/> })}
                {move || (!pair().is_empty()).then(|| view! { <input type="hidden" name="match_id" value=pair/> })}
                <div class="field">
                    <label for="champ-body">{tr("reports.body")}</label>
                    <textarea id="champ-body" name=fields::BODY rows="6" maxlength="4000"
                        aria-invalid=has_error(errors, fields::BODY) aria-describedby=error_id(errors, fields::BODY)></textarea>
                    <FieldMessage field=fields::BODY errors/>
                </div>
                <button type="submit" class="primary" data-testid="report-submit">{tr("reports.submit")}</button>
            </ActionForm>
        </section>
    }
}

/// `/signaler/envoye`: after a report.
#[component]
pub fn ReportSentPage() -> impl IntoView {
    view! {
        <section class="narrow" aria-labelledby="report-sent-title">
            <h1 id="report-sent-title">{tr("reports.title")}</h1>
            <p class="success" role="status" data-testid="report-sent">{tr("reports.sent")}</p>
            <p><a href="/compte">{tr("accounts.account.title")}</a></p>
        </section>
    }
}
