//! The newsroom's settings: its name and URL (the ClaimReview author), logo,
//! methodology and corrections policy.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::auth::policy::EditSettings;
use crate::auth::session::CurrentUser;
use crate::auth::session::Permitted;
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::Json;
use crate::models::audit;
use crate::routes::common::{Lines, check_characters, etag, required_line, version_hint};
use crate::routes::resource;
use crate::schema::settings;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/settings", GET => get_settings, PUT => put_settings);
}

#[derive(Clone, Debug, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = settings)]
pub struct NewsroomSettings {
    pub newsroom_name: String,
    /// The newsroom's own site (the ClaimReview author's URL).
    pub public_url: Option<String>,
    pub logo_url: Option<String>,
    /// Markdown, shown at /methodology.
    pub methodology: String,
    pub corrections_policy_url: Option<String>,
    pub default_time_zone: String,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub async fn load(conn: &mut AsyncPgConnection) -> QueryResult<NewsroomSettings> {
    settings::table
        .select(NewsroomSettings::as_select())
        .first(conn)
        .await
}

/// The newsroom settings (anyone signed in).
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = NewsroomSettings)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_settings(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let s = load(&mut conn).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsRequest {
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub newsroom_name: String,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub public_url: Option<String>,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub logo_url: Option<String>,
    #[schema(
        max_length = 50000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub methodology: String,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub corrections_policy_url: Option<String>,
    #[schema(value_type = crate::routes::common::TimeZoneName)]
    pub default_time_zone: String,
    pub version: Option<i32>,
    /// Read-only: accepted so that what `GET /settings` answers can be sent back, and
    /// ignored.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime, read_only)]
    pub updated_at: Option<serde::de::IgnoredAny>,
}

fn optional_url(
    field: &str,
    value: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    crate::routes::common::optional_http_url(field, value.as_deref())
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
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
    state: web::Data<AppState>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditSettings>,
    Json(body): Json<SettingsRequest>,
) -> AppResult<HttpResponse> {
    let mut errors = Vec::new();
    let name = required_line("newsroom_name", &body.newsroom_name, 200)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let public_url = optional_url("public_url", &body.public_url, &mut errors);
    let logo_url = optional_url("logo_url", &body.logo_url, &mut errors);
    let policy_url = optional_url(
        "corrections_policy_url",
        &body.corrections_policy_url,
        &mut errors,
    );
    if let Err(e) = check_characters("methodology", &body.methodology, Lines::Many) {
        errors.push(e);
    }
    if body.methodology.chars().count() > 50_000 {
        errors.push(FieldError::new(
            "methodology",
            "must be at most 50000 characters",
        ));
    }
    if body.default_time_zone.parse::<chrono_tz::Tz>().is_err() {
        errors.push(FieldError::new(
            "default_time_zone",
            "is not an IANA time zone such as Europe/Kyiv",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let version = version_hint(&req, body.version)?.ok_or(AppError::PreconditionRequired)?;
    let mut conn = state.db().await?;
    let after = conn
        .transaction::<_, AppError, _>(async |conn| {
            let before: NewsroomSettings = settings::table
                .select(NewsroomSettings::as_select())
                .for_update()
                .first(conn)
                .await?;
            if before.version != version {
                return Err(AppError::PreconditionFailed {
                    current: json!(before),
                    changed_by: None,
                });
            }
            let after: NewsroomSettings = diesel::update(settings::table)
                .set((
                    settings::newsroom_name.eq(&name),
                    settings::public_url.eq(&public_url),
                    settings::logo_url.eq(&logo_url),
                    settings::methodology.eq(&body.methodology),
                    settings::corrections_policy_url.eq(&policy_url),
                    settings::default_time_zone.eq(&body.default_time_zone),
                    settings::updated_at.eq(diesel::dsl::now),
                    settings::version.eq(settings::version + 1),
                ))
                .returning(NewsroomSettings::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "settings",
                uuid::Uuid::nil(),
                "update",
                Some(json!(before)),
                Some(json!(after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(after.version))
        .json(after))
}
