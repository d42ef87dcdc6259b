//! What signing in rests on: password hashing off the async threads, session tokens,
//! one-time tokens, the session check of every request, login throttling, and the
//! answers to password-reset requests.

pub mod one_time;
pub mod password;
pub mod reset;
pub mod sessions;
pub mod throttle;
pub mod token;
