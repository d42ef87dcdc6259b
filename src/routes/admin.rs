//! Admin views of the machinery: the email outbox, with failed rows to retry.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::policy::ManageUsers;
use crate::auth::session::Permitted;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::models::audit;
use crate::routes::common::{Cursor, Page, PageQuery};
use crate::routes::resource;
use crate::schema::email_outbox;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/admin/email-outbox", GET => list_outbox);
    resource!(cfg, "/admin/email-outbox/{id}/retry", POST => retry_email);
}

#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = email_outbox)]
pub struct OutboxView {
    pub id: Uuid,
    pub recipient: String,
    pub cc: Vec<String>,
    pub subject: String,
    pub kind: String,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// Which emails of the outbox (the query's `status`).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Sent,
    Failed,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Default: all.
    #[param(value_type = Option<OutboxState>)]
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The outbox, newest first (admins).
#[utoipa::path(get, path = "/api/v1/admin/email-outbox", tag = "admin", params(OutboxQuery),
    responses((status = 200, body = Page<OutboxView>), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_outbox(
    state: web::Data<AppState>,
    Permitted(_user, _): Permitted<ManageUsers>,
    Query(q): Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let limit = page.limit()?;
    let mut query = email_outbox::table
        .select(OutboxView::as_select())
        .into_boxed();
    match q.status.as_deref() {
        None => {}
        Some("pending") => {
            query = query
                .filter(email_outbox::sent_at.is_null())
                .filter(email_outbox::failed_at.is_null())
        }
        Some("sent") => query = query.filter(email_outbox::sent_at.is_not_null()),
        Some("failed") => query = query.filter(email_outbox::failed_at.is_not_null()),
        Some(_) => {
            return Err(AppError::validation(
                "status",
                "must be pending, sent or failed",
            ));
        }
    }
    if let Some(c) = page.cursor()? {
        query = query.filter(
            email_outbox::created_at
                .lt(c.at)
                .or(email_outbox::created_at
                    .eq(c.at)
                    .and(email_outbox::id.lt(c.id))),
        );
    }
    let mut conn = state.db().await?;
    let rows: Vec<OutboxView> = query
        .order((email_outbox::created_at.desc(), email_outbox::id.desc()))
        .limit(limit + 1)
        .load(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |r| Cursor::new(r.created_at, r.id),
        |r| r,
    )))
}

/// Send a failed email again: its attempts start over.
#[utoipa::path(post, path = "/api/v1/admin/email-outbox/{id}/retry", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = OutboxView), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Not failed")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retry_email(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<ManageUsers>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    let row: Option<OutboxView> = diesel::update(
        email_outbox::table
            .find(id)
            .filter(email_outbox::failed_at.is_not_null()),
    )
    .set((
        email_outbox::failed_at.eq(None::<DateTime<Utc>>),
        email_outbox::attempts.eq(0),
        email_outbox::next_attempt_at.eq(diesel::dsl::now),
    ))
    .returning(OutboxView::as_returning())
    .get_result(&mut conn)
    .await
    .optional()?;
    match row {
        Some(row) => {
            audit::record(
                &mut conn,
                Some(user.id),
                "email",
                id,
                "retry",
                None,
                Some(json!({"recipient": row.recipient, "kind": row.kind})),
            )
            .await?;
            Ok(HttpResponse::Ok().json(row))
        }
        None => {
            let exists: i64 = email_outbox::table
                .find(id)
                .count()
                .get_result(&mut conn)
                .await?;
            Err(if exists == 0 {
                AppError::not_found("email")
            } else {
                AppError::Conflict {
                    detail: "Only a failed email can be retried.".into(),
                    extensions: Default::default(),
                }
            })
        }
    }
}
