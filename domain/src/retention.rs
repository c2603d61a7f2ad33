//! How long personal data is kept (issue 10; GDPR art. 5(1)(e), storage
//! limitation), and what the daily retention job does with an account
//! or a text once its time is up.
//!
//! The durations come from the setting `BINOME_RETENTION` (see
//! [`Policy::parse`]); the privacy notice and the administrators' register
//! are written from the same values.
//!
//! | setting | default | what |
//! |---|---|---|
//! | `inactive` | 548 days (a school year and a half) | an account of a pupil, tutor or parent with no activity for this long is warned by email |
//! | `notice` | 30 days | after the warning, without activity, the account is erased (anonymised) |
//! | `comments` | 365 days | free texts about sessions and pairs (feedback comments, what was worked on, reasons, notes of an ending) are emptied this long after they were written |
//! | `reports` | 1,095 days (3 years) | the text of a closed safeguarding report is emptied this long after it was closed |
//! | `emails` | 90 days | emails sent (or given up) are deleted this long after |
//!
//! Activity is the latest of: signing up, signing in, giving feedback, a
//! session held in one of the account's pairs. An account with an active
//! pair, or a parent whose child's account is kept, is never warned.

use chrono::{DateTime, Duration, Utc};

/// The durations, in days, from `BINOME_RETENTION`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Days without activity before the warning (180–1,825).
    pub inactive_days: u16,
    /// Days between the warning and the erasure (7–90).
    pub notice_days: u16,
    /// Days free texts about sessions and pairs are kept (30–1,825).
    pub comments_days: u16,
    /// Days the text of a closed report is kept (365–3,650).
    pub reports_days: u16,
    /// Days sent emails are kept (7–365).
    pub emails_days: u16,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            inactive_days: 548,
            notice_days: 30,
            comments_days: 365,
            reports_days: 1095,
            emails_days: 90,
        }
    }
}

/// What to do with an account now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing.
    Keep,
    /// Send the warning: it will be erased on this day unless used.
    Warn { erase_after: DateTime<Utc> },
    /// Erase it: warned long enough ago, unused since.
    Erase,
}

impl Policy {
    /// Reads `inactive=548,notice=30,comments=365,reports=1095,emails=90`
    /// (spaces allowed around each part): the durations given replace the
    /// defaults; an empty text keeps them all.
    ///
    /// # Errors
    /// The part that is wrong, in words: an unknown name, a value that is
    /// not a whole number, or out of its range (see the fields).
    pub fn parse(text: &str) -> Result<Policy, String> {
        let mut policy = Policy::default();
        let days = Some("days");
        for part in crate::settings::parts(text, days)? {
            match part.name {
                "inactive" => policy.inactive_days = part.within(180, 1825, days)?,
                "notice" => policy.notice_days = part.within(7, 90, days)?,
                "comments" => policy.comments_days = part.within(30, 1825, days)?,
                "reports" => policy.reports_days = part.within(365, 3650, days)?,
                "emails" => policy.emails_days = part.within(7, 365, days)?,
                other => {
                    return Err(format!(
                        "`{other}`: not one of inactive, notice, comments, reports, emails"
                    ))
                }
            }
        }
        Ok(policy)
    }

    /// The step for an account last active at `last_active`, warned at
    /// `warned_at` (if ever), at `now`. A warning counts only when no
    /// activity followed it.
    pub fn account_step(
        &self,
        last_active: DateTime<Utc>,
        warned_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Step {
        let notice = days(self.notice_days);
        match warned_at {
            Some(warned) if warned >= last_active => {
                if now - warned >= notice {
                    Step::Erase
                } else {
                    Step::Keep
                }
            }
            _ if now - last_active >= days(self.inactive_days) => Step::Warn {
                erase_after: now + notice,
            },
            _ => Step::Keep,
        }
    }

    /// Free texts about sessions and pairs written before this are emptied.
    pub fn comments_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - days(self.comments_days)
    }

    /// Reports closed before this lose their text.
    pub fn reports_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - days(self.reports_days)
    }

    /// Emails sent or given up before this are deleted.
    pub fn emails_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - days(self.emails_days)
    }
}

fn days(count: u16) -> Duration {
    Duration::days(i64::from(count))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0)
            .single()
            .expect("a day")
    }

    #[test]
    fn the_defaults_are_a_school_year_and_a_half_then_a_month() {
        let policy = Policy::default();
        // 1.5 × 365 days, rounded up.
        assert_eq!(policy.inactive_days, 548);
        assert_eq!(policy.notice_days, 30);
        assert_eq!(Policy::parse(""), Ok(policy));
    }

    #[test]
    fn settings_replace_the_defaults_and_wrong_ones_are_named() {
        let policy = Policy::parse(" inactive = 365 , emails=30").expect("valid");
        assert_eq!(policy.inactive_days, 365);
        assert_eq!(policy.emails_days, 30);
        assert_eq!(policy.notice_days, 30);
        assert_eq!(
            Policy::parse("inactive=10"),
            Err("`inactive=10`: from 180 to 1825 days".into())
        );
        assert_eq!(
            Policy::parse("notice=x"),
            Err("`notice=x`: not a whole number of days".into())
        );
        assert!(Policy::parse("forever=1").is_err_and(|e| e.contains("not one of")));
        assert!(Policy::parse("inactive").is_err());
    }

    #[test]
    fn an_account_is_warned_after_its_inactive_time_then_erased_after_the_notice() {
        let policy = Policy::default();
        let last = at(2025, 1, 10);
        // 547 days later: kept; 548: warned, to be erased 30 days on.
        assert_eq!(
            policy.account_step(last, None, last + days(547)),
            Step::Keep
        );
        let warned = last + days(548);
        assert_eq!(
            policy.account_step(last, None, warned),
            Step::Warn {
                erase_after: warned + days(30)
            }
        );
        // Warned: kept during the notice, erased at its end.
        assert_eq!(
            policy.account_step(last, Some(warned), warned + days(29)),
            Step::Keep
        );
        assert_eq!(
            policy.account_step(last, Some(warned), warned + days(30)),
            Step::Erase
        );
        // Used after the warning: the warning no longer counts.
        let back = warned + days(3);
        assert_eq!(
            policy.account_step(back, Some(warned), warned + days(40)),
            Step::Keep
        );
    }

    #[test]
    fn cutoffs_are_the_durations_before_now() {
        let policy = Policy::parse("comments=30,reports=365,emails=7").expect("valid");
        let now = at(2027, 3, 31);
        assert_eq!(policy.comments_cutoff(now), at(2027, 3, 1));
        assert_eq!(policy.reports_cutoff(now), at(2026, 3, 31));
        assert_eq!(policy.emails_cutoff(now), at(2027, 3, 24));
    }
}
