//! Erasing an account (GDPR art. 17), in one transaction.
//!
//! What stays: the account's row under a pseudonym ("Compte supprimé
//! #ID", an address under the reserved `.invalid` domain of RFC 2606), its
//! role, school, level and birth year, its académies, and every pair,
//! session and rating it is part of: the figures coordinators report
//! (pairs, sessions held, hours) do not change. The audit trail stays,
//! the person's name and address in it replaced by the pseudonym.
//!
//! What goes:
//! - the sign-in: no password, no login session, no link, no calendar feed;
//! - the profile's details: birth month, the link to a parent (a parent's
//!   own account stays theirs to erase), institution and field of study;
//! - availability, the tutoring offer, the coordinators' matching choices
//!   about the person;
//! - every free text the person wrote (the difficulty of a request, answers
//!   to feedback, reasons given) and those written about them in their
//!   pairs (notes, reasons for moved sessions); in texts others wrote about
//!   them (reports, alerts, the other side's feedback) their name becomes
//!   the pseudonym;
//! - every email to them, and every email naming them, from the outbox.
//!
//! Active matches end first (reason "no longer needed" for a pupil, "no
//! longer available" for a tutor), their weekly sessions ended, and the
//! other side is told by email, without the erased person's name; a pupil
//! whose tutor left keeps her place on the waiting list.

use chrono::{DateTime, Utc};
use domain::match_end::{EndedBy, Ending, Reason};

use crate::accounts::actor::Actor;
use crate::accounts::users::{self, User};
use crate::accounts::Role;
use crate::audit::store::{record, AuditActor};
use crate::db::Tx;
use crate::error::AppError;
use crate::mail::outbox;
use crate::match_end::{emails, store as match_end};
use crate::state::AppState;

/// Who asked for the erasure.
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    /// The person themselves.
    Themselves,
    /// Their parent, for a child under 15.
    Parent(&'a Actor),
    /// The retention rules, after the warning (`domain::retention`).
    Retention,
}

impl By<'_> {
    /// How the audit log names it.
    pub fn code(self) -> &'static str {
        match self {
            By::Themselves => "self",
            By::Parent(_) => "parent",
            By::Retention => "retention",
        }
    }
}

/// What an erasure did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erased {
    /// The name the account now has.
    pub pseudonym: String,
    pub matches_ended: usize,
    pub proposals_cancelled: u64,
    pub emails_deleted: u64,
}

/// The name an erased account keeps: its id, nothing about the person.
pub fn pseudonym(user_id: i64) -> String {
    format!("Compte supprimé #{user_id}")
}

