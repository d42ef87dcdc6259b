//! Liveness and readiness.

use actix_web::{HttpResponse, web};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::CONNECT_TIMEOUT;
use crate::error::{AppError, AppResult};
use crate::routes::resource;
use crate::startup::AppState;

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
pub async fn readyz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let check = async {
        let mut conn = state.db().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok::<_, AppError>(())
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, check).await {
        Ok(Ok(())) => Ok(HttpResponse::Ok().json(Health { status: "ready" })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            Err(AppError::Unavailable(
                "The database does not answer.".into(),
            ))
        }
        Err(_) => Err(AppError::Unavailable(
            "The database did not answer within 2 seconds.".into(),
        )),
    }
}
