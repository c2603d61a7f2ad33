//! `/coordination/alertes`: the coordinator's alerts, each acknowledged
//! with a note, and the rules that raise them.

use leptos::prelude::*;

use crate::alerts::{
    fields, my_alerts, AcknowledgeAlert, AlertView, RulesView, KINDS, NOTE_MAX_CHARS,
};
use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, loaded, other_error, FieldErrorList, FormErrors};
use crate::i18n::{text, tr, use_lang, Lang};

/// The rule of `kind` in words, with the thresholds in force.
fn rule_text(lang: Lang, kind: &str, rules: &RulesView) -> String {
    text(lang, &format!("alerts.rules.{kind}"))
        .replace("%{missed}", &rules.missed.to_string())
        .replace("%{rating}", &rules.rating.to_string())
        .replace("%{quiet}", &rules.quiet_days.to_string())
        .replace("%{waiting}", &rules.waiting_days.to_string())
        .replace("%{check}", &rules.check_days.to_string())
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let lang = use_lang();
    // One action for every alert's form: its errors show once, above the
    // list, with or without JavaScript.
    let ack = ServerAction::<AcknowledgeAlert>::new();
    let errors = field_errors(ack);
    let other = other_error(ack);
    let alerts = Resource::new(move || ack.version().get(), |_| my_alerts());
    view! {
        <section aria-labelledby="alerts-title">
            <h1 id="alerts-title">{tr("alerts.title")}</h1>
            <p><a href="/coordination">{tr("coordination.title")}</a></p>
            <FormErrors errors/>
            <FieldErrorList errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || alerts.get().map(|result| loaded(result, |found| {
                    let rules = found.rules;
                    view! {
                        {if found.alerts.is_empty() {
                            view! { <p data-testid="alerts-none">{tr("alerts.none")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="alerts" data-testid="alerts">
                                    {found.alerts.into_iter().map(|alert| view! { <AlertItem alert rules ack/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2>{tr("alerts.rules_title")}</h2>
                        <p>{tr("alerts.rules_lead")}</p>
                        <dl class="rules" data-testid="alert-rules">
                            {KINDS.into_iter().map(|kind| view! {
                                <dt>{move || text(lang.get(), &format!("alerts.kinds.{kind}"))}</dt>
                                <dd>{move || rule_text(lang.get(), kind, &rules)}</dd>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

/// One alert: what, about whom, since when; acknowledged, or the form to
/// acknowledge it (its field described by the alert's title).
#[component]
fn AlertItem(
    alert: AlertView,
    rules: RulesView,
    ack: ServerAction<AcknowledgeAlert>,
) -> impl IntoView {
    let lang = use_lang();
    let kind = alert.kind.clone();
    let rule_kind = alert.kind.clone();
    let acknowledged = alert.acknowledged.is_some();
    let title_id = format!("alerte-{}", alert.id);
    let note_id = format!("champ-alerte-{}", alert.id);
    view! {
        <li data-testid="alert" data-kind=alert.kind.clone() data-acknowledged=acknowledged.to_string()>
            <p id=title_id.clone()>
                <strong>{move || text(lang.get(), &format!("alerts.kinds.{kind}"))}</strong>
                " — " <a href=alert.link.clone()>{alert.label.clone()}</a>
            </p>
            <p class="meta">
                {move || rule_text(lang.get(), &rule_kind, &rules)}
                " " {move || text(lang.get(), "alerts.raised").replace("%{at}", &alert.raised_at)}
            </p>
            {match alert.acknowledged.clone() {
                Some((by, on, note)) => view! {
                    <p data-testid="alert-acknowledged">
                        {move || text(lang.get(), "alerts.acknowledged").replace("%{by}", &by).replace("%{on}", &on)}
                        <br/><span class="report-body">{note}</span>
                    </p>
                }.into_any(),
                None => view! {
                    <ActionForm action=ack attr:novalidate=true>
                        <input type="hidden" name=fields::ALERT value=alert.id.to_string()/>
                        <div class="field">
                            <label for=note_id.clone()>{tr("alerts.note")}</label>
                            <textarea id=note_id name=fields::NOTE rows="2" maxlength=NOTE_MAX_CHARS.to_string()
                                data-testid="alert-note" aria-describedby=title_id.clone()></textarea>
                        </div>
                        <button type="submit" data-testid="alert-acknowledge" aria-describedby=title_id>{tr("alerts.acknowledge")}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}
