//! Suggested claims for an article: its check-worthy sentences and clauses, ranked.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::policy::EditArticles;
use crate::auth::session::Permitted;
use crate::error::{AppError, AppResult};
use crate::routes::resource;
use crate::schema::{articles, claims};
use crate::startup::AppState;
use crate::suggest::{self, Suggestion};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/articles/{id}/suggestions", GET => article_suggestions);
}

#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    /// Best first; `covered` marks the ones an existing claim already overlaps.
    pub items: Vec<Suggestion>,
}

/// Candidate claims in the article, best first, each with its character span (usable
/// as-is to create a claim), a score in 0..1 and the reasons in words.
#[utoipa::path(get, path = "/api/v1/articles/{id}/suggestions", tag = "articles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Suggestions), (status = 403),
              (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn article_suggestions(
    state: web::Data<AppState>,
    Permitted(_user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    let body: String = articles::table
        .find(id)
        .select(articles::body)
        .first(&mut conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("article"))?;
    let covered: Vec<(usize, usize)> = claims::table
        .filter(claims::article_id.eq(id))
        .filter(claims::status.ne("dropped"))
        .filter(claims::anchor_lost.eq(false))
        .select((claims::span_start, claims::span_end))
        .load::<(i32, i32)>(&mut conn)
        .await?
        .into_iter()
        .map(|(s, e)| (s as usize, e as usize))
        .collect();
    drop(conn);
    // Scoring is CPU work: keep it off the async workers.
    let items = web::block(move || suggest::suggest(&body, &covered))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("suggesting: {e}")))?;
    Ok(HttpResponse::Ok().json(Suggestions { items }))
}
