//! Expired background checks: the tutor goes back to pending (no longer
//! proposable) and is told, as are the coordinators of their académies.
//! Their active pairs are paused once pairs exist (matching, issue 6).

use chrono::{DateTime, Utc};

use super::emails::CheckExpired;
use super::store;
use crate::accounts::users;
use crate::audit::store::{record, AuditActor};
use crate::db::Db;
use crate::mail::outbox::{self, NewEmail};

/// How the audit log names the platform's own actions.
pub const SYSTEM_ACTOR: &str = "Binôme (automatique)";

/// Moves every approved tutor whose check expired before today (UTC) back
/// to pending, in one transaction with the emails and the audit entries.
/// Returns how many.
///
/// # Errors
/// The database's error (nothing is changed then).
pub async fn expire_checks(
    db: &Db,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let expired = store::expire_checks(&mut tx, now.date_naive(), now).await?;
    let system = AuditActor {
        user_id: None,
        label: SYSTEM_ACTOR.to_owned(),
    };
    for tutor_id in &expired {
        let Some(tutor) = users::find_in(&mut tx, *tutor_id).await? else {
            continue;
        };
        let tutor_name = format!("{} {}", tutor.first_name, tutor.last_name);
        let mut emails = Vec::new();
        emails.extend(NewEmail::to_user(
            &tutor,
            &CheckExpired {
                name: tutor.first_name.clone(),
                tutor_name: tutor_name.clone(),
                for_tutor: true,
            },
            public_url,
        ));
        let academies: Vec<String> = crate::on_tx!(&mut tx, |conn| {
            sqlx::query_scalar(
            "SELECT academy_code FROM tutor_academies WHERE tutor_user_id = $1 ORDER BY position"
        )
        .bind(tutor_id)
        .fetch_all(&mut *conn)
        .await?
        });
        let mut told = Vec::new();
        for academy in academies {
            for coordinator in users::coordinators_of(&mut tx, &academy).await? {
                if told.contains(&coordinator.id) {
                    continue;
                }
                told.push(coordinator.id);
                emails.extend(NewEmail::to_user(
                    &coordinator,
                    &CheckExpired {
                        name: coordinator.first_name.clone(),
                        tutor_name: tutor_name.clone(),
                        for_tutor: false,
                    },
                    public_url,
                ));
            }
        }
        for email in &emails {
            outbox::enqueue(&mut tx, email, now).await?;
        }
        record(
            &mut tx,
            &system,
            now,
            "tutor.check_expired",
            ("tutor", &tutor_id.to_string()),
            "to=pending",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(expired.len())
}
