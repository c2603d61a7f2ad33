//! People's names as they type them.

/// Longest first or last name, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// Why a typed name was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    /// Control characters, or no letter at all.
    Invalid,
}

impl NameError {
    /// The locale key of the message shown next to the field.
    pub fn message_key(self) -> &'static str {
        match self {
            NameError::Empty => "errors.name.empty",
            NameError::TooLong => "errors.name.too_long",
            NameError::Invalid => "errors.name.invalid",
        }
    }
}

/// A first or last name, kept as typed apart from surrounding spaces and
/// runs of inner spaces: accents, apostrophes, hyphens and every script are
/// welcome (`Zoé N'Diaye-Lefèvre`, `Nguyễn`, `李`). It must hold a letter
/// and no control or invisible formatting character, and be at most
/// [`NAME_MAX_CHARS`] characters.
///
/// # Errors
/// [`NameError`] saying what is wrong.
pub fn parse_name(typed: &str) -> Result<String, NameError> {
    let name = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(NameError::TooLong);
    }
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    if name.chars().any(invisible) || !name.chars().any(char::is_alphabetic) {
        return Err(NameError::Invalid);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_as_typed() {
        for name in [
            "Zoé N'Diaye-Lefèvre",
            "Nguyễn",
            "李",
            "O’Connor",
            "Anne-Sophie",
            "<b>Léa</b>",
        ] {
            assert_eq!(parse_name(name), Ok(name.to_owned()));
        }
        assert_eq!(parse_name("  Jean   Marc "), Ok("Jean Marc".to_owned()));
    }

    #[test]
    fn empty_long_and_invisible_names_are_refused() {
        assert_eq!(parse_name(" \t "), Err(NameError::Empty));
        assert_eq!(parse_name(&"a".repeat(101)), Err(NameError::TooLong));
        assert_eq!(parse_name(&"é".repeat(100)), Ok("é".repeat(100)));
        assert_eq!(parse_name("Léa\u{202E}"), Err(NameError::Invalid));
        assert_eq!(parse_name("Léa\u{0007}"), Err(NameError::Invalid));
        assert_eq!(parse_name("1234 -"), Err(NameError::Invalid));
    }
}
