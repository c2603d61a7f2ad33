//! Pieces shared by several pages.

pub mod error_message;
pub mod form;
pub mod header;
pub mod language_switch;
