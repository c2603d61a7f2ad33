//! The `session_series` and `session_occurrences` tables.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use domain::availability::{parse_zone, WeeklySlot, WEEKDAYS};
use domain::sessions::{Occurrence, Series, Status};

use crate::db::{Db, Tx};

/// How far ahead occurrences are stored: housekeeping keeps this many weeks
/// of each confirmed series in `session_occurrences`.
pub const HORIZON_WEEKS: i64 = 8;

/// A series as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesRow {
    pub id: i64,
    pub match_id: i64,
    pub uid: String,
    /// `proposed`, `confirmed`, `replaced` or `ended`.
    pub status: String,
    pub time_zone: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    /// Minutes after local midnight.
    pub start_minute: i32,
    pub minutes: i32,
    /// `YYYY-MM-DD` in `time_zone`.
    pub first_date: String,
    pub last_date: Option<String>,
    /// RFC 5545 `SEQUENCE`.
    pub sequence: i32,
    pub proposed_by: i64,
    /// `online` or `in_person` (see [`super::venue`]).
    pub mode: String,
    /// The school of an `in_person` series.
    pub place_uai: Option<String>,
    /// 1, or 2 for a match's second weekly session.
    pub slot_number: i32,
}

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    i32,
    i32,
    i32,
    String,
    Option<String>,
    i32,
    i64,
    String,
    Option<String>,
    i32,
);

const COLUMNS: &str = "id, match_id, uid, status, time_zone, weekday, start_minute, minutes, \
                       first_date, last_date, sequence, proposed_by, mode, place_uai, \
                       slot_number";

/// [`COLUMNS`] of the table aliased `s`.
fn series_columns() -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn from_row(row: Row) -> SeriesRow {
    SeriesRow {
        id: row.0,
        match_id: row.1,
        uid: row.2,
        status: row.3,
        time_zone: row.4,
        weekday: row.5,
        start_minute: row.6,
        minutes: row.7,
        first_date: row.8,
        last_date: row.9,
        sequence: row.10,
        proposed_by: row.11,
        mode: row.12,
        place_uai: row.13,
        slot_number: row.14,
    }
}

impl SeriesRow {
    /// The pupil's zone the series is fixed in (Paris if the stored name is
    /// unknown, which the checks on saving make a corruption).
    pub fn zone(&self) -> Tz {
        parse_zone(&self.time_zone).unwrap_or(chrono_tz::Europe::Paris)
    }

    /// The weekly slot, in [`SeriesRow::zone`].
    pub fn slot(&self) -> WeeklySlot {
        WeeklySlot {
            weekday: WEEKDAYS[usize::try_from(self.weekday.clamp(1, 7) - 1).unwrap_or(0)],
            start: u16::try_from(self.start_minute).unwrap_or(0),
            minutes: u16::try_from(self.minutes).unwrap_or(60),
        }
    }

    /// The series as the domain computes it; `None` when a stored date does
    /// not parse.
    pub fn series(&self) -> Option<Series> {
        let first_date = self.first_date.parse().ok()?;
        let last_date = match &self.last_date {
            Some(text) => Some(text.parse().ok()?),
            None => None,
        };
        Some(Series {
            zone: self.zone(),
            slot: self.slot(),
            first_date,
            last_date,
        })
    }
}

impl SeriesRow {
    /// When the first session takes place (the first week whose local
    /// start exists); `None` if the stored dates do not parse.
    pub fn first_start(&self) -> Option<DateTime<Utc>> {
        Some(self.series()?.first_session()?.start)
    }
}

/// The active match `match_id`: (pupil, tutor), or `None` when there is no
/// such active match.
///
/// # Errors
/// The database's error.
pub async fn active_match(db: &Db, match_id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT pupil_user_id, tutor_user_id FROM matches WHERE id = $1 AND status = 'active'"
    )
    .bind(match_id)
    .fetch_optional(pool)
    .await)
}

