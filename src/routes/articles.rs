//! Articles: pasted in by editors, split into claims. Editing the body re-anchors the
//! claims whose quote still occurs exactly once, and flags the others `anchor_lost`.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::policy::EditArticles;
use crate::auth::session::CurrentUser;
use crate::auth::session::Permitted;
use crate::domain::time::Timestamp;
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::{Json, Query};
use crate::models::audit;
use crate::models::claim::Claim;
use crate::publish::Publication;
use crate::routes::claim_view::{self, ClaimView};
use crate::routes::common::{
    Cursor, Lines, Page, PageQuery, contains_pattern, etag, expected_version, required_line,
};
use crate::routes::publications::{PublicationView, view as publication_view};
use crate::routes::resource;
use crate::schema::{articles, assignments, claims, publications};
use crate::startup::AppState;
use crate::text;
use crate::workflow::{ArticleStatus, Status, article_status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/articles", GET => list_articles, POST => create_article);
    resource!(cfg, "/articles/{id}", GET => get_article, PATCH => update_article);
}

/// Articles are at most this long (characters); a long feature is about 100,000.
pub const MAX_BODY_CHARS: usize = 500_000;

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: Uuid,
    pub title: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub language: Option<String>,
    pub body: String,
    pub body_revision: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct ArticleView {
    pub id: Uuid,
    pub title: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub language: Option<String>,
    /// The text; claims' spans count its Unicode scalar values. Only on single-article answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub body_revision: i32,
    /// Derived from the claims: draft, checking, ready or published.
    pub status: ArticleStatus,
    pub claim_count: usize,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// The claims the caller may see (a reviewer: their own). Only on single-article answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<ClaimView>>,
    /// Its public page, once it was published (also after a takedown, with the reason).
    /// Only on `GET /articles/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<PublicationView>,
}

