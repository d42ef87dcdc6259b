//! Publishing an article's verdicts, corrections, taking a page down, exporting
//! verdict reports and emailing reviewers.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::messages::{self, MessageRequest, MessageSent};
use crate::app::publishing::{
    self, CorrectionRequest, CorrectionView, PublicationView, PublishRequest, UnpublishRequest,
};
use crate::app::reports::{self, ExportRequest};
use crate::app::{App, AppResult};
use crate::domain::policy::{Export, MessageReviewers, Publish};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::Permitted;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/articles/{id}/publish", POST => publish_article);
    resource!(cfg, "/articles/{id}/corrections", POST => correct_article);
    resource!(cfg, "/articles/{id}/unpublish", POST => unpublish_article);
    resource!(cfg, "/reports/verdicts", GET => export_verdicts);
    resource!(cfg, "/messages", POST => send_message);
}

/// Publish (or republish) the article's verdict summary: needs at least one approved
/// claim, every other claim that is not dropped approved or already published, and
/// every approved verdict citing a public http(s) source; otherwise 422 listing the
/// claims that block and why. Records exactly which verdict of each claim is public.
/// Publishing again needs a newly approved claim or a new headline or summary (a new
/// revision), unless it restores a page that was taken down.
#[utoipa::path(post, path = "/api/v1/articles/{id}/publish", tag = "publishing", request_body = PublishRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PublicationView), (status = 403),
              (status = 404),
              (status = 422, description = "Claims block publication; `blocking` lists them")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn publish_article(
    app: web::Data<App>,
    Permitted(user, _): Permitted<Publish>,
    path: web::Path<Uuid>,
    Json(body): Json<PublishRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(publishing::publish(&app, &user.actor(), path.into_inner(), body).await?))
}

/// Correct a published article: the dated note appears on the public page at once and
/// the listed claims are reopened (their public verdict stays until republication).
#[utoipa::path(post, path = "/api/v1/articles/{id}/corrections", tag = "publishing", request_body = CorrectionRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CorrectionView), (status = 404),
              (status = 409, description = "Not published"),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn correct_article(
    app: web::Data<App>,
    Permitted(user, _): Permitted<Publish>,
    path: web::Path<Uuid>,
    Json(body): Json<CorrectionRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(publishing::correct(&app, &user.actor(), path.into_inner(), body).await?))
}

/// Take a published page down: its URL answers 410 with a short notice and its
/// ClaimReview disappears; publishing again restores it.
#[utoipa::path(post, path = "/api/v1/articles/{id}/unpublish", tag = "publishing", request_body = UnpublishRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PublicationView), (status = 404),
              (status = 409),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn unpublish_article(
    app: web::Data<App>,
    Permitted(user, _): Permitted<Publish>,
    path: web::Path<Uuid>,
    Json(body): Json<UnpublishRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(publishing::unpublish(&app, &user.actor(), path.into_inner(), body).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv, json, ndjson, claimreview or md.
    #[param(pattern = "^(csv|json|ndjson|claimreview|md)$")]
    pub format: Option<String>,
    /// From this date (`2025-02-20`) or time: the verdict's approval, else the claim's creation.
    #[param(value_type = Option<crate::domain::validation::DateOrTime>)]
    pub from: Option<String>,
    /// Up to and including this date, or before this time.
    #[param(value_type = Option<crate::domain::validation::DateOrTime>)]
    pub to: Option<String>,
    #[param(format = Uuid)]
    pub article_id: Option<String>,
    /// A reviewer's id: claims assigned to them.
    #[param(format = Uuid)]
    pub reviewer: Option<String>,
    /// A rating key.
    #[param(max_length = 40)]
    pub rating: Option<String>,
    /// Claim statuses, comma-separated.
    #[param(
        pattern = "^(|(draft|assigned|in_review|submitted|approved|published|dropped)(,(draft|assigned|in_review|submitted|approved|published|dropped))*)$"
    )]
    pub status: Option<String>,
    /// CSV only: start with a UTF-8 byte-order mark, so that Excel reads the text as
    /// UTF-8 (default true; `false` for programs that do not expect one).
    pub bom: Option<bool>,
}

/// Export verdict reports (editors): one row per claim with its current verdict, as
/// CSV (formula-safe), a JSON array, NDJSON, ClaimReview objects or Markdown grouped
/// by article. Streamed; memory stays flat whatever the size.
#[utoipa::path(get, path = "/api/v1/reports/verdicts", tag = "reports", params(ExportQuery),
    responses((status = 200, description = "The report, as an attachment", content(
                  ("text/csv"), ("application/json"), ("application/x-ndjson"), ("text/markdown"))),
              (status = 403),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn export_verdicts(
    app: web::Data<App>,
    Permitted(user, _): Permitted<Export>,
    Query(q): Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let export = reports::export(
        &app,
        &user.actor(),
        ExportRequest {
            format: q.format.as_deref(),
            from: q.from.as_deref(),
            to: q.to.as_deref(),
            article_id: q.article_id.as_deref(),
            reviewer: q.reviewer.as_deref(),
            rating: q.rating.as_deref(),
            status: q.status.as_deref(),
            bom: q.bom.unwrap_or(true),
        },
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(export.format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(export.filename)],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(export.body))
}

/// Email chosen reviewers (editors; limited per editor per hour).
#[utoipa::path(post, path = "/api/v1/messages", tag = "messages", request_body = MessageRequest,
    responses((status = 202, body = MessageSent), (status = 403),
              (status = 422),
              (status = 429, description = "FACTDESK_MESSAGE_LIMIT_PER_HOUR (default 20) reached")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn send_message(
    app: web::Data<App>,
    Permitted(user, _): Permitted<MessageReviewers>,
    Json(body): Json<MessageRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Accepted().json(messages::send(&app, &user.actor(), body).await?))
}
