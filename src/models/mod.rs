//! Diesel row types and the queries that belong to one table.

pub mod audit;
pub mod claim;
pub mod sketch;
pub mod user;
