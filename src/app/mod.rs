//! The use cases: one module per resource, one function per thing a user does. Each
//! owns its transaction, asks `domain` whether it may happen and what it leads to,
//! writes the rows, the audit event and any outbox email in that one transaction, and
//! returns the view the caller shows. HTTP handlers, the command line and the jobs all
//! call these; none of them writes a row itself.

pub mod account;
pub mod articles;
pub mod assignments;
pub mod auth;
pub mod bulk;
pub mod claim_view;
pub mod claims;
pub mod comments;
pub mod demo;
pub mod error;
pub mod error_reports;
pub mod evidence;
pub mod health;
pub mod live;
pub mod messages;
pub mod notifications;
pub mod outbox;
pub mod public;
pub mod publishing;
pub mod rating_scale;
pub mod replies;
pub mod reports;
pub mod reviews;
pub mod settings;
pub mod sign_in;
pub mod similar;
pub mod stats;
pub mod suggestions;
pub mod transitions;
pub mod users;
pub mod webhooks;

pub use error::{AppError, AppResult};

use std::time::Instant;

use crate::app::auth::password::PasswordPool;
use crate::app::auth::token::TokenKeys;
use crate::config::Settings;
use crate::db::{DbConn, DbPool};

/// What every use case may reach: the database, the settings, the password hasher and
/// the session token keys.
pub struct App {
    pub pool: DbPool,
    pub settings: Settings,
    pub passwords: PasswordPool,
    pub tokens: TokenKeys,
    /// This instance's end of the live desk (its LISTEN connection and open streams).
    pub live: live::LiveHub,
}

impl App {
    /// A database connection, its wait measured for the metrics.
    pub async fn db(&self) -> AppResult<DbConn> {
        let started = Instant::now();
        let conn = self.pool.get().await;
        crate::metrics::METRICS
            .pool_wait
            .observe(started.elapsed().as_secs_f64());
        Ok(conn?)
    }

    /// An app link: `/claims/{id}` becomes `https://desk.example.org/claims/{id}`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.settings.public_base())
    }
}

/// Checks the version a change is based on against the row's, and answers 412 with
/// the current state (and who changed it last) when it is stale, 428 when none was sent.
pub async fn check_version<V: serde::Serialize>(
    conn: &mut crate::db::Conn,
    expected: Option<i32>,
    current: i32,
    audited_as: Option<(&str, uuid::Uuid)>,
    current_view: impl AsyncFnOnce(&mut crate::db::Conn) -> AppResult<V>,
) -> AppResult<()> {
    let expected = expected.ok_or(AppError::PreconditionRequired)?;
    if expected == current {
        return Ok(());
    }
    let changed_by = match audited_as {
        Some((entity, id)) => crate::db::audit::last_change(conn, entity, id).await?,
        None => None,
    };
    let view = current_view(conn).await?;
    Err(AppError::PreconditionFailed {
        current: serde_json::to_value(view).unwrap_or_default(),
        changed_by,
    })
}
