//! Right-of-reply attempts, per claim.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{claim_replies, users};
use crate::domain::replies::{Attempt, Channel};

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = claim_replies)]
pub struct Reply {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub contacted_at: DateTime<Utc>,
    pub channel: Channel,
    pub contacted_by: Uuid,
    pub contact: Option<String>,
    pub asked: String,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub no_reply_by: Option<DateTime<Utc>>,
    pub publish: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl Reply {
    pub fn attempt(&self) -> Attempt {
        Attempt {
            contacted_at: self.contacted_at,
            channel: self.channel,
            contact: self.contact.clone(),
            asked: self.asked.clone(),
            reply: self.reply.clone(),
            replied_at: self.replied_at,
            no_reply_by: self.no_reply_by,
            publish: self.publish,
        }
    }
}

/// The attempts on these claims, oldest first, with the name of who made each.
pub async fn of_claims(conn: &mut Conn, claim_ids: &[Uuid]) -> QueryResult<Vec<(Reply, String)>> {
    claim_replies::table
        .inner_join(users::table.on(users::id.eq(claim_replies::contacted_by)))
        .filter(claim_replies::claim_id.eq_any(claim_ids))
        .order((claim_replies::contacted_at.asc(), claim_replies::id.asc()))
        .select((Reply::as_select(), users::display_name))
        .load(conn)
        .await
}

/// One attempt on a claim, locked for update when `lock`.
pub async fn find(
    conn: &mut Conn,
    claim_id: Uuid,
    id: Uuid,
    lock: bool,
) -> QueryResult<Option<Reply>> {
    let q = claim_replies::table
        .filter(claim_replies::claim_id.eq(claim_id))
        .filter(claim_replies::id.eq(id))
        .select(Reply::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

pub async fn count(conn: &mut Conn, claim_id: Uuid) -> QueryResult<i64> {
    claim_replies::table
        .filter(claim_replies::claim_id.eq(claim_id))
        .count()
        .get_result(conn)
        .await
}

pub async fn insert(
    conn: &mut Conn,
    claim_id: Uuid,
    contacted_by: Uuid,
    created_by: Uuid,
    a: &Attempt,
) -> QueryResult<Reply> {
    diesel::insert_into(claim_replies::table)
        .values((
            claim_replies::claim_id.eq(claim_id),
            claim_replies::contacted_at.eq(a.contacted_at),
            claim_replies::channel.eq(a.channel),
            claim_replies::contacted_by.eq(contacted_by),
            claim_replies::contact.eq(a.contact.as_deref()),
            claim_replies::asked.eq(&a.asked),
            claim_replies::reply.eq(a.reply.as_deref()),
            claim_replies::replied_at.eq(a.replied_at),
            claim_replies::no_reply_by.eq(a.no_reply_by),
            claim_replies::publish.eq(a.publish),
            claim_replies::created_by.eq(created_by),
        ))
        .returning(Reply::as_returning())
        .get_result(conn)
        .await
}

pub async fn update(
    conn: &mut Conn,
    id: Uuid,
    contacted_by: Uuid,
    a: &Attempt,
) -> QueryResult<Reply> {
    diesel::update(claim_replies::table.find(id))
        .set((
            claim_replies::contacted_at.eq(a.contacted_at),
            claim_replies::channel.eq(a.channel),
            claim_replies::contacted_by.eq(contacted_by),
            claim_replies::contact.eq(a.contact.as_deref()),
            claim_replies::asked.eq(&a.asked),
            claim_replies::reply.eq(a.reply.as_deref()),
            claim_replies::replied_at.eq(a.replied_at),
            claim_replies::no_reply_by.eq(a.no_reply_by),
            claim_replies::publish.eq(a.publish),
            claim_replies::updated_at.eq(diesel::dsl::now),
            claim_replies::version.eq(claim_replies::version + 1),
        ))
        .returning(Reply::as_returning())
        .get_result(conn)
        .await
}
