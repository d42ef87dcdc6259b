//! `GET /metrics` on the metrics listener (`FACTDESK_METRICS_LISTEN`), never on the
//! public one.

use actix_web::{HttpResponse, web};

use crate::db::DbPool;

pub async fn metrics_endpoint(pool: web::Data<DbPool>) -> HttpResponse {
    match crate::metrics::render(&pool).await {
        Ok(text) => HttpResponse::Ok()
            .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
            .body(text),
        Err(e) => {
            tracing::warn!(error = %e, "metrics");
            HttpResponse::ServiceUnavailable()
                .body("metrics are unavailable: the database does not answer\n")
        }
    }
}
