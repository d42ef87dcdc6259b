//! A claim's evidence: sources and the one draft verdict its reviewers share. Both are
//! locked while the claim is submitted, approved, published or dropped.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::session::CurrentUser;
use crate::domain::time::Timestamp;
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::Json;
use crate::models::audit;
use crate::models::claim::{self, Source, Verdict};
use crate::routes::claim_view::{self, ClaimView, SourceView};
use crate::routes::claims::lock_for_evidence;
use crate::routes::common::{Lines, check_characters, etag, version_hint};
use crate::routes::resource;
use crate::schema::{rating_scale, sources, verdicts};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/claims/{id}/sources", POST => add_source);
    resource!(cfg, "/claims/{id}/sources/{source_id}", PATCH => update_source, DELETE => delete_source);
    resource!(cfg, "/claims/{id}/verdict", PUT => put_verdict);
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Primary,
    OfficialData,
    Expert,
    Secondary,
    Other,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Supports,
    Refutes,
    Context,
}

fn as_str<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// An http(s) URL.
    #[schema(
        max_length = 2000,
        pattern = "^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?$"
    )]
    pub url: Option<String>,
    #[schema(
        max_length = 500,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub title: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub publisher: Option<String>,
    pub kind: Option<SourceKind>,
    pub stance: Option<Stance>,
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub excerpt: Option<String>,
    /// A web archive copy; an empty string clears it.
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub archive_url: Option<String>,
    pub accessed_at: Option<Timestamp>,
    pub version: Option<i32>,
}

/// A new source: the fields of [`SourceRequest`], with the URL required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSourceRequest {
    /// An http(s) URL.
    #[schema(
        max_length = 2000,
        pattern = "^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?$"
    )]
    pub url: String,
    #[schema(
        max_length = 500,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub title: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub publisher: Option<String>,
    pub kind: Option<SourceKind>,
    pub stance: Option<Stance>,
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub excerpt: Option<String>,
    /// A web archive copy; an empty string means none.
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub archive_url: Option<String>,
    pub accessed_at: Option<Timestamp>,
}

impl From<NewSourceRequest> for SourceRequest {
    fn from(n: NewSourceRequest) -> Self {
        Self {
            url: Some(n.url),
            title: n.title,
            publisher: n.publisher,
            kind: n.kind,
            stance: n.stance,
            excerpt: n.excerpt,
            archive_url: n.archive_url,
            accessed_at: n.accessed_at,
            version: None,
        }
    }
}

struct SourceFields {
    url: Option<String>,
    title: Option<String>,
    publisher: Option<String>,
    excerpt: Option<String>,
    archive_url: Option<Option<String>>,
}

