//! Login throttling, with its counters in PostgreSQL so every instance shares them. It
//! slows guessing down; it never locks anyone out for good, and never locks an account
//! out of the addresses its owner uses (see [`check_login`]).

use chrono::{DateTime, Utc};

use crate::app::error::AppError;
use crate::config::Limits;
use crate::db::Conn;
use crate::db::throttle::{self as counters, Attempts};

fn window(limits: &Limits) -> chrono::Duration {
    chrono::Duration::from_std(limits.login_window).unwrap_or(chrono::Duration::minutes(15))
}

fn retry_after(oldest: Option<DateTime<Utc>>, window: chrono::Duration) -> u64 {
    let until = oldest.map_or(window, |t| t + window - Utc::now());
    until.num_seconds().max(1) as u64
}

/// How long an address the account signed in from stays trusted for it.
pub const TRUSTED_ADDRESS_DAYS: i64 = 30;

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
/// Returns how long this attempt must wait. Every rule reads only the counters of the
/// email as typed, so an unknown email is throttled exactly as a real one and the
/// answers cannot tell them apart.
pub async fn check_login(
    conn: &mut Conn,
    limits: &Limits,
    email: &str,
    client_ip: &str,
) -> Result<std::time::Duration, AppError> {
    let window = window(limits);
    let since = Utc::now() - window;
    let pair = Attempts {
        email: Some(email),
        client_ip: Some(client_ip),
    };
    let pair_success = counters::last_success(conn, pair, since).await?;
    let (failures, oldest) =
        counters::failures(conn, pair, pair_success.map_or(since, |t| t.max(since))).await?;
    if failures >= limits.login_per_account {
        return Err(AppError::TooManyRequests {
            retry_after_secs: retry_after(oldest, window),
        });
    }

    let address = Attempts {
        email: None,
        client_ip: Some(client_ip),
    };
    let (failures, oldest) = counters::failures(conn, address, since).await?;
    if failures >= limits.login_per_client {
        return Err(AppError::TooManyRequests {
            retry_after_secs: retry_after(oldest, window),
        });
    }

    let account = Attempts {
        email: Some(email),
        client_ip: None,
    };
    let account_success = counters::last_success(conn, account, since).await?;
    let (failures, _) = counters::failures(
        conn,
        account,
        account_success.map_or(since, |t| t.max(since)),
    )
    .await?;
    if failures < limits.login_slowdown_after {
        return Ok(std::time::Duration::ZERO);
    }
    let trusted = counters::successes(
        conn,
        pair,
        Utc::now() - chrono::Duration::days(TRUSTED_ADDRESS_DAYS),
    )
    .await?;
    if trusted > 0 {
        return Ok(std::time::Duration::ZERO);
    }
    Ok(slowdown(limits, failures - limits.login_slowdown_after))
}

/// The wait after `excess` failures past the slowdown threshold: 250 ms, doubling.
pub fn slowdown(limits: &Limits, excess: i64) -> std::time::Duration {
    let step = std::time::Duration::from_millis(250);
    let factor = 2u32.saturating_pow(excess.clamp(0, 16) as u32);
    (step * factor).min(limits.login_slowdown_max)
}

/// Records an attempt; returns the pair's failures in the window after a failure (to
/// audit a streak), 0 after a success.
pub async fn record_login(
    conn: &mut Conn,
    limits: &Limits,
    email: &str,
    client_ip: &str,
    succeeded: bool,
) -> diesel::QueryResult<i64> {
    counters::record(conn, email, client_ip, succeeded).await?;
    if succeeded {
        return Ok(0);
    }
    let pair = Attempts {
        email: Some(email),
        client_ip: Some(client_ip),
    };
    Ok(counters::failures(conn, pair, Utc::now() - window(limits))
        .await?
        .0)
}

/// Whether another email of `kind` may go to `recipient` now (invitations and resets
/// are throttled per address, so nobody can flood an inbox through us).
pub async fn email_allowed(
    conn: &mut Conn,
    limits: &Limits,
    recipient: &str,
    kind: &str,
) -> diesel::QueryResult<bool> {
    let since = Utc::now()
        - chrono::Duration::from_std(limits.email_window).unwrap_or(chrono::Duration::hours(1));
    Ok(counters::emails_sent(conn, recipient, kind, since).await? < limits.emails_per_address)
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
