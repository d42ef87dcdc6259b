//! The built web app (`frontend/dist`), compiled into the binary. Client-side routes
//! fall back to `index.html`; `/api/*` never does.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, http::Method};
use rust_embed::RustEmbed;

use crate::app::AppError;

#[derive(RustEmbed)]
#[folder = "frontend/dist"]
#[allow_missing = true]
struct Assets;

pub async fn serve(req: HttpRequest) -> Result<HttpResponse, AppError> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(AppError::NotFound(
            "No route matches this method and path.".into(),
        ));
    }
    let path = req.path().trim_start_matches('/');
    if let Some(file) = (!path.is_empty()).then(|| Assets::get(path)).flatten() {
        // Vite fingerprints everything under assets/, so it can be cached for good.
        let cache = if path.starts_with("assets/") {
            vec![
                CacheDirective::Public,
                CacheDirective::MaxAge(31_536_000),
                CacheDirective::Extension("immutable".into(), None),
            ]
        } else {
            vec![CacheDirective::NoCache]
        };
        return Ok(HttpResponse::Ok()
            .content_type(file.metadata.mimetype())
            .insert_header(CacheControl(cache))
            .body(file.data.into_owned()));
    }
    // A missing file (it has an extension) is a 404; anything else is a client route.
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return Err(AppError::NotFound(format!("No file /{path}.")));
    }
    match Assets::get("index.html") {
        Some(index) => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .insert_header((header::VARY, "Accept-Encoding"))
            .body(index.data.into_owned())),
        None => Err(AppError::Unavailable(
            "The web app was not built into this binary: run `npm --prefix frontend ci && npm --prefix frontend run build`, then rebuild.".into(),
        )),
    }
}
