use leptos::prelude::*;

use crate::academies::{list_regions, Region};
use crate::components::error_message::ErrorMessage;
use crate::i18n::{tr, use_lang};
use rust_i18n::t;

/// The home page: what Binôme is, for each of its users, and where it works.
#[component]
pub fn HomePage() -> impl IntoView {
    let regions = Resource::new(|| (), |_| list_regions());

    view! {
        <section class="intro" aria-labelledby="intro-title">
            <h1 id="intro-title">{tr("home.title")}</h1>
            <p class="lead">{tr("home.lead")}</p>
        </section>

        <section class="audiences" aria-labelledby="audiences-title">
            <h2 id="audiences-title">{tr("home.audiences.title")}</h2>
            <div class="cards">
                <Audience keys=PUPIL/>
                <Audience keys=TUTOR/>
                <Audience keys=COORDINATOR/>
            </div>
        </section>

        <section class="academies" aria-labelledby="academies-title">
            <h2 id="academies-title">{tr("home.academies.title")}</h2>
            <p>{tr("home.academies.intro")}</p>
            <Suspense fallback=move || view! { <p>{tr("common.loading")}</p> }>
                {move || regions.get().map(|result| match result {
                    Ok(regions) => view! { <RegionList regions/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// The locale keys describing one kind of user.
#[derive(Clone, Copy, Debug)]
struct AudienceKeys {
    id: &'static str,
    title: &'static str,
    body: &'static str,
    steps: [&'static str; 3],
}

const PUPIL: AudienceKeys = AudienceKeys {
    id: "pupil",
    title: "home.pupil.title",
    body: "home.pupil.body",
    steps: ["home.pupil.step1", "home.pupil.step2", "home.pupil.step3"],
};

const TUTOR: AudienceKeys = AudienceKeys {
    id: "tutor",
    title: "home.tutor.title",
    body: "home.tutor.body",
    steps: ["home.tutor.step1", "home.tutor.step2", "home.tutor.step3"],
};

const COORDINATOR: AudienceKeys = AudienceKeys {
    id: "coordinator",
    title: "home.coordinator.title",
    body: "home.coordinator.body",
    steps: [
        "home.coordinator.step1",
        "home.coordinator.step2",
        "home.coordinator.step3",
    ],
};

/// One kind of user: who they are and what Binôme does for them.
#[component]
fn Audience(keys: AudienceKeys) -> impl IntoView {
    view! {
        <article class="card" data-audience=keys.id>
            <h3>{tr(keys.title)}</h3>
            <p>{tr(keys.body)}</p>
            <ol>
                {keys.steps.into_iter().map(|step| view! { <li>{tr(step)}</li> }).collect_view()}
            </ol>
        </article>
    }
}

#[component]
fn RegionList(regions: Vec<Region>) -> impl IntoView {
    let lang = use_lang();
    let count: usize = regions.iter().map(|r| r.academies.len()).sum();
    view! {
        <p class="count" data-testid="academy-count">
            {move || t!("home.academies.count", locale = lang.get().code(), count = count).into_owned()}
        </p>
        // role="list": some screen readers drop list semantics with list-style: none.
        <ul class="regions" role="list">
            {regions.into_iter().map(|region| view! {
                <li>
                    <h3>{region.name}</h3>
                    <ul class="academy-list">
                        {region.academies.into_iter().map(|academy| view! {
                            <li data-academy=academy.code>{academy.name}</li>
                        }).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ul>
    }
}