fn validate_source(body: &SourceRequest, creating: bool) -> Result<SourceFields, AppError> {
    let mut errors = Vec::new();
    let url = match body.url.as_deref() {
        Some(u) => crate::routes::common::http_url("url", u)
            .map_err(|e| errors.push(e))
            .ok(),
        None if creating => {
            errors.push(FieldError::new("url", "is required"));
            None
        }
        None => None,
    };
    let archive_url = body.archive_url.as_deref().map(|u| {
        crate::routes::common::optional_http_url("archive_url", Some(u))
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
    });
    let mut text = |name: &str, value: &Option<String>, max: usize, lines: Lines| {
        let raw = value.as_deref();
        let v = raw.map(str::trim).map(String::from);
        if let Some(Err(e)) = raw.map(|v| check_characters(name, v, lines)) {
            errors.push(e);
        } else if raw.is_some_and(|v| v.chars().count() > max) {
            errors.push(FieldError::new(
                name,
                format!("must be at most {max} characters"),
            ));
        }
        v
    };
    let title = text("title", &body.title, 500, Lines::One);
    let publisher = text("publisher", &body.publisher, 200, Lines::One);
    let excerpt = text("excerpt", &body.excerpt, 5000, Lines::Many);
    if errors.is_empty() {
        Ok(SourceFields {
            url,
            title,
            publisher,
            excerpt,
            archive_url,
        })
    } else {
        Err(AppError::Validation(errors))
    }
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
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<NewSourceRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let body = SourceRequest::from(body);
    let mut conn = state.db().await?;
    let source = conn
        .transaction::<_, AppError, _>(async |conn| {
            lock_for_evidence(conn, &user, id).await?;
            let f = validate_source(&body, true)?;
            let source: Source = diesel::insert_into(sources::table)
                .values((
                    sources::claim_id.eq(id),
                    sources::url.eq(f.url.unwrap_or_default()),
                    sources::title.eq(f.title.unwrap_or_default()),
                    sources::publisher.eq(f.publisher.unwrap_or_default()),
                    sources::kind.eq(as_str(body.kind.unwrap_or(SourceKind::Other))),
                    sources::stance.eq(as_str(body.stance.unwrap_or(Stance::Context))),
                    sources::excerpt.eq(f.excerpt.unwrap_or_default()),
                    sources::archive_url.eq(f.archive_url.flatten()),
                    sources::accessed_at.eq(body.accessed_at.map(Timestamp::get)),
                    sources::added_by.eq(user.id),
                ))
                .returning(Source::as_returning())
                .get_result(conn)
                .await?;
            audit::record_for_claim(
                conn,
                Some(user.id),
                id,
                "source",
                source.id,
                "create",
                None,
                Some(json!(source)),
            )
            .await?;
            Ok(source)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(source.version))
        .json(SourceView::from(source)))
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
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
    Json(body): Json<SourceRequest>,
) -> AppResult<HttpResponse> {
    let (id, source_id) = path.into_inner();
    let version = version_hint(&req, body.version)?;
    let mut conn = state.db().await?;
    let source = conn
        .transaction::<_, AppError, _>(async |conn| {
            lock_for_evidence(conn, &user, id).await?;
            let before: Source = sources::table
                .filter(sources::id.eq(source_id))
                .filter(sources::claim_id.eq(id))
                .select(Source::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("source"))?;
            let f = validate_source(&body, false)?;
            let version = version.ok_or(AppError::PreconditionRequired)?;
            if before.version != version {
                let changed_by = audit::last_change(conn, "source", before.id).await?;
                return Err(AppError::PreconditionFailed {
                    current: json!(SourceView::from(before)),
                    changed_by,
                });
            }
            let after: Source = diesel::update(sources::table.find(source_id))
                .set((
                    sources::url.eq(f.url.unwrap_or(before.url.clone())),
                    sources::title.eq(f.title.unwrap_or(before.title.clone())),
                    sources::publisher.eq(f.publisher.unwrap_or(before.publisher.clone())),
                    sources::kind.eq(body.kind.map_or(before.kind.clone(), as_str)),
                    sources::stance.eq(body.stance.map_or(before.stance.clone(), as_str)),
                    sources::excerpt.eq(f.excerpt.unwrap_or(before.excerpt.clone())),
                    sources::archive_url.eq(f.archive_url.unwrap_or(before.archive_url.clone())),
                    sources::accessed_at
                        .eq(body.accessed_at.map(Timestamp::get).or(before.accessed_at)),
                    sources::updated_at.eq(diesel::dsl::now),
                    sources::version.eq(sources::version + 1),
                ))
                .returning(Source::as_returning())
                .get_result(conn)
                .await?;
            audit::record_for_claim(
                conn,
                Some(user.id),
                id,
                "source",
                source_id,
                "update",
                Some(json!(before)),
                Some(json!(after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(source.version))
        .json(SourceView::from(source)))
}

/// Remove a source.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/sources/{source_id}", tag = "evidence",
    params(("id" = Uuid, Path), ("source_id" = Uuid, Path)),
    responses((status = 204), (status = 404),
              (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn delete_source(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, source_id) = path.into_inner();
    let mut conn = state.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        lock_for_evidence(conn, &user, id).await?;
        let before: Source = diesel::delete(
            sources::table
                .filter(sources::id.eq(source_id))
                .filter(sources::claim_id.eq(id)),
        )
        .returning(Source::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("source"))?;
        audit::record_for_claim(
            conn,
            Some(user.id),
            id,
            "source",
            source_id,
            "delete",
            Some(json!(before)),
            None,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub const MAX_SUMMARY_CHARS: usize = 280;
pub const MAX_EXPLANATION_CHARS: usize = 20_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictRequest {
    /// A key of the rating scale, or null while undecided.
    #[schema(pattern = "^[a-z][a-z0-9_]{0,39}$")]
    pub rating: Option<String>,
    /// One sentence, at most 280 characters.
    #[schema(
        max_length = 280,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub summary: Option<String>,
    /// Markdown, at most 20,000 characters.
    #[schema(
        max_length = 20000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub explanation: Option<String>,
    /// The draft's version when it exists (or send `If-Match`).
    pub version: Option<i32>,
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
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<VerdictRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut errors = Vec::new();
    let summary = body
        .summary
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    if let Err(e) = check_characters("summary", &summary, Lines::Many) {
        errors.push(e);
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        errors.push(FieldError::new(
            "summary",
            format!("must be at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    let explanation = body.explanation.as_deref().unwrap_or("").to_string();
    if let Err(e) = check_characters("explanation", &explanation, Lines::Many) {
        errors.push(e);
    } else if explanation.chars().count() > MAX_EXPLANATION_CHARS {
        errors.push(FieldError::new(
            "explanation",
            format!("must be at most {MAX_EXPLANATION_CHARS} characters"),
        ));
    }
    let version = version_hint(&req, body.version)?;
    let mut conn = state.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let claim = lock_for_evidence(conn, &user, id).await?;
            if let Some(rating) = &body.rating {
                let known: i64 = rating_scale::table
                    .filter(rating_scale::key.eq(rating))
                    .count()
                    .get_result(conn)
                    .await?;
                if known == 0 {
                    errors.push(FieldError::new(
                        "rating",
                        format!("`{rating}` is not on the rating scale"),
                    ));
                }
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            match claim::draft_verdict(conn, id, true).await? {
                Some(before) => {
                    let version = version.ok_or(AppError::PreconditionRequired)?;
                    if before.version != version {
                        let changed_by = audit::last_change(conn, "verdict", before.id).await?;
                        let current = claim_view::build_one(conn, &user, claim).await?;
                        return Err(AppError::PreconditionFailed {
                            current: json!(current),
                            changed_by,
                        });
                    }
                    let after: Verdict = diesel::update(verdicts::table.find(before.id))
                        .set((
                            verdicts::rating.eq(&body.rating),
                            verdicts::summary.eq(&summary),
                            verdicts::explanation.eq(&explanation),
                            verdicts::author_id.eq(user.id),
                            verdicts::updated_at.eq(diesel::dsl::now),
                            verdicts::version.eq(verdicts::version + 1),
                        ))
                        .returning(Verdict::as_returning())
                        .get_result(conn)
                        .await?;
                    audit::record_for_claim(
                        conn,
                        Some(user.id),
                        id,
                        "verdict",
                        after.id,
                        "update",
                        Some(json!(before)),
                        Some(json!(after)),
                    )
                    .await?;
                }
                None => {
                    let created: Verdict = diesel::insert_into(verdicts::table)
                        .values((
                            verdicts::claim_id.eq(id),
                            verdicts::rating.eq(&body.rating),
                            verdicts::summary.eq(&summary),
                            verdicts::explanation.eq(&explanation),
                            verdicts::author_id.eq(user.id),
                        ))
                        .returning(Verdict::as_returning())
                        .get_result(conn)
                        .await?;
                    audit::record_for_claim(
                        conn,
                        Some(user.id),
                        id,
                        "verdict",
                        created.id,
                        "create",
                        None,
                        Some(json!(created)),
                    )
                    .await?;
                }
            }
            Ok(claim)
        })
        .await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}
