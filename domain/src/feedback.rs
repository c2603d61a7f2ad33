//! Feedback after each session (issue 8): what each side of a match is
//! asked once a session has ended, the rules its answers follow, and how
//! long it may be given.
//!
//! Both sides say whether the session took place. When it did, both rate
//! it from 1 to 5; the tutor says what was worked on, the pupil how
//! confident they now feel in the subject, from 1 to 5. A comment is
//! optional. Answers that belong to the other side, or that make no sense
//! for a session that did not take place, are not kept.

use chrono::{DateTime, Duration, Utc};

/// How long after a session's end feedback may be given or corrected, in
/// days.
pub const FEEDBACK_DAYS: i64 = 14;

/// The longest "what was worked on", in characters.
pub const WORKED_ON_MAX_CHARS: usize = 500;

/// The longest comment, in characters.
pub const COMMENT_MAX_CHARS: usize = 1000;

/// Which side of the match answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Pupil,
    Tutor,
}

impl Side {
    /// The code stored in `session_feedback.side`.
    pub fn code(self) -> &'static str {
        match self {
            Side::Pupil => "pupil",
            Side::Tutor => "tutor",
        }
    }
}

/// The answers as typed in the form, every field text (empty: not given).
#[derive(Clone, Copy, Debug, Default)]
pub struct Form<'a> {
    /// `yes` or `no`.
    pub took_place: &'a str,
    /// `1` to `5`.
    pub rating: &'a str,
    /// The tutor's.
    pub worked_on: &'a str,
    /// The pupil's, `1` to `5`.
    pub confidence: &'a str,
    pub comment: &'a str,
}

/// Checked answers, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    pub took_place: bool,
    /// 1–5, when it took place.
    pub rating: Option<u8>,
    /// The pupil's, 1–5, when it took place.
    pub confidence: Option<u8>,
    /// The tutor's, trimmed, when it took place.
    pub worked_on: Option<String>,
    /// Trimmed; `None` when empty.
    pub comment: Option<String>,
}

/// A field of [`Form`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    TookPlace,
    Rating,
    WorkedOn,
    Confidence,
    Comment,
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Neither `yes` nor `no`.
    TookPlace,
    /// Missing, or not a whole number from 1 to 5.
    Scale,
    /// Missing where it is asked.
    Missing,
    /// Longer than its limit.
    TooLong,
}

/// Checks `form`, answered by `side`. Text is trimmed, its line breaks
/// counted and kept as one character (`\n`).
///
/// # Errors
/// Every field that is wrong, with what is wrong, in the order of
/// [`Field`].
pub fn check(side: Side, form: Form<'_>) -> Result<Answers, Vec<(Field, Problem)>> {
    let mut problems = Vec::new();
    let took_place = match form.took_place.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            problems.push((Field::TookPlace, Problem::TookPlace));
            None
        }
    };
    let held = took_place == Some(true);
    let scale = |text: &str| match text.trim().parse::<u8>() {
        Ok(value @ 1..=5) => Some(value),
        _ => None,
    };
    let rating = if held {
        let rating = scale(form.rating);
        if rating.is_none() {
            problems.push((Field::Rating, Problem::Scale));
        }
        rating
    } else {
        None
    };
    let worked_on_text = one_line_break(form.worked_on);
    let worked_on = if held && side == Side::Tutor {
        let text = worked_on_text.trim();
        if text.is_empty() {
            problems.push((Field::WorkedOn, Problem::Missing));
        } else if text.chars().count() > WORKED_ON_MAX_CHARS {
            problems.push((Field::WorkedOn, Problem::TooLong));
        }
        Some(text.to_owned())
    } else {
        None
    };
    let confidence = if held && side == Side::Pupil {
        let confidence = scale(form.confidence);
        if confidence.is_none() {
            problems.push((Field::Confidence, Problem::Scale));
        }
        confidence
    } else {
        None
    };
    let comment = one_line_break(form.comment);
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX_CHARS {
        problems.push((Field::Comment, Problem::TooLong));
    }
    match took_place {
        Some(took_place) if problems.is_empty() => Ok(Answers {
            took_place,
            rating,
            confidence,
            worked_on,
            comment: (!comment.is_empty()).then(|| comment.to_owned()),
        }),
        _ => Err(problems),
    }
}

/// `text` with every `\r\n` (what a form posted without JavaScript sends
/// for a line break) as `\n`, as the browser counts it against `maxlength`.
fn one_line_break(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Whether a session that has ended, neither cancelled nor skipped, was
/// held, by the sides' `answers` (`Some(true)` took place, `Some(false)`
/// did not, `None` no answer): a side said it took place and neither said
/// it did not. What the attestation, the exports and the dashboard count.
pub fn held(answers: &[Option<bool>]) -> bool {
    answers.contains(&Some(true)) && !answers.contains(&Some(false))
}

/// Whether such a session was missed: a side said it did not take place.
pub fn missed(answers: &[Option<bool>]) -> bool {
    answers.contains(&Some(false))
}

/// Whether feedback on a session that ends at `ends_at` may be given at
/// `now`: from its end, for [`FEEDBACK_DAYS`] days.
pub fn open(ends_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    ends_at <= now && now < ends_at + Duration::days(FEEDBACK_DAYS)
}

#[cfg(test)]
mod tests;
