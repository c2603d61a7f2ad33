//! The profile forms: `/compte/eleve` for pupils, `/compte/tuteur` for
//! tutors.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::academies::list_regions;
use crate::components::error_message::ErrorMessage;
use crate::components::form::{
    error_id, field_errors, has_error, loaded, other_error, Field, FieldMessage, FormErrors,
};
use crate::i18n::{text, tr, use_lang};
use crate::levels::LEVELS;
use crate::pupils::api::{fields as pupil_fields, my_pupil_profile, SavePupilProfile};
use crate::schools::search::search_schools;
use crate::tutors::api::{
    fields as tutor_fields, my_tutor_profile, SaveTutorProfile, TEXT_MAX_CHARS,
};
use crate::tutors::STUDY_YEARS;

/// `/compte/eleve`: the pupil's profile. The school is found with a search
/// (a plain GET form, so it works without JavaScript), then chosen among
/// the results.
#[component]
pub fn PupilProfilePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let search = move || query.read().get("recherche").unwrap_or_default();
    let profile = Resource::new(|| (), |_| my_pupil_profile());
    let results = Resource::new(search, |q| async move {
        if q.trim().is_empty() {
            Ok(Vec::new())
        } else {
            search_schools(q).await
        }
    });
    let action = ServerAction::<SavePupilProfile>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="pupil-profile-title">
            <h1 id="pupil-profile-title">{tr("profiles.pupil.title")}</h1>
            <p>{tr("profiles.pupil.lead")}</p>
            <form method="get" action="/compte/eleve" class="search-form" role="search">
                <label for="recherche">{tr("profiles.pupil.school_search")}</label>
                <p class="field-hint" id="recherche-aide">{tr("profiles.pupil.school_search_hint")}</p>
                <div class="search-row">
                    <input id="recherche" name="recherche" type="search" value=search
                        aria-describedby="recherche-aide" minlength="2"/>
                    <button type="submit" data-testid="school-search">{tr("profiles.pupil.search")}</button>
                </div>
            </form>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let current = profile.await;
                    let found = results.await.unwrap_or_default();
                    loaded(current, |current| {
                        let mut schools = found;
                        if let Some(p) = &current {
                            if !schools.iter().any(|s| s.uai == p.school.uai) {
                                schools.insert(0, p.school.clone());
                            }
                        }
                        let chosen_school = current.as_ref().map(|p| p.school.uai.clone()).or_else(|| (schools.len() == 1).then(|| schools[0].uai.clone()));
                        let chosen_level = current.as_ref().map(|p| p.level_code.clone());
                        let chosen_month = current.as_ref().map(|p| p.birth_month);
                        view! {
                            <ActionForm action attr:novalidate=true>
                                <fieldset class="field" aria-invalid=has_error(errors, pupil_fields::SCHOOL) aria-describedby=error_id(errors, pupil_fields::SCHOOL)>
                                    <legend>{tr("profiles.pupil.school")}</legend>
                                    {if schools.is_empty() {
                                        view! { <p class="field-hint">{tr("profiles.pupil.school_none_yet")}</p> }.into_any()
                                    } else {
                                        schools.into_iter().map(|school| {
                                            let checked = chosen_school.as_deref() == Some(school.uai.as_str());
                                            view! {
                                                <label class="choice">
                                                    <input type="radio" name=pupil_fields::SCHOOL value=school.uai.clone() checked=checked/>
                                                    {format!("{} — {} ({})", school.name, school.commune, school.uai)}
                                                </label>
                                            }
                                        }).collect_view().into_any()
                                    }}
                                    <FieldMessage field=pupil_fields::SCHOOL errors/>
                                </fieldset>
                                <div class="field">
                                    <label for="champ-level_code">{tr("profiles.pupil.level")}</label>
                                    <select id="champ-level_code" name=pupil_fields::LEVEL aria-invalid=has_error(errors, pupil_fields::LEVEL) aria-describedby=error_id(errors, pupil_fields::LEVEL)>
                                        <option value="">{tr("profiles.choose")}</option>
                                        {LEVELS.iter().map(|level| {
                                            let selected = chosen_level.as_deref() == Some(level.code);
                                            view! { <option value=level.code selected=selected>{move || level.label(lang.get())}</option> }
                                        }).collect_view()}
                                    </select>
                                    <FieldMessage field=pupil_fields::LEVEL errors/>
                                </div>
                                <fieldset class="field birth">
                                    <legend>{tr("profiles.pupil.birth")}</legend>
                                    <p class="field-hint">{tr("profiles.pupil.birth_hint")}</p>
                                    <label for="champ-birth_month">{tr("profiles.pupil.birth_month")}</label>
                                    <select id="champ-birth_month" name=pupil_fields::BIRTH_MONTH aria-invalid=has_error(errors, pupil_fields::BIRTH_MONTH) aria-describedby=error_id(errors, pupil_fields::BIRTH_MONTH)>
                                        <option value="">{tr("profiles.choose")}</option>
                                        {(1..=12u32).map(|month| {
                                            let key: &'static str = crate::i18n::MONTH_KEYS[month as usize - 1];
                                            view! { <option value=month.to_string() selected=chosen_month == Some(month)>{tr(key)}</option> }
                                        }).collect_view()}
                                    </select>
                                    <FieldMessage field=pupil_fields::BIRTH_MONTH errors/>
                                    <Field name=pupil_fields::BIRTH_YEAR label="profiles.pupil.birth_year" kind="number"
                                        autocomplete="bday-year" errors value=current.as_ref().map(|p| p.birth_year.to_string())/>
                                </fieldset>
                                <Field name=pupil_fields::PARENT_EMAIL label="profiles.pupil.parent_email" kind="email"
                                    autocomplete="off" errors hint="profiles.pupil.parent_email_hint" required=false
                                    value=current.as_ref().and_then(|p| p.parent_email.clone())/>
                                <button type="submit" class="primary" data-testid="pupil-profile-submit">
                                    {tr("profiles.save")}
                                </button>
                            </ActionForm>
                        }.into_any()
                    })
                })}
            </Suspense>
            <p>{move || text(lang.get(), "profiles.pupil.privacy")}</p>
        </section>
    }
}

