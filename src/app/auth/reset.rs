//! Password-reset emails, sent by the worker for the requests `POST
//! /auth/password-reset` recorded: a one-time token, its hash stored, the link in an
//! email, all in one transaction with the request's removal. Recording costs the same
//! for every address, so the request's answer and timing tell nothing.

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde_json::json;

use crate::app::auth::{one_time, throttle};
use crate::config::Settings;
use crate::db::{self, Conn, DbPool};
use crate::domain::time::format_time;
use crate::email::{self, Email};

pub const RESET_LIFETIME_HOURS: i64 = 1;

/// Answers up to `limit` recorded requests; returns how many it took.
pub async fn answer_pending(
    pool: &DbPool,
    settings: &Settings,
    limit: i64,
) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let requests = db::tokens::take_reset_requests(conn, limit).await?;
        for (id, address) in &requests {
            answer(conn, settings, address).await?;
            db::tokens::drop_reset_request(conn, *id).await?;
        }
        Ok(requests.len())
    })
    .await
}

async fn answer(conn: &mut Conn, settings: &Settings, address: &str) -> anyhow::Result<()> {
    let Some(user) = db::users::by_email(conn, address)
        .await?
        .filter(|u| u.active && u.password_hash.is_some())
    else {
        return Ok(());
    };
    if !throttle::email_allowed(conn, &settings.limits, &user.email, "password_reset").await? {
        return Ok(());
    }
    let (token, hash) = one_time::generate();
    let expires_at = Utc::now() + chrono::Duration::hours(RESET_LIFETIME_HOURS);
    let link = format!("{}/reset-password#token={token}", settings.public_base());
    let newsroom = db::settings::newsroom_name(conn).await?;
    db::tokens::insert_reset(conn, user.id, &hash, expires_at).await?;
    email::enqueue(
        conn,
        Email {
            reply_to: None,
            recipient: &user.email,
            cc: vec![],
            kind: "password_reset",
            dedupe_key: None,
        },
        json!({"display_name": user.display_name, "newsroom": newsroom, "link": link,
               "expires": format_time(expires_at, &user.time_zone)}),
    )
    .await?;
    db::audit::record(
        conn,
        db::audit::Event::new("user", user.id, "password_reset_requested"),
    )
    .await?;
    Ok(())
}
