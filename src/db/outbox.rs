//! The email outbox: a row per email, written in the transaction of its cause, sent
//! by the worker.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::email_outbox;
use crate::domain::page::Cursor;

/// An email to write: rendered, with its kind and (for scheduled emails) its key.
pub struct NewEmail<'a> {
    pub recipient: &'a str,
    pub cc: &'a [String],
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub kind: &'a str,
    pub dedupe_key: Option<&'a str>,
}

/// Writes the row; `None` when an email with the same dedupe key exists already.
pub async fn insert(conn: &mut Conn, email: NewEmail<'_>) -> QueryResult<Option<Uuid>> {
    diesel::insert_into(email_outbox::table)
        .values((
            email_outbox::recipient.eq(email.recipient),
            email_outbox::cc.eq(email.cc),
            email_outbox::reply_to.eq(email.reply_to),
            email_outbox::subject.eq(email.subject),
            email_outbox::text_body.eq(email.text_body),
            email_outbox::html_body.eq(email.html_body),
            email_outbox::kind.eq(email.kind),
            email_outbox::dedupe_key.eq(email.dedupe_key),
        ))
        .on_conflict(email_outbox::dedupe_key)
        .do_nothing()
        .returning(email_outbox::id)
        .get_result(conn)
        .await
        .optional()
}

pub async fn dedupe_key_exists(conn: &mut Conn, key: &str) -> QueryResult<bool> {
    let n: i64 = email_outbox::table
        .filter(email_outbox::dedupe_key.eq(key))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// A row as admins see it (never the bodies).
#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = email_outbox)]
pub struct OutboxView {
    pub id: Uuid,
    pub recipient: String,
    pub cc: Vec<String>,
    pub subject: String,
    pub kind: String,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// Which rows: not yet sent, sent, or given up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Sent,
    Failed,
}

pub async fn list(
    conn: &mut Conn,
    state: Option<State>,
    before: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<OutboxView>> {
    let mut query = email_outbox::table
        .select(OutboxView::as_select())
        .into_boxed();
    match state {
        None => {}
        Some(State::Pending) => {
            query = query
                .filter(email_outbox::sent_at.is_null())
                .filter(email_outbox::failed_at.is_null())
        }
        Some(State::Sent) => query = query.filter(email_outbox::sent_at.is_not_null()),
        Some(State::Failed) => query = query.filter(email_outbox::failed_at.is_not_null()),
    }
    if let Some(c) = before {
        query = query.filter(
            email_outbox::created_at
                .lt(c.at)
                .or(email_outbox::created_at
                    .eq(c.at)
                    .and(email_outbox::id.lt(c.id))),
        );
    }
    query
        .order((email_outbox::created_at.desc(), email_outbox::id.desc()))
        .limit(limit + 1)
        .load(conn)
        .await
}

/// Starts a failed email's attempts over; `None` when it is not failed (or missing).
pub async fn retry(conn: &mut Conn, id: Uuid) -> QueryResult<Option<OutboxView>> {
    diesel::update(
        email_outbox::table
            .find(id)
            .filter(email_outbox::failed_at.is_not_null()),
    )
    .set((
        email_outbox::failed_at.eq(None::<DateTime<Utc>>),
        email_outbox::attempts.eq(0),
        email_outbox::next_attempt_at.eq(diesel::dsl::now),
    ))
    .returning(OutboxView::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn exists(conn: &mut Conn, id: Uuid) -> QueryResult<bool> {
    let n: i64 = email_outbox::table
        .find(id)
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// A row the sender takes.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = email_outbox)]
pub struct OutboxRow {
    pub id: Uuid,
    pub recipient: String,
    pub cc: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
}

/// Up to `limit` due rows, locked; rows another sender holds are skipped.
pub async fn take_due(conn: &mut Conn, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    email_outbox::table
        .filter(email_outbox::sent_at.is_null())
        .filter(email_outbox::failed_at.is_null())
        .filter(email_outbox::next_attempt_at.le(diesel::dsl::now))
        .order(email_outbox::next_attempt_at.asc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

pub async fn mark_sent(conn: &mut Conn, id: Uuid, attempts: i32) -> QueryResult<()> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::sent_at.eq(diesel::dsl::now),
            email_outbox::attempts.eq(attempts),
            email_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Records a failed attempt: try again at `next`, or never (`failed`).
pub async fn mark_attempt_failed(
    conn: &mut Conn,
    id: Uuid,
    attempts: i32,
    error: &str,
    next: DateTime<Utc>,
    failed: bool,
) -> QueryResult<()> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::attempts.eq(attempts),
            email_outbox::last_error.eq(error),
            email_outbox::next_attempt_at.eq(next),
            email_outbox::failed_at.eq(failed.then(Utc::now)),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Rows by state, and the age of the oldest due row, for the metrics.
#[derive(QueryableByName)]
pub struct Counts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub pending: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub sent: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub failed: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    pub oldest_due_seconds: Option<f64>,
}

pub async fn counts(conn: &mut Conn) -> QueryResult<Counts> {
    diesel::sql_query(
        "SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS pending, \
                count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent, \
                count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed, \
                extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()))::float8 AS oldest_due_seconds \
         FROM email_outbox",
    )
    .get_result(conn)
    .await
}
