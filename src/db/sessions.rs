//! Sessions: a JWT names one; the row decides whether it still works.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{sessions, users};
use crate::domain::role::Role;

pub async fn insert(
    conn: &mut Conn,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
    user_agent: Option<&str>,
) -> QueryResult<Uuid> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::expires_at.eq(expires_at),
            sessions::user_agent.eq(user_agent),
        ))
        .returning(sessions::id)
        .get_result(conn)
        .await
}

/// A live session's user: (user id, email, role, the session's last use).
pub async fn live(
    conn: &mut Conn,
    session_id: Uuid,
    user_id: Uuid,
    idle_since: DateTime<Utc>,
) -> QueryResult<Option<(Uuid, String, Role, DateTime<Utc>)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .filter(sessions::last_seen_at.gt(idle_since))
        .filter(users::active.eq(true))
        .select((users::id, users::email, users::role, sessions::last_seen_at))
        .first(conn)
        .await
        .optional()
}

pub async fn touch(conn: &mut Conn, session_id: Uuid) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_seen_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn revoke(conn: &mut Conn, session_id: Uuid) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
        .map(drop)
}
