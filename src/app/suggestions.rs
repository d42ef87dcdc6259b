//! Suggested claims for an article: its check-worthy sentences and clauses, ranked.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{App, AppError, AppResult};
use crate::db;
use crate::domain::policy::{self, Actor};
use crate::suggest::{self, Suggestion};

#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    /// Best first; `covered` marks the ones an existing claim already overlaps.
    pub items: Vec<Suggestion>,
}

/// Candidate claims in the article, best first, each with its character span (usable
/// as-is to create a claim), a score in 0..1 and the reasons in words.
pub async fn of_article(app: &App, actor: &Actor, id: Uuid) -> AppResult<Suggestions> {
    policy::may_edit_articles(actor)?;
    let (body, covered) = {
        let mut conn = app.db().await?;
        let body = db::articles::body(&mut conn, id)
            .await?
            .ok_or_else(|| AppError::not_found("article"))?;
        (body, db::claims::covered_spans(&mut conn, id).await?)
    };
    // Scoring is CPU work: keep it off the async workers.
    let items = tokio::task::spawn_blocking(move || suggest::suggest(&body, &covered))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("suggesting: {e}")))?;
    Ok(Suggestions { items })
}
