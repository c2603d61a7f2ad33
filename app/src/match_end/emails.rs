//! The email telling each side that their match has ended (template
//! `match_ended.jinja`), with the cancellation of their weekly sessions for
//! their calendar.

use chrono::{DateTime, Utc};
use domain::match_end::{EndedBy, Reason};
use serde::Serialize;

use crate::accounts::users::User;
use crate::db::Tx;
use crate::i18n::{text, Lang};
use crate::mail::outbox::NewEmail;
use crate::mail::template::EmailTemplate;
use crate::sessions::{invitation, series_event, store as sessions, summary, venue};
use crate::state::AppState;

/// To one side: the match with `other` has ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatchEnded {
    /// The recipient's first name.
    pub name: String,
    /// The other side's full name.
    pub other: String,
    /// Who ended it, from the recipient's view: `own`, `other`,
    /// `coordinator`, or `erased` (the other side's account was erased).
    pub by: String,
    /// The reason in the recipient's language; empty when not told to them.
    pub reason: String,
    /// The recipient is the pupil.
    pub as_pupil: bool,
    /// The pupil's request stays open, their waiting time kept.
    pub back_to_pool: bool,
    /// They had weekly sessions, now ended.
    pub sessions: bool,
    /// The recipient (the tutor) is no longer available: her offer is
    /// paused.
    pub paused: bool,
}

impl EmailTemplate for MatchEnded {
    const KIND: &'static str = "match_ended";
}

impl MatchEnded {
    /// Data for the template tests.
    pub fn sample() -> MatchEnded {
        MatchEnded {
            name: "Hugo".into(),
            other: "Léa Martin".into(),
            by: "other".into(),
            reason: "N’est plus disponible".into(),
            as_pupil: true,
            back_to_pool: true,
            sessions: true,
            paused: false,
        }
    }
}

/// How the match ended, for one recipient.
#[derive(Clone, Copy, Debug)]
pub struct How {
    pub by: EndedBy,
    /// The recipient ended it.
    pub own: bool,
    /// `None` when the reason is not told to the recipient.
    pub reason: Option<Reason>,
    pub as_pupil: bool,
    pub back_to_pool: bool,
    pub sessions: bool,
    pub paused: bool,
    /// It ended because the other side's account was erased (GDPR art.
    /// 17): the email does not name them.
    pub erased: bool,
}

/// The label of `reason` in `lang` (`match_end.reasons.<code>`).
pub fn reason_text(lang: Lang, reason: Reason) -> String {
    text(lang, &format!("match_end.reasons.{}", reason.code()))
}

/// The email telling `to` that their match with `other` has ended.
pub fn ended(to: &User, other: &User, how: How, public_url: &str) -> Option<NewEmail> {
    let by = match (how.own, how.by) {
        _ if how.erased => "erased",
        (true, _) => "own",
        (false, EndedBy::Coordinator) => "coordinator",
        (false, _) => "other",
    };
    NewEmail::to_user(
        to,
        &MatchEnded {
            name: to.first_name.clone(),
            other: format!("{} {}", other.first_name, other.last_name),
            by: by.to_owned(),
            reason: how
                .reason
                .map(|reason| reason_text(to.lang, reason))
                .unwrap_or_default(),
            as_pupil: how.as_pupil,
            back_to_pool: how.back_to_pool,
            sessions: how.sessions,
            paused: how.paused,
        },
        public_url,
    )
}

/// `email` with an invitation for each of the series `ended` (the match's
/// confirmed weekly sessions, ended in `tx`): a `REQUEST` with the series'
/// new end when sessions of it were held, a `CANCEL` otherwise; for its
/// recipient,
/// written in `lang`, whose sessions were with `other`. A series whose stored dates do not
/// parse gets none.
///
/// # Errors
/// The database's error.
pub async fn with_cancellations(
    state: &AppState,
    tx: &mut Tx,
    (mut email, lang): (NewEmail, Lang),
    ended: &[super::store::EndedSeries],
    other: &User,
    now: DateTime<Utc>,
) -> Result<NewEmail, sqlx::Error> {
    for series in ended {
        let series_id = series.id;
        let Some(row) = sessions::series_in(tx, series_id).await? else {
            continue;
        };
        let venue = venue::of_series_in(tx, series_id, state.video_url_template.as_deref()).await?;
        let exceptions = sessions::exceptions_in(tx, series_id).await?;
        let Some(event) = series_event(
            &row,
            exceptions,
            (summary(lang, other), lang),
            &venue,
            &state.public_url,
        ) else {
            continue;
        };
        let to = &email.content.to;
        let (method, ics) = if series.held {
            (
                "REQUEST",
                invitation::request(&event, &state.mail_from, to, now),
            )
        } else {
            (
                "CANCEL",
                invitation::cancel_all(&event, &state.mail_from, to, now),
            )
        };
        email = email.with_attachment(invitation::attachment(method, ics));
    }
    Ok(email)
}
