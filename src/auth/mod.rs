//! Who is calling and what they may do: passwords, tokens, sessions, the role policy,
//! one-time tokens and login throttling.

pub mod one_time;
pub mod password;
pub mod policy;
pub mod reset;
pub mod role;
pub mod session;
pub mod throttle;
pub mod token;
