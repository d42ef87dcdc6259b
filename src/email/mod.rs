//! Email: every message is first a row in `email_outbox`, written in the same
//! transaction as its cause; templates are files under `templates/email/`.

pub mod outbox;
pub mod templates;
pub mod transport;

pub use outbox::{Email, enqueue};
pub use templates::render;
