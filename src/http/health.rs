//! Liveness and readiness.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::{App, AppResult, health};
use crate::http::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/healthz", GET => healthz);
    resource!(cfg, "/readyz", GET => readyz);
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers (within 2 seconds; 503 otherwise, never a hang).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, body = Health),
              (status = 503)))]
pub async fn readyz(app: web::Data<App>) -> AppResult<HttpResponse> {
    health::ready(&app).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
