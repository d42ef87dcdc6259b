//! Claims: created from a span of an article, listed in queues, moved through the
//! workflow by transitions, with their history.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::policy::EditArticles;
use crate::auth::role::Role;
use crate::auth::session::CurrentUser;
use crate::auth::session::Permitted;
use crate::db::cached::Cached;
use crate::domain::time::Timestamp;
use crate::email::{self, Email};
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::{Json, Query};
use crate::models::claim::{self, CLAIM_COLUMNS, Claim, PRIORITY_RANK_SQL, Verdict, priority_rank};
use crate::models::{audit, sketch};
use crate::routes::articles::Article;
use crate::routes::claim_view::{self, ClaimView, LIST_EXTRAS_COLUMNS, ViewRow};
use crate::routes::common::{
    Cursor, Lines, MAX_LIMIT, Page, PageQuery, check_characters, etag, required_line, version_hint,
};
use crate::routes::resource;
use crate::routes::similar::{self, SimilarClaim};
use crate::routes::users::newsroom_name;
use crate::schema::{
    articles as articles_t, audit_events, claims, comments, sources, users, verdicts,
};
use crate::startup::AppState;
use crate::text;
use crate::workflow::{self, Action, Context, Refusal, Status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/articles/{id}/claims", POST => create_claim);
    resource!(cfg, "/claims", GET => list_claims);
    resource!(cfg, "/claims/{id}", GET => get_claim, PATCH => update_claim, DELETE => delete_claim);
    resource!(cfg, "/claims/{id}/transitions", POST => transition_claim);
    resource!(cfg, "/claims/{id}/history", GET => claim_history);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }
}

/// 409 for an action the claim's state does not allow, saying what is allowed.
pub fn illegal(claim: &Claim, detail: String, allowed: &[Action]) -> AppError {
    let mut extensions = Map::new();
    extensions.insert("current_status".into(), json!(claim.status));
    extensions.insert("allowed_actions".into(), json!(allowed));
    AppError::Conflict { detail, extensions }
}

/// The workflow context of `claim` for `caller`.
pub async fn context(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    claim: &Claim,
    assigned: bool,
) -> QueryResult<Context> {
    Ok(Context {
        role: caller.role,
        is_assigned: assigned,
        reviewers: claim::reviewer_count(conn, claim.id).await?,
        ever_published: claim.ever_published,
    })
}

pub fn status_of(claim: &Claim) -> Status {
    Status::parse(&claim.status).unwrap_or(Status::Draft)
}

/// Asks the workflow whether `action` may happen now: 403 if the caller's role may
/// never do it, 409 with the allowed actions if the state does not allow it.
pub fn check(claim: &Claim, action: Action, ctx: Context) -> Result<Status, AppError> {
    let status = status_of(claim);
    workflow::next(status, action, ctx).map_err(|refusal| {
        let allowed = workflow::allowed_actions(status, ctx);
        match refusal {
            Refusal::NotPermitted => AppError::Forbidden(format!(
                "Your role may not {} this claim.",
                action.as_str().replace('_', " ")
            )),
            Refusal::WrongState => illegal(
                claim,
                format!(
                    "A claim that is {} cannot be {}.",
                    claim.status.replace('_', " "),
                    past(action)
                ),
                &allowed,
            ),
        }
    })
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Assign => "assigned",
        Action::Unassign => "unassigned",
        Action::Start => "started",
        Action::Submit => "submitted",
        Action::Withdraw => "withdrawn",
        Action::RequestChanges => "sent back",
        Action::Approve => "approved",
        Action::Publish => "published",
        Action::Reopen => "reopened",
        Action::Drop => "dropped",
        Action::Restore => "restored",
    }
}

/// Sets the claim's status (bumping its version) and records the transition.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    actor: Uuid,
    claim: &Claim,
    action: Action,
    to: Status,
    comment: Option<&str>,
) -> QueryResult<Claim> {
    let after: Claim = diesel::update(claims::table.find(claim.id))
        .set((
            claims::status.eq(to.as_str()),
            claims::ever_published.eq(claim.ever_published || to == Status::Published),
            claims::updated_at.eq(diesel::dsl::now),
            claims::version.eq(claims::version + 1),
        ))
        .returning(Claim::as_returning())
        .get_result(conn)
        .await?;
    audit::record_for_claim(
        conn,
        Some(actor),
        claim.id,
        "claim",
        claim.id,
        action.as_str(),
        Some(json!({"status": claim.status})),
        Some(json!({"status": to.as_str(), "comment": comment})),
    )
    .await?;
    Ok(after)
}

