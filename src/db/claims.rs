//! Claims and what hangs off them: assignments, sources, verdicts, comments, and the
//! claim's history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{assignments, audit_events, claims, comments, sources, users, verdicts};
use crate::domain::claim_figure::ClaimFigure;
use crate::domain::evidence::{SourceKind, Stance};
use crate::domain::workflow::{Priority, Status, VerdictState};

#[derive(Clone, Debug, Queryable, QueryableByName, Selectable, Serialize)]
#[diesel(table_name = claims)]
pub struct Claim {
    pub id: Uuid,
    pub article_id: Uuid,
    pub quote: String,
    pub span_start: i32,
    pub span_end: i32,
    pub anchored_revision: i32,
    pub anchor_lost: bool,
    pub statement: String,
    pub claimant: Option<String>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub priority: Priority,
    pub ever_published: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// A numeric claim's figures ([`ClaimFigure`]), as checked before they were written.
    pub figure: Option<Value>,
    /// Each reviewer proposes their own rating, hidden from the others until all are in.
    pub independent_review: bool,
}

impl Claim {
    /// The claim's figures, if it states one.
    pub fn figure(&self) -> Option<ClaimFigure> {
        serde_json::from_value(self.figure.clone()?).ok()
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub reviewer_id: Uuid,
    pub assigned_by: Uuid,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub note: String,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = sources)]
pub struct Source {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub kind: SourceKind,
    pub stance: Stance,
    pub excerpt: String,
    pub archive_url: Option<String>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub added_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = verdicts)]
pub struct Verdict {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub rating: Option<String>,
    pub summary: String,
    pub explanation: String,
    pub author_id: Uuid,
    pub state: VerdictState,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The columns of [`Claim`], for hand-written SQL (`claims.search` is left out).
pub const CLAIM_COLUMNS: &str = "claims.id, claims.article_id, claims.quote, claims.span_start, claims.span_end, \
    claims.anchored_revision, claims.anchor_lost, claims.statement, claims.claimant, claims.claimed_at, claims.status, \
    claims.priority, claims.ever_published, claims.created_by, claims.created_at, claims.updated_at, claims.version, \
    claims.figure, claims.independent_review";

/// [`Priority::rank`] in SQL.
pub const PRIORITY_RANK_SQL: &str = "(CASE claims.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END)";

/// A claim, locked for update when `lock`.
pub async fn find(conn: &mut Conn, id: Uuid, lock: bool) -> QueryResult<Option<Claim>> {
    let query = claims::table.find(id).select(Claim::as_select());
    if lock {
        query.for_update().first(conn).await.optional()
    } else {
        query.first(conn).await.optional()
    }
}

pub async fn by_ids(conn: &mut Conn, ids: &[Uuid]) -> QueryResult<Vec<Claim>> {
    claims::table
        .filter(claims::id.eq_any(ids))
        .select(Claim::as_select())
        .load(conn)
        .await
}

/// The claims of an article, in text order; locked for update when `lock`.
pub async fn of_article(
    conn: &mut Conn,
    article_id: Uuid,
    only_assigned_to: Option<Uuid>,
    lock: bool,
) -> QueryResult<Vec<Claim>> {
    if lock {
        // A boxed statement cannot lock; whoever locks (publishing) locks them all.
        debug_assert!(
            only_assigned_to.is_none(),
            "a reviewer's subset is never locked"
        );
        return claims::table
            .filter(claims::article_id.eq(article_id))
            .select(Claim::as_select())
            .order((claims::span_start.asc(), claims::created_at.asc()))
            .for_update()
            .load(conn)
            .await;
    }
    let mut q = claims::table
        .filter(claims::article_id.eq(article_id))
        .select(Claim::as_select())
        .order((claims::span_start.asc(), claims::created_at.asc()))
        .into_boxed();
    if let Some(reviewer) = only_assigned_to {
        let mine = assignments::table
            .filter(assignments::reviewer_id.eq(reviewer))
            .select(assignments::claim_id);
        q = q.filter(claims::id.eq_any(mine));
    }
    q.load(conn).await
}

fn figure_json(figure: &ClaimFigure) -> Value {
    serde_json::to_value(figure).expect("a figure serialises")
}

/// Sets only a claim's checked figure (a reviewer's part), bumping its version.
pub async fn set_figure(conn: &mut Conn, id: Uuid, figure: &ClaimFigure) -> QueryResult<Claim> {
    diesel::update(claims::table.find(id))
        .set((
            claims::figure.eq(figure_json(figure)),
            claims::updated_at.eq(diesel::dsl::now),
            claims::version.eq(claims::version + 1),
        ))
        .returning(Claim::as_returning())
        .get_result(conn)
        .await
}

/// What a new claim holds.
pub struct NewClaim<'a> {
    pub article_id: Uuid,
    pub quote: &'a str,
    pub span_start: i32,
    pub span_end: i32,
    pub anchored_revision: i32,
    pub statement: &'a str,
    pub claimant: Option<&'a str>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub priority: Priority,
    pub created_by: Uuid,
    pub figure: Option<&'a ClaimFigure>,
    pub independent_review: bool,
}

