//! Ending a match (binôme) (issue 8): the coded reasons, who may end it,
//! and whether the pupil goes back to the waiting list.
//!
//! Either side or a coordinator of the pupil's académie ends a match with
//! one of the [`Reason`]s and, when they wish, a note for the coordinators.
//! The pupil goes back to the waiting list, their waiting time kept, unless
//! the pupil (or a coordinator) says they no longer need help, by the
//! reason or by unticking "back to the waiting list": a tutor cannot take
//! a pupil's place in the list away from them.

/// The longest note, in characters (a line break counts as one).
pub const NOTE_MAX_CHARS: usize = 500;

/// Why a match ended, as stored in `matches.end_reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The pupil reached what they came for.
    GoalReached,
    /// The pupil no longer needs help.
    NoLongerNeeded,
    /// One side no longer has the time.
    NoLongerAvailable,
    /// The two do not get on, or work badly together.
    Incompatibility,
    /// A concern for someone's safety: coordinators are told as for a
    /// report, and the reason is not told to the other side.
    Safeguarding,
    /// Anything else: a note is then required.
    Other,
}

impl Reason {
    /// Every reason, in the order the form lists them.
    pub const ALL: [Reason; 6] = [
        Reason::GoalReached,
        Reason::NoLongerNeeded,
        Reason::NoLongerAvailable,
        Reason::Incompatibility,
        Reason::Safeguarding,
        Reason::Other,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Reason::GoalReached => "goal_reached",
            Reason::NoLongerNeeded => "no_longer_needed",
            Reason::NoLongerAvailable => "no_longer_available",
            Reason::Incompatibility => "incompatibility",
            Reason::Safeguarding => "safeguarding",
            Reason::Other => "other",
        }
    }

    /// The reason whose [`code`](Self::code) is `code` (surrounding spaces
    /// ignored); `None` for anything else.
    pub fn from_code(code: &str) -> Option<Reason> {
        let code = code.trim();
        Reason::ALL.into_iter().find(|reason| reason.code() == code)
    }

    /// Whether the other side is told this reason (safeguarding is not:
    /// the concern may be about them).
    pub fn told_to_other_side(self) -> bool {
        self != Reason::Safeguarding
    }
}

/// Who ends the match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndedBy {
    Pupil,
    Tutor,
    Coordinator,
}

impl EndedBy {
    /// The code written in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            EndedBy::Pupil => "pupil",
            EndedBy::Tutor => "tutor",
            EndedBy::Coordinator => "coordinator",
        }
    }
}

/// The form as posted, every field text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Form<'a> {
    /// A [`Reason`] code.
    pub reason: &'a str,
    /// Optional, except with [`Reason::Other`].
    pub note: &'a str,
    /// The checkbox "back to the waiting list": any non-empty value is
    /// ticked. Read for the pupil and coordinators only, and only with a
    /// reason that leaves the pupil in need of help.
    pub back_to_pool: &'a str,
}

/// A checked ending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ending {
    pub reason: Reason,
    /// Trimmed, line breaks as `\n`; `None` when empty.
    pub note: Option<String>,
    /// Whether the pupil's request stays open (their waiting time kept).
    pub back_to_pool: bool,
}

/// A field of [`Form`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Reason,
    Note,
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not one of the [`Reason`] codes.
    UnknownReason,
    /// Required with [`Reason::Other`] and empty.
    Missing,
    /// Over [`NOTE_MAX_CHARS`].
    TooLong,
}

/// Checks `form`, posted by `by`.
///
/// The pupil goes back to the waiting list when the tutor ends the match,
/// whatever the form says. When the pupil or a coordinator ends it: not
/// with [`Reason::GoalReached`] or [`Reason::NoLongerNeeded`], otherwise
/// as the checkbox says.
///
/// # Errors
/// Every field that is wrong, in the order of [`Field`].
pub fn check(by: EndedBy, form: Form<'_>) -> Result<Ending, Vec<(Field, Problem)>> {
    let mut problems = Vec::new();
    let reason = Reason::from_code(form.reason);
    if reason.is_none() {
        problems.push((Field::Reason, Problem::UnknownReason));
    }
    let note = form.note.replace("\r\n", "\n");
    let note = note.trim();
    if note.is_empty() && reason == Some(Reason::Other) {
        problems.push((Field::Note, Problem::Missing));
    } else if note.chars().count() > NOTE_MAX_CHARS {
        problems.push((Field::Note, Problem::TooLong));
    }
    let back_to_pool = match by {
        EndedBy::Tutor => true,
        EndedBy::Pupil | EndedBy::Coordinator => {
            !matches!(reason, Some(Reason::GoalReached | Reason::NoLongerNeeded))
                && !form.back_to_pool.trim().is_empty()
        }
    };
    match reason {
        Some(reason) if problems.is_empty() => Ok(Ending {
            reason,
            note: (!note.is_empty()).then(|| note.to_owned()),
            back_to_pool,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests;