/// Locks the claim for an evidence edit (a source or the draft verdict): 404 unless the
/// caller may see it, 409 while evidence is locked; a reviewer's first edit of an
/// assigned claim starts it.
pub async fn lock_for_evidence(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    id: Uuid,
) -> Result<Claim, AppError> {
    let (claim, assigned) = claim::find_visible(conn, caller, id, true).await?;
    policy::may_work_on_claim(caller, assigned)?;
    let status = status_of(&claim);
    if status.evidence_locked() {
        let ctx = context(conn, caller, &claim, assigned).await?;
        return Err(illegal(
            &claim,
            format!(
                "Sources and verdict are locked while the claim is {}.",
                claim.status.replace('_', " ")
            ),
            &workflow::allowed_actions(status, ctx),
        ));
    }
    if status == Status::Assigned && caller.role == Role::Reviewer && assigned {
        return Ok(set_status(
            conn,
            caller.id,
            &claim,
            Action::Start,
            Status::InReview,
            None,
        )
        .await?);
    }
    Ok(claim)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClaimRequest {
    /// Start of the span in Unicode scalar values (characters, not bytes or UTF-16 units).
    #[schema(minimum = 0)]
    pub span_start: Option<i64>,
    /// End of the span (exclusive), in characters.
    #[schema(minimum = 1)]
    pub span_end: Option<i64>,
    /// The exact text; the server finds it when no span is given.
    #[schema(
        max_length = 500000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub quote: Option<String>,
    /// Which occurrence of `quote` (1-based) when it appears more than once.
    #[schema(minimum = 1)]
    pub occurrence: Option<i64>,
    /// The claim as checked; defaults to the quote.
    #[schema(
        max_length = 1000,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub statement: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub claimant: Option<String>,
    pub claimed_at: Option<Timestamp>,
    pub priority: Option<Priority>,
}

fn field(name: &str, message: impl Into<String>) -> AppError {
    AppError::validation(name, message)
}

/// Resolves the span of a new claim in `body`: (start, end, quote).
pub fn resolve_span(
    body: &str,
    req: &CreateClaimRequest,
) -> Result<(usize, usize, String), AppError> {
    let len = text::char_len(body);
    match (req.span_start, req.span_end) {
        (Some(start), Some(end)) => {
            if start < 0 {
                return Err(field("span_start", "must be 0 or more"));
            }
            if end == start {
                return Err(field(
                    "span_end",
                    "must be greater than span_start: the span is empty",
                ));
            }
            if end < start {
                return Err(field(
                    "span_end",
                    "must be greater than span_start: the span is reversed",
                ));
            }
            if end as usize > len {
                return Err(field(
                    "span_end",
                    format!("is past the end of the article ({len} characters)"),
                ));
            }
            let quote = text::slice_chars(body, start as usize, end as usize)
                .unwrap_or_default()
                .to_string();
            if quote.trim().is_empty() {
                return Err(field("span_end", "the span holds only white space"));
            }
            if let Some(q) = &req.quote
                && *q != quote
            {
                return Err(field(
                    "quote",
                    "does not match the article's text at the span",
                ));
            }
            Ok((start as usize, end as usize, quote))
        }
        (Some(_), None) => Err(field("span_end", "is required with span_start")),
        (None, Some(_)) => Err(field("span_start", "is required with span_end")),
        (None, None) => {
            let quote = req.quote.as_deref().unwrap_or("");
            if quote.trim().is_empty() {
                return Err(field(
                    "quote",
                    "give either span_start and span_end, or the quote",
                ));
            }
            let found = text::find_all(body, quote);
            match (found.len(), req.occurrence) {
                (0, _) => Err(field("quote", "does not occur in the article")),
                (n, Some(k)) if k < 1 || k as usize > n => Err(field(
                    "occurrence",
                    format!("must be from 1 to {n}: the quote occurs {n} time(s)"),
                )),
                (_, Some(k)) => {
                    let (s, e) = found[k as usize - 1];
                    Ok((s, e, quote.to_string()))
                }
                (1, None) => Ok((found[0].0, found[0].1, quote.to_string())),
                (n, None) => Err(field(
                    "occurrence",
                    format!("is required: the quote occurs {n} times"),
                )),
            }
        }
    }
}

/// Split an article: a claim from a span (`span_start`, `span_end`, in characters) or
/// from a `quote` the server finds (with `occurrence` when it appears more than once).
#[utoipa::path(post, path = "/api/v1/articles/{id}/claims", tag = "claims", request_body = CreateClaimRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CreatedClaim), (status = 403),
              (status = 404),
              (status = 422, description = "Span outside the text, empty or reversed; quote absent or ambiguous")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_claim(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
    Json(body): Json<CreateClaimRequest>,
) -> AppResult<HttpResponse> {
    let article_id = path.into_inner();
    let mut conn = state.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            // Locked so the body cannot change between finding the span and writing it.
            let article: Article = articles_t::table
                .find(article_id)
                .select(Article::as_select())
                .for_share()
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("article"))?;
            let (start, end, quote) = resolve_span(&article.body, &body)?;
            let mut errors = Vec::new();
            let statement = match body
                .statement
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(s) => required_line("statement", s, 1000)
                    .map_err(|e| errors.push(e))
                    .unwrap_or_default(),
                None => quote
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(1000)
                    .collect(),
            };
            let claimant = body
                .claimant
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            if let Some(Err(e)) = claimant.map(|c| check_characters("claimant", c, Lines::One)) {
                errors.push(e);
            } else if claimant.is_some_and(|c| c.chars().count() > 200) {
                errors.push(FieldError::new(
                    "claimant",
                    "must be at most 200 characters",
                ));
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            let claim: Claim = diesel::insert_into(claims::table)
                .values((
                    claims::article_id.eq(article.id),
                    claims::quote.eq(&quote),
                    claims::span_start.eq(start as i32),
                    claims::span_end.eq(end as i32),
                    claims::anchored_revision.eq(article.body_revision),
                    claims::statement.eq(&statement),
                    claims::statement_sketch.eq(sketch::statement_sketch(&statement)),
                    claims::claimant.eq(claimant),
                    claims::claimed_at.eq(body.claimed_at.map(Timestamp::get)),
                    claims::priority.eq(body.priority.unwrap_or(Priority::Normal).as_str()),
                    claims::created_by.eq(user.id),
                ))
                .returning(Claim::as_returning())
                .get_result(conn)
                .await?;
            audit::record_for_claim(
                conn,
                Some(user.id),
                claim.id,
                "claim",
                claim.id,
                "create",
                None,
                Some(json!(claim)),
            )
            .await?;
            Ok(claim)
        })
        .await?;
    let similar = similar::find(
        &mut conn,
        &user,
        &claim.statement,
        Some(claim.id),
        &state.settings.public_base(),
    )
    .await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(CreatedClaim {
            claim: view,
            similar,
        }))
}

