//! The HTML document around every page, and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode, StaticSegment,
};

use crate::components::header::SiteHeader;
use crate::i18n::{provide_lang, tr, Lang};
use crate::pages::account::my_data::{ErasedPage, MyDataPage};
use crate::pages::account::password::{ForgotPasswordPage, NewPasswordPage, ResetSentPage};
use crate::pages::account::second_factor::{
    ManageSecondFactorPage, RecoveryCodesPage, SecondFactorPage,
};
use crate::pages::account::sign_in::SignInPage;
use crate::pages::account::sign_up::{ConfirmEmailPage, SignUpPage, SignUpSentPage};
use crate::pages::account::AccountPage;
use crate::pages::admin::{AdministrationPage, AuditPage, DirectoryImportPage, OutboxPage};
use crate::pages::alerts::AlertsPage;
use crate::pages::attestation::AttestationPage;
use crate::pages::calendar::CalendarPage;
use crate::pages::coordination::{CoordinationPage, CoordinationPupilPage, CoordinationTutorPage};
use crate::pages::coordination_needs::{
    CoordinationOffersPage, CoordinationRequestPage, CoordinationRequestsPage,
};
use crate::pages::dashboard::DashboardPage;
use crate::pages::feedback::FeedbackPage;
use crate::pages::matching::MatchingPage;
use crate::pages::needs::{AvailabilityPage, HelpRequestPage, OfferPage};
use crate::pages::parent::{
    ConsentPage, ParentEnterPage, ParentLinkPage, ParentLinkSentPage, ParentSpacePage,
};
use crate::pages::privacy::{PrivacyNoticePage, RegisterPage, RetentionPage};
use crate::pages::profiles::{PupilProfilePage, TutorProfilePage};
use crate::pages::proposal::ProposalPage;
use crate::pages::report::{ReportPage, ReportSentPage};
use crate::pages::{home::HomePage, not_found::NotFound};

/// The full HTML document, rendered on the server only.
///
/// `<html lang>` follows the visitor's language (cookie, then
/// `Accept-Language`, then French), so screen readers pronounce the page
/// right before any script runs.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    #[cfg(feature = "ssr")]
    crate::security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language of the request being served (server) or of the page being
/// hydrated (browser: read back from `<html lang>`, which the server set).
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::request::lang_of_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::i18n::lang_of_document()
    }
}

/// The application: language context, metadata and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_lang(initial_lang());

    view! {
        <Stylesheet id="leptos" href="/pkg/binome.css"/>
        <Title text=tr("site.title")/>
        <Meta name="description" content=tr("site.description")/>
        <Router>
            // `target="_self"`: the router leaves the link to the browser,
            // which moves the focus to <main> as well as the view.
            <a class="skip-link" href="#contenu" target="_self">
                {tr("site.skip_to_content")}
            </a>
            <SiteHeader/>
            <main id="contenu" tabindex="-1">
                // `SsrMode::Async`: the server waits for the page's data and
                // sends it whole, so it reads right without JavaScript.
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription/envoyee") view=SignUpSentPage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription/confirmer") view=ConfirmEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion/code") view=SecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion/codes-de-secours") view=RecoveryCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/mot-de-passe/oubli") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/mot-de-passe/envoye") view=ResetSentPage ssr=SsrMode::Async/>
                    <Route path=path!("/mot-de-passe/nouveau") view=NewPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/donnees") view=MyDataPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/supprime") view=ErasedPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/double-authentification") view=ManageSecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/eleve") view=PupilProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/tuteur") view=TutorProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/disponibilites") view=AvailabilityPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/demande") view=HelpRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/offre") view=OfferPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposition") view=ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/calendrier") view=CalendarPage ssr=SsrMode::Async/>
                    <Route path=path!("/avis") view=FeedbackPage ssr=SsrMode::Async/>
                    <Route path=path!("/attestation") view=AttestationPage ssr=SsrMode::Async/>
                    <Route path=path!("/signaler") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/signaler/envoye") view=ReportSentPage ssr=SsrMode::Async/>
                    <Route path=path!("/parent") view=ParentSpacePage ssr=SsrMode::Async/>
                    <Route path=path!("/parent/consentement") view=ConsentPage ssr=SsrMode::Async/>
                    <Route path=path!("/parent/connexion") view=ParentLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/parent/envoye") view=ParentLinkSentPage ssr=SsrMode::Async/>
                    <Route path=path!("/parent/entrer") view=ParentEnterPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination") view=CoordinationPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/tuteurs/:id") view=CoordinationTutorPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/eleves/:id") view=CoordinationPupilPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/demandes") view=CoordinationRequestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/demandes/:id") view=CoordinationRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/offres") view=CoordinationOffersPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/appariement") view=MatchingPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/alertes") view=AlertsPage ssr=SsrMode::Async/>
                    <Route path=path!("/coordination/tableau-de-bord") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration") view=AdministrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/journal") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/courriels") view=OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/etablissements") view=DirectoryImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/registre") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/administration/conservation") view=RetentionPage ssr=SsrMode::Async/>
                    <Route path=path!("/confidentialite") view=PrivacyNoticePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <a href="/confidentialite" data-testid="privacy-link">{tr("privacy.notice.title")}</a>
            </footer>
        </Router>
    }
}
