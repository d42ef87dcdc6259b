//! What the public sees, without signing in: the verdict pages (`/p/{slug}`), their
//! JSON, the methodology page, and the "report an error" form's endpoint.

use std::sync::LazyLock;

use actix_web::http::header::{self, CacheControl, CacheDirective, ContentType};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use futures_util::StreamExt;
use minijinja::Environment;
use rust_embed::RustEmbed;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::email::{self, Email};
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::parse_json;
use crate::models::audit;
use crate::publish::{self, Found, PublicArticle, claim_review, markdown};
use crate::routes::common::{Lines, check_characters, client_ip};
use crate::routes::resource;
use crate::routes::{rating_scale, settings};
use crate::schema::{error_reports, publication_verdicts, publications, users};
use crate::startup::AppState;

pub fn configure_pages(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/p/{slug}", GET => public_page);
    resource!(cfg, "/p/assets/public.css", GET => public_css);
    resource!(cfg, "/p/assets/ratings.css", GET => ratings_css);
    resource!(cfg, "/methodology", GET => methodology_page);
}

pub fn configure_api(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/public/articles/{slug}", GET => public_article_json);
    resource!(cfg, "/public/articles/{slug}/error-reports", POST => report_error);
}

#[derive(RustEmbed)]
#[folder = "templates/public"]
struct Files;

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_loader(|name| {
        Ok(Files::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned()))
    });
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    env.add_filter("date", |value: String| -> String {
        DateTime::parse_from_rfc3339(&value)
            .map(|d| d.format("%-d %B %Y").to_string())
            .unwrap_or(value)
    });
    env
});

fn render(name: &str, context: minijinja::Value) -> AppResult<String> {
    PAGES
        .get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("rendering {name}: {e}")))
}

/// Whether `path` is one of the public HTML pages, whose errors are pages too.
pub fn is_page(path: &str) -> bool {
    (path.starts_with("/p/") && !path.starts_with("/p/assets/")) || path == "/methodology"
}

/// An error as a readers' page (for the public HTML routes and the report form).
pub fn error_page(error: &AppError) -> HttpResponse {
    let problem = error.problem();
    let body = render(
        "error.html",
        minijinja::context! {
            newsroom_name => "",
            title => problem.title,
            detail => problem.detail,
            errors => minijinja::Value::from_serialize(&problem.errors),
        },
    )
    .unwrap_or_else(|_| format!("{} {}", problem.status, problem.title));
    let mut response = HttpResponse::build(error.status_code());
    response
        .content_type(ContentType::html())
        .insert_header(CacheControl(vec![CacheDirective::NoStore]));
    if let Some(secs) = error.retry_after() {
        response.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    response.body(body)
}

/// A strong validator of a public answer: its bytes' digest.
fn etag_of(body: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body);
    format!(
        "\"{}\"",
        digest
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// A public answer that every cache must check again before use (`no-cache` with an
/// `ETag`): a takedown, a correction or a republication reaches the very next reader,
/// and an unchanged page costs a 304.
fn revalidated(
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    content_type: ContentType,
    body: Vec<u8>,
) -> HttpResponse {
    let etag = etag_of(&body);
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
        });
    let mut response = if matches && status.is_success() {
        HttpResponse::NotModified()
    } else {
        HttpResponse::build(status)
    };
    response
        .insert_header(CacheControl(vec![CacheDirective::NoCache]))
        .insert_header((header::ETAG, etag));
    if matches && status.is_success() {
        response.finish()
    } else {
        response.content_type(content_type).body(body)
    }
}

fn html(req: &HttpRequest, status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    revalidated(req, status, ContentType::html(), body.into_bytes())
}

#[derive(Deserialize)]
struct PageQuery {
    reported: Option<String>,
}

