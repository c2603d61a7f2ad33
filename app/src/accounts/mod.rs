//! Accounts: who someone is (a [`Role`]), how they sign up, confirm their
//! address, sign in and out, and reset a forgotten password.
//!
//! The server functions are in [`api`]; the pieces they are built from run
//! on the server only: [`password`] (rules and argon2id), [`token`]
//! (single-use emailed links), [`users`] (the `users` table),
//! [`login_session`] (who is signed in, in the database-backed session) and
//! [`rate_limit`].

pub mod api;
pub mod names;

#[cfg(feature = "ssr")]
pub mod actor;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod login_session;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod rate_limit;
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod token;
#[cfg(feature = "ssr")]
pub mod users;

use serde::{Deserialize, Serialize};

/// Fewest characters of a new password (see [`password`] for the rules).
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Most characters of a password: long passphrases are welcome; this only
/// bounds the hashing work.
pub const PASSWORD_MAX_CHARS: usize = 1024;

/// What an account is for. Pupils and tutors sign up themselves; parents
/// are invited by their child's sign-up; coordinators and administrators
/// are created by an administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Pupil,
    Tutor,
    Parent,
    Coordinator,
    Administrator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Pupil,
        Role::Tutor,
        Role::Parent,
        Role::Coordinator,
        Role::Administrator,
    ];

    /// The name stored in the database and sent in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Pupil => "pupil",
            Role::Tutor => "tutor",
            Role::Parent => "parent",
            Role::Coordinator => "coordinator",
            Role::Administrator => "administrator",
        }
    }

    /// The role named `name` (see [`Role::as_str`]).
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// The locale key of the role's name in the interface.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Pupil => "accounts.role.pupil",
            Role::Tutor => "accounts.role.tutor",
            Role::Parent => "accounts.role.parent",
            Role::Coordinator => "accounts.role.coordinator",
            Role::Administrator => "accounts.role.administrator",
        }
    }

    /// Whether people may create an account of this role themselves.
    pub fn may_sign_up(self) -> bool {
        matches!(self, Role::Pupil | Role::Tutor)
    }
}

/// The signed-in person, as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Pupil"), None);
        assert_eq!(Role::parse(""), None);
        let self_service: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may_sign_up()).collect();
        assert_eq!(self_service, vec![Role::Pupil, Role::Tutor]);
    }
}
