//! What pupils need and tutors offer: `/compte/disponibilites` (weekly
//! availability, pupils and tutors), `/compte/demande` (the pupil's help
//! request) and `/compte/offre` (the tutor's offer). Every form is a plain
//! form that works without JavaScript: rows of selects, never a drag-only
//! grid.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::availability::api::{fields as slot_fields, my_availability, SaveAvailability};
use crate::availability::{clock, weekday_key, IntervalView, ZONE_CHOICES};
use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    error_id, field_errors, has_error, loaded, message_of, other_error, textarea_text,
    FieldMessage, FormErrors,
};
use crate::error::{AppError, FieldError};
use crate::help_requests::api::{
    fields as request_fields, my_help_request, SaveHelpRequest, WithdrawHelpRequest,
};
use crate::help_requests::{Blocker, DIFFICULTY_MAX_CHARS, MAX_SUBJECTS};
use crate::i18n::{text, tr, use_lang, Lang};
use crate::levels::{level, LEVELS};
use crate::meeting::{Mode, LANGUAGES};
use crate::offers::api::{fields as offer_fields, my_tutor_offer, PauseTutorOffer, SaveTutorOffer};
use crate::offers::{OfferEntry, MAX_CAPACITY, MAX_DISTANCE_KM};
use crate::schools::search::search_schools;
use crate::subjects::{subject, SUBJECTS};

/// Empty rows added under the filled ones, so that more can be entered
/// without JavaScript.
const BLANK_ROWS: usize = 3;

/// The error of a numbered row, and the id that describes it.
fn row_error(
    errors: Signal<Vec<FieldError>>,
    field: String,
) -> (impl Fn() -> Option<String> + Clone, String) {
    let id = format!("champ-{field}-erreur");
    (move || message_of(&errors.get(), &field), id)
}

/// The label of subject `code` in `lang` (the code itself if unknown).
pub fn subject_label(code: &str, lang: Lang) -> String {
    subject(code).map_or_else(|| code.to_owned(), |s| s.label(lang).to_owned())
}

