//! The parent's pages: the consent request, the parent space, and asking
//! for a link into it.

use leptos::prelude::*;

use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    field_errors, link_token, loaded, other_error, Field, FormErrors, LinkInvalid,
};
use crate::error::AppError;
use crate::i18n::{text, tr, use_lang};
use crate::pupils::parents::{
    consent_request, parent_overview, AnswerConsent, ChangeConsent, Child, ParentSignIn,
    RequestParentLink,
};
use crate::pupils::Consent;

/// What the platform holds about a child, as their parent reads it.
#[component]
fn ChildFacts(child: Child) -> impl IntoView {
    let lang = use_lang();
    let profile = child.profile;
    let level = crate::levels::level(&profile.level_code);
    let consent_key = profile.consent.label_key();
    let month_key: &'static str =
        crate::i18n::MONTH_KEYS[(profile.birth_month.clamp(1, 12) - 1) as usize];
    view! {
        <dl class="facts" data-testid="child-facts">
            <dt>{tr("accounts.field.first_name")}</dt><dd>{profile.first_name.clone()}</dd>
            <dt>{tr("accounts.field.last_name")}</dt><dd>{profile.last_name.clone()}</dd>
            <dt>{tr("profiles.pupil.birth")}</dt>
            <dd>{move || format!("{} {}", text(lang.get(), month_key), profile.birth_year)}</dd>
            <dt>{tr("profiles.pupil.school")}</dt>
            <dd>{format!("{} — {}", profile.school.name, profile.school.commune)}</dd>
            <dt>{tr("profiles.pupil.level")}</dt>
            <dd>{move || level.map(|l| l.label(lang.get())).unwrap_or_default()}</dd>
            <dt>{tr("profiles.pupil.consent")}</dt>
            <dd data-testid="child-consent">{move || text(lang.get(), consent_key)}</dd>
            <dt>{tr("parents.tutors")}</dt>
            <dd>{if child.tutors.is_empty() {
                view! { {tr("parents.no_tutor")} }.into_any()
            } else {
                child.tutors.join(", ").into_any()
            }}</dd>
        </dl>
    }
}

/// `/parent/consentement?jeton=…`: what is collected about the child and
/// why, and the parent's answer.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let token = link_token();
    let request = Resource::new(token, consent_request);
    let action = ServerAction::<AnswerConsent>::new();
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="consent-title">
            <h1 id="consent-title">{tr("parents.consent.title")}</h1>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || request.get().map(|result| match result {
                    Err(AppError::Invalid { .. }) => view! { <LinkInvalid href="/parent/connexion" label="parents.ask_link"/> }.into_any(),
                    other => loaded(other, |children| view! {
                        <p>{tr("parents.consent.intro")}</p>
                        {children.into_iter().map(|child| view! { <ChildFacts child/> }).collect_view()}
                        <h2>{tr("parents.consent.why_title")}</h2>
                        <p>{tr("parents.consent.why")}</p>
                        <p>{tr("parents.consent.not_collected")}</p>
                        <p>{tr("parents.consent.who_sees")}</p>
                        <p>{tr("parents.consent.withdraw")}</p>
                        <ActionForm action attr:class="answer-form">
                            <input type="hidden" name="token" value=token/>
                            <button type="submit" name="answer" value="accept" class="primary" data-testid="consent-accept">
                                {tr("parents.consent.accept")}
                            </button>
                            <button type="submit" name="answer" value="refuse" data-testid="consent-refuse">
                                {tr("parents.consent.refuse")}
                            </button>
                        </ActionForm>
                    }.into_any()),
                })}
            </Suspense>
        </section>
    }
}

/// `/parent`: the parent space.
#[component]
pub fn ParentSpacePage() -> impl IntoView {
    let change = ServerAction::<ChangeConsent>::new();
    let children = Resource::new(move || change.version().get(), |_| parent_overview());
    view! {
        <section class="narrow" aria-labelledby="parent-title">
            <h1 id="parent-title">{tr("parents.space.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || children.get().map(|result| loaded(result, |children| {
                    if children.is_empty() {
                        return view! { <p>{tr("parents.space.none")}</p> }.into_any();
                    }
                    children.into_iter().map(|child| {
                        let id = child.pupil_id.to_string();
                        let form_id = id.clone();
                        let consent = child.profile.consent;
                        let under_15 = child.profile.under_15;
                        let name = format!("{} {}", child.profile.first_name, child.profile.last_name);
                        view! {
                            <article class="card child" data-testid="child">
                                <h2>{name}</h2>
                                <ChildFacts child=child.clone()/>
                                {under_15.then(|| {
                                    let give = consent != Consent::Given;
                                    view! {
                                        <ActionForm action=change>
                                            <input type="hidden" name="pupil_id" value=form_id.clone()/>
                                            <input type="hidden" name="give" value=give.to_string()/>
                                            <button type="submit" data-testid=if give { "consent-give" } else { "consent-withdraw" }>
                                                {if give { tr("parents.space.give") } else { tr("parents.space.withdraw") }}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                                <p><a href=format!("/signaler?eleve={id}")>{tr("reports.link")}</a></p>
                                {under_15.then(|| view! {
                                    <p><a href=format!("/compte/donnees?eleve={id}") data-testid="child-data">{tr("privacy.data.child_link")}</a></p>
                                })}
                            </article>
                        }
                    }).collect_view().into_any()
                }))}
            </Suspense>
        </section>
    }
}

/// `/parent/connexion`: a parent asks for a link into the parent space.
#[component]
pub fn ParentLinkPage() -> impl IntoView {
    let action = ServerAction::<RequestParentLink>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="parent-link-title">
            <h1 id="parent-link-title">{tr("parents.link.title")}</h1>
            <p>{tr("parents.link.lead")}</p>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action attr:novalidate=true>
                <Field name="email" label="accounts.field.email" kind="email" autocomplete="email" errors/>
                <button type="submit" class="primary">{tr("parents.link.submit")}</button>
            </ActionForm>
        </section>
    }
}

/// `/parent/envoye`: after asking for a link.
#[component]
pub fn ParentLinkSentPage() -> impl IntoView {
    view! {
        <section class="narrow" aria-labelledby="parent-sent-title">
            <h1 id="parent-sent-title">{tr("accounts.sign_up.sent_title")}</h1>
            <p>{tr("parents.link.sent")}</p>
        </section>
    }
}

/// `/parent/entrer?jeton=…`: the link of the parent-space email; entering
/// takes a click, so mail scanners do not use the link up.
#[component]
pub fn ParentEnterPage() -> impl IntoView {
    let token = link_token();
    let action = ServerAction::<ParentSignIn>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    let invalid = move || errors.get().iter().any(|e| e.field == "token");
    view! {
        <section class="narrow" aria-labelledby="parent-enter-title">
            <h1 id="parent-enter-title">{tr("parents.space.title")}</h1>
            {move || invalid().then(|| view! { <LinkInvalid href="/parent/connexion" label="parents.ask_link"/> })}
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action>
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="primary" data-testid="parent-enter">{tr("parents.link.enter")}</button>
            </ActionForm>
        </section>
    }
}