/// A new claim, with the earlier claims it resembles ("checked on 2025-02-20: False").
#[derive(Serialize, ToSchema)]
pub struct CreatedClaim {
    #[serde(flatten)]
    pub claim: ClaimView,
    pub similar: Vec<SimilarClaim>,
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

#[derive(QueryableByName)]
struct QueueRow {
    #[diesel(embed)]
    view: ViewRow,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    queue_due_at: Option<DateTime<Utc>>,
}

/// How many rows a queue page of `limit` claims fetches: `limit + 1` (one more tells
/// whether there is a next page), rounded up to a few fixed sizes so the statement
/// text, which carries it, stays in a small set.
fn queue_fetch_size(limit: i64) -> i64 {
    const SIZES: [i64; 5] = [11, 26, 51, 101, MAX_LIMIT + 1];
    SIZES
        .into_iter()
        .find(|&size| size > limit)
        .unwrap_or(limit + 1)
}

/// Claims, filtered. A reviewer sees only their own claims, as a queue sorted by due
/// time then priority; so does anyone asking for `assignee`. Otherwise newest first.
#[utoipa::path(get, path = "/api/v1/claims", tag = "claims", params(ListClaimsQuery),
    responses((status = 200, body = Page<ClaimView>), (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_claims(
    state: web::Data<AppState>,
    user: CurrentUser,
    Query(query): Query<ListClaimsQuery>,
) -> AppResult<HttpResponse> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let limit = page.limit()?;
    let cursor = page.cursor()?;
    let assignee = match query.assignee.as_deref() {
        None | Some("") => None,
        Some("me") => Some(user.id),
        Some(id) => Some(
            id.parse::<Uuid>()
                .map_err(|_| field("assignee", "must be `me` or a user id"))?,
        ),
    };
    // A reviewer's list is their own queue, whatever they ask for.
    let assignee = if policy::may_see_all_claims(&user) {
        assignee
    } else {
        Some(user.id)
    };
    let statuses: Vec<String> = match query.status.as_deref() {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|s| {
                Status::parse(s)
                    .map(|st| st.as_str().to_string())
                    .ok_or_else(|| field("status", format!("`{s}` is not a claim status")))
            })
            .collect::<Result<_, _>>()?,
    };
    // Every parameter is checked first, whichever kind of list is asked for.
    if let Some(text) = query
        .similar_to
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let mut conn = state.db().await?;
        let found =
            similar::find(&mut conn, &user, text, None, &state.settings.public_base()).await?;
        let ids: Vec<Uuid> = found.iter().map(|f| f.id).collect();
        let mut rows: Vec<Claim> = claims::table
            .filter(claims::id.eq_any(&ids))
            .select(Claim::as_select())
            .load(&mut conn)
            .await?;
        rows.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
        let items = claim_view::build(&mut conn, &user, rows, false).await?;
        return Ok(HttpResponse::Ok().json(Page {
            items,
            next_cursor: None,
        }));
    }

