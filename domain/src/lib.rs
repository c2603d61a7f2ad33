//! Binôme's pure domain logic. Nothing here reads a clock, a file, a
//! database or a request: every function is given what it needs, so it is
//! tested (and benchmarked) on its own. See `PRODUCT.md`, "Architecture".

pub mod alerts;
pub mod attestation;
pub mod availability;
pub mod dashboard;
pub mod feedback;
pub mod match_end;
pub mod matching;
pub mod retention;
pub mod sessions;
pub mod settings;
pub mod time_zones;
