//! Delivering the email outbox: the SMTP (or file) transport, the MIME
//! message made from an outbox row, the background worker, and the
//! administrator's commands.
//!
//! Queueing is the application's side (`app::mail::outbox`); this is the
//! server's.

pub mod admin;
pub mod message;
pub mod transport;
pub mod worker;

pub use transport::Transport;
pub use worker::{Worker, WorkerSettings};
