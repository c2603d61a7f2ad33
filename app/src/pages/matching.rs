//! `/coordination/appariement`: a coordinator runs a dry run of matching on
//! their scope (a plain GET form, so it works without JavaScript) and reads
//! the proposals with their slot in both local times and the score's
//! parts, each pupil left out with the reason, and the supply gap, which
//! also downloads as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::error_message::ErrorMessage;
use crate::components::form::{loaded, other_error};
use crate::error::{AppError, FieldError};
use crate::i18n::{text, tr, use_lang};
use crate::matching::{
    fields, matching_dry_run, matching_progress, published_proposals, DryRun, ExcludePair, FixPair,
    ForgetChoice, PublishMatching, PupilRef, SetSchoolPriority, REASON_MAX_CHARS,
};
use crate::pages::needs::{level_label, subject_label, subjects_text, weekday_label};

fn reason_key(code: &str) -> &'static str {
    match code {
        "no_tutor_for_subject" => "matching.reason.no_tutor_for_subject",
        "no_compatible_mode" => "matching.reason.no_compatible_mode",
        "no_shared_slot" => "matching.reason.no_shared_slot",
        _ => "matching.reason.tutors_full",
    }
}

#[component]
fn PupilCell(pupil: PupilRef) -> impl IntoView {
    let lang = use_lang();
    let level = pupil.level_code.clone();
    view! {
        <a href=format!("/coordination/eleves/{}", pupil.id)>{pupil.name.clone()}</a>
        <br/>
        <small>{pupil.school.clone()} " · " {move || level_label(&level, lang.get())} " · " {pupil.waiting_days} " " {tr("requests.days")}</small>
    }
}

/// The review's actions, shared by every row's form.
#[derive(Clone, Copy)]
struct Review {
    exclude: ServerAction<ExcludePair>,
    fix: ServerAction<FixPair>,
    forget: ServerAction<ForgetChoice>,
    publish: ServerAction<PublishMatching>,
    priority: ServerAction<SetSchoolPriority>,
}

/// The field errors of the last answer of any of the review's actions, in
/// words (the forms are many and short: one list above them).
fn review_errors(review: Review) -> Signal<Vec<FieldError>> {
    fn invalid<T>(value: Option<Result<T, AppError>>) -> Vec<FieldError> {
        match value {
            Some(Err(AppError::Invalid { fields })) => fields,
            _ => Vec::new(),
        }
    }
    Signal::derive(move || {
        let mut all = invalid(review.fix.value().get());
        all.extend(invalid(review.publish.value().get()));
        all.extend(invalid(review.exclude.value().get()));
        all.extend(invalid(review.forget.value().get()));
        all.extend(invalid(review.priority.value().get()));
        all
    })
}

/// Hidden fields naming a pair of the run from `start`.
fn pair_fields(start: &str, pupil_id: i64, tutor_id: i64) -> impl IntoView {
    view! {
        <input type="hidden" name=fields::START value=start.to_owned()/>
        <input type="hidden" name=fields::PUPIL value=pupil_id.to_string()/>
        <input type="hidden" name=fields::TUTOR value=tutor_id.to_string()/>
    }
}

