//! `/coordination/appariement`: a coordinator runs a dry run of matching on
//! their scope (a plain GET form, so it works without JavaScript) and reads
//! the proposals with their slot in both local times and the score's
//! parts, each pupil left out with the reason, and the supply gap, which
//! also downloads as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::form::loaded;
use crate::i18n::{text, tr, use_lang, Lang};
use crate::matching::{matching_dry_run, DryRun, PupilRef, SlotView};
use crate::pages::needs::{level_label, subject_label, subjects_text, weekday_label};

fn slot_text(slot: &SlotView, lang: Lang) -> String {
    format!(
        "{} {}–{} ({})",
        weekday_label(slot.weekday, lang),
        slot.from,
        slot.to,
        slot.time_zone
    )
}

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

fn results(run: DryRun) -> AnyView {
    let lang = use_lang();
    let csv = format!("/coordination/appariement/besoins.csv?debut={}", run.start);
    let gain = run.matched.saturating_sub(run.greedy_matched);
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
                        </tr></thead>
                        <tbody>
                            {run.proposals.into_iter().map(|p| {
                                let subjects = p.subjects.clone();
                                let (pupil_slot, tutor_slot) = (p.pupil_slot.clone(), p.tutor_slot.clone());
                                let score = p.score;
                                view! {
                                    <tr data-testid="proposal">
                                        <td><PupilCell pupil=p.pupil.clone()/></td>
                                        <td><a href=format!("/coordination/tuteurs/{}", p.tutor_id)>{p.tutor_name.clone()}</a></td>
                                        <td>{move || subjects_text(&subjects, lang.get())}</td>
                                        <td data-testid="pupil-slot">{move || slot_text(&pupil_slot, lang.get())}</td>
                                        <td data-testid="tutor-slot">{move || slot_text(&tutor_slot, lang.get())}</td>
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
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}

        <h2>{tr("matching.unmatched")}</h2>
        {if run.unmatched.is_empty() {
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

/// `/coordination/appariement`: the dry run page.
#[component]
pub fn MatchingPage() -> impl IntoView {
    let query = use_query_map();
    let start = move || query.read().get("debut").unwrap_or_default();
    let asked = move || query.read().get("essai").is_some();
    let run = Resource::new(
        move || (asked(), start()),
        |(asked, start)| async move {
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
            <form method="get" action="/coordination/appariement" class="filters">
                <div>
                    <label for="champ-debut">{tr("matching.start")}</label>
                    <input id="champ-debut" type="date" name="debut" value=start() aria-describedby="champ-debut-aide" data-testid="matching-start"/>
                    <p class="hint" id="champ-debut-aide">{tr("matching.start_hint")}</p>
                </div>
                <button type="submit" name="essai" value="1" data-testid="matching-run">{tr("matching.run")}</button>
            </form>
            <Suspense fallback=move || view! { <p>{tr("matching.running")}</p> }>
                {move || run.get().flatten().map(|result| loaded(result, results))}
            </Suspense>
        </section>
    }
}
