//! `/attestation?du=…&au=…[&tuteur=N]`: the volunteer attestation, a
//! printable page (the browser's "print" saves it as PDF). A tutor's own;
//! a coordinator's for a tutor of their scope. The period form is a plain
//! GET form: no JavaScript needed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::attestation::{fields, volunteer_attestation, wording, Attestation};
use crate::components::error_message::ErrorMessage;
use crate::components::form::FieldErrorList;
use crate::error::AppError;
use crate::i18n::{text, tr, use_lang};

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

/// The attestation itself, in the reader's language, with the link to
/// the same as a PDF file.
#[component]
fn Sheet(found: Attestation) -> impl IntoView {
    let lang = use_lang();
    let pdf = format!(
        "/attestation.pdf?du={}&au={}&tuteur={}",
        found.from, found.to, found.tutor_id
    );
    move || {
        let words = wording(&found, lang.get());
        view! {
            <article class="attestation" data-testid="attestation">
                <p>{words.body}</p>
                <dl class="facts">
                    {words.facts.into_iter().map(|(key, label, value)| view! {
                        <dt>{label}</dt>
                        <dd data-testid=format!("attestation-{key}")>{value}</dd>
                    }).collect_view()}
                </dl>
                <p class="meta">{words.issued}</p>
            </article>
            <p class="no-print">
                <a href=pdf.clone() download data-testid="attestation-pdf">{text(lang.get(), "attestation.pdf")}</a>
            </p>
        }
    }
}
