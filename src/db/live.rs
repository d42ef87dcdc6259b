//! Live events (see `domain::live`): written beside the audit row, in the change's own
//! transaction; the table's trigger NOTIFYs channel `factdesk_live` with the row as
//! JSON, which PostgreSQL delivers on commit to every instance that LISTENs. Rows are
//! kept for the resume window and then pruned.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Jsonb, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::live_events;
use crate::domain::live::{Audience, Reach};

/// The channel the trigger notifies.
pub const CHANNEL: &str = "factdesk_live";

/// Events a resume replays at most; a client further behind starts afresh.
pub const REPLAY_LIMIT: i64 = 2000;

#[derive(Queryable, Selectable, Deserialize, Clone, Debug)]
#[diesel(table_name = live_events)]
pub struct LiveEventRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    pub version: Option<i32>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub claim_id: Option<Uuid>,
    pub article_id: Option<Uuid>,
    pub audience: String,
    pub reviewer_ids: Vec<Uuid>,
    pub user_id: Option<Uuid>,
    pub detail: Option<Value>,
}

/// One event to write.
pub struct NewLiveEvent<'a> {
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub action: &'a str,
    pub actor_id: Option<Uuid>,
    pub claim_id: Option<Uuid>,
    /// The article, when the event is about one and no claim says which.
    pub article_id: Option<Uuid>,
    pub reach: Reach,
    /// Reviewers who receive it beside those the reach finds (one just unassigned).
    pub also_reviewers: Vec<Uuid>,
    pub user_id: Option<Uuid>,
    pub detail: Option<Value>,
}

/// Writes one event; the claim's or article's version, the actor's name and the
/// reviewers it reaches are read in the same statement, as the change left them.
pub async fn emit(conn: &mut Conn, event: NewLiveEvent<'_>) -> QueryResult<()> {
    let (audience, reach) = match event.reach {
        Reach::Claim => (Audience::Desk, "claim"),
        Reach::Article => (Audience::Desk, "article"),
        Reach::Fixed(audience) => (audience, "none"),
    };
    diesel::sql_query(
        "WITH art AS (SELECT COALESCE((SELECT article_id FROM claims WHERE id = $5), $6) AS id) \
         INSERT INTO live_events (entity, entity_id, action, version, actor_id, actor_name, \
             claim_id, article_id, audience, reviewer_ids, user_id, detail) \
         SELECT $1, $2, $3, \
             COALESCE((SELECT version FROM claims WHERE id = $5), \
                      (SELECT version FROM articles WHERE id = art.id)), \
             $4, (SELECT display_name FROM users WHERE id = $4), $5, art.id, $7, \
             ARRAY(SELECT DISTINCT r FROM unnest( \
                 CASE $8 \
                     WHEN 'claim' THEN ARRAY(SELECT reviewer_id FROM assignments WHERE claim_id = $5) \
                     WHEN 'article' THEN ARRAY(SELECT a.reviewer_id FROM assignments a \
                         JOIN claims c ON c.id = a.claim_id WHERE c.article_id = art.id) \
                     ELSE '{}'::uuid[] END || $9) AS r), \
             $10, $11 \
         FROM art",
    )
    .bind::<Text, _>(event.entity)
    .bind::<diesel::sql_types::Uuid, _>(event.entity_id)
    .bind::<Text, _>(event.action)
    .bind::<Nullable<diesel::sql_types::Uuid>, _>(event.actor_id)
    .bind::<Nullable<diesel::sql_types::Uuid>, _>(event.claim_id)
    .bind::<Nullable<diesel::sql_types::Uuid>, _>(event.article_id)
    .bind::<Text, _>(audience.as_str())
    .bind::<Text, _>(reach)
    .bind::<Array<diesel::sql_types::Uuid>, _>(event.also_reviewers)
    .bind::<Nullable<diesel::sql_types::Uuid>, _>(event.user_id)
    .bind::<Nullable<Jsonb>, _>(event.detail)
    .execute(conn)
    .await
    .map(drop)
}

/// What a resume from `after` replays: the events since, oldest first, and whether
/// some may be missing (pruned, or more than the replay limit), when the client must
/// refetch everything instead.
pub async fn since(conn: &mut Conn, after: i64) -> QueryResult<(Vec<LiveEventRow>, bool)> {
    let oldest: Option<i64> = live_events::table
        .select(diesel::dsl::min(live_events::id))
        .first(conn)
        .await?;
    let rows: Vec<LiveEventRow> = live_events::table
        .filter(live_events::id.gt(after))
        .order(live_events::id)
        .limit(REPLAY_LIMIT + 1)
        .select(LiveEventRow::as_select())
        .load(conn)
        .await?;
    let pruned = oldest.is_some_and(|o| o > after + 1);
    let too_many = rows.len() as i64 > REPLAY_LIMIT;
    Ok((rows, pruned || too_many))
}

/// The newest event's id (0 when there is none).
pub async fn latest_id(conn: &mut Conn) -> QueryResult<i64> {
    let id: Option<i64> = live_events::table
        .select(diesel::dsl::max(live_events::id))
        .first(conn)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Deletes events older than `keep`; returns how many.
pub async fn prune(conn: &mut Conn, keep: Duration) -> QueryResult<usize> {
    let cutoff = Utc::now() - chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::MAX);
    diesel::delete(live_events::table.filter(live_events::at.lt(cutoff)))
        .execute(conn)
        .await
}

/// A connection of its own that LISTENs on the channel, outside any pool.
pub struct Listener {
    conn: AsyncPgConnection,
}

impl Listener {
    pub async fn connect(database_url: &str) -> anyhow::Result<Self> {
        let mut conn = AsyncPgConnection::establish(database_url).await?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
        Ok(Self { conn })
    }

    /// The next event committed anywhere, or `None` when `idle` passed without one
    /// (the caller then checks the connection). An error means the connection is gone.
    pub async fn next(&mut self, idle: Duration) -> anyhow::Result<Option<LiveEventRow>> {
        let mut stream = std::pin::pin!(self.conn.notifications_stream());
        match tokio::time::timeout(idle, stream.next()).await {
            Err(_) => Ok(None),
            Ok(None) => anyhow::bail!("the listening connection closed"),
            Ok(Some(notification)) => {
                let n = notification?;
                Ok(Some(serde_json::from_str(&n.payload)?))
            }
        }
    }

    /// A round trip, to learn that a quiet connection still works.
    pub async fn ping(&mut self) -> anyhow::Result<()> {
        self.conn.batch_execute("SELECT 1").await?;
        Ok(())
    }
}
