//! A claim's evidence: sources and the one draft verdict its reviewers share.

use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::app::claim_view::{ClaimView, SourceView};
use crate::app::evidence::{self, NewSourceRequest, SourceRequest, VerdictRequest};
use crate::app::{App, AppResult};
use crate::http::common::{etag, version_hint};
use crate::http::extract::Json;
use crate::http::resource;
use crate::http::session::CurrentUser;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/claims/{id}/sources", POST => add_source);
    resource!(cfg, "/claims/{id}/sources/{source_id}", PATCH => update_source, DELETE => delete_source);
    resource!(cfg, "/claims/{id}/verdict", PUT => put_verdict);
}

/// Add a source (assigned reviewers and editors). A reviewer's first edit of an
/// assigned claim starts it.
#[utoipa::path(post, path = "/api/v1/claims/{id}/sources", tag = "evidence", request_body = NewSourceRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = SourceView), (status = 404),
              (status = 409, description = "Evidence is locked in this state"),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_source(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<NewSourceRequest>,
) -> AppResult<HttpResponse> {
    let source = evidence::add_source(&app, &user.actor(), path.into_inner(), body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(source.version))
        .json(source))
}

/// Edit a source (`If-Match` required).
#[utoipa::path(patch, path = "/api/v1/claims/{id}/sources/{source_id}", tag = "evidence", request_body = SourceRequest,
    params(("id" = Uuid, Path), ("source_id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = SourceView), (status = 404),
              (status = 409),
              (status = 412),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_source(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
    Json(body): Json<SourceRequest>,
) -> AppResult<HttpResponse> {
    let (id, source_id) = path.into_inner();
    let version = version_hint(&req, body.version)?;
    let source = evidence::update_source(&app, &user.actor(), id, source_id, version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(source.version))
        .json(source))
}

/// Remove a source.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/sources/{source_id}", tag = "evidence",
    params(("id" = Uuid, Path), ("source_id" = Uuid, Path)),
    responses((status = 204), (status = 404),
              (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn delete_source(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, source_id) = path.into_inner();
    evidence::delete_source(&app, &user.actor(), id, source_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Write the claim's one draft verdict (assigned reviewers and editors). Creating it
/// needs no version; changing an existing draft needs its version, so two reviewers
/// never silently overwrite each other.
#[utoipa::path(put, path = "/api/v1/claims/{id}/verdict", tag = "evidence", request_body = VerdictRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The draft verdict's version")),
    responses((status = 200, body = ClaimView), (status = 404),
              (status = 409),
              (status = 412),
              (status = 422),
              (status = 428)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn put_verdict(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<VerdictRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let view: ClaimView =
        evidence::put_verdict(&app, &user.actor(), path.into_inner(), version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}
