//! The administrator's pages: coordinators (list and invitation) and the
//! audit log.

use leptos::prelude::*;

use crate::academies::list_regions;
use crate::accounts::second_factor::ResetSecondFactor;
use crate::audit::audit_entries;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    error_id, field_errors, has_error, loaded, other_error, Field, FieldMessage, FormErrors,
};
use crate::coordination::admin::{fields, list_coordinators, CreateCoordinator};
use crate::i18n::{text, tr, use_lang};
use crate::mail::console::{outbox_view, RetryEmails};

/// `/administration`: the coordinators, and the form that invites one.
#[component]
pub fn AdministrationPage() -> impl IntoView {
    let action = ServerAction::<CreateCoordinator>::new();
    let reset = ServerAction::<ResetSecondFactor>::new();
    // Read again after each invitation or reset (with JavaScript the page
    // stays).
    let coordinators = Resource::new(
        move || (action.version().get(), reset.version().get()),
        |_| list_coordinators(),
    );
    let reset_done = move || matches!(reset.value().get(), Some(Ok(())));
    let reset_error = other_error(reset);
    let regions = Resource::new(|| (), |_| list_regions());
    let lang = use_lang();
    let invited = move || matches!(action.value().get(), Some(Ok(())));
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section aria-labelledby="admin-title">
            <h1 id="admin-title">{tr("admin.title")}</h1>
            <ul>
                <li><a href="/administration/journal">{tr("accounts.account.audit")}</a></li>
                <li><a href="/administration/courriels">{tr("admin.outbox.title")}</a></li>
                <li><a href="/administration/etablissements">{tr("admin.import.title")}</a></li>
                <li><a href="/administration/registre">{tr("privacy.register.title")}</a></li>
                <li><a href="/administration/conservation">{tr("privacy.retention.title")}</a></li>
            </ul>
            <h2>{tr("admin.coordinators")}</h2>
            {move || reset_done().then(|| view! { <p class="success" role="status" data-testid="second-factor-reset">{tr("admin.second_factor_reset_done")}</p> })}
            {move || reset_error.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || coordinators.get().map(|result| loaded(result, |list| view! {
                    <div class="table-wrap">
                        <table data-testid="coordinators">
                            <thead><tr>
                                <th scope="col">{tr("coordination.name")}</th>
                                <th scope="col">{tr("accounts.account.email")}</th>
                                <th scope="col">{tr("admin.scope")}</th>
                                <th scope="col">{tr("admin.second_factor")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|c| {
                                    let name = format!("{} {}", c.first_name, c.last_name);
                                    view! {
                                        <tr>
                                            <td>{name.clone()}</td>
                                            <td>{c.email}</td>
                                            <td>{crate::academies::academy_names(&c.academies)}</td>
                                            <td>
                                                {if c.second_factor {
                                                    view! {
                                                        <span data-testid="second-factor-state">{tr("admin.second_factor_on")}</span> " "
                                                        <ActionForm action=reset attr:class="inline-form">
                                                            <input type="hidden" name="user_id" value=c.user_id.to_string()/>
                                                            <button type="submit" data-testid="reset-second-factor"
                                                                aria-label=move || text(lang.get(), "admin.second_factor_reset_label").replace("%{name}", &name)>
                                                                {tr("admin.second_factor_reset")}
                                                            </button>
                                                        </ActionForm>
                                                    }.into_any()
                                                } else {
                                                    view! { <span data-testid="second-factor-state">{tr("admin.second_factor_off")}</span> }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()))}
            </Suspense>
            <h2>{tr("admin.invite")}</h2>
            {move || invited().then(|| view! { <p class="success" role="status" data-testid="invited">{tr("admin.invited")}</p> })}
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true attr:class="narrow">
                <Field name=fields::FIRST_NAME label="accounts.field.first_name" autocomplete="off" errors/>
                <Field name=fields::LAST_NAME label="accounts.field.last_name" autocomplete="off" errors/>
                <Field name=fields::EMAIL label="accounts.field.email" kind="email" autocomplete="off" errors/>
                <Suspense fallback=|| ()>
                    {move || regions.get().map(|result| {
                        let regions = result.unwrap_or_default();
                        view! {
                            <div class="field">
                                <label for="champ-region">{tr("admin.region")}</label>
                                <p class="field-hint">{tr("admin.region_hint")}</p>
                                <select id="champ-region" name=fields::REGION aria-invalid=has_error(errors, fields::REGION) aria-describedby=error_id(errors, fields::REGION)>
                                    <option value="">{tr("admin.no_region")}</option>
                                    {regions.iter().map(|r| view! { <option value=r.code.clone()>{r.name.clone()}</option> }).collect_view()}
                                </select>
                                <FieldMessage field=fields::REGION errors/>
                            </div>
                            <fieldset class="field" aria-invalid=has_error(errors, fields::ACADEMIES) aria-describedby=error_id(errors, fields::ACADEMIES)>
                                <legend>{tr("admin.academies")}</legend>
                                {regions.into_iter().map(|region| view! {
                                    <div class="region-group">
                                        <p class="region-name">{region.name}</p>
                                        {region.academies.into_iter().map(|a| view! {
                                            <label class="choice">
                                                <input type="checkbox" name="academies[]" value=a.code/>
                                                {a.name}
                                            </label>
                                        }).collect_view()}
                                    </div>
                                }).collect_view()}
                                <FieldMessage field=fields::ACADEMIES errors/>
                            </fieldset>
                        }
                    })}
                </Suspense>
                <button type="submit" class="primary" data-testid="invite-coordinator">{tr("admin.invite")}</button>
            </ActionForm>
        </section>
    }
}

/// `/administration/journal`: the newest audit entries.
#[component]
pub fn AuditPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| audit_entries());
    view! {
        <section aria-labelledby="audit-title">
            <h1 id="audit-title">{tr("accounts.account.audit")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || entries.get().map(|result| loaded(result, |entries| view! {
                    <div class="table-wrap">
                        <table data-testid="audit">
                            <thead><tr>
                                <th scope="col">{tr("admin.audit.at")}</th>
                                <th scope="col">{tr("admin.audit.actor")}</th>
                                <th scope="col">{tr("admin.audit.action")}</th>
                                <th scope="col">{tr("admin.audit.object")}</th>
                                <th scope="col">{tr("admin.audit.details")}</th>
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{e.at}</td>
                                        <td>{e.actor}</td>
                                        <td>{e.action}</td>
                                        <td>{format!("{} {}", e.object_type, e.object_id)}</td>
                                        <td>{e.details}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()))}
            </Suspense>
        </section>
    }
}

/// `/administration/courriels`: the outbox; dead letters can be sent again.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let dead_only = move || query.read().get("etat").as_deref() == Some("abandonnes");
    let retry = ServerAction::<RetryEmails>::new();
    let view_data = Resource::new(
        move || (dead_only(), retry.version().get()),
        |(dead, _)| outbox_view(dead),
    );
    let lang = crate::i18n::use_lang();
    view! {
        <section aria-labelledby="outbox-title">
            <h1 id="outbox-title">{tr("admin.outbox.title")}</h1>
            <p>
                <a href="/administration/courriels">{tr("admin.outbox.all")}</a> " · "
                <a href="/administration/courriels?etat=abandonnes">{tr("admin.outbox.dead_only")}</a>
            </p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || view_data.get().map(|result| loaded(result, |data| {
                    let dead = data.counts.iter().find(|(s, _)| s == "dead").map_or(0, |(_, n)| *n);
                    view! {
                        <dl class="facts" data-testid="outbox-counts">
                            {data.counts.into_iter().map(|(state, count)| {
                                let key = state_key(&state);
                                view! { <dt>{move || crate::i18n::text(lang.get(), key)}</dt><dd data-state=state>{count}</dd> }
                            }).collect_view()}
                        </dl>
                        {(dead > 0).then(|| view! {
                            <ActionForm action=retry>
                                <button type="submit" data-testid="retry-all">{tr("admin.outbox.retry_all")}</button>
                            </ActionForm>
                        })}
                        <div class="table-wrap">
                            <table data-testid="outbox">
                                <thead><tr>
                                    <th scope="col">{"N°"}</th>
                                    <th scope="col">{tr("admin.outbox.state")}</th>
                                    <th scope="col">{tr("admin.audit.at")}</th>
                                    <th scope="col">{tr("admin.outbox.recipient")}</th>
                                    <th scope="col">{tr("admin.outbox.subject")}</th>
                                    <th scope="col">{tr("admin.outbox.error")}</th>
                                </tr></thead>
                                <tbody>
                                    {data.emails.into_iter().map(|email| {
                                        let key = state_key(&email.state);
                                        let is_dead = email.state == "dead";
                                        let id = email.id.to_string();
                                        view! {
                                            <tr>
                                                <td>{email.id}</td>
                                                <td>{move || crate::i18n::text(lang.get(), key)} {format!(" ({})", email.attempts)}</td>
                                                <td>{email.when}</td>
                                                <td>{email.recipient}</td>
                                                <td>{email.subject}</td>
                                                <td>
                                                    {email.last_error.unwrap_or_default()}
                                                    {is_dead.then(|| view! {
                                                        <ActionForm action=retry>
                                                            <input type="hidden" name="id" value=id.clone()/>
                                                            <button type="submit">{tr("admin.outbox.retry")}</button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

fn state_key(state: &str) -> &'static str {
    match state {
        "pending" => "admin.outbox.pending",
        "sending" => "admin.outbox.sending",
        "sent" => "admin.outbox.sent",
        _ => "admin.outbox.dead",
    }
}

/// `/administration/etablissements`: upload the directory file; the
/// outcome comes back in the query (see `schools::admin`).
#[component]
pub fn DirectoryImportPage() -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let query = leptos_router::hooks::use_query_map();
    let outcome = move || {
        let query = query.read();
        if let Some(errors) = query.get("erreurs") {
            let problems = query.get_all("probleme").unwrap_or_default();
            Some(view! {
                <div class="form-errors" role="alert" data-testid="import-problems">
                    <p>{move || crate::i18n::text(lang.get(), "admin.import.refused").replace("%{count}", &errors)}</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }.into_any())
        } else {
            query.get("total").map(|total| {
                let text = crate::i18n::text(lang.get(), "admin.import.done")
                    .replace("%{total}", &total)
                    .replace("%{new}", &query.get("nouvelles").unwrap_or_default())
                    .replace("%{updated}", &query.get("modifiees").unwrap_or_default())
                    .replace("%{unchanged}", &query.get("inchangees").unwrap_or_default());
                view! { <p class="success" role="status" data-testid="import-done">{text}</p> }
                    .into_any()
            })
        }
    };
    view! {
        <section class="narrow" aria-labelledby="import-title">
            <h1 id="import-title">{tr("admin.import.title")}</h1>
            <p>{tr("admin.import.lead")}</p>
            {outcome}
            <form method="post" action="/api/administration/etablissements" enctype="multipart/form-data">
                <div class="field">
                    <label for="champ-file">{tr("admin.import.file")}</label>
                    <p class="field-hint" id="champ-file-aide">{tr("admin.import.file_hint")}</p>
                    <input id="champ-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="champ-file-aide"/>
                </div>
                <button type="submit" class="primary" data-testid="import-submit">{tr("admin.import.submit")}</button>
            </form>
        </section>
    }
}
