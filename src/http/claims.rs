//! Claims: the queue, one claim, edits, transitions, history, reviewers, comments and
//! similar earlier claims.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::assignments::{self, AssignRequest};
use crate::app::bulk::{self, BulkRequest, BulkRequestSchema};
use crate::app::claim_view::{ClaimView, CommentView};
use crate::app::claims::{
    self, CheckedFigureRequest, ClaimQuery, HistoryEvent, UpdateClaimRequest,
};
use crate::app::comments::{self, CommentRequest};
use crate::app::evidence::VerdictRequest;
use crate::app::replies::{self, RightOfReplyRequest, RightOfReplyView};
use crate::app::reviews::{self, ReviewList, ReviewView};
use crate::app::similar::{self, SimilarClaim};
use crate::app::transitions::{self, TransitionRequest};
use crate::app::{App, AppResult};
use crate::domain::page::{Page, PageRequest};
use crate::domain::policy::{Assign, EditArticles};
use crate::http::common::{etag, version_hint};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::{CurrentUser, Permitted};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/claims", GET => list_claims);
    // Before `/claims/{id}`, which would take "bulk" for an id.
    resource!(cfg, "/claims/bulk", POST => bulk_claims);
    resource!(cfg, "/claims/similar", GET => similar_to_text);
    resource!(cfg, "/claims/{id}", GET => get_claim, PATCH => update_claim, DELETE => delete_claim);
    resource!(cfg, "/claims/{id}/figure/checked", PUT => set_checked_figure, DELETE => clear_checked_figure);
    resource!(cfg, "/claims/{id}/transitions", POST => transition_claim);
    resource!(cfg, "/claims/{id}/history", GET => claim_history);
    resource!(cfg, "/claims/{id}/assignments", POST => assign_reviewer);
    resource!(cfg, "/claims/{id}/assignments/{user_id}", DELETE => unassign_reviewer);
    resource!(cfg, "/claims/{id}/comments", GET => list_comments, POST => create_comment);
    resource!(cfg, "/claims/{id}/similar", GET => similar_claims);
    resource!(cfg, "/claims/{id}/replies", GET => list_replies, POST => create_reply);
    resource!(cfg, "/claims/{id}/reviews", GET => list_reviews);
    resource!(cfg, "/claims/{id}/reviews/me", PUT => put_my_review);
    resource!(cfg, "/claims/{id}/reviews/me/submit", POST => submit_my_review);
    resource!(cfg, "/claims/{id}/replies/{reply_id}", PATCH => update_reply);
}

fn viewed(view: ClaimView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListClaimsQuery {
    /// One status or several, comma-separated: `in_review,submitted`.
    #[param(
        pattern = "^(|(draft|assigned|in_review|submitted|approved|published|dropped)(,(draft|assigned|in_review|submitted|approved|published|dropped))*)$"
    )]
    pub status: Option<String>,
    /// `me` or a reviewer's id: that reviewer's queue, by due time then priority.
    #[param(
        pattern = "^(|me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    )]
    pub assignee: Option<String>,
    pub article_id: Option<Uuid>,
    /// A rating key: claims whose current verdict has it.
    pub rating: Option<String>,
    /// Full-text search over statement and quote.
    pub q: Option<String>,
    /// Only claims past their due time (or only those not).
    pub overdue: Option<bool>,
    /// Claims whose statement reads like this text, most similar first (no paging;
    /// a reviewer sees published claims and their own).
    pub similar_to: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Claims, filtered. A reviewer sees only their own claims, as a queue sorted by due
