//! What every request passes through on its way in and out: NUL characters in the URI
//! refused, a deadline so that a stalled database cannot hold a request, errors of the
//! public pages rendered as pages, and the security and caching headers.

use std::future::Future;
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use tracing_actix_web::RequestId;

use crate::app::AppError;
use crate::http::extract;
use crate::http::public;

const CSP: &str = "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";
/// Swagger UI styles itself inline and draws icons from data: URIs.
const CSP_DOCS: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";
const HSTS: &str = "max-age=63072000";

/// The edge's settings, fixed at start.
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    /// A request that has not produced its response head by then is answered 503.
    pub deadline: Duration,
    /// The public URL is https: tell browsers to keep to it.
    pub hsts: bool,
}

/// Whether an API path answers with data only a signed-in user may see (everything
/// under /api but the public summaries and the OpenAPI document).
fn private_api(path: &str) -> bool {
    path.starts_with("/api/")
        && !path.starts_with("/api/v1/public/")
        && path != "/api/v1/openapi.json"
        && !path.starts_with("/api/docs")
}

pub fn handle<S>(
    edge: Edge,
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>> + use<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
{
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_string();
    // The public page's own form posts as a form, and its reader should see a page too.
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let page = public::is_page(&path) || (form && path.starts_with("/api/v1/public/"));
    let request_id = req.extensions().get::<RequestId>().copied();
    // The request cannot be kept for a late answer (routing needs it unshared), so a
    // request past its deadline ends as an error, which actix renders as a response.
    let outcome = match extract::check_uri(req.path(), req.query_string()) {
        Err(e) => Err(req.error_response(e)),
        Ok(()) => Ok(srv.call(req)),
    };
    async move {
        let mut res = match outcome {
            Err(res) => res,
            Ok(call) => match tokio::time::timeout(edge.deadline, call).await {
                Ok(res) => res?,
                Err(_) => {
                    crate::metrics::observe_request(&method, "(deadline)", 503, started.elapsed());
                    tracing::warn!(path = %path, deadline_ms = edge.deadline.as_millis() as u64, "request deadline passed");
                    return Err(AppError::Unavailable(
                        "The server could not answer in time (the database is slow or unreachable); try again shortly."
                            .into(),
                    )
                    .into());
                }
            },
        };
        let route = res.request().match_pattern();
        crate::metrics::observe_request(
            &method,
            route.as_deref().unwrap_or("(other)"),
            res.status().as_u16(),
            started.elapsed(),
        );
        if page
            && let Some(error) = res
                .response()
                .error()
                .and_then(|e| e.as_error::<AppError>())
        {
            let html = public::error_page(error);
            res = res.into_response(html);
        }
        let headers = res.headers_mut();
        let docs = path.starts_with("/api/docs");
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if edge.hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
        if private_api(&path) && !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        if let Some(id) = request_id
            && let Ok(value) = HeaderValue::from_str(&id.to_string())
        {
            headers.insert(header::HeaderName::from_static("x-request-id"), value);
        }
        Ok(res)
    }
}
