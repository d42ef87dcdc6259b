//! Login throttling with its counters in PostgreSQL (`login_attempts`), shared by every
//! instance. It slows guessing down; it never locks anyone out for good: a window after
//! the last failure, the account works again, and a success resets its counter.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::config::Limits;
use crate::error::AppError;
use crate::schema::{email_outbox, login_attempts};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

fn window(limits: &Limits) -> chrono::Duration {
    chrono::Duration::from_std(limits.login_window).unwrap_or(chrono::Duration::minutes(15))
}

fn retry_after(oldest: Option<DateTime<Utc>>, window: chrono::Duration) -> u64 {
    let until = oldest.map_or(window, |t| t + window - Utc::now());
    until.num_seconds().max(1) as u64
}

/// 429 with `Retry-After` when the account or the client address has failed too often.
pub async fn check_login(
    conn: &mut AsyncPgConnection,
    limits: &Limits,
    email: &str,
    client_ip: &str,
) -> Result<(), AppError> {
    let window = window(limits);
    let since = Utc::now() - window;
    let email = email.trim().to_lowercase();

    let last_success: Option<DateTime<Utc>> = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::at.gt(since))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)
        .await?;
    let cutoff = last_success.map_or(since, |t| t.max(since));
    let (failures, oldest): (i64, Option<DateTime<Utc>>) = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(cutoff))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_attempts::at),
        ))
        .first(conn)
        .await?;
    if failures >= limits.login_per_account {
        return Err(AppError::TooManyRequests {
            retry_after_secs: retry_after(oldest, window),
        });
    }

    let (failures, oldest): (i64, Option<DateTime<Utc>>) = login_attempts::table
        .filter(login_attempts::client_ip.eq(client_ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_attempts::at),
        ))
        .first(conn)
        .await?;
    if failures >= limits.login_per_client {
        return Err(AppError::TooManyRequests {
            retry_after_secs: retry_after(oldest, window),
        });
    }
    Ok(())
}

/// Records an attempt; returns the account's failures in the window after a failure
/// (to audit a streak), 0 after a success.
pub async fn record_login(
    conn: &mut AsyncPgConnection,
    limits: &Limits,
    email: &str,
    client_ip: &str,
    succeeded: bool,
) -> QueryResult<i64> {
    let email = email.trim().to_lowercase();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(&email),
            login_attempts::client_ip.eq(client_ip),
            login_attempts::succeeded.eq(succeeded),
        ))
        .execute(conn)
        .await?;
    if succeeded {
        return Ok(0);
    }
    let since = Utc::now() - window(limits);
    login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .count()
        .get_result(conn)
        .await
}

/// Whether another email of `kind` may go to `recipient` now (invitations and resets
/// are throttled per address, so nobody can flood an inbox through us).
pub async fn email_allowed(
    conn: &mut AsyncPgConnection,
    limits: &Limits,
    recipient: &str,
    kind: &str,
) -> QueryResult<bool> {
    let since = Utc::now()
        - chrono::Duration::from_std(limits.email_window).unwrap_or(chrono::Duration::hours(1));
    let sent: i64 = email_outbox::table
        .filter(lower(email_outbox::recipient).eq(recipient.trim().to_lowercase()))
        .filter(email_outbox::kind.eq(kind))
        .filter(email_outbox::created_at.gt(since))
        .count()
        .get_result(conn)
        .await?;
    Ok(sent < limits.emails_per_address)
}
