//! The OpenAPI document, generated from the handlers, and Swagger UI served from the
//! binary (no CDN).

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::domain::validation::FieldError;
use crate::http::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Factdesk API",
        description = "The newsroom fact-check desk. Errors are application/problem+json (RFC 9457). \
Text offsets (`span_start`, `span_end`) count Unicode scalar values (characters), never bytes.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        crate::http::health::healthz,
        crate::http::health::readyz,
        openapi_json,
        crate::http::auth::login,
        crate::http::auth::logout,
        crate::http::auth::get_me,
        crate::http::auth::update_me,
        crate::http::auth::change_password,
        crate::http::auth::request_password_reset,
        crate::http::auth::confirm_password_reset,
        crate::http::auth::accept_invite,
        crate::http::users::list_users,
        crate::http::users::create_user,
        crate::http::users::update_user,
        crate::http::users::resend_invitation,
        crate::http::articles::list_articles,
        crate::http::articles::create_article,
        crate::http::articles::get_article,
        crate::http::articles::update_article,
        crate::http::articles::create_claim,
        crate::http::claims::list_claims,
        crate::http::claims::get_claim,
        crate::http::claims::update_claim,
        crate::http::claims::bulk_claims,
        crate::http::claims::similar_to_text,
        crate::http::error_reports::list_error_reports,
        crate::http::error_reports::update_error_report,
        crate::http::error_reports::reply_to_error_report,
        crate::http::claims::delete_claim,
        crate::http::claims::transition_claim,
        crate::http::claims::claim_history,
        crate::http::claims::assign_reviewer,
        crate::http::claims::unassign_reviewer,
        crate::http::evidence::add_source,
        crate::http::evidence::update_source,
        crate::http::evidence::delete_source,
        crate::http::evidence::put_verdict,
        crate::http::claims::list_comments,
        crate::http::claims::create_comment,
        crate::http::claims::set_checked_figure,
        crate::http::claims::clear_checked_figure,
        crate::http::claims::list_replies,
        crate::http::claims::create_reply,
        crate::http::claims::update_reply,
        crate::http::claims::list_reviews,
        crate::http::claims::put_my_review,
        crate::http::claims::submit_my_review,
        crate::http::settings::get_agreement,
        crate::http::settings::get_rating_scale,
        crate::http::settings::put_rating_scale,
        crate::http::settings::get_stats,
        crate::http::settings::get_settings,
        crate::http::settings::put_settings,
        crate::http::publishing::publish_article,
        crate::http::publishing::correct_article,
        crate::http::publishing::unpublish_article,
        crate::http::public::public_article_json,
        crate::http::public::report_error,
        crate::http::publishing::export_verdicts,
        crate::http::publishing::send_message,
        crate::http::admin::list_outbox,
        crate::http::admin::retry_email,
        crate::http::claims::similar_claims,
        crate::http::articles::article_suggestions,
        crate::http::live::events,
        crate::http::live::presence,
        crate::http::notifications::list_notifications,
        crate::http::notifications::read_notifications,
        crate::http::webhooks::list_webhooks,
        crate::http::webhooks::create_webhook,
        crate::http::webhooks::get_webhook,
        crate::http::webhooks::update_webhook,
        crate::http::webhooks::delete_webhook,
        crate::http::webhooks::test_webhook,
        crate::http::webhooks::list_deliveries,
        crate::http::webhooks::retry_delivery,
    ),
    components(schemas(Problem, FieldError, crate::domain::validation::DateOrTime, crate::domain::validation::TimeZoneName, crate::http::admin::OutboxState)),
    modifiers(&SecuritySchemes, &ProblemResponses, &ClosedVariants),
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
        (name = "live", description = "Live updates: the event stream and presence on a claim"),
        (name = "notifications", description = "Your in-app notifications"),
        (name = "webhooks", description = "Signed webhooks and Slack-compatible alerts for other tools"),
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

/// Every error answer as one reusable response per status (`#/components/responses/…`),
/// and on every operation every status it can return: what any operation of its kind
/// can answer (400 for what cannot be parsed, 401 and 403 where a session is needed,
/// 404 where the path names something, 413, 415 and 422 for a body, 503 when the
/// database does not answer in time), besides the statuses its handler lists.
struct ProblemResponses;

