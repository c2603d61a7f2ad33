//! The form ending a match, for either side (see [`crate::match_end`]).

use leptos::prelude::*;

use super::on_success;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, message_of, other_error, FormErrors};
use crate::i18n::{text, tr, use_lang};
use crate::match_end::{fields, EndMatch, NOTE_MAX_CHARS, REASONS};

/// The form to end the match `match_id` with a coded reason, for either
/// side or (`coordinator`) a coordinator. The pupil, or the coordinator,
/// chooses whether she keeps her place on the waiting list (ticked at
/// first); the tutor is told the pupil keeps it. `changed` is bumped after
/// the ending.
#[component]
pub fn EndMatchForm(
    match_id: i64,
    as_tutor: bool,
    changed: RwSignal<u32>,
    #[prop(optional)] coordinator: bool,
) -> impl IntoView {
    let lang = use_lang();
    let end = ServerAction::<EndMatch>::new();
    on_success(end, changed);
    let errors = field_errors(end);
    let other = other_error(end);
    let id = move |field: &str| format!("champ-fin-binome-{field}-{match_id}");
    let error_id = move |field: &str| format!("champ-fin-binome-{field}-{match_id}-erreur");
    let described = move |field: &'static str| {
        move || message_of(&errors.get(), field).map(|_| error_id(field))
    };
    let invalid =
        move |field: &'static str| move || message_of(&errors.get(), field).map(|_| "true");
    let message = move |field: &'static str| {
        move || {
            message_of(&errors.get(), field).map(|key| {
                view! { <p class="field-error" id=error_id(field)>{text(lang.get(), &key)}</p> }
            })
        }
    };
    let hint_id = id("aide");
    view! {
        <details class="end-match">
            <summary data-testid="match-end-open">{tr("match_end.title")}</summary>
            <p>{tr("match_end.lead")}</p>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <ActionForm action=end attr:novalidate=true>
                <input type="hidden" name=fields::MATCH value=match_id.to_string()/>
                <div class="field">
                    <label for=id(fields::REASON)>{tr("match_end.reason")}</label>
                    <select id=id(fields::REASON) name=fields::REASON data-testid="match-end-reason"
                        aria-invalid=invalid(fields::REASON) aria-describedby=described(fields::REASON)>
                        {REASONS.into_iter().map(|code| view! {
                            <option value=code>{move || text(lang.get(), &format!("match_end.reasons.{code}"))}</option>
                        }).collect_view()}
                    </select>
                    {message(fields::REASON)}
                </div>
                <div class="field">
                    <label for=id(fields::NOTE)>{tr("match_end.note")}</label>
                    <p class="hint" id=hint_id.clone()>{tr("match_end.note_hint")}</p>
                    <textarea id=id(fields::NOTE) name=fields::NOTE rows="3" maxlength=NOTE_MAX_CHARS.to_string()
                        data-testid="match-end-note" aria-invalid=invalid(fields::NOTE)
                        aria-describedby=move || {
                            let mut ids = hint_id.clone();
                            if let Some(error) = described(fields::NOTE)() {
                                ids.push(' ');
                                ids.push_str(&error);
                            }
                            ids
                        }></textarea>
                    {message(fields::NOTE)}
                </div>
                {if as_tutor {
                    view! { <p class="hint">{tr("match_end.tutor_hint")}</p> }.into_any()
                } else {
                    view! {
                        <div class="field checkbox">
                            <input id=id(fields::BACK_TO_POOL) type="checkbox" name=fields::BACK_TO_POOL value="on"
                                checked=true data-testid="match-end-back-to-pool"/>
                            <label for=id(fields::BACK_TO_POOL)>{tr(if coordinator {
                                "match_end.back_to_pool_coordinator"
                            } else {
                                "match_end.back_to_pool_pupil"
                            })}</label>
                        </div>
                    }.into_any()
                }}
                <button type="submit" data-testid="match-end">{tr("match_end.submit")}</button>
            </ActionForm>
        </details>
    }
}
