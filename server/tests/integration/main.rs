//! The integration tests of the server, in one binary (one link instead of
//! one per file): each module drives the real router and database through
//! `common` (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`).

mod common;

mod accounts;
mod alerts;
mod attestation;
mod authorization;
mod dashboard;
mod database;
mod demo;
mod exports;
mod feedback;
mod fuzz_corpus;
mod hostile;
mod http;
mod mail;
mod match_cli;
mod match_end;
mod matching;
mod needs;
mod privacy;
mod profiles;
mod proposals;
mod schools;
mod second_factor;
mod sessions;
mod startup;