/// The public verdict summary: server-rendered HTML with one ClaimReview JSON-LD block
/// per claim. A page taken down answers 410.
pub async fn public_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let query: PageQuery =
        serde_urlencoded::from_str(req.query_string()).unwrap_or(PageQuery { reported: None });
    let mut conn = state.db().await?;
    let newsroom = settings::load(&mut conn).await?;
    match publish::load_public(&mut conn, &path, &state.settings.public_base()).await? {
        Found::Live(page) => {
            let ld: Vec<String> = page
                .claim_reviews
                .iter()
                .map(claim_review::to_script_json)
                .collect();
            let body = render(
                "article.html",
                minijinja::context! {
                    newsroom_name => page.newsroom.name.clone(),
                    page => minijinja::Value::from_serialize(&*page),
                    json_ld => ld,
                    reported => query.reported.is_some(),
                },
            )?;
            Ok(html(&req, actix_web::http::StatusCode::OK, body))
        }
        Found::Gone { headline, at } => {
            let body = render(
                "gone.html",
                minijinja::context! { headline, at => at.to_rfc3339(), newsroom_name => newsroom.newsroom_name.clone(), newsroom => newsroom.newsroom_name },
            )?;
            Ok(html(&req, actix_web::http::StatusCode::GONE, body))
        }
        Found::Missing => {
            let body = render(
                "missing.html",
                minijinja::context! { newsroom_name => newsroom.newsroom_name.clone(), newsroom => newsroom.newsroom_name },
            )?;
            Ok(html(&req, actix_web::http::StatusCode::NOT_FOUND, body))
        }
    }
}

pub async fn public_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(3600),
        ]))
        .body(include_str!("../../templates/public/public.css"))
}

/// One class per rating, coloured as the scale says (no inline styles: the CSP forbids them).
pub async fn ratings_css(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let mut css = String::new();
    for r in rating_scale::load(&mut conn).await? {
        // Keys are [a-z0-9_] and colours #rrggbb: both checked when the scale is saved.
        css.push_str(&format!(".rating-{k} {{ background: {c}; }}\n.rating-border-{k} {{ border-left-color: {c}; }}\n", k = r.key, c = r.color));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(300),
        ]))
        .body(css))
}

/// The newsroom's methodology, from settings.
pub async fn methodology_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let s = settings::load(&mut conn).await?;
    let body = render(
        "methodology.html",
        minijinja::context! {
            newsroom_name => s.newsroom_name.clone(),
            newsroom => s.newsroom_name,
            newsroom_url => s.public_url,
            corrections_policy_url => s.corrections_policy_url,
            methodology_html => markdown::to_safe_html(&s.methodology),
        },
    )?;
    Ok(html(&req, actix_web::http::StatusCode::OK, body))
}

/// The published verdict summary as JSON (what the page shows, and its ClaimReview).
#[utoipa::path(get, path = "/api/v1/public/articles/{slug}", tag = "public", params(("slug" = String, Path)),
    responses((status = 200, body = PublicArticle), (status = 404),
              (status = 410, description = "Taken down")))]
