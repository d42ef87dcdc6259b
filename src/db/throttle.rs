//! The counters login throttling reads (`login_attempts`, shared by every instance),
//! and the emails sent to one address.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::schema::{email_outbox, login_attempts};
use crate::db::{Conn, lower};

/// Which attempts to count: of one account (the email as typed, any case), from one
/// address, or both.
#[derive(Clone, Copy, Debug)]
pub struct Attempts<'a> {
    pub email: Option<&'a str>,
    pub client_ip: Option<&'a str>,
}

fn filtered<'a>(
    which: Attempts<'a>,
    succeeded: bool,
    since: DateTime<Utc>,
) -> login_attempts::BoxedQuery<'a, diesel::pg::Pg> {
    let mut q = login_attempts::table
        .filter(login_attempts::succeeded.eq(succeeded))
        .filter(login_attempts::at.gt(since))
        .into_boxed();
    if let Some(email) = which.email {
        q = q.filter(lower(login_attempts::email).eq(email.trim().to_lowercase()));
    }
    if let Some(ip) = which.client_ip {
        q = q.filter(login_attempts::client_ip.eq(ip));
    }
    q
}

/// The latest success since `since`.
pub async fn last_success(
    conn: &mut Conn,
    which: Attempts<'_>,
    since: DateTime<Utc>,
) -> QueryResult<Option<DateTime<Utc>>> {
    filtered(which, true, since)
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)
        .await
}

/// How many successes since `since`.
pub async fn successes(
    conn: &mut Conn,
    which: Attempts<'_>,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    filtered(which, true, since).count().get_result(conn).await
}

/// How many failures since `since`, and the oldest of them.
pub async fn failures(
    conn: &mut Conn,
    which: Attempts<'_>,
    since: DateTime<Utc>,
) -> QueryResult<(i64, Option<DateTime<Utc>>)> {
    filtered(which, false, since)
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_attempts::at),
        ))
        .first(conn)
        .await
}

pub async fn record(
    conn: &mut Conn,
    email: &str,
    client_ip: &str,
    succeeded: bool,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email.trim().to_lowercase()),
            login_attempts::client_ip.eq(client_ip),
            login_attempts::succeeded.eq(succeeded),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Emails of `kind` to `recipient` since `since`.
pub async fn emails_sent(
    conn: &mut Conn,
    recipient: &str,
    kind: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    email_outbox::table
        .filter(lower(email_outbox::recipient).eq(recipient.trim().to_lowercase()))
        .filter(email_outbox::kind.eq(kind))
        .filter(email_outbox::created_at.gt(since))
        .count()
        .get_result(conn)
        .await
}
