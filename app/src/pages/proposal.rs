//! `/proposition?jeton=…`: the page a tutor opens from the email of a
//! proposal. It shows the pupil (first name, niveau, school), the subjects
//! and the weekly slot in both zones, and takes the answer: accept, or
//! decline with a reason. A plain form: it works without JavaScript.

use leptos::prelude::*;

use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    error_id, field_errors, has_error, link_token, loaded, other_error, FieldMessage, FormErrors,
};
use crate::error::AppError;
use crate::i18n::{text, tr, use_lang};
use crate::pages::needs::{level_label, subjects_text};
use crate::proposals::{fields, open_proposal, AnswerProposal, REASON_MAX_CHARS};

fn status_key(status: &str) -> &'static str {
    match status {
        "accepted" => "proposals.status.accepted",
        "declined" => "proposals.status.declined",
        "expired" => "proposals.status.expired",
        "cancelled" => "proposals.status.cancelled",
        _ => "proposals.status.pending",
    }
}

/// `/proposition?jeton=…`.
#[component]
pub fn ProposalPage() -> impl IntoView {
    let lang = use_lang();
    let token = link_token();
    let action = ServerAction::<AnswerProposal>::new();
    let invite = Resource::new(
        move || (token(), action.version().get()),
        |(token, _)| open_proposal(token),
    );
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="proposal-title">
            <h1 id="proposal-title">{tr("proposals.title")}</h1>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || invite.get().map(|result| match result {
                    Err(AppError::Invalid { .. }) => view! {
                        <p data-testid="proposal-invalid">{tr("proposals.invalid")}</p>
                    }.into_any(),
                    other => loaded(other, |invite| {
                        let level = invite.level_code.clone();
                        let subjects = invite.subjects.clone();
                        let (pupil_slot, tutor_slot) = (invite.pupil_slot.clone(), invite.tutor_slot.clone());
                        view! {
                            <p>{tr("proposals.intro")}</p>
                            <dl class="facts" data-testid="proposal-facts">
                                <dt>{tr("proposals.pupil")}</dt>
                                <dd data-testid="proposal-pupil">{invite.pupil_first_name.clone()}</dd>
                                <dt>{tr("profiles.pupil.level")}</dt>
                                <dd>{move || level_label(&level, lang.get())}</dd>
                                <dt>{tr("profiles.pupil.school")}</dt>
                                <dd>{invite.school.clone()}</dd>
                                <dt>{tr("requests.subjects")}</dt>
                                <dd data-testid="proposal-subjects">{move || subjects_text(&subjects, lang.get())}</dd>
                                <dt>{tr("proposals.difficulty")}</dt>
                                <dd class="user-text">{invite.difficulty.clone()}</dd>
                                <dt>{tr("proposals.your_time")}</dt>
                                <dd data-testid="proposal-tutor-slot">{move || tutor_slot.text(lang.get())}</dd>
                                <dt>{tr("proposals.pupil_time")}</dt>
                                <dd data-testid="proposal-pupil-slot">{move || pupil_slot.text(lang.get())}</dd>
                                <dt>{tr("proposals.status")}</dt>
                                <dd data-testid="proposal-status" data-status=invite.status.clone()>{tr(status_key(&invite.status))}</dd>
                            </dl>
                            {if invite.answerable {
                                view! {
                                    <p>{move || text(lang.get(), "proposals.answer_before")} " " {invite.expires_at.clone()}</p>
                                    <ActionForm action attr:class="answer-form" attr:novalidate=true>
                                        <input type="hidden" name=fields::TOKEN value=token/>
                                        <button type="submit" name=fields::ANSWER value="accept" class="primary" data-testid="proposal-accept">
                                            {tr("proposals.accept")}
                                        </button>
                                        <div class="field">
                                            <label for="champ-reason">{tr("proposals.reason")}</label>
                                            <p class="field-hint" id="champ-reason-aide">{tr("proposals.reason_hint")}</p>
                                            <textarea id="champ-reason" name=fields::REASON rows="3"
                                                maxlength=REASON_MAX_CHARS.to_string()
                                                aria-invalid=has_error(errors, fields::REASON)
                                                aria-describedby=move || error_id(errors, fields::REASON)().map_or_else(|| "champ-reason-aide".to_owned(), |error| format!("champ-reason-aide {error}"))
                                                data-testid="proposal-reason"></textarea>
                                            <FieldMessage field=fields::REASON errors/>
                                        </div>
                                        <button type="submit" name=fields::ANSWER value="decline" data-testid="proposal-decline">
                                            {tr("proposals.decline")}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <p><a href="/compte">{tr("common.back_to_account")}</a></p> }.into_any()
                            }}
                        }.into_any()
                    }),
                })}
            </Suspense>
        </section>
    }
}
