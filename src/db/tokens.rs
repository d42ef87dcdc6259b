//! One-time tokens, stored only as their SHA-256 hashes: invitations and password
//! resets; and the password-reset requests the worker answers.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{invitations, password_reset_requests, password_resets, users};
use crate::db::users::User;

/// Which kind of one-time token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    Reset,
}

pub async fn insert_invitation(
    conn: &mut Conn,
    user_id: Uuid,
    created_by: Uuid,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(invitations::table)
        .values((
            invitations::user_id.eq(user_id),
            invitations::token_hash.eq(hash),
            invitations::created_by.eq(created_by),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn insert_reset(
    conn: &mut Conn,
    user_id: Uuid,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(hash),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The unused, unexpired token with this hash, and its active user.
pub async fn live(
    conn: &mut Conn,
    purpose: Purpose,
    hash: &[u8],
) -> QueryResult<Option<(Uuid, User)>> {
    match purpose {
        Purpose::Invitation => invitations::table
            .inner_join(users::table)
            .filter(invitations::token_hash.eq(hash))
            .filter(invitations::used_at.is_null())
            .filter(invitations::expires_at.gt(diesel::dsl::now))
            .filter(users::active.eq(true))
            .select((invitations::id, User::as_select()))
            .first(conn)
            .await
            .optional(),
        Purpose::Reset => password_resets::table
            .inner_join(users::table)
            .filter(password_resets::token_hash.eq(hash))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(diesel::dsl::now))
            .filter(users::active.eq(true))
            .select((password_resets::id, User::as_select()))
            .first(conn)
            .await
            .optional(),
    }
}

/// Marks the token used; false when another request used it first.
pub async fn spend(conn: &mut Conn, purpose: Purpose, id: Uuid) -> QueryResult<bool> {
    let n = match purpose {
        Purpose::Invitation => {
            diesel::update(
                invitations::table
                    .find(id)
                    .filter(invitations::used_at.is_null()),
            )
            .set(invitations::used_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?
        }
        Purpose::Reset => {
            diesel::update(
                password_resets::table
                    .find(id)
                    .filter(password_resets::used_at.is_null()),
            )
            .set(password_resets::used_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?
        }
    };
    Ok(n > 0)
}

/// Spends every other open invitation of the user.
pub async fn spend_invitations_of(conn: &mut Conn, user_id: Uuid) -> QueryResult<()> {
    diesel::update(
        invitations::table
            .filter(invitations::user_id.eq(user_id))
            .filter(invitations::used_at.is_null()),
    )
    .set(invitations::used_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
    .map(drop)
}

pub async fn record_reset_request(conn: &mut Conn, email: &str) -> QueryResult<()> {
    diesel::insert_into(password_reset_requests::table)
        .values(password_reset_requests::email.eq(email))
        .execute(conn)
        .await
        .map(drop)
}

/// Up to `limit` recorded reset requests, oldest first, locked (skipping those another
/// worker holds).
pub async fn take_reset_requests(conn: &mut Conn, limit: i64) -> QueryResult<Vec<(i64, String)>> {
    password_reset_requests::table
        .order(password_reset_requests::id.asc())
        .limit(limit)
        .select((password_reset_requests::id, password_reset_requests::email))
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

pub async fn drop_reset_request(conn: &mut Conn, id: i64) -> QueryResult<()> {
    diesel::delete(password_reset_requests::table.find(id))
        .execute(conn)
        .await
        .map(drop)
}
