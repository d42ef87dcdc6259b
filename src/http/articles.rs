//! Articles, their suggested claims, and splitting them into claims.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::articles::{self, ArticleView, CreateArticleRequest, UpdateArticleRequest};
use crate::app::claims::{self, CreateClaimRequest, CreatedClaim};
use crate::app::suggestions::{self, Suggestions};
use crate::app::{App, AppResult};
use crate::domain::page::{Page, PageRequest};
use crate::domain::policy::EditArticles;
use crate::http::common::{etag, version_hint};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::{CurrentUser, Permitted};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/articles", GET => list_articles, POST => create_article);
    resource!(cfg, "/articles/{id}", GET => get_article, PATCH => update_article);
    resource!(cfg, "/articles/{id}/suggestions", GET => article_suggestions);
    resource!(cfg, "/articles/{id}/claims", POST => create_claim);
}

/// Paste in an article.
#[utoipa::path(post, path = "/api/v1/articles", tag = "articles", request_body = CreateArticleRequest,
    responses((status = 201, body = ArticleView),
        (status = 409, description = "With `check_duplicates: true`: the article is on the desk already; `duplicate_of` names it")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_article(
    app: web::Data<App>,
    Permitted(user, _): Permitted<EditArticles>,
    Json(body): Json<CreateArticleRequest>,
) -> AppResult<HttpResponse> {
    let article = articles::create(&app, &user.actor(), body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(article.version))
        .json(article))
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
    app: web::Data<App>,
    user: CurrentUser,
    Query(q): Query<ListArticlesQuery>,
) -> AppResult<HttpResponse> {
    let page = PageRequest {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
    };
    Ok(HttpResponse::Ok().json(articles::list(&app, &user.actor(), q.q.as_deref(), page).await?))
}

/// An article with its text, its derived status, its claims, its public page and
/// (for editors) what publishing would do.
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "articles", params(("id" = Uuid, Path)),
    responses((status = 200, body = ArticleView)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_article(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let article = articles::get(&app, &user.actor(), path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(article.version))
        .json(article))
}

/// Edit an article (`If-Match` required). A new body bumps `body_revision` and
/// re-anchors the claims: a quote still at its span stays; a quote found exactly once
/// elsewhere moves there; any other is flagged `anchor_lost`.
#[utoipa::path(patch, path = "/api/v1/articles/{id}", tag = "articles", request_body = UpdateArticleRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = ArticleView)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_article(
    app: web::Data<App>,
    req: HttpRequest,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateArticleRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let article = articles::update(&app, &user.actor(), path.into_inner(), version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(article.version))
        .json(article))
}

/// Candidate claims in the article, best first, each with its character span (usable
/// as-is to create a claim), a score in 0..1 and the reasons in words.
#[utoipa::path(get, path = "/api/v1/articles/{id}/suggestions", tag = "articles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Suggestions)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn article_suggestions(
    app: web::Data<App>,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(suggestions::of_article(&app, &user.actor(), path.into_inner()).await?))
}

/// Split an article: a claim from a span (`span_start`, `span_end`, in characters) or
/// from a `quote` the server finds (with `occurrence` when it appears more than once).
#[utoipa::path(post, path = "/api/v1/articles/{id}/claims", tag = "claims", request_body = CreateClaimRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CreatedClaim),
              (status = 422, description = "Span outside the text, empty or reversed; quote absent or ambiguous")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_claim(
    app: web::Data<App>,
    Permitted(user, _): Permitted<EditArticles>,
    path: web::Path<Uuid>,
    Json(body): Json<CreateClaimRequest>,
) -> AppResult<HttpResponse> {
    let created = claims::create(&app, &user.actor(), path.into_inner(), body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(created.claim.version))
        .json(created))
}