/// The proposed or confirmed series of `match_id` (at most one per slot
/// number), by slot number.
///
/// # Errors
/// The database's error.
pub async fn live_of_match(db: &Db, match_id: i64) -> Result<Vec<SeriesRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM session_series \
         WHERE match_id = $1 AND status IN ('proposed', 'confirmed') ORDER BY slot_number"
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(match_id)
        .fetch_all(pool)
        .await?);
    Ok(rows.into_iter().map(from_row).collect())
}

/// How many sessions a week the pupil of `match_id` asked for: 1 or 2.
///
/// # Errors
/// The database's error.
pub async fn sessions_per_week(db: &Db, match_id: i64) -> Result<u8, sqlx::Error> {
    let found: Option<i32> = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT CAST(r.sessions_per_week AS INTEGER) FROM matches m \
         JOIN help_requests r ON r.id = m.request_id WHERE m.id = $1"
    )
    .bind(match_id)
    .fetch_optional(pool)
    .await?);
    Ok(if found == Some(2) { 2 } else { 1 })
}

/// A series the tutor proposes.
#[derive(Clone, Debug)]
pub struct NewSeries {
    pub match_id: i64,
    pub uid: String,
    pub series: Series,
    pub proposed_by: i64,
    /// The school of sessions in person; `None` online.
    pub place_uai: Option<String>,
    /// 1, or 2 for the match's second weekly session.
    pub slot_number: i32,
}

/// Records the tutor's proposal for an active match whose series is not
/// confirmed: a proposal still waiting for the pupil is replaced. Returns
/// the new series' id, or `None` when the match is no longer active or
/// already has a confirmed series.
///
/// # Errors
/// The database's error.
pub async fn propose(
    tx: &mut Tx,
    new: &NewSeries,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_series SET status = 'replaced' \
         WHERE match_id = $1 AND slot_number = $2 AND status = 'proposed'"
    )
    .bind(new.match_id)
    .bind(new.slot_number)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    let slot = new.series.slot;
    crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO session_series (match_id, uid, status, time_zone, weekday, start_minute, \
         minutes, first_date, proposed_by, proposed_at, mode, place_uai, slot_number) \
         SELECT $1, $2, 'proposed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
         WHERE EXISTS (SELECT 1 FROM matches WHERE id = $1 AND status = 'active') \
         AND NOT EXISTS (SELECT 1 FROM session_series WHERE match_id = $1 \
         AND slot_number = $12 AND status = 'confirmed') \
         AND ($12 = 1 OR EXISTS (SELECT 1 FROM session_series f \
         JOIN matches m ON m.id = f.match_id JOIN help_requests r ON r.id = m.request_id \
         WHERE f.match_id = $1 AND f.slot_number = 1 AND f.status = 'confirmed' \
         AND f.weekday <> $4 AND r.sessions_per_week = 2)) \
         RETURNING id",
        )
        .bind(new.match_id)
        .bind(&new.uid)
        .bind(new.series.zone.name())
        .bind(i32::try_from(slot.weekday.number_from_monday()).unwrap_or(1))
        .bind(i32::from(slot.start))
        .bind(i32::from(slot.minutes))
        .bind(new.series.first_date.to_string())
        .bind(new.proposed_by)
        .bind(now)
        .bind(if new.place_uai.is_some() {
            "in_person"
        } else {
            "online"
        })
        .bind(&new.place_uai)
        .bind(new.slot_number)
        .fetch_optional(&mut *conn)
        .await
    })
}

