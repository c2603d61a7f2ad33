//! Passwords: what a new one must be, and how it is kept.
//!
//! Rules after NIST SP 800-63B §3.1.1.2 and OWASP ASVS 4.0 §2.1: at least
//! [`MIN_CHARS`] characters, long ones and pasted ones accepted (up to
//! [`MAX_CHARS`]), no composition rules, and passwords that are common or
//! easy to guess refused. Guessability is estimated by zxcvbn (Wheeler,
//! "zxcvbn: Low-Budget Password Strength Estimation", USENIX Security 2016),
//! whose dictionaries hold the most common passwords; the person's own
//! names and address count as guessable too.
//!
//! Storage: argon2id with the OWASP Password Storage Cheat Sheet's
//! parameters (m = 19 456 KiB, t = 2, p = 1), as a PHC string. Hashing and
//! verifying take tens of milliseconds of CPU, so they run on tokio's
//! blocking threads, never on the async runtime.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub use super::{PASSWORD_MAX_CHARS as MAX_CHARS, PASSWORD_MIN_CHARS as MIN_CHARS};
/// The zxcvbn score a new password needs: `Two` means more than 10⁶
/// guesses, which leaves out the common passwords and trivial patterns
/// (`azertyuiop`, `12345678`, `password1`).
pub const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Two;
/// Characters given to zxcvbn, whose cost grows faster than linearly: a
/// prefix this long that is guessable makes the password guessable enough.
const SCORED_CHARS: usize = 64;

/// Words of the platform itself, guessable in any of its passwords.
const PLATFORM_WORDS: &[&str] = &["binome", "binôme", "tutorat", "tuteur", "eleve", "élève"];

/// Why a new password was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// Common, or easy to guess from the person's details.
    TooGuessable,
}

impl PasswordProblem {
    /// The locale key of the message shown next to the field.
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "errors.password.too_short",
            PasswordProblem::TooLong => "errors.password.too_long",
            PasswordProblem::TooGuessable => "errors.password.too_guessable",
        }
    }
}

/// Checks a new password against the rules above. `personal` holds what an
/// attacker would try first: the person's names and email address.
///
/// # Errors
/// The first [`PasswordProblem`] found.
pub fn check_new(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let scored: String = password.chars().take(SCORED_CHARS).collect();
    let mut context: Vec<&str> = PLATFORM_WORDS.to_vec();
    for item in personal {
        context.push(item);
        // The local part and the domain of an address, separately.
        context.extend(item.split(['@', '.']).filter(|part| part.len() > 2));
    }
    if zxcvbn::zxcvbn(&scored, &context).score() < MIN_SCORE {
        return Err(PasswordProblem::TooGuessable);
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    // Constant, valid parameters: `Params::new` only fails on out-of-range ones.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hashing failure: the blocking thread pool is gone (the server is
/// stopping) or argon2 refused its input (a bug).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of
/// `password`, with a fresh random salt.
///
/// # Errors
/// [`HashError`].
pub async fn hash(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// A hash of a password nobody knows, verified when an account has none (or
/// does not exist) so that the answer takes as long as a real check.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Whether `password` matches `stored` (a PHC string). With `stored` absent
/// the work is done anyway and the answer is `false`. A stored string that
/// does not parse never matches.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let (phc, real) = match stored {
            Some(phc) => (phc, true),
            None => (DUMMY_HASH.clone(), false),
        };
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        let matches = hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        real && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert_eq!(check_new("kR7#qz!", &[]), Err(PasswordProblem::TooShort));
        // 8 characters, 16 bytes: long enough.
        assert_eq!(check_new("été→ŝœüж", &[]), Ok(()));
        // Only the first 64 characters are scored.
        let long: String = "cheval correct agrafe batterie trombone "
            .chars()
            .chain(std::iter::repeat('x'))
            .take(MAX_CHARS)
            .collect();
        assert_eq!(long.chars().count(), MAX_CHARS);
        assert_eq!(check_new(&long, &[]), Ok(()));
        assert_eq!(
            check_new(&format!("{long}x"), &[]),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for common in [
            "password",
            "12345678",
            "azertyuiop",
            "motdepasse",
            "iloveyou1",
            "qwerty123",
            "aaaaaaaa",
            "binome2026",
        ] {
            assert_eq!(
                check_new(common, &[]),
                Err(PasswordProblem::TooGuessable),
                "{common}"
            );
        }
        assert_eq!(
            check_new("lefevre2009", &["Zoé", "Lefèvre", "zoe.lefevre@exemple.fr"]),
            Err(PasswordProblem::TooGuessable)
        );
    }

    #[test]
    fn passphrases_and_pasted_passwords_are_accepted() {
        for good in [
            "cheval correct agrafe batterie",
            "x8#Lq2!vZr9$",
            "Tr0mbone-à-coulisse",
        ] {
            assert_eq!(check_new(good, &["Zoé", "Lefèvre"]), Ok(()), "{good}");
        }
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_owasp_parameters_and_verify() {
        let phc = hash("cheval correct agrafe".into()).await.expect("hashes");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("cheval correct agrafe".into(), Some(phc.clone())).await);
        assert!(!verify("cheval correct agrafé".into(), Some(phc.clone())).await);
        assert!(!verify("cheval correct agrafe".into(), None).await);
        assert!(!verify("x".into(), Some("not a hash".into())).await);
        let again = hash("cheval correct agrafe".into()).await.expect("hashes");
        assert_ne!(phc, again, "each hash has its own salt");
    }
}
