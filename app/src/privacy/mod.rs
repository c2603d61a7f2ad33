//! The rights of the people whose data the platform holds (issue 10):
//! access and portability (GDPR art. 15 and 20) as a readable page and a
//! JSON file, and erasure (art. 17).
//!
//! Everyone may read and download their data. Pupils, tutors and parents
//! may erase their account themselves; a parent may do both for a child
//! under 15 (the age of digital consent in France: Loi n° 78-17
//! "Informatique et Libertés", art. 45). Coordinators' and administrators'
//! accounts are staff accounts, closed by an administrator.
//!
//! Erasure does not delete the account's row: its identity is replaced by
//! a pseudonym ("Compte supprimé #ID") and everything else about the
//! person is deleted or emptied, so that the figures coordinators report
//! (pairs, sessions held, hours) and the audit trail stay whole. See
//! [`erasure`] for what happens to each table.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod retention;

/// Form and query fields.
pub mod fields {
    /// The child a parent acts for (absent or 0: oneself).
    pub const PUPIL: &str = "pupil_id";
    /// The confirmation typed before erasure: the acting person's address.
    pub const CONFIRM: &str = "confirm";
}

/// One stored value of an export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
}

impl Cell {
    /// The value as a person reads it ("—" for none).
    pub fn shown(&self) -> String {
        match self {
            Cell::Null => "—".to_owned(),
            Cell::Int(value) => value.to_string(),
            Cell::Real(value) => value.to_string(),
            Cell::Bool(value) => value.to_string(),
            Cell::Text(value) => value.clone(),
        }
    }
}

/// One table's rows about the person: `rows[i][j]` is the value of
/// `columns[j]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// What the data page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    /// Whose data: the account's full name.
    pub name: String,
    /// The child's id when a parent reads a child's data; 0 for oneself.
    pub pupil_id: i64,
    /// Every table with rows about the person (tables without rows left
    /// out).
    pub sections: Vec<Section>,
    /// Whether the reader may erase this account here.
    pub can_erase: bool,
}

/// An account the retention job warns or erases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub id: i64,
    pub name: String,
    /// `pupil`, `tutor` or `parent`.
    pub role: String,
    /// RFC 3339, UTC.
    pub last_active: String,
}

/// What a run of the retention job does (or, in the dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Accounts to warn, by id.
    pub warn: Vec<Due>,
    /// Accounts to erase, by id.
    pub erase: Vec<Due>,
    /// Free texts about sessions and pairs past their time (rows).
    pub texts: u64,
    /// Closed reports whose text is past its time.
    pub reports: u64,
    /// Emails past their time.
    pub emails: u64,
}

/// The retention durations in days (`BINOME_RETENTION`, see
/// `domain::retention::Policy`), as the privacy notice and the register
/// state them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionDays {
    pub inactive: u16,
    pub notice: u16,
    pub comments: u16,
    pub reports: u16,
    pub emails: u16,
}

impl RetentionDays {
    /// `days` in whole months (30.4 days each), at least 1.
    pub fn months(days: u16) -> u32 {
        (u32::from(days) * 12 / 365).max(1)
    }
}

/// The administrators' view of retention: the durations, and what the
/// next run would do now (a dry run: nothing changes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionView {
    pub days: RetentionDays,
    pub plan: Plan,
}

/// The retention durations: public, for the privacy notice.
///
/// # Errors
/// [`AppError::Internal`] outside a request (a bug).
#[server(prefix = "/api", endpoint = "confidentialite")]
pub async fn retention_settings() -> Result<RetentionDays, AppError> {
    crate::error::respond(handlers::retention_days())
}

/// The durations and the dry run of the retention job. Administrators
/// only.
///
/// # Errors
/// [`AppError::Unauthenticated`] or [`AppError::NotFound`] for anyone else.
#[server(prefix = "/api", endpoint = "administration/conservation")]
pub async fn retention_preview() -> Result<RetentionView, AppError> {
    crate::error::respond(handlers::retention_preview().await)
}

/// The data held about the signed-in person, or (`pupil_id` > 0) about
/// their child under 15.
///
/// # Errors
/// [`AppError::Unauthenticated`] signed out; [`AppError::NotFound`] for a
/// child who is not theirs or is 15 or more.
#[server(prefix = "/api", endpoint = "compte/donnees")]
pub async fn my_data(#[server(default)] pupil_id: i64) -> Result<PersonalData, AppError> {
    crate::error::respond(handlers::my_data(pupil_id).await)
}

/// Erases the signed-in person's account, or (`pupil_id` > 0) their child
/// under 15's, after `confirm` repeats the acting person's address (any
/// case). The person's matches end first, the other side told; then the
/// person is signed out (a parent stays signed in).
///
/// # Errors
/// [`AppError::Invalid`] on `confirm` when it is not the address, or for a
/// staff account; [`AppError::NotFound`] for a child who is not theirs or
/// is 15 or more; [`AppError::Unauthenticated`] signed out.
#[server(prefix = "/api", endpoint = "compte/supprimer")]
pub async fn erase_account(
    #[server(default)] pupil_id: i64,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::erase(pupil_id, confirm).await)
}

#[cfg(feature = "ssr")]
pub mod handlers {
    //! The server side of the data rights.

