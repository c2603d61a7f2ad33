//! The daily retention job (issue 10): applies [`domain::retention::Policy`]
//! to accounts, free texts and emails. [`plan`] says what it would do
//! without changing anything (the administrators' dry run); [`apply`]
//! does it.
//!
//! Pupils', tutors' and parents' accounts only: staff accounts are closed
//! by an administrator.

use chrono::{DateTime, Utc};
use domain::retention::{Policy, Step};
use serde::Serialize;

use crate::accounts::users::{self, User};
use crate::audit::store::{record, AuditActor};
use crate::db::Db;
use crate::error::AppError;
use crate::mail::outbox::{self, NewEmail};
use crate::mail::template::EmailTemplate;
use crate::state::AppState;

pub use super::{Due, Plan};

/// The warning before an inactive account is erased
/// (`account_inactive.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountInactive {
    pub name: String,
    /// The inactive time, in whole months.
    pub months: u32,
    /// The last day before the erasure, in words.
    pub date: String,
}

impl EmailTemplate for AccountInactive {
    const KIND: &'static str = "account_inactive";
}

impl AccountInactive {
    /// Data for the template tests.
    pub fn sample() -> AccountInactive {
        AccountInactive {
            name: "Hugo".into(),
            months: 18,
            date: "30 avril 2027".into(),
        }
    }
}

/// One rule on texts: `UPDATE {table} SET {set} WHERE {due}`, where `due`
/// reads the cutoff as `$1`.
struct TextRule {
    table: &'static str,
    set: &'static str,
    due: &'static str,
}

/// Free texts about sessions and pairs, emptied after `comments` days.
const TEXT_RULES: [TextRule; 6] = [
    TextRule {
        table: "session_feedback",
        set: "comment = NULL, worked_on = NULL",
        due: "given_at < $1 AND (comment IS NOT NULL OR worked_on IS NOT NULL)",
    },
    TextRule {
        table: "session_occurrences",
        set: "reason = NULL",
        due: "changed_at < $1 AND reason IS NOT NULL",
    },
    TextRule {
        table: "matches",
        set: "end_note = NULL",
        due: "ended_at < $1 AND end_note IS NOT NULL",
    },
    TextRule {
        table: "match_proposals",
        set: "decline_reason = NULL",
        due: "answered_at < $1 AND decline_reason IS NOT NULL",
    },
    TextRule {
        table: "match_proposals",
        set: "manual_reason = NULL",
        due: "published_at < $1 AND manual_reason IS NOT NULL AND status <> 'pending'",
    },
    TextRule {
        table: "help_requests",
        set: "difficulty = ''",
        due: "withdrawn_at < $1 AND difficulty <> ''",
    },
];

/// Closed reports' texts, emptied after `reports` days.
const REPORT_RULE: TextRule = TextRule {
    table: "problem_reports",
    set: "body = '', closing_note = NULL",
    due: "status = 'closed' AND closed_at < $1 AND (body <> '' OR closing_note IS NOT NULL)",
};

/// Emails sent or given up, deleted after `emails` days.
const EMAILS_DUE: &str =
    "state IN ('sent', 'dead') AND COALESCE(sent_at, dead_at, created_at) < $1";

type ActivityRow = (
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    bool,
    bool,
);

/// Every account under the policy, with its last activity and warning.
async fn accounts(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Vec<(Due, DateTime<Utc>, Option<DateTime<Utc>>)>, sqlx::Error> {
    let rows: Vec<ActivityRow> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT u.id, u.first_name || ' ' || u.last_name, u.role, u.status, u.created_at, \
         u.last_seen_at, u.inactivity_warned_at, \
         (SELECT MAX(f.given_at) FROM session_feedback f WHERE f.user_id = u.id), \
         (SELECT MAX(o.starts_at) FROM session_occurrences o \
          JOIN session_series s ON s.id = o.series_id JOIN matches m ON m.id = s.match_id \
          WHERE (m.pupil_user_id = u.id OR m.tutor_user_id = u.id) \
          AND o.status IN ('scheduled', 'moved') AND o.starts_at <= $1), \
         EXISTS (SELECT 1 FROM matches m WHERE (m.pupil_user_id = u.id OR m.tutor_user_id = u.id) \
          AND m.status = 'active'), \
         EXISTS (SELECT 1 FROM pupils p JOIN users c ON c.id = p.user_id \
          WHERE p.parent_user_id = u.id AND c.erased_at IS NULL) \
         FROM users u WHERE u.erased_at IS NULL AND u.role IN ('pupil', 'tutor', 'parent') \
         ORDER BY u.id"
    )
    .bind(now)
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .filter(|row| !row.9 && !row.10)
        .map(
            |(id, name, role, _status, created, seen, warned, feedback, session, _, _)| {
                let last_active = [Some(created), seen, feedback, session]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(created);
                (
                    Due {
                        id,
                        name,
                        role,
                        last_active: last_active.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    },
                    last_active,
                    warned,
                )
            },
        )
        .collect())
}

async fn count(db: &Db, table: &str, due: &str, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE {due}");
    let count: i64 = crate::on_db!(db, |pool| sqlx::query_scalar(&sql)
        .bind(cutoff)
        .fetch_one(pool)
        .await?);
    Ok(u64::try_from(count).unwrap_or(0))
}

