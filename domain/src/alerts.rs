//! Alerts for coordinators (issue 8): the rules that raise them, how they
//! are configured, and which alerts a set of present causes opens or
//! closes.
//!
//! Each rule looks at the platform as it is now:
//!
//! | kind | raised while |
//! |---|---|
//! | `missed_sessions` | the last `missed` sessions of an active pair that have an answer were all reported as not held (by either side) |
//! | `low_rating` | a side rated a session `rating` or less (once per answer) |
//! | `no_recent_session` | an active pair has held no session (one a side said took place) for `quiet` days (counted from its start) |
//! | `long_wait` | a pupil's open request has had no tutor for more than `waiting` days |
//! | `check_expiring` | an approved tutor's background check expires within `check` days |
//! | `open_report` | a report waits in the safeguarding queue |
//!
//! A coordinator acknowledges an alert with a note. An alert closes when
//! its cause is gone (a report, when a coordinator closes it); one about a
//! single event (`low_rating`) closes when acknowledged.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// What raised an alert, as stored in `alerts.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    MissedSessions,
    LowRating,
    NoRecentSession,
    LongWait,
    CheckExpiring,
    OpenReport,
}

impl Kind {
    /// Every kind, in the order coordinators read them.
    pub const ALL: [Kind; 6] = [
        Kind::OpenReport,
        Kind::MissedSessions,
        Kind::LowRating,
        Kind::NoRecentSession,
        Kind::LongWait,
        Kind::CheckExpiring,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Kind::MissedSessions => "missed_sessions",
            Kind::LowRating => "low_rating",
            Kind::NoRecentSession => "no_recent_session",
            Kind::LongWait => "long_wait",
            Kind::CheckExpiring => "check_expiring",
            Kind::OpenReport => "open_report",
        }
    }

    /// The kind whose [`code`](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Whether the alert is about one event, closed by its acknowledgement
    /// and never raised again (the others close when their cause is gone).
    pub fn closes_when_acknowledged(self) -> bool {
        self == Kind::LowRating
    }
}

/// The thresholds of the rules, from the setting `BINOME_ALERT_RULES`
/// (see [`Rules::parse`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Missed sessions in a row that raise `missed_sessions` (1–10).
    pub missed: u8,
    /// The highest rating (1–5 scale) that raises `low_rating` (1–4).
    pub rating: u8,
    /// Days without a held session that raise `no_recent_session` (1–90).
    pub quiet_days: u16,
    /// Days of waiting that raise `long_wait` (1–90).
    pub waiting_days: u16,
    /// Days before a background check's expiry that raise
    /// `check_expiring` (1–180).
    pub check_days: u16,
}

impl Default for Rules {
    /// The rules of issue 8: two missed in a row, a rating of 1 or 2, 14
    /// days without a session, more than 7 days of waiting, a check
    /// expiring within 30 days.
    fn default() -> Rules {
        Rules {
            missed: 2,
            rating: 2,
            quiet_days: 14,
            waiting_days: 7,
            check_days: 30,
        }
    }
}

impl Rules {
    /// Reads `missed=2,rating=2,quiet=14,waiting=7,check=30` (spaces
    /// allowed around each part): the thresholds given replace the
    /// defaults; an empty text keeps them all.
    ///
    /// # Errors
    /// The part that is wrong, in words: an unknown name, a value that is
    /// not a whole number, or out of its range (see the fields).
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules::default();
        for part in crate::settings::parts(text, None)? {
            match part.name {
                "missed" => rules.missed = u8::try_from(part.within(1, 10, None)?).unwrap_or(2),
                "rating" => rules.rating = u8::try_from(part.within(1, 4, None)?).unwrap_or(2),
                "quiet" => rules.quiet_days = part.within(1, 90, None)?,
                "waiting" => rules.waiting_days = part.within(1, 90, None)?,
                "check" => rules.check_days = part.within(1, 180, None)?,
                other => {
                    return Err(format!(
                        "`{other}`: not one of missed, rating, quiet, waiting, check"
                    ))
                }
            }
        }
        Ok(rules)
    }

    /// `missed_sessions`: `answers` are a pair's sessions that have ended,
    /// in order of start, each `Some(held)` when a side answered (not held
    /// when either side said so) and `None` when nobody did. Raised when
    /// the last [`missed`](Self::missed) answered ones were all not held.
    pub fn missed_sessions(&self, answers: &[Option<bool>]) -> bool {
        let answered: Vec<bool> = answers.iter().filter_map(|a| *a).collect();
        let n = usize::from(self.missed);
        answered.len() >= n && answered[answered.len() - n..].iter().all(|held| !held)
    }

    /// `low_rating`: a rating of [`rating`](Self::rating) or less.
    pub fn low_rating(&self, rating: u8) -> bool {
        rating <= self.rating
    }

    /// `no_recent_session`: a pair that started at `started_at` and last
    /// held a session ending at `last_held` (if ever) has held none for
    /// more than [`quiet_days`](Self::quiet_days) at `now`.
    pub fn no_recent_session(
        &self,
        started_at: DateTime<Utc>,
        last_held: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> bool {
        let since = last_held.map_or(started_at, |held| held.max(started_at));
        now - since > Duration::days(i64::from(self.quiet_days))
    }

    /// `long_wait`: a request made at `requested_at` has waited more than
    /// [`waiting_days`](Self::waiting_days) at `now`.
    pub fn long_wait(&self, requested_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - requested_at > Duration::days(i64::from(self.waiting_days))
    }

    /// `check_expiring`: a check valid until `expires_on` (included)
    /// expires within [`check_days`](Self::check_days) of `today`.
    pub fn check_expiring(&self, expires_on: NaiveDate, today: NaiveDate) -> bool {
        expires_on < today + Duration::days(i64::from(self.check_days))
    }
}

/// A present cause of an alert: its kind, what it is about (`subject`, a
/// stable key such as `match:12`), and the académie whose coordinators
/// see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cause {
    pub kind: Kind,
    pub subject: String,
    pub academy: String,
}

/// An alert as stored: its cause, and whether it is still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub cause: Cause,
    pub open: bool,
}

/// What to change so that the alerts follow `causes`: the causes to raise
/// (no open alert has them; for one event, no alert ever had them) and
/// the open alerts to close (their cause is gone), by id. Both sorted.
/// `alerts` must hold the open ones and every one-event alert.
pub fn reconcile(causes: &[Cause], alerts: &[Stored]) -> (Vec<Cause>, Vec<i64>) {
    use std::collections::BTreeSet;
    let present: BTreeSet<&Cause> = causes.iter().collect();
    let open: BTreeSet<&Cause> = alerts.iter().filter(|a| a.open).map(|a| &a.cause).collect();
    let ever: BTreeSet<&Cause> = alerts.iter().map(|a| &a.cause).collect();
    let raise: BTreeSet<Cause> = causes
        .iter()
        .filter(|cause| {
            if cause.kind.closes_when_acknowledged() {
                !ever.contains(cause)
            } else {
                !open.contains(cause)
            }
        })
        .cloned()
        .collect();
    let mut close: Vec<i64> = alerts
        .iter()
        .filter(|a| a.open && !present.contains(&a.cause))
        .map(|a| a.id)
        .collect();
    close.sort_unstable();
    (raise.into_iter().collect(), close)
}

#[cfg(test)]
mod tests;