/// `/compte/tuteur`: the tutor's profile and the tutor charter.
#[component]
pub fn TutorProfilePage() -> impl IntoView {
    let lang = use_lang();
    let profile = Resource::new(|| (), |_| my_tutor_profile());
    let regions = Resource::new(|| (), |_| list_regions());
    let action = ServerAction::<SaveTutorProfile>::new();
    let errors = field_errors(action);
    let other = other_error(action);
    view! {
        <section class="narrow" aria-labelledby="tutor-profile-title">
            <h1 id="tutor-profile-title">{tr("profiles.tutor.title")}</h1>
            <FormErrors errors/>
            {move || other.get().map(|error| view! { <ErrorMessage error/> })}
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let current = profile.await;
                    let regions = regions.await.unwrap_or_default();
                    loaded(current, |current| {
                        let chosen: Vec<String> = current.as_ref().map(|p| p.academies.clone()).unwrap_or_default();
                        let year = current.as_ref().map(|p| p.study_year);
                        let first_time = current.is_none();
                        view! {
                            <ActionForm action attr:novalidate=true>
                                <Field name=tutor_fields::INSTITUTION label="profiles.tutor.institution"
                                    autocomplete="organization" errors maxlength=TEXT_MAX_CHARS as u32
                                    hint="profiles.tutor.institution_hint"
                                    value=current.as_ref().map(|p| p.institution.clone())/>
                                <Field name=tutor_fields::FIELD_OF_STUDY label="profiles.tutor.field_of_study"
                                    autocomplete="off" errors maxlength=TEXT_MAX_CHARS as u32
                                    value=current.as_ref().map(|p| p.field_of_study.clone())/>
                                <div class="field">
                                    <label for="champ-study_year">{tr("profiles.tutor.study_year")}</label>
                                    <select id="champ-study_year" name=tutor_fields::STUDY_YEAR aria-invalid=has_error(errors, tutor_fields::STUDY_YEAR) aria-describedby=error_id(errors, tutor_fields::STUDY_YEAR)>
                                        <option value="">{tr("profiles.choose")}</option>
                                        {STUDY_YEARS.map(|y| view! {
                                            <option value=y.to_string() selected=year == Some(y)>{format!("Bac + {y}")}</option>
                                        }).collect_view()}
                                    </select>
                                    <FieldMessage field=tutor_fields::STUDY_YEAR errors/>
                                </div>
                                <fieldset class="field" aria-invalid=has_error(errors, tutor_fields::ACADEMIES) aria-describedby=error_id(errors, tutor_fields::ACADEMIES)>
                                    <legend>{tr("profiles.tutor.academies")}</legend>
                                    <p class="field-hint">{tr("profiles.tutor.academies_hint")}</p>
                                    {regions.into_iter().map(|region| view! {
                                        <div class="region-group">
                                            <p class="region-name">{region.name}</p>
                                            {region.academies.into_iter().map(|academy| {
                                                let checked = chosen.contains(&academy.code);
                                                view! {
                                                    <label class="choice">
                                                        <input type="checkbox" name="academies[]" value=academy.code.clone() checked=checked/>
                                                        {academy.name}
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }).collect_view()}
                                    <FieldMessage field=tutor_fields::ACADEMIES errors/>
                                </fieldset>
                                <section class="charter" aria-labelledby="charter-title">
                                    <h2 id="charter-title">{tr("profiles.tutor.charter_title")}</h2>
                                    <ul>
                                        {CHARTER_KEYS.iter().map(|key| view! { <li>{tr(key)}</li> }).collect_view()}
                                    </ul>
                                    {first_time.then(|| view! {
                                        <label class="choice">
                                            <input type="checkbox" name=tutor_fields::CHARTER value="accepted"
                                                aria-invalid=has_error(errors, tutor_fields::CHARTER) aria-describedby=error_id(errors, tutor_fields::CHARTER)/>
                                            {move || text(lang.get(), "profiles.tutor.charter_accept")}
                                        </label>
                                        <FieldMessage field=tutor_fields::CHARTER errors/>
                                    })}
                                </section>
                                <button type="submit" class="primary" data-testid="tutor-profile-submit">
                                    {tr("profiles.save")}
                                </button>
                            </ActionForm>
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The tutor charter, one commitment per line (`locale: tutors.charter.*`).
pub const CHARTER_KEYS: [&str; 5] = [
    "tutors.charter.1",
    "tutors.charter.2",
    "tutors.charter.3",
    "tutors.charter.4",
    "tutors.charter.5",
];
