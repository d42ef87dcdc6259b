//! Who is calling and what they may do.

pub mod password;
