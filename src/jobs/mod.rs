//! Background work each instance runs beside the web server: the email sender (which
//! also answers queued password-reset requests), the scheduler of reminders, overdue
//! notices and digests, and the webhook sender. Jobs call `app` and `db` like any
//! other caller; they hold no rule of their own beyond when to run.

pub mod email;
pub mod scheduler;
pub mod webhooks;
