//! Articles: pasted in by editors, split into claims. Editing the body re-anchors the
//! claims whose quote still occurs exactly once, and flags the others `anchor_lost`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::{self, ClaimView};
use crate::app::publishing::{PublicationView, publish_plan};
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::articles::{Article, ArticleFields, Lock};
use crate::db::{self, Conn, audit::Event};
use crate::domain::page::{Cursor, Page, PageRequest};
use crate::domain::policy::{self, Actor};
use crate::domain::publication::PublishPlan;
use crate::domain::spans::{Anchor, anchor};
use crate::domain::text;
use crate::domain::time::Timestamp;
use crate::domain::validation::{
    FieldError, Lines, check_characters, optional_http_url, optional_language, optional_text,
    required_line,
};
use crate::domain::workflow::{ArticleStatus, Status, article_status};

/// Articles are at most this long (characters); a long feature is about 100,000.
pub const MAX_BODY_CHARS: usize = 500_000;

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
    /// What publishing now would do, and what blocks it. Only on `GET /articles/{id}`,
    /// for editors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_plan: Option<PublishPlan>,
}

/// Derived statuses and claim counts of `ids`. The count is of the claims `actor`
/// may see (a reviewer: their own); the status is the article's.
async fn statuses(
    conn: &mut Conn,
    actor: &Actor,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, (ArticleStatus, usize)>> {
    let rows = db::articles::claim_statuses(conn, ids).await?;
    let assigned = db::articles::ever_assigned(conn, ids).await?;
    let mine = if policy::may_see_all_claims(actor) {
        None
    } else {
        Some(db::articles::claims_assigned_to(conn, ids, actor.id).await?)
    };
    let mut by_article: HashMap<Uuid, Vec<(Status, bool)>> = HashMap::new();
    for (article, claim, status) in rows {
        let visible = mine.as_ref().is_none_or(|m| m.contains(&claim));
        by_article
            .entry(article)
            .or_default()
            .push((status, visible));
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
            let visible = list
                .iter()
                .filter(|(s, visible)| *visible && *s != Status::Dropped)
                .count();
            (*id, (article_status(&all, ever), visible))
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
        publish_plan: None,
    }
}

/// The article if the caller may see it: editors all, a reviewer those with a claim
/// assigned to them (404 otherwise).
async fn find_visible(conn: &mut Conn, actor: &Actor, id: Uuid) -> AppResult<Article> {
    let article = db::articles::find(conn, id, Lock::None)
        .await?
        .ok_or_else(|| AppError::not_found("article"))?;
    let mine = !policy::may_see_all_claims(actor)
        && db::articles::has_claim_of(conn, id, actor.id).await?;
    policy::may_see_article(actor, mine)?;
    Ok(article)
}

/// The article with the claims the caller may see.
async fn detail(conn: &mut Conn, actor: &Actor, article: Article) -> AppResult<ArticleView> {
    let only_mine = (!policy::may_see_all_claims(actor)).then_some(actor.id);
    let rows = db::claims::of_article(conn, article.id, only_mine, false).await?;
    let views = claim_view::build(conn, actor, rows, false).await?;
    let status = statuses(conn, actor, &[article.id])
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
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
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
    /// Refuse (409, naming the existing one in `duplicate_of`) when an article with the
    /// same address, or the same title and text, is on the desk already. The web app
    /// asks this first and offers to open the existing article or create it anyway.
    pub check_duplicates: Option<bool>,
}

/// The checked fields of an article, every mistake collected.
struct Checked {
    title: Option<String>,
    body: Option<String>,
    url: Option<Option<String>>,
    outlet: Option<Option<String>>,
    author: Option<Option<String>>,
    language: Option<Option<String>>,
}

fn check_body(body: &str, errors: &mut Vec<FieldError>) -> String {
    // Normalise line endings so offsets mean the same on every platform.
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    if let Err(e) = check_characters("body", &body, Lines::Many) {
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

fn check_fields(
    title: Option<&str>,
    body: Option<&str>,
    url: Option<&str>,
    outlet: Option<&str>,
    author: Option<&str>,
    language: Option<&str>,
) -> AppResult<Checked> {
    let mut errors = Vec::new();
    let mut keep =
        |r: Result<Option<String>, FieldError>| r.map_err(|e| errors.push(e)).ok().flatten();
    let url = url.map(|u| keep(optional_http_url("url", Some(u))));
    let outlet = outlet.map(|v| keep(optional_text("outlet", Some(v), 200, Lines::One)));
    let author = author.map(|v| keep(optional_text("author", Some(v), 200, Lines::One)));
    let language = language.map(|v| keep(optional_language("language", Some(v))));
    let title = title.and_then(|t| {
        required_line("title", t, 500)
            .map_err(|e| errors.push(e))
            .ok()
    });
    let body = body.map(|b| check_body(b, &mut errors));
    crate::app::error::all_valid(errors)?;
    Ok(Checked {
        title,
        body,
        url,
        outlet,
        author,
        language,
    })
}

/// Pastes in an article.
pub async fn create(
    app: &App,
    actor: &Actor,
    body: CreateArticleRequest,
) -> AppResult<ArticleView> {
    policy::may_edit_articles(actor)?;
    let f = check_fields(
        Some(&body.title),
        Some(&body.body),
        body.url.as_deref(),
        body.outlet.as_deref(),
        body.author.as_deref(),
        body.language.as_deref(),
    )?;
    let mut conn = app.db().await?;
    let article = conn
        .transaction::<_, AppError, _>(async |conn| {
            if body.check_duplicates == Some(true)
                && let Some((id, title, outlet, created_at)) = db::articles::same_as(
                    conn,
                    f.url.clone().flatten().as_deref(),
                    f.title.as_deref().unwrap_or_default(),
                    f.body.as_deref().unwrap_or_default(),
                )
                .await?
            {
                let mut extensions = serde_json::Map::new();
                extensions.insert(
                    "duplicate_of".into(),
                    json!({"id": id, "title": title, "outlet": outlet, "created_at": created_at}),
                );
                return Err(AppError::Conflict {
                    detail: "This article is on the desk already (the same address, or the same title and text). Open it, or create it anyway.".into(),
                    extensions,
                });
            }
            let article = db::articles::insert(
                conn,
                ArticleFields {
                    title: f.title.as_deref().unwrap_or_default(),
                    body: f.body.as_deref().unwrap_or_default(),
                    url: f.url.clone().flatten().as_deref(),
                    outlet: f.outlet.clone().flatten().as_deref(),
                    author: f.author.clone().flatten().as_deref(),
                    published_at: body.published_at.map(Timestamp::get),
                    language: f.language.clone().flatten().as_deref(),
                },
                actor.id,
            )
            .await?;
            db::audit::record(
                conn,
                Event::new("article", article.id, "create")
                    .by(actor.id)
                    .after(audit_view(&article)),
            )
            .await?;
            Ok(article)
        })
        .await?;
    detail(&mut conn, actor, article).await
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

/// Articles, newest first. A reviewer sees those with a claim assigned to them.
pub async fn list(
    app: &App,
    actor: &Actor,
    text: Option<&str>,
    page: PageRequest<'_>,
) -> AppResult<Page<ArticleView>> {
    let limit = page.limit()?;
    let before = page.cursor()?;
    let only_mine = (!policy::may_see_all_claims(actor)).then_some(actor.id);
    let mut conn = app.db().await?;
    let rows = db::articles::list(
        &mut conn,
        only_mine,
        text.map(str::trim).filter(|t| !t.is_empty()),
        before,
        limit,
    )
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    let mut st = statuses(&mut conn, actor, &ids).await?;
    Ok(Page::from_rows(
        rows,
        limit,
        |a| Cursor::new(a.created_at, a.id),
        |a| {
            let s = st.remove(&a.id).unwrap_or((ArticleStatus::Draft, 0));
            view(a, s, None)
        },
    ))
}

/// An article with its text, its derived status, its claims, its public page and (for
/// editors) what publishing would do.
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> AppResult<ArticleView> {
    let mut conn = app.db().await?;
    let article = find_visible(&mut conn, actor, id).await?;
    full_view(app, &mut conn, actor, article).await
}

/// The whole article as `GET /articles/{id}` shows it: the detail, its public page and,
/// for editors, the publish plan. An edit answers with the same, so a screen that
/// keeps the answer loses nothing it showed.
async fn full_view(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    article: Article,
) -> AppResult<ArticleView> {
    let mut view = detail(conn, actor, article).await?;
    view.publication = db::publications::of_article(conn, view.id, false)
        .await?
        .map(|p| PublicationView::new(p, app));
    if policy::may_publish(actor).is_ok() {
        view.publish_plan = Some(publish_plan(conn, view.id, false).await?);
    }
    Ok(view)
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
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
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

/// Edits an article. A new body bumps `body_revision` and re-anchors the claims: a
/// quote still at its span stays; a quote found exactly once elsewhere moves there; any
/// other is flagged `anchor_lost`.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    body: UpdateArticleRequest,
) -> AppResult<ArticleView> {
    policy::may_edit_articles(actor)?;
    let f = check_fields(
        body.title.as_deref(),
        body.body.as_deref(),
        body.url.as_deref(),
        body.outlet.as_deref(),
        body.author.as_deref(),
        body.language.as_deref(),
    )?;
    let mut conn = app.db().await?;
    let article = conn
        .transaction::<_, AppError, _>(async |conn| {
            let before = db::articles::find(conn, id, Lock::Update)
                .await?
                .ok_or_else(|| AppError::not_found("article"))?;
            check_version(
                conn,
                version,
                before.version,
                Some(("article", id)),
                async |conn| detail(conn, actor, before.clone()).await,
            )
            .await?;
            let body_changed = f.body.as_ref().is_some_and(|b| *b != before.body);
            let revision = before.body_revision + i32::from(body_changed);
            let after = db::articles::update(
                conn,
                id,
                ArticleFields {
                    title: f.title.as_deref().unwrap_or(&before.title),
                    body: f.body.as_deref().unwrap_or(&before.body),
                    url: f.url.clone().unwrap_or(before.url.clone()).as_deref(),
                    outlet: f.outlet.clone().unwrap_or(before.outlet.clone()).as_deref(),
                    author: f.author.clone().unwrap_or(before.author.clone()).as_deref(),
                    published_at: body
                        .published_at
                        .map(Timestamp::get)
                        .or(before.published_at),
                    language: f
                        .language
                        .clone()
                        .unwrap_or(before.language.clone())
                        .as_deref(),
                },
                revision,
            )
            .await?;
            db::audit::record(
                conn,
                Event::new("article", id, "update")
                    .by(actor.id)
                    .before(audit_view(&before))
                    .after(audit_view(&after)),
            )
            .await?;
            if body_changed {
                reanchor(conn, actor, &after).await?;
            }
            Ok(after)
        })
        .await?;
    full_view(app, &mut conn, actor, article).await
}

async fn reanchor(conn: &mut Conn, actor: &Actor, article: &Article) -> AppResult<()> {
    for c in db::claims::of_article(conn, article.id, None, true).await? {
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
        let revision = if lost {
            c.anchored_revision
        } else {
            article.body_revision
        };
        db::claims::set_anchor(conn, c.id, (start, end), lost, revision).await?;
        if (start, end, lost) != (c.span_start, c.span_end, c.anchor_lost) {
            db::audit::record(
                conn,
                Event::of_claim(c.id, "claim", c.id, if lost { "anchor_lost" } else { "reanchor" })
                    .by(actor.id)
                    .before(json!({"span_start": c.span_start, "span_end": c.span_end, "anchor_lost": c.anchor_lost}))
                    .after(json!({"span_start": start, "span_end": end, "anchor_lost": lost, "body_revision": article.body_revision})),
            )
            .await?;
        }
    }
    Ok(())
}
