//! Pure rules and types: no I/O, no database, no HTTP. The claim workflow and the
//! verdict's states, who may do what, where a claim sits in its article, what
//! publishing would do, and the checks of what people type. Everything above asks
//! these; nothing here asks anything above.

pub mod agreement;
pub mod claim_figure;
pub mod evidence;
pub mod figures;
pub mod live;
pub mod notifications;
pub mod page;
pub mod policy;
pub mod publication;
pub mod replies;
pub mod role;
pub mod spans;
pub mod text;
pub mod time;
pub mod validation;
pub mod webhooks;
pub mod workflow;
