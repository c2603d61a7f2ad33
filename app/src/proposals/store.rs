//! The `match_proposals` and `matches` tables.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::db::{Db, Tx};

/// A proposal as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalRow {
    pub id: i64,
    pub request_id: i64,
    pub pupil_id: i64,
    pub tutor_id: i64,
    /// Subject codes, in the pupil's order.
    pub subjects: Vec<String>,
    /// ISO weekday (1 = Monday), start in minutes of local time, length in
    /// minutes, and the pupil's IANA zone the slot is fixed in.
    pub weekday: i32,
    pub start_minute: i32,
    pub minutes: i32,
    pub time_zone: String,
    pub score: i64,
    pub manual_reason: Option<String>,
    /// `pending`, `accepted`, `declined` or `expired`.
    pub status: String,
    pub published_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A proposal about to be published.
#[derive(Clone, Debug)]
pub struct NewProposal {
    pub request_id: i64,
    pub pupil_id: i64,
    pub tutor_id: i64,
    pub subjects: Vec<String>,
    pub weekday: i32,
    pub start_minute: i32,
    pub minutes: i32,
    pub time_zone: String,
    pub score: i64,
    pub manual_reason: Option<String>,
}

type Row = (
    i64,
    i64,
    i64,
    i64,
    String,
    i32,
    i32,
    i32,
    String,
    i64,
    Option<String>,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

const SELECT: &str = "SELECT id, request_id, pupil_user_id, tutor_user_id, subjects, weekday, \
     start_minute, minutes, time_zone, score, manual_reason, status, published_at, expires_at \
     FROM match_proposals";

fn from_row(row: Row) -> ProposalRow {
    let (
        id,
        request_id,
        pupil_id,
        tutor_id,
        subjects,
        weekday,
        start_minute,
        minutes,
        time_zone,
        score,
        manual_reason,
        status,
        published_at,
        expires_at,
    ) = row;
    ProposalRow {
        id,
        request_id,
        pupil_id,
        tutor_id,
        subjects: subjects
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        weekday,
        start_minute,
        minutes,
        time_zone,
        score,
        manual_reason,
        status,
        published_at,
        expires_at,
    }
}

/// Stores `proposal` as pending, answerable through the link whose secret
/// has digest `token_hash` until `expires_at`, reminded at `remind_at`.
/// Returns its id.
///
/// # Errors
/// The database's error; a unique violation when the request already has a
/// pending proposal.
pub async fn insert(
    tx: &mut Tx,
    proposal: &NewProposal,
    token_hash: &str,
    published_by: i64,
    now: DateTime<Utc>,
    remind_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO match_proposals (request_id, pupil_user_id, tutor_user_id, subjects, \
         weekday, start_minute, minutes, time_zone, score, manual_reason, status, token_hash, \
         published_by, published_at, remind_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $13, $14, $15) \
         RETURNING id"
    )
    .bind(proposal.request_id)
    .bind(proposal.pupil_id)
    .bind(proposal.tutor_id)
    .bind(proposal.subjects.join(","))
    .bind(proposal.weekday)
    .bind(proposal.start_minute)
    .bind(proposal.minutes)
    .bind(&proposal.time_zone)
    .bind(proposal.score)
    .bind(&proposal.manual_reason)
    .bind(token_hash)
    .bind(published_by)
    .bind(now)
    .bind(remind_at)
    .bind(expires_at)
    .fetch_one(&mut *conn)
    .await)
}

/// The proposal whose link (first or reminder's) has digest `token_hash`,
/// whatever its status.
///
/// # Errors
/// The database's error.
pub async fn by_token(db: &Db, token_hash: &str) -> Result<Option<ProposalRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE token_hash = $1 OR previous_token_hash = $1");
    let row: Option<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(token_hash)
        .fetch_optional(pool)
        .await?);
    Ok(row.map(from_row))
}

/// Which proposal an answer is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answering<'a> {
    /// Through an emailed link: the digest of its secret.
    Link(&'a str),
    /// By its tutor, signed in.
    Own { id: i64, tutor_id: i64 },
}