/// What a run at `now` under `policy` would do; changes nothing.
///
/// # Errors
/// The database's error.
pub async fn plan(db: &Db, policy: &Policy, now: DateTime<Utc>) -> Result<Plan, sqlx::Error> {
    let mut plan = Plan::default();
    for (due, last_active, warned) in accounts(db, now).await? {
        match policy.account_step(last_active, warned, now) {
            Step::Keep => {}
            Step::Warn { .. } => plan.warn.push(due),
            Step::Erase => plan.erase.push(due),
        }
    }
    let texts = policy.comments_cutoff(now);
    for rule in &TEXT_RULES {
        plan.texts += count(db, rule.table, rule.due, texts).await?;
    }
    let reports = policy.reports_cutoff(now);
    plan.reports = count(db, REPORT_RULE.table, REPORT_RULE.due, reports).await?;
    plan.emails = count(db, "email_outbox", EMAILS_DUE, policy.emails_cutoff(now)).await?;
    Ok(plan)
}

/// Runs the job at `now`: warns, erases, empties and deletes as
/// [`plan`] says, each account in its own transaction, the texts and
/// emails in one, with an audit entry. Returns what it did.
///
/// # Errors
/// The database's error; what was done before it stays done (each step is
/// whole, and the next run goes on).
pub async fn apply(state: &AppState, now: DateTime<Utc>) -> Result<Plan, AppError> {
    let db = |error| AppError::from_db(error);
    let policy = state.retention;
    let plan = plan(&state.db, &policy, now).await.map_err(db)?;
    for due in &plan.warn {
        warn(state, &policy, due, now).await?;
    }
    for due in &plan.erase {
        super::erasure::erase(state, due.id, super::erasure::By::Retention, now).await?;
    }
    let mut tx = state.db.begin_write().await.map_err(db)?;
    let texts = policy.comments_cutoff(now);
    for rule in TEXT_RULES.iter().chain([&REPORT_RULE]) {
        let cutoff = if rule.table == REPORT_RULE.table {
            policy.reports_cutoff(now)
        } else {
            texts
        };
        let sql = format!("UPDATE {} SET {} WHERE {}", rule.table, rule.set, rule.due);
        crate::on_tx!(&mut tx, |conn| sqlx::query(&sql)
            .bind(cutoff)
            .execute(&mut *conn)
            .await
            .map_err(db)?
            .rows_affected());
    }
    let emails = policy.emails_cutoff(now);
    for sql in [
        format!(
            "DELETE FROM email_attachments WHERE email_id IN \
             (SELECT id FROM email_outbox WHERE {EMAILS_DUE})"
        ),
        format!("DELETE FROM email_outbox WHERE {EMAILS_DUE}"),
    ] {
        crate::on_tx!(&mut tx, |conn| sqlx::query(&sql)
            .bind(emails)
            .execute(&mut *conn)
            .await
            .map_err(db)?
            .rows_affected());
    }
    if plan != Plan::default() {
        record(
            &mut tx,
            &AuditActor {
                user_id: None,
                label: "retention".to_owned(),
            },
            now,
            "retention.run",
            ("retention", &now.date_naive().to_string()),
            &format!(
                "warned={} erased={} texts={} reports={} emails={}",
                plan.warn.len(),
                plan.erase.len(),
                plan.texts,
                plan.reports,
                plan.emails
            ),
        )
        .await
        .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    Ok(plan)
}

/// Emails the warning to the account `due` and records it, unless another
/// run warned it meanwhile.
async fn warn(
    state: &AppState,
    policy: &Policy,
    due: &Due,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let db = |error| AppError::from_db(error);
    let id = due.id;
    let last_active = DateTime::parse_from_rfc3339(&due.last_active)
        .map_err(AppError::internal)?
        .with_timezone(&Utc);
    let mut tx = state.db.begin_write().await.map_err(db)?;
    let marked = crate::on_tx!(&mut tx, |conn| sqlx::query(
        "UPDATE users SET inactivity_warned_at = $2 WHERE id = $1 AND erased_at IS NULL \
         AND (inactivity_warned_at IS NULL OR inactivity_warned_at < $3)"
    )
    .bind(id)
    .bind(now)
    .bind(last_active)
    .execute(&mut *conn)
    .await
    .map_err(db)?
    .rows_affected());
    let user: Option<User> = users::find_in(&mut tx, id).await.map_err(db)?;
    if let (1, Some(user)) = (marked, user) {
        let last_day = (now + chrono::Duration::days(i64::from(policy.notice_days)))
            .date_naive()
            .to_string();
        let email = NewEmail::to_user(
            &user,
            &AccountInactive {
                name: user.first_name.clone(),
                months: u32::from(policy.inactive_days) * 12 / 365,
                date: crate::i18n::date_text(user.lang, &last_day),
            },
            &state.public_url,
        );
        if let Some(email) = email {
            outbox::enqueue(&mut tx, &email, now).await.map_err(db)?;
        }
    }
    tx.commit().await.map_err(db)?;
    Ok(())
}