/// Confirms the proposed series `series_id` for the pupil `pupil_id` of its
/// active match, if its first session is after `today` (the pupil's local
/// date). Returns the series, or `None` when it is not theirs, not
/// proposed any more, stale, or the match ended.
///
/// # Errors
/// The database's error.
pub async fn confirm(
    tx: &mut Tx,
    series_id: i64,
    pupil_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<SeriesRow>, sqlx::Error> {
    // `YYYY-MM-DD` text compares as dates do.
    let sql = format!(
        "UPDATE session_series SET status = 'confirmed', confirmed_at = $3 \
         WHERE id = $1 AND status = 'proposed' AND first_date > $4 AND match_id IN \
         (SELECT id FROM matches WHERE pupil_user_id = $2 AND status = 'active') \
         AND (slot_number = 1 OR EXISTS (SELECT 1 FROM session_series f \
         JOIN matches m ON m.id = f.match_id JOIN help_requests r ON r.id = m.request_id \
         WHERE f.match_id = session_series.match_id AND f.slot_number = 1 \
         AND f.status = 'confirmed' AND f.weekday <> session_series.weekday \
         AND r.sessions_per_week = 2)) \
         RETURNING {COLUMNS}"
    );
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(series_id)
        .bind(pupil_id)
        .bind(now)
        .bind(today.to_string())
        .fetch_optional(&mut *conn)
        .await?);
    Ok(row.map(from_row))
}

/// The last local date a series' occurrences are stored up to at `now`.
pub fn horizon_end(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive() + Duration::weeks(HORIZON_WEEKS)
}

/// Stores the occurrences of `row` from its first date (or a week before
/// `now`, if later: older weeks are stored already) up to the horizon at
/// `now` that are not stored yet. Returns how many were added.
///
/// # Errors
/// The database's error; `Decode` when the row's dates do not parse.
pub async fn fill(tx: &mut Tx, row: &SeriesRow, now: DateTime<Utc>) -> Result<Filled, sqlx::Error> {
    let series = row
        .series()
        .ok_or_else(|| sqlx::Error::Decode(format!("session_series {}", row.id).into()))?;
    let today = now.with_timezone(&series.zone).date_naive();
    let from = series.first_date.max(today - Duration::weeks(1));
    let end = horizon_end(series.zone, now) + Duration::days(1);
    let mut filled = Filled::default();
    for occurrence in series.occurrences(from, end, &[]) {
        let inserted = insert_occurrence(tx, row.id, &occurrence).await?;
        filled.added += inserted;
        if inserted == 1 && occurrence.status == Status::Skipped {
            filled.skipped.push(occurrence.date);
        }
    }
    Ok(filled)
}

/// What [`fill`] stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    /// How many occurrences.
    pub added: u64,
    /// The local dates among them whose start a clock change skips: no
    /// session those weeks.
    pub skipped: Vec<NaiveDate>,
}

async fn insert_occurrence(
    tx: &mut Tx,
    series_id: i64,
    occurrence: &Occurrence,
) -> Result<u64, sqlx::Error> {
    let status = match occurrence.status {
        Status::Scheduled => "scheduled",
        Status::Moved => "moved",
        Status::Cancelled => "cancelled",
        Status::Skipped => "skipped",
    };
    Ok(crate::on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO session_occurrences (series_id, original_date, status, starts_at, ends_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (series_id, original_date) DO NOTHING"
    )
    .bind(series_id)
    .bind(occurrence.date.to_string())
    .bind(status)
    .bind(occurrence.span.map(|s| s.start))
    .bind(occurrence.span.map(|s| s.end))
    .execute(&mut *conn)
    .await?
    .rows_affected()))
}

/// A confirmed series of an active match (what housekeeping extends).
const LIVE: &str =
    "status = 'confirmed' AND match_id IN (SELECT id FROM matches WHERE status = 'active')";

/// The ids of the confirmed series of active matches, in order.
///
/// # Errors
/// The database's error.
pub async fn live_ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_scalar(&format!(
        "SELECT id FROM session_series WHERE {LIVE} ORDER BY id"
    ))
    .fetch_all(pool)
    .await)
}

/// The series `id` as `tx` sees it, if it is still confirmed and its match
/// active; its row is locked until `tx` ends.
///
/// # Errors
/// The database's error.
pub async fn live_in(tx: &mut Tx, id: i64) -> Result<Option<SeriesRow>, sqlx::Error> {
    // Locked on PostgreSQL, so that an end committed meanwhile is seen and
    // not filled past (SQLite's write transaction is exclusive already).
    let lock = match tx {
        Tx::Postgres(_) => " FOR UPDATE",
        Tx::Sqlite(_) => "",
    };
    let sql = format!("SELECT {COLUMNS} FROM session_series WHERE id = $1 AND {LIVE}{lock}");
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?);
    Ok(row.map(from_row))
}