/// The pending, unexpired proposals of `tutor_id` at `now`, oldest first.
///
/// # Errors
/// The database's error.
pub async fn pending_of_tutor(
    db: &Db,
    tutor_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<ProposalRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE tutor_user_id = $1 AND status = 'pending' AND expires_at > $2 ORDER BY id"
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(tutor_id)
        .bind(now)
        .fetch_all(pool)
        .await?);
    Ok(rows.into_iter().map(from_row).collect())
}

/// Moves a pending, unexpired proposal to `accepted` or `declined` at
/// `now`, in the statement that checks it (two clicks cannot both
/// succeed). Accepting also needs the request still open and the tutor
/// still approved with a background check valid today (UTC). Returns the
/// proposal if it moved.
///
/// # Errors
/// The database's error.
pub async fn answer(
    tx: &mut Tx,
    which: Answering<'_>,
    accepted: bool,
    decline_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<ProposalRow>, sqlx::Error> {
    // A link's digest (64 hex digits) is never empty, an id never -1.
    let (hash, id, tutor_id) = match which {
        Answering::Link(hash) => (hash, -1, -1),
        Answering::Own { id, tutor_id } => ("", id, tutor_id),
    };
    let still_possible = if accepted {
        " AND EXISTS (SELECT 1 FROM help_requests r WHERE r.id = match_proposals.request_id \
           AND r.status = 'open') \
         AND EXISTS (SELECT 1 FROM tutors t WHERE t.user_id = match_proposals.tutor_user_id \
           AND t.status = 'approved' AND t.check_expires_on >= $5)"
    } else {
        " AND $5 = $5"
    };
    let sql = format!(
        "UPDATE match_proposals SET status = $1, answered_at = $2, decline_reason = $3 \
         WHERE (token_hash = $4 OR previous_token_hash = $4 OR (id = $6 AND tutor_user_id = $7)) \
         AND status = 'pending' AND expires_at > $2{still_possible} RETURNING {}",
        &SELECT["SELECT ".len()..SELECT.find(" FROM").unwrap_or(SELECT.len())]
    );
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(if accepted { "accepted" } else { "declined" })
        .bind(now)
        .bind(decline_reason)
        .bind(hash)
        .bind(now.date_naive())
        .bind(id)
        .bind(tutor_id)
        .fetch_optional(&mut *conn)
        .await?);
    Ok(row.map(from_row))
}

/// Cancels the pending proposals of pupil `pupil_id` (their request was
/// withdrawn) or of tutor `tutor_id` (they may no longer be proposed), in
/// the transaction of that change. Returns how many.
///
/// # Errors
/// The database's error.
pub async fn cancel_pending(
    tx: &mut Tx,
    pupil_id: Option<i64>,
    tutor_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE match_proposals SET status = 'cancelled', answered_at = $1 \
         WHERE status = 'pending' AND (pupil_user_id = $2 OR tutor_user_id = $3)"
    )
    .bind(now)
    .bind(pupil_id.unwrap_or(-1))
    .bind(tutor_id.unwrap_or(-1))
    .execute(&mut *conn)
    .await?
    .rows_affected()))
}

/// Makes the match of an accepted proposal, keeping the pupil's place on
/// the waiting list at that moment. Returns its id.
///
/// # Errors
/// The database's error; a unique violation when the request already has
/// an active match.
pub async fn start_match(
    tx: &mut Tx,
    proposal: &ProposalRow,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO matches (proposal_id, request_id, pupil_user_id, tutor_user_id, status, \
         started_at, requested_at) SELECT $1, $2, $3, $4, 'active', $5, r.requested_at \
         FROM help_requests r WHERE r.id = $2 RETURNING id"
    )
    .bind(proposal.id)
    .bind(proposal.request_id)
    .bind(proposal.pupil_id)
    .bind(proposal.tutor_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await)
}

