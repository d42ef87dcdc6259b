//! HTTP routes: one module per resource, one function per action.

pub mod admin;
pub mod articles;
pub mod assignments;
pub mod auth;
pub mod claim_view;
pub mod claims;
pub mod comments;
pub mod common;
pub mod docs;
pub mod evidence;
pub mod frontend;
pub mod health;
pub mod messages;
pub mod public;
pub mod publications;
pub mod rating_scale;
pub mod reports;
pub mod settings;
pub mod similar;
pub mod stats;
pub mod suggestions;
pub mod users;

use actix_web::{guard, web};

use crate::error::AppError;

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
                $(.route($crate::routes::method(stringify!($method)).to($handler)))+
                .default_service(::actix_web::web::to(move || {
                    let allow = allow.clone();
                    async move { $crate::routes::method_not_allowed(allow) }
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

/// Every route: the versioned API, the documentation and the health checks.
/// The frontend is the app's default service (see `startup`).
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
    assignments::configure(cfg);
    evidence::configure(cfg);
    comments::configure(cfg);
    rating_scale::configure(cfg);
    stats::configure(cfg);
    settings::configure(cfg);
    publications::configure(cfg);
    public::configure_api(cfg);
    reports::configure(cfg);
    messages::configure(cfg);
    admin::configure(cfg);
    similar::configure(cfg);
    suggestions::configure(cfg);
}