/// Erases the account `user_id` (see the module's documentation).
///
/// # Errors
/// [`AppError::NotFound`] when there is no such account or it is already
/// erased; the database's error, nothing changed.
pub async fn erase(
    state: &AppState,
    user_id: i64,
    by: By<'_>,
    now: DateTime<Utc>,
) -> Result<Erased, AppError> {
    let db = |error| AppError::from_db(error);
    let mut tx = state.db.begin_write().await.map_err(db)?;
    let erased_at: Option<Option<DateTime<Utc>>> = crate::on_tx!(&mut tx, |conn| {
        sqlx::query_scalar("SELECT erased_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
    });
    if !matches!(erased_at, Some(None)) {
        return Err(AppError::NotFound);
    }
    let person = users::find_in(&mut tx, user_id)
        .await
        .map_err(db)?
        .ok_or(AppError::NotFound)?;
    let pseudonym = pseudonym(user_id);

    let emails_deleted = forget_emails(&mut tx, &person).await.map_err(db)?;
    scrub_texts(&mut tx, &person, &pseudonym)
        .await
        .map_err(db)?;
    anonymise(&mut tx, &person, now).await.map_err(db)?;
    let anonymous = users::find_in(&mut tx, user_id)
        .await
        .map_err(db)?
        .ok_or(AppError::NotFound)?;
    let matches_ended = end_matches(state, &mut tx, &anonymous, now).await?;
    let proposals_cancelled = crate::on_tx!(&mut tx, |conn| sqlx::query(
        "UPDATE match_proposals SET status = 'cancelled', answered_at = $2 \
         WHERE (pupil_user_id = $1 OR tutor_user_id = $1) AND status = 'pending'"
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(db)?
    .rows_affected());

    let actor = match by {
        By::Parent(parent) => AuditActor::from(parent),
        By::Themselves => AuditActor {
            user_id: Some(user_id),
            label: pseudonym.clone(),
        },
        By::Retention => AuditActor {
            user_id: None,
            label: "retention".to_owned(),
        },
    };
    record(
        &mut tx,
        &actor,
        now,
        "account.erase",
        ("user", &user_id.to_string()),
        &format!(
            "by={} role={} matches_ended={matches_ended} proposals_cancelled={proposals_cancelled} \
             emails_deleted={emails_deleted}",
            by.code(),
            person.role.as_str(),
        ),
    )
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(Erased {
        pseudonym,
        matches_ended,
        proposals_cancelled,
        emails_deleted,
    })
}

/// Runs `sql` binding `user_id` as `$1`; returns the rows changed.
async fn run(tx: &mut Tx, sql: &str, user_id: i64) -> Result<u64, sqlx::Error> {
    Ok(crate::on_tx!(tx, |conn| sqlx::query(sql)
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()))
}

/// Deletes every email to `person`, every email naming them (by address
/// or full name), and every email to the people they were proposed to or
/// paired with, or to their parent, that names them by first or last name
/// alone (a proposal names the pupil by first name), with their
/// attachments.
async fn forget_emails(tx: &mut Tx, person: &User) -> Result<u64, sqlx::Error> {
    let full_name = format!("{} {}", person.first_name, person.last_name);
    // `REPLACE(x, needle, '') <> x`: "x holds needle", the same on both
    // engines, whatever characters the needle has (no LIKE patterns).
    let naming = "(LOWER(recipient_address) = $1 \
                  OR REPLACE(LOWER(subject), $1, '') <> LOWER(subject) \
                  OR REPLACE(LOWER(body_text), $1, '') <> LOWER(body_text) \
                  OR REPLACE(subject, $2, '') <> subject \
                  OR REPLACE(body_text, $2, '') <> body_text \
                  OR REPLACE(body_html, $2, '') <> body_html \
                  OR (LOWER(recipient_address) IN (SELECT email_key FROM users WHERE id IN \
                       (SELECT tutor_user_id FROM match_proposals WHERE pupil_user_id = $5 \
                        UNION SELECT pupil_user_id FROM match_proposals WHERE tutor_user_id = $5 \
                        UNION SELECT parent_user_id FROM pupils WHERE user_id = $5)) \
                      AND (REPLACE(subject, $3, '') <> subject \
                        OR REPLACE(body_text, $3, '') <> body_text \
                        OR REPLACE(body_text, $4, '') <> body_text)))";
    let email = person.email.to_lowercase();
    let mut deleted = 0;
    for sql in [
        format!("DELETE FROM email_attachments WHERE email_id IN (SELECT id FROM email_outbox WHERE {naming})"),
        format!("DELETE FROM email_outbox WHERE {naming}"),
    ] {
        deleted = crate::on_tx!(tx, |conn| sqlx::query(&sql)
            .bind(&email)
            .bind(&full_name)
            .bind(&person.first_name)
            .bind(&person.last_name)
            .bind(person.id)
            .execute(&mut *conn)
            .await?
            .rows_affected());
    }
    // The emails' count (the last statement's).
    Ok(deleted)
}

/// Replaces `person`'s address and names by `pseudonym` in what others
/// wrote about them, and in the audit trail; empties what they wrote and
/// what was written about their pairs.
async fn scrub_texts(tx: &mut Tx, person: &User, pseudonym: &str) -> Result<(), sqlx::Error> {
    let id = person.id;
    // Their own texts, and the reasons and notes of their pairs.
    for sql in [
        "UPDATE help_requests SET difficulty = '' WHERE pupil_user_id = $1",
        "UPDATE session_feedback SET worked_on = NULL, comment = NULL WHERE user_id = $1",
        "UPDATE match_proposals SET manual_reason = NULL, decline_reason = NULL \
         WHERE pupil_user_id = $1 OR tutor_user_id = $1",
        "UPDATE matches SET end_note = NULL WHERE pupil_user_id = $1 OR tutor_user_id = $1",
        "UPDATE session_occurrences SET reason = NULL WHERE series_id IN \
         (SELECT s.id FROM session_series s JOIN matches m ON m.id = s.match_id \
          WHERE m.pupil_user_id = $1 OR m.tutor_user_id = $1)",
        "DELETE FROM matching_choices WHERE pupil_user_id = $1 OR tutor_user_id = $1",
    ] {
        run(tx, sql, id).await?;
    }
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE audit_log SET actor_label = $2 WHERE actor_user_id = $1"
    )
    .bind(id)
    .bind(pseudonym)
    .execute(&mut *conn)
    .await?
    .rows_affected());

    // Texts others wrote about them: each of their names becomes the
    // pseudonym, the full name first.
    let full_name = format!("{} {}", person.first_name, person.last_name);
    let near: [(&str, &str, &str); 6] = [
        (
            "session_feedback",
            "comment",
            "occurrence_id IN (SELECT o.id FROM session_occurrences o \
             JOIN session_series s ON s.id = o.series_id JOIN matches m ON m.id = s.match_id \
             WHERE m.pupil_user_id = $3 OR m.tutor_user_id = $3)",
        ),
        (
            "session_feedback",
            "worked_on",
            "occurrence_id IN (SELECT o.id FROM session_occurrences o \
             JOIN session_series s ON s.id = o.series_id JOIN matches m ON m.id = s.match_id \
             WHERE m.pupil_user_id = $3 OR m.tutor_user_id = $3)",
        ),
        (
            "problem_reports",
            "body",
            "reporter_user_id = $3 OR pupil_user_id = $3",
        ),
        (
            "problem_reports",
            "closing_note",
            "reporter_user_id = $3 OR pupil_user_id = $3",
        ),
        ("alerts", "label", "1 = 1"),
        ("alerts", "note", "1 = 1"),
    ];
    let needles = [
        person.email.clone(),
        full_name.clone(),
        person.last_name.clone(),
        person.first_name.clone(),
    ];
    for (table, column, related) in near {
        for needle in &needles {
            replace(tx, table, column, related, needle, pseudonym, id).await?;
        }
    }
    // The audit trail's details, everywhere: by address and full name only
    // (a first name alone would also match other people's).
    for needle in [&person.email, &full_name] {
        replace(tx, "audit_log", "details", "1 = 1", needle, pseudonym, id).await?;
    }
    Ok(())
}