    // One statement: the page of claims with everything their views show
    // (LIST_EXTRAS_COLUMNS), which PostgreSQL computes only for the rows the LIMIT keeps.
    let mut sql = match assignee {
        Some(reviewer) => diesel::sql_query(format!(
            "SELECT {CLAIM_COLUMNS}, {LIST_EXTRAS_COLUMNS}, a.due_at AS queue_due_at FROM claims \
             JOIN assignments a ON a.claim_id = claims.id AND a.reviewer_id = $1 WHERE true"
        ))
        .into_boxed()
        .bind::<SqlUuid, _>(reviewer),
        None => diesel::sql_query(format!(
            "SELECT {CLAIM_COLUMNS}, {LIST_EXTRAS_COLUMNS}, NULL::timestamptz AS queue_due_at FROM claims WHERE true"
        ))
        .into_boxed(),
    };
    let mut n = i32::from(assignee.is_some());
    let mut next = || {
        n += 1;
        n
    };
    if !statuses.is_empty() {
        sql = if assignee.is_some() {
            // A queue filters on the assignment's copy of the status (triggers keep it
            // equal to the claim's), so it reads one index range (reviewer, status, due
            // time), already in due order when there is one status, and stops at the
            // page's end. Repeating the condition on `claims.status` would make the
            // planner expect few rows and fetch and sort the reviewer's every claim.
            match statuses.as_slice() {
                [one] => sql
                    .sql(format!(" AND a.claim_status = ${}", next()))
                    .bind::<Text, _>(one.clone()),
                _ => sql
                    .sql(format!(" AND a.claim_status = ANY(${})", next()))
                    .bind::<Array<Text>, _>(statuses),
            }
        } else {
            sql.sql(format!(" AND claims.status = ANY(${})", next()))
                .bind::<Array<Text>, _>(statuses)
        };
    }
    if let Some(article) = query.article_id {
        sql = sql
            .sql(format!(" AND claims.article_id = ${}", next()))
            .bind::<SqlUuid, _>(article);
    }
    if let Some(rating) = query.rating.as_deref().filter(|r| !r.is_empty()) {
        sql = sql
            .sql(format!(" AND EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = claims.id AND v.state <> 'superseded' AND v.rating = ${})", next()))
            .bind::<Text, _>(rating.to_string());
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        sql = sql
            .sql(format!(
                " AND claims.search @@ websearch_to_tsquery('english', ${})",
                next()
            ))
            .bind::<Text, _>(q.to_string());
    }
    if let Some(overdue) = query.overdue {
        let open = "claims.status IN ('assigned', 'in_review', 'submitted')";
        let late = if assignee.is_some() {
            format!("({open} AND a.due_at < now())")
        } else {
            format!(
                "({open} AND EXISTS (SELECT 1 FROM assignments o WHERE o.claim_id = claims.id AND o.due_at < now()))"
            )
        };
        sql = sql.sql(if overdue {
            format!(" AND {late}")
        } else {
            format!(" AND NOT {late}")
        });
    }
    if assignee.is_some() {
        if let Some(c) = cursor {
            let (p1, p2, p3) = (next(), next(), next());
            sql = sql
                .sql(format!(
                    " AND (a.due_at, -{PRIORITY_RANK_SQL}, claims.id) > (${p1}, -${p2}, ${p3})"
                ))
                .bind::<Timestamptz, _>(c.at)
                .bind::<Integer, _>(c.rank)
                .bind::<SqlUuid, _>(c.id);
        }
        sql = sql.sql(format!(
            " ORDER BY a.due_at ASC, {PRIORITY_RANK_SQL} DESC, claims.id ASC"
        ));
    } else {
        if let Some(c) = cursor {
            let (p1, p2) = (next(), next());
            sql = sql
                .sql(format!(
                    " AND (claims.created_at, claims.id) < (${p1}, ${p2})"
                ))
                .bind::<Timestamptz, _>(c.at)
                .bind::<SqlUuid, _>(c.id);
        }
        sql = sql.sql(" ORDER BY claims.created_at DESC, claims.id DESC");
    }
    sql = match assignee {
        // A queue's LIMIT is written into the statement, from a few fixed sizes, so
        // PostgreSQL settles on one generic plan per connection for the prepared
        // statement instead of planning it again on every call (planning cost about
        // as much as running it). With `LIMIT $n` the generic plan is costed for an
        // unknown row count and loses to the custom plan every time; with a literal
        // limit both cost the same, and the plan (the reviewer's index range in due
        // order) is the right one for any reviewer and status. Editors' lists keep
        // the bound limit: their best plan depends on how common the status asked
        // for is, which only a custom plan sees.
        Some(_) => sql.sql(format!(" LIMIT {}", queue_fetch_size(limit))),
        None => sql
            .sql(format!(" LIMIT ${}", next()))
            .bind::<BigInt, _>(limit + 1),
    };

