//! The coordinator's pages: `/coordination` (their scope), a tutor's page
//! with the background check and the decision, a pupil's page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    error_id, field_errors, has_error, loaded, other_error, FieldErrorList, FieldMessage,
    FormErrors,
};
use crate::coordination::api::{
    coordination_overview, coordination_pupil, coordination_tutor, fields, CloseReport,
    DecideTutor, RecordBackgroundCheck, REPORT_NOTE_MAX_CHARS,
};
use crate::i18n::{text, tr, use_lang};
use crate::match_end::pupil_pairs;
use crate::pages::account::end_match::EndMatchForm;
use crate::tutors::{CheckOutcome, TutorProfile, TutorStatus};

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    }
}

/// `/coordination`: the tutors, pupils and open reports of the scope.
#[component]
pub fn CoordinationPage() -> impl IntoView {
    let lang = use_lang();
    // One action for every report's form: its errors show once, above the
    // queue, with or without JavaScript.
    let close = ServerAction::<CloseReport>::new();
    let close_errors = field_errors(close);
    let close_other = other_error(close);
    let overview = Resource::new(move || close.version().get(), |_| coordination_overview());
    view! {
        <section aria-labelledby="coordination-title">
            <h1 id="coordination-title">{tr("coordination.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || overview.get().map(|result| loaded(result, |overview| view! {
                    <p data-testid="scope">{move || text(lang.get(), "coordination.scope")} " " {crate::academies::academy_names(&overview.academies)}</p>
                    <p>
                        <a class="button" href="/coordination/demandes" data-testid="requests-link">{tr("coordination.requests_title")}</a>
                        " "
                        <a class="button" href="/coordination/offres" data-testid="offers-link">{tr("coordination.offers_title")}</a>
                        " "
                        <a class="button" href="/coordination/appariement" data-testid="matching-link">{tr("matching.title")}</a>
                        " "
                        <a class="button" href="/coordination/alertes" data-testid="alerts-link">{tr("alerts.title")}</a>
                        " "
                        <a class="button" href="/coordination/tableau-de-bord" data-testid="dashboard-link">{tr("dashboard.title")}</a>
                    </p>
                    <p data-testid="exports">
                        {tr("exports.lead")} " "
                        <a href="/coordination/export/binomes.csv" download data-testid="export-pairs">{tr("exports.pairs")}</a>
                        " · "
                        <a href="/coordination/export/seances.csv" download data-testid="export-sessions">{tr("exports.sessions")}</a>
                        " · "
                        <a href="/coordination/export/indicateurs.csv" download data-testid="export-indicators">{tr("exports.indicators")}</a>
                    </p>
                    <h2>{tr("coordination.reports")}</h2>
                    {if overview.open_reports.is_empty() {
                        view! { <p>{tr("coordination.no_reports")}</p> }.into_any()
                    } else {
                        view! {
                            <FormErrors errors=close_errors/>
                            <FieldErrorList errors=close_errors/>
                            {move || close_other.get().map(|error| view! { <ErrorMessage error/> })}
                            <ul class="reports" data-testid="reports">
                                {overview.open_reports.into_iter().map(|report| view! {
                                    <li id=format!("signalement-{}", report.id)>
                                        <p class="meta">{format!("{} — {}", report.created_at, report.reporter)}</p>
                                        {report.tutor.map(|tutor| view! {
                                            <p class="meta" data-testid="report-match">
                                                {tr("coordination.report_match")} {tr("common.colon")}
                                                {format!("{} / {}", report.pupil.unwrap_or_default(), tutor)}
                                            </p>
                                        })}
                                        <p class="report-body">{report.body}</p>
                                        <details>
                                            <summary data-testid="report-close-open">{tr("coordination.report_close")}</summary>
                                            <ActionForm action=close attr:novalidate=true>
                                                <input type="hidden" name=fields::REPORT value=report.id.to_string()/>
                                                <div class="field">
                                                    <label for=format!("champ-cloture-{}", report.id)>{tr("coordination.report_close_note")}</label>
                                                    <textarea id=format!("champ-cloture-{}", report.id) name=fields::NOTE rows="2"
                                                        maxlength=REPORT_NOTE_MAX_CHARS.to_string() data-testid="report-close-note"></textarea>
                                                </div>
                                                <button type="submit" data-testid="report-close">{tr("coordination.report_close_submit")}</button>
                                            </ActionForm>
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <h2>{tr("coordination.tutors")}</h2>
                    <div class="table-wrap">
                        <table data-testid="tutors">
                            <thead><tr>
                                <th scope="col">{tr("coordination.name")}</th>
                                <th scope="col">{tr("profiles.tutor.institution")}</th>
                                <th scope="col">{tr("profiles.tutor.status")}</th>
                                <th scope="col">{tr("coordination.check_expires")}</th>
                            </tr></thead>
                            <tbody>
                                {overview.tutors.into_iter().map(|tutor| {
                                    let status = tutor.status.label_key();
                                    view! {
                                        <tr>
                                            <td><a href=format!("/coordination/tuteurs/{}", tutor.user_id)>
                                                {format!("{} {}", tutor.first_name, tutor.last_name)}
                                            </a></td>
                                            <td>{tutor.institution}</td>
                                            <td>{move || text(lang.get(), status)}</td>
                                            <td>{tutor.check.map(|c| c.expires_on).unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <h2>{tr("coordination.pupils")}</h2>
                    <div class="table-wrap">
                        <table data-testid="pupils">
                            <thead><tr>
                                <th scope="col">{tr("coordination.name")}</th>
                                <th scope="col">{tr("profiles.pupil.school")}</th>
                                <th scope="col">{tr("profiles.pupil.level")}</th>
                                <th scope="col">{tr("profiles.pupil.consent")}</th>
                            </tr></thead>
                            <tbody>
                                {overview.pupils.into_iter().map(|item| {
                                    let level = crate::levels::level(&item.profile.level_code);
                                    let consent = item.profile.consent.label_key();
                                    view! {
                                        <tr>
                                            <td><a href=format!("/coordination/eleves/{}", item.pupil_id)>
                                                {format!("{} {}", item.profile.first_name, item.profile.last_name)}
                                            </a></td>
                                            <td>{item.profile.school.name}</td>
                                            <td>{move || level.map(|l| l.label(lang.get())).unwrap_or_default()}</td>
                                            <td>{move || text(lang.get(), consent)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn TutorFacts(tutor: TutorProfile) -> impl IntoView {
    let lang = use_lang();
    let status = tutor.status.label_key();
    view! {
        <dl class="facts">
            <dt>{tr("accounts.account.email")}</dt><dd>{tutor.email}</dd>
            <dt>{tr("profiles.tutor.institution")}</dt><dd>{tutor.institution}</dd>
            <dt>{tr("profiles.tutor.field_of_study")}</dt><dd>{tutor.field_of_study}</dd>
            <dt>{tr("profiles.tutor.study_year")}</dt><dd>{format!("Bac + {}", tutor.study_year)}</dd>
            <dt>{tr("profiles.tutor.academies")}</dt><dd>{crate::academies::academy_names(&tutor.academies)}</dd>
            <dt>{tr("profiles.tutor.status")}</dt><dd data-testid="tutor-status">{move || text(lang.get(), status)}</dd>
            <dt>{tr("coordination.check")}</dt>
            <dd data-testid="tutor-check">{match tutor.check {
                None => view! { {tr("coordination.no_check")} }.into_any(),
                Some(check) => {
                    let outcome = check.outcome.label_key();
                    view! {
                        {move || text(lang.get(), outcome)}
                        {format!(" — {} → {} ({})", check.done_on, check.expires_on, check.recorded_by)}
                    }.into_any()
                }
            }}</dd>
        </dl>
    }
}

/// `/coordination/tuteurs/{id}`: a tutor, their background check and the
/// decision.
#[component]
pub fn CoordinationTutorPage() -> impl IntoView {
    let id = id_param();
    let check = ServerAction::<RecordBackgroundCheck>::new();
    let decide = ServerAction::<DecideTutor>::new();
    // Read again after each record or decision (with JavaScript the page stays).
    let tutor = Resource::new(
        move || (id(), check.version().get(), decide.version().get()),
        |(id, _, _)| coordination_tutor(id),
    );
    let check_errors = field_errors(check);
    let decide_errors = field_errors(decide);
    let check_other = other_error(check);
    let decide_other = other_error(decide);
    view! {
        <section class="narrow" aria-labelledby="tutor-title">
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || tutor.get().map(|result| loaded(result, |tutor| {
                    let id = tutor.user_id.to_string();
                    let decide_id = id.clone();
                    let attestation = format!("/attestation?tuteur={id}");
                    let name = format!("{} {}", tutor.first_name, tutor.last_name);
                    let status = tutor.status;
                    view! {
                        <h1 id="tutor-title">{name}</h1>
                        <TutorFacts tutor/>
                        <h2>{tr("coordination.record_check")}</h2>
                        <p>{tr("coordination.record_check_hint")}</p>
                        <FormErrors errors=check_errors/>
                        {move || check_other.get().map(|error| view! { <ErrorMessage error/> })}
                        <ActionForm action=check attr:novalidate=true>
                            <input type="hidden" name="tutor_id" value=id.clone()/>
                            <fieldset class="field" aria-invalid=has_error(check_errors, fields::OUTCOME) aria-describedby=error_id(check_errors, fields::OUTCOME)>
                                <legend>{tr("coordination.outcome")}</legend>
                                {[CheckOutcome::Cleared, CheckOutcome::NotCleared].into_iter().map(|outcome| view! {
                                    <label class="choice">
                                        <input type="radio" name=fields::OUTCOME value=outcome.as_str()/>
                                        {tr(outcome.label_key())}
                                    </label>
                                }).collect_view()}
                                <FieldMessage field=fields::OUTCOME errors=check_errors/>
                            </fieldset>
                            <div class="field">
                                <label for="champ-done_on">{tr("coordination.done_on")}</label>
                                <input id="champ-done_on" type="date" name=fields::DONE_ON aria-invalid=has_error(check_errors, fields::DONE_ON) aria-describedby=error_id(check_errors, fields::DONE_ON)/>
                                <FieldMessage field=fields::DONE_ON errors=check_errors/>
                            </div>
                            <div class="field">
                                <label for="champ-expires_on">{tr("coordination.expires_on")}</label>
                                <input id="champ-expires_on" type="date" name=fields::EXPIRES_ON aria-invalid=has_error(check_errors, fields::EXPIRES_ON) aria-describedby=error_id(check_errors, fields::EXPIRES_ON)/>
                                <FieldMessage field=fields::EXPIRES_ON errors=check_errors/>
                            </div>
                            <button type="submit" data-testid="record-check">{tr("coordination.record_check")}</button>
                        </ActionForm>
                        <h2>{tr("coordination.decision")}</h2>
                        <FormErrors errors=decide_errors/>
                        <FieldMessage field=fields::DECISION errors=decide_errors/>
                        {move || decide_other.get().map(|error| view! { <ErrorMessage error/> })}
                        <ActionForm action=decide attr:class="answer-form">
                            <input type="hidden" name="tutor_id" value=decide_id/>
                            {(status != TutorStatus::Approved).then(|| view! {
                                <button type="submit" name="decision" value="approve" class="primary" data-testid="approve">{tr("coordination.approve")}</button>
                            })}
                            {(status != TutorStatus::Refused).then(|| view! {
                                <button type="submit" name="decision" value="refuse" data-testid="refuse">{tr("coordination.refuse")}</button>
                            })}
                            {(status == TutorStatus::Approved).then(|| view! {
                                <button type="submit" name="decision" value="suspend" data-testid="suspend">{tr("coordination.suspend")}</button>
                            })}
                        </ActionForm>
                        <p><a href=attestation data-testid="attestation-issue">{tr("attestation.issue")}</a></p>
                        <p><a href="/coordination">{tr("coordination.back")}</a></p>
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

/// `/coordination/eleves/{id}`: a pupil of the scope.
#[component]
pub fn CoordinationPupilPage() -> impl IntoView {
    let lang = use_lang();
    let id = id_param();
    let pupil = Resource::new(id, coordination_pupil);
    // Bumped when a pair is ended here: the list is read again.
    let changed = RwSignal::new(0_u32);
    let pairs = Resource::new(move || (id(), changed.get()), |(id, _)| pupil_pairs(id));
    view! {
        <section class="narrow" aria-labelledby="pupil-title">
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || pupil.get().map(|result| loaded(result, |profile| {
                    let level = crate::levels::level(&profile.level_code);
                    let consent = profile.consent.label_key();
                    view! {
                        <h1 id="pupil-title">{format!("{} {}", profile.first_name, profile.last_name)}</h1>
                        <dl class="facts">
                            <dt>{tr("profiles.pupil.school")}</dt>
                            <dd>{format!("{} — {} ({})", profile.school.name, profile.school.commune, profile.school.uai)}</dd>
                            <dt>{tr("profiles.pupil.level")}</dt>
                            <dd>{move || level.map(|l| l.label(lang.get())).unwrap_or_default()}</dd>
                            <dt>{tr("profiles.pupil.birth")}</dt>
                            <dd>{format!("{:02}/{}", profile.birth_month, profile.birth_year)}</dd>
                            <dt>{tr("profiles.pupil.consent")}</dt>
                            <dd>{move || text(lang.get(), consent)}</dd>
                        </dl>
                        <p><a href="/coordination">{tr("coordination.back")}</a></p>
                    }.into_any()
                }))}
            </Suspense>
            <h2>{tr("coordination.pupil_pairs")}</h2>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || pairs.get().map(|result| loaded(result, |pairs| {
                    if pairs.is_empty() {
                        return view! { <p data-testid="pupil-no-pair">{tr("coordination.pupil_no_pair")}</p> }.into_any();
                    }
                    view! {
                        <ul class="matches">
                            {pairs.into_iter().map(|pair| {
                                let with = pair.tutor_name.clone();
                                let since = pair.started_on.clone();
                                view! {
                                    <li data-testid="pupil-pair">
                                        <a href=format!("/coordination/tuteurs/{}", pair.tutor_id)>
                                            {move || text(lang.get(), "coordination.pair_with")
                                                .replace("%{name}", &with)
                                                .replace("%{date}", &since)}
                                        </a>
                                        <EndMatchForm match_id=pair.id as_tutor=false changed coordinator=true/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}