pub async fn public_article_json(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    match publish::load_public(&mut conn, &path, &state.settings.public_base()).await? {
        Found::Live(page) => Ok(revalidated(
            &req,
            actix_web::http::StatusCode::OK,
            ContentType::json(),
            serde_json::to_vec(&*page).map_err(|e| AppError::Internal(e.into()))?,
        )),
        Found::Gone { .. } => Err(AppError::Gone(
            "This verdict summary has been taken down.".into(),
        )),
        Found::Missing => Err(AppError::NotFound(
            "No published verdict summary has that address.".into(),
        )),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ErrorReportRequest {
    /// What is wrong.
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub message: String,
    /// How to reach the reader, if they want an answer.
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub contact: Option<String>,
    /// The claim the report is about.
    #[schema(format = Uuid)]
    pub claim_id: Option<String>,
    /// Left empty by people; bots fill it in.
    #[schema(max_length = 200)]
    pub website: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorReportReceived {
    pub status: &'static str,
}

const REPORT_LIMIT: usize = 64 * 1024;
/// Reports one address may send in an hour.
pub const REPORTS_PER_HOUR: i64 = 5;

/// A reader reports an error: stored and emailed to the editors. Takes JSON, or the
/// page's form (then answers with a redirect back to the page). Throttled per address.
#[utoipa::path(post, path = "/api/v1/public/articles/{slug}/error-reports", tag = "public", request_body = ErrorReportRequest,
    params(("slug" = String, Path)),
    responses((status = 202, body = ErrorReportReceived), (status = 303, description = "From the page's form: back to the page"),
              (status = 404),
              (status = 422),
              (status = 429, description = "More than 5 reports an hour from one address")))]
pub async fn report_error(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    mut payload: web::Payload,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if !form && !content_type.starts_with("application/json") {
        return Err(AppError::UnsupportedMediaType(
            "Send JSON or the page's form.".into(),
        ));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request("body", e.to_string()))?;
        if body.len() + chunk.len() > REPORT_LIMIT {
            return Err(AppError::PayloadTooLarge {
                limit: REPORT_LIMIT,
            });
        }
        body.extend_from_slice(&chunk);
    }
    let report: ErrorReportRequest = if form {
        crate::extract::parse_form(&body)?
    } else {
        parse_json(&body)?
    };
    let accepted = || {
        if form {
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/p/{slug}?reported=1#report")))
                .finish()
        } else {
            HttpResponse::Accepted().json(ErrorReportReceived { status: "received" })
        }
    };

    let mut conn = state.db().await?;
    let publication: (Uuid, i32, String) = publications::table
        .filter(publications::slug.eq(&slug))
        .filter(publications::unpublished_at.is_null())
        .select((
            publications::id,
            publications::revision,
            publications::headline,
        ))
        .first(&mut conn)
        .await
        .optional()?
        .ok_or_else(|| {
            AppError::NotFound("No published verdict summary has that address.".into())
        })?;
    // A filled honeypot is a bot: thank it and keep nothing.
    if report
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        return Ok(accepted());
    }
    let mut errors = Vec::new();
    let message = report.message.trim().to_string();
    if let Err(e) = check_characters("message", &message, Lines::Many) {
        errors.push(e);
    } else if message.is_empty() || message.chars().count() > 5000 {
        errors.push(FieldError::new("message", "must be 1 to 5000 characters"));
    }
    let contact = report
        .contact
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from);
    if let Some(Err(e)) = contact
        .as_deref()
        .map(|c| check_characters("contact", c, Lines::One))
    {
        errors.push(e);
    } else if contact.as_ref().is_some_and(|c| c.chars().count() > 200) {
        errors.push(FieldError::new("contact", "must be at most 200 characters"));
    }
    let claim_id = match report
        .claim_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(raw) => {
            let id = raw.parse::<Uuid>().ok();
            let on_page: i64 = match id {
                Some(id) => {
                    publication_verdicts::table
                        .filter(publication_verdicts::publication_id.eq(publication.0))
                        .filter(publication_verdicts::revision.eq(publication.1))
                        .filter(publication_verdicts::claim_id.eq(id))
                        .count()
                        .get_result(&mut conn)
                        .await?
                }
                None => 0,
            };
            if on_page == 0 {
                errors.push(FieldError::new("claim_id", "is not a claim on this page"));
            }
            id
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let ip = client_ip(&req, &state.settings);
    let recent: i64 = error_reports::table
        .filter(error_reports::client_ip.eq(&ip))
        .filter(error_reports::created_at.gt(Utc::now() - chrono::Duration::hours(1)))
        .count()
        .get_result(&mut conn)
        .await?;
    if recent >= REPORTS_PER_HOUR {
        return Err(AppError::TooManyRequests {
            retry_after_secs: 3600,
        });
    }
    let page_url = format!("{}/p/{slug}", state.settings.public_base());
    conn.transaction::<_, AppError, _>(async |conn| {
        let id: Uuid = diesel::insert_into(error_reports::table)
            .values((
                error_reports::publication_id.eq(publication.0),
                error_reports::claim_id.eq(claim_id),
                error_reports::message.eq(&message),
                error_reports::contact.eq(&contact),
                error_reports::client_ip.eq(&ip),
            ))
            .returning(error_reports::id)
            .get_result(conn)
            .await?;
        audit::record(conn, None, "error_report", id, "create", None, Some(json!({"publication_id": publication.0, "claim_id": claim_id}))).await?;
        let editors: Vec<(String, String)> = users::table
            .filter(users::role.eq_any(["editor", "admin"]))
            .filter(users::active.eq(true))
            .select((users::email, users::display_name))
            .load(conn)
            .await?;
        let newsroom = crate::routes::users::newsroom_name(conn).await?;
        for (address, name) in editors {
            email::enqueue(
                conn,
                Email { recipient: &address, cc: vec![], kind: "error_report", dedupe_key: None },
                json!({"display_name": name, "newsroom": newsroom, "headline": publication.2, "message": message,
                       "contact": contact, "link": match claim_id { Some(c) => format!("{page_url}#claim-{c}"), None => page_url.clone() }}),
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(accepted())
}
