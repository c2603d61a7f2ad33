//! The coordinator's server functions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::pupils::PupilProfile;
use crate::tutors::TutorProfile;

/// A pupil in a coordinator's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilItem {
    pub pupil_id: i64,
    pub profile: PupilProfile,
}

/// What a coordinator sees on arriving: their scope, the tutors and pupils
/// in it, and the open problem reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOverview {
    pub academies: Vec<String>,
    pub tutors: Vec<TutorProfile>,
    pub pupils: Vec<PupilItem>,
    pub open_reports: Vec<ProblemReport>,
}

/// A problem reported in the coordinator's scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemReport {
    pub id: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub reporter: String,
    pub pupil: Option<String>,
    /// Made from a match: its tutor's full name (the pupil is `pupil`).
    pub tutor: Option<String>,
    pub body: String,
}

/// Form field names of the coordinator's forms.
pub mod fields {
    pub const OUTCOME: &str = "outcome";
    pub const DONE_ON: &str = "done_on";
    pub const EXPIRES_ON: &str = "expires_on";
    pub const DECISION: &str = "decision";
    pub const REPORT: &str = "report_id";
    pub const NOTE: &str = "note";
}

/// The signed-in coordinator's overview. Coordinators only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination")]
pub async fn coordination_overview() -> Result<ScopeOverview, AppError> {
    crate::error::respond(handlers::overview().await)
}

/// A tutor of the coordinator's scope.
///
/// # Errors
/// [`AppError::NotFound`] outside the scope, or for other roles.
#[server(prefix = "/api", endpoint = "coordination/tuteur")]
pub async fn coordination_tutor(tutor_id: i64) -> Result<TutorProfile, AppError> {
    crate::error::respond(handlers::tutor(tutor_id).await)
}

/// A pupil of the coordinator's scope.
///
/// # Errors
/// [`AppError::NotFound`] outside the scope, or for other roles.
#[server(prefix = "/api", endpoint = "coordination/eleve")]
pub async fn coordination_pupil(pupil_id: i64) -> Result<PupilProfile, AppError> {
    crate::error::respond(handlers::pupil(pupil_id).await)
}

/// The longest note closing a report, in characters.
pub const REPORT_NOTE_MAX_CHARS: usize = 1000;

/// Closes the open report `report_id` of the coordinator's scope with
/// `note` (what was done; required, at most [`REPORT_NOTE_MAX_CHARS`]
/// characters): it leaves the queue, its alert closes, and the audit log
/// has it.
///
/// # Errors
/// [`AppError::Invalid`] on `note`; [`AppError::NotFound`] when the report
/// is closed already or outside the scope.
#[server(prefix = "/api", endpoint = "coordination/signalement/clore")]
pub async fn close_report(
    #[server(default)] report_id: i64,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::close_report(report_id, &note).await)
}

/// Records the background check of a tutor in scope: `outcome`
/// (`cleared` or `not_cleared`), the day it was done and the last day it
/// counts (`YYYY-MM-DD`). Recorded with who recorded it; never the record
/// itself. Then back to the tutor's page.
///
/// # Errors
/// [`AppError::Invalid`] on a field (an unknown outcome, a date that is not
/// one, done in the future, expiring before it was done);
/// [`AppError::NotFound`] outside the scope.
#[server(prefix = "/api", endpoint = "coordination/controle")]
pub async fn record_background_check(
    tutor_id: i64,
    #[server(default)] outcome: String,
    #[server(default)] done_on: String,
    #[server(default)] expires_on: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::record_check(tutor_id, outcome, done_on, expires_on).await)
}

