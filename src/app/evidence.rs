//! A claim's evidence: sources and the one draft verdict its reviewers share. Both are
//! locked while the claim is submitted, approved, published or dropped; a reviewer's
//! first edit of an assigned claim starts its review.

use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::{self, ClaimView, SourceView};
use crate::app::transitions::{context, illegal, lock_for_evidence};
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::claims::Source;
use crate::db::{self, audit::Event};
use crate::domain::evidence::{SourceKind, Stance};
use crate::domain::policy::Actor;
use crate::domain::time::Timestamp;
use crate::domain::validation::{FieldError, Lines, check_characters, http_url, optional_http_url};
use crate::domain::workflow::{self, VerdictState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// An http(s) URL.
    #[schema(
        max_length = 2000,
        pattern = "^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?$"
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
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
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
        pattern = "^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?$"
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
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
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

/// A source request, checked: what is set (`None` keeps what a source has).
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
        Some(u) => http_url("url", u).map_err(|e| errors.push(e)).ok(),
        None if creating => {
            errors.push(FieldError::new("url", "is required"));
            None
        }
        None => None,
    };
    let archive_url = body.archive_url.as_deref().map(|u| {
        optional_http_url("archive_url", Some(u))
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
    });
    let mut text = |name: &str, value: &Option<String>, max: usize, lines: Lines| {
        let raw = value.as_deref();
        if let Some(Err(e)) = raw.map(|v| check_characters(name, v, lines)) {
            errors.push(e);
        } else if raw.is_some_and(|v| v.chars().count() > max) {
            errors.push(FieldError::new(
                name,
                format!("must be at most {max} characters"),
            ));
        }
        raw.map(|v| v.trim().to_string())
    };
    let title = text("title", &body.title, 500, Lines::One);
    let publisher = text("publisher", &body.publisher, 200, Lines::One);
    let excerpt = text("excerpt", &body.excerpt, 5000, Lines::Many);
    crate::app::error::all_valid(errors)?;
    Ok(SourceFields {
        url,
        title,
        publisher,
        excerpt,
        archive_url,
    })
}

/// Adds a source (assigned reviewers and editors).
pub async fn add_source(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    body: NewSourceRequest,
) -> AppResult<SourceView> {
    let body = SourceRequest::from(body);
    let mut conn = app.db().await?;
    let source = conn
        .transaction::<_, AppError, _>(async |conn| {
            lock_for_evidence(conn, actor, claim_id).await?;
            let f = validate_source(&body, true)?;
            let source = db::claims::insert_source(
                conn,
                claim_id,
                actor.id,
                db::claims::SourceFields {
                    url: f.url.as_deref().unwrap_or_default(),
                    title: f.title.as_deref().unwrap_or_default(),
                    publisher: f.publisher.as_deref().unwrap_or_default(),
                    kind: body.kind.unwrap_or(SourceKind::Other),
                    stance: body.stance.unwrap_or(Stance::Context),
                    excerpt: f.excerpt.as_deref().unwrap_or_default(),
                    archive_url: f.archive_url.flatten().as_deref(),
                    accessed_at: body.accessed_at.map(Timestamp::get),
                },
            )
            .await?;
            db::audit::record(
                conn,
                Event::of_claim(claim_id, "source", source.id, "create")
                    .by(actor.id)
                    .after(&source),
            )
            .await?;
            Ok(source)
        })
        .await?;
    Ok(SourceView::from(source))
}