/// What already holds pupils and tutors, for the pool of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Engaged {
    /// Pupils with a pending proposal or an active match.
    pub pupils: BTreeSet<i64>,
    /// Places each tutor already gives: pending proposals and active
    /// matches.
    pub load: BTreeMap<i64, u32>,
    /// (pupil, tutor) pairs that may not be proposed again: declined
    /// proposals and ended matches.
    pub spent: BTreeSet<(i64, i64)>,
}

/// Reads [`Engaged`] from the whole platform (tutors are shared between
/// scopes).
///
/// # Errors
/// The database's error.
pub async fn engaged(db: &Db) -> Result<Engaged, sqlx::Error> {
    let holding: Vec<(i64, i64)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT pupil_user_id, tutor_user_id FROM match_proposals WHERE status = 'pending' \
         UNION ALL SELECT pupil_user_id, tutor_user_id FROM matches WHERE status = 'active'"
    )
    .fetch_all(pool)
    .await?);
    let spent: Vec<(i64, i64)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT pupil_user_id, tutor_user_id FROM match_proposals WHERE status = 'declined' \
         UNION SELECT pupil_user_id, tutor_user_id FROM matches WHERE status = 'ended'"
    )
    .fetch_all(pool)
    .await?);
    let mut engaged = Engaged::default();
    for (pupil, tutor) in holding {
        engaged.pupils.insert(pupil);
        *engaged.load.entry(tutor).or_default() += 1;
    }
    engaged.spent.extend(spent);
    Ok(engaged)
}

/// Inside `tx`: whether `request_id` is still open and its pupil free (no
/// pending proposal, no active match), and how many places `tutor_id`
/// gives.
///
/// # Errors
/// The database's error.
pub async fn recheck(
    tx: &mut Tx,
    request_id: i64,
    tutor_id: i64,
) -> Result<(bool, i64), sqlx::Error> {
    let free: bool = crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM help_requests r WHERE r.id = $1 AND r.status = 'open' \
         AND NOT EXISTS (SELECT 1 FROM match_proposals p WHERE p.pupil_user_id = r.pupil_user_id AND p.status = 'pending') \
         AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.pupil_user_id = r.pupil_user_id AND m.status = 'active'))"
    )
    .bind(request_id)
    .fetch_one(&mut *conn)
    .await?
    });
    let load: i64 = crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM match_proposals WHERE tutor_user_id = $1 AND status = 'pending') \
         + (SELECT COUNT(*) FROM matches WHERE tutor_user_id = $1 AND status = 'active')"
    )
    .bind(tutor_id)
    .fetch_one(&mut *conn)
    .await?
    });
    Ok((free, load))
}

/// Pending proposals whose answer delay ran out at `now`, moved to
/// `expired` in the same statement.
///
/// # Errors
/// The database's error.
pub async fn expire(tx: &mut Tx, now: DateTime<Utc>) -> Result<Vec<ProposalRow>, sqlx::Error> {
    let sql = format!(
        "UPDATE match_proposals SET status = 'expired', answered_at = $1 \
         WHERE status = 'pending' AND expires_at <= $1 RETURNING {}",
        &SELECT["SELECT ".len()..SELECT.find(" FROM").unwrap_or(SELECT.len())]
    );
    let rows: Vec<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(now)
        .fetch_all(&mut *conn)
        .await?);
    Ok(rows.into_iter().map(from_row).collect())
}

/// Pending proposals due for their one reminder at `now`: marked reminded,
/// with a second link `new_hash(id)` (the database keeps no secret, so a
/// reminder carries a new link; the first one keeps working). A proposal
/// another instance reminded, or that was answered, meanwhile is left out.
///
/// # Errors
/// The database's error.
pub async fn remind(
    tx: &mut Tx,
    now: DateTime<Utc>,
    mut new_hash: impl FnMut(i64) -> String,
) -> Result<Vec<ProposalRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE status = 'pending' AND reminded_at IS NULL AND remind_at <= $1 \
         AND expires_at > $1 ORDER BY id"
    );
    let rows: Vec<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(now)
        .fetch_all(&mut *conn)
        .await?);
    let mut reminded = Vec::new();
    for row in rows.into_iter().map(from_row) {
        let hash = new_hash(row.id);
        let done = crate::on_tx!(tx, |conn| sqlx::query(
            "UPDATE match_proposals SET reminded_at = $1, previous_token_hash = token_hash, \
             token_hash = $2 WHERE id = $3 AND status = 'pending' AND reminded_at IS NULL"
        )
        .bind(now)
        .bind(&hash)
        .bind(row.id)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        if done == 1 {
            reminded.push(row);
        }
    }
    Ok(reminded)
}

