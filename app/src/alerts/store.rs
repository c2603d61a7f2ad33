//! Storage of alerts: raising and closing them as their causes come and
//! go, listing a scope's, acknowledging one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::alerts::{reconcile, Cause, Kind, Rules, Stored};

use super::causes;
use crate::db::{Db, Tx};

/// The PostgreSQL advisory lock key of [`refresh`] ("BINOME" + 1).
const REFRESH_LOCK: i64 = 0x0042_494E_4F4D_4501;

/// What a refresh changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub raised: u64,
    pub closed: u64,
}

/// Raises an alert for every present cause that has none, and closes the
/// open alerts whose cause is gone (see [`domain::alerts::reconcile`]), in
/// one transaction. Safe with several servers: refreshes take turns (the
/// write transaction on SQLite, an advisory lock on PostgreSQL) and read
/// the causes once their turn has come, so that one never closes what
/// another has just raised.
///
/// # Errors
/// The database's error.
pub async fn refresh(db: &Db, rules: &Rules, now: DateTime<Utc>) -> Result<Refreshed, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if db.engine() == crate::db::Engine::Postgres {
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "SELECT pg_advisory_xact_lock($1)"
        )
        .bind(REFRESH_LOCK)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    let found: HashMap<Cause, causes::Found> = causes::present(db, rules, now)
        .await?
        .into_iter()
        .map(|found| (found.cause.clone(), found))
        .collect();
    // The open alerts, and those about one event (never raised twice).
    let rows: Vec<(i64, String, String, String, bool)> = crate::on_tx!(&mut tx, |conn| {
        sqlx::query_as(
            "SELECT id, kind, subject, academy_code, closed_at IS NULL FROM alerts \
             WHERE closed_at IS NULL OR kind = 'low_rating' ORDER BY id",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    let stored: Vec<Stored> = rows
        .into_iter()
        .filter_map(|(id, kind, subject, academy, open)| {
            Some(Stored {
                id,
                cause: Cause {
                    kind: Kind::from_code(&kind)?,
                    subject,
                    academy,
                },
                open,
            })
        })
        .collect();
    let causes: Vec<Cause> = found.keys().cloned().collect();
    let (raise, close) = reconcile(&causes, &stored);
    let mut done = Refreshed::default();
    for cause in raise {
        let Some(about) = found.get(&cause) else {
            continue;
        };
        done.raised += crate::on_tx!(&mut tx, |conn| sqlx::query(
            "INSERT INTO alerts (kind, subject, academy_code, label, link, raised_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"
        )
        .bind(cause.kind.code())
        .bind(&cause.subject)
        .bind(&cause.academy)
        .bind(&about.label)
        .bind(&about.link)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    for id in close {
        done.closed += crate::on_tx!(&mut tx, |conn| sqlx::query(
            "UPDATE alerts SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL"
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    tx.commit().await?;
    Ok(done)
}

/// An open alert as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRow {
    pub id: i64,
    pub kind: Kind,
    pub label: String,
    pub link: String,
    pub raised_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The acknowledging coordinator's full name.
    pub acknowledged_by: Option<String>,
    pub note: Option<String>,
}

type Row = (
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
);

/// The open alerts of `academies`: those not acknowledged first, then by
/// kind (as [`Kind::ALL`]) and age.
///
/// # Errors
/// The database's error.
pub async fn open_in(db: &Db, academies: &[String]) -> Result<Vec<AlertRow>, sqlx::Error> {
    if academies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT a.id, a.kind, a.label, a.link, a.raised_at, a.acknowledged_at, \
         u.first_name || ' ' || u.last_name, a.note FROM alerts a \
         LEFT JOIN users u ON u.id = a.acknowledged_by \
         WHERE a.closed_at IS NULL AND a.academy_code IN ({}) ORDER BY a.raised_at, a.id",
        crate::db::placeholders(academies.len())
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    let mut alerts: Vec<AlertRow> = rows
        .into_iter()
        .filter_map(|(id, kind, label, link, raised_at, at, by, note)| {
            Some(AlertRow {
                id,
                kind: Kind::from_code(&kind)?,
                label,
                link,
                raised_at,
                acknowledged_at: at,
                acknowledged_by: by,
                note,
            })
        })
        .collect();
    let rank = |kind: Kind| Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    alerts.sort_by_key(|a| (a.acknowledged_at.is_some(), rank(a.kind), a.raised_at, a.id));
    Ok(alerts)
}

/// The open alert `id` if it belongs to one of `academies`: (kind,
/// subject).
///
/// # Errors
/// The database's error.
pub async fn open_one(
    tx: &mut Tx,
    id: i64,
    academies: &[String],
) -> Result<Option<(Kind, String)>, sqlx::Error> {
    let row: Option<(String, String, String)> = crate::on_tx!(tx, |conn| sqlx::query_as(
        "SELECT kind, subject, academy_code FROM alerts WHERE id = $1 AND closed_at IS NULL"
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?);
    Ok(row
        .filter(|(_, _, academy)| academies.contains(academy))
        .and_then(|(kind, subject, _)| Some((Kind::from_code(&kind)?, subject))))
}

/// Acknowledges the open alert `id` by `by` with `note`; one about a
/// single event is closed with it. Returns whether it was open.
///
/// # Errors
/// The database's error.
pub async fn acknowledge(
    tx: &mut Tx,
    id: i64,
    kind: Kind,
    by: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let closed = kind.closes_when_acknowledged().then_some(now);
    let done = crate::on_tx!(tx, |conn| {
        sqlx::query(
        "UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3, note = $4, closed_at = $5 \
         WHERE id = $1 AND closed_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .bind(note)
    .bind(closed)
    .execute(&mut *conn)
    .await?
    .rows_affected()
    });
    Ok(done == 1)
}
