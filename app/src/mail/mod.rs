//! Email: addresses as typed, and (on the server) the templates and the
//! outbox every notification goes through.
//!
//! Sending an email is queueing it with [`outbox::enqueue`] inside the
//! transaction of the change that causes it; the server's mail worker
//! delivers it later, retrying until the mail server takes it.

pub mod address;
pub mod console;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod template;

pub use address::{AddressError, EmailAddress, HeaderText};

use serde::{Deserialize, Serialize};

/// The email an administrator sends to check that the platform can send
/// email (template `templates/email/test.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestEmail {
    /// Who asked for it, as shown in the email (a name, or the command line
    /// and its host).
    pub requested_by: String,
}

#[cfg(feature = "ssr")]
impl template::EmailTemplate for TestEmail {
    const KIND: &'static str = "test";
}

impl TestEmail {
    /// Sample data, for rendering the template in tests.
    pub fn sample() -> TestEmail {
        TestEmail {
            requested_by: "Camille Durand".into(),
        }
    }
}