fn results(run: DryRun, review: Review) -> AnyView {
    let lang = use_lang();
    let start = run.start.clone();
    let csv = format!("/coordination/appariement/besoins.csv?debut={}", run.start);
    let gain = run.matched.saturating_sub(run.greedy_matched);
    let tutor_options = run.tutor_options.clone();
    let left_out: Vec<(i64, String)> = run
        .unmatched
        .iter()
        .map(|u| (u.pupil.id, u.pupil.name.clone()))
        .collect();
    let choices = run.choices.clone();
    let publish_count = run.proposals.len();
    let fingerprint = run.fingerprint.clone();
    let schools = run.schools.clone();
    view! {
        <h2 id="summary-title">{tr("matching.summary")}</h2>
        <dl class="summary" data-testid="matching-summary">
            <dt>{tr("matching.period")}</dt>
            <dd>{run.start.clone()} " · " {run.weeks} " " {tr("coordination.weeks")} " · " {run.session_minutes} " " {tr("coordination.minutes")}</dd>
            <dt>{tr("matching.pupils")}</dt>
            <dd data-testid="summary-pupils">{run.pupils}</dd>
            <dt>{tr("matching.tutors")}</dt>
            <dd data-testid="summary-tutors">{run.tutors}</dd>
            <dt>{tr("matching.feasible_pairs")}</dt>
            <dd>{run.feasible_pairs}</dd>
            <dt>{tr("matching.matched")}</dt>
            <dd data-testid="summary-matched">{run.matched}</dd>
            <dt>{tr("matching.greedy")}</dt>
            <dd data-testid="summary-greedy">{run.greedy_matched} " (+" {gain} ")"</dd>
            <dt>{tr("matching.total_score")}</dt>
            <dd>{run.total_score}</dd>
        </dl>

        <h2>{tr("matching.proposals")}</h2>
        {if run.proposals.is_empty() {
            view! { <p data-testid="no-proposals">{tr("matching.no_proposals")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table data-testid="proposals">
                        <thead><tr>
                            <th scope="col">{tr("matching.pupil")}</th>
                            <th scope="col">{tr("matching.tutor")}</th>
                            <th scope="col">{tr("requests.subjects")}</th>
                            <th scope="col">{tr("coordination.pupil_time")}</th>
                            <th scope="col">{tr("coordination.tutor_time")}</th>
                            <th scope="col">{tr("matching.score")}</th>
                            <th scope="col">{tr("matching.review")}</th>
                        </tr></thead>
                        <tbody>
                            {run.proposals.into_iter().map(|p| {
                                let pair = pair_fields(&start, p.pupil.id, p.tutor_id);
                                let subjects = p.subjects.clone();
                                let (pupil_slot, tutor_slot) = (p.pupil_slot.clone(), p.tutor_slot.clone());
                                let score = p.score;
                                view! {
                                    <tr data-testid="proposal">
                                        <td><PupilCell pupil=p.pupil.clone()/></td>
                                        <td><a href=format!("/coordination/tuteurs/{}", p.tutor_id)>{p.tutor_name.clone()}</a></td>
                                        <td>{move || subjects_text(&subjects, lang.get())}</td>
                                        <td data-testid="pupil-slot">{move || pupil_slot.text(lang.get())}</td>
                                        <td data-testid="tutor-slot">{move || tutor_slot.text(lang.get())}</td>
                                        <td data-testid="score">
                                            <strong>{score.total}</strong>
                                            <br/>
                                            <small>{move || format!(
                                                "{} {} + {} {} + {} {}",
                                                score.subjects, text(lang.get(), "matching.score_subjects"),
                                                score.waiting, text(lang.get(), "matching.score_waiting"),
                                                score.priority, text(lang.get(), "matching.score_priority"),
                                            )}</small>
                                        </td>
                                        <td>
                                            {match p.manual_reason.clone() {
                                                Some(reason) => view! {
                                                    <p data-testid="manual-reason"><small>{tr("matching.added_by_hand")} {tr("common.colon")} {reason}</small></p>
                                                    <ActionForm action=review.forget>
                                                        {pair}
                                                        <button type="submit" data-testid="proposal-unfix">{tr("matching.undo")}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                                None => view! {
                                                    <ActionForm action=review.exclude>
                                                        {pair}
                                                        <button type="submit" data-testid="proposal-remove">{tr("matching.remove")}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}

        <h2>{tr("matching.unmatched")}</h2>
        {let start = start.clone();
        if run.unmatched.is_empty() {
            view! { <p data-testid="no-unmatched">{tr("matching.no_unmatched")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table data-testid="unmatched">
                        <thead><tr>
                            <th scope="col">{tr("matching.pupil")}</th>
                            <th scope="col">{tr("requests.subjects")}</th>
                            <th scope="col">{tr("matching.reason")}</th>
                            <th scope="col">{tr("matching.explanation")}</th>
                        </tr></thead>
                        <tbody>
                            {run.unmatched.into_iter().map(|u| {
                                let subjects = u.pupil.subjects.clone();
                                view! {
                                    <tr data-testid="unmatched-pupil" data-reason=u.reason.clone()>
                                        <td><PupilCell pupil=u.pupil.clone()/></td>
                                        <td>{move || subjects_text(&subjects, lang.get())}</td>
                                        <td>{tr(reason_key(&u.reason))}</td>
                                        <td data-testid="explanation">{u.text.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                // One form for every pupil left out: a tutor list per row
                // made the page tens of thousands of options long.
                <h3 id="add-title">{tr("matching.add_title")}</h3>
                <p>{tr("matching.add_intro")}</p>
                <ActionForm action=review.fix attr:class="add-pair" attr:novalidate=true attr:aria-labelledby="add-title">
                    <input type="hidden" name=fields::START value=start/>
                    <label for="champ-ajout-eleve">{tr("matching.pupil")}</label>
                    <select id="champ-ajout-eleve" name=fields::PUPIL data-testid="add-pupil">
                        {left_out.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                    <label for="champ-ajout-tuteur">{tr("matching.tutor")}</label>
                    <select id="champ-ajout-tuteur" name=fields::TUTOR data-testid="add-tutor">
                        {tutor_options.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                    </select>
                    <label for="champ-ajout-raison">{tr("matching.add_reason")}</label>
                    <input id="champ-ajout-raison" type="text" name=fields::REASON maxlength=REASON_MAX_CHARS.to_string() data-testid="add-reason"/>
                    <button type="submit" data-testid="add-pair">{tr("matching.add")}</button>
                </ActionForm>
            }.into_any()
        }}

        <h2>{tr("matching.priority_title")}</h2>
        <p>{tr("matching.priority_intro")}</p>
        {if schools.is_empty() {
            ().into_any()
        } else {
            view! {
            <div class="table-wrap">
                <table data-testid="school-priorities">
                    <thead><tr>
                        <th scope="col">{tr("matching.school")}</th>
                        <th scope="col">{tr("matching.pupils")}</th>
                        <th scope="col">{tr("matching.priority")}</th>
                    </tr></thead>
                    <tbody>
                        {schools.into_iter().map(|s| {
                            let id = format!("champ-priorite-{}", s.uai);
                            let start = start.clone();
                            view! {
                                <tr data-testid="school-priority">
                                    <td>{s.name.clone()} " (" {s.uai.clone()} ")"</td>
                                    <td>{s.pupils}</td>
                                    <td>
                                        <ActionForm action=review.priority attr:class="inline">
                                            <input type="hidden" name=fields::START value=start/>
                                            <input type="hidden" name=fields::UAI value=s.uai.clone()/>
                                            <input id=id type="number" min="0" max="100" step="1" name=fields::PRIORITY
                                                value=s.priority.to_string() aria-label=format!("{} {}", s.name, s.uai) data-testid="priority-value"/>
                                            <button type="submit" data-testid="priority-save">{tr("matching.priority_save")}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            }.into_any()
        }}

        <h2>{tr("matching.choices_title")}</h2>
        {if choices.is_empty() {
            view! { <p data-testid="no-choices">{tr("matching.no_choices")}</p> }.into_any()
        } else {
            view! {
                <ul data-testid="choices">
                    {choices.into_iter().map(|c| {
                        let key = if c.kind == "fix" { "matching.choice.fix" } else { "matching.choice.exclude" };
                        let pair = pair_fields(&start, c.pupil_id, c.tutor_id);
                        view! {
                            <li data-testid="choice" data-kind=c.kind.clone() data-applied=c.applied.to_string()>
                                {tr(key)} {tr("common.colon")} {c.pupil_name.clone()} " — " {c.tutor_name.clone()}
                                {(!c.reason.is_empty()).then(|| format!(" ({})", c.reason))}
                                {(!c.applied).then(|| view! { " " <strong>{tr("matching.choice.not_applied")}</strong> })}
                                <ActionForm action=review.forget attr:class="inline">
                                    {pair}
                                    <button type="submit" data-testid="choice-undo">{tr("matching.undo")}</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}

        <h2>{tr("matching.publish_title")}</h2>
        {if publish_count == 0 {
            view! { <p>{tr("matching.nothing_to_publish")}</p> }.into_any()
        } else {
            view! {
                <p>{tr("matching.publish_intro")}</p>
                <ActionForm action=review.publish>
                    <input type="hidden" name=fields::START value=start.clone()/>
                    <input type="hidden" name=fields::FINGERPRINT value=fingerprint/>
                    <button type="submit" class="primary" data-testid="matching-publish">
                        {move || text(lang.get(), "matching.publish").replace("%{count}", &publish_count.to_string())}
                    </button>
                </ActionForm>
            }.into_any()
        }}

        <h2>{tr("matching.gap_title")}</h2>
        <p>{tr("matching.gap_intro")}</p>
        {if run.gaps.is_empty() {
            view! { <p data-testid="no-gap">{tr("matching.no_gap")}</p> }.into_any()
        } else {
            view! {
                <p><a href=csv download data-testid="gap-csv">{tr("matching.gap_csv")}</a></p>
                <div class="table-wrap">
                    <table data-testid="gaps">
                        <thead><tr>
                            <th scope="col">{tr("matching.gap.subject")}</th>
                            <th scope="col">{tr("matching.gap.level")}</th>
                            <th scope="col">{tr("matching.gap.weekday")}</th>
                            <th scope="col">{tr("matching.gap.band")}</th>
                            <th scope="col">{tr("matching.gap.pupils")}</th>
                        </tr></thead>
                        <tbody>
                            {run.gaps.into_iter().map(|g| {
                                let (subject, level) = (g.subject.clone(), g.level.clone());
                                view! {
                                    <tr data-testid="gap">
                                        <td>{move || subject_label(&subject, lang.get())}</td>
                                        <td>{move || level_label(&level, lang.get())}</td>
                                        <td>{move || weekday_label(g.weekday, lang.get())}</td>
                                        <td>{tr(g.band.label_key())}</td>
                                        <td>{g.pupils}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
    .into_any()
}

fn status_key(status: &str) -> &'static str {
    match status {
        "accepted" => "proposals.status.accepted",
        "declined" => "proposals.status.declined",
        "expired" => "proposals.status.expired",
        "cancelled" => "proposals.status.cancelled",
        _ => "matching.published_pending",
    }
}

/// What was published for the scope, newest first, with each answer.
#[component]
fn Published() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| published_proposals());
    view! {
        <section aria-labelledby="published-title">
            <h2 id="published-title">{tr("matching.published_title")}</h2>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || list.get().map(|result| loaded(result, move |rows| {
                    if rows.is_empty() {
                        return view! { <p data-testid="no-published">{tr("matching.published_none")}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table data-testid="published-proposals">
                                <thead><tr>
                                    <th scope="col">{tr("matching.pupil")}</th>
                                    <th scope="col">{tr("matching.tutor")}</th>
                                    <th scope="col">{tr("requests.subjects")}</th>
                                    <th scope="col">{tr("coordination.pupil_time")}</th>
                                    <th scope="col">{tr("matching.published_on")}</th>
                                    <th scope="col">{tr("proposals.status")}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let subjects = r.subjects.clone();
                                        let slot = r.slot.clone();
                                        view! {
                                            <tr data-testid="published-proposal" data-status=r.status.clone()>
                                                <td><a href=format!("/coordination/eleves/{}", r.pupil_id)>{r.pupil_name.clone()}</a></td>
                                                <td><a href=format!("/coordination/tuteurs/{}", r.tutor_id)>{r.tutor_name.clone()}</a></td>
                                                <td>{move || subjects_text(&subjects, lang.get())}</td>
                                                <td>{move || slot.text(lang.get())}</td>
                                                <td>{r.published_on.clone()} <br/> <small>{tr("matching.published_until")} " " {r.expires_on.clone()}</small></td>
                                                <td>
                                                    {tr(status_key(&r.status))}
                                                    {r.decline_reason.clone().map(|reason| view! { <br/> <small class="user-text">{reason}</small> })}
                                                    {r.manual_reason.clone().map(|reason| view! { <br/> <small>{tr("matching.added_by_hand")} {tr("common.colon")} {reason}</small> })}
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

fn stage_key(stage: &str) -> &'static str {
    match stage {
        "solve" => "matching.stage.solve",
        "explain" => "matching.stage.explain",
        "publish" => "matching.stage.publish",
        _ => "matching.stage.pool",
    }
}

/// While a run is awaited: what it is doing, asked every second once the
/// page is hydrated (without JavaScript the page simply arrives when the
/// run is done).
#[component]
fn RunProgress() -> impl IntoView {
    let lang = use_lang();
    let progress = RwSignal::new(None::<crate::matching::Progress>);
    Effect::new(move |_| {
        let ask = move || {
            leptos::task::spawn_local(async move {
                if let Ok(now) = matching_progress().await {
                    progress.try_set(now);
                }
            });
        };
        ask();
        if let Ok(handle) = set_interval_with_handle(ask, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <p role="status" aria-live="polite" data-testid="matching-progress">
            {tr("matching.running")}
            {move || progress.get().map(|p| {
                let key = stage_key(&p.stage);
                let whose = if p.mine { "matching.stage.mine" } else { "matching.stage.colleague" };
                format!(
                    " {} ({}, {} s)",
                    text(lang.get(), key),
                    text(lang.get(), whose),
                    p.seconds
                )
            })}
        </p>
    }
}

/// `/coordination/appariement`: the dry run page.
#[component]
pub fn MatchingPage() -> impl IntoView {
    let query = use_query_map();
    let start = move || query.read().get("debut").unwrap_or_default();
    let asked = move || query.read().get("essai").is_some();
    let published = move || query.read().get("publie");
    let review = Review {
        exclude: ServerAction::<ExcludePair>::new(),
        fix: ServerAction::<FixPair>::new(),
        forget: ServerAction::<ForgetChoice>::new(),
        publish: ServerAction::<PublishMatching>::new(),
        priority: ServerAction::<SetSchoolPriority>::new(),
    };
    let errors = review_errors(review);
    let others = [
        other_error(review.fix),
        other_error(review.exclude),
        other_error(review.forget),
        other_error(review.publish),
        other_error(review.priority),
    ];
    let other = Signal::derive(move || others.iter().find_map(|o| o.get()));
    let lang = use_lang();
    let run = Resource::new(
        move || {
            (
                asked(),
                start(),
                review.exclude.version().get(),
                review.fix.version().get(),
                review.forget.version().get(),
                review.priority.version().get(),
            )
        },
        |(asked, start, ..)| async move {
            if asked {
                Some(matching_dry_run(start).await)
            } else {
                None
            }
        },
    );
    view! {
        <section aria-labelledby="matching-title">
            <h1 id="matching-title">{tr("matching.title")}</h1>
            <p><a href="/coordination">{tr("coordination.title")}</a> " · " <a href="/coordination/demandes">{tr("coordination.requests_title")}</a> " · " <a href="/coordination/offres">{tr("coordination.offers_title")}</a></p>
            <p>{tr("matching.intro")}</p>
            {move || published().map(|count| view! {
                <p class="status" role="status" data-testid="published">
                    {move || text(lang.get(), "matching.published").replace("%{count}", &count)}
                </p>
            })}
            {move || {
                let errors = errors.get();
                (!errors.is_empty()).then(|| view! {
                    <div class="form-errors" role="alert" data-testid="review-errors">
                        {errors.into_iter().map(|e| view! { <p>{move || text(lang.get(), &e.message_key)}</p> }).collect_view()}
                    </div>
                })
            }}
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <form method="get" action="/coordination/appariement" class="filters">
                <div>
                    <label for="champ-debut">{tr("matching.start")}</label>
                    <input id="champ-debut" type="date" name="debut" value=start() aria-describedby="champ-debut-aide" data-testid="matching-start"/>
                    <p class="hint" id="champ-debut-aide">{tr("matching.start_hint")}</p>
                </div>
                <button type="submit" name="essai" value="1" data-testid="matching-run">{tr("matching.run")}</button>
            </form>
            <Suspense fallback=move || view! { <RunProgress/> }>
                {move || run.get().flatten().map(|result| loaded(result, move |run| results(run, review)))}
            </Suspense>
            <Published/>
        </section>
    }
}
