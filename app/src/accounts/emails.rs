//! The emails of the account journeys (templates in `templates/email/`).

use serde::Serialize;

use crate::mail::template::EmailTemplate;

/// Sent at sign-up: the link that confirms the address (`confirm_email.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfirmEmail {
    pub first_name: String,
    /// The path of the link, secret included.
    pub link_path: String,
}

impl EmailTemplate for ConfirmEmail {
    const KIND: &'static str = "confirm_email";
}

/// Sent when someone signs up with an address that already has an account:
/// the owner learns of it, the person signing up learns nothing
/// (`account_exists.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountExists {
    pub first_name: String,
}

impl EmailTemplate for AccountExists {
    const KIND: &'static str = "account_exists";
}

/// Sent on "forgot password": the link to choose a new one
/// (`reset_password.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResetPassword {
    pub first_name: String,
    pub link_path: String,
}

impl EmailTemplate for ResetPassword {
    const KIND: &'static str = "reset_password";
}

/// Sample data of every kind, for rendering the templates in tests.
pub fn samples() -> (ConfirmEmail, AccountExists, ResetPassword) {
    (
        ConfirmEmail {
            first_name: "Zoé".into(),
            link_path: "/inscription/confirmer?jeton=abc".into(),
        },
        AccountExists {
            first_name: "Zoé".into(),
        },
        ResetPassword {
            first_name: "Zoé".into(),
            link_path: "/mot-de-passe/nouveau?jeton=abc".into(),
        },
    )
}

/// To a new coordinator or administrator: the link to choose a password
/// (`invitation.jinja`). Valid 7 days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub first_name: String,
    /// The locale key of the role they are invited as.
    pub role_key: String,
    pub link_path: String,
}

impl EmailTemplate for Invitation {
    const KIND: &'static str = "invitation";
}

/// To a coordinator or administrator whose second factor an administrator
/// (or the command line) removed: their next sign-in adds a new one
/// (`second_factor_reset.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecondFactorReset {
    pub first_name: String,
}

impl EmailTemplate for SecondFactorReset {
    const KIND: &'static str = "second_factor_reset";
}
