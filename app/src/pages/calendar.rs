//! `/calendrier`: the signed-in pupil's or tutor's sessions of the next
//! weeks, in their own time zone, as a list or week by week
//! (`?vue=semaine`). Each session still to come can
//! be moved or cancelled with a reason (the other side is emailed). Rendered on the
//! server: it reads and works the same without JavaScript, and on a phone.
//! Below, the private link a phone's calendar can subscribe to.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::availability::clock;
use crate::availability::weekday_key;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, loaded, other_error, FieldErrorList, FormErrors};
use crate::i18n::{date_text, text, tr, use_lang};
use crate::sessions::{
    feed_link, fields, my_calendar, my_week, CalendarEntry, CancelSession, MoveSession, RenewFeed,
    RevokeFeed, WeekView, LENGTHS, REASON_MAX_CHARS,
};

fn status_key(status: &str) -> &'static str {
    match status {
        "moved" => "calendar.status.moved",
        "cancelled" => "calendar.status.cancelled",
        _ => "calendar.status.scheduled",
    }
}

/// `/calendrier`.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let lang = use_lang();
    let cancel = ServerAction::<CancelSession>::new();
    let moving = ServerAction::<MoveSession>::new();
    let query = use_query_map();
    let week_view = move || query.read().get("vue").as_deref() == Some("semaine");
    // The list, unless the week is asked for (`?vue=semaine`).
    let entries = Resource::new(
        move || (cancel.version().get(), moving.version().get(), week_view()),
        |(_, _, week)| async move {
            if week {
                Ok(Vec::new())
            } else {
                my_calendar().await
            }
        },
    );
    let errors = field_errors(cancel);
    let other = other_error(cancel);
    let move_errors = field_errors(moving);
    let move_other = other_error(moving);
    view! {
        <section class="narrow" aria-labelledby="calendar-title">
            <h1 id="calendar-title">{tr("calendar.title")}</h1>
            <FormErrors errors/>
            <FieldErrorList errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <FormErrors errors=move_errors/>
            <FieldErrorList errors=move_errors/>
            {move || move_other.get().map(|error| view! { <ErrorMessage error/> })}
            <nav class="calendar-views" aria-label=move || text(lang.get(), "calendar.views")>
                <a href="/calendrier" aria-current=move || (!week_view()).then_some("page") data-testid="view-list">{tr("calendar.view_list")}</a>
                " · "
                <a href="/calendrier?vue=semaine" aria-current=move || week_view().then_some("page") data-testid="view-week">{tr("calendar.view_week")}</a>
            </nav>
            {move || week_view().then(|| view! { <WeekSection/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || (!week_view()).then(|| entries.get().map(|result| loaded(result, move |entries: Vec<CalendarEntry>| {
                    let Some(zone) = entries.first().map(|e| e.time_zone.clone()) else {
                        return view! { <p data-testid="calendar-empty">{tr("calendar.none")}</p> }.into_any();
                    };
                    view! {
                        <p>{move || text(lang.get(), "calendar.lead").replace("%{zone}", &zone)}</p>
                        <ol class="calendar" data-testid="calendar">
                            {entries.into_iter().map(|e| {
                                let with = if e.as_tutor { "calendar.with_pupil" } else { "calendar.with_tutor" };
                                let other = e.other_name.clone();
                                let cancelled = e.status == "cancelled";
                                let date = e.date.clone();
                                let reason_id = format!("champ-raison-seance-{}", e.id);
                                let move_form = e.cancellable.then(|| view! { <MoveForm action=moving entry=e.clone()/> });
                                view! {
                                    <li data-testid="calendar-entry" data-status=e.status.clone() class:cancelled=cancelled>
                                        <time datetime=format!("{}T{}", e.date, e.from)>
                                            {move || text(lang.get(), weekday_key(e.weekday))} " " {move || date_text(lang.get(), &date)}
                                            " · " <strong data-testid="calendar-time">{format!("{}–{}", e.from, e.to)}</strong>
                                        </time>
                                        " " {move || text(lang.get(), with).replace("%{name}", &other)}
                                        " · " {tr(status_key(&e.status))}
                                        {(!cancelled).then(|| {
                                            let venue = e.venue.clone();
                                            let link = venue.url().map(str::to_owned);
                                            let mode = venue.code();
                                            view! {
                                                <br/><span data-testid="calendar-venue" data-mode=mode>{move || venue.text(lang.get())}</span>
                                                {link.map(|url| view! { " · " <a href=url data-testid="calendar-video" rel="noopener">{tr("sessions.join")}</a> })}
                                            }
                                        })}
                                        {e.cancellable.then(|| view! {
                                            <details>
                                                <summary data-testid="session-cancel-open">{tr("calendar.cancel")}</summary>
                                                <ActionForm action=cancel attr:novalidate=true>
                                                    <input type="hidden" name=fields::OCCURRENCE value=e.id.to_string()/>
                                                    <div class="field">
                                                        <label for=reason_id.clone()>{tr("calendar.cancel_reason")}</label>
                                                        <textarea id=reason_id name=fields::REASON rows="2"
                                                            maxlength=REASON_MAX_CHARS.to_string() data-testid="session-cancel-reason"></textarea>
                                                    </div>
                                                    <button type="submit" data-testid="session-cancel">{tr("calendar.cancel_submit")}</button>
                                                </ActionForm>
                                            </details>
                                        })}
                                        {move_form}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                })))}
            </Suspense>
            <FeedSection/>
            <p><a href="/compte">{tr("common.back_to_account")}</a></p>
        </section>
    }
}

/// `/calendrier?vue=semaine&du=YYYY-MM-DD`: one week, Monday to Sunday in
/// the viewer's zone, each day with its sessions, and links to the weeks
/// before and after (plain links: it works without JavaScript).
#[component]
fn WeekSection() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let week = Resource::new(move || query.read().get("du").unwrap_or_default(), my_week);
    let link = |monday: &str| format!("/calendrier?vue=semaine&du={monday}");
    view! {
        <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
            {move || week.get().map(|result| loaded(result, move |week: WeekView| {
                let zone = week.time_zone.clone();
                view! {
                    <p>{move || text(lang.get(), "calendar.week_lead").replace("%{zone}", &zone)}</p>
                    <nav class="week-nav" aria-label=move || text(lang.get(), "calendar.weeks")>
                        {week.previous.map(|monday| view! {
                            <a href=link(&monday) data-testid="week-previous">{tr("calendar.week_previous")}</a>
                        })}
                        " "
                        {week.next.map(|monday| view! {
                            <a href=link(&monday) data-testid="week-next">{tr("calendar.week_next")}</a>
                        })}
                    </nav>
                    <ol class="week" data-testid="week">
                        {week.days.into_iter().map(|day| {
                            let date = day.date.clone();
                            let free = day.entries.is_empty();
                            view! {
                                <li data-testid="week-day" data-date=day.date.clone()>
                                    <h2 class="week-day">
                                        {move || text(lang.get(), weekday_key(day.weekday))} " " {move || date_text(lang.get(), &date)}
                                    </h2>
                                    {free.then(|| view! { <p class="field-hint">{tr("calendar.week_free")}</p> })}
                                    <ul>
                                        {day.entries.into_iter().map(|e| {
                                            let with = if e.as_tutor { "calendar.with_pupil" } else { "calendar.with_tutor" };
                                            let other = e.other_name.clone();
                                            let venue = e.venue.clone();
                                            view! {
                                                <li data-testid="week-entry" data-status=e.status.clone() class:cancelled=e.status == "cancelled">
                                                    <strong>{format!("{}–{}", e.from, e.to)}</strong>
                                                    " " {move || text(lang.get(), with).replace("%{name}", &other)}
                                                    " · " {tr(status_key(&e.status))}
                                                    " · " {move || venue.text(lang.get())}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }))}
        </Suspense>
    }
}

/// The form that moves one session: a date and a start time in the
/// viewer's zone (half hours, from a list), a length and a reason.
#[component]
fn MoveForm(action: ServerAction<MoveSession>, entry: CalendarEntry) -> impl IntoView {
    let lang = use_lang();
    let id = entry.id;
    let date_id = format!("champ-date-seance-{id}");
    let start_id = format!("champ-heure-seance-{id}");
    let minutes_id = format!("champ-duree-seance-{id}");
    let reason_id = format!("champ-raison-deplacement-{id}");
    let zone = entry.time_zone.clone();
    let current = entry.from.clone();
    view! {
        <details>
            <summary data-testid="session-move-open">{tr("calendar.move")}</summary>
            <ActionForm action attr:novalidate=true>
                <input type="hidden" name=fields::OCCURRENCE value=id.to_string()/>
                <div class="field">
                    <label for=date_id.clone()>{tr("calendar.move_date")}</label>
                    <input id=date_id type="date" name=fields::DATE value=entry.date.clone()
                        data-testid="session-move-date"/>
                </div>
                <div class="field">
                    <label for=start_id.clone()>
                        {move || text(lang.get(), "calendar.move_start").replace("%{zone}", &zone)}
                    </label>
                    <select id=start_id name=fields::START data-testid="session-move-start">
                        {(0..48_u16).map(|half| {
                            let minute = half * 30;
                            let label = clock(minute);
                            let selected = label == current;
                            view! { <option value=minute.to_string() selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=minutes_id.clone()>{tr("sessions.minutes")}</label>
                    <select id=minutes_id name=fields::MINUTES data-testid="session-move-minutes">
                        {LENGTHS.iter().map(|m| {
                            let m = *m;
                            view! {
                                <option value=m.to_string() selected=m == entry.minutes>
                                    {move || text(lang.get(), "sessions.minutes_option").replace("%{minutes}", &m.to_string())}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=reason_id.clone()>{tr("calendar.move_reason")}</label>
                    <textarea id=reason_id name=fields::REASON rows="2"
                        maxlength=REASON_MAX_CHARS.to_string() data-testid="session-move-reason"></textarea>
                </div>
                <button type="submit" data-testid="session-move">{tr("calendar.move_submit")}</button>
            </ActionForm>
        </details>
    }
}

/// `webcal://` for an `http(s)://` URL: phones open it as a subscription.
fn webcal(url: &str) -> String {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    format!("webcal://{rest}")
}

/// The private subscription link: created, shown, replaced or deleted.
#[component]
fn FeedSection() -> impl IntoView {
    let renew = ServerAction::<RenewFeed>::new();
    let revoke = ServerAction::<RevokeFeed>::new();
    let link = Resource::new(
        move || (renew.version().get(), revoke.version().get()),
        |_| feed_link(),
    );
    view! {
        <section aria-labelledby="feed-title">
            <h2 id="feed-title">{tr("calendar.feed.title")}</h2>
            <p>{tr("calendar.feed.lead")}</p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || link.get().map(|result| loaded(result, move |link: Option<String>| match link {
                    Some(url) => view! {
                        <p>
                            <label for="lien-abonnement">{tr("calendar.feed.link")}</label>
                            <input id="lien-abonnement" type="text" readonly=true value=url.clone()
                                class="feed-url" data-testid="feed-url"/>
                        </p>
                        <p><a href=webcal(&url) data-testid="feed-webcal">{tr("calendar.feed.title")}</a></p>
                        <ActionForm action=renew>
                            <button type="submit" data-testid="feed-renew">{tr("calendar.feed.renew")}</button>
                        </ActionForm>
                        <ActionForm action=revoke>
                            <button type="submit" data-testid="feed-revoke">{tr("calendar.feed.revoke")}</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <p data-testid="feed-none">{tr("calendar.feed.none")}</p>
                        <ActionForm action=renew>
                            <button type="submit" data-testid="feed-create">{tr("calendar.feed.create")}</button>
                        </ActionForm>
                    }.into_any(),
                }))}
            </Suspense>
        </section>
    }
}
