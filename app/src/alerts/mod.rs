//! Alerts for coordinators (issue 8): raised by housekeeping while a rule
//! of [`domain::alerts`] holds, listed on `/coordination/alertes` for the
//! coordinator's scope, acknowledged with a note, closed when their cause
//! is gone. The rules' thresholds come from `BINOME_ALERT_RULES`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod causes;
#[cfg(feature = "ssr")]
pub mod store;

/// Form fields.
pub mod fields {
    pub const ALERT: &str = "alert_id";
    pub const NOTE: &str = "note";
}

/// The kinds of alert (`domain::alerts::Kind` codes, which an ssr test
/// checks), in the order the rules are listed.
pub const KINDS: [&str; 6] = [
    "open_report",
    "missed_sessions",
    "low_rating",
    "no_recent_session",
    "long_wait",
    "check_expiring",
];

/// The longest acknowledgement note, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// An open alert as a coordinator reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: i64,
    /// A `domain::alerts::Kind` code, e.g. `missed_sessions`.
    pub kind: String,
    /// Who it is about.
    pub label: String,
    /// Where to act on it.
    pub link: String,
    /// `YYYY-MM-DD HH:MM`, UTC.
    pub raised_at: String,
    /// When acknowledged: who, when (`YYYY-MM-DD`, UTC) and their note.
    pub acknowledged: Option<(String, String, String)>,
}

/// The thresholds in force, for the page's explanation of each rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesView {
    pub missed: u8,
    pub rating: u8,
    pub quiet_days: u16,
    pub waiting_days: u16,
    pub check_days: u16,
}

/// The coordinator's alerts and the rules that raise them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alerts {
    pub rules: RulesView,
    pub alerts: Vec<AlertView>,
}

/// The open alerts of the signed-in coordinator's académies, those not
/// acknowledged first. Coordinators only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination/alertes")]
pub async fn my_alerts() -> Result<Alerts, AppError> {
    crate::error::respond(handlers::list().await)
}

/// Acknowledges the open alert `alert_id` of the coordinator's scope with
/// `note` (required, at most [`NOTE_MAX_CHARS`] characters). An alert
/// about one event (a low rating) closes with it; the others stay listed,
/// acknowledged, until their cause is gone (a report: until closed).
/// In the audit log.
///
/// # Errors
/// [`AppError::Invalid`] on `note`; [`AppError::NotFound`] when the alert
/// is closed or outside the scope.
#[server(prefix = "/api", endpoint = "coordination/alertes/vu")]
pub async fn acknowledge_alert(
    #[server(default)] alert_id: i64,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::acknowledge(alert_id, &note).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};

    pub async fn list() -> Result<Alerts, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let rows = store::open_in(&state.db, &actor.academies)
            .await
            .map_err(AppError::from_db)?;
        let rules = state.alert_rules;
        Ok(Alerts {
            rules: RulesView {
                missed: rules.missed,
                rating: rules.rating,
                quiet_days: rules.quiet_days,
                waiting_days: rules.waiting_days,
                check_days: rules.check_days,
            },
            alerts: rows
                .into_iter()
                .map(|row| AlertView {
                    id: row.id,
                    kind: row.kind.code().to_owned(),
                    label: row.label,
                    link: row.link,
                    raised_at: row.raised_at.format("%Y-%m-%d %H:%M").to_string(),
                    acknowledged: row.acknowledged_at.map(|at| {
                        (
                            row.acknowledged_by.unwrap_or_default(),
                            at.format("%Y-%m-%d").to_string(),
                            row.note.unwrap_or_default(),
                        )
                    }),
                })
                .collect(),
        })
    }

    pub async fn acknowledge(alert_id: i64, note: &str) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let note = note.replace("\r\n", "\n");
        let note = note.trim();
        if note.is_empty() {
            return Err(AppError::field(fields::NOTE, "errors.alerts.note_needed"));
        }
        if note.chars().count() > NOTE_MAX_CHARS {
            return Err(AppError::field(fields::NOTE, "errors.alerts.note_long"));
        }
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let (kind, subject) = store::open_one(&mut tx, alert_id, &actor.academies)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        if !store::acknowledge(&mut tx, alert_id, kind, actor.id(), note, now)
            .await
            .map_err(AppError::from_db)?
        {
            return Err(AppError::NotFound);
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "alert.acknowledge",
            ("alert", &alert_id.to_string()),
            &format!("kind={} subject={subject}", kind.code()),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use domain::alerts::Kind;

    use super::KINDS;

    #[test]
    fn the_pages_kinds_are_the_domains_and_worded_in_every_language() {
        let codes: Vec<&str> = Kind::ALL.iter().map(|kind| kind.code()).collect();
        assert_eq!(codes, KINDS);
        for kind in KINDS {
            for key in [
                format!("alerts.kinds.{kind}"),
                format!("alerts.rules.{kind}"),
            ] {
                for lang in crate::i18n::Lang::ALL {
                    assert!(
                        crate::_rust_i18n_try_translate(lang.code(), &key).is_some(),
                        "{}: {key}",
                        lang.code()
                    );
                }
            }
        }
    }
}
