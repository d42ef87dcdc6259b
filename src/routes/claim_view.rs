//! How a claim looks in every answer: its fields, its reviewers, its verdicts and the
//! actions the caller may take on it now.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{BoolExpressionMethods, ExpressionMethods, JoinOnDsl, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::role::Role;
use crate::auth::session::CurrentUser;
use crate::models::claim::{Assignment, Claim, Comment, Source, Verdict};
use crate::schema::{articles, assignments, comments, sources, users, verdicts};
use crate::workflow::{self, Action, Context, Status};

#[derive(Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: Uuid,
    pub reviewer_id: Uuid,
    pub reviewer_name: String,
    /// The reviewer's account was deactivated: reassign the claim.
    pub reviewer_inactive: bool,
    pub assigned_by: Uuid,
    pub assigned_at: DateTime<Utc>,
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
    pub kind: String,
    pub stance: String,
    pub excerpt: String,
    pub archive_url: Option<String>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub added_by: Uuid,
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
    pub author_id: Uuid,
    /// `draft`, `submitted`, `approved` or `superseded`.
    pub state: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl From<Verdict> for VerdictView {
    fn from(v: Verdict) -> Self {
        Self {
            id: v.id,
            rating: v.rating,
            summary: v.summary,
            explanation: Some(v.explanation),
            author_id: v.author_id,
            state: v.state,
            submitted_at: v.submitted_at,
            approved_by: v.approved_by,
            approved_at: v.approved_at,
            updated_at: v.updated_at,
            version: v.version,
        }
    }
}

impl VerdictView {
    fn light(v: Verdict, with_explanation: bool) -> Self {
        let mut view = Self::from(v);
        if !with_explanation {
            view.explanation = None;
        }
        view
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
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
    pub claimed_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub priority: String,
    pub ever_published: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub assignments: Vec<AssignmentView>,
    /// The earliest due time among the claim's reviewers (for a reviewer: their own).
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
    /// What the caller may do to the claim now.
    pub allowed_actions: Vec<Action>,
}

/// Builds the views of `claims` for `caller` in a fixed number of queries, whatever
/// the number of claims. `detail` adds sources and comments.
pub async fn build(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    claims: Vec<Claim>,
    detail: bool,
) -> diesel::QueryResult<Vec<ClaimView>> {
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = claims.iter().map(|c| c.id).collect();
    let article_ids: Vec<Uuid> = claims.iter().map(|c| c.article_id).collect();

    let titles: HashMap<Uuid, String> = articles::table
        .filter(articles::id.eq_any(&article_ids))
        .select((articles::id, articles::title))
        .load::<(Uuid, String)>(conn)
        .await?
        .into_iter()
        .collect();

    let mut by_claim: HashMap<Uuid, Vec<(Assignment, String, bool)>> = HashMap::new();
    for (a, name, active) in assignments::table
        .inner_join(users::table.on(users::id.eq(assignments::reviewer_id)))
        .filter(assignments::claim_id.eq_any(&ids))
        .order(assignments::due_at.asc())
        .select((Assignment::as_select(), users::display_name, users::active))
        .load::<(Assignment, String, bool)>(conn)
        .await?
    {
        by_claim
            .entry(a.claim_id)
            .or_default()
            .push((a, name, active));
    }

    let mut drafts: HashMap<Uuid, Verdict> = HashMap::new();
    let mut current: HashMap<Uuid, Verdict> = HashMap::new();
    for v in verdicts::table
        .filter(verdicts::claim_id.eq_any(&ids))
        .filter(
            verdicts::state
                .eq("draft")
                .or(verdicts::state.eq("submitted"))
                .or(verdicts::state.eq("approved")),
        )
        .order(verdicts::updated_at.asc())
        .select(Verdict::as_select())
        .load::<Verdict>(conn)
        .await?
    {
        if v.state == "draft" {
            drafts.insert(v.claim_id, v);
        } else {
            current.insert(v.claim_id, v);
        }
    }

    let (mut sources_by, mut comments_by) = (HashMap::new(), HashMap::new());
    if detail {
        for s in sources::table
            .filter(sources::claim_id.eq_any(&ids))
            .order(sources::created_at.asc())
            .select(Source::as_select())
            .load::<Source>(conn)
            .await?
        {
            sources_by
                .entry(s.claim_id)
                .or_insert_with(Vec::new)
                .push(SourceView::from(s));
        }
        for (c, name) in comments::table
            .inner_join(users::table.on(users::id.eq(comments::author_id)))
            .filter(comments::claim_id.eq_any(&ids))
            .order(comments::created_at.asc())
            .select((Comment::as_select(), users::display_name))
            .load::<(Comment, String)>(conn)
            .await?
        {
            comments_by
                .entry(c.claim_id)
                .or_insert_with(Vec::new)
                .push(CommentView {
                    id: c.id,
                    author_id: c.author_id,
                    author_name: name,
                    body: c.body,
                    created_at: c.created_at,
                });
        }
    }

    let now = Utc::now();
    Ok(claims
        .into_iter()
        .map(|c| {
            let status = Status::parse(&c.status).unwrap_or(Status::Draft);
            let assigned = by_claim.remove(&c.id).unwrap_or_default();
            let is_assigned = assigned.iter().any(|(a, _, _)| a.reviewer_id == caller.id);
            let ctx = Context {
                role: caller.role,
                is_assigned,
                reviewers: assigned.len(),
                ever_published: c.ever_published,
            };
            let mine = caller.role == Role::Reviewer;
            let due_at = assigned
                .iter()
                .filter(|(a, _, _)| !mine || a.reviewer_id == caller.id)
                .map(|(a, _, _)| a.due_at)
                .min();
            let overdue = status.is_open() && due_at.is_some_and(|d| d < now);
            ClaimView {
                article_title: titles.get(&c.article_id).cloned().unwrap_or_default(),
                assignments: assigned
                    .into_iter()
                    .map(|(a, name, active)| AssignmentView {
                        id: a.id,
                        reviewer_id: a.reviewer_id,
                        reviewer_name: name,
                        reviewer_inactive: !active,
                        assigned_by: a.assigned_by,
                        assigned_at: a.assigned_at,
                        overdue: status.is_open() && a.due_at < now,
                        due_at: a.due_at,
                        note: a.note,
                        version: a.version,
                    })
                    .collect(),
                due_at,
                overdue,
                verdict: current.remove(&c.id).map(|v| VerdictView::light(v, detail)),
                draft_verdict: drafts.remove(&c.id).map(|v| VerdictView::light(v, detail)),
                sources: detail.then(|| sources_by.remove(&c.id).unwrap_or_default()),
                comments: detail.then(|| comments_by.remove(&c.id).unwrap_or_default()),
                allowed_actions: workflow::allowed_actions(status, ctx),
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
        .collect())
}

/// One claim's full view.
pub async fn build_one(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    claim: Claim,
) -> diesel::QueryResult<ClaimView> {
    let mut views = build(conn, caller, vec![claim], true).await?;
    Ok(views.remove(0))
}