/// time then priority; so does anyone asking for `assignee`. Otherwise newest first.
#[utoipa::path(get, path = "/api/v1/claims", tag = "claims", params(ListClaimsQuery),
    responses((status = 200, body = Page<ClaimView>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_claims(
    app: web::Data<App>,
    user: CurrentUser,
    Query(q): Query<ListClaimsQuery>,
) -> AppResult<HttpResponse> {
    let page = claims::list(
        &app,
        &user.actor(),
        ClaimQuery {
            status: q.status.as_deref(),
            assignee: q.assignee.as_deref(),
            article_id: q.article_id,
            rating: q.rating.as_deref(),
            q: q.q.as_deref(),
            overdue: q.overdue,
            similar_to: q.similar_to.as_deref(),
            page: PageRequest {
                limit: q.limit,
                cursor: q.cursor.as_deref(),
            },
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A claim with its reviewers, sources, verdicts, comments and allowed actions.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = ClaimView)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_claim(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(viewed(
        claims::get(&app, &user.actor(), path.into_inner()).await?,
    ))
}

/// One claim's outcome in a bulk action: the claim as it is now, or why it was refused.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkOutcome {
    pub claim_id: Uuid,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimView>,
    /// The problem, as a single-claim request would have answered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::http::error::Problem>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkAnswer {
    /// One per claim asked for, in that order.
    pub results: Vec<BulkOutcome>,
    pub succeeded: usize,
    pub failed: usize,
}

/// Assign several claims to one reviewer with one due time, change their priority, or
/// drop them (with a comment). One transaction; each claim is done or refused on its
/// own, with one audit event per claim, and the answer reports each.
#[utoipa::path(post, path = "/api/v1/claims/bulk", tag = "claims", request_body = BulkRequestSchema,
    responses((status = 200, body = BulkAnswer), (status = 422, description = "The request itself is invalid; nothing was done")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn bulk_claims(
    app: web::Data<App>,
    user: CurrentUser,
    Json(body): Json<BulkRequest>,
) -> AppResult<HttpResponse> {
    let outcomes = bulk::run(&app, &user.actor(), body).await?;
    let results: Vec<BulkOutcome> = outcomes
        .into_iter()
        .map(|(claim_id, outcome)| match outcome {
            Ok(claim) => BulkOutcome {
                claim_id,
                ok: true,
                claim: Some(claim),
                problem: None,
            },
            Err(e) => BulkOutcome {
                claim_id,
                ok: false,
                claim: None,
                problem: Some(crate::http::error::problem(&e)),
            },
        })
        .collect();
    let succeeded = results.iter().filter(|r| r.ok).count();
    Ok(HttpResponse::Ok().json(BulkAnswer {
        failed: results.len() - succeeded,
        succeeded,
        results,
    }))
}

/// Edit a claim's statement, claimant, date, priority or span (`If-Match` required).
/// What an approved or published claim says, and where, change only after a reopen.
#[utoipa::path(patch, path = "/api/v1/claims/{id}", tag = "claims", request_body = UpdateClaimRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = ClaimView), (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_claim(
    app: web::Data<App>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateClaimRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    Ok(viewed(
        claims::update(&app, &user.actor(), path.into_inner(), version, body).await?,
    ))
}

/// Record the checked figure of a numeric claim (`If-Match` required): the value or
/// range found, for which period, from which of the claim's sources. Editors and the
/// claim's reviewers, while its evidence is open.
#[utoipa::path(put, path = "/api/v1/claims/{id}/figure/checked", tag = "claims", request_body = CheckedFigureRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The claim's version")),
    responses((status = 200, body = ClaimView), (status = 409), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_checked_figure(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<CheckedFigureRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    Ok(viewed(
        claims::set_checked_figure(
            &app,
            &user.actor(),
            path.into_inner(),
            version,
            Some(body.figure()),
        )
        .await?,
    ))
}

/// Remove the checked figure (with `If-Match`, only from that version); the claimed
/// one stays.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/figure/checked", tag = "claims",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The claim's version")),
    responses((status = 200, body = ClaimView), (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn clear_checked_figure(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, None)?;
    Ok(viewed(
        claims::set_checked_figure(&app, &user.actor(), path.into_inner(), version, None).await?,
    ))
}

/// Delete a claim still in `draft`; any other state is 409.
#[utoipa::path(delete, path = "/api/v1/claims/{id}", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn delete_claim(
    app: web::Data<App>,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    claims::delete(&app, &user.actor(), path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Move a claim through the workflow. 409 with `current_status` and `allowed_actions`
/// when the state does not allow the action.
#[utoipa::path(post, path = "/api/v1/claims/{id}/transitions", tag = "claims", request_body = TransitionRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ClaimView), (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn transition_claim(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<TransitionRequest>,
) -> AppResult<HttpResponse> {
    Ok(viewed(
        transitions::transition(&app, &user.actor(), path.into_inner(), body).await?,
    ))
}

/// Everything that happened to a claim and its sources, verdicts, reviewers and
/// comments, oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/history", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<HistoryEvent>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn claim_history(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(claims::history(&app, &user.actor(), path.into_inner()).await?))
}

/// Assign a reviewer (201), or change an assigned reviewer's due time and note (200).
/// Only active reviewers can be assigned.
#[utoipa::path(post, path = "/api/v1/claims/{id}/assignments", tag = "claims", request_body = AssignRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = ClaimView), (status = 200, body = ClaimView, description = "Due time or note changed"),
              (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn assign_reviewer(
    app: web::Data<App>,
    Permitted(user, _): Permitted<Assign>,
    path: web::Path<Uuid>,
    Json(body): Json<AssignRequest>,
) -> AppResult<HttpResponse> {
    let (view, created) = assignments::assign(&app, &user.actor(), path.into_inner(), body).await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(view))
}

/// Remove a reviewer from a claim. The draft verdict and the sources stay; when the last
/// reviewer of an assigned or in-review claim leaves, it is a draft again.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/assignments/{user_id}", tag = "claims",
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 200, body = ClaimView), (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn unassign_reviewer(
    app: web::Data<App>,
    Permitted(user, _): Permitted<Assign>,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, reviewer) = path.into_inner();
    Ok(HttpResponse::Ok().json(assignments::unassign(&app, &user.actor(), id, reviewer).await?))
}

/// The claim's comments, oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/comments", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<CommentView>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_comments(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(comments::list(&app, &user.actor(), path.into_inner()).await?))
}

/// Comment on a claim (editors and its reviewers).
#[utoipa::path(post, path = "/api/v1/claims/{id}/comments", tag = "claims", request_body = CommentRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CommentView)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_comment(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<CommentRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(comments::create(&app, &user.actor(), path.into_inner(), body).await?))
}

/// A claim's independent proposals: editors see all; a reviewer their own, and the
/// others' once every reviewer's is in.
#[utoipa::path(get, path = "/api/v1/claims/{id}/reviews", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewList)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_reviews(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(reviews::list(&app, &user.actor(), path.into_inner()).await?))
}

