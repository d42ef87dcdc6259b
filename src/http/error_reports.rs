//! Readers' error reports, the editors' inbox: list by status, set the status and the
//! correction a report led to, and answer the reader by email.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::error_reports::{
    self, ErrorReportPage, ErrorReportView, ReplyRequest, UpdateErrorReportRequest,
};
use crate::app::{App, AppResult};
use crate::domain::page::PageRequest;
use crate::http::common::{etag, version_hint};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::CurrentUser;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/error-reports", GET => list_error_reports);
    resource!(cfg, "/error-reports/{id}", PATCH => update_error_report);
    resource!(cfg, "/error-reports/{id}/replies", POST => reply_to_error_report);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListErrorReportsQuery {
    /// `new`, `answered`, `corrected` or `dismissed`; all when absent.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Readers' error reports, newest first, each with its page, article, claim, replies
/// and the correction it led to; `new_count` counts those waiting.
#[utoipa::path(get, path = "/api/v1/error-reports", tag = "publishing", params(ListErrorReportsQuery),
    responses((status = 200, body = ErrorReportPage)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_error_reports(
    app: web::Data<App>,
    user: CurrentUser,
    Query(q): Query<ListErrorReportsQuery>,
) -> AppResult<HttpResponse> {
    let page = PageRequest {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
    };
    Ok(HttpResponse::Ok()
        .json(error_reports::list(&app, &user.actor(), q.status.as_deref(), page).await?))
}

/// Set a report's status (`new`, `answered`, `corrected`, `dismissed`) and link the
/// correction it led to (`If-Match` required).
#[utoipa::path(patch, path = "/api/v1/error-reports/{id}", tag = "publishing", request_body = UpdateErrorReportRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = ErrorReportView)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_error_report(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateErrorReportRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let report =
        error_reports::update(&app, &user.actor(), path.into_inner(), version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(report.version))
        .json(report))
}

/// Answer the reader by email (their contact must be an email address; Reply-To is the
/// editor). A new report becomes `answered`.
#[utoipa::path(post, path = "/api/v1/error-reports/{id}/replies", tag = "publishing", request_body = ReplyRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ErrorReportView), (status = 409, description = "The reader left no email address")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn reply_to_error_report(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<ReplyRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(error_reports::reply(&app, &user.actor(), path.into_inner(), body).await?))
}
