//! The coordinator's pages of needs and offers: `/coordination/demandes`
//! (open help requests, filtered by plain GET forms), one request with the
//! offers that cover it and the times both sides share, and
//! `/coordination/offres`.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::availability::clock;
use crate::components::form::loaded;
use crate::coordination::needs::{
    coordination_offers, coordination_request, coordination_requests, LocalStretch, OfferItem,
    RequestFilter, RequestItem,
};
use crate::help_requests::HelpRequest;
use crate::i18n::{text, tr, use_lang, Lang};
use crate::levels::LEVELS;
use crate::meeting::language_key;
use crate::pages::needs::{level_label, subject_label, subjects_text, weekday_label};
use crate::subjects::SUBJECTS;

fn query_value(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(key).unwrap_or_default()
}

fn state_text(request: &HelpRequest, lang: Lang) -> String {
    if request.blockers.is_empty() {
        text(lang, "requests.state_ready")
    } else {
        let reasons: Vec<String> = request
            .blockers
            .iter()
            .map(|b| text(lang, b.label_key()))
            .collect();
        format!(
            "{} : {}",
            text(lang, "requests.state_draft"),
            reasons.join(" ; ")
        )
    }
}

/// The subject and niveau selects of a filter form.
#[component]
fn SubjectLevelFilters(subject: String, level: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div>
            <label for="filtre-matiere">{tr("coordination.filter_subject")}</label>
            <select id="filtre-matiere" name="matiere">
                <option value="">{tr("coordination.filter_any")}</option>
                {SUBJECTS.iter().map(|s| view! {
                    <option value=s.code selected=subject == s.code>{move || s.label(lang.get())}</option>
                }).collect_view()}
            </select>
        </div>
        <div>
            <label for="filtre-niveau">{tr("coordination.filter_level")}</label>
            <select id="filtre-niveau" name="niveau">
                <option value="">{tr("coordination.filter_any")}</option>
                {LEVELS.iter().map(|l| view! {
                    <option value=l.code selected=level == l.code>{move || l.label(lang.get())}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// `/coordination/demandes`: the open requests of the scope.
#[component]
pub fn CoordinationRequestsPage() -> impl IntoView {
    let lang = use_lang();
    let subject = query_value("matiere");
    let level = query_value("niveau");
    let school = query_value("etablissement");
    let waited = query_value("attente");
    let requests = Resource::new(
        move || RequestFilter {
            subject: subject(),
            level: level(),
            school: school(),
            waited_days: waited(),
        },
        coordination_requests,
    );
    view! {
        <section aria-labelledby="requests-title">
            <h1 id="requests-title">{tr("coordination.requests_title")}</h1>
            <p><a href="/coordination">{tr("coordination.title")}</a> " · " <a href="/coordination/offres">{tr("coordination.offers_title")}</a></p>
            <form method="get" action="/coordination/demandes" class="filters" role="search">
                <SubjectLevelFilters subject=subject() level=level()/>
                <div>
                    <label for="filtre-etablissement">{tr("coordination.filter_school")}</label>
                    <input id="filtre-etablissement" name="etablissement" value=school() placeholder="0310024H" size="10"/>
                </div>
                <div>
                    <label for="filtre-attente">{tr("coordination.filter_waited")}</label>
                    <input id="filtre-attente" name="attente" type="number" min="0" inputmode="numeric" value=waited() size="4"/>
                </div>
                <button type="submit" data-testid="filter-submit">{tr("coordination.filter")}</button>
            </form>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || requests.get().map(|result| loaded(result, |items: Vec<RequestItem>| {
                    if items.is_empty() {
                        return view! { <p data-testid="requests-empty">{tr("coordination.no_requests")}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table data-testid="requests">
                                <thead><tr>
                                    <th scope="col">{tr("coordination.name")}</th>
                                    <th scope="col">{tr("profiles.pupil.school")}</th>
                                    <th scope="col">{tr("profiles.pupil.level")}</th>
                                    <th scope="col">{tr("requests.subjects")}</th>
                                    <th scope="col">{tr("coordination.waiting")}</th>
                                    <th scope="col">{tr("requests.deadline")}</th>
                                    <th scope="col">{tr("coordination.state")}</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|item| {
                                        let href = format!("/coordination/demandes/{}", item.request.id);
                                        let request = item.request.clone();
                                        let subjects = item.request.subjects.clone();
                                        let level = item.level_code.clone();
                                        view! {
                                            <tr>
                                                <td><a href=href>{item.pupil_name.clone()}</a></td>
                                                <td>{format!("{} ({})", item.school.name, item.school.uai)}</td>
                                                <td>{move || level_label(&level, lang.get())}</td>
                                                <td>{move || subjects_text(&subjects, lang.get())}</td>
                                                <td>{item.request.waiting_days} " " {tr("requests.days")}</td>
                                                <td>{item.request.deadline.clone().unwrap_or_default()}</td>
                                                <td>{move || state_text(&request, lang.get())}</td>
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

fn stretch_text(stretch: &LocalStretch, lang: Lang) -> String {
    let end = match &stretch.end_date {
        Some(date) => format!("{date} {}", stretch.to),
        None => stretch.to.clone(),
    };
    format!(
        "{} {} {}–{}",
        weekday_label(stretch.weekday, lang),
        stretch.date,
        stretch.from,
        end
    )
}

/// `/coordination/demandes/:id`: one request and the offers covering it.
#[component]
pub fn CoordinationRequestPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let from = query_value("du");
    let detail = Resource::new(
        move || (id(), from()),
        |(id, from)| coordination_request(id, from),
    );
    view! {
        <section aria-labelledby="request-detail-title">
            <h1 id="request-detail-title">{tr("coordination.request_title")}</h1>
            <p><a href="/coordination/demandes">{tr("coordination.requests_title")}</a></p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || detail.get().map(|result| loaded(result, |detail| {
                    let item = detail.item.clone();
                    let subjects = item.request.subjects.clone();
                    let level = item.level_code.clone();
                    let request = item.request.clone();
                    let pupil_zone = item.time_zone.clone();
                    view! {
                        <dl class="facts" data-testid="request-facts">
                            <dt>{tr("coordination.name")}</dt>
                            <dd><a href=format!("/coordination/eleves/{}", item.pupil_id)>{item.pupil_name.clone()}</a></dd>
                            <dt>{tr("profiles.pupil.school")}</dt>
                            <dd>{format!("{} — {} ({})", item.school.name, item.school.commune, item.school.uai)}</dd>
                            <dt>{tr("profiles.pupil.level")}</dt>
                            <dd>{move || level_label(&level, lang.get())}</dd>
                            <dt>{tr("requests.subjects")}</dt>
                            <dd>{move || subjects_text(&subjects, lang.get())}</dd>
                            <dt>{tr("requests.difficulty")}</dt>
                            <dd class="report-body">{item.request.difficulty.clone()}</dd>
                            <dt>{tr("requests.mode")}</dt>
                            <dd>{tr(item.request.mode.label_key())}</dd>
                            <dt>{tr("coordination.waiting")}</dt>
                            <dd>{item.request.waiting_days} " " {tr("requests.days")} " (" {item.request.requested_on.clone()} ")"</dd>
                            <dt>{tr("coordination.state")}</dt>
                            <dd data-testid="request-state">{move || state_text(&request, lang.get())}</dd>
                            <dt>{tr("availability.title")}</dt>
                            <dd data-testid="pupil-availability">
                                {format!("({}) ", detail.availability.time_zone)}
                                {detail.availability.intervals.iter().map(|i| {
                                    let (day, from, to) = (i.weekday, clock(i.from), clock(i.to));
                                    move || format!("{} {from}–{to} ; ", weekday_label(day, lang.get()))
                                }).collect_view()}
                            </dd>
                        </dl>
                        <form method="get" action=format!("/coordination/demandes/{}", item.request.id) class="filters">
                            <div>
                                <label for="filtre-du">{tr("coordination.weeks_from")}</label>
                                <input id="filtre-du" type="date" name="du" value=detail.from.clone() data-testid="weeks-from"/>
                            </div>
                            <button type="submit" data-testid="weeks-submit">{tr("coordination.show")}</button>
                        </form>
                        <h2>{tr("coordination.candidates")} " (" {detail.weeks} " " {tr("coordination.weeks")} ")"</h2>
                        {if detail.candidates.is_empty() {
                            view! { <p data-testid="no-candidates">{tr("coordination.no_candidates")}</p> }.into_any()
                        } else {
                            detail.candidates.into_iter().map(|candidate| {
                                let tutor_zone = candidate.item.time_zone.clone();
                                let pupil_zone = pupil_zone.clone();
                                let covered = candidate.subjects.clone();
                                view! {
                                    <article class="candidate" data-testid="candidate">
                                        <h3><a href=format!("/coordination/tuteurs/{}", candidate.item.tutor_id)>{candidate.item.tutor_name.clone()}</a></h3>
                                        <p>
                                            {move || subjects_text(&covered, lang.get())} " · "
                                            {tr(candidate.item.status.label_key())} " · "
                                            {candidate.shared_minutes} " " {tr("coordination.minutes")}
                                        </p>
                                        {if candidate.shared.is_empty() {
                                            view! { <p>{tr("coordination.no_shared_time")}</p> }.into_any()
                                        } else {
                                            view! {
                                                <div class="table-wrap">
                                                    <table data-testid="shared-times">
                                                        <thead><tr>
                                                            <th scope="col">{tr("coordination.pupil_time")} {format!(" ({pupil_zone})")}</th>
                                                            <th scope="col">{tr("coordination.tutor_time")} {format!(" ({tutor_zone})")}</th>
                                                            <th scope="col">{tr("coordination.duration")}</th>
                                                        </tr></thead>
                                                        <tbody>
                                                            {candidate.shared.into_iter().map(|shared| view! {
                                                                <tr>
                                                                    <td data-testid="pupil-time">{move || stretch_text(&shared.pupil, lang.get())}</td>
                                                                    <td data-testid="tutor-time">{let tutor = shared.tutor.clone(); move || stretch_text(&tutor, lang.get())}</td>
                                                                    <td>{shared.minutes} " " {tr("coordination.minutes")}</td>
                                                                </tr>
                                                            }).collect_view()}
                                                        </tbody>
                                                    </table>
                                                </div>
                                            }.into_any()
                                        }}
                                        <p data-testid="weekly-fits">
                                            {tr("coordination.weekly_fits")} " "
                                            {if candidate.weekly_fits.is_empty() {
                                                view! { <span>{tr("coordination.none")}</span> }.into_any()
                                            } else {
                                                candidate.weekly_fits.into_iter().map(|fit| {
                                                    move || format!("{} {}–{} ; ", weekday_label(fit.weekday, lang.get()), fit.from, fit.to)
                                                }).collect_view().into_any()
                                            }}
                                        </p>
                                    </article>
                                }
                            }).collect_view().into_any()
                        }}
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

/// `/coordination/offres`: the tutors' offers of the scope.
#[component]
pub fn CoordinationOffersPage() -> impl IntoView {
    let lang = use_lang();
    let subject = query_value("matiere");
    let level = query_value("niveau");
    let offers = Resource::new(
        move || (subject(), level()),
        |(s, l)| coordination_offers(s, l),
    );
    view! {
        <section aria-labelledby="offers-title">
            <h1 id="offers-title">{tr("coordination.offers_title")}</h1>
            <p><a href="/coordination">{tr("coordination.title")}</a> " · " <a href="/coordination/demandes">{tr("coordination.requests_title")}</a></p>
            <form method="get" action="/coordination/offres" class="filters" role="search">
                <SubjectLevelFilters subject=subject() level=level()/>
                <button type="submit" data-testid="filter-submit">{tr("coordination.filter")}</button>
            </form>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || offers.get().map(|result| loaded(result, |items: Vec<OfferItem>| {
                    if items.is_empty() {
                        return view! { <p data-testid="offers-empty">{tr("coordination.no_offers")}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table data-testid="offers">
                                <thead><tr>
                                    <th scope="col">{tr("coordination.name")}</th>
                                    <th scope="col">{tr("offers.entries")}</th>
                                    <th scope="col">{tr("offers.mode")}</th>
                                    <th scope="col">{tr("offers.languages")}</th>
                                    <th scope="col">{tr("availability.time_zone")}</th>
                                    <th scope="col">{tr("coordination.state")}</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|item| {
                                        let entries = item.offer.entries.clone();
                                        let languages = item.offer.languages.clone();
                                        let paused = item.offer.paused;
                                        view! {
                                            <tr>
                                                <td><a href=format!("/coordination/tuteurs/{}", item.tutor_id)>{item.tutor_name.clone()}</a></td>
                                                <td>{move || entries.iter().map(|e| format!("{} → {}", subject_label(&e.subject_code, lang.get()), level_label(&e.up_to_level, lang.get()))).collect::<Vec<_>>().join(" ; ")}</td>
                                                <td>{tr(item.offer.mode.label_key())} {item.offer.meeting_school.as_ref().map(|s| format!(" — {} ({} km)", s.name, item.offer.max_distance_km.unwrap_or(0)))}</td>
                                                <td>{move || languages.iter().filter_map(|code| language_key(code)).map(|key| text(lang.get(), key)).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{item.time_zone.clone()} " (" {item.weekly_minutes / 60} " " {tr("coordination.hours_a_week")} ")"</td>
                                                <td>
                                                    {tr(item.status.label_key())}
                                                    {paused.then(|| view! { " · " {tr("offers.paused_short")} })}
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