/// An active match as one side sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchRow {
    pub id: i64,
    pub pupil_id: i64,
    pub tutor_id: i64,
    pub proposal: ProposalRow,
    pub started_at: DateTime<Utc>,
}

/// The active matches `user_id` is part of (as pupil or tutor), oldest
/// first.
///
/// # Errors
/// The database's error.
pub async fn active_matches_of(db: &Db, user_id: i64) -> Result<Vec<MatchRow>, sqlx::Error> {
    let rows: Vec<(i64, i64, DateTime<Utc>)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT id, proposal_id, started_at FROM matches \
         WHERE status = 'active' AND (pupil_user_id = $1 OR tutor_user_id = $1) ORDER BY id"
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?);
    let mut found = Vec::new();
    let sql = format!("{SELECT} WHERE id = $1");
    for (id, proposal_id, started_at) in rows {
        let row: Row = crate::on_db!(db, |pool| sqlx::query_as(&sql)
            .bind(proposal_id)
            .fetch_one(pool)
            .await?);
        let proposal = from_row(row);
        found.push(MatchRow {
            id,
            pupil_id: proposal.pupil_id,
            tutor_id: proposal.tutor_id,
            proposal,
            started_at,
        });
    }
    Ok(found)
}

/// A published proposal as coordinators follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub proposal: ProposalRow,
    pub pupil_name: String,
    pub tutor_name: String,
    pub decline_reason: Option<String>,
}

/// The newest `limit` proposals of pupils of `academies`' schools, newest
/// first.
///
/// # Errors
/// The database's error.
pub async fn published_in(
    db: &Db,
    academies: &[String],
    limit: u32,
) -> Result<Vec<Published>, sqlx::Error> {
    use sqlx::Row;
    if academies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id, p.request_id, p.pupil_user_id, p.tutor_user_id, p.subjects, p.weekday, \
         p.start_minute, p.minutes, p.time_zone, p.score, p.manual_reason, p.status, \
         p.published_at, p.expires_at, pu.first_name || ' ' || pu.last_name, \
         tu.first_name || ' ' || tu.last_name, p.decline_reason \
         FROM match_proposals p \
         JOIN pupils pp ON pp.user_id = p.pupil_user_id \
         JOIN schools s ON s.uai = pp.school_uai \
         JOIN users pu ON pu.id = p.pupil_user_id \
         JOIN users tu ON tu.id = p.tutor_user_id \
         WHERE s.academy_code IN ({}) ORDER BY p.id DESC LIMIT {limit}",
        crate::db::placeholders(academies.len())
    );
    crate::on_db!(db, |pool| {
        let mut query = sqlx::query(&sql);
        for academy in academies {
            query = query.bind(academy);
        }
        let rows = query.fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Published {
                    proposal: from_row((
                        r.try_get(0)?,
                        r.try_get(1)?,
                        r.try_get(2)?,
                        r.try_get(3)?,
                        r.try_get(4)?,
                        r.try_get(5)?,
                        r.try_get(6)?,
                        r.try_get(7)?,
                        r.try_get(8)?,
                        r.try_get(9)?,
                        r.try_get(10)?,
                        r.try_get(11)?,
                        r.try_get(12)?,
                        r.try_get(13)?,
                    )),
                    pupil_name: r.try_get(14)?,
                    tutor_name: r.try_get(15)?,
                    decline_reason: r.try_get(16)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
    })
}
