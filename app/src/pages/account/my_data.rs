//! `/compte/donnees[?eleve=N]`: the data the platform holds about the
//! signed-in person (or a parent's child under 15), to read and to
//! download, and the erasure of the account (see [`crate::privacy`]).
//! `/compte/supprime`: what the person reads once it is done.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, loaded, message_of, other_error, FormErrors};
use crate::i18n::{text, tr, use_lang};
use crate::privacy::{fields, my_data, EraseAccount, PersonalData, Section};

/// The query parameter naming the child a parent acts for.
pub const CHILD_QUERY: &str = "eleve";

#[component]
pub fn MyDataPage() -> impl IntoView {
    let query = use_query_map();
    let pupil = move || {
        query
            .read()
            .get(CHILD_QUERY)
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(pupil, my_data);
    view! {
        <section class="narrow" aria-labelledby="data-title">
            <h1 id="data-title">{tr("privacy.data.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || data.get().map(|result| loaded(result, |data| view! { <Data data/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Data(data: PersonalData) -> impl IntoView {
    let download = if data.pupil_id == 0 {
        "/compte/donnees.json".to_owned()
    } else {
        format!("/compte/donnees.json?{CHILD_QUERY}={}", data.pupil_id)
    };
    let can_erase = data.can_erase;
    let pupil_id = data.pupil_id;
    view! {
        <p data-testid="data-whose">{data.name.clone()}</p>
        <p>{tr("privacy.data.lead")}</p>
        <p>
            <a href=download download="" data-testid="data-download">{tr("privacy.data.download")}</a>
        </p>
        {data.sections.into_iter().map(|section| view! { <SectionTable section/> }).collect_view()}
        {if can_erase {
            view! { <EraseForm pupil_id/> }.into_any()
        } else {
            view! { <p class="hint" data-testid="data-staff">{tr("privacy.erase.staff")}</p> }.into_any()
        }}
    }
}

/// One table's rows, each a list of its values.
#[component]
fn SectionTable(section: Section) -> impl IntoView {
    let lang = use_lang();
    let key = format!("privacy.tables.{}", section.table);
    let table = section.table.clone();
    let columns = section.columns;
    view! {
        <section class="data-section" data-testid=format!("data-{table}")>
            <h2>{move || text(lang.get(), &key)}</h2>
            {section.rows.into_iter().map(|row| view! {
                <dl class="facts">
                    {columns.iter().zip(row).map(|(column, value)| view! {
                        <dt><code>{column.clone()}</code></dt>
                        <dd>{value.shown()}</dd>
                    }).collect_view()}
                </dl>
            }).collect_view()}
        </section>
    }
}

/// The erasure form: the reader types their own address to confirm.
#[component]
fn EraseForm(pupil_id: i64) -> impl IntoView {
    let lang = use_lang();
    let erase = ServerAction::<EraseAccount>::new();
    let errors = field_errors(erase);
    let other = other_error(erase);
    let error_id = "champ-confirmer-erreur";
    view! {
        <section class="danger-zone" aria-labelledby="erase-title">
            <h2 id="erase-title">{tr(if pupil_id == 0 { "privacy.erase.title" } else { "privacy.erase.title_child" })}</h2>
            <p>{tr("privacy.erase.lead")}</p>
            <ul>
                <li>{tr("privacy.erase.goes")}</li>
                <li>{tr("privacy.erase.pairs")}</li>
                <li>{tr("privacy.erase.stays")}</li>
            </ul>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action=erase attr:novalidate=true>
                <input type="hidden" name=fields::PUPIL value=pupil_id.to_string()/>
                <div class="field">
                    <label for="champ-confirmer">{tr("privacy.erase.confirm")}</label>
                    <input id="champ-confirmer" type="email" name=fields::CONFIRM autocomplete="off"
                        data-testid="erase-confirm"
                        aria-invalid=move || message_of(&errors.get(), fields::CONFIRM).map(|_| "true")
                        aria-describedby=move || message_of(&errors.get(), fields::CONFIRM).map(|_| error_id)/>
                    {move || message_of(&errors.get(), fields::CONFIRM).map(|key| view! {
                        <p class="field-error" id=error_id>{text(lang.get(), &key)}</p>
                    })}
                </div>
                <button type="submit" class="danger" data-testid="erase-submit">{tr("privacy.erase.submit")}</button>
            </ActionForm>
        </section>
    }
}

/// `/compte/supprime`: the account is erased.
#[component]
pub fn ErasedPage() -> impl IntoView {
    view! {
        <section class="narrow" aria-labelledby="erased-title">
            <h1 id="erased-title">{tr("privacy.erased.title")}</h1>
            <p data-testid="erased">{tr("privacy.erased.body")}</p>
            <p><a href="/">{tr("privacy.erased.home")}</a></p>
        </section>
    }
}
