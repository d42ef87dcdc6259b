//! Admin views of the machinery: the email outbox, with failed rows to retry.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::outbox;
use crate::app::{App, AppResult};
use crate::db::outbox::OutboxView;
use crate::domain::page::{Page, PageRequest};
use crate::domain::policy::ManageUsers;
use crate::http::extract::Query;
use crate::http::resource;
use crate::http::session::Permitted;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/admin/email-outbox", GET => list_outbox);
    resource!(cfg, "/admin/email-outbox/{id}/retry", POST => retry_email);
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
    responses((status = 200, body = Page<OutboxView>), (status = 403), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_outbox(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageUsers>,
    Query(q): Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    let page = PageRequest {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
    };
    Ok(
        HttpResponse::Ok()
            .json(outbox::list(&app, &user.actor(), q.status.as_deref(), page).await?),
    )
}

/// Send a failed email again: its attempts start over.
#[utoipa::path(post, path = "/api/v1/admin/email-outbox/{id}/retry", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = OutboxView), (status = 404),
              (status = 409, description = "Not failed")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retry_email(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageUsers>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(outbox::retry(&app, &user.actor(), path.into_inner()).await?))
}
