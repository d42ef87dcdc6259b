//! How a claim looks in every answer: its fields, its reviewers, its verdicts and the
//! actions the caller may take on it now.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::claim_views::{VerdictRow, ViewRow};
use crate::db::claims::{Claim, Source};
use crate::db::{self, Conn};
use crate::domain::claim_figure::FigureSummary;
use crate::domain::evidence::{SourceKind, Stance};
use crate::domain::policy::Actor;
use crate::domain::role::Role;
use crate::domain::workflow::{self, Action, Context, Priority, Status, VerdictState};
use crate::publish::markdown;

/// chrono's own `Serialize` writes a timestamp a character at a time through
/// serde_json's escaping writer; writing the same RFC 3339 text in one piece is several
/// times cheaper, which counts in lists of fifty claims with ten timestamps each.
mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    pub fn option<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => serialize(at, s),
            None => s.serialize_none(),
        }
    }

    #[cfg(test)]
    mod tests {
        use chrono::{DateTime, TimeZone, Utc};
        use serde::Serialize;

        #[derive(Serialize)]
        struct Ours(#[serde(serialize_with = "super::serialize")] DateTime<Utc>);

        #[test]
        fn writes_what_chrono_writes() {
            let whole = Utc.with_ymd_and_hms(2025, 2, 19, 10, 0, 5).unwrap();
            for at in [
                whole,
                whole + chrono::Duration::microseconds(123_456),
                whole + chrono::Duration::milliseconds(120),
                whole + chrono::Duration::nanoseconds(7),
            ] {
                assert_eq!(
                    serde_json::to_string(&Ours(at)).unwrap(),
                    serde_json::to_string(&at).unwrap()
                );
            }
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: Uuid,
    pub reviewer_id: Uuid,
    pub reviewer_name: String,
    /// The reviewer's account was deactivated: reassign the claim.
    pub reviewer_inactive: bool,
    pub assigned_by: Uuid,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub assigned_at: DateTime<Utc>,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub due_at: DateTime<Utc>,
    pub note: String,
    pub overdue: bool,
    pub version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct SourceView {
    pub id: Uuid,
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub kind: SourceKind,
    pub stance: Stance,
    pub excerpt: String,
    pub archive_url: Option<String>,
    #[serde(serialize_with = "rfc3339::option")]
    pub accessed_at: Option<DateTime<Utc>>,
    pub added_by: Uuid,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

impl From<Source> for SourceView {
    fn from(s: Source) -> Self {
        Self {
            id: s.id,
            url: s.url,
            title: s.title,
            publisher: s.publisher,
            kind: s.kind,
            stance: s.stance,
            excerpt: s.excerpt,
            archive_url: s.archive_url,
            accessed_at: s.accessed_at,
            added_by: s.added_by,
            created_at: s.created_at,
            version: s.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VerdictView {
    pub id: Uuid,
    /// A key of the rating scale.
    pub rating: Option<String>,
    pub summary: String,
    /// Markdown. Only on single-claim answers (lists stay light).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// The explanation rendered to sanitised HTML, as the public page shows it. Only
    /// on single-claim answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation_html: Option<String>,
    pub author_id: Uuid,
    pub state: VerdictState,
    #[serde(serialize_with = "rfc3339::option")]
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<Uuid>,
    #[serde(serialize_with = "rfc3339::option")]
    pub approved_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
}

impl CommentView {
    pub fn new(c: crate::db::claims::Comment, author_name: String) -> Self {
        Self {
            id: c.id,
            author_id: c.author_id,
            author_name,
            body: c.body,
            created_at: c.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClaimView {
    pub id: Uuid,
    pub article_id: Uuid,
    pub article_title: String,
    /// The exact text of the article at the span.
    pub quote: String,
    /// Offsets in Unicode scalar values (characters), not bytes, into the article body.
    pub span_start: i32,
    pub span_end: i32,
    /// The body revision the span refers to.
    pub anchored_revision: i32,
    /// An edit of the article removed or duplicated the quote: the span is stale.
    pub anchor_lost: bool,
    pub statement: String,
    pub claimant: Option<String>,
    #[serde(serialize_with = "rfc3339::option")]
    pub claimed_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub priority: Priority,
    pub ever_published: bool,
    pub created_by: Uuid,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub assignments: Vec<AssignmentView>,
    /// The earliest due time among the claim's reviewers (for a reviewer: their own).
    #[serde(serialize_with = "rfc3339::option")]
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    /// The latest submitted or approved verdict.
    pub verdict: Option<VerdictView>,
    /// The draft the reviewers are working on.
    pub draft_verdict: Option<VerdictView>,
    /// Only on single-claim answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<SourceView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<CommentView>>,
    /// A numeric claim's figures: as claimed and, once checked, as found.
    pub figure: Option<FigureSummary>,
    /// Each reviewer proposes their own rating (`/claims/{id}/reviews`), hidden from the
    /// others until all are in.
    pub independent_review: bool,
    /// With independent reviews: how many of the reviewers have submitted theirs.
    pub reviews_submitted: usize,
    /// What the caller may do to the claim now.
    pub allowed_actions: Vec<Action>,
    /// Its sources and verdict cannot change in this state (a change is 409).
    pub evidence_locked: bool,
}

fn verdict_view(v: VerdictRow) -> VerdictView {
    let (id, rating, summary, explanation, author_id, state) = (v.0, v.1, v.2, v.3, v.4, v.5);
    VerdictView {
        id,
        rating,
        summary,
        explanation_html: explanation.as_deref().map(markdown::to_safe_html),
        explanation,
        author_id,
        state,
        submitted_at: v.6,
        approved_by: v.7,
        approved_at: v.8,
        updated_at: v.9,
        version: v.10,
    }
}

/// Builds the views of `claims` for `caller` in a fixed number of queries, whatever
/// the number of claims (one, or three with `detail`, which adds sources and comments).
pub async fn build(
    conn: &mut Conn,
    caller: &Actor,
    claims: Vec<Claim>,
    detail: bool,
) -> diesel::QueryResult<Vec<ClaimView>> {
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = claims.iter().map(|c| c.id).collect();
    let mut extras = db::claim_views::extras_of(conn, &ids, detail).await?;
    let rows = claims
        .into_iter()
        .filter_map(|claim| {
            extras
                .remove(&claim.id)
                .map(|extras| ViewRow { claim, extras })
        })
        .collect();
    if !detail {
        return Ok(assemble(caller, rows, None));
    }

    let (mut sources_by, mut comments_by) = (HashMap::new(), HashMap::new());
    for s in db::claims::sources_of(conn, &ids).await? {
        sources_by
            .entry(s.claim_id)
            .or_insert_with(Vec::new)
            .push(SourceView::from(s));
    }
    for (c, name) in db::claims::comments_of(conn, &ids).await? {
        comments_by
            .entry(c.claim_id)
            .or_insert_with(Vec::new)
            .push(CommentView::new(c, name));
    }
    Ok(assemble(caller, rows, Some((sources_by, comments_by))))
}

type Details = (
    HashMap<Uuid, Vec<SourceView>>,
    HashMap<Uuid, Vec<CommentView>>,
);

/// The views of claims read with their extras, for `caller`; `details` are the
/// sources and comments of single-claim answers.
pub fn assemble(
    caller: &Actor,
    rows: Vec<ViewRow>,
    mut details: Option<Details>,
) -> Vec<ClaimView> {
    let now = Utc::now();
    rows.into_iter()
        .map(|ViewRow { claim: c, extras }| {
            let mut assigned = extras.view_assignments.unwrap_or_default();
            assigned.sort_by_key(|a| (a.6, a.0));
            let mut verdicts = extras.view_verdicts.unwrap_or_default();
            // Oldest first: the latest of each kind wins.
            verdicts.sort_by_key(|v| (v.9, v.0));
            let (mut current, mut draft) = (None, None);
            for v in verdicts {
                if v.5 == VerdictState::Draft {
                    draft = Some(v);
                } else {
                    current = Some(v);
                }
            }
            let status = c.status;
            // Proposals of reviewers still on the claim.
            let submitted: Vec<Uuid> = extras
                .view_reviews_submitted
                .iter()
                .copied()
                .filter(|r| assigned.iter().any(|a| a.1 == *r))
                .collect();
            let ctx = Context {
                role: caller.role,
                is_assigned: assigned.iter().any(|a| a.1 == caller.id),
                reviewers: assigned.len(),
                ever_published: c.ever_published,
                review: c.independent_review.then(|| workflow::Independent {
                    others_submitted: submitted.iter().filter(|r| **r != caller.id).count(),
                    mine_submitted: submitted.contains(&caller.id),
                }),
            };
            let mine = caller.role == Role::Reviewer;
            let due_at = assigned
                .iter()
                .filter(|a| !mine || a.1 == caller.id)
                .map(|a| a.6)
                .min();
            let overdue = status.is_open() && due_at.is_some_and(|d| d < now);
            let (sources, comments) = match details.as_mut() {
                Some((sources, comments)) => (
                    Some(sources.remove(&c.id).unwrap_or_default()),
                    Some(comments.remove(&c.id).unwrap_or_default()),
                ),
                None => (None, None),
            };
            ClaimView {
                article_title: extras.view_article_title,
                assignments: assigned
                    .into_iter()
                    .map(
                        |(
                            id,
                            reviewer_id,
                            reviewer_name,
                            active,
                            assigned_by,
                            assigned_at,
                            due_at,
                            note,
                            version,
                        )| {
                            AssignmentView {
                                id,
                                reviewer_id,
                                reviewer_name,
                                reviewer_inactive: !active,
                                assigned_by,
                                assigned_at,
                                overdue: status.is_open() && due_at < now,
                                due_at,
                                note,
                                version,
                            }
                        },
                    )
                    .collect(),
                due_at,
                overdue,
                verdict: current.map(verdict_view),
                draft_verdict: draft.map(verdict_view),
                sources,
                comments,
                figure: c.figure().map(|f| f.summarise()),
                independent_review: c.independent_review,
                reviews_submitted: submitted.len(),
                allowed_actions: workflow::allowed_actions(status, ctx),
                evidence_locked: status.evidence_locked(),
                id: c.id,
                article_id: c.article_id,
                quote: c.quote,
                span_start: c.span_start,
                span_end: c.span_end,
                anchored_revision: c.anchored_revision,
                anchor_lost: c.anchor_lost,
                statement: c.statement,
                claimant: c.claimant,
                claimed_at: c.claimed_at,
                status,
                priority: c.priority,
                ever_published: c.ever_published,
                created_by: c.created_by,
                created_at: c.created_at,
                updated_at: c.updated_at,
                version: c.version,
            }
        })
        .collect()
}

/// One claim's full view.
pub async fn build_one(
    conn: &mut Conn,
    caller: &Actor,
    claim: Claim,
) -> diesel::QueryResult<ClaimView> {
    let mut views = build(conn, caller, vec![claim], true).await?;
    Ok(views.remove(0))
}