/// Ends the confirmed series whose last date has passed everywhere at
/// `now` (ended from a date, their last session held): the tutor may
/// propose another slot. A second weekly series left alone becomes the
/// first. Returns how many ended.
///
/// # Errors
/// The database's error.
pub async fn close_finished(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    // Past in every zone (UTC−12 to UTC+14) once the UTC date is two days on.
    let cutoff = (now.date_naive() - Duration::days(1)).to_string();
    let mut tx = db.begin_write().await?;
    let ended = crate::on_tx!(&mut tx, |conn| sqlx::query(
        "UPDATE session_series SET status = 'ended' \
         WHERE status = 'confirmed' AND last_date IS NOT NULL AND last_date < $1"
    )
    .bind(&cutoff)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if ended > 0 {
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "UPDATE session_series SET slot_number = 1 WHERE slot_number = 2 \
             AND status IN ('proposed', 'confirmed') AND NOT EXISTS (SELECT 1 \
             FROM session_series o WHERE o.match_id = session_series.match_id \
             AND o.slot_number = 1 AND o.status IN ('proposed', 'confirmed'))"
        )
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    tx.commit().await?;
    Ok(ended)
}

/// One occurrence as a calendar lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarRow {
    pub id: i64,
    pub series_id: i64,
    pub original_date: String,
    /// `scheduled`, `moved`, `cancelled` (skipped ones are not listed).
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub pupil_id: i64,
    pub tutor_id: i64,
}

/// The occurrences of `user_id`'s confirmed series (as pupil or tutor of an
/// active match) starting in `[from, to)`, in time order.
///
/// # Errors
/// The database's error.
pub async fn calendar(
    db: &Db,
    user_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarRow>, sqlx::Error> {
    type Found = (
        i64,
        i64,
        String,
        String,
        DateTime<Utc>,
        DateTime<Utc>,
        i64,
        i64,
    );
    let rows: Vec<Found> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT o.id, s.id, o.original_date, o.status, o.starts_at, o.ends_at, \
         m.pupil_user_id, m.tutor_user_id \
         FROM session_occurrences o JOIN session_series s ON s.id = o.series_id \
         JOIN matches m ON m.id = s.match_id \
         WHERE (m.pupil_user_id = $1 OR m.tutor_user_id = $1) AND m.status = 'active' \
         AND s.status = 'confirmed' AND o.status <> 'skipped' \
         AND o.starts_at >= $2 AND o.starts_at < $3 ORDER BY o.starts_at, s.id"
    )
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(|r| CalendarRow {
            id: r.0,
            series_id: r.1,
            original_date: r.2,
            status: r.3,
            starts_at: r.4,
            ends_at: r.5,
            pupil_id: r.6,
            tutor_id: r.7,
        })
        .collect())
}

/// The original dates of `series_id`'s stored occurrences that are skipped
/// (their local start does not exist that day).
///
/// # Errors
/// The database's error.
pub async fn skipped(tx: &mut Tx, series_id: i64) -> Result<Vec<String>, sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT original_date FROM session_occurrences \
         WHERE series_id = $1 AND status = 'skipped' ORDER BY original_date"
    )
    .bind(series_id)
    .fetch_all(&mut *conn)
    .await)
}

/// The occurrence `id` if `user_id` is a side of its confirmed series'
/// active match: (its start, its end, the pupil, the tutor).
///
/// # Errors
/// The database's error.
pub async fn occurrence_of(
    db: &Db,
    id: i64,
    user_id: i64,
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>, i64, i64)>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT o.starts_at, o.ends_at, m.pupil_user_id, m.tutor_user_id \
         FROM session_occurrences o JOIN session_series s ON s.id = o.series_id \
         JOIN matches m ON m.id = s.match_id \
         WHERE o.id = $1 AND o.starts_at IS NOT NULL AND s.status = 'confirmed' \
         AND m.status = 'active' AND (m.pupil_user_id = $2 OR m.tutor_user_id = $2)"
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

