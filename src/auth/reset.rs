//! Password-reset emails, sent by the worker for the requests `POST
//! /auth/password-reset` recorded: a one-time token, its hash stored, the link in an
//! email, all in one transaction with the request's removal.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;

use crate::auth::{one_time, throttle};
use crate::config::Settings;
use crate::db::DbPool;
use crate::email::{self, Email};
use crate::models::audit;
use crate::models::user::User;
use crate::schema::{password_reset_requests, password_resets, users};

pub const RESET_LIFETIME_HOURS: i64 = 1;

/// Answers up to `limit` recorded requests; returns how many it took.
pub async fn answer_pending(
    pool: &DbPool,
    settings: &Settings,
    limit: i64,
) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let requests: Vec<(i64, String)> = password_reset_requests::table
            .order(password_reset_requests::id.asc())
            .limit(limit)
            .select((password_reset_requests::id, password_reset_requests::email))
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        for (id, address) in &requests {
            answer(conn, settings, address).await?;
            diesel::delete(password_reset_requests::table.find(id))
                .execute(conn)
                .await?;
        }
        Ok(requests.len())
    })
    .await
}

async fn answer(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    address: &str,
) -> anyhow::Result<()> {
    let user: Option<User> = users::table
        .filter(throttle::lower(users::email).eq(address.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?;
    let Some(user) = user.filter(|u| u.active && u.password_hash.is_some()) else {
        return Ok(());
    };
    if !throttle::email_allowed(conn, &settings.limits, &user.email, "password_reset").await? {
        return Ok(());
    }
    let (token, hash) = one_time::generate();
    let expires_at = Utc::now() + chrono::Duration::hours(RESET_LIFETIME_HOURS);
    let link = format!("{}/reset-password#token={token}", settings.public_base());
    let newsroom = crate::routes::users::newsroom_name(conn).await?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::user_id.eq(user.id),
            password_resets::token_hash.eq(&hash),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    email::enqueue(
        conn,
        Email {
            recipient: &user.email,
            cc: vec![],
            kind: "password_reset",
            dedupe_key: None,
        },
        json!({"display_name": user.display_name, "newsroom": newsroom, "link": link,
               "expires": crate::routes::auth::format_time(expires_at, &user.time_zone)}),
    )
    .await?;
    audit::record(
        conn,
        None,
        "user",
        user.id,
        "password_reset_requested",
        None,
        None,
    )
    .await?;
    Ok(())
}
