//! The privacy pages (issue 10), written from the retention settings
//! (`BINOME_RETENTION`) so that what they say is what the platform does:
//! - `/confidentialite`: the privacy notice, for everyone, in words a
//!   15-year-old reads;
//! - `/administration/registre`: the processing activities, for the
//!   région's register (GDPR art. 30);
//! - `/administration/conservation`: the durations and what the retention
//!   job would do now (its dry run).

use leptos::prelude::*;

use crate::components::form::loaded;
use crate::i18n::{date_text, text, tr, use_lang, Lang};
use crate::privacy::{retention_preview, retention_settings, Due, RetentionDays};

/// A duration in days, in words: "18 mois" past two months, else "30
/// jours".
pub fn duration_text(lang: Lang, days: u16) -> String {
    if days >= 60 {
        text(lang, "privacy.months").replace("%{count}", &RetentionDays::months(days).to_string())
    } else {
        text(lang, "privacy.days").replace("%{count}", &days.to_string())
    }
}

/// The processing activities of the register, by locale key: each has
/// `name`, `purpose`, `basis`, `data`, `people` and `recipients`, and the
/// retention below.
pub const ACTIVITIES: [&str; 6] = [
    "accounts", "matching", "sessions", "reports", "emails", "audit",
];

/// How long each activity keeps its data, from the settings.
fn kept(lang: Lang, activity: &str, days: RetentionDays) -> String {
    let inactive = duration_text(lang, days.inactive);
    let notice = duration_text(lang, days.notice);
    let with = |key: &str, value: &str| text(lang, key).replace("%{duration}", value);
    match activity {
        "accounts" | "matching" => text(lang, "privacy.register.kept_accounts")
            .replace("%{inactive}", &inactive)
            .replace("%{notice}", &notice),
        "sessions" => with(
            "privacy.register.kept_texts",
            &duration_text(lang, days.comments),
        ),
        "reports" => with(
            "privacy.register.kept_reports",
            &duration_text(lang, days.reports),
        ),
        "emails" => with(
            "privacy.register.kept_emails",
            &duration_text(lang, days.emails),
        ),
        _ => text(lang, "privacy.register.kept_audit"),
    }
}

/// `/confidentialite`: the privacy notice.
#[component]
pub fn PrivacyNoticePage() -> impl IntoView {
    let days = Resource::new(|| (), |_| retention_settings());
    let lang = use_lang();
    view! {
        <section class="narrow" aria-labelledby="privacy-title">
            <h1 id="privacy-title">{tr("privacy.notice.title")}</h1>
            <p>{tr("privacy.notice.lead")}</p>
            <h2>{tr("privacy.notice.what_title")}</h2>
            <ul>
                <li>{tr("privacy.notice.what_everyone")}</li>
                <li>{tr("privacy.notice.what_pupils")}</li>
                <li>{tr("privacy.notice.what_tutors")}</li>
                <li>{tr("privacy.notice.what_sessions")}</li>
            </ul>
            <h2>{tr("privacy.notice.why_title")}</h2>
            <p>{tr("privacy.notice.why")}</p>
            <h2>{tr("privacy.notice.who_title")}</h2>
            <ul>
                <li>{tr("privacy.notice.who_pair")}</li>
                <li>{tr("privacy.notice.who_coordinators")}</li>
                <li>{tr("privacy.notice.who_parents")}</li>
                <li>{tr("privacy.notice.who_nobody")}</li>
            </ul>
            <h2>{tr("privacy.notice.how_long_title")}</h2>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || days.get().map(|result| loaded(result, |days| view! {
                    <ul data-testid="privacy-durations">
                        {move || {
                            let lang = lang.get();
                            [
                                ("privacy.notice.kept_account", vec![
                                    ("%{inactive}", duration_text(lang, days.inactive)),
                                    ("%{notice}", duration_text(lang, days.notice)),
                                ]),
                                ("privacy.notice.kept_texts", vec![("%{duration}", duration_text(lang, days.comments))]),
                                ("privacy.notice.kept_reports", vec![("%{duration}", duration_text(lang, days.reports))]),
                                ("privacy.notice.kept_emails", vec![("%{duration}", duration_text(lang, days.emails))]),
                            ]
                            .into_iter()
                            .map(|(key, values)| {
                                let mut line = text(lang, key);
                                for (name, value) in values {
                                    line = line.replace(name, &value);
                                }
                                view! { <li>{line}</li> }
                            })
                            .collect_view()
                        }}
                    </ul>
                }.into_any()))}
            </Suspense>
            <h2>{tr("privacy.notice.rights_title")}</h2>
            <ul>
                <li>{tr("privacy.notice.rights_see")}</li>
                <li>{tr("privacy.notice.rights_delete")}</li>
                <li>{tr("privacy.notice.rights_parent")}</li>
                <li>{tr("privacy.notice.rights_complain")}</li>
            </ul>
            <p><a href="/compte/donnees">{tr("privacy.data.title")}</a></p>
        </section>
    }
}