/// Edits a source.
pub async fn update_source(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    source_id: Uuid,
    version: Option<i32>,
    body: SourceRequest,
) -> AppResult<SourceView> {
    let mut conn = app.db().await?;
    let source = conn
        .transaction::<_, AppError, _>(async |conn| {
            lock_for_evidence(conn, actor, claim_id).await?;
            let before: Source = db::claims::source(conn, claim_id, source_id, true)
                .await?
                .ok_or_else(|| AppError::not_found("source"))?;
            let f = validate_source(&body, false)?;
            check_version(
                conn,
                version,
                before.version,
                Some(("source", before.id)),
                async |_| Ok(SourceView::from(before.clone())),
            )
            .await?;
            let archive_url = f.archive_url.unwrap_or(before.archive_url.clone());
            let after = db::claims::update_source(
                conn,
                source_id,
                db::claims::SourceFields {
                    url: f.url.as_deref().unwrap_or(&before.url),
                    title: f.title.as_deref().unwrap_or(&before.title),
                    publisher: f.publisher.as_deref().unwrap_or(&before.publisher),
                    kind: body.kind.unwrap_or(before.kind),
                    stance: body.stance.unwrap_or(before.stance),
                    excerpt: f.excerpt.as_deref().unwrap_or(&before.excerpt),
                    archive_url: archive_url.as_deref(),
                    accessed_at: body.accessed_at.map(Timestamp::get).or(before.accessed_at),
                },
            )
            .await?;
            db::audit::record(
                conn,
                Event::of_claim(claim_id, "source", source_id, "update")
                    .by(actor.id)
                    .before(&before)
                    .after(&after),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(SourceView::from(source))
}

/// Removes a source.
pub async fn delete_source(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    source_id: Uuid,
) -> AppResult<()> {
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        lock_for_evidence(conn, actor, claim_id).await?;
        let before = db::claims::delete_source(conn, claim_id, source_id)
            .await?
            .ok_or_else(|| AppError::not_found("source"))?;
        db::audit::record(
            conn,
            Event::of_claim(claim_id, "source", source_id, "delete")
                .by(actor.id)
                .before(&before),
        )
        .await?;
        Ok(())
    })
    .await
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

/// A verdict's (or an independent proposal's) summary and explanation, checked into
/// `errors`, trimmed.
pub fn verdict_text(body: &VerdictRequest, errors: &mut Vec<FieldError>) -> (String, String) {
    let raw_summary = body.summary.as_deref().unwrap_or("");
    if let Err(e) = check_characters("summary", raw_summary, Lines::Many) {
        errors.push(e);
    } else if raw_summary.chars().count() > MAX_SUMMARY_CHARS {
        errors.push(FieldError::new(
            "summary",
            format!("must be at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    let summary = raw_summary.trim().to_string();
    let explanation = body.explanation.as_deref().unwrap_or("").to_string();
    if let Err(e) = check_characters("explanation", &explanation, Lines::Many) {
        errors.push(e);
    } else if explanation.chars().count() > MAX_EXPLANATION_CHARS {
        errors.push(FieldError::new(
            "explanation",
            format!("must be at most {MAX_EXPLANATION_CHARS} characters"),
        ));
    }
    (summary, explanation)
}

/// Writes the claim's one draft verdict (assigned reviewers and editors). Creating it
/// needs no version; changing an existing draft needs its version, so two reviewers
/// never silently overwrite each other.
pub async fn put_verdict(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    version: Option<i32>,
    body: VerdictRequest,
) -> AppResult<ClaimView> {
    let mut errors = Vec::new();
    let (summary, explanation) = verdict_text(&body, &mut errors);
    let mut conn = app.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let claim = lock_for_evidence(conn, actor, claim_id).await?;
            if claim.independent_review {
                let assigned = db::claims::is_assigned(conn, claim_id, actor.id).await?;
                let ctx = context(conn, actor, &claim, assigned).await?;
                return Err(illegal(
                    &claim,
                    "This claim has independent reviews: each reviewer proposes their own rating (PUT /claims/{id}/reviews/me), and an editor approves one.".into(),
                    &workflow::allowed_actions(claim.status, ctx),
                ));
            }
            if let Some(rating) = &body.rating
                && !db::rating_scale::key_exists(conn, rating).await?
            {
                errors.push(FieldError::new(
                    "rating",
                    format!("`{rating}` is not on the rating scale"),
                ));
            }
            crate::app::error::all_valid(std::mem::take(&mut errors))?;
            let text = db::claims::VerdictText {
                rating: body.rating.as_deref(),
                summary: &summary,
                explanation: &explanation,
            };
            match db::claims::verdict_in(conn, claim_id, VerdictState::Draft, true).await? {
                Some(before) => {
                    check_version(
                        conn,
                        version,
                        before.version,
                        Some(("verdict", before.id)),
                        async |conn| Ok(claim_view::build_one(conn, actor, claim.clone()).await?),
                    )
                    .await?;
                    let after = db::claims::update_draft(conn, before.id, actor.id, text).await?;
                    db::audit::record(
                        conn,
                        Event::of_claim(claim_id, "verdict", after.id, "update")
                            .by(actor.id)
                            .before(&before)
                            .after(&after),
                    )
                    .await?;
                }
                None => {
                    let created = db::claims::insert_draft(conn, claim_id, actor.id, text).await?;
                    db::audit::record(
                        conn,
                        Event::of_claim(claim_id, "verdict", created.id, "create")
                            .by(actor.id)
                            .after(&created),
                    )
                    .await?;
                }
            }
            Ok(claim)
        })
        .await?;
    Ok(claim_view::build_one(&mut conn, actor, claim).await?)
}
