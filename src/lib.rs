//! Factdesk: a newsroom fact-check desk.
//!
//! The code is layered, and each layer uses only the ones below it (see
//! `docs/architecture.md`; the test `layers` enforces it):
//!
//! - `http`, `cli`, `jobs`: the callers: turn a request, a command or a tick into a
//!   call of one use case;
//! - `app`: the use cases: authorization, validation, transactions, audit, emails;
//! - `db`: data access: every statement Factdesk runs;
//! - `domain`: the rules: roles and policy, the claim workflow, publication, text
//!   spans, validation; pure, with no I/O.
//!
//! Beside them, services any layer above `domain` may use: `email` (outbox and
//! templates), `publish` (public pages and ClaimReview), `reports` (export writers),
//! `suggest` (check-worthy sentences), `outbound` (guarded HTTP to
//! addresses people typed, for webhooks), `config`, `metrics`, `telemetry`.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod http;
pub mod jobs;
#[cfg(test)]
mod layers;
pub mod metrics;
pub mod outbound;
pub mod publish;
pub mod reports;
pub mod startup;
pub mod suggest;
pub mod telemetry;
