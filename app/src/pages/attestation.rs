//! `/attestation?du=…&au=…[&tuteur=N]`: the volunteer attestation, a
//! printable page (the browser's "print" saves it as PDF). A tutor's own;
//! a coordinator's for a tutor of their scope. The period form is a plain
//! GET form: no JavaScript needed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::attestation::{fields, volunteer_attestation, Attestation};
use crate::components::error_message::ErrorMessage;
use crate::components::form::FieldErrorList;
use crate::error::AppError;
use crate::i18n::{date_text, text, tr, use_lang};
use crate::subjects::subject;

#[component]
pub fn AttestationPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |name: &str| query.read().get(name).unwrap_or_default();
    let wanted = move || (get(fields::TUTOR), get(fields::FROM), get(fields::TO));
    let attestation = Resource::new(wanted, |(tutor, from, to)| async move {
        if from.is_empty() && to.is_empty() {
            return None;
        }
        Some(volunteer_attestation(tutor.parse().unwrap_or(0), from, to).await)
    });
    view! {
        <section class="narrow" aria-labelledby="attestation-title">
            <h1 id="attestation-title">{tr("attestation.title")}</h1>
            <form method="get" action="/attestation" class="no-print" data-testid="attestation-form">
                {move || {
                    let tutor = get(fields::TUTOR);
                    (!tutor.is_empty()).then(|| view! { <input type="hidden" name=fields::TUTOR value=tutor/> })
                }}
                <p>{tr("attestation.lead")}</p>
                <div class="field">
                    <label for="champ-du">{tr("attestation.from")}</label>
                    <input id="champ-du" type="date" name=fields::FROM value=move || get(fields::FROM) data-testid="attestation-from"/>
                </div>
                <div class="field">
                    <label for="champ-au">{tr("attestation.to")}</label>
                    <input id="champ-au" type="date" name=fields::TO value=move || get(fields::TO) data-testid="attestation-to"/>
                </div>
                <button type="submit" class="primary" data-testid="attestation-submit">{tr("attestation.submit")}</button>
            </form>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || attestation.get().flatten().map(|result| match result {
                    Ok(found) => view! { <Sheet found/> }.into_any(),
                    Err(AppError::Invalid { fields }) => {
                        let errors = Signal::derive(move || fields.clone());
                        view! { <FieldErrorList errors/> }.into_any()
                    }
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                })}
            </Suspense>
            <p class="no-print hint">{move || text(lang.get(), "attestation.print")}</p>
        </section>
    }
}

/// The attestation itself.
#[component]
fn Sheet(found: Attestation) -> impl IntoView {
    let lang = use_lang();
    let hours = crate::i18n::hours_minutes(found.minutes);
    let subjects = found.subjects.clone();
    let academies = crate::academies::academy_names(&found.academies);
    let Attestation {
        tutor_name,
        institution,
        field_of_study,
        from,
        to,
        sessions,
        pupils,
        issued_on,
        issued_by,
        ..
    } = found;
    let body = {
        let (tutor_name, from, to) = (tutor_name.clone(), from.clone(), to.clone());
        move || {
            text(lang.get(), "attestation.body")
                .replace("%{name}", &tutor_name)
                .replace("%{from}", &date_text(lang.get(), &from))
                .replace("%{to}", &date_text(lang.get(), &to))
                .replace("%{academies}", &academies)
        }
    };
    view! {
        <article class="attestation" data-testid="attestation">
            <p>{body}</p>
            <dl class="facts">
                <dt>{tr("attestation.student")}</dt>
                <dd>{format!("{tutor_name} — {institution}, {field_of_study}")}</dd>
                <dt>{tr("attestation.sessions")}</dt>
                <dd data-testid="attestation-sessions">{sessions}</dd>
                <dt>{tr("attestation.hours")}</dt>
                <dd data-testid="attestation-hours">{hours}</dd>
                <dt>{tr("attestation.pupils")}</dt>
                <dd data-testid="attestation-pupils">{pupils}</dd>
                <dt>{tr("attestation.subjects")}</dt>
                <dd data-testid="attestation-subjects">{move || subjects.iter()
                    .map(|code| subject(code).map_or(code.clone(), |s| s.label(lang.get()).to_owned()))
                    .collect::<Vec<_>>()
                    .join(", ")}</dd>
            </dl>
            <p class="meta">
                {move || match &issued_by {
                    Some(by) => text(lang.get(), "attestation.issued_by")
                        .replace("%{by}", by)
                        .replace("%{on}", &date_text(lang.get(), &issued_on)),
                    None => text(lang.get(), "attestation.issued_self")
                        .replace("%{on}", &date_text(lang.get(), &issued_on)),
                }}
            </p>
        </article>
    }
}
