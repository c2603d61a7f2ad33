//! How a pupil and a tutor meet: online, in person, or either; and the
//! languages a tutor can tutor in.

use serde::{Deserialize, Serialize};

/// How sessions take place. For a tutor's offer, what they can do; for a
/// pupil's help request, what they prefer (`Both`: either suits them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Online,
    /// In person: at the pupil's school for a pupil; within a distance of a
    /// meeting school for a tutor.
    InPerson,
    Both,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Online, Mode::InPerson, Mode::Both];

    /// The code stored in the database and posted by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Online => "online",
            Mode::InPerson => "in_person",
            Mode::Both => "both",
        }
    }

    pub fn parse(code: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.as_str() == code)
    }

    /// Whether sessions may be in person.
    pub fn in_person(self) -> bool {
        self != Mode::Online
    }

    /// Whether a tutor offering `self` suits a pupil asking for `asked`:
    /// either accepts both, or they ask for the same.
    pub fn suits(self, asked: Mode) -> bool {
        self == Mode::Both || asked == Mode::Both || self == asked
    }

    /// The locale key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Mode::Online => "meeting.mode.online",
            Mode::InPerson => "meeting.mode.in_person",
            Mode::Both => "meeting.mode.both",
        }
    }
}

/// The languages a tutor may tutor in: ISO 639-1 codes (ISO 639-3 `oci`
/// has the 639-1 code `oc`), with their locale keys.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("fr", "meeting.language.fr"),
    ("en", "meeting.language.en"),
    ("es", "meeting.language.es"),
    ("de", "meeting.language.de"),
    ("it", "meeting.language.it"),
    ("pt", "meeting.language.pt"),
    ("ar", "meeting.language.ar"),
    ("oc", "meeting.language.oc"),
];

/// The locale key of language `code`, if it is one of [`LANGUAGES`].
pub fn language_key(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, key)| *key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_round_trip_and_only_online_excludes_meeting() {
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(Mode::parse("hybrid"), None);
        assert!(!Mode::Online.in_person());
        assert!(Mode::InPerson.in_person() && Mode::Both.in_person());
        assert!(Mode::Both.suits(Mode::InPerson) && Mode::Online.suits(Mode::Both));
        assert!(Mode::InPerson.suits(Mode::InPerson));
        assert!(!Mode::Online.suits(Mode::InPerson) && !Mode::InPerson.suits(Mode::Online));
        assert_eq!(language_key("oc"), Some("meeting.language.oc"));
        assert_eq!(language_key("xx"), None);
    }
}
