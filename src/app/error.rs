//! What a use case answers when it does not succeed. The HTTP layer renders it as
//! problem+json (`http::error`); the command line prints it.

use serde_json::{Map, Value};

use crate::domain::policy::Refused;
use crate::domain::validation::FieldError;

/// `Retry-After` of a 503: the database is usually back within a couple of seconds.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request could not be parsed (malformed JSON, path or query).
    #[error("bad request: {detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// The request parsed but is invalid.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("authentication required")]
    Unauthorized(String),
    #[error("forbidden")]
    Forbidden(String),
    #[error("not found")]
    NotFound(String),
    #[error("gone")]
    Gone(String),
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        extensions: Map<String, Value>,
    },
    /// The version the change was based on is stale; carries the current row.
    #[error("precondition failed")]
    PreconditionFailed {
        current: Value,
        /// The last change (`action`, `actor_name`, `at`), when the entity is audited.
        changed_by: Option<Value>,
    },
    #[error("precondition required")]
    PreconditionRequired,
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn bad_request(field: impl Into<String>, message: impl Into<String>) -> Self {
        let error = FieldError::new(field, message);
        Self::BadRequest {
            detail: format!("{}: {}", error.field, error.message),
            errors: vec![error],
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("No {what} with that id exists."))
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::Conflict {
            detail: detail.into(),
            extensions: Map::new(),
        }
    }

    /// Seconds a client should wait before trying again, for 429 and 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Validation(vec![e])
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::Validation(errors)
    }
}

impl From<Refused> for AppError {
    fn from(r: Refused) -> Self {
        match r {
            Refused::Forbidden(message) => Self::Forbidden(message),
            Refused::Hidden(what) => Self::not_found(what),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Internal(e.into())
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for AppError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        tracing::warn!(error = %e, "database pool");
        Self::Unavailable("The database is not reachable right now; try again shortly.".into())
    }
}

/// Collects field errors: `Ok(())` when none, else one 422 naming them all.
pub fn all_valid(errors: Vec<FieldError>) -> AppResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}