/// Raises the `SEQUENCE` of the series of the occurrence `id`, which also
/// locks the series row until `tx` ends. Every change takes the series row
/// before its occurrences (as [`take_series`] does), so that two changes
/// made at once on PostgreSQL wait for each other instead of deadlocking;
/// a change that then finds nothing to do is rolled back with it.
async fn take_series_of(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_series SET sequence = sequence + 1 \
         WHERE id = (SELECT series_id FROM session_occurrences WHERE id = $1)"
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// Cancels the occurrence `id` for `user_id` (a side of its match) with
/// `reason`, if it takes place and has not begun at `now`; the series'
/// `SEQUENCE` goes up by one. Returns whether it was cancelled.
///
/// # Errors
/// The database's error.
pub async fn cancel_occurrence(
    tx: &mut Tx,
    id: i64,
    user_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    take_series_of(tx, id).await?;
    let cancelled = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_occurrences SET status = 'cancelled', reason = $2, changed_by = $3, \
         changed_at = $4 \
         WHERE id = $1 AND status IN ('scheduled', 'moved') AND starts_at > $4 \
         AND series_id IN (SELECT s.id FROM session_series s JOIN matches m ON m.id = s.match_id \
         WHERE s.status = 'confirmed' AND m.status = 'active' \
         AND (m.pupil_user_id = $3 OR m.tutor_user_id = $3))"
    )
    .bind(id)
    .bind(reason)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if cancelled == 0 {
        return Ok(false);
    }
    Ok(true)
}

/// The series of the occurrence `id` (as it is in `tx`, after a change)
/// and the occurrence's original local date.
///
/// # Errors
/// The database's error.
pub async fn series_of_occurrence(
    tx: &mut Tx,
    id: i64,
) -> Result<Option<(SeriesRow, String)>, sqlx::Error> {
    let columns = series_columns();
    let sql = format!(
        "SELECT {columns}, o.original_date FROM session_occurrences o \
         JOIN session_series s ON s.id = o.series_id WHERE o.id = $1"
    );
    type Found = (
        i64,
        i64,
        String,
        String,
        String,
        i32,
        i32,
        i32,
        String,
        Option<String>,
        i32,
        i64,
        String,
        Option<String>,
        i32,
        String,
    );
    let found: Option<Found> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?);
    Ok(found.map(|r| {
        (
            from_row((
                r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14,
            )),
            r.15,
        )
    }))
}

/// A confirmed series of one user, with both sides of its match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSeries {
    pub row: SeriesRow,
    pub pupil_id: i64,
    pub tutor_id: i64,
}

/// The confirmed series of `user_id`'s active matches (as pupil or tutor),
/// oldest first.
///
/// # Errors
/// The database's error.
pub async fn confirmed_of_user(db: &Db, user_id: i64) -> Result<Vec<UserSeries>, sqlx::Error> {
    let columns = series_columns();
    let sql = format!(
        "SELECT {columns} FROM session_series s JOIN matches m ON m.id = s.match_id \
         WHERE s.status = 'confirmed' AND m.status = 'active' \
         AND (m.pupil_user_id = $1 OR m.tutor_user_id = $1) ORDER BY s.id"
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await?);
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let row = from_row(row);
        if let Some((pupil_id, tutor_id)) = active_match(db, row.match_id).await? {
            found.push(UserSeries {
                row,
                pupil_id,
                tutor_id,
            });
        }
    }
    Ok(found)
}

/// What changed in a series: the original dates of cancelled sessions,
/// and the moved ones (original date, new start, new end).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exceptions {
    pub cancelled: Vec<NaiveDate>,
    pub moved: Vec<(NaiveDate, DateTime<Utc>, DateTime<Utc>)>,
}