/// `UPDATE table SET column = REPLACE(column, needle, pseudonym)` on the
/// rows of `related` (which may read `$3`, the person's id) holding
/// `needle`.
async fn replace(
    tx: &mut Tx,
    table: &str,
    column: &str,
    related: &str,
    needle: &str,
    pseudonym: &str,
    id: i64,
) -> Result<(), sqlx::Error> {
    if needle.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE {table} SET {column} = REPLACE({column}, $1, $2) \
         WHERE REPLACE({column}, $1, '') <> {column} AND ({related})"
    );
    let reads_id = related.contains("$3");
    crate::on_tx!(tx, |conn| {
        let mut query = sqlx::query(&sql).bind(needle).bind(pseudonym);
        if reads_id {
            query = query.bind(id);
        }
        query.execute(&mut *conn).await?.rows_affected()
    });
    Ok(())
}

/// The account's identity replaced, its sign-in and details gone.
async fn anonymise(tx: &mut Tx, person: &User, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let id = person.id;
    // `.invalid` never resolves (RFC 2606 §2): nothing can be sent there.
    let address = format!("compte-supprime-{id}@binome.invalid");
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE users SET email = $2, email_key = $2, first_name = 'Compte supprimé', \
         last_name = $3, status = 'deactivated', password_hash = NULL, \
         session_epoch = session_epoch + 1, erased_at = $4, updated_at = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(&address)
    .bind(format!("#{id}"))
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    for sql in [
        "DELETE FROM account_tokens WHERE user_id = $1",
        "DELETE FROM second_factors WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM calendar_feeds WHERE user_id = $1",
        "DELETE FROM availability_intervals WHERE user_id = $1",
        "DELETE FROM tutor_offer_subjects WHERE tutor_user_id = $1",
        "DELETE FROM tutor_offers WHERE tutor_user_id = $1",
        "UPDATE pupils SET birth_month = 1, parent_user_id = NULL WHERE user_id = $1",
        "UPDATE pupils SET parent_user_id = NULL WHERE parent_user_id = $1",
        "UPDATE tutors SET institution = '', field_of_study = '' WHERE user_id = $1",
    ] {
        run(tx, sql, id).await?;
    }
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE help_requests SET status = 'withdrawn', withdrawn_at = $2, updated_at = $2 \
         WHERE pupil_user_id = $1 AND status = 'open'"
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// Ends the active matches of `person` (already under their pseudonym),
/// telling the other side. Returns how many.
async fn end_matches(
    state: &AppState,
    tx: &mut Tx,
    person: &User,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let db = |error| AppError::from_db(error);
    let found = match_end::active_of_user_in(tx, person.id)
        .await
        .map_err(db)?;
    let as_pupil = person.role == Role::Pupil;
    let sessions_reason =
        crate::i18n::text(crate::i18n::Lang::default(), "match_end.sessions_cancelled");
    for pair in &found {
        let (by, reason) = if as_pupil {
            (EndedBy::Pupil, Reason::NoLongerNeeded)
        } else {
            (EndedBy::Tutor, Reason::NoLongerAvailable)
        };
        // A pupil whose tutor left keeps her place and the time she
        // waited; an erased pupil's request is closed (just before).
        let ending = Ending {
            reason,
            note: None,
            back_to_pool: !as_pupil,
        };
        if !match_end::end(tx, pair.id, person.id, &ending, now)
            .await
            .map_err(db)?
        {
            continue;
        }
        if ending.back_to_pool {
            match_end::requeue(tx, pair, now).await.map_err(db)?;
        }
        let ended_series = match_end::end_sessions(tx, pair.id, person.id, &sessions_reason, now)
            .await
            .map_err(db)?;
        let other_id = if as_pupil {
            pair.tutor_id
        } else {
            pair.pupil_id
        };
        let Some(other) = users::find_in(tx, other_id).await.map_err(db)? else {
            continue;
        };
        let Some(email) = emails::ended(
            &other,
            person,
            emails::How {
                by,
                own: false,
                reason: None,
                as_pupil: !as_pupil,
                back_to_pool: ending.back_to_pool,
                sessions: !ended_series.is_empty(),
                paused: false,
                erased: true,
            },
            &state.public_url,
        ) else {
            continue;
        };
        let email =
            emails::with_cancellations(state, tx, (email, other.lang), &ended_series, person, now)
                .await
                .map_err(db)?;
        outbox::enqueue(tx, &email, now).await.map_err(db)?;
        record(
            tx,
            &AuditActor {
                user_id: Some(person.id),
                label: pseudonym(person.id),
            },
            now,
            "match.end",
            ("match", &pair.id.to_string()),
            &format!(
                "by={} reason={} back_to_pool={} sessions_ended={} account_erased=true",
                by.code(),
                reason.code(),
                ending.back_to_pool,
                ended_series.len()
            ),
        )
        .await
        .map_err(db)?;
    }
    Ok(found.len())
}
