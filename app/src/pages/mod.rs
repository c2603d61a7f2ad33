//! One module per page.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod attestation;
pub mod calendar;
pub mod coordination;
pub mod coordination_needs;
pub mod dashboard;
pub mod feedback;
pub mod home;
pub mod matching;
pub mod needs;
pub mod not_found;
pub mod parent;
pub mod privacy;
pub mod profiles;
pub mod proposal;
pub mod report;