/// Requests that are internally tagged enums refuse fields their variant does not take
/// (`deny_unknown_fields`), which utoipa does not write down for a `oneOf`'s members.
struct ClosedVariants;

/// The tagged request bodies whose members are closed.
const TAGGED_REQUESTS: &[&str] = &["BulkRequest"];

impl utoipa::Modify for ClosedVariants {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{AdditionalProperties, Schema};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for name in TAGGED_REQUESTS {
            if let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(*name) {
                for member in &mut one_of.items {
                    if let RefOr::T(Schema::Object(object)) = member {
                        object.additional_properties =
                            Some(Box::new(AdditionalProperties::FreeForm(false)));
                    }
                }
            }
        }
    }
}

/// A reusable error response: status, component name, description, and the headers
/// it carries (name, description).
type ProblemResponse = (
    u16,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const PROBLEMS: [ProblemResponse; 13] = [
    (
        400,
        "BadRequest",
        "The body, the path or the query cannot be parsed.",
        &[],
    ),
    (
        401,
        "Unauthorized",
        "No session, or it has expired or been revoked.",
        &[("WWW-Authenticate", "Bearer")],
    ),
    (
        403,
        "Forbidden",
        "The caller's role may not do this, or a cookie request lacks `X-Requested-With: factdesk` or comes from another origin.",
        &[],
    ),
    (
        404,
        "NotFound",
        "Nothing with that id exists, or the caller may not know it does.",
        &[],
    ),
    (
        409,
        "Conflict",
        "The resource's state does not allow this; `current_status` and `allowed_actions` say what does.",
        &[],
    ),
    (410, "Gone", "Taken down.", &[]),
    (
        412,
        "PreconditionFailed",
        "The version sent is stale; `current` holds the latest, `changed_by` who changed it.",
        &[],
    ),
    (413, "PayloadTooLarge", "The body is too large.", &[]),
    (
        415,
        "UnsupportedMediaType",
        "The body is not application/json.",
        &[],
    ),
    (
        422,
        "Unprocessable",
        "The request parses but is invalid; `errors` names each field and why.",
        &[],
    ),
    (
        428,
        "PreconditionRequired",
        "Send the version being changed (`If-Match` or `version`).",
        &[],
    ),
    (
        429,
        "TooManyRequests",
        "Too many attempts; wait as `Retry-After` says.",
        &[("Retry-After", "Seconds to wait")],
    ),
    (
        503,
        "Unavailable",
        "The database did not answer in time; try again as `Retry-After` says.",
        &[("Retry-After", "Seconds to wait")],
    ),
];

impl utoipa::Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{Operation, ParameterIn};
        use utoipa::openapi::{
            ContentBuilder, HeaderBuilder, Ref, RefOr, ResponseBuilder, schema::Type,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        for (status, name, description, headers) in PROBLEMS {
            let mut response = ResponseBuilder::new().description(description).content(
                crate::http::error::PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            );
            for (header, text) in headers {
                response = response.header(
                    *header,
                    HeaderBuilder::new()
                        .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(
                            if *header == "Retry-After" {
                                Type::Integer
                            } else {
                                Type::String
                            },
                        )))
                        .description(Some(*text))
                        .build(),
                );
            }
            let _ = status;
            components
                .responses
                .insert(name.to_string(), response.build().into());
        }
        let component = |status: u16| PROBLEMS.iter().find(|p| p.0 == status);
        let reference =
            |status: u16, description: &str| -> Option<RefOr<utoipa::openapi::Response>> {
                let (_, name, _, _) = component(status)?;
                let mut r = Ref::new(format!("#/components/responses/{name}"));
                if !description.is_empty() {
                    r.description = description.to_string();
                }
                Some(RefOr::Ref(r))
            };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let no_database = matches!(path.as_str(), "/healthz" | "/api/v1/openapi.json");
            let ops: [&mut Option<Operation>; 5] = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                let params = op.parameters.as_deref().unwrap_or_default();
                let has = |place: ParameterIn| {
                    params
                        .iter()
                        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
                };
                let (in_path, in_query) = (has(ParameterIn::Path), has(ParameterIn::Query));
                for param in op.parameters.iter_mut().flatten() {
                    let RefOr::T(param) = param else { continue };
                    match (param.parameter_in.clone(), param.name.as_str()) {
                        // A version: `"3"` (quoted as an ETag, or not); the rating scale's
                        // ETag is a digest instead.
                        (ParameterIn::Header, "If-Match") if path != "/api/v1/rating-scale" => {
                            param.schema = Some(
                                utoipa::openapi::ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .pattern(Some(r#"^(|(W/)?"?[0-9]{1,9}"?)$"#))
                                    .into(),
                            );
                        }
                        // Opaque: only `next_cursor` of an earlier page is one.
                        (ParameterIn::Query, "cursor") => {
                            param.schema = Some(
                                utoipa::openapi::ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .format(Some(utoipa::openapi::SchemaFormat::Custom(
                                        "factdesk-cursor".into(),
                                    )))
                                    .into(),
                            );
                        }
                        _ => {}
                    }
                }
                let params = op.parameters.as_deref().unwrap_or_default();
                let versioned = params.iter().any(
                    |p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Header && p.name == "If-Match"),
                );
                let body = op.request_body.is_some();
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let mut statuses = Vec::new();
                if body || in_path || in_query {
                    statuses.push(400);
                }
                if secured {
                    statuses.extend([401, 403]);
                }
                if in_path {
                    statuses.push(404);
                }
                if body {
                    statuses.extend([413, 415, 422]);
                } else if in_query {
                    statuses.push(422);
                }
                if versioned {
                    statuses.extend([412, 428]);
                }
                if !no_database {
                    statuses.push(503);
                }
                // The handler's own error statuses become references too, keeping
                // their descriptions.
                for (code, response) in op.responses.responses.iter_mut() {
                    let Ok(status) = code.parse::<u16>() else {
                        continue;
                    };
                    if status < 400 {
                        continue;
                    }
                    let description = match response {
                        RefOr::T(r) => r.description.clone(),
                        RefOr::Ref(r) => r.description.clone(),
                    };
                    if let Some(r) = reference(status, &description) {
                        *response = r;
                    }
                }
                for status in statuses {
                    let code = status.to_string();
                    if !op.responses.responses.contains_key(&code)
                        && let Some(r) = reference(status, "")
                    {
                        op.responses.responses.insert(code, r);
                    }
                }
            }
        }
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

