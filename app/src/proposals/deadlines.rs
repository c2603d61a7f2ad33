//! The background side of proposals: the one reminder half-way through the
//! answer delay, and the expiry at its end (the pupil's request is then
//! free again, its waiting time kept). Run by the server's housekeeping;
//! idempotent, so several instances may run it.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::{notify, store};
use crate::accounts::token::{digest, new_secret};
use crate::audit::store::{record, AuditActor};
use crate::db::Db;
use crate::mail::outbox;
use crate::tutors::expiry::SYSTEM_ACTOR;

/// Default time a tutor has to answer a proposal.
pub const DEFAULT_ANSWER_DELAY: TimeDelta = TimeDelta::days(7);

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deadlines {
    pub reminded: usize,
    pub expired: usize,
}

/// Sends the due reminders (each with a new link), then expires the
/// proposals whose delay ran out at `now`, each with its audit entry, in
/// one transaction.
///
/// # Errors
/// The database's error (nothing is changed then).
pub async fn run(db: &Db, public_url: &str, now: DateTime<Utc>) -> Result<Deadlines, sqlx::Error> {
    let system = AuditActor {
        user_id: None,
        label: SYSTEM_ACTOR.to_owned(),
    };
    let mut tx = db.begin_write().await?;
    let mut secrets = BTreeMap::new();
    let due = store::remind(&mut tx, now, |id| {
        let secret = new_secret();
        let hash = digest(&secret);
        secrets.insert(id, secret);
        hash
    })
    .await?;
    for row in &due {
        let Some(secret) = secrets.get(&row.id) else {
            continue;
        };
        if let Some(email) =
            notify::proposal_email(db, &mut tx, row, secret, true, public_url, now).await?
        {
            outbox::enqueue(&mut tx, &email, now).await?;
        }
        record(
            &mut tx,
            &system,
            now,
            "proposal.remind",
            ("proposal", &row.id.to_string()),
            &format!("tutor={}", row.tutor_id),
        )
        .await?;
    }
    let expired = store::expire(&mut tx, now).await?;
    for row in &expired {
        record(
            &mut tx,
            &system,
            now,
            "proposal.expire",
            ("proposal", &row.id.to_string()),
            &format!("pupil={} tutor={}", row.pupil_id, row.tutor_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Deadlines {
        reminded: due.len(),
        expired: expired.len(),
    })
}
