//! `/avis`: the signed-in pupil's or tutor's sessions that have ended and
//! await their feedback, each with a short form (radio buttons and two
//! text boxes: under a minute on a phone). Rendered on the server; it
//! works the same without JavaScript.

use leptos::prelude::*;

use crate::availability::weekday_key;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{field_errors, loaded, other_error, FieldErrorList, FormErrors};
use crate::feedback::{
    fields, pending_feedback, FeedbackDue, GiveFeedback, COMMENT_MAX_CHARS, WORKED_ON_MAX_CHARS,
};
use crate::i18n::{date_text, text, tr, use_lang};

/// `/avis`.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let give = ServerAction::<GiveFeedback>::new();
    // Read again after a save only: after an error, the forms keep what
    // was typed.
    let saves = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if matches!(give.value().get(), Some(Ok(()))) {
            saves.update(|n| *n += 1);
        }
    });
    let pending = Resource::new(move || saves.get(), |_| pending_feedback());
    let errors = field_errors(give);
    let other = other_error(give);
    let saved = move || matches!(give.value().get(), Some(Ok(())));
    view! {
        <section class="narrow" aria-labelledby="feedback-title">
            <h1 id="feedback-title">{tr("feedback.title")}</h1>
            <p>{tr("feedback.lead")}</p>
            {move || saved().then(|| view! {
                <p class="success" role="status" data-testid="feedback-saved">{tr("feedback.saved")}</p>
            })}
            <FormErrors errors/>
            <FieldErrorList errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || pending.get().map(|result| loaded(result, move |sessions: Vec<FeedbackDue>| {
                    if sessions.is_empty() {
                        return view! { <p data-testid="feedback-none">{tr("feedback.none")}</p> }.into_any();
                    }
                    view! {
                        <ol class="feedback-list">
                            {sessions.into_iter().map(|session| view! {
                                <li data-testid="feedback-session"><FeedbackForm action=give session/></li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }))}
            </Suspense>
            <p><a href="/compte">{tr("common.back_to_account")}</a></p>
        </section>
    }
}

/// One session's form.
#[component]
fn FeedbackForm(action: ServerAction<GiveFeedback>, session: FeedbackDue) -> impl IntoView {
    let lang = use_lang();
    let id = session.occurrence_id;
    let field_id = move |field: &str| format!("champ-avis-{field}-{id}");
    let date = session.date.clone();
    let until = session.until.clone();
    let until_time = session.until_time.clone();
    let other = session.other_name.clone();
    let asked = if session.as_tutor {
        view! {
            <div class="field">
                <label for=field_id(fields::WORKED_ON)>{tr("feedback.worked_on")}</label>
                <textarea id=field_id(fields::WORKED_ON) name=fields::WORKED_ON rows="2"
                    maxlength=WORKED_ON_MAX_CHARS.to_string() data-testid="feedback-worked-on"></textarea>
            </div>
        }
        .into_any()
    } else {
        view! { <Scale id name=fields::CONFIDENCE legend="feedback.confidence" low="feedback.confidence_low" high="feedback.confidence_high"/> }
            .into_any()
    };
    view! {
        <ActionForm action attr:novalidate=true attr:class="feedback-form">
            <input type="hidden" name=fields::OCCURRENCE value=id.to_string()/>
            <h2 class="feedback-when">
                <time datetime=format!("{}T{}", session.date, session.from)>
                    {move || text(lang.get(), weekday_key(session.weekday))} " " {move || date_text(lang.get(), &date)}
                    " · " {session.from.clone()}
                </time>
                " " {move || text(lang.get(), "feedback.with").replace("%{name}", &other)}
            </h2>
            <fieldset class="field">
                <legend>{tr("feedback.took_place")}</legend>
                <div class="choices">
                    <label class="choice">
                        <input type="radio" name=fields::TOOK_PLACE value="yes" data-testid="feedback-took-place-yes"/>
                        {tr("feedback.yes")}
                    </label>
                    <label class="choice">
                        <input type="radio" name=fields::TOOK_PLACE value="no" data-testid="feedback-took-place-no"/>
                        {tr("feedback.no")}
                    </label>
                </div>
            </fieldset>
            <Scale id name=fields::RATING legend="feedback.rating" low="feedback.rating_low" high="feedback.rating_high"/>
            {asked}
            <div class="field">
                <label for=field_id(fields::COMMENT)>{tr("feedback.comment")}</label>
                <textarea id=field_id(fields::COMMENT) name=fields::COMMENT rows="2"
                    maxlength=COMMENT_MAX_CHARS.to_string() data-testid="feedback-comment"></textarea>
            </div>
            <p class="field-hint">
                {move || text(lang.get(), "feedback.until")
                    .replace("%{date}", &date_text(lang.get(), &until))
                    .replace("%{time}", &until_time)}
            </p>
            <button type="submit" class="primary" data-testid="feedback-submit">{tr("feedback.submit")}</button>
        </ActionForm>
    }
}

/// Five radio buttons, 1 to 5, with what the ends mean (read with each
/// button by screen readers), in the form of the session `id`.
#[component]
fn Scale(
    id: i64,
    name: &'static str,
    legend: &'static str,
    low: &'static str,
    high: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let testid = name.replace('_', "-");
    let hint = format!("champ-avis-{name}-{id}-aide");
    let ends = move || {
        let lang = lang.get();
        text(lang, "feedback.scale_ends")
            .replace("%{low}", &text(lang, low))
            .replace("%{high}", &text(lang, high))
    };
    view! {
        <fieldset class="field">
            <legend>{tr(legend)}</legend>
            <p class="field-hint" id=hint.clone()>{ends}</p>
            <div class="choices scale">
                {(1..=5).map(|n| view! {
                    <label class="choice">
                        <input type="radio" name=name value=n.to_string() aria-describedby=hint.clone()
                            data-testid=format!("feedback-{testid}-{n}")/>
                        {n}
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}
