//! Factdesk: a newsroom fact-check desk.

pub mod auth;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod models;
pub mod publish;
pub mod reports;
pub mod routes;
pub mod schema;
pub mod seed;
pub mod startup;
pub mod strict_json;
pub mod suggest;
pub mod telemetry;
pub mod text;
pub mod workflow;
