//! `/coordination/tableau-de-bord`: the coordinator's dashboard. Every
//! figure of the scope, two charts drawn on the server (each with its
//! figures in a table), and the figures per subject and per school. What
//! each figure counts is written under the figures, from
//! `domain::dashboard`.

use leptos::prelude::*;

use crate::charts::{grouped_bars, stacked_columns, Caption, Category};
use crate::components::form::loaded;
use crate::dashboard::{coordinator_dashboard, Dashboard, Figures, Row};
use crate::i18n::{date_text, decimal, hours_minutes, text, tr, use_lang, Lang};
use crate::pages::needs::subject_label;

/// The figures of the whole scope, in the order of the page, as (key,
/// value shown).
fn figure_list(lang: Lang, f: &Figures) -> Vec<(&'static str, String)> {
    vec![
        ("waiting", f.waiting.to_string()),
        ("median_wait", days(lang, f.median_wait_days)),
        ("active_pairs", f.active_pairs.to_string()),
        ("held_this_week", f.held_this_week.to_string()),
        ("missed_this_week", f.missed_this_week.to_string()),
        ("held_this_year", f.held_this_year.to_string()),
        ("missed_this_year", f.missed_this_year.to_string()),
        ("volunteer_hours", hours_minutes(f.volunteer_minutes)),
        ("average_rating", rating(lang, f)),
        ("confidence_change", change(lang, f.confidence_change)),
        ("first_session", days(lang, f.median_days_to_first_session)),
    ]
}

fn none() -> String {
    "—".to_owned()
}

fn days(lang: Lang, value: Option<f64>) -> String {
    value.map_or_else(none, |d| {
        text(lang, "dashboard.days").replace("%{days}", &decimal(lang, d, 1))
    })
}

fn rating(lang: Lang, f: &Figures) -> String {
    f.average_rating.map_or_else(none, |r| {
        let key = if f.ratings == 1 {
            "dashboard.rating_one"
        } else {
            "dashboard.rating"
        };
        text(lang, key)
            .replace("%{rating}", &decimal(lang, r, 1))
            .replace("%{count}", &f.ratings.to_string())
    })
}

