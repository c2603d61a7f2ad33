//! The account pages: sign up, confirm, sign in, forgot and new password,
//! and the account's own page.

pub mod end_match;
pub mod my_data;
pub mod password;
pub mod second_factor;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::accounts::api::{signed_in, SignOut};
use crate::accounts::Role;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    field_errors, loaded, message_of, other_error, FieldErrorList, FormErrors,
};
use crate::error::AppError;
use crate::feedback::pending_feedback;
use crate::i18n::{date_text, text, tr, use_lang};
use crate::pages::needs::{level_label, subjects_text};
use crate::proposals::{
    fields as proposal_fields, my_matches, my_proposals, AnswerMyProposal, REASON_MAX_CHARS,
};
use crate::pupils::api::my_pupil_profile;
use crate::sessions::{
    fields as session_fields, ConfirmSeries, EndSeries, PauseSeries, ProposeSeries, SeriesView,
    SlotChoice, LENGTHS, REASON_MAX_CHARS as SESSION_REASON_MAX_CHARS,
};
use crate::tutors::api::my_tutor_profile;
use end_match::EndMatchForm;

/// `/compte`: who is signed in, and the way out. Anonymous visitors are
/// sent to the sign-in page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| signed_in());
    let lang = use_lang();
    view! {
        <section class="narrow" aria-labelledby="account-title">
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || user.get().map(|result| match result {
                    Ok(Some(user)) => {
                        let role = user.role.label_key();
                        view! {
                            <h1 id="account-title">
                                {move || text(lang.get(), "accounts.account.title")}
                            </h1>
                            <p data-testid="account-greeting">
                                {if user.first_name.is_empty() {
                                    user.email.clone()
                                } else {
                                    format!("{} {}", user.first_name, user.last_name)
                                }}
                            </p>
                            <dl class="facts">
                                <dt>{tr("accounts.account.email")}</dt>
                                <dd>{user.email.clone()}</dd>
                                <dt>{tr("accounts.account.role")}</dt>
                                <dd data-testid="account-role">{move || text(lang.get(), role)}</dd>
                            </dl>
                            <RoleSection role=user.role/>
                            <p><a href="/compte/donnees" data-testid="my-data-link">{tr("privacy.data.link")}</a></p>
                            <SignOutButton/>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <Redirect path="/connexion"/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// What the account page shows for each role: the profile and what to do
/// next, or the way to the role's pages.
#[component]
fn RoleSection(role: Role) -> impl IntoView {
    match role {
        Role::Pupil => view! { <FeedbackNotice/> <MyMatches tutor=false/> <PupilSummary/> }.into_any(),
        Role::Tutor => view! {
            <FeedbackNotice/> <MyMatches tutor=true/> <TutorSummary/>
            <p><a href="/attestation" data-testid="attestation-link">{tr("attestation.link")}</a></p>
        }.into_any(),
        Role::Parent => view! {
            <p><a href="/parent" data-testid="parent-space-link">{tr("accounts.account.parent_space")}</a></p>
        }.into_any(),
        Role::Coordinator => view! {
            <ul>
                <li><a href="/coordination" data-testid="coordination-link">{tr("accounts.account.coordination")}</a></li>
                <li><a href="/compte/double-authentification" data-testid="second-factor-link">{tr("second_factor.manage_link")}</a></li>
            </ul>
        }.into_any(),
        Role::Administrator => view! {
            <ul>
                <li><a href="/administration" data-testid="administration-link">{tr("accounts.account.administration")}</a></li>
                <li><a href="/administration/journal">{tr("accounts.account.audit")}</a></li>
                <li><a href="/compte/double-authentification" data-testid="second-factor-link">{tr("second_factor.manage_link")}</a></li>
            </ul>
        }.into_any(),
    }
}

/// On the next visit after a session: how many sessions await the user's
/// feedback, with the link to give it (nothing when none does).
#[component]
fn FeedbackNotice() -> impl IntoView {
    let lang = use_lang();
    let pending = Resource::new(|| (), |_| pending_feedback());
    view! {
        <Suspense fallback=|| ()>
            {move || pending.get().and_then(Result::ok).filter(|sessions| !sessions.is_empty()).map(|sessions| {
                let count = sessions.len().to_string();
                view! {
                    <p class="notice" role="status">
                        <a href="/avis" data-testid="feedback-notice">
                            {move || text(lang.get(), "feedback.notice").replace("%{count}", &count)}
                        </a>
                    </p>
                }
            })}
        </Suspense>
    }
}

/// The proposals waiting for the signed-in tutor's answer, each with its
/// answer form (the same as the emailed link's page).
#[component]
fn PendingProposals(answer: ServerAction<AnswerMyProposal>) -> impl IntoView {
    let lang = use_lang();
    let pending = Resource::new(move || answer.version().get(), |_| my_proposals());
    let errors = field_errors(answer);
    view! {
        <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
            {move || pending.get().map(|result| loaded(result, move |pending| {
                if pending.is_empty() {
                    return ().into_any();
                }
                view! {
                    <h3>{tr("matches.pending_title")}</h3>
                    <FormErrors errors/>
                    {pending.into_iter().map(|p| {
                        let level = p.level_code.clone();
                        let subjects = p.subjects.clone();
                        let slot = p.tutor_slot.clone();
                        let reason_id = format!("champ-raison-proposition-{}", p.id);
                        view! {
                            <article class="card" data-testid="pending-proposal">
                                <p>
                                    <strong>{p.pupil_first_name.clone()}</strong> " · "
                                    {move || level_label(&level, lang.get())} " · "
                                    {move || subjects_text(&subjects, lang.get())}
                                    <br/>
                                    {move || slot.text(lang.get())}
                                    <br/>
                                    <small>{tr("proposals.answer_before")} " " {p.expires_at.clone()}</small>
                                </p>
                                <ActionForm action=answer attr:class="answer-form" attr:novalidate=true>
                                    <input type="hidden" name=proposal_fields::PROPOSAL value=p.id.to_string()/>
                                    <button type="submit" name=proposal_fields::ANSWER value="accept" class="primary" data-testid="pending-accept">
                                        {tr("proposals.accept")}
                                    </button>
                                    <label for=reason_id.clone()>{tr("proposals.reason")}</label>
                                    <textarea id=reason_id name=proposal_fields::REASON rows="2" maxlength=REASON_MAX_CHARS.to_string()></textarea>
                                    <button type="submit" name=proposal_fields::ANSWER value="decline" data-testid="pending-decline">
                                        {tr("proposals.decline")}
                                    </button>
                                </ActionForm>
                            </article>
                        }
                    }).collect_view()}
                }.into_any()
            }))}
        </Suspense>
    }
}

/// The signed-in pupil's or tutor's active matches (binômes), and for a
/// tutor the proposals waiting for their answer.
#[component]
fn MyMatches(tutor: bool) -> impl IntoView {
    let lang = use_lang();
    let answer = ServerAction::<AnswerMyProposal>::new();
    // Bumped when a slot is proposed or confirmed: each form has its own
    // action (and so its own errors), and the list is read again.
    let changed = RwSignal::new(0_u32);
    let matches = Resource::new(
        move || (answer.version().get(), changed.get()),
        |_| my_matches(),
    );
    view! {
        <section class="role-section" aria-labelledby="matches-title">
            <h2 id="matches-title">{tr("matches.title")}</h2>
            {tutor.then(|| view! { <PendingProposals answer/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || matches.get().map(|result| loaded(result, |matches| {
                    if matches.is_empty() {
                        return view! { <p data-testid="no-match">{tr("matches.none")}</p> }.into_any();
                    }
                    view! {
                        <ul class="matches">
                            {matches.into_iter().map(|m| {
                                let subjects = m.subjects.clone();
                                let slot = m.slot.clone();
                                let role = if m.as_tutor { "matches.your_pupil" } else { "matches.your_tutor" };
                                view! {
                                    <li data-testid="match">
                                        {tr(role)} {tr("common.colon")} <strong data-testid="match-other">{m.other_name.clone()}</strong>
                                        <br/>
                                        {move || subjects_text(&subjects, lang.get())}
                                        " · "
                                        <span data-testid="match-slot">{move || slot.text(lang.get())}</span>
                                        <MatchSessions match_id=m.id as_tutor=m.as_tutor series=m.series.clone()
                                            choice=m.slot_choice.clone().filter(|c| c.slot_number == 1) changed/>
                                        {(!m.shared_slots.is_empty()).then(|| {
                                            let shared = m.shared_slots.clone();
                                            view! {
                                                <details data-testid="shared-slots">
                                                    <summary>{tr("sessions.shared_slots")}</summary>
                                                    <ul>
                                                        {shared.into_iter().map(|slot| view! { <li>{move || slot.text(lang.get())}</li> }).collect_view()}
                                                    </ul>
                                                </details>
                                            }
                                        })}
                                        {(m.second_series.is_some()
                                            || (m.sessions_per_week == 2 && m.series.as_ref().is_some_and(|s| s.status == "confirmed"))).then(|| view! {
                                            <div class="second-series" data-testid="second-series">
                                                <h3>{tr("sessions.second_title")}</h3>
                                                <MatchSessions match_id=m.id as_tutor=m.as_tutor series=m.second_series.clone()
                                                    choice=m.slot_choice.clone().filter(|c| c.slot_number == 2) changed/>
                                                {(!m.as_tutor && m.second_series.is_none()).then(|| view! {
                                                    <p data-testid="second-series-waiting">{tr("sessions.second_waiting")}</p>
                                                })}
                                            </div>
                                        })}
                                        <p class="match-actions">
                                            <a href=format!("/signaler?binome={}", m.id) data-testid="match-report">{tr("reports.link")}</a>
                                        </p>
                                        <EndMatchForm match_id=m.id as_tutor=m.as_tutor changed/>
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

/// A match's weekly sessions: the tutor proposes a slot (again, until the
/// pupil confirms), the pupil confirms it, then both see it and the way to
/// their calendar. `changed` is bumped after each success.
#[component]
fn MatchSessions(
    match_id: i64,
    as_tutor: bool,
    series: Option<SeriesView>,
    choice: Option<SlotChoice>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let status = series.as_ref().map(|s| s.status.clone());
    let summary = series.clone().map(|s| {
        let slot = s.slot.clone();
        let first = s.first_date.clone();
        let venue = s.venue.clone();
        let link = venue.url().map(str::to_owned);
        let mode = venue.code();
        view! {
            <span data-testid="series-slot">{move || slot.text(lang.get())}</span>
            " " {move || text(lang.get(), "sessions.from").replace("%{date}", &date_text(lang.get(), &first))}
            <br/><span data-testid="series-venue" data-mode=mode>{move || venue.text(lang.get())}</span>
            {link.map(|url| view! { " " <a href=url data-testid="series-video" rel="noopener">{tr("sessions.join")}</a> })}
        }
    });
    let part = match (status.as_deref(), as_tutor) {
        (Some("confirmed"), _) => {
            let id = series.as_ref().map_or(0, |s| s.id);
            view! {
                <p data-testid="series" data-status="confirmed">
                    {tr("sessions.confirmed")} " " {summary}
                    <br/><a href="/calendrier" data-testid="calendar-link">{tr("sessions.calendar_link")}</a>
                </p>
                <PauseForm series_id=id changed/>
                <EndForm series_id=id changed/>
            }.into_any()
        }
        (Some(_), false) => {
            let id = series.as_ref().map_or(0, |s| s.id);
            view! {
                <p data-testid="series" data-status="proposed">{tr("sessions.proposed_to_you")} " " {summary}</p>
                <ConfirmForm series_id=id changed/>
            }.into_any()
        }
        (Some(_), true) => view! {
            <p data-testid="series" data-status="proposed">{tr("sessions.waiting")} " " {summary}</p>
            {choice.map(|choice| view! { <SlotForm match_id choice changed/> })}
        }.into_any(),
        (None, true) => choice.map(|choice| view! { <SlotForm match_id choice changed/> }).into_any(),
        (None, false) => ().into_any(),
    };
    view! { <div class="match-sessions">{part}</div> }
}

/// Bumps `changed` each time `action` succeeds.
fn on_success<S>(action: ServerAction<S>, changed: RwSignal<u32>)
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            changed.update(|n| *n += 1);
        }
    });
}

/// The pupil's button to confirm the slot their tutor proposed.
#[component]
fn ConfirmForm(series_id: i64, changed: RwSignal<u32>) -> impl IntoView {
    let confirm = ServerAction::<ConfirmSeries>::new();
    on_success(confirm, changed);
    let errors = field_errors(confirm);
    let other = other_error(confirm);
    view! {
        <FormErrors errors/>
        {move || other.get().map(|error| view! { <ErrorMessage error/> })}
        <ActionForm action=confirm attr:novalidate=true>
            <input type="hidden" name=session_fields::SERIES value=series_id.to_string()/>
            <button type="submit" class="primary" data-testid="series-confirm">{tr("sessions.confirm")}</button>
        </ActionForm>
    }
}

/// Either side's form to pause the weekly sessions over a period (school
/// holidays), with a reason filled in for them.
#[component]
fn PauseForm(series_id: i64, changed: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let pause = ServerAction::<PauseSeries>::new();
    on_success(pause, changed);
    let errors = field_errors(pause);
    let other = other_error(pause);
    let id = move |field: &str| format!("champ-pause-{field}-{series_id}");
    view! {
        <details>
            <summary data-testid="series-pause-open">{tr("sessions.pause")}</summary>
            <FormErrors errors/>
            <FieldErrorList errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action=pause attr:novalidate=true>
                <input type="hidden" name=session_fields::SERIES value=series_id.to_string()/>
                <p class="hint">{tr("sessions.pause_hint")}</p>
                <div class="field">
                    <label for=id(session_fields::FROM)>{tr("sessions.pause_from")}</label>
                    <input id=id(session_fields::FROM) type="date" name=session_fields::FROM data-testid="series-pause-from"/>
                </div>
                <div class="field">
                    <label for=id(session_fields::TO)>{tr("sessions.pause_to")}</label>
                    <input id=id(session_fields::TO) type="date" name=session_fields::TO data-testid="series-pause-to"/>
                </div>
                <div class="field">
                    <label for=id(session_fields::REASON)>{tr("sessions.pause_reason")}</label>
                    <input id=id(session_fields::REASON) type="text" name=session_fields::REASON
                        maxlength=SESSION_REASON_MAX_CHARS.to_string() data-testid="series-pause-reason"
                        value=move || text(lang.get(), "sessions.pause_default_reason")/>
                </div>
                <button type="submit" data-testid="series-pause">{tr("sessions.pause_submit")}</button>
            </ActionForm>
        </details>
    }
}

/// Either side's form to end the weekly sessions from a date, with a
/// reason.
#[component]
fn EndForm(series_id: i64, changed: RwSignal<u32>) -> impl IntoView {
    let end = ServerAction::<EndSeries>::new();
    on_success(end, changed);
    let errors = field_errors(end);
    let other = other_error(end);
    let date_id = format!("champ-fin-{series_id}");
    let reason_id = format!("champ-raison-fin-{series_id}");
    view! {
        <details>
            <summary data-testid="series-end-open">{tr("sessions.end")}</summary>
            <FormErrors errors/>
            <FieldErrorList errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action=end attr:novalidate=true>
                <input type="hidden" name=session_fields::SERIES value=series_id.to_string()/>
                <div class="field">
                    <label for=date_id.clone()>{tr("sessions.end_date")}</label>
                    <input id=date_id type="date" name=session_fields::DATE data-testid="series-end-date"/>
                </div>
                <div class="field">
                    <label for=reason_id.clone()>{tr("sessions.end_reason")}</label>
                    <textarea id=reason_id name=session_fields::REASON rows="2"
                        maxlength=SESSION_REASON_MAX_CHARS.to_string() data-testid="series-end-reason"></textarea>
                </div>
                <button type="submit" data-testid="series-end">{tr("sessions.end_submit")}</button>
            </ActionForm>
        </details>
    }
}

/// The tutor's form to propose a weekly slot among those both share.
#[component]
fn SlotForm(match_id: i64, choice: SlotChoice, changed: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let propose = ServerAction::<ProposeSeries>::new();
    on_success(propose, changed);
    let errors = field_errors(propose);
    let other = other_error(propose);
    // Ids of this match's form, so that several forms on the page differ.
    let id = move |field: &str| format!("champ-{field}-{match_id}");
    let described = move |field: &'static str| {
        move || message_of(&errors.get(), field).map(|_| format!("champ-{field}-{match_id}-erreur"))
    };
    let invalid =
        move |field: &'static str| move || message_of(&errors.get(), field).map(|_| "true");
    let message = move |field: &'static str| {
        move || {
            message_of(&errors.get(), field).map(|key| view! {
            <p class="field-error" id=format!("champ-{field}-{match_id}-erreur")>{text(lang.get(), &key)}</p>
        })
        }
    };
    view! {
        {if choice.slots.is_empty() {
            view! { <p data-testid="no-shared-slot">{tr("sessions.no_shared_slot")}</p> }.into_any()
        } else {
                view! {
                    <FormErrors errors/>
                    {move || other.get().map(|error| view! { <ErrorMessage error/> })}
                    <ActionForm action=propose attr:class="slot-form" attr:novalidate=true>
                        <fieldset>
                            <legend>{tr("sessions.propose_title")}</legend>
                            <input type="hidden" name=session_fields::MATCH value=match_id.to_string()/>
                            <input type="hidden" name=session_fields::SLOT_NUMBER value=choice.slot_number.to_string()/>
                            <div class="field">
                                <label for=id(session_fields::SLOT)>{tr("sessions.slot")}</label>
                                <select id=id(session_fields::SLOT) name=session_fields::SLOT data-testid="series-slot-choice"
                                    aria-invalid=invalid(session_fields::SLOT) aria-describedby=described(session_fields::SLOT)>
                                    {choice.slots.into_iter().map(|option| {
                                        let (mine, pupil) = (option.tutor.clone(), option.pupil.clone());
                                        view! {
                                            <option value=option.code.clone()>
                                                {move || format!("{} — {}", mine.text(lang.get()), pupil.text(lang.get()))}
                                            </option>
                                        }
                                    }).collect_view()}
                                </select>
                                {message(session_fields::SLOT)}
                            </div>
                            <div class="field">
                                <label for=id(session_fields::MINUTES)>{tr("sessions.minutes")}</label>
                                <select id=id(session_fields::MINUTES) name=session_fields::MINUTES data-testid="series-minutes"
                                    aria-invalid=invalid(session_fields::MINUTES) aria-describedby=described(session_fields::MINUTES)>
                                    {LENGTHS.into_iter().map(|minutes| view! {
                                        <option value=minutes.to_string() selected=minutes == 60>
                                            {move || text(lang.get(), "sessions.minutes_option").replace("%{minutes}", &minutes.to_string())}
                                        </option>
                                    }).collect_view()}
                                </select>
                                {message(session_fields::MINUTES)}
                            </div>
                            <div class="field">
                                <label for=id(session_fields::VENUE)>{tr("sessions.venue")}</label>
                                <select id=id(session_fields::VENUE) name=session_fields::VENUE data-testid="series-venue-choice"
                                    aria-invalid=invalid(session_fields::VENUE) aria-describedby=described(session_fields::VENUE)>
                                    {choice.venues.into_iter().map(|venue| {
                                        let code = venue.code();
                                        view! { <option value=code>{move || venue.text(lang.get())}</option> }
                                    }).collect_view()}
                                </select>
                                {message(session_fields::VENUE)}
                            </div>
                            <div class="field">
                                <label for=id(session_fields::FIRST_DATE)>{tr("sessions.first_date")}</label>
                                <input id=id(session_fields::FIRST_DATE) type="date" name=session_fields::FIRST_DATE
                                    value=choice.first_date.clone() min=choice.first_date.clone()
                                    aria-invalid=invalid(session_fields::FIRST_DATE) aria-describedby=described(session_fields::FIRST_DATE)
                                    data-testid="series-first-date"/>
                                {message(session_fields::FIRST_DATE)}
                            </div>
                            <button type="submit" class="primary" data-testid="series-propose">{tr("sessions.propose")}</button>
                        </fieldset>
                    </ActionForm>
                }.into_any()
        }}
    }
}

#[component]
fn PupilSummary() -> impl IntoView {
    let lang = use_lang();
    let profile = Resource::new(|| (), |_| my_pupil_profile());
    view! {
        <section class="role-section" aria-labelledby="pupil-summary-title">
            <h2 id="pupil-summary-title">{tr("profiles.pupil.title")}</h2>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || profile.get().map(|result| loaded(result, |profile| match profile {
                    None => view! {
                        <p data-testid="profile-status">{tr("profiles.pupil.missing")}</p>
                        <p><a class="button" href="/compte/eleve" data-testid="complete-profile">{tr("profiles.complete")}</a></p>
                    }.into_any(),
                    Some(profile) => {
                        let level = crate::levels::level(&profile.level_code);
                        let status_key = if profile.may_request_help {
                            "profiles.pupil.may_request_help"
                        } else {
                            "profiles.pupil.waiting_for_consent"
                        };
                        let consent_key = profile.consent.label_key();
                        view! {
                            <dl class="facts">
                                <dt>{tr("profiles.pupil.school")}</dt>
                                <dd>{format!("{} — {}", profile.school.name, profile.school.commune)}</dd>
                                <dt>{tr("profiles.pupil.level")}</dt>
                                <dd>{move || level.map(|l| l.label(lang.get())).unwrap_or_default()}</dd>
                                {profile.under_15.then(|| view! {
                                    <dt>{tr("profiles.pupil.consent")}</dt>
                                    <dd data-testid="consent-status">{move || text(lang.get(), consent_key)}</dd>
                                })}
                            </dl>
                            <p class="status" data-testid="profile-status"
                                data-may-request-help=profile.may_request_help.to_string()>
                                {move || text(lang.get(), status_key)}
                            </p>
                            <p><a href="/compte/eleve">{tr("profiles.edit")}</a></p>
                            <p><a class="button" href="/compte/demande" data-testid="request-link">{tr("requests.link")}</a></p>
                            <p><a href="/compte/disponibilites" data-testid="availability-link">{tr("availability.link")}</a></p>
                            <p><a href="/signaler">{tr("reports.link")}</a></p>
                        }.into_any()
                    }
                }))}
            </Suspense>
        </section>
    }
}

#[component]
fn TutorSummary() -> impl IntoView {
    let lang = use_lang();
    let profile = Resource::new(|| (), |_| my_tutor_profile());
    view! {
        <section class="role-section" aria-labelledby="tutor-summary-title">
            <h2 id="tutor-summary-title">{tr("profiles.tutor.title")}</h2>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || profile.get().map(|result| loaded(result, |profile| match profile {
                    None => view! {
                        <p data-testid="profile-status">{tr("profiles.tutor.missing")}</p>
                        <p><a class="button" href="/compte/tuteur" data-testid="complete-profile">{tr("profiles.complete")}</a></p>
                    }.into_any(),
                    Some(profile) => {
                        let status_key = profile.status.label_key();
                        let next_key = if profile.proposable { "profiles.tutor.proposable" } else { "profiles.tutor.not_proposable" };
                        view! {
                            <dl class="facts">
                                <dt>{tr("profiles.tutor.institution")}</dt>
                                <dd>{profile.institution.clone()}</dd>
                                <dt>{tr("profiles.tutor.status")}</dt>
                                <dd data-testid="tutor-status">{move || text(lang.get(), status_key)}</dd>
                            </dl>
                            <p class="status" data-testid="profile-status">{move || text(lang.get(), next_key)}</p>
                            <p><a href="/compte/tuteur">{tr("profiles.edit")}</a></p>
                            <p><a class="button" href="/compte/offre" data-testid="offer-link">{tr("offers.link")}</a></p>
                            <p><a href="/compte/disponibilites" data-testid="availability-link">{tr("availability.link")}</a></p>
                            <p><a href="/signaler">{tr("reports.link")}</a></p>
                        }.into_any()
                    }
                }))}
            </Suspense>
        </section>
    }
}

/// A button that signs out (a form, so it works without JavaScript).
#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <button type="submit" class="link-button" data-testid="sign-out">
                {tr("accounts.sign_out")}
            </button>
        </ActionForm>
    }
}
