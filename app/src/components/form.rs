//! Form pieces: a labelled field with its error message, and the errors of
//! a server function's last answer.
//!
//! Forms post to their server function. With JavaScript the page stays and
//! shows the answer; without, the server answers with a redirect back to
//! the form, the errors in the URL, and the page shows them the same way.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::{AppError, FieldError};
use crate::i18n::{text, tr, use_lang};

/// The field errors of an action's last answer (none before the first).
pub fn field_errors<S>(action: ServerAction<S>) -> Signal<Vec<FieldError>>
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(Err(AppError::Invalid { fields })) => fields,
        _ => Vec::new(),
    })
}

/// The error of an action's last answer that is not about a field (too
/// many attempts, a failure on our side), if any.
pub fn other_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(Err(AppError::Invalid { .. })) | Some(Ok(())) | None => None,
        Some(Err(error)) => Some(error),
    })
}

/// The message key of the error about `field`, if any.
pub fn message_of(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|error| error.field == field)
        .map(|error| error.message_key.clone())
}

/// Above a form: "some fields need correcting" when any does, and the
/// errors about the whole form (field `form`), announced to screen readers.
#[component]
pub fn FormErrors(errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let errors = errors.get();
        let about_form = message_of(&errors, "form");
        let about_fields = errors.iter().any(|error| error.field != "form");
        (about_form.is_some() || about_fields).then(|| {
            view! {
                <div class="form-errors" role="alert" data-testid="form-errors">
                    {about_form.map(|key| view! { <p>{text(lang.get(), &key)}</p> })}
                    {about_fields.then(|| view! { <p>{text(lang.get(), "errors.invalid")}</p> })}
                </div>
            }
        })
    }
}

/// A labelled input, with an optional hint and the message of its error.
/// The error is tied to the input by `aria-describedby`, and the input is
/// marked `aria-invalid`.
#[component]
pub fn Field(
    /// The name the server function reads.
    name: &'static str,
    /// The locale key of the label.
    label: &'static str,
    /// The input's type: `text`, `email`, `password`…
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token (WCAG 1.3.5).
    autocomplete: &'static str,
    errors: Signal<Vec<FieldError>>,
    /// The locale key of a hint shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Longest value accepted, in characters.
    #[prop(optional)]
    maxlength: Option<u32>,
    /// The value shown at first (an existing profile's).
    #[prop(default = None)]
    value: Option<String>,
    /// Whether the field may be left empty.
    #[prop(default = true)]
    required: bool,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("champ-{name}");
    let hint_id = format!("{id}-aide");
    let error_id = format!("{id}-erreur");
    let message = move || message_of(&errors.get(), name);
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || message().is_some()>
            <label for=id.clone()>{tr(label)}</label>
            {hint.map(|key| view! { <p class="field-hint" id=hint_id.clone()>{tr(key)}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                maxlength=maxlength
                value=value
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described_by
            />
            {move || message().map(|key| view! {
                <p class="field-error" id=error_id.clone()>{text(lang.get(), &key)}</p>
            })}
        </div>
    }
}

/// The message of the error about `field`, as a reactive view (for inputs
/// that are not a [`Field`]: radio groups, checkboxes, selects). Its id is
/// `champ-{field}-erreur`.
#[component]
pub fn FieldMessage(field: &'static str, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        message_of(&errors.get(), field).map(|key| {
            view! {
                <p class="field-error" id=format!("champ-{field}-erreur")>{text(lang.get(), &key)}</p>
            }
        })
    }
}

/// Every field's message as a list, for a page with many small forms
/// (one per session) where a message beside the field could land in the
/// wrong one. Works the same without JavaScript.
#[component]
pub fn FieldErrorList(errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let keys: Vec<String> = errors
            .get()
            .into_iter()
            .filter(|error| error.field != "form")
            .map(|error| error.message_key)
            .collect();
        (!keys.is_empty()).then(|| {
            view! {
                <ul class="form-errors" data-testid="field-error-list">
                    {keys.into_iter().map(|key| view! { <li>{text(lang.get(), &key)}</li> }).collect_view()}
                </ul>
            }
        })
    }
}

/// Whether `field` has an error (for `aria-invalid`).
pub fn has_error(
    errors: Signal<Vec<FieldError>>,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || message_of(&errors.get(), field).map(|_| "true")
}

/// The id of the message about `field` when it has one (for
/// `aria-describedby` of inputs that are not a [`Field`]).
pub fn error_id(
    errors: Signal<Vec<FieldError>>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy {
    move || message_of(&errors.get(), field).map(|_| format!("champ-{field}-erreur"))
}

/// A result shown the common way: the view of the value, a redirect to the
/// sign-in page when a login session is needed, "not found" when the object
/// is not visible, the error's message otherwise.
pub fn loaded<T>(result: Result<T, AppError>, ok: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(value) => ok(value),
        Err(AppError::Unauthenticated) => {
            view! { <leptos_router::components::Redirect path="/connexion"/> }.into_any()
        }
        Err(error) => view! { <crate::components::error_message::ErrorMessage error/> }.into_any(),
    }
}

/// "This link is no longer valid", with the way to a new one: shown when an
/// emailed link (`?jeton=…`) was used, replaced or expired.
#[component]
pub fn LinkInvalid(
    /// Where a new link can be had.
    href: &'static str,
    /// The locale key of that link's text.
    label: &'static str,
) -> impl IntoView {
    view! {
        <div class="form-errors" role="alert" data-testid="form-errors">
            <p>{tr("errors.link.invalid")}</p>
            <p><a href=href>{tr(label)}</a></p>
        </div>
    }
}

/// The `jeton` of the page's query: the secret of an emailed link.
pub fn link_token() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("jeton").unwrap_or_default()
}

/// The text of a `<textarea>`, as its child. Leptos writes a textarea's
/// children unescaped (tachys 0.2 treats the element like `<script>`), so
/// typed text holding `</textarea>` would end the element and inject
/// markup: the server escapes `&`, `<` and `>`, which the browser reads
/// back as the same text (a textarea holds escapable raw text, its
/// entities decoded). In the browser the text is a DOM node's: as is.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}
