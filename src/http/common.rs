//! Small pieces of HTTP every resource uses: versions from `If-Match`, `ETag`, the
//! client's address and user agent.

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::app::error::AppError;
use crate::config::Settings;

fn if_match(req: &HttpRequest) -> Option<&header::HeaderValue> {
    req.headers()
        .get(header::IF_MATCH)
        .filter(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace))
}

/// The version a change names: `If-Match: "<version>"` (an empty one is none), else the
/// body's `version`, if either is there. The use case answers 428 when it needs one.
pub fn version_hint(req: &HttpRequest, body_version: Option<i32>) -> Result<Option<i32>, AppError> {
    match if_match(req) {
        Some(value) => {
            let raw = value.to_str().unwrap_or("").trim();
            let raw = raw.strip_prefix("W/").unwrap_or(raw).trim_matches('"');
            raw.parse::<i32>()
                .map(Some)
                .map_err(|_| AppError::bad_request("If-Match", "must be a version such as \"3\""))
        }
        None => Ok(body_version),
    }
}

/// The raw `If-Match` validator, for resources whose ETag is not a version.
pub fn if_match_tag(req: &HttpRequest) -> Option<String> {
    if_match(req)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `ETag` for a version.
pub fn etag(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// The client's address for throttling: the peer, or the `X-Forwarded-For` client when
/// Factdesk runs behind a trusted proxy.
pub fn client_ip(req: &HttpRequest, settings: &Settings) -> String {
    let info = req.connection_info();
    let addr = if settings.trust_proxy_headers {
        info.realip_remote_addr().map(str::to_string)
    } else {
        req.peer_addr().map(|a| a.ip().to_string())
    };
    let addr = addr.unwrap_or_else(|| "unknown".into());
    // `realip_remote_addr` may carry a port.
    match addr.parse::<std::net::SocketAddr>() {
        Ok(sa) => sa.ip().to_string(),
        Err(_) => addr,
    }
}

/// The client's `User-Agent`, shortened, to show a user their sessions.
pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().filter(|c| !c.is_control()).take(300).collect())
}