/// Write your own proposal on a claim with independent reviews (its reviewers): rating,
/// summary, explanation. Changing a draft needs its version (`If-Match` or `version`).
#[utoipa::path(put, path = "/api/v1/claims/{id}/reviews/me", tag = "claims", request_body = VerdictRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "Your draft's version")),
    responses((status = 200, body = ReviewView), (status = 409), (status = 412), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn put_my_review(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<VerdictRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let view = reviews::save_mine(&app, &user.actor(), path.into_inner(), version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Submit your proposal; the claim is submitted with the last reviewer's.
#[utoipa::path(post, path = "/api/v1/claims/{id}/reviews/me/submit", tag = "claims",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ClaimView), (status = 409), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn submit_my_review(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(viewed(
        reviews::submit_mine(&app, &user.actor(), path.into_inner()).await?,
    ))
}

/// The attempts to reach the claimant for comment, oldest first (editors and the
/// claim's reviewers).
#[utoipa::path(get, path = "/api/v1/claims/{id}/replies", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<RightOfReplyView>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_replies(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(replies::list(&app, &user.actor(), path.into_inner()).await?))
}

/// Log an attempt to reach the claimant: when, by which channel, by whom, what was
/// asked, and the reply if one came.
#[utoipa::path(post, path = "/api/v1/claims/{id}/replies", tag = "claims", request_body = RightOfReplyRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = RightOfReplyView), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_reply(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<RightOfReplyRequest>,
) -> AppResult<HttpResponse> {
    let view = replies::create(&app, &user.actor(), path.into_inner(), body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// Change an attempt (`If-Match` or `version`): the reply that came, the deadline,
/// whether the public page tells of it.
#[utoipa::path(patch, path = "/api/v1/claims/{id}/replies/{reply_id}", tag = "claims", request_body = RightOfReplyRequest,
    params(("id" = Uuid, Path), ("reply_id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = RightOfReplyView), (status = 409), (status = 412), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_reply(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
    Json(body): Json<RightOfReplyRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let (id, reply_id) = path.into_inner();
    let view = replies::update(&app, &user.actor(), id, reply_id, version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimilarTextQuery {
    /// The statement being written.
    #[param(max_length = 1000)]
    pub text: String,
}

/// Earlier claims whose statements read like a text being written (the new-claim
/// form), best first: the same search as a claim's own similar claims.
#[utoipa::path(get, path = "/api/v1/claims/similar", tag = "claims", params(SimilarTextQuery),
    responses((status = 200, body = Vec<SimilarClaim>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn similar_to_text(
    app: web::Data<App>,
    user: CurrentUser,
    Query(q): Query<SimilarTextQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(similar::like_text(&app, &user.actor(), &q.text).await?))
}

/// Earlier claims whose statements read like this one's, with their verdicts and
/// publication links.
#[utoipa::path(get, path = "/api/v1/claims/{id}/similar", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SimilarClaim>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn similar_claims(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(similar::of_claim(&app, &user.actor(), path.into_inner()).await?))
}