/// Derived statuses and claim counts of `ids`, in two queries. The count is of the
/// claims `caller` may see (a reviewer: their own); the status is the article's.
async fn statuses(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, (ArticleStatus, usize)>> {
    let rows: Vec<(Uuid, Uuid, String)> = claims::table
        .filter(claims::article_id.eq_any(ids))
        .select((claims::article_id, claims::id, claims::status))
        .load(conn)
        .await?;
    let mine: Option<HashSet<Uuid>> = if policy::may_see_all_claims(caller) {
        None
    } else {
        Some(
            assignments::table
                .inner_join(claims::table)
                .filter(claims::article_id.eq_any(ids))
                .filter(assignments::reviewer_id.eq(caller.id))
                .select(assignments::claim_id)
                .load::<Uuid>(conn)
                .await?
                .into_iter()
                .collect(),
        )
    };
    let assigned: HashSet<Uuid> = assignments::table
        .inner_join(claims::table)
        .filter(claims::article_id.eq_any(ids))
        .select(claims::article_id)
        .distinct()
        .load::<Uuid>(conn)
        .await?
        .into_iter()
        .collect();
    let mut by_article: HashMap<Uuid, Vec<(Status, bool)>> = HashMap::new();
    for (article, claim, status) in rows {
        let visible = mine.as_ref().is_none_or(|m| m.contains(&claim));
        by_article
            .entry(article)
            .or_default()
            .push((Status::parse(&status).unwrap_or(Status::Draft), visible));
    }
    Ok(ids
        .iter()
        .map(|id| {
            let list = by_article.remove(id).unwrap_or_default();
            let all: Vec<Status> = list.iter().map(|(s, _)| *s).collect();
            let ever = assigned.contains(id)
                || all
                    .iter()
                    .any(|s| !matches!(s, Status::Draft | Status::Dropped));
            (
                *id,
                (
                    article_status(&all, ever),
                    list.iter()
                        .filter(|(s, visible)| *visible && *s != Status::Dropped)
                        .count(),
                ),
            )
        })
        .collect())
}

fn view(a: Article, status: (ArticleStatus, usize), detail: Option<Vec<ClaimView>>) -> ArticleView {
    ArticleView {
        id: a.id,
        title: a.title,
        url: a.url,
        outlet: a.outlet,
        author: a.author,
        published_at: a.published_at,
        language: a.language,
        body: detail.as_ref().map(|_| a.body),
        body_revision: a.body_revision,
        status: status.0,
        claim_count: status.1,
        created_by: a.created_by,
        created_at: a.created_at,
        updated_at: a.updated_at,
        version: a.version,
        claims: detail,
        publication: None,
    }
}

/// The article if the caller may see it: editors all, a reviewer those with a claim
/// assigned to them (404 otherwise).
pub async fn find_visible(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    id: Uuid,
) -> Result<Article, AppError> {
    let article: Article = articles::table
        .find(id)
        .select(Article::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("article"))?;
    if !policy::may_see_all_claims(caller) {
        let mine: i64 = claims::table
            .inner_join(assignments::table)
            .filter(claims::article_id.eq(id))
            .filter(assignments::reviewer_id.eq(caller.id))
            .count()
            .get_result(conn)
            .await?;
        if mine == 0 {
            return Err(AppError::not_found("article"));
        }
    }
    Ok(article)
}

/// The article with the claims the caller may see.
pub async fn detail(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    article: Article,
) -> QueryResult<ArticleView> {
    let mut q = claims::table
        .filter(claims::article_id.eq(article.id))
        .select(Claim::as_select())
        .order((claims::span_start.asc(), claims::created_at.asc()))
        .into_boxed();
    if !policy::may_see_all_claims(caller) {
        let mine = assignments::table
            .filter(assignments::reviewer_id.eq(caller.id))
            .select(assignments::claim_id);
        q = q.filter(claims::id.eq_any(mine));
    }
    let rows = q.load::<Claim>(conn).await?;
    let views = claim_view::build(conn, caller, rows, false).await?;
    let status = statuses(conn, caller, &[article.id])
        .await?
        .remove(&article.id)
        .unwrap_or((ArticleStatus::Draft, 0));
    Ok(view(article, status, Some(views)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticleRequest {
    #[schema(
        max_length = 500,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub title: String,
    /// The article text, pasted in (Factdesk never fetches URLs).
    #[schema(
        min_length = 1,
        max_length = 500000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub body: String,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub url: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub outlet: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub author: Option<String>,
    pub published_at: Option<Timestamp>,
    /// A language tag such as `en` or `uk`.
    #[schema(max_length = 35, pattern = "^(|[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*)$")]
    pub language: Option<String>,
}

struct ArticleFields {
    title: String,
    body: String,
    url: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
    language: Option<String>,
}

fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    crate::routes::common::optional_text(field, value, max, Lines::One)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
}

fn validate_url(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    crate::routes::common::optional_http_url(field, value)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
}

fn validate_body(body: &str, errors: &mut Vec<FieldError>) -> String {
    // Normalise line endings so offsets mean the same on every platform.
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    if let Err(e) = crate::routes::common::check_characters("body", &body, Lines::Many) {
        errors.push(e);
    } else if body.trim().is_empty() {
        errors.push(FieldError::new("body", "must not be empty"));
    } else if text::char_len(&body) > MAX_BODY_CHARS {
        errors.push(FieldError::new(
            "body",
            format!("must be at most {MAX_BODY_CHARS} characters"),
        ));
    }
    body
}

fn validate_language(value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    crate::routes::common::optional_language("language", value)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
}

/// Paste in an article.
#[utoipa::path(post, path = "/api/v1/articles", tag = "articles", request_body = CreateArticleRequest,
    responses((status = 201, body = ArticleView), (status = 403),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_article(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<EditArticles>,
    Json(body): Json<CreateArticleRequest>,
) -> AppResult<HttpResponse> {
    let mut errors = Vec::new();
    let title = required_line("title", &body.title, 500)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let fields = ArticleFields {
        body: validate_body(&body.body, &mut errors),
        url: validate_url("url", body.url.as_deref(), &mut errors),
        outlet: optional_text("outlet", body.outlet.as_deref(), 200, &mut errors),
        author: optional_text("author", body.author.as_deref(), 200, &mut errors),
        language: validate_language(body.language.as_deref(), &mut errors),
        title,
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut conn = state.db().await?;
    let article = conn
        .transaction::<_, AppError, _>(async |conn| {
            let article: Article = diesel::insert_into(articles::table)
                .values((
                    articles::title.eq(&fields.title),
                    articles::body.eq(&fields.body),
                    articles::url.eq(&fields.url),
                    articles::outlet.eq(&fields.outlet),
                    articles::author.eq(&fields.author),
                    articles::published_at.eq(body.published_at.map(Timestamp::get)),
                    articles::language.eq(&fields.language),
                    articles::created_by.eq(user.id),
                ))
                .returning(Article::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "article",
                article.id,
                "create",
                None,
                Some(audit_view(&article)),
            )
            .await?;
            Ok(article)
        })
        .await?;
    let view = detail(&mut conn, &user, article).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// What the audit log keeps of an article: the metadata and a fingerprint of the body.
fn audit_view(a: &Article) -> serde_json::Value {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(a.body.as_bytes());
    json!({
        "title": a.title, "url": a.url, "outlet": a.outlet, "author": a.author,
        "published_at": a.published_at, "language": a.language, "body_revision": a.body_revision,
        "body_chars": text::char_len(&a.body),
        "body_sha256": digest.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    })
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListArticlesQuery {
    /// Matches title or outlet.
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Articles, newest first. A reviewer sees those with a claim assigned to them.
#[utoipa::path(get, path = "/api/v1/articles", tag = "articles", params(ListArticlesQuery),
    responses((status = 200, body = Page<ArticleView>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_articles(
    state: web::Data<AppState>,
    user: CurrentUser,
    Query(query): Query<ListArticlesQuery>,
) -> AppResult<HttpResponse> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let limit = page.limit()?;
    let mut q = articles::table.select(Article::as_select()).into_boxed();
    if !policy::may_see_all_claims(&user) {
        let mine = claims::table
            .inner_join(assignments::table)
            .filter(assignments::reviewer_id.eq(user.id))
            .select(claims::article_id);
        q = q.filter(articles::id.eq_any(mine));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = contains_pattern(text);
        q = q.filter(
            articles::title
                .ilike(pattern.clone())
                .or(articles::outlet.ilike(pattern)),
        );
    }
    if let Some(c) = page.cursor()? {
        q = q.filter(
            articles::created_at
                .lt(c.at)
                .or(articles::created_at.eq(c.at).and(articles::id.lt(c.id))),
        );
    }
    let mut conn = state.db().await?;
    let rows: Vec<Article> = q
        .order((articles::created_at.desc(), articles::id.desc()))
        .limit(limit + 1)
        .load(&mut conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    let mut st = statuses(&mut conn, &user, &ids).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |a| Cursor::new(a.created_at, a.id),
        |a| {
            let s = st.remove(&a.id).unwrap_or((ArticleStatus::Draft, 0));
            view(a, s, None)
        },
    )))
}

/// An article with its text, its derived status and its claims.
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "articles", params(("id" = Uuid, Path)),
    responses((status = 200, body = ArticleView), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_article(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let article = find_visible(&mut conn, &user, path.into_inner()).await?;
    let mut view = detail(&mut conn, &user, article).await?;
    view.publication = publications::table
        .filter(publications::article_id.eq(view.id))
        .select(Publication::as_select())
        .first::<Publication>(&mut conn)
        .await
        .optional()?
        .map(|p| publication_view(p, &state));
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    #[schema(
        max_length = 500,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub title: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 500000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub body: Option<String>,
    /// An empty string clears the optional fields.
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$"
    )]
    pub url: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub outlet: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub author: Option<String>,
    pub published_at: Option<Timestamp>,
    #[schema(max_length = 35, pattern = "^(|[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*)$")]
    pub language: Option<String>,
    pub version: Option<i32>,
}

/// Edit an article (`If-Match` required). A new body bumps `body_revision` and
/// re-anchors the claims: a quote still at its span stays; a quote found exactly once
/// elsewhere moves there; any other is flagged `anchor_lost`.
#[utoipa::path(patch, path = "/api/v1/articles/{id}", tag = "articles", request_body = UpdateArticleRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = ArticleView), (status = 404),
              (status = 412),
              (status = 422),
              (status = 428)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_article(
    state: web::Data<AppState>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateArticleRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut errors = Vec::new();
    let title = body
        .title
        .as_deref()
        .map(|t| required_line("title", t, 500))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let new_body = body.body.as_deref().map(|b| validate_body(b, &mut errors));
    let url = body
        .url
        .as_deref()
        .map(|u| validate_url("url", Some(u), &mut errors));
    let outlet = body
        .outlet
        .as_deref()
        .map(|v| optional_text("outlet", Some(v), 200, &mut errors));
    let author = body
        .author
        .as_deref()
        .map(|v| optional_text("author", Some(v), 200, &mut errors));
    let language = body
        .language
        .as_deref()
        .map(|v| validate_language(Some(v), &mut errors));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let version = expected_version(&req, body.version)?;
    let mut conn = state.db().await?;
    let article = conn
        .transaction::<_, AppError, _>(async |conn| {
            let before: Article = articles::table
                .find(id)
                .select(Article::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("article"))?;
            if before.version != version {
                let changed_by = audit::last_change(conn, "article", id).await?;
                let current = detail(conn, &user, before).await?;
                return Err(AppError::PreconditionFailed {
                    current: serde_json::to_value(current).unwrap_or_default(),
                    changed_by,
                });
            }
            let body_changed = new_body.as_ref().is_some_and(|b| *b != before.body);
            let revision = before.body_revision + i32::from(body_changed);
            let after: Article = diesel::update(articles::table.find(id))
                .set((
                    articles::title.eq(title.as_deref().unwrap_or(&before.title)),
                    articles::body.eq(new_body.as_deref().unwrap_or(&before.body)),
                    articles::body_revision.eq(revision),
                    articles::url.eq(url.clone().unwrap_or(before.url.clone())),
                    articles::outlet.eq(outlet.clone().unwrap_or(before.outlet.clone())),
                    articles::author.eq(author.clone().unwrap_or(before.author.clone())),
                    articles::published_at.eq(body
                        .published_at
                        .map(Timestamp::get)
                        .or(before.published_at)),
                    articles::language.eq(language.clone().unwrap_or(before.language.clone())),
                    articles::updated_at.eq(diesel::dsl::now),
                    articles::version.eq(articles::version + 1),
                ))
                .returning(Article::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "article",
                id,
                "update",
                Some(audit_view(&before)),
                Some(audit_view(&after)),
            )
            .await?;
            if body_changed {
                reanchor(conn, &user, &after).await?;
            }
            Ok(after)
        })
        .await?;
    let view = detail(&mut conn, &user, article).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Where a claim's quote sits in a new text.
#[derive(Debug, PartialEq, Eq)]
pub enum Anchor {
    Kept,
    Moved(usize, usize),
    Lost,
}

pub fn anchor(body: &str, quote: &str, start: usize, end: usize) -> Anchor {
    if text::slice_chars(body, start, end) == Some(quote) {
        return Anchor::Kept;
    }
    match text::find_all(body, quote)[..] {
        [(s, e)] => Anchor::Moved(s, e),
        _ => Anchor::Lost,
    }
}

async fn reanchor(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    article: &Article,
) -> AppResult<()> {
    let rows: Vec<Claim> = claims::table
        .filter(claims::article_id.eq(article.id))
        .select(Claim::as_select())
        .for_update()
        .load(conn)
        .await?;
    for c in rows {
        let (start, end, lost) = match anchor(
            &article.body,
            &c.quote,
            c.span_start as usize,
            c.span_end as usize,
        ) {
            Anchor::Kept => (c.span_start, c.span_end, false),
            Anchor::Moved(s, e) => (s as i32, e as i32, false),
            Anchor::Lost => (c.span_start, c.span_end, true),
        };
        diesel::update(claims::table.find(c.id))
            .set((
                claims::span_start.eq(start),
                claims::span_end.eq(end),
                claims::anchor_lost.eq(lost),
                claims::anchored_revision.eq(if lost {
                    c.anchored_revision
                } else {
                    article.body_revision
                }),
                claims::updated_at.eq(diesel::dsl::now),
                claims::version.eq(claims::version + 1),
            ))
            .execute(conn)
            .await?;
        if (start, end, lost) != (c.span_start, c.span_end, c.anchor_lost) {
            audit::record_for_claim(conn, Some(user.id), c.id, "claim", c.id, if lost { "anchor_lost" } else { "reanchor" },
                Some(json!({"span_start": c.span_start, "span_end": c.span_end, "anchor_lost": c.anchor_lost})),
                Some(json!({"span_start": start, "span_end": end, "anchor_lost": lost, "body_revision": article.body_revision}))).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_quote() {
        let body = "Він сказав: 4% — це брехня. А 4% — ні.";
        assert_eq!(anchor(body, "сказав", 4, 10), Anchor::Kept);
        assert_eq!(
            anchor("New start. Він сказав", "сказав", 4, 10),
            Anchor::Moved(15, 21)
        );
        assert_eq!(anchor(body, "4%", 0, 2), Anchor::Lost); // twice in the text
        assert_eq!(anchor(body, "missing", 0, 7), Anchor::Lost);
    }
}
