//! `AppError` as HTTP: `application/problem+json` (RFC 9457). Client errors say what is
//! wrong and where; internal causes are logged once here and never sent to the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

pub use crate::app::error::{AppError, AppResult};
use crate::domain::validation::FieldError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension members, such as `current_status` and `allowed_actions`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extensions: Map<String, Value>,
}

fn title(error: &AppError) -> &'static str {
    match error {
        AppError::BadRequest { .. } => "Bad request",
        AppError::Validation(_) => "Invalid request",
        AppError::Unauthorized(_) => "Authentication required",
        AppError::Forbidden(_) => "Forbidden",
        AppError::NotFound(_) => "Not found",
        AppError::Gone(_) => "Gone",
        AppError::MethodNotAllowed { .. } => "Method not allowed",
        AppError::Conflict { .. } => "Conflict",
        AppError::PreconditionFailed { .. } => "Version conflict",
        AppError::PreconditionRequired => "Precondition required",
        AppError::PayloadTooLarge { .. } => "Payload too large",
        AppError::UnsupportedMediaType(_) => "Unsupported media type",
        AppError::TooManyRequests { .. } => "Too many requests",
        AppError::Unavailable(_) => "Service unavailable",
        AppError::Internal(_) => "Internal server error",
    }
}

pub fn problem(error: &AppError) -> Problem {
    let mut extensions = Map::new();
    let mut errors = Vec::new();
    let detail = match error {
        AppError::BadRequest { detail, errors: e } => {
            errors.clone_from(e);
            Some(detail.clone())
        }
        AppError::Validation(e) => {
            errors.clone_from(e);
            Some(match e.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                _ => format!("{} fields are invalid.", e.len()),
            })
        }
        AppError::Unauthorized(d)
        | AppError::Forbidden(d)
        | AppError::NotFound(d)
        | AppError::Gone(d)
        | AppError::UnsupportedMediaType(d)
        | AppError::Unavailable(d) => Some(d.clone()),
        AppError::MethodNotAllowed { allow } => Some(format!("This resource allows only: {allow}.")),
        AppError::Conflict {
            detail,
            extensions: x,
        } => {
            extensions.clone_from(x);
            Some(detail.clone())
        }
        AppError::PreconditionFailed {
            current,
            changed_by,
        } => {
            extensions.insert("current".into(), current.clone());
            if let Some(changed_by) = changed_by {
                extensions.insert("changed_by".into(), changed_by.clone());
            }
            Some("Someone else changed this since you loaded it; `current` holds the latest version.".into())
        }
        AppError::PreconditionRequired => Some(
            "Send the version you are changing, as `If-Match: \"<version>\"` or `version` in the body.".into(),
        ),
        AppError::PayloadTooLarge { limit } => {
            Some(format!("The request body is larger than {limit} bytes."))
        }
        AppError::TooManyRequests { retry_after_secs } => Some(format!(
            "Too many attempts; try again in {retry_after_secs} seconds."
        )),
        // Never send internal causes to the client.
        AppError::Internal(_) => None,
    };
    Problem {
        kind: "about:blank".into(),
        title: title(error).into(),
        status: status_of(error).as_u16(),
        detail,
        errors,
        extensions,
    }
}

fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Gone(_) => StatusCode::GONE,
        AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
        AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_of(self)
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(error = ?cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            Self::MethodNotAllowed { allow } => {
                if let Ok(value) = HeaderValue::from_str(allow) {
                    response.insert_header((header::ALLOW, value));
                }
            }
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        if let Some(secs) = self.retry_after() {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        response.json(problem(self))
    }
}
