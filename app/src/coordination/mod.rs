//! Coordinators supervise the pupils and tutors of their académies: they
//! record background checks and approve, refuse or suspend tutors.
//! Administrators create coordinators (by invitation email) and read the
//! audit log. Every action here is written to the audit log in its own
//! transaction.
//!
//! Scope: a coordinator sees the pupils of schools in their académies and
//! the tutors who chose one of them, nothing else; outside it, objects
//! answer as if they did not exist.

pub mod admin;
pub mod api;
#[cfg(feature = "ssr")]
pub mod exports;
pub mod needs;