const EXCEPTIONS: &str = "SELECT original_date, status, starts_at, ends_at \
                          FROM session_occurrences WHERE series_id = $1 \
                          AND status IN ('cancelled', 'moved') ORDER BY original_date";

type ExceptionRow = (String, String, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn exceptions_of(rows: Vec<ExceptionRow>) -> Result<Exceptions, sqlx::Error> {
    let mut found = Exceptions::default();
    for (date, status, start, end) in rows {
        let date: NaiveDate = date
            .parse()
            .map_err(|_| sqlx::Error::Decode(format!("session_occurrences {date}").into()))?;
        match (status.as_str(), start, end) {
            ("moved", Some(start), Some(end)) => found.moved.push((date, start, end)),
            _ => found.cancelled.push(date),
        }
    }
    Ok(found)
}

/// The cancelled and moved sessions of `series_id`.
///
/// # Errors
/// The database's error; `Decode` when a stored date does not parse.
pub async fn exceptions(db: &Db, series_id: i64) -> Result<Exceptions, sqlx::Error> {
    let rows: Vec<ExceptionRow> = crate::on_db!(db, |pool| sqlx::query_as(EXCEPTIONS)
        .bind(series_id)
        .fetch_all(pool)
        .await?);
    exceptions_of(rows)
}

/// [`exceptions`] as `tx` sees them. Read after the change that locked the
/// series row (its `SEQUENCE` update), so that on PostgreSQL a change made
/// to the same series at the same moment is seen, not lost from the
/// invitation.
///
/// # Errors
/// As [`exceptions`].
pub async fn exceptions_in(tx: &mut Tx, series_id: i64) -> Result<Exceptions, sqlx::Error> {
    let rows: Vec<ExceptionRow> = crate::on_tx!(tx, |conn| sqlx::query_as(EXCEPTIONS)
        .bind(series_id)
        .fetch_all(&mut *conn)
        .await?);
    exceptions_of(rows)
}

/// Moves the occurrence `id` to `[start, end)` for `user_id` (a side of its
/// match) with `reason`, if it takes place and has not begun at `now`; the
/// series' `SEQUENCE` goes up by one and the reminders already sent for it
/// are forgotten, so that they go again before the new time. Returns
/// whether it was moved.
///
/// # Errors
/// The database's error.
pub async fn move_occurrence(
    tx: &mut Tx,
    id: i64,
    user_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    take_series_of(tx, id).await?;
    let moved = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_occurrences SET status = 'moved', starts_at = $2, ends_at = $3, \
         reason = $4, changed_by = $5, changed_at = $6 \
         WHERE id = $1 AND status IN ('scheduled', 'moved') AND starts_at > $6 \
         AND series_id IN (SELECT s.id FROM session_series s JOIN matches m ON m.id = s.match_id \
         WHERE s.status = 'confirmed' AND m.status = 'active' \
         AND (m.pupil_user_id = $5 OR m.tutor_user_id = $5))"
    )
    .bind(id)
    .bind(start)
    .bind(end)
    .bind(reason)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if moved == 0 {
        return Ok(false);
    }
    crate::on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM session_reminders WHERE occurrence_id = $1"
    )
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(true)
}

impl Exceptions {
    /// As [`domain::sessions::Change`]s, for the domain's checks.
    pub fn changes(&self) -> Vec<domain::sessions::Change> {
        let mut changes: Vec<domain::sessions::Change> = self
            .cancelled
            .iter()
            .map(|date| domain::sessions::Change::Cancelled { date: *date })
            .collect();
        changes.extend(self.moved.iter().map(|(date, start, end)| {
            domain::sessions::Change::Moved {
                date: *date,
                to: domain::availability::Span::new(*start, *end),
            }
        }));
        changes
    }
}

