//! The verdict scale: labels, colours and ClaimReview values. Everyone signed in reads
//! it; admins replace it; a rating some verdict uses cannot be removed.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;
use utoipa::ToSchema;

use crate::auth::policy::EditRatingScale;
use crate::auth::session::CurrentUser;
use crate::auth::session::Permitted;
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::Json;
use crate::models::audit;
use crate::routes::resource;
use crate::schema::{rating_scale, verdicts};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/rating-scale", GET => get_rating_scale, PUT => put_rating_scale);
}

#[derive(Clone, Debug, Serialize, Deserialize, Queryable, Selectable, Insertable, ToSchema)]
#[diesel(table_name = rating_scale)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// Lower-case letters, digits and underscores, such as `mostly_false`.
    #[schema(pattern = "^[a-z][a-z0-9_]{0,39}$")]
    pub key: String,
    #[schema(
        max_length = 60,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub label: String,
    /// Sort order.
    pub ordinal: i32,
    /// 1 (false) to 5 (true) for ClaimReview; null for off-scale labels such as "Misleading".
    #[schema(minimum = 1, maximum = 5)]
    pub claim_review_value: Option<i16>,
    /// `#rrggbb`.
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: String,
    #[serde(default)]
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub description: String,
}

pub async fn load(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Rating>> {
    rating_scale::table
        .order(rating_scale::ordinal.asc())
        .select(Rating::as_select())
        .load(conn)
        .await
}

/// The whole scale, replacing the current one: at least one rating, keys unique.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct RatingScaleRequest(pub Vec<Rating>);

impl utoipa::PartialSchema for RatingScaleRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name("Rating"))
            .min_items(Some(1))
            .max_items(Some(100))
            .into()
    }
}

impl ToSchema for RatingScaleRequest {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            Rating::name().into(),
            <Rating as utoipa::PartialSchema>::schema(),
        ));
        <Rating as ToSchema>::schemas(schemas);
    }
}

/// A strong validator of the scale's content, for `ETag`/`If-Match`.
fn fingerprint(scale: &[Rating]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(serde_json::to_vec(scale).unwrap_or_default());
    format!(
        "\"{}\"",
        digest
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// The rating scale, in order.
#[utoipa::path(get, path = "/api/v1/rating-scale", tag = "rating scale",
    responses((status = 200, body = Vec<Rating>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_rating_scale(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let scale = load(&mut conn).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, fingerprint(&scale)))
        .json(scale))
}

fn validate(scale: &[Rating]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut keys = HashSet::new();
    if scale.is_empty() || scale.len() > 100 {
        errors.push(FieldError::new("body", "the scale needs 1 to 100 ratings"));
    }
    for (i, r) in scale.iter().enumerate() {
        let at = |f: &str| format!("[{i}].{f}");
        let key_ok = !r.key.is_empty()
            && r.key.len() <= 40
            && r.key.starts_with(|c: char| c.is_ascii_lowercase())
            && r.key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            errors.push(FieldError::new(
                at("key"),
                "must be lower-case letters, digits and underscores, starting with a letter",
            ));
        }
        if !keys.insert(r.key.clone()) {
            errors.push(FieldError::new(at("key"), "appears twice"));
        }
        if let Err(e) = crate::routes::common::check_characters(
            &at("label"),
            &r.label,
            crate::routes::common::Lines::One,
        ) {
            errors.push(e);
        } else if let Err(e) = crate::routes::common::check_characters(
            &at("description"),
            &r.description,
            crate::routes::common::Lines::Many,
        ) {
            errors.push(e);
        }
        if r.description.chars().count() > 5000 {
            errors.push(FieldError::new(
                at("description"),
                "must be at most 5000 characters",
            ));
        }
        if r.label.trim().is_empty() || r.label.chars().count() > 60 {
            errors.push(FieldError::new(at("label"), "must be 1 to 60 characters"));
        }
        if r.claim_review_value.is_some_and(|v| !(1..=5).contains(&v)) {
            errors.push(FieldError::new(
                at("claim_review_value"),
                "must be from 1 to 5, or null",
            ));
        }
        let color_ok = r.color.len() == 7
            && r.color.starts_with('#')
            && r.color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !color_ok {
            errors.push(FieldError::new(at("color"), "must be #rrggbb"));
        }
    }
    errors
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
    state: web::Data<AppState>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditRatingScale>,
    Json(RatingScaleRequest(scale)): Json<RatingScaleRequest>,
) -> AppResult<HttpResponse> {
    let errors = validate(&scale);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let if_match = req
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut conn = state.db().await?;
    let after = conn
        .transaction::<_, AppError, _>(async |conn| {
            diesel::sql_query("LOCK TABLE rating_scale IN EXCLUSIVE MODE")
                .execute(conn)
                .await?;
            let before = load(conn).await?;
            if let Some(tag) = &if_match
                && *tag != fingerprint(&before)
            {
                return Err(AppError::PreconditionFailed {
                    current: json!(before),
                    changed_by: None,
                });
            }
            let keep: HashSet<&str> = scale.iter().map(|r| r.key.as_str()).collect();
            let removed: Vec<String> = before
                .iter()
                .filter(|r| !keep.contains(r.key.as_str()))
                .map(|r| r.key.clone())
                .collect();
            let in_use: Vec<String> = verdicts::table
                .filter(verdicts::rating.eq_any(&removed))
                .select(verdicts::rating.assume_not_null())
                .distinct()
                .load(conn)
                .await?;
            if !in_use.is_empty() {
                let mut extensions = serde_json::Map::new();
                extensions.insert("in_use".into(), json!(in_use));
                return Err(AppError::Conflict {
                    detail: format!(
                        "These ratings are used by verdicts and cannot be removed: {}.",
                        in_use.join(", ")
                    ),
                    extensions,
                });
            }
            diesel::delete(rating_scale::table.filter(rating_scale::key.eq_any(&removed)))
                .execute(conn)
                .await?;
            for r in &scale {
                diesel::insert_into(rating_scale::table)
                    .values(r)
                    .on_conflict(rating_scale::key)
                    .do_update()
                    .set((
                        rating_scale::label.eq(&r.label),
                        rating_scale::ordinal.eq(r.ordinal),
                        rating_scale::claim_review_value.eq(r.claim_review_value),
                        rating_scale::color.eq(&r.color),
                        rating_scale::description.eq(&r.description),
                    ))
                    .execute(conn)
                    .await?;
            }
            let after = load(conn).await?;
            audit::record(
                conn,
                Some(user.id),
                "rating_scale",
                uuid::Uuid::nil(),
                "replace",
                Some(json!(before)),
                Some(json!(after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, fingerprint(&after)))
        .json(after))
}
