//! Publishing an article's verdicts, correcting them, and taking a page down.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::{Map, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::policy::Publish;
use crate::auth::session::Permitted;
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::Json;
use crate::models::audit;
use crate::models::claim::{self, Claim, Source, Verdict};
use crate::publish::{PublicSource, Publication, Snapshot};
use crate::routes::claims::{add_comment, check, context, set_status, status_of};
use crate::routes::common::{Lines, check_characters, required_line, required_text};
use crate::routes::rating_scale::{self, Rating};
use crate::routes::resource;
use crate::schema::{
    articles, claims, corrections, publication_verdicts, publications, sources, verdicts,
};
use crate::startup::AppState;
use crate::workflow::{Action, Status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/articles/{id}/publish", POST => publish_article);
    resource!(cfg, "/articles/{id}/corrections", POST => correct_article);
    resource!(cfg, "/articles/{id}/unpublish", POST => unpublish_article);
}

#[derive(Serialize, ToSchema)]
pub struct PublicationView {
    pub id: Uuid,
    pub article_id: Uuid,
    pub slug: String,
    /// The public page.
    pub url: String,
    pub headline: String,
    pub summary: String,
    /// Counts publications: 1 for the first, +1 for each republication.
    pub revision: i32,
    pub published_at: DateTime<Utc>,
    pub unpublished_at: Option<DateTime<Utc>>,
    pub unpublish_reason: Option<String>,
    pub version: i32,
}

