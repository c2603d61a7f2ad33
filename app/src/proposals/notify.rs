//! What proposals and matches say, and to whom: the slot in each side's
//! zone, and the emails to the tutor and to both sides.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use domain::availability::{parse_zone, WeeklySlot, WEEKDAYS};

use super::emails::{MatchStarted, ProposalToTutor};
use super::store::ProposalRow;
use crate::accounts::users;
use crate::db::{Db, Tx};
use crate::i18n::Lang;
use crate::mail::outbox::NewEmail;
use crate::matching::handlers::{slot_view, tutor_view};
use crate::matching::SlotView;

/// A proposal's weekly slot, in the pupil's zone.
pub fn weekly_slot(row: &ProposalRow) -> WeeklySlot {
    WeeklySlot {
        weekday: WEEKDAYS[usize::try_from(row.weekday.clamp(1, 7) - 1).unwrap_or(0)],
        start: u16::try_from(row.start_minute).unwrap_or(0),
        minutes: u16::try_from(row.minutes).unwrap_or(60),
    }
}

/// The slot of a proposal in both zones, from its next occurrence.
#[derive(Clone, Debug)]
pub struct Facts {
    pub tutor_zone: Tz,
    pub pupil_slot: SlotView,
    pub tutor_slot: SlotView,
}

/// [`Facts`] of `row` at `now`: the tutor's zone is read from their account.
///
/// # Errors
/// The database's error.
pub async fn facts(db: &Db, row: &ProposalRow, now: DateTime<Utc>) -> Result<Facts, sqlx::Error> {
    let pupil_zone = parse_zone(&row.time_zone).unwrap_or(chrono_tz::Europe::Paris);
    let tutor_zone = crate::availability::store::zone(db, row.tutor_id).await?;
    let slot = weekly_slot(row);
    let today: NaiveDate = now.with_timezone(&pupil_zone).date_naive();
    Ok(Facts {
        tutor_zone,
        pupil_slot: slot_view(&slot, pupil_zone),
        tutor_slot: tutor_view(&slot, today, pupil_zone, tutor_zone),
    })
}

/// `instant` as `YYYY-MM-DD HH:MM` in `zone`.
pub fn local_time(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Subject codes in words, in `lang`.
pub fn subjects_text(codes: &[String], lang: Lang) -> String {
    crate::pages::needs::subjects_text(codes, lang)
}

/// The email that asks the tutor of `row` to answer through the link of
/// `secret` (again, with a new link, when `reminder`).
///
/// # Errors
/// The database's error.
pub async fn proposal_email(
    db: &Db,
    tx: &mut Tx,
    row: &ProposalRow,
    secret: &str,
    reminder: bool,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Option<NewEmail>, sqlx::Error> {
    let facts = facts(db, row, now).await?;
    let (Some(tutor), Some(pupil)) = (
        users::find_in(tx, row.tutor_id).await?,
        users::find_in(tx, row.pupil_id).await?,
    ) else {
        return Ok(None);
    };
    let level_code: String = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT level_code FROM pupils WHERE user_id = $1"
    )
    .bind(row.pupil_id)
    .fetch_one(&mut *conn)
    .await?);
    let lang = tutor.lang;
    let data = ProposalToTutor {
        name: tutor.first_name.clone(),
        pupil: pupil.first_name.clone(),
        level: crate::levels::level(&level_code)
            .map(|l| l.label(lang).to_owned())
            .unwrap_or(level_code),
        subjects: subjects_text(&row.subjects, lang),
        slot: facts.tutor_slot.text(lang),
        expires_on: local_time(row.expires_at, facts.tutor_zone),
        link_path: format!("/proposition?jeton={secret}"),
        reminder,
    };
    Ok(NewEmail::to_user(&tutor, &data, public_url))
}

/// The emails telling the pupil and the tutor of `row` that their match
/// started.
///
/// # Errors
/// The database's error.
pub async fn match_started(
    db: &Db,
    tx: &mut Tx,
    row: &ProposalRow,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Vec<NewEmail>, sqlx::Error> {
    let facts = facts(db, row, now).await?;
    let (Some(tutor), Some(pupil)) = (
        users::find_in(tx, row.tutor_id).await?,
        users::find_in(tx, row.pupil_id).await?,
    ) else {
        return Ok(Vec::new());
    };
    let mut emails = Vec::new();
    emails.extend(NewEmail::to_user(
        &pupil,
        &MatchStarted {
            name: pupil.first_name.clone(),
            other: format!("{} {}", tutor.first_name, tutor.last_name),
            subjects: subjects_text(&row.subjects, pupil.lang),
            slot: facts.pupil_slot.text(pupil.lang),
            for_tutor: false,
        },
        public_url,
    ));
    emails.extend(NewEmail::to_user(
        &tutor,
        &MatchStarted {
            name: tutor.first_name.clone(),
            other: format!("{} {}", pupil.first_name, pupil.last_name),
            subjects: subjects_text(&row.subjects, tutor.lang),
            slot: facts.tutor_slot.text(tutor.lang),
            for_tutor: true,
        },
        public_url,
    ));
    Ok(emails)
}