/// Ends the confirmed series `series_id` for `user_id` (a side of its
/// active match) before `from` (a local date of its zone): `last_date`
/// becomes `last_date`, the sessions of `from` on are deleted (with their
/// reminders), `SEQUENCE` goes up by one; with `whole`, no session is left
/// and the series is `ended`. Returns whether it was ended.
///
/// # Errors
/// The database's error.
pub async fn end_series(
    tx: &mut Tx,
    series_id: i64,
    user_id: i64,
    from: NaiveDate,
    last_date: NaiveDate,
    whole: bool,
) -> Result<bool, sqlx::Error> {
    let ended = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_series SET last_date = $2, status = $3, sequence = sequence + 1 \
         WHERE id = $1 AND status = 'confirmed' AND match_id IN (SELECT id FROM matches \
         WHERE status = 'active' AND (pupil_user_id = $4 OR tutor_user_id = $4))"
    )
    .bind(series_id)
    .bind(last_date.to_string())
    .bind(if whole { "ended" } else { "confirmed" })
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if ended == 0 {
        return Ok(false);
    }
    // With no first weekly session left, a second one becomes the first,
    // so that a new proposal is for another day than it.
    if whole {
        crate::on_tx!(tx, |conn| sqlx::query(
            "UPDATE session_series SET slot_number = 1 WHERE slot_number = 2 \
             AND status IN ('proposed', 'confirmed') AND match_id = \
             (SELECT match_id FROM session_series WHERE id = $1 AND slot_number = 1)"
        )
        .bind(series_id)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    // `YYYY-MM-DD` text compares as dates do.
    crate::on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM session_occurrences WHERE series_id = $1 AND original_date >= $2"
    )
    .bind(series_id)
    .bind(from.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(true)
}

/// Takes the confirmed series `series_id` for a change by `user_id` (a side
/// of its active match): its `SEQUENCE` goes up by one, which also locks
/// its row until `tx` ends. Returns whether the series could be taken.
///
/// # Errors
/// The database's error.
pub async fn take_series(tx: &mut Tx, series_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let taken = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_series SET sequence = sequence + 1 \
         WHERE id = $1 AND status = 'confirmed' AND match_id IN (SELECT id FROM matches \
         WHERE status = 'active' AND (pupil_user_id = $2 OR tutor_user_id = $2))"
    )
    .bind(series_id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(taken == 1)
}

/// Cancels `sessions` of the series `series_id` (a pause: see
/// [`Series::paused`]) for `user_id`, with `reason`: a stored one that
/// takes place and has not begun at `now` becomes `cancelled`; one beyond
/// the stored horizon is stored cancelled already, so that housekeeping
/// does not schedule it later. Returns how many were cancelled.
///
/// # Errors
/// The database's error.
pub async fn cancel_sessions(
    tx: &mut Tx,
    series_id: i64,
    sessions: &[Occurrence],
    user_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut cancelled = 0;
    for session in sessions {
        let Some(span) = session.span else {
            continue;
        };
        cancelled += crate::on_tx!(tx, |conn| sqlx::query(
            "INSERT INTO session_occurrences (series_id, original_date, status, starts_at, \
             ends_at, reason, changed_by, changed_at) \
             VALUES ($1, $2, 'cancelled', $3, $4, $5, $6, $7) \
             ON CONFLICT (series_id, original_date) DO UPDATE SET status = 'cancelled', \
             reason = excluded.reason, changed_by = excluded.changed_by, \
             changed_at = excluded.changed_at \
             WHERE session_occurrences.status IN ('scheduled', 'moved') \
             AND session_occurrences.starts_at > excluded.changed_at"
        )
        .bind(series_id)
        .bind(session.date.to_string())
        .bind(span.start)
        .bind(span.end)
        .bind(reason)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    Ok(cancelled)
}

/// The series `id` as it is in `tx`.
///
/// # Errors
/// The database's error.
pub async fn series_in(tx: &mut Tx, id: i64) -> Result<Option<SeriesRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM session_series WHERE id = $1");
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?);
    Ok(row.map(from_row))
}