pub fn view(p: Publication, state: &AppState) -> PublicationView {
    PublicationView {
        url: format!("{}/p/{}", state.settings.public_base(), p.slug),
        id: p.id,
        article_id: p.article_id,
        slug: p.slug,
        headline: p.headline,
        summary: p.summary,
        revision: p.revision,
        published_at: p.published_at,
        unpublished_at: p.unpublished_at,
        unpublish_reason: p.unpublish_reason,
        version: p.version,
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    #[schema(
        max_length = 300,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub headline: String,
    /// The desk's summary of the article's claims.
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub summary: String,
}

/// A claim that stops publication, and why.
#[derive(Serialize, ToSchema)]
pub struct Blocker {
    pub claim_id: Uuid,
    pub statement: String,
    pub status: Status,
    pub reason: String,
}

async fn unique_slug(conn: &mut AsyncPgConnection, headline: &str) -> QueryResult<String> {
    let mut base: String = slug::slugify(headline).chars().take(80).collect();
    base = base.trim_matches('-').to_string();
    if base.is_empty() {
        base = "verdicts".into();
    }
    for n in 1.. {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let taken: i64 = publications::table
            .filter(publications::slug.eq(&candidate))
            .count()
            .get_result(conn)
            .await?;
        if taken == 0 {
            return Ok(candidate);
        }
    }
    unreachable!("some slug is free")
}

/// Publish (or republish) the article's verdict summary: needs at least one approved
/// claim, every other claim that is not dropped approved or already published, and
/// every approved verdict citing a public http(s) source; otherwise 422 listing the
/// claims that block and why. Records exactly which verdict of each claim is public.
#[utoipa::path(post, path = "/api/v1/articles/{id}/publish", tag = "publishing", request_body = PublishRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PublicationView), (status = 403),
              (status = 404),
              (status = 422, description = "Claims block publication; `blocking` lists them")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn publish_article(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<Publish>,
    path: web::Path<Uuid>,
    Json(body): Json<PublishRequest>,
) -> AppResult<HttpResponse> {
    let article_id = path.into_inner();
    let mut errors = Vec::new();
    let headline = required_line("headline", &body.headline, 300)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let summary = body.summary.trim().to_string();
    if let Err(e) = check_characters("summary", &summary, Lines::Many) {
        errors.push(e);
    }
    if summary.chars().count() > 5000 {
        errors.push(FieldError::new(
            "summary",
            "must be at most 5000 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut conn = state.db().await?;
    let publication = conn
        .transaction::<_, AppError, _>(async |conn| {
            articles::table
                .find(article_id)
                .select(articles::id)
                .for_update()
                .first::<Uuid>(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("article"))?;
            let all: Vec<Claim> = claims::table
                .filter(claims::article_id.eq(article_id))
                .select(Claim::as_select())
                .order(claims::span_start.asc())
                .for_update()
                .load(conn)
                .await?;
            let existing: Option<Publication> = publications::table
                .filter(publications::article_id.eq(article_id))
                .select(Publication::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let live: Vec<&Claim> = all
                .iter()
                .filter(|c| status_of(c) != Status::Dropped)
                .collect();
            let approved: Vec<&Claim> = live
                .iter()
                .copied()
                .filter(|c| status_of(c) == Status::Approved)
                .collect();
            let approved_ids: Vec<Uuid> = approved.iter().map(|c| c.id).collect();
            let approved_verdicts: HashMap<Uuid, Verdict> = verdicts::table
                .filter(verdicts::claim_id.eq_any(&approved_ids))
                .filter(verdicts::state.eq("approved"))
                .select(Verdict::as_select())
                .load::<Verdict>(conn)
                .await?
                .into_iter()
                .map(|v| (v.claim_id, v))
                .collect();
            let mut claim_sources: HashMap<Uuid, Vec<Source>> = HashMap::new();
            for s in sources::table
                .filter(sources::claim_id.eq_any(&approved_ids))
                .order(sources::created_at.asc())
                .select(Source::as_select())
                .load::<Source>(conn)
                .await?
            {
                claim_sources.entry(s.claim_id).or_default().push(s);
            }

            let mut blocking = Vec::new();
            for c in &live {
                let status = status_of(c);
                let reason = match status {
                    Status::Published => None,
                    Status::Approved
                        if !claim_sources.get(&c.id).is_some_and(|s| {
                            s.iter().any(|s| claim::is_public_http_url(&s.url))
                        }) =>
                    {
                        Some("its verdict cites no source with a public http(s) URL".to_string())
                    }
                    Status::Approved if !approved_verdicts.contains_key(&c.id) => {
                        Some("it has no approved verdict".to_string())
                    }
                    Status::Approved => None,
                    other => Some(format!(
                        "it is {}; approve or drop it first",
                        other.as_str().replace('_', " ")
                    )),
                };
                if let Some(reason) = reason {
                    blocking.push(Blocker {
                        claim_id: c.id,
                        statement: c.statement.clone(),
                        status,
                        reason,
                    });
                }
            }
            let restoring = existing
                .as_ref()
                .is_some_and(|p| p.unpublished_at.is_some());
            if approved.is_empty() && !restoring && blocking.is_empty() {
                return Err(AppError::Validation(vec![FieldError::new(
                    "claims",
                    if live.is_empty() {
                        "the article has no claims to publish"
                    } else {
                        "no claim is approved since the last publication"
                    },
                )]));
            }
            if !blocking.is_empty() {
                let errors = blocking
                    .iter()
                    .map(|b| {
                        FieldError::new(
                            format!("claims[{}]", b.claim_id),
                            format!("“{}”: {}", b.statement, b.reason),
                        )
                    })
                    .collect();
                return Err(AppError::Validation(errors));
            }

            let scale: HashMap<String, Rating> = rating_scale::load(conn)
                .await?
                .into_iter()
                .map(|r| (r.key.clone(), r))
                .collect();
            let (publication, previous) = match existing {
                Some(p) => {
                    let after: Publication = diesel::update(publications::table.find(p.id))
                        .set((
                            publications::headline.eq(&headline),
                            publications::summary.eq(&summary),
                            publications::revision.eq(publications::revision + 1),
                            publications::published_by.eq(user.id),
                            publications::published_at.eq(diesel::dsl::now),
                            publications::unpublished_at.eq(None::<DateTime<Utc>>),
                            publications::unpublish_reason.eq(None::<String>),
                            publications::updated_at.eq(diesel::dsl::now),
                            publications::version.eq(publications::version + 1),
                        ))
                        .returning(Publication::as_returning())
                        .get_result(conn)
                        .await?;
                    (after, Some(p))
                }
                None => {
                    let slug = unique_slug(conn, &headline).await?;
                    let created: Publication = diesel::insert_into(publications::table)
                        .values((
                            publications::article_id.eq(article_id),
                            publications::slug.eq(&slug),
                            publications::headline.eq(&headline),
                            publications::summary.eq(&summary),
                            publications::published_by.eq(user.id),
                        ))
                        .returning(Publication::as_returning())
                        .get_result(conn)
                        .await?;
                    (created, None)
                }
            };

            // Claims published before keep the verdict they were published with.
            if let Some(prev) = &previous {
                let carried: Vec<(Uuid, Uuid, serde_json::Value)> = publication_verdicts::table
                    .filter(publication_verdicts::publication_id.eq(prev.id))
                    .filter(publication_verdicts::revision.eq(prev.revision))
                    .filter(publication_verdicts::claim_id.ne_all(&approved_ids))
                    .select((
                        publication_verdicts::claim_id,
                        publication_verdicts::verdict_id,
                        publication_verdicts::snapshot,
                    ))
                    .load(conn)
                    .await?;
                for (claim_id, verdict_id, snapshot) in carried {
                    if live.iter().any(|c| c.id == claim_id) {
                        diesel::insert_into(publication_verdicts::table)
                            .values((
                                publication_verdicts::publication_id.eq(publication.id),
                                publication_verdicts::revision.eq(publication.revision),
                                publication_verdicts::claim_id.eq(claim_id),
                                publication_verdicts::verdict_id.eq(verdict_id),
                                publication_verdicts::snapshot.eq(snapshot),
                            ))
                            .execute(conn)
                            .await?;
                    }
                }
            }
            let now = Utc::now();
            for c in &approved {
                let verdict = &approved_verdicts[&c.id];
                let rating_key = verdict.rating.clone().unwrap_or_default();
                let rating = scale.get(&rating_key);
                let snapshot = Snapshot {
                    statement: c.statement.clone(),
                    claimant: c.claimant.clone(),
                    claimed_at: c.claimed_at,
                    rating_label: rating.map_or(rating_key.clone(), |r| r.label.clone()),
                    rating_color: rating.map_or("#57606a".into(), |r| r.color.clone()),
                    claim_review_value: rating.and_then(|r| r.claim_review_value),
                    rating: rating_key,
                    sources: claim_sources
                        .get(&c.id)
                        .into_iter()
                        .flatten()
                        .filter(|s| claim::is_public_http_url(&s.url))
                        .map(|s| PublicSource {
                            url: s.url.clone(),
                            title: s.title.clone(),
                            publisher: s.publisher.clone(),
                            archive_url: s.archive_url.clone(),
                        })
                        .collect(),
                    published_at: now,
                };
                diesel::insert_into(publication_verdicts::table)
                    .values((
                        publication_verdicts::publication_id.eq(publication.id),
                        publication_verdicts::revision.eq(publication.revision),
                        publication_verdicts::claim_id.eq(c.id),
                        publication_verdicts::verdict_id.eq(verdict.id),
                        publication_verdicts::snapshot.eq(json!(snapshot)),
                    ))
                    .execute(conn)
                    .await?;
                let ctx = context(conn, &user, c, false).await?;
                check(c, Action::Publish, ctx)?;
                set_status(conn, user.id, c, Action::Publish, Status::Published, None).await?;
            }
            audit::record(
                conn,
                Some(user.id),
                "publication",
                publication.id,
                if previous.is_some() {
                    "republish"
                } else {
                    "publish"
                },
                previous.as_ref().map(|p| json!(p)),
                Some(json!(publication)),
            )
            .await?;
            Ok(publication)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(publication, &state)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    /// Shown, dated, on the public page at once.
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub note: String,
    /// Published claims to reopen; their new verdicts go public when re-approved and
    /// the article is republished.
    #[serde(default)]
    pub claim_ids: Vec<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct CorrectionView {
    pub id: Uuid,
    pub note: String,
    pub claim_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
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
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<Publish>,
    path: web::Path<Uuid>,
    Json(body): Json<CorrectionRequest>,
) -> AppResult<HttpResponse> {
    let article_id = path.into_inner();
    let note =
        required_text("note", &body.note, 5000).map_err(|e| AppError::Validation(vec![e]))?;
    let mut conn = state.db().await?;
    let correction = conn
        .transaction::<_, AppError, _>(async |conn| {
            articles::table
                .find(article_id)
                .select(articles::id)
                .first::<Uuid>(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("article"))?;
            let publication: Publication = publications::table
                .filter(publications::article_id.eq(article_id))
                .select(Publication::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::Conflict {
                    detail: "The article has not been published; there is nothing to correct."
                        .into(),
                    extensions: Map::new(),
                })?;
            let mut errors = Vec::new();
            let mut to_reopen = Vec::new();
            for (i, id) in body.claim_ids.iter().enumerate() {
                let c: Option<Claim> = claims::table
                    .find(id)
                    .filter(claims::article_id.eq(article_id))
                    .select(Claim::as_select())
                    .for_update()
                    .first(conn)
                    .await
                    .optional()?;
                match c {
                    Some(c) if status_of(&c) == Status::Published => to_reopen.push(c),
                    Some(c) => errors.push(FieldError::new(
                        format!("claim_ids[{i}]"),
                        format!("is {}, not published", c.status.replace('_', " ")),
                    )),
                    None => errors.push(FieldError::new(
                        format!("claim_ids[{i}]"),
                        "is not a claim of this article",
                    )),
                }
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            for c in &to_reopen {
                let ctx = context(conn, &user, c, false).await?;
                let to = check(c, Action::Reopen, ctx)?;
                if claim::draft_verdict(conn, c.id, true).await?.is_none() {
                    claim::draft_from_approved(conn, c.id, user.id).await?;
                }
                add_comment(conn, user.id, c.id, &format!("Correction: {note}")).await?;
                set_status(conn, user.id, c, Action::Reopen, to, Some(&note)).await?;
            }
            let ids: Vec<Uuid> = to_reopen.iter().map(|c| c.id).collect();
            let (id, created_at): (Uuid, DateTime<Utc>) = diesel::insert_into(corrections::table)
                .values((
                    corrections::publication_id.eq(publication.id),
                    corrections::note.eq(&note),
                    corrections::claim_ids.eq(&ids),
                    corrections::created_by.eq(user.id),
                ))
                .returning((corrections::id, corrections::created_at))
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "publication",
                publication.id,
                "correct",
                None,
                Some(json!({"correction_id": id, "note": note, "claim_ids": ids})),
            )
            .await?;
            Ok(CorrectionView {
                id,
                note: note.clone(),
                claim_ids: ids,
                created_at,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(correction))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnpublishRequest {
    /// Why the page comes down (legal or safety); kept in the audit log.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub reason: String,
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
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<Publish>,
    path: web::Path<Uuid>,
    Json(body): Json<UnpublishRequest>,
) -> AppResult<HttpResponse> {
    let article_id = path.into_inner();
    let reason =
        required_text("reason", &body.reason, 2000).map_err(|e| AppError::Validation(vec![e]))?;
    let mut conn = state.db().await?;
    let publication = conn
        .transaction::<_, AppError, _>(async |conn| {
            articles::table
                .find(article_id)
                .select(articles::id)
                .first::<Uuid>(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("article"))?;
            let before: Publication = publications::table
                .filter(publications::article_id.eq(article_id))
                .select(Publication::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .filter(|p| p.unpublished_at.is_none())
                .ok_or_else(|| AppError::Conflict {
                    detail: "The article has no live public page.".into(),
                    extensions: Map::new(),
                })?;
            let after: Publication = diesel::update(publications::table.find(before.id))
                .set((
                    publications::unpublished_at.eq(diesel::dsl::now),
                    publications::unpublish_reason.eq(&reason),
                    publications::updated_at.eq(diesel::dsl::now),
                    publications::version.eq(publications::version + 1),
                ))
                .returning(Publication::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "publication",
                before.id,
                "unpublish",
                Some(json!(before)),
                Some(json!(after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(publication, &state)))
}
