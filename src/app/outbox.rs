//! The email outbox as admins see it, with failed emails to retry.

use serde_json::json;
use uuid::Uuid;

use crate::app::{App, AppError, AppResult};
use crate::db::outbox::{OutboxView, State};
use crate::db::{self, audit::Event};
use crate::domain::page::{Cursor, Page, PageRequest};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::FieldError;

/// The outbox, newest first; `status` is pending, sent or failed.
pub async fn list(
    app: &App,
    actor: &Actor,
    status: Option<&str>,
    page: PageRequest<'_>,
) -> AppResult<Page<OutboxView>> {
    policy::may_manage_users(actor)?;
    let limit = page.limit()?;
    let state = match status {
        None => None,
        Some("pending") => Some(State::Pending),
        Some("sent") => Some(State::Sent),
        Some("failed") => Some(State::Failed),
        Some(_) => return Err(FieldError::new("status", "must be pending, sent or failed").into()),
    };
    let before = page.cursor()?;
    let mut conn = app.db().await?;
    let rows = db::outbox::list(&mut conn, state, before, limit).await?;
    Ok(Page::from_rows(
        rows,
        limit,
        |r| Cursor::new(r.created_at, r.id),
        |r| r,
    ))
}

/// Sends a failed email again: its attempts start over.
pub async fn retry(app: &App, actor: &Actor, id: Uuid) -> AppResult<OutboxView> {
    policy::may_manage_users(actor)?;
    let mut conn = app.db().await?;
    match db::outbox::retry(&mut conn, id).await? {
        Some(row) => {
            db::audit::record(
                &mut conn,
                Event::new("email", id, "retry")
                    .by(actor.id)
                    .after(json!({"recipient": row.recipient, "kind": row.kind})),
            )
            .await?;
            Ok(row)
        }
        None if db::outbox::exists(&mut conn, id).await? => {
            Err(AppError::conflict("Only a failed email can be retried."))
        }
        None => Err(AppError::not_found("email")),
    }
}
