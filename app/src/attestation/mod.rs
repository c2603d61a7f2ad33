//! The volunteer attestation (issue 8): a tutor's sessions held over a
//! period, as a printable page (`/attestation`) the tutor downloads or a
//! coordinator issues. The sums are [`domain::attestation`]'s.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{date_text, hours_minutes, text, Lang};
use crate::pages::needs::subject_label;

/// Form (query) fields.
pub mod fields {
    pub const TUTOR: &str = "tuteur";
    pub const FROM: &str = "du";
    pub const TO: &str = "au";
}

/// The longest period, in days (a school year and a little more).
pub const MAX_DAYS: i64 = 400;

/// An attestation, ready to print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    /// The tutor's user id.
    pub tutor_id: i64,
    pub tutor_name: String,
    pub institution: String,
    pub field_of_study: String,
    /// `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    pub sessions: u32,
    /// Total length, in minutes.
    pub minutes: u32,
    pub pupils: u32,
    /// Subject codes.
    pub subjects: Vec<String>,
    /// `YYYY-MM-DD`, UTC.
    pub issued_on: String,
    /// The issuing coordinator's full name; `None` when the tutor
    /// downloads their own.
    pub issued_by: Option<String>,
    /// The académies the tutor volunteers in (codes).
    pub academies: Vec<String>,
}

/// What an attestation says, in one language: the page and the PDF file
/// say the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    pub title: String,
    pub body: String,
    /// In order: (key, label, value); keys `student`, `sessions`, `hours`,
    /// `pupils`, `subjects`.
    pub facts: Vec<(&'static str, String, String)>,
    /// Who issued it, when, and what it counts.
    pub issued: String,
}

/// The words of `found` in `lang`.
pub fn wording(found: &Attestation, lang: Lang) -> Wording {
    let subjects = found
        .subjects
        .iter()
        .map(|code| subject_label(code, lang))
        .collect::<Vec<_>>()
        .join(", ");
    let fact =
        |key: &'static str, value: String| (key, text(lang, &format!("attestation.{key}")), value);
    Wording {
        title: text(lang, "attestation.title"),
        body: text(lang, "attestation.body")
            .replace("%{name}", &found.tutor_name)
            .replace("%{from}", &date_text(lang, &found.from))
            .replace("%{to}", &date_text(lang, &found.to))
            .replace(
                "%{academies}",
                &crate::academies::academy_names(&found.academies),
            ),
        facts: vec![
            fact(
                "student",
                format!(
                    "{} — {}, {}",
                    found.tutor_name, found.institution, found.field_of_study
                ),
            ),
            fact("sessions", found.sessions.to_string()),
            fact("hours", hours_minutes(found.minutes)),
            fact("pupils", found.pupils.to_string()),
            fact("subjects", subjects),
        ],
        issued: match &found.issued_by {
            Some(by) => text(lang, "attestation.issued_by")
                .replace("%{by}", by)
                .replace("%{on}", &date_text(lang, &found.issued_on)),
            None => text(lang, "attestation.issued_self")
                .replace("%{on}", &date_text(lang, &found.issued_on)),
        },
    }
}

/// The attestation of the sessions held from `du` to `au` (`YYYY-MM-DD`,
/// both included, at most [`MAX_DAYS`] days, not after today) by the
/// signed-in tutor, or, for a coordinator, by the tutor `tuteur` of their
/// scope. In the audit log when a coordinator issues it.
///
/// # Errors
/// [`AppError::Invalid`] on `du` or `au`; [`AppError::NotFound`] for a
/// tutor outside the scope, or other roles.
#[server(prefix = "/api", endpoint = "attestation")]
pub async fn volunteer_attestation(
    #[server(default)] tuteur: i64,
    #[server(default)] du: String,
    #[server(default)] au: String,
) -> Result<Attestation, AppError> {
    crate::error::respond(handlers::attestation(tuteur, &du, &au).await)
}

#[cfg(feature = "ssr")]
pub mod pdf;

/// `GET /attestation.pdf?du=…&au=…[&tuteur=N]`: the attestation as a PDF
/// file in `lang` (the reader's, as the page), its name and bytes; the
/// same rules as [`volunteer_attestation`].
///
/// # Errors
/// As [`volunteer_attestation`]; [`AppError::Internal`] if the PDF cannot
/// be written.
#[cfg(feature = "ssr")]
pub async fn pdf_file(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    lang: Lang,
    tutor: i64,
    from: &str,
    to: &str,
) -> Result<(String, Vec<u8>), AppError> {
    use crate::accounts::actor::Actor;
    use crate::accounts::Role;
    let actor = Actor::require_on(state, session, &[Role::Tutor, Role::Coordinator]).await?;
    let found = handlers::build(state, &actor, tutor, from, to).await?;
    let bytes = pdf::render(&found, lang).map_err(AppError::internal)?;
    Ok((
        format!("attestation-benevolat-{}-{}.pdf", found.from, found.to),
        bytes,
    ))
}

#[cfg(feature = "ssr")]
mod handlers {
    use std::collections::BTreeMap;

    use chrono::{DateTime, NaiveDate, Utc};
    use chrono_tz::Tz;
    use domain::attestation::{summarise, Session};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::db::Db;
    use crate::state::AppState;

