//! HTTP: the routes, the extractors that turn a request into an actor and input, the
//! OpenAPI document, and errors as problem+json. A handler extracts, calls one use
//! case of `app`, and answers; it holds no rule and writes no row.

pub mod admin;
pub mod articles;
pub mod auth;
pub mod claims;
pub mod common;
pub mod docs;
pub mod error;
pub mod error_reports;
pub mod evidence;
pub mod extract;
pub mod frontend;
pub mod health;
pub mod live;
pub mod metrics;
pub mod middleware;
pub mod notifications;
pub mod public;
pub mod publishing;
pub mod session;
pub mod settings;
pub mod strict_json;
pub mod users;
pub mod webhooks;

use actix_web::{guard, web};

use crate::app::error::AppError;

/// A route for one method; `GET` also answers `HEAD`.
pub fn method(name: &str) -> actix_web::Route {
    match name {
        "GET" => web::route().guard(guard::Any(guard::Get()).or(guard::Head())),
        "POST" => web::post(),
        "PUT" => web::put(),
        "PATCH" => web::patch(),
        "DELETE" => web::delete(),
        other => unreachable!("unsupported method {other}"),
    }
}

/// Registers a resource whose other methods answer 405 with `Allow`, rather than
/// actix's default 404.
macro_rules! resource {
    ($cfg:expr, $path:expr, $($method:ident => $handler:expr),+ $(,)?) => {{
        let methods: Vec<&str> = vec![$(stringify!($method)),+];
        let allow = methods
            .iter()
            .map(|m| if *m == "GET" { "GET, HEAD" } else { m })
            .collect::<Vec<_>>()
            .join(", ");
        $cfg.service(
            ::actix_web::web::resource($path)
                $(.route($crate::http::method(stringify!($method)).to($handler)))+
                .default_service(::actix_web::web::to(move || {
                    let allow = allow.clone();
                    async move { $crate::http::method_not_allowed(allow) }
                })),
        );
    }};
}
pub(crate) use resource;

pub fn method_not_allowed(allow: String) -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed { allow })
}

pub async fn unknown_api_route() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound(
        "No API route matches this path; see /api/v1/openapi.json.".into(),
    ))
}

/// Every route: the versioned API, the documentation, the public pages and the health
/// checks. The web app is the app's default service (see `startup`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    docs::configure(cfg);
    public::configure_pages(cfg);
    cfg.service(
        web::scope("/api/v1")
            .configure(api_v1)
            .default_service(web::to(unknown_api_route)),
    );
    // Anything else under /api/ is an API 404, never the web app.
    cfg.service(web::scope("/api").default_service(web::to(unknown_api_route)));
}

fn api_v1(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/openapi.json", GET => docs::openapi_json);
    auth::configure(cfg);
    users::configure(cfg);
    articles::configure(cfg);
    claims::configure(cfg);
    live::configure(cfg);
    notifications::configure(cfg);
    evidence::configure(cfg);
    settings::configure(cfg);
    publishing::configure(cfg);
    error_reports::configure(cfg);
    public::configure_api(cfg);
    admin::configure(cfg);
    webhooks::configure(cfg);
}
