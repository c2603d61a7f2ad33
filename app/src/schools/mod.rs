//! Schools (établissements), identified by their UAI, and the national
//! school directory they are imported from.

#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod search;

use std::fmt;

use serde::{Deserialize, Serialize};

/// The letters of a UAI check key, in order: the alphabet without I, O and Q.
const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// A UAI (*Unité administrative immatriculée*), the official identifier of
/// a French school: 7 digits then a check letter, e.g. `0090002D`. The
/// letter is the 7-digit number modulo 23, as an index into
/// `ABCDEFGHJKLMNPRSTUVWXYZ` (Ministry of Education, *Répertoire national
/// des établissements*).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uai(String);

/// Why a text is not a UAI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UaiError {
    /// Not 7 digits and a letter.
    #[error("a UAI is 7 digits and a letter, e.g. 0090002D")]
    Format,
    /// The letter does not match the digits (a typing mistake).
    #[error("the check letter of this UAI is wrong")]
    CheckLetter,
}

impl UaiError {
    /// The locale key of the message shown to the user.
    pub fn message_key(self) -> &'static str {
        match self {
            UaiError::Format => "errors.uai.format",
            UaiError::CheckLetter => "errors.uai.check_letter",
        }
    }
}

impl Uai {
    /// Parses a typed UAI; surrounding spaces are ignored and the letter may
    /// be lowercase.
    ///
    /// # Errors
    /// [`UaiError`] saying what is wrong.
    pub fn parse(typed: &str) -> Result<Uai, UaiError> {
        let typed = typed.trim();
        let bytes = typed.as_bytes();
        if bytes.len() != 8
            || !bytes[..7].iter().all(u8::is_ascii_digit)
            || !bytes[7].is_ascii_alphabetic()
        {
            return Err(UaiError::Format);
        }
        let number: u32 = typed[..7].parse().map_err(|_| UaiError::Format)?;
        let expected = CHECK_LETTERS[(number % 23) as usize];
        if bytes[7].to_ascii_uppercase() != expected {
            return Err(UaiError::CheckLetter);
        }
        Ok(Uai(typed.to_ascii_uppercase()))
    }

    /// The UAI, uppercase.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Uai {
    type Error = UaiError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Uai::parse(&value)
    }
}

impl From<Uai> for String {
    fn from(uai: Uai) -> String {
        uai.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_uais_pass_and_their_letter_is_checked() {
        // From the ministry's directory: Foix, Toulouse, Montpellier.
        for uai in ["0090002D", "0090003E", "0310024H", "0340039H"] {
            assert_eq!(Uai::parse(uai).map(String::from), Ok(uai.to_owned()));
        }
        assert_eq!(
            Uai::parse(" 0090002d ").map(String::from),
            Ok("0090002D".to_owned())
        );
        assert_eq!(Uai::parse("0090002E"), Err(UaiError::CheckLetter));
        for bad in [
            "",
            "009002D",
            "00900022D",
            "0090002",
            "A0090002",
            "009O002D",
            "0090002-",
        ] {
            assert_eq!(Uai::parse(bad), Err(UaiError::Format), "{bad:?}");
        }
    }

    #[test]
    fn the_check_letter_skips_i_o_and_q() {
        // 0000008 % 23 = 8 → the 9th letter, J (I is skipped);
        // 0000013 % 23 = 13 → P (O skipped); 0000014 → R (Q skipped).
        assert!(Uai::parse("0000008J").is_ok());
        assert!(Uai::parse("0000013P").is_ok());
        assert!(Uai::parse("0000014R").is_ok());
        assert!(Uai::parse("0000022Z").is_ok());
        assert!(Uai::parse("0000023A").is_ok());
    }

    #[test]
    fn every_uai_of_the_shared_directory_passes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/lycees-occitanie.csv"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            panic!("{path} is readable");
        };
        let mut count = 0;
        for line in text.lines().skip(1) {
            let uai = line.split(',').next().unwrap_or_default();
            assert!(Uai::parse(uai).is_ok(), "{uai}");
            count += 1;
        }
        assert_eq!(count, 556);
    }

    // proptest draws its seeds from the OS: not in the browser build.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_text_is_a_uai_or_an_error_and_never_a_panic(text in "\\PC{0,12}|[0-9]{7}.{0,3}") {
            if let Ok(uai) = Uai::parse(&text) {
                proptest::prop_assert_eq!(uai.as_str(), text.trim().to_ascii_uppercase());
            }
        }

        #[test]
        fn seven_digits_and_their_letter_are_a_uai_and_no_other_letter_is(
            number in 0u32..10_000_000,
            other in 0usize..23,
            lower in proptest::bool::ANY,
        ) {
            // The ministry's 23 letters (no I, O or Q), written out again.
            let letters: Vec<char> = "ABCDEFGHJKLMNPRSTUVWXYZ".chars().collect();
            let right = letters[(number % 23) as usize];
            let typed = if lower { right.to_ascii_lowercase() } else { right };
            let uai = Uai::parse(&format!(" {number:07}{typed} "));
            proptest::prop_assert_eq!(
                uai.map(String::from),
                Ok(format!("{number:07}{right}"))
            );
            if letters[other] != right {
                let wrong = format!("{number:07}{}", letters[other]);
                proptest::prop_assert_eq!(Uai::parse(&wrong), Err(UaiError::CheckLetter));
            }
        }
    }
}