    pub async fn attestation(tutor: i64, from: &str, to: &str) -> Result<Attestation, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor, Role::Coordinator]).await?;
        build(&state, &actor, tutor, from, to).await
    }

    /// The attestation `actor` asked for: their own (a tutor), or the
    /// tutor `tutor`'s of their scope (a coordinator, audit-logged).
    pub async fn build(
        state: &AppState,
        actor: &Actor,
        tutor: i64,
        from: &str,
        to: &str,
    ) -> Result<Attestation, AppError> {
        let now = state.clock.now();
        let tutor_id = if actor.user.role == Role::Tutor {
            actor.id()
        } else {
            tutor
        };
        let profile = crate::tutors::store::find(&state.db, tutor_id, now.date_naive())
            .await
            .map_err(AppError::from_db)?
            .filter(|t| {
                actor.user.role == Role::Tutor || t.academies.iter().any(|a| actor.covers(a))
            })
            .ok_or(AppError::NotFound)?;
        // Today where the tutor lives: the end of her period may be today.
        let zone = crate::availability::store::zone(&state.db, tutor_id)
            .await
            .map_err(AppError::from_db)?;
        let today = now.with_timezone(&zone).date_naive();
        let parse = |value: &str| NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok();
        let mut errors = Vec::new();
        let (from, to) = (parse(from), parse(to));
        if from.is_none() {
            errors.push((fields::FROM, "errors.attestation.date"));
        }
        match (from, to) {
            (_, None) => errors.push((fields::TO, "errors.attestation.date")),
            (_, Some(to)) if to > today => errors.push((fields::TO, "errors.attestation.future")),
            (Some(from), Some(to)) if to < from => {
                errors.push((fields::TO, "errors.attestation.order"));
            }
            (Some(from), Some(to)) if (to - from).num_days() >= MAX_DAYS => {
                errors.push((fields::TO, "errors.attestation.too_long"));
            }
            _ => {}
        }
        let (Some(from), Some(to), true) = (from, to, errors.is_empty()) else {
            return Err(AppError::fields(&errors));
        };
        let sessions = sessions_of(&state.db, tutor_id, now)
            .await
            .map_err(AppError::from_db)?;
        let summary = summarise(&sessions, from, to);
        let issued_by = (actor.user.role == Role::Coordinator)
            .then(|| format!("{} {}", actor.user.first_name, actor.user.last_name));
        if issued_by.is_some() {
            let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
            record(
                &mut tx,
                &AuditActor::from(actor),
                now,
                "tutor.attestation",
                ("tutor", &tutor_id.to_string()),
                &format!(
                    "from={from} to={to} sessions={} minutes={}",
                    summary.sessions, summary.minutes
                ),
            )
            .await
            .map_err(AppError::from_db)?;
            tx.commit().await.map_err(AppError::from_db)?;
        }
        Ok(Attestation {
            tutor_id,
            tutor_name: format!("{} {}", profile.first_name, profile.last_name),
            institution: profile.institution,
            field_of_study: profile.field_of_study,
            from: from.to_string(),
            to: to.to_string(),
            sessions: summary.sessions,
            minutes: summary.minutes,
            pupils: summary.pupils,
            subjects: summary.subjects,
            issued_on: today.to_string(),
            issued_by,
            academies: profile.academies,
        })
    }

    type Row = (
        i64,
        i64,
        String,
        DateTime<Utc>,
        DateTime<Utc>,
        String,
        Option<bool>,
    );

    /// The sessions of `tutor_id`'s pairs (active or ended) that have
    /// ended at `now`, neither cancelled nor skipped, with both sides'
    /// answers.
    async fn sessions_of(
        db: &Db,
        tutor_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Session>, sqlx::Error> {
        let rows: Vec<Row> = crate::on_db!(db, |pool| {
            sqlx::query_as(
            "SELECT o.id, m.pupil_user_id, ser.time_zone, o.starts_at, o.ends_at, mp.subjects, f.took_place \
             FROM session_occurrences o JOIN session_series ser ON ser.id = o.series_id \
             JOIN matches m ON m.id = ser.match_id JOIN match_proposals mp ON mp.id = m.proposal_id \
             LEFT JOIN session_feedback f ON f.occurrence_id = o.id \
             WHERE m.tutor_user_id = $1 AND o.status IN ('scheduled', 'moved') AND o.ends_at <= $2 \
             ORDER BY o.id"
        )
        .bind(tutor_id)
        .bind(now)
        .fetch_all(pool)
        .await?
        });
        let mut sessions: BTreeMap<i64, Session> = BTreeMap::new();
        for (id, pupil, zone, starts, ends, subjects, took_place) in rows {
            let session = sessions.entry(id).or_insert_with(|| {
                let zone: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Paris);
                Session {
                    date: starts.with_timezone(&zone).date_naive(),
                    minutes: u32::try_from((ends - starts).num_minutes()).unwrap_or(0),
                    answers: Vec::new(),
                    pupil,
                    subjects: subjects
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                }
            });
            session.answers.push(took_place);
        }
        Ok(sessions.into_values().collect())
    }
}
