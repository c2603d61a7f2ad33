//! The audit log: what coordinators and administrators did (who, what,
//! when, to what), written in the transaction of the action itself and
//! readable by administrators (ASVS 4.0 §7.1).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One entry, as administrators read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    /// What was done, e.g. `tutor.approve`.
    pub action: String,
    /// The kind and id of what it was done to, e.g. `tutor` and `42`.
    pub object_type: String,
    pub object_id: String,
    /// More, in words (the values recorded, a reason).
    pub details: String,
}

/// Most entries one call returns (the newest first).
pub const AUDIT_PAGE: u32 = 200;

/// The newest [`AUDIT_PAGE`] entries. Administrators only.
///
/// # Errors
/// [`AppError::Unauthenticated`] or [`AppError::NotFound`] for anyone else.
#[server(prefix = "/api", endpoint = "journal")]
pub async fn audit_entries() -> Result<Vec<AuditEntry>, AppError> {
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    let result = async {
        let state = app_state()?;
        Actor::require(&state, &[Role::Administrator]).await?;
        store::newest(&state.db, AUDIT_PAGE)
            .await
            .map_err(AppError::from_db)
    }
    .await;
    crate::error::respond(result)
}

#[cfg(feature = "ssr")]
pub mod store {
    //! Writing and reading the `audit_log` table.

    use chrono::{DateTime, SecondsFormat, Utc};

    use super::AuditEntry;
    use crate::db::{Db, Tx};

    /// Who acted: an account, or the command line.
    #[derive(Clone, Debug)]
    pub struct AuditActor {
        pub user_id: Option<i64>,
        pub label: String,
    }

    impl From<&crate::accounts::actor::Actor> for AuditActor {
        fn from(actor: &crate::accounts::actor::Actor) -> AuditActor {
            AuditActor {
                user_id: Some(actor.id()),
                label: actor.label(),
            }
        }
    }

    /// Records one action inside the transaction that does it.
    ///
    /// # Errors
    /// The database's error; the action should then roll back.
    pub async fn record(
        tx: &mut Tx,
        actor: &AuditActor,
        at: DateTime<Utc>,
        action: &str,
        object: (&str, &str),
        details: &str,
    ) -> Result<(), sqlx::Error> {
        crate::on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO audit_log (at, actor_user_id, actor_label, action, object_type, \
                 object_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(at)
            .bind(actor.user_id)
            .bind(&actor.label)
            .bind(action)
            .bind(object.0)
            .bind(object.1)
            .bind(details)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The newest `limit` entries, newest first.
    ///
    /// # Errors
    /// The database's error.
    pub async fn newest(db: &Db, limit: u32) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let sql = format!(
            "SELECT at, actor_label, action, object_type, object_id, details FROM audit_log \
             ORDER BY id DESC LIMIT {limit}"
        );
        let rows: Vec<(DateTime<Utc>, String, String, String, String, String)> =
            crate::on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(
                |(at, actor, action, object_type, object_id, details)| AuditEntry {
                    at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
                    actor,
                    action,
                    object_type,
                    object_id,
                    details,
                },
            )
            .collect())
    }
}
