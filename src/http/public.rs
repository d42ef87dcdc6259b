//! What the public sees, without signing in: the verdict pages (`/p/{slug}`), their
//! JSON, the methodology page, and the "report an error" form's endpoint.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, CacheControl, CacheDirective, ContentType};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use chrono::DateTime;
use futures_util::StreamExt;
use minijinja::Environment;
use rust_embed::RustEmbed;
use serde::Deserialize;

use crate::app::public::{self, ErrorReportReceived, ErrorReportRequest, Reported};
use crate::app::{App, AppError, AppResult};
use crate::domain::time::{format_day, format_day_time};
use crate::http::common::client_ip;
use crate::http::extract::{parse_form, parse_json};
use crate::http::resource;
use crate::publish::{Found, PublicArticle, claim_review, markdown};

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
    // Days and times in the newsroom's zone (its settings), given as the argument.
    env.add_filter("date", |value: String, zone: Option<String>| -> String {
        DateTime::parse_from_rfc3339(&value)
            .map(|d| format_day(d.to_utc(), zone.as_deref().unwrap_or("UTC")))
            .unwrap_or(value)
    });
    env.add_filter(
        "datetime",
        |value: String, zone: Option<String>| -> String {
            DateTime::parse_from_rfc3339(&value)
                .map(|d| format_day_time(d.to_utc(), zone.as_deref().unwrap_or("UTC")))
                .unwrap_or(value)
        },
    );
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
    let problem = crate::http::error::problem(error);
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
    status: StatusCode,
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
    let not_modified = matches && status.is_success();
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::build(status)
    };
    response
        .insert_header(CacheControl(vec![CacheDirective::NoCache]))
        .insert_header((header::ETAG, etag));
    if not_modified {
        response.finish()
    } else {
        response.content_type(content_type).body(body)
    }
}

fn html(req: &HttpRequest, status: StatusCode, body: String) -> HttpResponse {
    revalidated(req, status, ContentType::html(), body.into_bytes())
}

#[derive(Deserialize)]
struct PageQuery {
    reported: Option<String>,
}

/// The public verdict summary: server-rendered HTML with one ClaimReview JSON-LD block
/// per claim. A page taken down answers 410.
pub async fn public_page(
    app: web::Data<App>,
    req: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let query: PageQuery =
        serde_urlencoded::from_str(req.query_string()).unwrap_or(PageQuery { reported: None });
    let found = public::page(&app, &path).await?;
    let (template, status, context) = match found {
        Found::Live(page) => {
            let ld: Vec<String> = page
                .claim_reviews
                .iter()
                .map(claim_review::to_script_json)
                .collect();
            let context = minijinja::context! {
                newsroom_name => page.newsroom.name.clone(),
                page => minijinja::Value::from_serialize(&*page),
                json_ld => ld,
                reported => query.reported.is_some(),
            };
            ("article.html", StatusCode::OK, context)
        }
        Found::Gone { headline, at } => {
            let settings = public::newsroom(&app).await?;
            let newsroom = settings.newsroom_name;
            let context = minijinja::context! { headline, at => at.to_rfc3339(), newsroom_name => newsroom.clone(), newsroom, time_zone => settings.default_time_zone };
            ("gone.html", StatusCode::GONE, context)
        }
        Found::Missing => {
            let newsroom = public::newsroom(&app).await?.newsroom_name;
            (
                "missing.html",
                StatusCode::NOT_FOUND,
                minijinja::context! { newsroom_name => newsroom.clone(), newsroom },
            )
        }
    };
    Ok(html(&req, status, render(template, context)?))
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
pub async fn ratings_css(app: web::Data<App>) -> AppResult<HttpResponse> {
    let mut css = String::new();
    for r in public::rating_scale(&app).await? {
        // Keys are [a-z0-9_] and colours #rrggbb: both checked when the scale is saved.
        css.push_str(&format!(
            ".rating-{k} {{ background: {c}; }}\n.rating-border-{k} {{ border-left-color: {c}; }}\n",
            k = r.key,
            c = r.color
        ));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(300),
        ]))
        .body(css))
}

/// The newsroom's methodology, from settings, and the rating scale its verdicts use.
pub async fn methodology_page(app: web::Data<App>, req: HttpRequest) -> AppResult<HttpResponse> {
    let s = public::newsroom(&app).await?;
    let scale = public::rating_scale(&app).await?;
    let body = render(
        "methodology.html",
        minijinja::context! {
            ratings => scale,
            newsroom_name => s.newsroom_name.clone(),
            newsroom => s.newsroom_name,
            newsroom_url => s.public_url,
            corrections_policy_url => s.corrections_policy_url,
            methodology_html => markdown::to_safe_html(&s.methodology),
        },
    )?;
    Ok(html(&req, StatusCode::OK, body))
}

/// The published verdict summary as JSON (what the page shows, and its ClaimReview).
#[utoipa::path(get, path = "/api/v1/public/articles/{slug}", tag = "public", params(("slug" = String, Path)),
    responses((status = 200, body = PublicArticle), (status = 404),
              (status = 410, description = "Taken down")))]
pub async fn public_article_json(
    app: web::Data<App>,
    req: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    match public::page(&app, &path).await? {
        Found::Live(page) => Ok(revalidated(
            &req,
            StatusCode::OK,
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

const REPORT_LIMIT: usize = 64 * 1024;

/// A reader reports an error: stored and emailed to the editors. Takes JSON, or the
/// page's form (then answers with a redirect back to the page). Throttled per address.
#[utoipa::path(post, path = "/api/v1/public/articles/{slug}/error-reports", tag = "public", request_body = ErrorReportRequest,
    params(("slug" = String, Path)),
    responses((status = 202, body = ErrorReportReceived), (status = 303, description = "From the page's form: back to the page"),
              (status = 404),
              (status = 422),
              (status = 429, description = "More than 5 reports an hour from one address")))]
pub async fn report_error(
    app: web::Data<App>,
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
        parse_form(&body)?
    } else {
        parse_json(&body)?
    };
    // A report and a bot's filled honeypot get the same answer.
    let (Reported::Stored | Reported::Ignored) =
        public::report_error(&app, &slug, report, &client_ip(&req, &app.settings)).await?;
    Ok(if form {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/p/{slug}?reported=1#report")))
            .finish()
    } else {
        HttpResponse::Accepted().json(ErrorReportReceived { status: "received" })
    })
}