    let mut conn = state.db().await?;
    let rows: Vec<QueueRow> = Cached(sql).load(&mut conn).await?;
    drop(conn);
    let more = rows.len() as i64 > limit;
    let rows: Vec<QueueRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more {
        rows.last().map(|r| match r.queue_due_at {
            Some(due) => Cursor {
                at: due,
                rank: priority_rank(&r.view.claim.priority),
                id: r.view.claim.id,
            }
            .encode(),
            None => Cursor::new(r.view.claim.created_at, r.view.claim.id).encode(),
        })
    } else {
        None
    };
    let items = claim_view::assemble(&user, rows.into_iter().map(|r| r.view).collect(), None)?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// A claim with its reviewers, sources, verdicts, comments and allowed actions.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = ClaimView), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_claim(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let (claim, _) = claim::find_visible(&mut conn, &user, path.into_inner(), false).await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClaimRequest {
    #[schema(
        max_length = 1000,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub statement: Option<String>,
    /// An empty string clears it.
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub claimant: Option<String>,
    pub claimed_at: Option<Timestamp>,
    pub priority: Option<Priority>,
    pub version: Option<i32>,
}

/// Edit a claim's statement, claimant, date or priority (`If-Match` required). The
/// statement and claimant of an approved or published claim change only after a reopen.
#[utoipa::path(patch, path = "/api/v1/claims/{id}", tag = "claims", request_body = UpdateClaimRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = ClaimView), (status = 404),
              (status = 409),
              (status = 412),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_claim(
    state: web::Data<AppState>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateClaimRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let version = version_hint(&req, body.version)?;
    let mut conn = state.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (before, assigned) = claim::find_visible(conn, &user, id, true).await?;
            let statement = body
                .statement
                .as_deref()
                .map(|s| required_line("statement", s, 1000))
                .transpose()
                .map_err(|e| AppError::Validation(vec![e]))?;
            let claimant = body.claimant.as_deref().map(str::trim);
            if let Some(c) = claimant {
                check_characters("claimant", c, Lines::One)
                    .map_err(|e| AppError::Validation(vec![e]))?;
            }
            if claimant.is_some_and(|c| c.chars().count() > 200) {
                return Err(field("claimant", "must be at most 200 characters"));
            }
            let version = version.ok_or(AppError::PreconditionRequired)?;
            if before.version != version {
                let changed_by = audit::last_change(conn, "claim", before.id).await?;
                let current = claim_view::build_one(conn, &user, before).await?;
                return Err(AppError::PreconditionFailed {
                    current: serde_json::to_value(current).unwrap_or_default(),
                    changed_by,
                });
            }
            let status = status_of(&before);
            let wording_changes = statement.as_ref().is_some_and(|s| *s != before.statement)
                || claimant.is_some_and(|c| Some(c) != before.claimant.as_deref());
            if wording_changes && matches!(status, Status::Approved | Status::Published) {
                let ctx = context(conn, &user, &before, assigned).await?;
                return Err(illegal(
                    &before,
                    "Reopen the claim before changing what it says.".into(),
                    &workflow::allowed_actions(status, ctx),
                ));
            }
            let after: Claim = diesel::update(claims::table.find(id))
                .set((
                    claims::statement.eq(statement.as_deref().unwrap_or(&before.statement)),
                    claims::statement_sketch.eq(sketch::statement_sketch(
                        statement.as_deref().unwrap_or(&before.statement),
                    )),
                    claims::claimant.eq(match claimant {
                        Some("") => None,
                        Some(c) => Some(c.to_string()),
                        None => before.claimant.clone(),
                    }),
                    claims::claimed_at
                        .eq(body.claimed_at.map(Timestamp::get).or(before.claimed_at)),
                    claims::priority.eq(body
                        .priority
                        .map_or(before.priority.clone(), |p| p.as_str().to_string())),
                    claims::updated_at.eq(diesel::dsl::now),
                    claims::version.eq(claims::version + 1),
                ))
                .returning(Claim::as_returning())
                .get_result(conn)
                .await?;
            audit::record_for_claim(
                conn,
                Some(user.id),
                id,
                "claim",
                id,
                "update",
                Some(json!(before)),
                Some(json!(after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Delete a claim still in `draft`; any other state is 409.
#[utoipa::path(delete, path = "/api/v1/claims/{id}", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404),
              (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn delete_claim(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let (claim, assigned) = claim::find_visible(conn, &user, id, true).await?;
        let status = status_of(&claim);
        if status != Status::Draft {
            let ctx = context(conn, &user, &claim, assigned).await?;
            return Err(illegal(
                &claim,
                "Only a draft claim can be deleted; drop it instead.".into(),
                &workflow::allowed_actions(status, ctx),
            ));
        }
        diesel::delete(claims::table.find(id)).execute(conn).await?;
        audit::record_for_claim(
            conn,
            Some(user.id),
            id,
            "claim",
            id,
            "delete",
            Some(json!(claim)),
            None,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The actions `POST /claims/{id}/transitions` takes (assigning goes through
/// `/assignments`, publishing through the article).
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionAction {
    Start,
    Submit,
    Withdraw,
    RequestChanges,
    Approve,
    Reopen,
    Drop,
    Restore,
}

impl From<TransitionAction> for Action {
    fn from(a: TransitionAction) -> Self {
        match a {
            TransitionAction::Start => Action::Start,
            TransitionAction::Submit => Action::Submit,
            TransitionAction::Withdraw => Action::Withdraw,
            TransitionAction::RequestChanges => Action::RequestChanges,
            TransitionAction::Approve => Action::Approve,
            TransitionAction::Reopen => Action::Reopen,
            TransitionAction::Drop => Action::Drop,
            TransitionAction::Restore => Action::Restore,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: TransitionAction,
    /// Required for request_changes, reopen and drop.
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub comment: Option<String>,
}

/// Move a claim through the workflow. 409 with `current_status` and `allowed_actions`
/// when the state does not allow the action.
#[utoipa::path(post, path = "/api/v1/claims/{id}/transitions", tag = "claims", request_body = TransitionRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ClaimView), (status = 403),
              (status = 404),
              (status = 409),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn transition_claim(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<TransitionRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let action = Action::from(body.action);
    let comment = body
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = comment {
        check_characters("comment", c, Lines::Many).map_err(|e| AppError::Validation(vec![e]))?;
    }
    if comment.is_some_and(|c| c.chars().count() > 10_000) {
        return Err(field("comment", "must be at most 10000 characters"));
    }
    let mut conn = state.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (claim, assigned) = claim::find_visible(conn, &user, id, true).await?;
            let ctx = context(conn, &user, &claim, assigned).await?;
            let to = check(&claim, action, ctx)?;
            if action.needs_comment() && comment.is_none() {
                return Err(field(
                    "comment",
                    format!("is required to {}", action.as_str().replace('_', " ")),
                ));
            }
            let draft = claim::draft_verdict(conn, id, true).await?;
            match action {
                Action::Submit => {
                    submit_guards(conn, id, draft.as_ref()).await?;
                    diesel::update(
                        verdicts::table
                            .filter(verdicts::claim_id.eq(id))
                            .filter(verdicts::state.eq("draft")),
                    )
                    .set((
                        verdicts::state.eq("submitted"),
                        verdicts::submitted_at.eq(diesel::dsl::now),
                        verdicts::version.eq(verdicts::version + 1),
                    ))
                    .execute(conn)
                    .await?;
                }
                Action::Withdraw | Action::RequestChanges => {
                    diesel::update(
                        verdicts::table
                            .filter(verdicts::claim_id.eq(id))
                            .filter(verdicts::state.eq("submitted")),
                    )
                    .set((
                        verdicts::state.eq("draft"),
                        verdicts::submitted_at.eq(None::<DateTime<Utc>>),
                        verdicts::version.eq(verdicts::version + 1),
                    ))
                    .execute(conn)
                    .await?;
                }
                Action::Approve => {
                    diesel::update(
                        verdicts::table
                            .filter(verdicts::claim_id.eq(id))
                            .filter(verdicts::state.eq("approved")),
                    )
                    .set(verdicts::state.eq("superseded"))
                    .execute(conn)
                    .await?;
                    let approved: Verdict = diesel::update(
                        verdicts::table
                            .filter(verdicts::claim_id.eq(id))
                            .filter(verdicts::state.eq("submitted")),
                    )
                    .set((
                        verdicts::state.eq("approved"),
                        verdicts::approved_by.eq(user.id),
                        verdicts::approved_at.eq(diesel::dsl::now),
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
                        approved.id,
                        "approve",
                        None,
                        Some(json!(approved)),
                    )
                    .await?;
                }
                Action::Reopen if draft.is_none() => {
                    claim::draft_from_approved(conn, id, user.id).await?;
                }
                _ => {}
            }
            if let Some(text) = comment.filter(|_| action.needs_comment()) {
                add_comment(conn, user.id, id, &format!("{}: {text}", label(action))).await?;
            }
            let after = set_status(conn, user.id, &claim, action, to, comment).await?;
            if action == Action::RequestChanges {
                email_reviewers_changes_requested(
                    conn,
                    &state,
                    &user,
                    &after,
                    comment.unwrap_or_default(),
                )
                .await?;
            }
            Ok(after)
        })
        .await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

fn label(action: Action) -> &'static str {
    match action {
        Action::RequestChanges => "Changes requested",
        Action::Reopen => "Reopened",
        Action::Drop => "Dropped",
        _ => "Note",
    }
}

/// A claim goes to the editors only with a rating, a summary, and a source the public can open.
async fn submit_guards(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    draft: Option<&Verdict>,
) -> AppResult<()> {
    let mut errors = Vec::new();
    if draft.and_then(|d| d.rating.as_ref()).is_none() {
        errors.push(FieldError::new(
            "verdict.rating",
            "a rating is required before submitting",
        ));
    }
    if draft.is_none_or(|d| d.summary.trim().is_empty()) {
        errors.push(FieldError::new(
            "verdict.summary",
            "a summary is required before submitting",
        ));
    }
    let urls: Vec<String> = sources::table
        .filter(sources::claim_id.eq(claim_id))
        .select(sources::url)
        .load(conn)
        .await?;
    if !urls.iter().any(|u| claim::is_public_http_url(u)) {
        errors.push(FieldError::new(
            "sources",
            "at least one source with a public http(s) URL is required before submitting",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn add_comment(
    conn: &mut AsyncPgConnection,
    author: Uuid,
    claim_id: Uuid,
    body: &str,
) -> QueryResult<Uuid> {
    let id: Uuid = diesel::insert_into(comments::table)
        .values((
            comments::claim_id.eq(claim_id),
            comments::author_id.eq(author),
            comments::body.eq(body),
        ))
        .returning(comments::id)
        .get_result(conn)
        .await?;
    audit::record_for_claim(
        conn,
        Some(author),
        claim_id,
        "comment",
        id,
        "create",
        None,
        Some(json!({"body": body})),
    )
    .await?;
    Ok(id)
}

async fn email_reviewers_changes_requested(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    editor: &CurrentUser,
    claim: &Claim,
    comment: &str,
) -> AppResult<()> {
    let reviewers: Vec<(String, String, String)> = crate::schema::assignments::table
        .inner_join(users::table.on(users::id.eq(crate::schema::assignments::reviewer_id)))
        .filter(crate::schema::assignments::claim_id.eq(claim.id))
        .filter(users::active.eq(true))
        .select((users::email, users::display_name, users::time_zone))
        .load(conn)
        .await?;
    let editor_name: String = users::table
        .find(editor.id)
        .select(users::display_name)
        .first(conn)
        .await?;
    let article: String = articles_t::table
        .find(claim.article_id)
        .select(articles_t::title)
        .first(conn)
        .await?;
    let newsroom = newsroom_name(conn).await?;
    for (email_address, name, _tz) in reviewers {
        email::enqueue(
            conn,
            Email { recipient: &email_address, cc: vec![], kind: "changes_requested", dedupe_key: None },
            json!({"display_name": name, "newsroom": newsroom, "editor": editor_name, "statement": claim.statement,
                   "article": article, "comment": comment,
                   "link": format!("{}/claims/{}", state.settings.public_base(), claim.id)}),
        )
        .await?;
    }
    Ok(())
}

#[derive(Serialize, ToSchema, Queryable)]
pub struct HistoryEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    /// claim, assignment, source, verdict, comment or message.
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

/// Everything that happened to a claim and its sources, verdicts, reviewers and
/// comments, oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/history", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<HistoryEvent>), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn claim_history(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    claim::find_visible(&mut conn, &user, id, false).await?;
    let events: Vec<HistoryEvent> = audit_events::table
        .left_join(users::table.on(audit_events::actor_id.eq(users::id.nullable())))
        .filter(audit_events::claim_id.eq(id))
        .order(audit_events::seq.asc())
        .select((
            audit_events::id,
            audit_events::at,
            audit_events::actor_id,
            users::display_name.nullable(),
            audit_events::entity,
            audit_events::entity_id,
            audit_events::action,
            audit_events::before,
            audit_events::after,
        ))
        .load(&mut conn)
        .await?;

    Ok(HttpResponse::Ok().json(events))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_fetches_one_more_than_the_page_from_a_fixed_set_of_sizes() {
        let mut sizes = std::collections::BTreeSet::new();
        for limit in 1..=MAX_LIMIT {
            let fetch = queue_fetch_size(limit);
            assert!(fetch > limit, "limit {limit} fetches {fetch}");
            sizes.insert(fetch);
        }
        assert_eq!(
            sizes.into_iter().collect::<Vec<_>>(),
            [11, 26, 51, 101, 201]
        );
        // The common page sizes fetch exactly one extra row.
        for limit in [10, 25, 50, 100, 200] {
            assert_eq!(queue_fetch_size(limit), limit + 1);
        }
    }
}
