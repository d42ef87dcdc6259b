//! Claims: created from a span of an article, listed in queues, edited, deleted while
//! still drafts, with their history. (Moving them through the workflow is
//! `transitions`.)

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::{self, ClaimView};
use crate::app::similar::SimilarClaim;
use crate::app::transitions::{context, find_visible, illegal};
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::claim_views::{self, ListFilter};
use crate::db::{self, articles::Lock, audit::Event};
use crate::domain::claim_figure::{self, CheckedFigure, ClaimFigure, ClaimedFigure};
use crate::domain::page::{Cursor, Page, PageRequest};
use crate::domain::policy::{self, Actor};
use crate::domain::spans::{self, SpanRequest};
use crate::domain::time::Timestamp;
use crate::domain::validation::{FieldError, Lines, check_characters, required_line};
use crate::domain::workflow::{self, Priority, Status};

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
    /// The figure the claim states. Left out, it is proposed from the quote's first
    /// figure ("4%"), for the editor to confirm.
    pub figure: Option<ClaimedFigure>,
    /// Each reviewer proposes their own rating, hidden from the others until all are
    /// in (at least two reviewers). Left out, the newsroom's default for the priority.
    pub independent_review: Option<bool>,
}

/// A new claim, with the earlier claims it resembles ("checked on 2025-02-20: False").
#[derive(Serialize, ToSchema)]
pub struct CreatedClaim {
    #[serde(flatten)]
    pub claim: ClaimView,
    pub similar: Vec<SimilarClaim>,
}

/// A claimant: one line of at most 200 characters; blank is none.
fn claimant(value: Option<&str>) -> Result<Option<&str>, FieldError> {
    let Some(c) = value else { return Ok(None) };
    check_characters("claimant", c, Lines::One)?;
    let c = c.trim();
    if c.chars().count() > 200 {
        return Err(FieldError::new(
            "claimant",
            "must be at most 200 characters",
        ));
    }
    Ok(Some(c))
}

/// Splits an article: a claim from a span (in characters) or from a quote the server
/// finds (with `occurrence` when it appears more than once).
pub async fn create(
    app: &App,
    actor: &Actor,
    article_id: Uuid,
    body: CreateClaimRequest,
) -> AppResult<CreatedClaim> {
    policy::may_edit_articles(actor)?;
    let mut conn = app.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            // Locked so the body cannot change between finding the span and writing it.
            let article = db::articles::find(conn, article_id, Lock::Share)
                .await?
                .ok_or_else(|| AppError::not_found("article"))?;
            let span = spans::resolve(
                &article.body,
                &SpanRequest {
                    span_start: body.span_start,
                    span_end: body.span_end,
                    quote: body.quote.as_deref(),
                    occurrence: body.occurrence,
                },
            )?;
            let mut errors = Vec::new();
            let statement = match body.statement.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => required_line("statement", s, 1000)
                    .map_err(|e| errors.push(e))
                    .unwrap_or_default(),
                None => span
                    .quote
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(1000)
                    .collect(),
            };
            let claimant = claimant(body.claimant.as_deref())
                .map_err(|e| errors.push(e))
                .ok()
                .flatten()
                .filter(|c| !c.is_empty());
            let figure = match body.figure {
                Some(claimed) => claimed
                    .validated("figure")
                    .map_err(|e| errors.push(e))
                    .ok()
                    .map(|claimed| ClaimFigure {
                        claimed,
                        checked: None,
                    }),
                None => claim_figure::propose(&span.quote),
            };
            crate::app::error::all_valid(errors)?;
            let priority = body.priority.unwrap_or(Priority::Normal);
            let independent_review = match body.independent_review {
                Some(on) => on,
                None => workflow::independent_by_default(
                    db::settings::load(conn)
                        .await?
                        .independent_review_for_high_priority,
                    priority,
                ),
            };
            let claim = db::claims::insert(
                conn,
                db::claims::NewClaim {
                    article_id: article.id,
                    quote: &span.quote,
                    span_start: span.start as i32,
                    span_end: span.end as i32,
                    anchored_revision: article.body_revision,
                    statement: &statement,
                    claimant,
                    claimed_at: body.claimed_at.map(Timestamp::get),
                    priority,
                    created_by: actor.id,
                    figure: figure.as_ref(),
                    independent_review,
                },
            )
            .await?;
            db::audit::record(
                conn,
                Event::of_claim(claim.id, "claim", claim.id, "create")
                    .by(actor.id)
                    .after(&claim),
            )
            .await?;
            Ok(claim)
        })
        .await?;
    let similar =
        crate::app::similar::find(app, &mut conn, actor, &claim.statement, Some(claim.id)).await?;
    let view = claim_view::build_one(&mut conn, actor, claim).await?;
    Ok(CreatedClaim {
        claim: view,
        similar,
    })
}

