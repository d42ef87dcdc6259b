//! Newsroom settings, the rating scale and desk statistics.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::rating_scale::{self, RatingScaleRequest};
use crate::app::settings::{self, SettingsRequest};
use crate::app::stats::{self, Agreement, Stats};
use crate::app::{App, AppResult};
use crate::db::rating_scale::Rating;
use crate::db::settings::NewsroomSettings;
use crate::domain::policy::{EditRatingScale, EditSettings, SeeStats};
use crate::http::common::{etag, if_match_tag, version_hint};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::{CurrentUser, Permitted};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/settings", GET => get_settings, PUT => put_settings);
    resource!(cfg, "/rating-scale", GET => get_rating_scale, PUT => put_rating_scale);
    resource!(cfg, "/stats", GET => get_stats);
    resource!(cfg, "/stats/agreement", GET => get_agreement);
}

/// The newsroom settings (anyone signed in).
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = NewsroomSettings)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_settings(app: web::Data<App>, _user: CurrentUser) -> AppResult<HttpResponse> {
    let s = settings::get(&app).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

/// Replace the newsroom settings (admins; `If-Match` required).
#[utoipa::path(put, path = "/api/v1/settings", tag = "settings", request_body = SettingsRequest,
    params(("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = NewsroomSettings), (status = 403),
              (status = 412),
              (status = 422),
              (status = 428)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn put_settings(
    app: web::Data<App>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditSettings>,
    Json(body): Json<SettingsRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let s = settings::put(&app, &user.actor(), version, body).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

fn scale_answer((scale, tag): (Vec<Rating>, String)) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, tag))
        .json(scale)
}

/// The rating scale, in order.
#[utoipa::path(get, path = "/api/v1/rating-scale", tag = "rating scale",
    responses((status = 200, body = Vec<Rating>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_rating_scale(app: web::Data<App>, _user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(scale_answer(rating_scale::get(&app).await?))
}

/// Replace the rating scale (admins). Removing a rating that a verdict uses is 409.
#[utoipa::path(put, path = "/api/v1/rating-scale", tag = "rating scale", request_body = RatingScaleRequest,
    params(("If-Match" = Option<String>, Header, description = "The ETag of the scale being replaced")),
    responses((status = 200, body = Vec<Rating>), (status = 403),
              (status = 409, description = "A removed rating is in use"),
              (status = 412),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn put_rating_scale(
    app: web::Data<App>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditRatingScale>,
    Json(RatingScaleRequest(scale)): Json<RatingScaleRequest>,
) -> AppResult<HttpResponse> {
    Ok(scale_answer(
        rating_scale::put(&app, &user.actor(), if_match_tag(&req), scale).await?,
    ))
}

/// Desk statistics (editors).
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats",
    responses((status = 200, body = Stats), (status = 403)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_stats(
    app: web::Data<App>,
    Permitted(user, _): Permitted<SeeStats>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(stats::get(&app, &user.actor()).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgreementQuery {
    /// From this date (`2025-02-20`) or time: when the claim's last independent rating came in.
    #[param(value_type = Option<crate::domain::validation::DateOrTime>)]
    pub from: Option<String>,
    /// Up to and including this date, or before this time.
    #[param(value_type = Option<crate::domain::validation::DateOrTime>)]
    pub to: Option<String>,
}

/// How far independent reviewers agree (editors): for the desk, percent agreement and
/// Krippendorff's alpha; per pair of reviewers, percent agreement and Cohen's kappa.
#[utoipa::path(get, path = "/api/v1/stats/agreement", tag = "stats", params(AgreementQuery),
    responses((status = 200, body = Agreement), (status = 403), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_agreement(
    app: web::Data<App>,
    Permitted(user, _): Permitted<SeeStats>,
    Query(q): Query<AgreementQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(stats::agreement(&app, &user.actor(), q.from.as_deref(), q.to.as_deref()).await?))
}
