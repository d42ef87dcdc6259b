//! The verdict scale: labels, colours and ClaimReview values. Everyone signed in reads
//! it; admins replace it; a rating some verdict uses cannot be removed.

use std::collections::HashSet;

use diesel_async::AsyncConnection;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::app::{App, AppError, AppResult};
use crate::db::rating_scale::Rating;
use crate::db::{self, audit::Event};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::{FieldError, Lines, check_characters};

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

/// The scale, in order, and its validator.
pub async fn get(app: &App) -> AppResult<(Vec<Rating>, String)> {
    let mut conn = app.db().await?;
    let scale = db::rating_scale::load(&mut conn).await?;
    let tag = fingerprint(&scale);
    Ok((scale, tag))
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
        if let Err(e) = check_characters(&at("label"), &r.label, Lines::One) {
            errors.push(e);
        } else if let Err(e) = check_characters(&at("description"), &r.description, Lines::Many) {
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

/// Replaces the scale (admins). Removing a rating that a verdict uses is 409; an
/// `if_match` that is not the current scale's validator is 412.
pub async fn put(
    app: &App,
    actor: &Actor,
    if_match: Option<String>,
    scale: Vec<Rating>,
) -> AppResult<(Vec<Rating>, String)> {
    policy::may_edit_rating_scale(actor)?;
    crate::app::error::all_valid(validate(&scale))?;
    let mut conn = app.db().await?;
    let after = conn
        .transaction::<_, AppError, _>(async |conn| {
            db::rating_scale::lock(conn).await?;
            let before = db::rating_scale::load(conn).await?;
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
            let in_use = db::rating_scale::in_use(conn, &removed).await?;
            if !in_use.is_empty() {
                let mut extensions = serde_json::Map::new();
                extensions.insert("in_use".into(), json!(in_use));
                return Err(AppError::Conflict {
                    detail: format!(
                        "These ratings are used by verdicts or reviews and cannot be removed: {}.",
                        in_use.join(", ")
                    ),
                    extensions,
                });
            }
            db::rating_scale::replace(conn, &removed, &scale).await?;
            let after = db::rating_scale::load(conn).await?;
            db::audit::record(
                conn,
                Event::new("rating_scale", uuid::Uuid::nil(), "replace")
                    .by(actor.id)
                    .before(&before)
                    .after(&after),
            )
            .await?;
            Ok(after)
        })
        .await?;
    let tag = fingerprint(&after);
    Ok((after, tag))
}