fn change(lang: Lang, value: Option<f64>) -> String {
    value.map_or_else(none, |c| {
        let shown = decimal(lang, c, 1);
        let signed = if c > 0.0 && shown != "0" {
            format!("+{shown}")
        } else {
            shown
        };
        text(lang, "dashboard.points").replace("%{points}", &signed)
    })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let dashboard = Resource::new(|| (), |()| coordinator_dashboard());
    view! {
        <section aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">{tr("dashboard.title")}</h1>
            <p>
                <a href="/coordination">{tr("coordination.title")}</a>
                " · "
                <a href="/coordination/export/indicateurs.csv" download data-testid="export-indicators">{tr("dashboard.export")}</a>
            </p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || dashboard.get().map(|result| loaded(result, |found| {
                    view! { <Board found lang=lang.get()/> }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

#[component]
fn Board(found: Dashboard, lang: Lang) -> impl IntoView {
    let period = text(lang, "dashboard.period")
        .replace(
            "%{scope}",
            &crate::academies::academy_names(&found.academies),
        )
        .replace("%{week}", &date_text(lang, &found.week_start))
        .replace("%{year}", &date_text(lang, &found.year_start));
    let figures = figure_list(lang, &found.total);
    let weeks_chart = stacked_columns(
        Caption {
            id: "graphique-semaines",
            title: &text(lang, "dashboard.weeks_title"),
            description: &text(lang, "dashboard.weeks_desc"),
        },
        &found
            .weeks
            .iter()
            .map(|w| Category {
                // `DD/MM` of its Monday.
                label: format!("{}/{}", &w.monday[8..10], &w.monday[5..7]),
                values: vec![w.held, w.missed],
            })
            .collect::<Vec<_>>(),
    );
    let subjects_chart = grouped_bars(
        Caption {
            id: "graphique-matieres",
            title: &text(lang, "dashboard.subjects_chart_title"),
            description: &text(lang, "dashboard.subjects_chart_desc"),
        },
        &found
            .subjects
            .iter()
            .map(|row| Category {
                label: subject_label(&row.code, lang),
                values: vec![row.figures.waiting, row.figures.active_pairs],
            })
            .collect::<Vec<_>>(),
    );
    let subjects: Vec<Row> = found
        .subjects
        .iter()
        .cloned()
        .map(|row| Row {
            name: subject_label(&row.code, lang),
            ..row
        })
        .collect();
    let weeks = found.weeks.clone();
    view! {
        <p data-testid="dashboard-period">{period}</p>
        <h2>{text(lang, "dashboard.overview")}</h2>
        <dl class="figures" data-testid="dashboard-figures">
            {figures.into_iter().map(|(key, value)| view! {
                <div data-figure=key>
                    <dt>{text(lang, &format!("dashboard.figures.{key}"))}</dt>
                    <dd>{value}</dd>
                </div>
            }).collect_view()}
        </dl>
        <details class="definitions">
            <summary>{text(lang, "dashboard.definitions_title")}</summary>
            <ul>
                {["waiting", "sessions", "hours", "rating", "confidence", "first_session", "scopes"].into_iter().map(|key| view! {
                    <li>{text(lang, &format!("dashboard.definitions.{key}"))}</li>
                }).collect_view()}
            </ul>
        </details>

        <h2 id="titre-semaines">{text(lang, "dashboard.weeks_title")}</h2>
        <figure class="chart-figure">
            <div class="chart-scroll" tabindex="0" role="region" aria-label=text(lang, "dashboard.weeks_title") inner_html=weeks_chart data-testid="chart-weeks"></div>
            <figcaption><Legend lang keys=["held", "missed"]/></figcaption>
        </figure>
        <details>
            <summary>{text(lang, "dashboard.weeks_table")}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label=text(lang, "dashboard.weeks_table")>
                <table data-testid="weeks-table">
                    <thead><tr>
                        <th scope="col">{text(lang, "dashboard.columns.week")}</th>
                        <th scope="col">{text(lang, "dashboard.legend.held")}</th>
                        <th scope="col">{text(lang, "dashboard.legend.missed")}</th>
                    </tr></thead>
                    <tbody>
                        {weeks.into_iter().map(|w| view! {
                            <tr>
                                <th scope="row">{date_text(lang, &w.monday)}</th>
                                <td>{w.held}</td>
                                <td>{w.missed}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>

        <h2>{text(lang, "dashboard.by_subject")}</h2>
        {if subjects.is_empty() {
            view! { <p>{text(lang, "dashboard.nothing")}</p> }.into_any()
        } else {
            view! {
                <figure class="chart-figure">
                    <div class="chart-scroll" tabindex="0" role="region" aria-label=text(lang, "dashboard.subjects_chart_title") inner_html=subjects_chart data-testid="chart-subjects"></div>
                    <figcaption><Legend lang keys=["waiting", "active_pairs"]/></figcaption>
                </figure>
                <FiguresTable lang rows=subjects first="subject" testid="subjects-table" label=text(lang, "dashboard.by_subject")/>
            }.into_any()
        }}

        <h2>{text(lang, "dashboard.by_school")}</h2>
        {if found.schools.is_empty() {
            view! { <p>{text(lang, "dashboard.nothing")}</p> }.into_any()
        } else {
            view! { <FiguresTable lang rows=found.schools first="school" testid="schools-table" label=text(lang, "dashboard.by_school")/> }.into_any()
        }}
    }
}

/// The words for a chart's series, each beside a swatch of its colour.
#[component]
fn Legend(lang: Lang, keys: [&'static str; 2]) -> impl IntoView {
    view! {
        <ul class="legend">
            {keys.into_iter().enumerate().map(|(i, key)| view! {
                <li><span class=format!("swatch series-{i}") aria-hidden="true"></span>
                    {text(lang, &format!("dashboard.legend.{key}"))}</li>
            }).collect_view()}
        </ul>
    }
}

/// Every figure of each row, one row per school or subject.
#[component]
fn FiguresTable(
    lang: Lang,
    rows: Vec<Row>,
    first: &'static str,
    testid: &'static str,
    /// The table's name, for the scrolling region keyboard users reach.
    label: String,
) -> impl IntoView {
    let keys: Vec<&'static str> = figure_list(lang, &Figures::default())
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    view! {
        // Wider than a phone: the region scrolls, and takes the focus so
        // that the keyboard scrolls it too (WCAG 2.1.1).
        <div class="table-wrap" tabindex="0" role="region" aria-label=label>
            <table class="figures-table" data-testid=testid>
                <thead><tr>
                    <th scope="col">{text(lang, &format!("dashboard.columns.{first}"))}</th>
                    {keys.into_iter().map(|key| view! {
                        <th scope="col">{text(lang, &format!("dashboard.figures.{key}"))}</th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr data-code=row.code.clone()>
                            <th scope="row">{row.name.clone()}</th>
                            {figure_list(lang, &row.figures).into_iter().map(|(_, value)| view! {
                                <td>{value}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
