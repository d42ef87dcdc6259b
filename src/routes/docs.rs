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
        crate::routes::auth::login,
        crate::routes::auth::logout,
        crate::routes::auth::get_me,
        crate::routes::auth::update_me,
        crate::routes::auth::change_password,
        crate::routes::auth::request_password_reset,
        crate::routes::auth::confirm_password_reset,
        crate::routes::auth::accept_invite,
        crate::routes::users::list_users,
        crate::routes::users::create_user,
        crate::routes::users::update_user,
        crate::routes::users::resend_invitation,
        crate::routes::articles::list_articles,
        crate::routes::articles::create_article,
        crate::routes::articles::get_article,
        crate::routes::articles::update_article,
        crate::routes::claims::create_claim,
        crate::routes::claims::list_claims,
        crate::routes::claims::get_claim,
        crate::routes::claims::update_claim,
        crate::routes::claims::delete_claim,
        crate::routes::claims::transition_claim,
        crate::routes::claims::claim_history,
        crate::routes::assignments::assign_reviewer,
        crate::routes::assignments::unassign_reviewer,
        crate::routes::evidence::add_source,
        crate::routes::evidence::update_source,
        crate::routes::evidence::delete_source,
        crate::routes::evidence::put_verdict,
        crate::routes::comments::list_comments,
        crate::routes::comments::create_comment,
        crate::routes::rating_scale::get_rating_scale,
        crate::routes::rating_scale::put_rating_scale,
        crate::routes::stats::get_stats,
        crate::routes::settings::get_settings,
        crate::routes::settings::put_settings,
        crate::routes::publications::publish_article,
        crate::routes::publications::correct_article,
        crate::routes::publications::unpublish_article,
        crate::routes::public::public_article_json,
        crate::routes::public::report_error,
        crate::routes::reports::export_verdicts,
        crate::routes::messages::send_message,
        crate::routes::admin::list_outbox,
        crate::routes::admin::retry_email,
        crate::routes::similar::similar_claims,
        crate::routes::suggestions::article_suggestions,
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "docs", description = "This document"),
        (name = "auth", description = "Sessions, your own account, invitations and password resets"),
        (name = "users", description = "User administration"),
        (name = "articles", description = "Articles, pasted in and split into claims"),
        (name = "claims", description = "Claims, their reviewers, workflow, comments and history"),
        (name = "evidence", description = "Sources and the draft verdict"),
        (name = "rating scale", description = "The verdict scale"),
        (name = "stats", description = "Desk statistics"),
        (name = "settings", description = "Newsroom settings"),
        (name = "publishing", description = "Publishing verdict summaries, corrections and takedowns"),
        (name = "public", description = "What readers see, without signing in"),
        (name = "reports", description = "Verdict reports"),
        (name = "messages", description = "Editors' emails to reviewers"),
        (name = "admin", description = "The email outbox"),
    )
)]
pub struct ApiDoc;

/// Bearer tokens, or the session cookie (which needs `X-Requested-With: factdesk` on
/// requests that change data).
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "factdesk_session",
                "Set by POST /api/v1/auth/login. Requests that change data must also send `X-Requested-With: factdesk`.",
            ))),
        );
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        SwaggerUi::new("/api/docs/{_:.*}").config(
            utoipa_swagger_ui::Config::from("/api/v1/openapi.json").try_it_out_enabled(true),
        ),
    );
    cfg.service(web::redirect("/api/docs", "/api/docs/"));
}

/// The OpenAPI document as pretty JSON, for `factdesk openapi`.
pub fn openapi_document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

/// This OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "docs",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
