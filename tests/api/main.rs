//! One integration-test binary: every test starts the real server on port 0 against
//! its own database, cloned from a migrated template.

mod auth;
mod authz;
mod bad_input;
mod claims;
mod cli;
mod demo;
mod email;
mod errors;
mod fixtures;
mod hardening;
mod health;
mod helpers;
mod live;
mod migrations;
mod notifications;
mod publishing;
mod reviews;
mod similar;
mod smtp;
mod suggestions;
mod users;
mod verdicts;
mod webhooks;