#[cfg(test)]
mod tests {
    /// Every `$ref` of the document points at something the document holds.
    #[test]
    fn every_reference_resolves() {
        let doc: serde_json::Value = serde_json::from_str(&super::openapi_document()).unwrap();
        fn walk(v: &serde_json::Value, doc: &serde_json::Value, missing: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                        let pointer = r.trim_start_matches('#');
                        if doc.pointer(pointer).is_none() {
                            missing.push(r.clone());
                        }
                    }
                    map.values().for_each(|v| walk(v, doc, missing));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, doc, missing)),
                _ => {}
            }
        }
        let mut missing = Vec::new();
        walk(&doc, &doc, &mut missing);
        assert!(missing.is_empty(), "{missing:?}");
    }

    /// The server checks structured strings with the same patterns the document gives.
    #[test]
    fn the_document_gives_the_patterns_the_server_checks() {
        use crate::domain::validation::patterns;
        let doc: serde_json::Value = serde_json::from_str(&super::openapi_document()).unwrap();
        let pattern = |schema: &str, field: &str| {
            doc["components"]["schemas"][schema]["properties"][field]["pattern"]
                .as_str()
                .unwrap_or_else(|| panic!("{schema}.{field} has a pattern"))
                .to_string()
        };
        assert_eq!(pattern("CreateUserRequest", "email"), patterns::EMAIL);
        assert_eq!(pattern("NewSourceRequest", "url"), patterns::URL);
        assert_eq!(
            pattern("SourceRequest", "archive_url"),
            patterns::URL_OR_EMPTY
        );
        assert_eq!(
            pattern("CreateArticleRequest", "url"),
            patterns::URL_OR_EMPTY
        );
        assert_eq!(
            pattern("SettingsRequest", "logo_url"),
            patterns::URL_OR_EMPTY
        );
        assert_eq!(
            pattern("CreateArticleRequest", "language"),
            patterns::LANGUAGE_OR_EMPTY
        );
        assert_eq!(pattern("Rating", "key"), patterns::RATING_KEY);
    }
}
