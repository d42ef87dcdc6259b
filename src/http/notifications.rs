//! The signed-in user's notifications: the inbox and marking read.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::notifications::{self, NotificationPage, ReadAnswer, ReadRequest};
use crate::app::{App, AppResult};
use crate::domain::page::PageRequest;
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::CurrentUser;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/notifications", GET => list_notifications);
    resource!(cfg, "/notifications/read", POST => read_notifications);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListNotificationsQuery {
    /// Only those not read yet.
    pub unread: Option<bool>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Your notifications, newest first, with your unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(ListNotificationsQuery),
    responses((status = 200, body = NotificationPage)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_notifications(
    app: web::Data<App>,
    user: CurrentUser,
    Query(q): Query<ListNotificationsQuery>,
) -> AppResult<HttpResponse> {
    let page = PageRequest {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
    };
    Ok(HttpResponse::Ok()
        .json(notifications::list(&app, &user.actor(), q.unread == Some(true), page).await?))
}

/// Mark notifications read: `{"ids": [...]}` or `{"all": true}`. Your event stream
/// hears the new unread count.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = ReadRequest,
    responses((status = 200, body = ReadAnswer)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn read_notifications(
    app: web::Data<App>,
    user: CurrentUser,
    Json(body): Json<ReadRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notifications::mark_read(&app, &user.actor(), body).await?))
}