pub async fn insert(conn: &mut Conn, new: NewClaim<'_>) -> QueryResult<Claim> {
    diesel::insert_into(claims::table)
        .values((
            claims::article_id.eq(new.article_id),
            claims::quote.eq(new.quote),
            claims::span_start.eq(new.span_start),
            claims::span_end.eq(new.span_end),
            claims::anchored_revision.eq(new.anchored_revision),
            claims::statement.eq(new.statement),
            claims::statement_sketch.eq(crate::db::sketch::statement_sketch(new.statement)),
            claims::claimant.eq(new.claimant),
            claims::claimed_at.eq(new.claimed_at),
            claims::priority.eq(new.priority.as_str()),
            claims::created_by.eq(new.created_by),
            claims::figure.eq(new.figure.map(figure_json)),
            claims::independent_review.eq(new.independent_review),
        ))
        .returning(Claim::as_returning())
        .get_result(conn)
        .await
}

/// What an edit of a claim sets (bumping its version).
pub struct ClaimEdit<'a> {
    pub statement: &'a str,
    pub claimant: Option<&'a str>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub priority: Priority,
    pub figure: Option<&'a ClaimFigure>,
    pub independent_review: bool,
    /// A new place in the article's text.
    pub anchor: Option<Reanchor<'a>>,
}

/// A claim's new span in revision `revision` of its article's text.
pub struct Reanchor<'a> {
    pub quote: &'a str,
    pub span_start: i32,
    pub span_end: i32,
    pub revision: i32,
}

pub async fn update(conn: &mut Conn, id: Uuid, edit: ClaimEdit<'_>) -> QueryResult<Claim> {
    if let Some(a) = &edit.anchor {
        diesel::update(claims::table.find(id))
            .set((
                claims::quote.eq(a.quote),
                claims::span_start.eq(a.span_start),
                claims::span_end.eq(a.span_end),
                claims::anchored_revision.eq(a.revision),
                claims::anchor_lost.eq(false),
            ))
            .execute(conn)
            .await?;
    }
    diesel::update(claims::table.find(id))
        .set((
            claims::statement.eq(edit.statement),
            claims::statement_sketch.eq(crate::db::sketch::statement_sketch(edit.statement)),
            claims::claimant.eq(edit.claimant),
            claims::claimed_at.eq(edit.claimed_at),
            claims::priority.eq(edit.priority.as_str()),
            claims::figure.eq(edit.figure.map(figure_json)),
            claims::independent_review.eq(edit.independent_review),
            claims::updated_at.eq(diesel::dsl::now),
            claims::version.eq(claims::version + 1),
        ))
        .returning(Claim::as_returning())
        .get_result(conn)
        .await
}

/// Sets the claim's status (and `ever_published` once it is published), bumping its
/// version.
pub async fn set_status(conn: &mut Conn, claim: &Claim, to: Status) -> QueryResult<Claim> {
    diesel::update(claims::table.find(claim.id))
        .set((
            claims::status.eq(to.as_str()),
            claims::ever_published.eq(claim.ever_published || to == Status::Published),
            claims::updated_at.eq(diesel::dsl::now),
            claims::version.eq(claims::version + 1),
        ))
        .returning(Claim::as_returning())
        .get_result(conn)
        .await
}

