//! The OpenAPI document, generated from the handlers, and Swagger UI served from the
//! binary (no CDN).

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Factdesk API",
        description = "The newsroom fact-check desk. Errors are application/problem+json (RFC 9457). \
Text offsets (`span_start`, `span_end`) count Unicode scalar values (characters), never bytes.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        crate::routes::health::healthz,
        crate::routes::health::readyz,
        openapi_json,
    ),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "docs", description = "This document"),
    )
)]
pub struct ApiDoc;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        SwaggerUi::new("/api/docs/{_:.*}").config(
            utoipa_swagger_ui::Config::from("/api/v1/openapi.json").try_it_out_enabled(true),
        ),
    );
    cfg.service(web::redirect("/api/docs", "/api/docs/"));
}

/// This OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "docs",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