/// Subject labels in `lang`, in the given order, separated by commas.
pub fn subjects_text(codes: &[String], lang: Lang) -> String {
    codes
        .iter()
        .map(|code| subject_label(code, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The label of niveau `code` in `lang`.
pub fn level_label(code: &str, lang: Lang) -> String {
    level(code).map_or_else(|| code.to_owned(), |l| l.label(lang).to_owned())
}

/// `/compte/disponibilites`: weekly intervals in one's time zone.
#[component]
pub fn AvailabilityPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let action = ServerAction::<SaveAvailability>::new();
    let current = Resource::new(move || action.version().get(), |_| my_availability());
    let errors = field_errors(action);
    let other = other_error(action);
    let saved = move || query.read().get("enregistre").is_some();
    let merged = move || {
        query
            .read()
            .get("fusionnes")
            .and_then(|m| m.parse::<usize>().ok())
            .unwrap_or(0)
    };
    view! {
        <section class="narrow" aria-labelledby="availability-title">
            <h1 id="availability-title">{tr("availability.title")}</h1>
            <p>{tr("availability.lead")}</p>
            {move || saved().then(|| view! {
                <p class="status" role="status" data-testid="availability-saved">{text(lang.get(), "availability.saved")}</p>
            })}
            {move || (merged() > 0).then(|| view! {
                <p class="status" role="status" data-testid="availability-merged">
                    {format!("{} {}", text(lang.get(), "availability.merged"), merged())}
                </p>
            })}
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let current = current.await;
                    loaded(current, |current| {
                        let mut rows: Vec<Option<IntervalView>> = current.intervals.iter().copied().map(Some).collect();
                        rows.extend(std::iter::repeat_n(None, BLANK_ROWS));
                        let default_zone = current.default_zone.clone();
                        view! {
                            <ActionForm action attr:novalidate=true>
                                <div class="field">
                                    <label for="champ-time_zone">{tr("availability.time_zone")}</label>
                                    <p class="field-hint" id="champ-time_zone-aide">
                                        {move || text(lang.get(), "availability.time_zone_hint")} " " {default_zone.clone()}
                                    </p>
                                    <input id="champ-time_zone" name=slot_fields::TIME_ZONE list="fuseaux" autocomplete="off"
                                        value=current.time_zone.clone()
                                        aria-invalid=has_error(errors, slot_fields::TIME_ZONE)
                                        aria-describedby=move || error_id(errors, slot_fields::TIME_ZONE)().map_or_else(|| "champ-time_zone-aide".to_owned(), |error| format!("champ-time_zone-aide {error}"))/>
                                    <datalist id="fuseaux">
                                        {ZONE_CHOICES.iter().map(|zone| view! { <option value=*zone></option> }).collect_view()}
                                    </datalist>
                                    <FieldMessage field=slot_fields::TIME_ZONE errors/>
                                </div>
                                <fieldset class="field">
                                    <legend>{tr("availability.slots")}</legend>
                                    <p class="field-hint">{tr("availability.slots_hint")}</p>
                                    <ol class="slot-rows" data-testid="slot-rows">
                                        {rows.into_iter().enumerate().map(|(index, row)| {
                                            let (message, message_id) = row_error(errors, slot_fields::interval(index));
                                            let invalid = { let m = message.clone(); move || m().map(|_| "true") };
                                            let described = { let (m, id) = (message.clone(), message_id.clone()); move || m().map(|_| id.clone()) };
                                            let number = (index + 1).to_string();
                                            view! {
                                                <li>
                                                  <fieldset class="slot-row">
                                                    <legend>{tr("availability.slot")} " " {number}</legend>
                                                    <div>
                                                        <label for=format!("creneau-{index}-jour")>{tr("availability.day")}</label>
                                                        <select id=format!("creneau-{index}-jour") name=format!("{}[]", slot_fields::DAYS) aria-invalid=invalid.clone() aria-describedby=described.clone()>
                                                            <option value="">"—"</option>
                                                            {(1..=7u8).map(|day| view! {
                                                                <option value=day.to_string() selected=row.is_some_and(|r| r.weekday == day)>{tr(weekday_key(day))}</option>
                                                            }).collect_view()}
                                                        </select>
                                                    </div>
                                                    <div>
                                                        <label for=format!("creneau-{index}-debut")>{tr("availability.from")}</label>
                                                        <select id=format!("creneau-{index}-debut") name=format!("{}[]", slot_fields::FROMS) aria-invalid=invalid.clone() aria-describedby=described.clone()>
                                                            <option value="">"—"</option>
                                                            {(0..48u16).map(|i| i * 30).map(|m| view! {
                                                                <option value=m.to_string() selected=row.is_some_and(|r| r.from == m)>{clock(m)}</option>
                                                            }).collect_view()}
                                                        </select>
                                                    </div>
                                                    <div>
                                                        <label for=format!("creneau-{index}-fin")>{tr("availability.to")}</label>
                                                        <select id=format!("creneau-{index}-fin") name=format!("{}[]", slot_fields::TOS) aria-invalid=invalid aria-describedby=described>
                                                            <option value="">"—"</option>
                                                            {(1..=48u16).map(|i| i * 30).map(|m| view! {
                                                                <option value=m.to_string() selected=row.is_some_and(|r| r.to == m)>{clock(m)}</option>
                                                            }).collect_view()}
                                                        </select>
                                                    </div>
                                                    {move || message().map(|key| view! {
                                                        <p class="field-error" id=message_id.clone()>{text(lang.get(), &key)}</p>
                                                    })}
                                                  </fieldset>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                </fieldset>
                                <button type="submit" class="primary" data-testid="availability-submit">{tr("availability.save")}</button>
                            </ActionForm>
                        }.into_any()
                    })
                })}
            </Suspense>
            <p><a href="/compte">{tr("common.back_to_account")}</a></p>
        </section>
    }
}

/// Why a request cannot be matched yet, said to the pupil.
#[component]
fn Blockers(blockers: Vec<Blocker>) -> impl IntoView {
    let lang = use_lang();
    if blockers.is_empty() {
        return view! {
            <p class="status" data-testid="request-state" data-matchable="true">{tr("requests.matchable")}</p>
        }
        .into_any();
    }
    view! {
        <div class="status" data-testid="request-state" data-matchable="false">
            <p>{tr("requests.draft")}</p>
            <ul>
                {blockers.into_iter().map(|blocker| {
                    let key = blocker.label_key();
                    let link = match blocker {
                        Blocker::NoAvailability => ("/compte/disponibilites", "availability.link"),
                        Blocker::AwaitingConsent => ("/compte", "requests.see_account"),
                    };
                    view! {
                        <li>{move || text(lang.get(), key)} " " <a href=link.0>{tr(link.1)}</a></li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// `/compte/demande`: the pupil's help request.
#[component]
pub fn HelpRequestPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveHelpRequest>::new();
    let withdraw = ServerAction::<WithdrawHelpRequest>::new();
    let mine = Resource::new(
        move || (save.version().get(), withdraw.version().get()),
        |_| my_help_request(),
    );
    let errors = field_errors(save);
    let other = other_error(save);
    let withdraw_error = other_error(withdraw);
    view! {
        <section class="narrow" aria-labelledby="request-title">
            <h1 id="request-title">{tr("requests.title")}</h1>
            <p>{tr("requests.lead")}</p>
            <FormErrors errors/>
            {move || other.get().or_else(|| withdraw_error.get()).map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Err(AppError::NotFound) => view! {
                            <p data-testid="request-no-profile">{tr("requests.no_profile")}</p>
                            <p><a class="button" href="/compte/eleve">{tr("profiles.complete")}</a></p>
                        }.into_any(),
                        result => loaded(result, |mine| {
                            let level = level(&mine.level_code);
                            let request = mine.request.clone();
                            let chosen: Vec<String> = request.as_ref().map(|r| r.subjects.clone()).unwrap_or_default();
                            let mode = request.as_ref().map(|r| r.mode);
                            let blockers = request.as_ref().map(|r| r.blockers.clone()).unwrap_or(mine.blockers.clone());
                            let offered: Vec<_> = SUBJECTS.iter().filter(|s| level.is_some_and(|l| s.is_taught_at(l))).collect();
                            let has_request = request.is_some();
                            let difficulty_text = textarea_text(request.as_ref().map(|r| r.difficulty.clone()).unwrap_or_default());
                            let deadline_value = request.as_ref().and_then(|r| r.deadline.clone()).unwrap_or_default();
                            let per_week = request.as_ref().map_or(1, |r| r.sessions_per_week);
                            view! {
                                {request.map(|r| view! {
                                    <p data-testid="request-since">
                                        {move || text(lang.get(), "requests.since")} " " {r.requested_on.clone()}
                                        " (" {r.waiting_days} " " {move || text(lang.get(), "requests.days")} ")"
                                    </p>
                                })}
                                {has_request.then(|| view! { <Blockers blockers=blockers.clone()/> })}
                                {(!has_request && !blockers.is_empty()).then(|| view! {
                                    <p class="field-hint">{tr("requests.draft_warning")}</p>
                                    <Blockers blockers=blockers.clone()/>
                                })}
                                <ActionForm action=save attr:novalidate=true>
                                    <fieldset class="field" aria-invalid=has_error(errors, request_fields::SUBJECTS) aria-describedby=error_id(errors, request_fields::SUBJECTS)>
                                        <legend>{tr("requests.subjects")}</legend>
                                        <p class="field-hint">
                                            {move || text(lang.get(), "requests.subjects_hint")} " "
                                            {move || level.map(|l| l.label(lang.get())).unwrap_or_default()}
                                            {format!(" (1–{MAX_SUBJECTS})")}
                                        </p>
                                        <div class="choices">
                                            {offered.into_iter().map(|s| {
                                                let checked = chosen.iter().any(|c| c == s.code);
                                                view! {
                                                    <label class="choice">
                                                        <input type="checkbox" name=format!("{}[]", request_fields::SUBJECTS) value=s.code checked=checked/>
                                                        {move || s.label(lang.get())}
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                        <FieldMessage field=request_fields::SUBJECTS errors/>
                                    </fieldset>
                                    <div class="field">
                                        <label for="champ-difficulty">{tr("requests.difficulty")}</label>
                                        <p class="field-hint" id="champ-difficulty-aide">{tr("requests.difficulty_hint")}</p>
                                        <textarea id="champ-difficulty" name=request_fields::DIFFICULTY rows="5"
                                            maxlength=DIFFICULTY_MAX_CHARS.to_string()
                                            aria-invalid=has_error(errors, request_fields::DIFFICULTY)
                                            aria-describedby=move || error_id(errors, request_fields::DIFFICULTY)().map_or_else(|| "champ-difficulty-aide".to_owned(), |error| format!("champ-difficulty-aide {error}"))
                                        >{difficulty_text}</textarea>
                                        <FieldMessage field=request_fields::DIFFICULTY errors/>
                                    </div>
                                    <fieldset class="field" aria-invalid=has_error(errors, request_fields::MODE) aria-describedby=error_id(errors, request_fields::MODE)>
                                        <legend>{tr("requests.mode")}</legend>
                                        {Mode::ALL.into_iter().map(|m| {
                                            let key = match m {
                                                Mode::Both => "requests.mode_both",
                                                Mode::InPerson => "requests.mode_in_person",
                                                Mode::Online => m.label_key(),
                                            };
                                            view! {
                                                <label class="choice">
                                                    <input type="radio" name=request_fields::MODE value=m.as_str() checked=mode == Some(m)/>
                                                    {tr(key)}
                                                </label>
                                            }
                                        }).collect_view()}
                                        <FieldMessage field=request_fields::MODE errors/>
                                    </fieldset>
                                    <fieldset class="field" aria-invalid=has_error(errors, request_fields::SESSIONS_PER_WEEK) aria-describedby=error_id(errors, request_fields::SESSIONS_PER_WEEK)>
                                        <legend>{tr("requests.sessions_per_week")}</legend>
                                        {[(1_u8, "requests.one_session"), (2, "requests.two_sessions")].into_iter().map(|(n, key)| view! {
                                            <label class="choice">
                                                <input type="radio" name=request_fields::SESSIONS_PER_WEEK value=n.to_string()
                                                    checked=per_week == n data-testid=format!("request-per-week-{n}")/>
                                                {tr(key)}
                                            </label>
                                        }).collect_view()}
                                        <FieldMessage field=request_fields::SESSIONS_PER_WEEK errors/>
                                    </fieldset>
                                    <div class="field">
                                        <label for="champ-deadline">{tr("requests.deadline")}</label>
                                        <p class="field-hint" id="champ-deadline-aide">{tr("requests.deadline_hint")}</p>
                                        <input id="champ-deadline" type="date" name=request_fields::DEADLINE
                                            value=deadline_value
                                            aria-invalid=has_error(errors, request_fields::DEADLINE)
                                            aria-describedby=move || error_id(errors, request_fields::DEADLINE)().map_or_else(|| "champ-deadline-aide".to_owned(), |error| format!("champ-deadline-aide {error}"))/>
                                        <FieldMessage field=request_fields::DEADLINE errors/>
                                    </div>
                                    <button type="submit" class="primary" data-testid="request-submit">
                                        {tr(if has_request { "requests.update" } else { "requests.send" })}
                                    </button>
                                </ActionForm>
                                {has_request.then(|| view! {
                                    <ActionForm action=withdraw attr:class="answer-form">
                                        <button type="submit" data-testid="request-withdraw">{tr("requests.withdraw")}</button>
                                    </ActionForm>
                                })}
                            }.into_any()
                        }),
                    }
                })}
            </Suspense>
            <p><a href="/compte">{tr("common.back_to_account")}</a></p>
        </section>
    }
}

/// `/compte/offre`: the tutor's offer. The meeting school is found with a
/// search (a plain GET form), then chosen among the results.
#[component]
pub fn OfferPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let search = move || query.read().get("recherche").unwrap_or_default();
    let save = ServerAction::<SaveTutorOffer>::new();
    let pause = ServerAction::<PauseTutorOffer>::new();
    let mine = Resource::new(
        move || (save.version().get(), pause.version().get()),
        |_| my_tutor_offer(),
    );
    let results = Resource::new(search, |q| async move {
        if q.trim().is_empty() {
            Ok(Vec::new())
        } else {
            search_schools(q).await
        }
    });
    let errors = field_errors(save);
    let other = other_error(save);
    view! {
        <section class="narrow" aria-labelledby="offer-title">
            <h1 id="offer-title">{tr("offers.title")}</h1>
            <p>{tr("offers.lead")}</p>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let current = mine.await;
                    let found = results.await.unwrap_or_default();
                    loaded(current, |current| {
                        let mut rows: Vec<Option<OfferEntry>> = current.as_ref().map(|o| o.entries.iter().cloned().map(Some).collect()).unwrap_or_default();
                        rows.extend(std::iter::repeat_n(None, BLANK_ROWS));
                        let mode = current.as_ref().map(|o| o.mode);
                        let capacity = current.as_ref().map_or(1, |o| o.capacity);
                        let languages: Vec<String> = current.as_ref().map_or_else(|| vec!["fr".to_owned()], |o| o.languages.clone());
                        let mut schools = found;
                        if let Some(school) = current.as_ref().and_then(|o| o.meeting_school.clone()) {
                            if !schools.iter().any(|s| s.uai == school.uai) {
                                schools.insert(0, school);
                            }
                        }
                        let chosen_school = current.as_ref().and_then(|o| o.meeting_school.as_ref().map(|s| s.uai.clone()))
                            .or_else(|| (schools.len() == 1).then(|| schools[0].uai.clone()));
                        let paused = current.as_ref().map(|o| o.paused);
                        view! {
                            {paused.map(|paused| view! {
                                <div class="status" data-testid="offer-state" data-paused=paused.to_string()>
                                    <p>{tr(if paused { "offers.paused" } else { "offers.active" })}</p>
                                    <ActionForm action=pause attr:class="answer-form">
                                        <input type="hidden" name="paused" value=if paused { "0" } else { "1" }/>
                                        <button type="submit" data-testid="offer-pause">{tr(if paused { "offers.resume" } else { "offers.pause" })}</button>
                                    </ActionForm>
                                </div>
                            })}
                            <form method="get" action="/compte/offre" class="search-form" role="search">
                                <label for="recherche">{tr("offers.school_search")}</label>
                                <div class="search-row">
                                    <input id="recherche" name="recherche" type="search" value=search minlength="2"/>
                                    <button type="submit" data-testid="school-search">{tr("profiles.pupil.search")}</button>
                                </div>
                            </form>
                            <ActionForm action=save attr:novalidate=true>
                                <fieldset class="field" aria-invalid=has_error(errors, offer_fields::ENTRIES) aria-describedby=error_id(errors, offer_fields::ENTRIES)>
                                    <legend>{tr("offers.entries")}</legend>
                                    <p class="field-hint">{tr("offers.entries_hint")}</p>
                                    <ol class="slot-rows" data-testid="entry-rows">
                                        {rows.into_iter().enumerate().map(|(index, row)| {
                                            let (message, message_id) = row_error(errors, offer_fields::entry(index));
                                            let invalid = { let m = message.clone(); move || m().map(|_| "true") };
                                            let described = { let (m, id) = (message.clone(), message_id.clone()); move || m().map(|_| id.clone()) };
                                            let chosen_subject = row.as_ref().map(|r| r.subject_code.clone());
                                            let chosen_level = row.as_ref().map(|r| r.up_to_level.clone());
                                            view! {
                                                <li>
                                                  <fieldset class="slot-row">
                                                    <legend>{tr("offers.entry")} " " {(index + 1).to_string()}</legend>
                                                    <div>
                                                        <label for=format!("matiere-{index}")>{tr("offers.subject")}</label>
                                                        <select id=format!("matiere-{index}") name=format!("{}[]", offer_fields::SUBJECTS) aria-invalid=invalid.clone() aria-describedby=described.clone()>
                                                            <option value="">"—"</option>
                                                            {SUBJECTS.iter().map(|s| view! {
                                                                <option value=s.code selected=chosen_subject.as_deref() == Some(s.code)>{move || s.label(lang.get())}</option>
                                                            }).collect_view()}
                                                        </select>
                                                    </div>
                                                    <div>
                                                        <label for=format!("niveau-{index}")>{tr("offers.up_to")}</label>
                                                        <select id=format!("niveau-{index}") name=format!("{}[]", offer_fields::UP_TO) aria-invalid=invalid aria-describedby=described>
                                                            <option value="">"—"</option>
                                                            {LEVELS.iter().map(|l| view! {
                                                                <option value=l.code selected=chosen_level.as_deref() == Some(l.code)>{move || l.label(lang.get())}</option>
                                                            }).collect_view()}
                                                        </select>
                                                    </div>
                                                    {move || message().map(|key| view! {
                                                        <p class="field-error" id=message_id.clone()>{text(lang.get(), &key)}</p>
                                                    })}
                                                  </fieldset>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                    <FieldMessage field=offer_fields::ENTRIES errors/>
                                </fieldset>
                                <div class="field">
                                    <label for="champ-capacity">{tr("offers.capacity")}</label>
                                    <select id="champ-capacity" name=offer_fields::CAPACITY aria-invalid=has_error(errors, offer_fields::CAPACITY) aria-describedby=error_id(errors, offer_fields::CAPACITY)>
                                        {(1..=MAX_CAPACITY).map(|c| view! { <option value=c.to_string() selected=c == capacity>{c.to_string()}</option> }).collect_view()}
                                    </select>
                                    <FieldMessage field=offer_fields::CAPACITY errors/>
                                </div>
                                <fieldset class="field" aria-invalid=has_error(errors, offer_fields::MODE) aria-describedby=error_id(errors, offer_fields::MODE)>
                                    <legend>{tr("offers.mode")}</legend>
                                    {Mode::ALL.into_iter().map(|m| view! {
                                        <label class="choice">
                                            <input type="radio" name=offer_fields::MODE value=m.as_str() checked=mode == Some(m)/>
                                            {tr(m.label_key())}
                                        </label>
                                    }).collect_view()}
                                    <FieldMessage field=offer_fields::MODE errors/>
                                </fieldset>
                                <fieldset class="field" aria-invalid=has_error(errors, offer_fields::MEETING_SCHOOL) aria-describedby=error_id(errors, offer_fields::MEETING_SCHOOL)>
                                    <legend>{tr("offers.meeting_school")}</legend>
                                    <p class="field-hint">{tr("offers.meeting_school_hint")}</p>
                                    {schools.into_iter().map(|school| {
                                        let checked = chosen_school.as_deref() == Some(school.uai.as_str());
                                        view! {
                                            <label class="choice">
                                                <input type="radio" name=offer_fields::MEETING_SCHOOL value=school.uai.clone() checked=checked/>
                                                {format!("{} — {} ({})", school.name, school.commune, school.uai)}
                                            </label>
                                        }
                                    }).collect_view()}
                                    <FieldMessage field=offer_fields::MEETING_SCHOOL errors/>
                                </fieldset>
                                <div class="field">
                                    <label for="champ-max_distance_km">{tr("offers.max_distance")}</label>
                                    <input id="champ-max_distance_km" type="number" inputmode="numeric" min="1" max=MAX_DISTANCE_KM.to_string()
                                        name=offer_fields::MAX_DISTANCE
                                        value=current.as_ref().and_then(|o| o.max_distance_km).map(|d| d.to_string()).unwrap_or_default()
                                        aria-invalid=has_error(errors, offer_fields::MAX_DISTANCE) aria-describedby=error_id(errors, offer_fields::MAX_DISTANCE)/>
                                    <FieldMessage field=offer_fields::MAX_DISTANCE errors/>
                                </div>
                                <fieldset class="field" aria-invalid=has_error(errors, offer_fields::LANGUAGES) aria-describedby=error_id(errors, offer_fields::LANGUAGES)>
                                    <legend>{tr("offers.languages")}</legend>
                                    <div class="choices">
                                        {LANGUAGES.iter().map(|(code, key)| view! {
                                            <label class="choice">
                                                <input type="checkbox" name=format!("{}[]", offer_fields::LANGUAGES) value=*code checked=languages.iter().any(|l| l == code)/>
                                                {tr(key)}
                                            </label>
                                        }).collect_view()}
                                    </div>
                                    <FieldMessage field=offer_fields::LANGUAGES errors/>
                                </fieldset>
                                <button type="submit" class="primary" data-testid="offer-submit">{tr("offers.save")}</button>
                            </ActionForm>
                        }.into_any()
                    })
                })}
            </Suspense>
            <p><a href="/compte">{tr("common.back_to_account")}</a></p>
        </section>
    }
}

/// The weekday names, for pages listing intervals.
pub fn weekday_label(weekday: u8, lang: Lang) -> String {
    text(lang, weekday_key(weekday))
}