    use chrono::{Datelike, Utc};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::users::{self, User};
    use crate::accounts::{login_session, Role};
    use crate::state::AppState;

    /// Whose data the request is about: `actor` themselves (`pupil_id` 0),
    /// or the child `pupil_id` of `actor`, a parent, while under 15.
    ///
    /// # Errors
    /// [`AppError::NotFound`] for any other child.
    pub async fn subject_of(
        state: &AppState,
        actor: &Actor,
        pupil_id: i64,
    ) -> Result<User, AppError> {
        if pupil_id == 0 || pupil_id == actor.id() {
            return Ok(actor.user.clone());
        }
        if actor.user.role != Role::Parent {
            return Err(AppError::NotFound);
        }
        let child: Option<(i32, i32)> = crate::on_db!(&state.db, |pool| {
            sqlx::query_as(
            "SELECT p.birth_year, p.birth_month FROM pupils p JOIN users u ON u.id = p.user_id \
             WHERE p.user_id = $1 AND p.parent_user_id = $2 AND u.erased_at IS NULL"
        )
        .bind(pupil_id)
        .bind(actor.id())
        .fetch_optional(pool)
        .await
        .map_err(AppError::from_db)?
        });
        let (birth_year, birth_month) = child.ok_or(AppError::NotFound)?;
        let today = state.clock.now().date_naive();
        let under_15 = crate::pupils::is_under_15(
            birth_year,
            u32::try_from(birth_month).unwrap_or(1),
            today.year(),
            today.month(),
        );
        if !under_15 {
            return Err(AppError::NotFound);
        }
        users::find(&state.db, pupil_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)
    }

    pub fn retention_days() -> Result<RetentionDays, AppError> {
        let policy = app_state()?.retention;
        Ok(RetentionDays {
            inactive: policy.inactive_days,
            notice: policy.notice_days,
            comments: policy.comments_days,
            reports: policy.reports_days,
            emails: policy.emails_days,
        })
    }

    pub async fn retention_preview() -> Result<RetentionView, AppError> {
        let state = app_state()?;
        Actor::require(&state, &[Role::Administrator]).await?;
        let plan = retention::plan(&state.db, &state.retention, state.clock.now())
            .await
            .map_err(AppError::from_db)?;
        Ok(RetentionView {
            days: retention_days()?,
            plan,
        })
    }

    fn every_role() -> [Role; 5] {
        [
            Role::Pupil,
            Role::Tutor,
            Role::Parent,
            Role::Coordinator,
            Role::Administrator,
        ]
    }

    pub async fn my_data(pupil_id: i64) -> Result<PersonalData, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &every_role()).await?;
        let subject = subject_of(&state, &actor, pupil_id).await?;
        let sections = export::collect(&state.db, subject.id, &subject.email)
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .filter(|section| !section.rows.is_empty())
            .collect();
        Ok(PersonalData {
            name: format!("{} {}", subject.first_name, subject.last_name),
            pupil_id: if subject.id == actor.id() {
                0
            } else {
                subject.id
            },
            sections,
            can_erase: may_erase(subject.role),
        })
    }

    /// Whether an account of `role` may be erased by its owner (or a
    /// parent).
    pub fn may_erase(role: Role) -> bool {
        matches!(role, Role::Pupil | Role::Tutor | Role::Parent)
    }

    /// The export file of `/compte/donnees.json?eleve=N`: its name and
    /// bytes.
    ///
    /// # Errors
    /// As [`my_data`].
    pub async fn export_file(
        state: &AppState,
        session: &tower_sessions::Session,
        pupil_id: i64,
    ) -> Result<(String, Vec<u8>), AppError> {
        let actor = Actor::require_on(state, session, &every_role()).await?;
        let subject = subject_of(state, &actor, pupil_id).await?;
        let now = state.clock.now();
        let sections = export::collect(&state.db, subject.id, &subject.email)
            .await
            .map_err(AppError::from_db)?;
        let name = format!(
            "binome-donnees-{}-{}.json",
            subject.id,
            now.with_timezone(&Utc).format("%Y-%m-%d")
        );
        Ok((
            name,
            export::to_json(&sections, subject.id, now).into_bytes(),
        ))
    }

    pub async fn erase(pupil_id: i64, confirm: String) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &every_role()).await?;
        let subject = subject_of(&state, &actor, pupil_id).await?;
        if !may_erase(subject.role) {
            return Err(AppError::field(fields::CONFIRM, "errors.privacy.staff"));
        }
        if !confirm.trim().eq_ignore_ascii_case(actor.user.email.trim()) {
            return Err(AppError::field(fields::CONFIRM, "errors.privacy.confirm"));
        }
        let by_parent = subject.id != actor.id();
        erasure::erase(
            &state,
            subject.id,
            if by_parent {
                erasure::By::Parent(&actor)
            } else {
                erasure::By::Themselves
            },
            state.clock.now(),
        )
        .await?;
        if by_parent {
            leptos_axum::redirect("/parent");
        } else {
            let session = login_session::current_session().await?;
            login_session::sign_out(&session).await?;
            leptos_axum::redirect("/compte/supprime");
        }
        Ok(())
    }
}
