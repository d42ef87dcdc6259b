//! Publishing an article's verdicts, correcting them, and taking a page down. What
//! publishing would do is `domain::publication`'s plan, the same one the article page
//! shows before the click.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::transitions::{add_comment, check, context, draft_from_approved, set_status};
use crate::app::webhooks;
use crate::app::{App, AppError, AppResult};
use crate::db::claims::{Claim, Source};
use crate::db::publications::Publication;
use crate::db::rating_scale::Rating;
use crate::db::{self, Conn, audit::Event};
use crate::domain::policy::{self, Actor};
use crate::domain::publication::{self, ClaimToPublish, PublishPlan, Refusal, Republication};
use crate::domain::validation::{
    FieldError, Lines, check_characters, is_public_http_url, required_line, required_text,
};
use crate::domain::webhooks::EventKind;
use crate::domain::workflow::{Action, Status};
use crate::publish::{PublicFigure, PublicReply, PublicSource, Snapshot};

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

impl PublicationView {
    pub fn new(p: Publication, app: &App) -> Self {
        Self {
            url: app.link(&format!("/p/{}", p.slug)),
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
}

/// The article's claims and what publishing needs to know of them (locked with
/// `lock`), with their approved verdicts and sources.
struct Candidates {
    claims: Vec<Claim>,
    verdicts: HashMap<Uuid, db::claims::Verdict>,
    sources: HashMap<Uuid, Vec<Source>>,
}

async fn candidates(conn: &mut Conn, article_id: Uuid, lock: bool) -> AppResult<Candidates> {
    let claims = db::claims::of_article(conn, article_id, None, lock).await?;
    let approved: Vec<Uuid> = claims
        .iter()
        .filter(|c| c.status == Status::Approved)
        .map(|c| c.id)
        .collect();
    let verdicts = db::claims::approved_verdicts(conn, &approved)
        .await?
        .into_iter()
        .map(|v| (v.claim_id, v))
        .collect();
    let mut sources: HashMap<Uuid, Vec<Source>> = HashMap::new();
    for s in db::claims::sources_of(conn, &approved).await? {
        sources.entry(s.claim_id).or_default().push(s);
    }
    Ok(Candidates {
        claims,
        verdicts,
        sources,
    })
}

fn plan_of(c: &Candidates) -> PublishPlan {
    let claims: Vec<ClaimToPublish> = c
        .claims
        .iter()
        .map(|claim| ClaimToPublish {
            id: claim.id,
            statement: claim.statement.clone(),
            status: claim.status,
            has_approved_verdict: c.verdicts.contains_key(&claim.id),
            has_public_source: c
                .sources
                .get(&claim.id)
                .is_some_and(|s| s.iter().any(|s| is_public_http_url(&s.url))),
        })
        .collect();
    publication::plan(&claims)
}

/// What publishing the article now would do, with its headline and summary as they
/// are (the article and publish pages show it before the click).
pub async fn publish_plan(conn: &mut Conn, article_id: Uuid, lock: bool) -> AppResult<PublishPlan> {
    let plan = plan_of(&candidates(conn, article_id, lock).await?);
    let down = db::publications::of_article(conn, article_id, false)
        .await?
        .is_some_and(|p| p.unpublished_at.is_some());
    Ok(plan.with_refusal(if down {
        Republication::Restoring
    } else {
        Republication::Plain
    }))
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

async fn unique_slug(conn: &mut Conn, headline: &str) -> AppResult<String> {
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
        if !db::publications::slug_taken(conn, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable!("some slug is free")
}

/// Publishes (or republishes) the article's verdict summary, as its plan says; 422
/// listing the claims that block it otherwise. Records exactly which verdict of each
/// claim is public.
pub async fn publish(
    app: &App,
    actor: &Actor,
    article_id: Uuid,
    body: PublishRequest,
) -> AppResult<PublicationView> {
    policy::may_publish(actor)?;
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
    crate::app::error::all_valid(errors)?;
    let mut conn = app.db().await?;
    let publication = conn
        .transaction::<_, AppError, _>(async |conn| {
            if !db::articles::exists(conn, article_id, true).await? {
                return Err(AppError::not_found("article"));
            }
            let found = candidates(conn, article_id, true).await?;
            let existing = db::publications::of_article(conn, article_id, true).await?;
            let plan = plan_of(&found);
            let republication = match &existing {
                Some(p) if p.unpublished_at.is_some() => Republication::Restoring,
                Some(p) if p.headline != headline || p.summary != summary => {
                    Republication::NewText
                }
                _ => Republication::Plain,
            };
            publication::check(&plan, republication).map_err(|refusal| match refusal {
                // The claims that wait are named, each with its reason, next to the rule.
                Refusal::NothingApproved => AppError::Validation(
                    std::iter::once(FieldError::new(
                        "claims",
                        if found.claims.is_empty() {
                            "the article has no claims to publish"
                        } else {
                            "no claim is approved with a source the public can open"
                        },
                    ))
                    .chain(plan.left_out.iter().map(|l| {
                        FieldError::new(
                            format!("claims[{}]", l.claim_id),
                            format!("“{}”: {}", l.statement, l.reason),
                        )
                    }))
                    .collect(),
                ),
                Refusal::NothingNew => AppError::validation(
                    "claims",
                    "no claim is approved since the last publication, and the headline and summary are as published",
                ),
            })?;
            let scale: HashMap<String, Rating> = db::rating_scale::load(conn)
                .await?
                .into_iter()
                .map(|r| (r.key.clone(), r))
                .collect();
            let (publication, previous) = match existing {
                Some(p) => (
                    db::publications::republish(conn, p.id, &headline, &summary, actor.id).await?,
                    Some(p),
                ),
                None => {
                    let slug = unique_slug(conn, &headline).await?;
                    (
                        db::publications::insert(
                            conn, article_id, &slug, &headline, &summary, actor.id,
                        )
                        .await?,
                        None,
                    )
                }
            };
            // Claims published before keep the verdict they were published with.
            let live: HashSet<Uuid> = found
                .claims
                .iter()
                .filter(|c| c.status != Status::Dropped)
                .map(|c| c.id)
                .collect();
            if let Some(prev) = &previous {
                for (claim_id, verdict_id, snapshot) in
                    db::publications::revision_verdicts(conn, prev.id, prev.revision).await?
                {
                    if live.contains(&claim_id) && !plan.to_publish.contains(&claim_id) {
                        db::publications::record_verdict(
                            conn,
                            publication.id,
                            publication.revision,
                            claim_id,
                            verdict_id,
                            &snapshot,
                        )
                        .await?;
                    }
                }
            }
            let now = Utc::now();
            let time_zone = db::settings::default_time_zone(conn).await?;
            let mut replies: HashMap<Uuid, Vec<db::replies::Reply>> = HashMap::new();
            for (r, _) in db::replies::of_claims(conn, &plan.to_publish).await? {
                replies.entry(r.claim_id).or_default().push(r);
            }
            for c in found
                .claims
                .iter()
                .filter(|c| plan.to_publish.contains(&c.id))
            {
                let verdict = &found.verdicts[&c.id];
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
                    sources: found
                        .sources
                        .get(&c.id)
                        .into_iter()
                        .flatten()
                        .filter(|s| is_public_http_url(&s.url))
                        .map(|s| PublicSource {
                            url: s.url.clone(),
                            title: s.title.clone(),
                            publisher: s.publisher.clone(),
                            archive_url: s.archive_url.clone(),
                        })
                        .collect(),
                    published_at: now,
                    figure: c.figure().map(|f| {
                        let f = f.summarise();
                        let source = f
                            .checked
                            .as_ref()
                            .and_then(|k| k.source_id)
                            .and_then(|id| {
                                found.sources.get(&c.id)?.iter().find(|s| s.id == id)
                            })
                            .map(|s| {
                                if s.publisher.trim().is_empty() {
                                    s.title.clone()
                                } else {
                                    s.publisher.clone()
                                }
                            })
                            .filter(|s| !s.trim().is_empty());
                        PublicFigure {
                            line: f.public_line(source.as_deref()),
                            about: f.about(source.as_deref()),
                            figure: f,
                            source,
                        }
                    }),
                    replies: replies
                        .get(&c.id)
                        .into_iter()
                        .flatten()
                        .filter(|r| r.publish)
                        .map(|r| PublicReply {
                            contacted_at: r.contacted_at,
                            reply: r.reply.clone(),
                            replied_at: r.replied_at,
                            line: r.attempt().public_line(
                                c.claimant.as_deref(),
                                now,
                                &time_zone,
                            ),
                        })
                        .collect(),
                };
                db::publications::record_verdict(
                    conn,
                    publication.id,
                    publication.revision,
                    c.id,
                    verdict.id,
                    &json!(snapshot),
                )
                .await?;
                let ctx = context(conn, actor, c, false).await?;
                let to = check(c, Action::Publish, ctx)?;
                set_status(conn, actor.id, c, Action::Publish, to, None).await?;
            }
            let mut event = Event::new(
                "publication",
                publication.id,
                if previous.is_some() {
                    "republish"
                } else {
                    "publish"
                },
            )
            .by(actor.id)
            .after(&publication);
            if let Some(p) = &previous {
                event = event.before(p);
            }
            db::audit::record(conn, event).await?;
            hook_publication(app, conn, actor, EventKind::ArticlePublished, &publication, json!({})).await?;
            Ok(publication)
        })
        .await?;
    Ok(PublicationView::new(publication, app))
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

/// Corrects a published article: the dated note appears on the public page at once and
/// the listed claims are reopened (their public verdict stays until republication).
pub async fn correct(
    app: &App,
    actor: &Actor,
    article_id: Uuid,
    body: CorrectionRequest,
) -> AppResult<CorrectionView> {
    policy::may_publish(actor)?;
    let note = required_text("note", &body.note, 5000)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        if !db::articles::exists(conn, article_id, false).await? {
            return Err(AppError::not_found("article"));
        }
        let publication = db::publications::of_article(conn, article_id, true)
            .await?
            .ok_or_else(|| {
                AppError::conflict(
                    "The article has not been published; there is nothing to correct.",
                )
            })?;
        let mut errors = Vec::new();
        let mut to_reopen = Vec::new();
        for (i, id) in body.claim_ids.iter().enumerate() {
            match db::claims::find(conn, *id, true)
                .await?
                .filter(|c| c.article_id == article_id)
            {
                Some(c) if c.status == Status::Published => to_reopen.push(c),
                Some(c) => errors.push(FieldError::new(
                    format!("claim_ids[{i}]"),
                    format!("is {}, not published", c.status.words()),
                )),
                None => errors.push(FieldError::new(
                    format!("claim_ids[{i}]"),
                    "is not a claim of this article",
                )),
            }
        }
        crate::app::error::all_valid(errors)?;
        for c in &to_reopen {
            let ctx = context(conn, actor, c, false).await?;
            let to = check(c, Action::Reopen, ctx)?;
            draft_from_approved(conn, c.id, actor.id).await?;
            add_comment(conn, actor.id, c.id, &format!("Correction: {note}")).await?;
            set_status(conn, actor.id, c, Action::Reopen, to, Some(&note)).await?;
        }
        let ids: Vec<Uuid> = to_reopen.iter().map(|c| c.id).collect();
        let (id, created_at) =
            db::publications::insert_correction(conn, publication.id, &note, &ids, actor.id)
                .await?;
        db::audit::record(
            conn,
            Event::new("publication", publication.id, "correct")
                .by(actor.id)
                .after(json!({"correction_id": id, "note": note, "claim_ids": ids})),
        )
        .await?;
        hook_publication(
            app,
            conn,
            actor,
            EventKind::ArticleCorrected,
            &publication,
            json!({"correction": {"id": id, "note": note, "reopened_claim_ids": ids}}),
        )
        .await?;
        Ok(CorrectionView {
            id,
            note: note.clone(),
            claim_ids: ids,
            created_at,
        })
    })
    .await
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

/// Takes a published page down: its URL answers 410 with a short notice and its
/// ClaimReview disappears; publishing again restores it.
pub async fn unpublish(
    app: &App,
    actor: &Actor,
    article_id: Uuid,
    body: UnpublishRequest,
) -> AppResult<PublicationView> {
    policy::may_publish(actor)?;
    let reason = required_text("reason", &body.reason, 2000)?;
    let mut conn = app.db().await?;
    let publication = conn
        .transaction::<_, AppError, _>(async |conn| {
            if !db::articles::exists(conn, article_id, false).await? {
                return Err(AppError::not_found("article"));
            }
            let before = db::publications::of_article(conn, article_id, true)
                .await?
                .filter(|p| p.unpublished_at.is_none())
                .ok_or_else(|| AppError::conflict("The article has no live public page."))?;
            let after = db::publications::unpublish(conn, before.id, &reason).await?;
            db::audit::record(
                conn,
                Event::new("publication", before.id, "unpublish")
                    .by(actor.id)
                    .before(&before)
                    .after(&after),
            )
            .await?;
            hook_publication(
                app,
                conn,
                actor,
                EventKind::ArticleUnpublished,
                &after,
                json!({"reason": reason}),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(PublicationView::new(publication, app))
}

/// Other tools hear of a page published, corrected or taken down.
async fn hook_publication(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    kind: EventKind,
    publication: &Publication,
    mut data: serde_json::Value,
) -> AppResult<()> {
    let actor_name = db::users::display_name(conn, actor.id).await?;
    let headline = &publication.headline;
    let public_url = app.link(&format!("/p/{}", publication.slug));
    let (summary, link) = match kind {
        EventKind::ArticlePublished => (
            format!("{actor_name} published “{headline}”"),
            public_url.clone(),
        ),
        EventKind::ArticleCorrected => (
            format!(
                "{actor_name} corrected “{headline}”: {}",
                data["correction"]["note"].as_str().unwrap_or_default()
            ),
            public_url.clone(),
        ),
        _ => (
            format!("{actor_name} took down “{headline}”"),
            format!("/articles/{}", publication.article_id),
        ),
    };
    data["publication"] = json!({"id": publication.id, "slug": publication.slug, "headline": headline,
                                 "revision": publication.revision, "url": public_url});
    data["article"] = json!({"id": publication.article_id});
    data["actor"] = json!({"id": actor.id, "name": actor_name});
    webhooks::announce(
        conn,
        &app.settings.public_base(),
        webhooks::Happened {
            kind,
            summary,
            link,
            data,
            dedupe_key: None,
        },
    )
    .await
}
