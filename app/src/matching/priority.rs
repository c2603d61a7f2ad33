//! Schools' matching priority (0–100): a weight coordinators set per
//! school of their scope, for example from the school's social position
//! index, and that adds `weights.priority × priority` to the score of each
//! pair of its pupils (see [`domain::matching::Weights`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::db::{Db, Tx};

/// The priority of each of `uais` that has one (the others have 0).
///
/// # Errors
/// The database's error.
pub async fn of_schools(db: &Db, uais: &[String]) -> Result<BTreeMap<String, u8>, sqlx::Error> {
    let mut found = BTreeMap::new();
    for chunk in uais.chunks(500) {
        let sql = format!(
            "SELECT uai, priority FROM school_priorities WHERE uai IN ({})",
            crate::db::placeholders(chunk.len())
        );
        let rows: Vec<(String, i32)> = crate::on_db!(db, |pool| {
            let mut query = sqlx::query_as(&sql);
            for uai in chunk {
                query = query.bind(uai);
            }
            query.fetch_all(pool).await?
        });
        for (uai, priority) in rows {
            found.insert(uai, u8::try_from(priority.clamp(0, 100)).unwrap_or(0));
        }
    }
    Ok(found)
}

/// Sets the priority of `uai` (0 removes it). Returns the previous one.
///
/// # Errors
/// The database's error.
pub async fn set(
    tx: &mut Tx,
    uai: &str,
    priority: u8,
    by: i64,
    now: DateTime<Utc>,
) -> Result<u8, sqlx::Error> {
    let before: Option<i32> = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT priority FROM school_priorities WHERE uai = $1"
    )
    .bind(uai)
    .fetch_optional(&mut *conn)
    .await?);
    crate::on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM school_priorities WHERE uai = $1"
    )
    .bind(uai)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if priority > 0 {
        crate::on_tx!(tx, |conn| sqlx::query(
            "INSERT INTO school_priorities (uai, priority, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4)"
        )
        .bind(uai)
        .bind(i32::from(priority))
        .bind(by)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    Ok(before.map_or(0, |p| u8::try_from(p.clamp(0, 100)).unwrap_or(0)))
}

pub(crate) mod handlers {
    //! The server function that sets a priority.

    use super::set;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::error::AppError;
    use crate::matching::{fields, handlers, review};

    pub async fn set_priority(
        start: String,
        uai: String,
        priority: String,
    ) -> Result<(), AppError> {
        let value = priority
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| AppError::field(fields::PRIORITY, "errors.matching.priority"))?;
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let today = handlers::scope_today(&state, &actor).await?;
        let first = handlers::first_day(&start, today)?;
        let uai = uai.trim().to_uppercase();
        let academy: Option<String> = crate::on_db!(&state.db, |pool| sqlx::query_scalar(
            "SELECT academy_code FROM schools WHERE uai = $1"
        )
        .bind(&uai)
        .fetch_optional(pool)
        .await
        .map_err(AppError::from_db)?);
        if !academy.is_some_and(|code| actor.covers(&code)) {
            return Err(AppError::NotFound);
        }
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let before = set(&mut tx, &uai, value, actor.id(), now)
            .await
            .map_err(AppError::from_db)?;
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "school.priority",
            ("school", &uai),
            &format!("from={before} to={value}"),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        review::handlers::back_to_run(first);
        Ok(())
    }
}