/// `/administration/registre`: the processing activities.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let days = Resource::new(|| (), |_| retention_preview());
    let lang = use_lang();
    view! {
        <section aria-labelledby="register-title">
            <h1 id="register-title">{tr("privacy.register.title")}</h1>
            <p>{tr("privacy.register.lead")}</p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || days.get().map(|result| loaded(result, |view_data| {
                    let days = view_data.days;
                    view! {
                        <div class="table-wrap">
                            <table data-testid="register">
                                <thead><tr>
                                    {["name", "purpose", "basis", "data", "people", "recipients", "kept"].into_iter().map(|column| view! {
                                        <th scope="col">{move || text(lang.get(), &format!("privacy.register.column.{column}"))}</th>
                                    }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {ACTIVITIES.into_iter().map(|activity| view! {
                                        <tr data-testid=format!("register-{activity}")>
                                            {["name", "purpose", "basis", "data", "people", "recipients"].into_iter().map(|field| view! {
                                                <td>{move || text(lang.get(), &format!("privacy.register.{activity}.{field}"))}</td>
                                            }).collect_view()}
                                            <td>{move || kept(lang.get(), activity, days)}</td>
                                        </tr>
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

/// `/administration/conservation`: the durations, and what the daily job
/// would do if it ran now.
#[component]
pub fn RetentionPage() -> impl IntoView {
    let preview = Resource::new(|| (), |_| retention_preview());
    let lang = use_lang();
    view! {
        <section aria-labelledby="retention-title">
            <h1 id="retention-title">{tr("privacy.retention.title")}</h1>
            <p>{tr("privacy.retention.lead")}</p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || preview.get().map(|result| loaded(result, |preview| {
                    let days = preview.days;
                    let plan = preview.plan;
                    view! {
                        <dl class="facts" data-testid="retention-days">
                            {[
                                ("inactive", days.inactive),
                                ("notice", days.notice),
                                ("comments", days.comments),
                                ("reports", days.reports),
                                ("emails", days.emails),
                            ].into_iter().map(|(name, count)| view! {
                                <dt>{move || text(lang.get(), &format!("privacy.retention.{name}"))}</dt>
                                <dd>{move || format!("{} ({} j)", duration_text(lang.get(), count), count)}</dd>
                            }).collect_view()}
                        </dl>
                        <h2>{tr("privacy.retention.dry_run")}</h2>
                        <dl class="facts" data-testid="retention-plan">
                            <dt>{tr("privacy.retention.warn")}</dt>
                            <dd data-testid="retention-warn">{plan.warn.len()}</dd>
                            <dt>{tr("privacy.retention.erase")}</dt>
                            <dd data-testid="retention-erase">{plan.erase.len()}</dd>
                            <dt>{tr("privacy.retention.texts")}</dt>
                            <dd data-testid="retention-texts">{plan.texts}</dd>
                            <dt>{tr("privacy.retention.reports")}</dt>
                            <dd data-testid="retention-reports">{plan.reports}</dd>
                            <dt>{tr("privacy.retention.emails")}</dt>
                            <dd data-testid="retention-emails">{plan.emails}</dd>
                        </dl>
                        <DueList title="privacy.retention.warn" accounts=plan.warn/>
                        <DueList title="privacy.retention.erase" accounts=plan.erase/>
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

#[component]
fn DueList(title: &'static str, accounts: Vec<Due>) -> impl IntoView {
    let lang = use_lang();
    (!accounts.is_empty()).then(|| {
        view! {
            <h2>{tr(title)}</h2>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th scope="col">{tr("coordination.name")}</th>
                        <th scope="col">{tr("accounts.account.role")}</th>
                        <th scope="col">{tr("privacy.retention.last_active")}</th>
                    </tr></thead>
                    <tbody>
                        {accounts.into_iter().map(|due| {
                            let day = due.last_active.get(..10).unwrap_or_default().to_owned();
                            let role = format!("accounts.role.{}", due.role);
                            view! {
                                <tr>
                                    <td>{format!("{} (#{})", due.name, due.id)}</td>
                                    <td>{move || text(lang.get(), &role)}</td>
                                    <td>{move || date_text(lang.get(), &day)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}