/// Which claims to list.
pub struct ClaimQuery<'a> {
    pub status: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub article_id: Option<Uuid>,
    pub rating: Option<&'a str>,
    pub q: Option<&'a str>,
    pub overdue: Option<bool>,
    pub similar_to: Option<&'a str>,
    pub page: PageRequest<'a>,
}

/// Claims, filtered. A reviewer sees only their own claims, as a queue sorted by due
/// time then priority; so does anyone asking for `assignee`. Otherwise newest first.
pub async fn list(app: &App, actor: &Actor, q: ClaimQuery<'_>) -> AppResult<Page<ClaimView>> {
    // Every parameter is checked first, whichever kind of list is asked for.
    let limit = q.page.limit()?;
    let cursor: Option<Cursor> = q.page.cursor()?;
    let assignee = match q.assignee {
        None | Some("") => None,
        Some("me") => Some(actor.id),
        Some(id) => Some(
            id.parse::<Uuid>()
                .map_err(|_| FieldError::new("assignee", "must be `me` or a user id"))?,
        ),
    };
    // A reviewer's list is their own queue, whatever they ask for.
    let assignee = if policy::may_see_all_claims(actor) {
        assignee
    } else {
        Some(actor.id)
    };
    let statuses: Vec<Status> = match q.status {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|s| {
                Status::parse(s).ok_or_else(|| {
                    FieldError::new("status", format!("`{s}` is not a claim status"))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let mut conn = app.db().await?;
    if let Some(text) = q.similar_to.map(str::trim).filter(|t| !t.is_empty()) {
        let found = crate::app::similar::find(app, &mut conn, actor, text, None).await?;
        let ids: Vec<Uuid> = found.iter().map(|f| f.id).collect();
        let mut rows = db::claims::by_ids(&mut conn, &ids).await?;
        rows.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
        let items = claim_view::build(&mut conn, actor, rows, false).await?;
        return Ok(Page {
            items,
            next_cursor: None,
        });
    }
    let rows = claim_views::list(
        &mut conn,
        ListFilter {
            assignee,
            statuses,
            article_id: q.article_id,
            rating: q.rating.map(str::to_string),
            q: q.q.map(str::to_string),
            overdue: q.overdue,
            cursor,
            limit,
        },
    )
    .await?;
    drop(conn);
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more {
        rows.last().map(|r| match r.queue_due_at {
            Some(due) => Cursor {
                at: due,
                rank: r.view.claim.priority.rank(),
                id: r.view.claim.id,
            }
            .encode(),
            None => Cursor::new(r.view.claim.created_at, r.view.claim.id).encode(),
        })
    } else {
        None
    };
    let items = claim_view::assemble(actor, rows.into_iter().map(|r| r.view).collect(), None);
    Ok(Page { items, next_cursor })
}

/// A claim with its reviewers, sources, verdicts, comments and allowed actions.
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> AppResult<ClaimView> {
    let mut conn = app.db().await?;
    let (claim, _) = find_visible(&mut conn, actor, id, false).await?;
    Ok(claim_view::build_one(&mut conn, actor, claim).await?)
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
    /// Re-anchors the claim to these characters of the article's current text (both
    /// or neither); the quote becomes the text there.
    #[schema(minimum = 0)]
    pub span_start: Option<i64>,
    #[schema(minimum = 1)]
    pub span_end: Option<i64>,
    /// The claim's figures: `claimed` is set (and `checked` too when given, else the
    /// checked figure stays); `null` removes both.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<FigureRequest>, nullable)]
    pub figure: Option<Option<FigureRequest>>,
    /// Ask for (or stop asking for) independent reviews; only before the claim is
    /// submitted.
    pub independent_review: Option<bool>,
    pub version: Option<i32>,
}

/// The figures an editor sets on a claim.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureRequest {
    pub claimed: ClaimedFigure,
    pub checked: Option<CheckedFigure>,
}

/// A field that may be left out (`None`), `null` (`Some(None)`) or given.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Edits a claim's statement, claimant, date, priority or span. What an approved or
/// published claim says, and where it sits, change only after a reopen (or through a
/// correction).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    body: UpdateClaimRequest,
) -> AppResult<ClaimView> {
    policy::may_edit_articles(actor)?;
    let mut conn = app.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (before, assigned) = find_visible(conn, actor, id, true).await?;
            let statement = body
                .statement
                .as_deref()
                .map(|s| required_line("statement", s, 1000))
                .transpose()?;
            let new_claimant = body
                .claimant
                .as_deref()
                .map(|c| claimant(Some(c)))
                .transpose()?
                .flatten();
            let requested_figure = match body.figure {
                None => None,
                Some(None) => Some(None),
                Some(Some(f)) => {
                    let mut errors = Vec::new();
                    let claimed = f
                        .claimed
                        .validated("figure.claimed")
                        .map_err(|e| errors.push(e))
                        .ok();
                    let checked = f
                        .checked
                        .map(|c| c.validated("figure.checked"))
                        .transpose()
                        .map_err(|e| errors.push(e))
                        .ok()
                        .flatten();
                    crate::app::error::all_valid(errors)?;
                    claimed.map(|claimed| Some((claimed, checked)))
                }
            };
            check_version(
                conn,
                version,
                before.version,
                Some(("claim", before.id)),
                async |conn| Ok(claim_view::build_one(conn, actor, before.clone()).await?),
            )
            .await?;
            // A new span is resolved in the article's text as it is now (locked, so it
            // cannot change meanwhile).
            let span = match (body.span_start, body.span_end) {
                (None, None) => None,
                (start, end) => {
                    let article = db::articles::find(conn, before.article_id, Lock::Share)
                        .await?
                        .ok_or_else(|| AppError::not_found("article"))?;
                    let span = spans::resolve(
                        &article.body,
                        &SpanRequest {
                            span_start: Some(start.ok_or_else(|| {
                                FieldError::new("span_start", "is needed with span_end")
                            })?),
                            span_end: Some(end.ok_or_else(|| {
                                FieldError::new("span_end", "is needed with span_start")
                            })?),
                            quote: None,
                            occurrence: None,
                        },
                    )?;
                    let moved = before.anchor_lost
                        || before.anchored_revision != article.body_revision
                        || span.start as i32 != before.span_start
                        || span.end as i32 != before.span_end;
                    moved.then_some((span, article.body_revision))
                }
            };
            let old_figure = before.figure();
            let figure = match requested_figure {
                None => old_figure.clone(),
                Some(None) => None,
                Some(Some((claimed, checked))) => {
                    if let Some(c) = &checked {
                        let sources = db::claims::source_ids_of(conn, id).await?;
                        c.check_source("figure.checked", &sources)?;
                    }
                    let checked =
                        checked.or_else(|| old_figure.as_ref().and_then(|o| o.checked.clone()));
                    Some(ClaimFigure { claimed, checked })
                }
            };
            let figure_changes = figure != old_figure;
            let wording_changes = statement.as_ref().is_some_and(|s| *s != before.statement)
                || new_claimant.is_some_and(|c| Some(c) != before.claimant.as_deref())
                || span.is_some()
                || figure_changes;
            let independent_review = body.independent_review.unwrap_or(before.independent_review);
            if independent_review != before.independent_review && before.status.evidence_locked() {
                let ctx = context(conn, actor, &before, assigned).await?;
                return Err(illegal(
                    &before,
                    format!(
                        "Whether a claim has independent reviews changes only before it is submitted; this one is {}.",
                        before.status.words()
                    ),
                    &workflow::allowed_actions(before.status, ctx),
                ));
            }
            if wording_changes && matches!(before.status, Status::Approved | Status::Published) {
                let ctx = context(conn, actor, &before, assigned).await?;
                return Err(illegal(
                    &before,
                    "Reopen the claim before changing what it says.".into(),
                    &workflow::allowed_actions(before.status, ctx),
                ));
            }
            let after = db::claims::update(
                conn,
                id,
                db::claims::ClaimEdit {
                    statement: statement.as_deref().unwrap_or(&before.statement),
                    claimant: match new_claimant {
                        Some("") => None,
                        Some(c) => Some(c),
                        None => before.claimant.as_deref(),
                    },
                    claimed_at: body.claimed_at.map(Timestamp::get).or(before.claimed_at),
                    priority: body.priority.unwrap_or(before.priority),
                    figure: figure.as_ref(),
                    independent_review,
                    anchor: span.as_ref().map(|(span, revision)| db::claims::Reanchor {
                        quote: &span.quote,
                        span_start: span.start as i32,
                        span_end: span.end as i32,
                        revision: *revision,
                    }),
                },
            )
            .await?;
            db::audit::record(
                conn,
                Event::of_claim(id, "claim", id, "update")
                    .by(actor.id)
                    .before(&before)
                    .after(&after),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(claim_view::build_one(&mut conn, actor, claim).await?)
}

/// The checked figure a reviewer records, with the claim's version (or `If-Match`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckedFigureRequest {
    #[schema(pattern = "^-?[0-9]{1,18}(\\.[0-9]{1,8})?$", example = "57")]
    pub value: String,
    #[schema(pattern = "^-?[0-9]{1,18}(\\.[0-9]{1,8})?$")]
    pub value_max: Option<String>,
    /// When the checked figure holds ("February 2025").
    #[schema(max_length = 100)]
    pub period: Option<String>,
    /// The claim's source it comes from.
    pub source_id: Option<Uuid>,
    pub version: Option<i32>,
}

impl CheckedFigureRequest {
    pub fn figure(self) -> CheckedFigure {
        CheckedFigure {
            value: self.value,
            value_max: self.value_max,
            period: self.period,
            source_id: self.source_id,
        }
    }
}

/// Records (or with `None` removes) the checked figure of a numeric claim: the
/// reviewer's finding, from one of the claim's sources. Editors and the claim's
/// reviewers, while its evidence is open.
pub async fn set_checked_figure(
    app: &App,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    checked: Option<CheckedFigure>,
) -> AppResult<ClaimView> {
    let checked = checked.map(|c| c.validated("")).transpose()?;
    let mut conn = app.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (before, assigned) = find_visible(conn, actor, id, true).await?;
            policy::may_work_on_claim(actor, assigned)?;
            // Removing needs no version (as removing a source does); recording does.
            if checked.is_some() || version.is_some() {
                check_version(
                    conn,
                    version,
                    before.version,
                    Some(("claim", before.id)),
                    async |conn| Ok(claim_view::build_one(conn, actor, before.clone()).await?),
                )
                .await?;
            }
            if before.status.evidence_locked() {
                let ctx = context(conn, actor, &before, assigned).await?;
                return Err(illegal(
                    &before,
                    "The claim's evidence is locked in this state; reopen it to change the checked figure."
                        .into(),
                    &workflow::allowed_actions(before.status, ctx),
                ));
            }
            if let Some(c) = &checked {
                let sources = db::claims::source_ids_of(conn, id).await?;
                c.check_source("", &sources)?;
            }
            let Some(mut figure) = before.figure() else {
                return Err(FieldError::new(
                    "figure",
                    "the claim states no figure yet: an editor adds the claimed figure first",
                )
                .into());
            };
            figure.checked = checked;
            let after = db::claims::set_figure(conn, id, &figure).await?;
            db::audit::record(
                conn,
                Event::of_claim(id, "figure", id, "update")
                    .by(actor.id)
                    .before(&before.figure)
                    .after(&after.figure),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(claim_view::build_one(&mut conn, actor, claim).await?)
}

/// Deletes a claim still in `draft`; any other state is 409 (drop it instead).
pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> AppResult<()> {
    policy::may_edit_articles(actor)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let (claim, assigned) = find_visible(conn, actor, id, true).await?;
        if claim.status != Status::Draft {
            let ctx = context(conn, actor, &claim, assigned).await?;
            return Err(illegal(
                &claim,
                "Only a draft claim can be deleted; drop it instead.".into(),
                &workflow::allowed_actions(claim.status, ctx),
            ));
        }
        db::claims::delete(conn, id).await?;
        db::audit::record(
            conn,
            Event::of_claim(id, "claim", id, "delete")
                .by(actor.id)
                .before(&claim),
        )
        .await?;
        Ok(())
    })
    .await
}

#[derive(Serialize, ToSchema)]
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
pub async fn history(app: &App, actor: &Actor, id: Uuid) -> AppResult<Vec<HistoryEvent>> {
    let mut conn = app.db().await?;
    let (claim, _) = find_visible(&mut conn, actor, id, false).await?;
    let mut events: Vec<HistoryEvent> = db::claims::history(&mut conn, id)
        .await?
        .into_iter()
        .map(|r| HistoryEvent {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            before: r.before,
            after: r.after,
        })
        .collect();
    // Independent proposals stay private to their reviewers until all are in.
    crate::app::reviews::hide_from_history(&mut conn, actor, &claim, &mut events).await?;
    Ok(events)
}
