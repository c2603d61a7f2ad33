//! What every request handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::accounts::rate_limit::RateLimits;
use crate::clock::Clock;
use crate::db::Db;

/// The server's shared state, passed to axum handlers and provided to
/// server functions as a Leptos context. The server keeps no other state:
/// everything lasting lives in the database.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Base of the absolute links the platform builds, e.g.
    /// `https://binome.example.fr` (no trailing slash).
    pub public_url: String,
    /// The address every email is sent from (`BINOME_MAIL_FROM`, without
    /// the name): the `ORGANIZER` of calendar invitations.
    #[from_ref(skip)]
    pub mail_from: String,
    /// `BINOME_VIDEO_URL_TEMPLATE`: the video link of online sessions,
    /// with `{room}` for the match's room name; `None` when the platform
    /// has no video server (the pair then agrees on one).
    #[from_ref(skip)]
    pub video_url_template: Option<String>,
    /// The time; the system clock in the server, a manual one in tests.
    pub clock: Arc<dyn Clock>,
    /// Counts of sign-ups, sign-ins and reset requests (in memory).
    pub rate_limits: Arc<RateLimits>,
    /// How long a tutor has to answer a published proposal
    /// (`BINOME_PROPOSAL_DAYS`); reminded once half-way.
    pub answer_delay: chrono::TimeDelta,
    /// The thresholds of the coordinators' alerts (`BINOME_ALERT_RULES`).
    #[from_ref(skip)]
    pub alert_rules: domain::alerts::Rules,
    /// How long personal data is kept (`BINOME_RETENTION`).
    #[from_ref(skip)]
    pub retention: domain::retention::Policy,
}