/// Moves a claim's span after an edit of its article's text.
pub async fn set_anchor(
    conn: &mut Conn,
    id: Uuid,
    span: (i32, i32),
    lost: bool,
    revision: i32,
) -> QueryResult<()> {
    diesel::update(claims::table.find(id))
        .set((
            claims::span_start.eq(span.0),
            claims::span_end.eq(span.1),
            claims::anchor_lost.eq(lost),
            claims::anchored_revision.eq(revision),
            claims::updated_at.eq(diesel::dsl::now),
            claims::version.eq(claims::version + 1),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn delete(conn: &mut Conn, id: Uuid) -> QueryResult<()> {
    diesel::delete(claims::table.find(id))
        .execute(conn)
        .await
        .map(drop)
}

/// The spans of an article's live claims, for suggestions to mark as covered.
pub async fn covered_spans(conn: &mut Conn, article_id: Uuid) -> QueryResult<Vec<(usize, usize)>> {
    Ok(claims::table
        .filter(claims::article_id.eq(article_id))
        .filter(claims::status.ne(Status::Dropped.as_str()))
        .filter(claims::anchor_lost.eq(false))
        .select((claims::span_start, claims::span_end))
        .load::<(i32, i32)>(conn)
        .await?
        .into_iter()
        .map(|(s, e)| (s as usize, e as usize))
        .collect())
}

// ---- assignments

/// Whether `user` is one of the claim's reviewers.
pub async fn is_assigned(conn: &mut Conn, claim_id: Uuid, user_id: Uuid) -> QueryResult<bool> {
    let n: i64 = assignments::table
        .filter(assignments::claim_id.eq(claim_id))
        .filter(assignments::reviewer_id.eq(user_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn reviewer_count(conn: &mut Conn, claim_id: Uuid) -> QueryResult<usize> {
    let n: i64 = assignments::table
        .filter(assignments::claim_id.eq(claim_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(n as usize)
}

pub async fn assignment(
    conn: &mut Conn,
    claim_id: Uuid,
    reviewer_id: Uuid,
) -> QueryResult<Option<Assignment>> {
    assignments::table
        .filter(assignments::claim_id.eq(claim_id))
        .filter(assignments::reviewer_id.eq(reviewer_id))
        .select(Assignment::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert_assignment(
    conn: &mut Conn,
    claim_id: Uuid,
    reviewer_id: Uuid,
    assigned_by: Uuid,
    due_at: DateTime<Utc>,
    note: &str,
) -> QueryResult<Assignment> {
    diesel::insert_into(assignments::table)
        .values((
            assignments::claim_id.eq(claim_id),
            assignments::reviewer_id.eq(reviewer_id),
            assignments::assigned_by.eq(assigned_by),
            assignments::due_at.eq(due_at),
            assignments::note.eq(note),
        ))
        .returning(Assignment::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_assignment(
    conn: &mut Conn,
    id: Uuid,
    due_at: DateTime<Utc>,
    note: &str,
) -> QueryResult<Assignment> {
    diesel::update(assignments::table.find(id))
        .set((
            assignments::due_at.eq(due_at),
            assignments::note.eq(note),
            assignments::version.eq(assignments::version + 1),
        ))
        .returning(Assignment::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete_assignment(conn: &mut Conn, id: Uuid) -> QueryResult<()> {
    diesel::delete(assignments::table.find(id))
        .execute(conn)
        .await
        .map(drop)
}

// ---- verdicts

/// The claim's verdict in `state` (for a draft: its one draft), locked when `lock`.
pub async fn verdict_in(
    conn: &mut Conn,
    claim_id: Uuid,
    state: VerdictState,
    lock: bool,
) -> QueryResult<Option<Verdict>> {
    let q = verdicts::table
        .filter(verdicts::claim_id.eq(claim_id))
        .filter(verdicts::state.eq(state.as_str()))
        .select(Verdict::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

/// Moves the claim's verdict in `from` to `to`, as the workflow says (submitting
/// stamps `submitted_at`, approving stamps who approved it and when); returns the
/// verdicts moved.
pub async fn move_verdicts(
    conn: &mut Conn,
    claim_id: Uuid,
    from: VerdictState,
    to: VerdictState,
    actor: Uuid,
) -> QueryResult<Vec<Verdict>> {
    let target = verdicts::table
        .filter(verdicts::claim_id.eq(claim_id))
        .filter(verdicts::state.eq(from.as_str()));
    let update = diesel::update(target);
    match to {
        VerdictState::Submitted => {
            update
                .set((
                    verdicts::state.eq(to.as_str()),
                    verdicts::submitted_at.eq(diesel::dsl::now),
                    verdicts::version.eq(verdicts::version + 1),
                ))
                .returning(Verdict::as_returning())
                .get_results(conn)
                .await
        }
        VerdictState::Draft => {
            update
                .set((
                    verdicts::state.eq(to.as_str()),
                    verdicts::submitted_at.eq(None::<DateTime<Utc>>),
                    verdicts::version.eq(verdicts::version + 1),
                ))
                .returning(Verdict::as_returning())
                .get_results(conn)
                .await
        }
        VerdictState::Approved => {
            update
                .set((
                    verdicts::state.eq(to.as_str()),
                    verdicts::approved_by.eq(actor),
                    verdicts::approved_at.eq(diesel::dsl::now),
                    verdicts::version.eq(verdicts::version + 1),
                ))
                .returning(Verdict::as_returning())
                .get_results(conn)
                .await
        }
        VerdictState::Superseded => {
            update
                .set(verdicts::state.eq(to.as_str()))
                .returning(Verdict::as_returning())
                .get_results(conn)
                .await
        }
    }
}

/// The text of a verdict, for a draft.
pub struct VerdictText<'a> {
    pub rating: Option<&'a str>,
    pub summary: &'a str,
    pub explanation: &'a str,
}

pub async fn insert_draft(
    conn: &mut Conn,
    claim_id: Uuid,
    author: Uuid,
    text: VerdictText<'_>,
) -> QueryResult<Verdict> {
    diesel::insert_into(verdicts::table)
        .values((
            verdicts::claim_id.eq(claim_id),
            verdicts::rating.eq(text.rating),
            verdicts::summary.eq(text.summary),
            verdicts::explanation.eq(text.explanation),
            verdicts::author_id.eq(author),
        ))
        .returning(Verdict::as_returning())
        .get_result(conn)
        .await
}

/// A verdict taken from an independent proposal the editor approves: submitted, so
/// the approval moves it as it moves any submitted verdict.
pub async fn insert_submitted(
    conn: &mut Conn,
    claim_id: Uuid,
    author: Uuid,
    text: VerdictText<'_>,
) -> QueryResult<Verdict> {
    diesel::insert_into(verdicts::table)
        .values((
            verdicts::claim_id.eq(claim_id),
            verdicts::rating.eq(text.rating),
            verdicts::summary.eq(text.summary),
            verdicts::explanation.eq(text.explanation),
            verdicts::author_id.eq(author),
            verdicts::state.eq(VerdictState::Submitted),
            verdicts::submitted_at.eq(Some(Utc::now())),
        ))
        .returning(Verdict::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_draft(
    conn: &mut Conn,
    id: Uuid,
    author: Uuid,
    text: VerdictText<'_>,
) -> QueryResult<Verdict> {
    diesel::update(verdicts::table.find(id))
        .set((
            verdicts::rating.eq(text.rating),
            verdicts::summary.eq(text.summary),
            verdicts::explanation.eq(text.explanation),
            verdicts::author_id.eq(author),
            verdicts::updated_at.eq(diesel::dsl::now),
            verdicts::version.eq(verdicts::version + 1),
        ))
        .returning(Verdict::as_returning())
        .get_result(conn)
        .await
}

/// The approved verdicts of `claim_ids`.
pub async fn approved_verdicts(conn: &mut Conn, claim_ids: &[Uuid]) -> QueryResult<Vec<Verdict>> {
    verdicts::table
        .filter(verdicts::claim_id.eq_any(claim_ids))
        .filter(verdicts::state.eq(VerdictState::Approved.as_str()))
        .select(Verdict::as_select())
        .load(conn)
        .await
}

// ---- sources

pub async fn sources_of(conn: &mut Conn, claim_ids: &[Uuid]) -> QueryResult<Vec<Source>> {
    sources::table
        .filter(sources::claim_id.eq_any(claim_ids))
        .order(sources::created_at.asc())
        .select(Source::as_select())
        .load(conn)
        .await
}

/// The ids of one claim's sources.
pub async fn source_ids_of(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<Uuid>> {
    sources::table
        .filter(sources::claim_id.eq(claim_id))
        .select(sources::id)
        .load(conn)
        .await
}

pub async fn source(
    conn: &mut Conn,
    claim_id: Uuid,
    id: Uuid,
    lock: bool,
) -> QueryResult<Option<Source>> {
    let q = sources::table
        .filter(sources::id.eq(id))
        .filter(sources::claim_id.eq(claim_id))
        .select(Source::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

/// What a source holds.
pub struct SourceFields<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub publisher: &'a str,
    pub kind: SourceKind,
    pub stance: Stance,
    pub excerpt: &'a str,
    pub archive_url: Option<&'a str>,
    pub accessed_at: Option<DateTime<Utc>>,
}

pub async fn insert_source(
    conn: &mut Conn,
    claim_id: Uuid,
    added_by: Uuid,
    f: SourceFields<'_>,
) -> QueryResult<Source> {
    diesel::insert_into(sources::table)
        .values((
            sources::claim_id.eq(claim_id),
            sources::url.eq(f.url),
            sources::title.eq(f.title),
            sources::publisher.eq(f.publisher),
            sources::kind.eq(f.kind.as_str()),
            sources::stance.eq(f.stance.as_str()),
            sources::excerpt.eq(f.excerpt),
            sources::archive_url.eq(f.archive_url),
            sources::accessed_at.eq(f.accessed_at),
            sources::added_by.eq(added_by),
        ))
        .returning(Source::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_source(conn: &mut Conn, id: Uuid, f: SourceFields<'_>) -> QueryResult<Source> {
    diesel::update(sources::table.find(id))
        .set((
            sources::url.eq(f.url),
            sources::title.eq(f.title),
            sources::publisher.eq(f.publisher),
            sources::kind.eq(f.kind.as_str()),
            sources::stance.eq(f.stance.as_str()),
            sources::excerpt.eq(f.excerpt),
            sources::archive_url.eq(f.archive_url),
            sources::accessed_at.eq(f.accessed_at),
            sources::updated_at.eq(diesel::dsl::now),
            sources::version.eq(sources::version + 1),
        ))
        .returning(Source::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete_source(
    conn: &mut Conn,
    claim_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<Source>> {
    diesel::delete(
        sources::table
            .filter(sources::id.eq(id))
            .filter(sources::claim_id.eq(claim_id)),
    )
    .returning(Source::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn source_urls(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<String>> {
    sources::table
        .filter(sources::claim_id.eq(claim_id))
        .select(sources::url)
        .load(conn)
        .await
}

// ---- comments

pub async fn insert_comment(
    conn: &mut Conn,
    author: Uuid,
    claim_id: Uuid,
    body: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(comments::table)
        .values((
            comments::claim_id.eq(claim_id),
            comments::author_id.eq(author),
            comments::body.eq(body),
        ))
        .returning(comments::id)
        .get_result(conn)
        .await
}

/// Comments with their authors' names, oldest first: of `claim_ids`, or one comment.
pub async fn comments_of(
    conn: &mut Conn,
    claim_ids: &[Uuid],
) -> QueryResult<Vec<(Comment, String)>> {
    comments::table
        .inner_join(users::table.on(users::id.eq(comments::author_id)))
        .filter(comments::claim_id.eq_any(claim_ids))
        .order(comments::created_at.asc())
        .select((Comment::as_select(), users::display_name))
        .load(conn)
        .await
}

pub async fn comment(conn: &mut Conn, id: Uuid) -> QueryResult<(Comment, String)> {
    comments::table
        .inner_join(users::table.on(users::id.eq(comments::author_id)))
        .filter(comments::id.eq(id))
        .select((Comment::as_select(), users::display_name))
        .first(conn)
        .await
}

// ---- history

/// One audit event of a claim's history, with the actor's name.
#[derive(Debug, Queryable)]
pub struct HistoryRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn history(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<HistoryRow>> {
    audit_events::table
        .left_join(users::table.on(audit_events::actor_id.eq(users::id.nullable())))
        .filter(audit_events::claim_id.eq(claim_id))
        .order(audit_events::seq.asc())
        .select((
            audit_events::id,
            audit_events::at,
            audit_events::actor_id,
            users::display_name.nullable(),
            audit_events::entity,
            audit_events::entity_id,
            audit_events::action,
            audit_events::before,
            audit_events::after,
        ))
        .load(conn)
        .await
}