/// Approves, refuses or suspends a tutor in scope (`decision` =
/// `approve`, `refuse` or `suspend`), then back to the tutor's page.
/// Approving needs a cleared, unexpired background check.
///
/// # Errors
/// [`AppError::Invalid`] on `decision` (unknown, or approving without a
/// valid check); [`AppError::NotFound`] outside the scope.
#[server(prefix = "/api", endpoint = "coordination/decision")]
pub async fn decide_tutor(
    tutor_id: i64,
    #[server(default)] decision: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::decide(tutor_id, decision).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

    use super::{fields, ProblemReport, PupilItem, ScopeOverview};
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::error::{AppError, FieldError};
    use crate::pupils::{store as pupils, PupilProfile};
    use crate::state::AppState;
    use crate::tutors::{store as tutors, CheckOutcome, TutorProfile, TutorStatus};

    async fn coordinator(state: &AppState) -> Result<Actor, AppError> {
        Actor::require(state, &[Role::Coordinator]).await
    }

    /// The tutor `tutor_id` if they volunteer in the coordinator's scope.
    async fn tutor_in_scope(
        state: &AppState,
        actor: &Actor,
        tutor_id: i64,
    ) -> Result<TutorProfile, AppError> {
        tutors::find(&state.db, tutor_id, state.clock.now().date_naive())
            .await
            .map_err(AppError::from_db)?
            .filter(|tutor| tutor.academies.iter().any(|code| actor.covers(code)))
            .ok_or(AppError::NotFound)
    }

    pub async fn overview() -> Result<ScopeOverview, AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let now = state.clock.now();
        let tutors = tutors::in_academies(&state.db, &actor.academies, now.date_naive())
            .await
            .map_err(AppError::from_db)?;
        let pupils = pupils::in_academies(&state.db, &actor.academies)
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .map(|pupil| PupilItem {
                pupil_id: pupil.user_id,
                profile: pupil.profile(now),
            })
            .collect();
        let open_reports = open_reports(&state, &actor.academies).await?;
        Ok(ScopeOverview {
            academies: actor.academies,
            tutors,
            pupils,
            open_reports,
        })
    }

    async fn open_reports(
        state: &AppState,
        academies: &[String],
    ) -> Result<Vec<ProblemReport>, AppError> {
        if academies.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT r.id, r.created_at, u.first_name || ' ' || u.last_name, u.role, \
             p.first_name || ' ' || p.last_name, t.first_name || ' ' || t.last_name, r.body \
             FROM problem_reports r \
             JOIN users u ON u.id = r.reporter_user_id LEFT JOIN users p ON p.id = r.pupil_user_id \
             LEFT JOIN matches m ON m.id = r.match_id LEFT JOIN users t ON t.id = m.tutor_user_id \
             WHERE r.status = 'open' AND r.academy_code IN ({}) ORDER BY r.id",
            crate::db::placeholders(academies.len())
        );
        type Row = (
            i64,
            DateTime<Utc>,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = crate::on_db!(&state.db, |pool| {
            let mut query = sqlx::query_as(&sql);
            for code in academies {
                query = query.bind(code);
            }
            query.fetch_all(pool).await.map_err(AppError::from_db)?
        });
        Ok(rows
            .into_iter()
            .map(|(id, at, name, role, pupil, tutor, body)| ProblemReport {
                id,
                created_at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
                // Parents have no name on the platform: say who they are.
                reporter: if role == "parent" {
                    format!("parent ({})", pupil.clone().unwrap_or_default())
                } else {
                    name
                },
                pupil,
                tutor,
                body,
            })
            .collect())
    }

    pub async fn tutor(tutor_id: i64) -> Result<TutorProfile, AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        tutor_in_scope(&state, &actor, tutor_id).await
    }

    pub async fn pupil(pupil_id: i64) -> Result<PupilProfile, AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        pupils::find(&state.db, pupil_id)
            .await
            .map_err(AppError::from_db)?
            .filter(|pupil| actor.covers(&pupil.school.academy_code))
            .map(|pupil| pupil.profile(state.clock.now()))
            .ok_or(AppError::NotFound)
    }

    pub async fn close_report(report_id: i64, note: &str) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let note = note.replace("\r\n", "\n");
        let note = note.trim();
        if note.is_empty() {
            return Err(AppError::field(fields::NOTE, "errors.report.note_needed"));
        }
        if note.chars().count() > super::REPORT_NOTE_MAX_CHARS {
            return Err(AppError::field(fields::NOTE, "errors.report.note_long"));
        }
        if actor.academies.is_empty() {
            return Err(AppError::NotFound);
        }
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let sql = format!(
            "UPDATE problem_reports SET status = 'closed', closed_at = $2, \
             closed_by_user_id = $3, closing_note = $4 \
             WHERE id = $1 AND status = 'open' AND academy_code IN ({})",
            crate::db::placeholders_from(5, actor.academies.len())
        );
        let closed = crate::on_tx!(&mut tx, |conn| {
            let mut query = sqlx::query(&sql)
                .bind(report_id)
                .bind(now)
                .bind(actor.id())
                .bind(note);
            for code in &actor.academies {
                query = query.bind(code);
            }
            query
                .execute(&mut *conn)
                .await
                .map_err(AppError::from_db)?
                .rows_affected()
        });
        if closed != 1 {
            return Err(AppError::NotFound);
        }
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "UPDATE alerts SET closed_at = $2 WHERE kind = 'open_report' AND subject = $1 \
             AND closed_at IS NULL"
        )
        .bind(format!("report:{report_id}"))
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(AppError::from_db)?
        .rows_affected());
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "report.close",
            ("problem_report", &report_id.to_string()),
            "",
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    fn date(value: &str, field: &str) -> Result<NaiveDate, AppError> {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::field(field, "errors.date.invalid"))
    }

    pub async fn record_check(
        tutor_id: i64,
        outcome: String,
        done_on: String,
        expires_on: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let tutor = tutor_in_scope(&state, &actor, tutor_id).await?;
        let now = state.clock.now();
        let mut errors = Vec::new();
        let outcome = CheckOutcome::parse(&outcome);
        if outcome.is_none() {
            errors.push(FieldError {
                field: fields::OUTCOME.into(),
                message_key: "errors.check.outcome".into(),
            });
        }
        let done = date(&done_on, fields::DONE_ON);
        let expires = date(&expires_on, fields::EXPIRES_ON);
        match (&done, &expires) {
            (Ok(done), _) if *done > now.date_naive() => errors.push(FieldError {
                field: fields::DONE_ON.into(),
                message_key: "errors.check.done_in_future".into(),
            }),
            (Ok(done), Ok(expires)) if expires <= done => errors.push(FieldError {
                field: fields::EXPIRES_ON.into(),
                message_key: "errors.check.expires_before_done".into(),
            }),
            _ => {}
        }
        for result in [&done, &expires] {
            if let Err(AppError::Invalid { fields }) = result {
                errors.extend(fields.iter().cloned());
            }
        }
        let (Some(outcome), Ok(done), Ok(expires), true) =
            (outcome, done, expires, errors.is_empty())
        else {
            return Err(AppError::Invalid { fields: errors });
        };
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        tutors::record_check(
            &mut tx,
            tutor.user_id,
            outcome,
            done,
            expires,
            actor.id(),
            now,
        )
        .await
        .map_err(AppError::from_db)?;
        let details = format!(
            "outcome={}, done_on={done}, expires_on={expires}",
            outcome.as_str()
        );
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "tutor.background_check",
            ("tutor", &tutor.user_id.to_string()),
            &details,
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect(&format!("/coordination/tuteurs/{}", tutor.user_id));
        Ok(())
    }

    pub async fn decide(tutor_id: i64, decision: String) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let tutor = tutor_in_scope(&state, &actor, tutor_id).await?;
        let now = state.clock.now();
        let status = match decision.as_str() {
            "approve" => TutorStatus::Approved,
            "refuse" => TutorStatus::Refused,
            "suspend" => TutorStatus::Suspended,
            _ => return Err(AppError::field(fields::DECISION, "errors.decision.unknown")),
        };
        let today = now.date_naive().to_string();
        if status == TutorStatus::Approved
            && !tutor
                .check
                .as_ref()
                .is_some_and(|check| check.is_valid_on(&today))
        {
            return Err(AppError::field(
                fields::DECISION,
                "errors.decision.check_needed",
            ));
        }
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        tutors::set_status(&mut tx, tutor.user_id, status, now)
            .await
            .map_err(AppError::from_db)?;
        let action = format!("tutor.{decision}");
        let details = format!("from={} to={}", tutor.status.as_str(), status.as_str());
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            &action,
            ("tutor", &tutor.user_id.to_string()),
            &details,
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect(&format!("/coordination/tuteurs/{}", tutor.user_id));
        Ok(())
    }
}
