//! Webhook endpoints (admins): register, change, remove, send a test event, read the
//! delivery log and retry a delivery that was given up.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::webhooks::{self, CreatedWebhook, NewWebhook, WebhookChanges, WebhookView};
use crate::app::{App, AppResult};
use crate::db::webhooks::DeliveryView;
use crate::domain::page::{Page, PageRequest};
use crate::domain::policy::ManageWebhooks;
use crate::http::common::{etag, version_hint};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::Permitted;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/webhooks", GET => list_webhooks, POST => create_webhook);
    resource!(cfg, "/webhooks/{id}", GET => get_webhook, PATCH => update_webhook, DELETE => delete_webhook);
    resource!(cfg, "/webhooks/{id}/test", POST => test_webhook);
    resource!(cfg, "/webhooks/{id}/deliveries", GET => list_deliveries);
    resource!(cfg, "/webhooks/{id}/deliveries/{delivery_id}/retry", POST => retry_delivery);
}

/// The registered endpoints (admins).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookView>), (status = 403)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_webhooks(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(webhooks::list(&app, &user.actor()).await?))
}

/// Register an endpoint (admins). The answer holds the signing secret, shown only
/// this once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, body = CreatedWebhook), (status = 403), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_webhook(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
    Json(body): Json<NewWebhook>,
) -> AppResult<HttpResponse> {
    let created = webhooks::create(&app, &user.actor(), body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(created.webhook.version))
        .json(created))
}

/// One endpoint (admins).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookView), (status = 403), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_webhook(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let webhook = webhooks::get(&app, &user.actor(), path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(webhook.version))
        .json(webhook))
}

/// Change an endpoint (admins; `If-Match` or `version` required). Turning it on
/// again clears why it was turned off.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", request_body = WebhookChanges,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = WebhookView), (status = 403), (status = 404), (status = 412),
              (status = 422), (status = 428)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_webhook(
    app: web::Data<App>,
    req: HttpRequest,
    Permitted(user, _): Permitted<ManageWebhooks>,
    path: web::Path<Uuid>,
    Json(body): Json<WebhookChanges>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let webhook = webhooks::update(&app, &user.actor(), path.into_inner(), version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(webhook.version))
        .json(webhook))
}

/// Remove an endpoint and its delivery log (admins).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn delete_webhook(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    webhooks::delete(&app, &user.actor(), path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Queue a `webhook.test` event for the endpoint (admins); the delivery log shows how
/// it went.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 202, body = DeliveryView), (status = 403), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn test_webhook(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Accepted()
        .json(webhooks::send_test(&app, &user.actor(), path.into_inner()).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// An endpoint's delivery log, newest first (admins).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = Uuid, Path), DeliveriesQuery),
    responses((status = 200, body = Page<DeliveryView>), (status = 403), (status = 404), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_deliveries(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
    path: web::Path<Uuid>,
    Query(q): Query<DeliveriesQuery>,
) -> AppResult<HttpResponse> {
    let page = PageRequest {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
    };
    Ok(HttpResponse::Ok()
        .json(webhooks::deliveries(&app, &user.actor(), path.into_inner(), page).await?))
}

/// Send a delivery that was given up again: its attempts start over (admins).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry", tag = "webhooks",
    params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path)),
    responses((status = 200, body = DeliveryView), (status = 403), (status = 404),
              (status = 409, description = "Not given up")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retry_delivery(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ManageWebhooks>,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, delivery_id) = path.into_inner();
    Ok(HttpResponse::Ok().json(webhooks::retry(&app, &user.actor(), id, delivery_id).await?))
}
