//! Discussion on a claim, between its editors and reviewers.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::models::claim::{self, Comment};
use crate::routes::claim_view::CommentView;
use crate::routes::claims::add_comment;
use crate::routes::common::required_text;
use crate::routes::resource;
use crate::schema::{comments, users};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/claims/{id}/comments", GET => list_comments, POST => create_comment);
}

/// The claim's comments, oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/comments", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<CommentView>), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_comments(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    claim::find_visible(&mut conn, &user, id, false).await?;
    let rows: Vec<(Comment, String)> = comments::table
        .inner_join(users::table.on(users::id.eq(comments::author_id)))
        .filter(comments::claim_id.eq(id))
        .order(comments::created_at.asc())
        .select((Comment::as_select(), users::display_name))
        .load(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|(c, name)| view(c, name))
            .collect::<Vec<_>>(),
    ))
}

fn view(c: Comment, author_name: String) -> CommentView {
    CommentView {
        id: c.id,
        author_id: c.author_id,
        author_name,
        body: c.body,
        created_at: c.created_at,
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub body: String,
}

/// Comment on a claim (editors and its reviewers).
#[utoipa::path(post, path = "/api/v1/claims/{id}/comments", tag = "claims", request_body = CommentRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CommentView), (status = 404),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<CommentRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let text =
        required_text("body", &body.body, 10_000).map_err(|e| AppError::Validation(vec![e]))?;
    let mut conn = state.db().await?;
    let comment = conn
        .transaction::<_, AppError, _>(async |conn| {
            claim::find_visible(conn, &user, id, false).await?;
            let comment_id = add_comment(conn, user.id, id, &text).await?;
            let row: (Comment, String) = comments::table
                .inner_join(users::table.on(users::id.eq(comments::author_id)))
                .filter(comments::id.eq(comment_id))
                .select((Comment::as_select(), users::display_name))
                .first(conn)
                .await?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(view(comment.0, comment.1)))
}
