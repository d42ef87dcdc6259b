//! Login throttling with its counters in PostgreSQL (`login_attempts`), shared by every
//! instance. It slows guessing down; it never locks anyone out for good, and never
//! locks an account out of the addresses its owner uses (see [`check_login`]).

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

/// What a login attempt may do, by the counters of the window.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginGate {
    /// Go ahead, after waiting this long (zero unless the account is under attack).
    Proceed(std::time::Duration),
}

/// The throttle's rules, so that an attacker who knows a colleague's email cannot lock
/// the colleague out:
/// - one account from one address: `login_per_account` failures, then 429 for that
///   pair until the window has passed since the oldest (a success from that address
///   starts the count again);
/// - one address across accounts: `login_per_client` failures, then 429 for the address;
/// - one account from everywhere: past `login_slowdown_after` failures each attempt waits
///   longer (doubling, up to `login_slowdown_max`), but is never refused; an address the
///   account signed in from successfully within 30 days does not wait.
///
/// Every rule reads only the counters of the email as typed, so an unknown email is
/// throttled exactly as a real one and the answers cannot tell them apart.
pub async fn check_login(
    conn: &mut AsyncPgConnection,
    limits: &Limits,
    email: &str,
    client_ip: &str,
) -> Result<LoginGate, AppError> {
    let window = window(limits);
    let since = Utc::now() - window;
    let email = email.trim().to_lowercase();

    // The pair: failures since the window began or since the pair's last success.
    let pair_success: Option<DateTime<Utc>> = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::client_ip.eq(client_ip))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::at.gt(since))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)
        .await?;
    let cutoff = pair_success.map_or(since, |t| t.max(since));
    let (failures, oldest): (i64, Option<DateTime<Utc>>) = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::client_ip.eq(client_ip))
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

    // The account from everywhere: slower, never locked.
    let account_success: Option<DateTime<Utc>> = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::at.gt(since))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)
        .await?;
    let cutoff = account_success.map_or(since, |t| t.max(since));
    let failures: i64 = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(cutoff))
        .count()
        .get_result(conn)
        .await?;
    if failures < limits.login_slowdown_after {
        return Ok(LoginGate::Proceed(std::time::Duration::ZERO));
    }
    let known_address: i64 = login_attempts::table
        .filter(lower(login_attempts::email).eq(&email))
        .filter(login_attempts::client_ip.eq(client_ip))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::at.gt(Utc::now() - chrono::Duration::days(TRUSTED_ADDRESS_DAYS)))
        .count()
        .get_result(conn)
        .await?;
    if known_address > 0 {
        return Ok(LoginGate::Proceed(std::time::Duration::ZERO));
    }
    Ok(LoginGate::Proceed(slowdown(
        limits,
        failures - limits.login_slowdown_after,
    )))
}

/// How long an address that never signed in to the account stays trusted for it.
pub const TRUSTED_ADDRESS_DAYS: i64 = 30;

/// The wait after `excess` failures past the slowdown threshold: 250 ms, doubling.
pub fn slowdown(limits: &Limits, excess: i64) -> std::time::Duration {
    let step = std::time::Duration::from_millis(250);
    let factor = 2u32.saturating_pow(excess.clamp(0, 16) as u32);
    (step * factor).min(limits.login_slowdown_max)
}

/// Records an attempt; returns the pair's failures in the window after a failure (to
/// audit a streak), 0 after a success.
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
        .filter(login_attempts::client_ip.eq(client_ip))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_wide_wait_doubles_up_to_its_cap() {
        let limits = Limits::default();
        assert_eq!(slowdown(&limits, 0).as_millis(), 250);
        assert_eq!(slowdown(&limits, 2).as_millis(), 1000);
        assert_eq!(slowdown(&limits, 40), limits.login_slowdown_max);
    }
}
