//! Independent reviews: on a claim that asks for them, each assigned reviewer writes
//! and submits their own proposal (rating, summary, explanation; the sources stay
//! shared). Until every reviewer's proposal is in, no reviewer sees another's; editors
//! see them all at any time. The claim is submitted with the last proposal; the editor
//! approves one (its rating becomes the verdict, credited to its reviewer) or sends
//! some or all back. Every proposal is kept and audited.

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::ClaimView;
use crate::app::evidence::{VerdictRequest, verdict_text};
use crate::app::transitions::{self, ReviewChoice, context, find_visible, illegal};
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::claims::Claim;
use crate::db::reviews::Review;
use crate::db::{self, Conn, audit::Event};
use crate::domain::policy::Actor;
use crate::domain::validation::{FieldError, is_public_http_url};
use crate::domain::workflow::{self, Action, Status};
use crate::publish::markdown;

/// One proposal, as answers show it.
#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub id: Uuid,
    pub reviewer_id: Uuid,
    pub reviewer_name: String,
    pub rating: Option<String>,
    pub summary: String,
    pub explanation: String,
    /// The explanation as sanitised HTML.
    pub explanation_html: String,
    /// draft, submitted, returned (sent back; kept), chosen (its rating was approved)
    /// or passed (another was approved).
    pub state: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl ReviewView {
    fn new(r: Review, reviewer_name: String) -> Self {
        Self {
            explanation_html: markdown::to_safe_html(&r.explanation),
            id: r.id,
            reviewer_id: r.reviewer_id,
            reviewer_name,
            rating: r.rating,
            summary: r.summary,
            explanation: r.explanation,
            state: r.state,
            submitted_at: r.submitted_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

/// A claim's proposals as the caller may see them.
#[derive(Serialize, ToSchema)]
pub struct ReviewList {
    /// How many reviewers must propose (the claim's reviewers).
    pub required: usize,
    /// How many have submitted.
    pub submitted: usize,
    /// Whether every proposal is in, so reviewers see each other's.
    pub revealed: bool,
    /// Oldest first. Editors see every proposal; a reviewer their own, and the others'
    /// once `revealed`.
    pub reviews: Vec<ReviewView>,
}

/// Whether a claim's proposals are open to its reviewers: every reviewer's is in (the
/// claim waits on the editor, or was decided).
async fn revealed(conn: &mut Conn, claim: &Claim) -> AppResult<(usize, usize, bool)> {
    let required = db::claims::reviewer_count(conn, claim.id).await?;
    let submitted = db::reviews::submitted_by(conn, claim.id).await?.len();
    let open = matches!(
        claim.status,
        Status::Submitted | Status::Approved | Status::Published
    ) || (required >= workflow::INDEPENDENT_REVIEWERS && submitted >= required);
    Ok((required, submitted, open))
}

/// Whether `caller` may read the proposal of `author` on a claim in this state.
pub fn may_read(caller: &Actor, author: Uuid, revealed: bool) -> bool {
    caller.is_editor() || caller.id == author || revealed
}

/// The claim's proposals (editors: all; a reviewer: their own until all are in).
pub async fn list(app: &App, actor: &Actor, claim_id: Uuid) -> AppResult<ReviewList> {
    let mut conn = app.db().await?;
    let (claim, _) = find_visible(&mut conn, actor, claim_id, false).await?;
    let (required, submitted, open) = revealed(&mut conn, &claim).await?;
    let reviews = db::reviews::of_claims(&mut conn, &[claim_id])
        .await?
        .into_iter()
        .filter(|(r, _)| may_read(actor, r.reviewer_id, open))
        .map(|(r, name)| ReviewView::new(r, name))
        .collect();
    Ok(ReviewList {
        required,
        submitted,
        revealed: open,
        reviews,
    })
}

/// The claim for a reviewer's own proposal: theirs to write, independently reviewed,
/// and still being checked.
async fn claim_for_proposal(conn: &mut Conn, actor: &Actor, claim_id: Uuid) -> AppResult<Claim> {
    let (claim, assigned) = find_visible(conn, actor, claim_id, true).await?;
    if !assigned {
        return Err(AppError::Forbidden(
            "Only the claim's reviewers propose a rating of their own.".into(),
        ));
    }
    if !claim.independent_review {
        let detail = "This claim is reviewed together: write the shared verdict instead.".into();
        return Err(refused(conn, actor, &claim, detail).await);
    }
    if !matches!(claim.status, Status::Assigned | Status::InReview) {
        let detail = format!(
            "Proposals are written while the claim is being checked; it is {}.",
            claim.status.words()
        );
        return Err(refused(conn, actor, &claim, detail).await);
    }
    Ok(claim)
}

/// 409 for a reviewer's own proposal, with the actions the claim allows them.
async fn refused(conn: &mut Conn, actor: &Actor, claim: &Claim, detail: String) -> AppError {
    match context(conn, actor, claim, true).await {
        Ok(ctx) => illegal(claim, detail, &workflow::allowed_actions(claim.status, ctx)),
        Err(e) => e,
    }
}

/// Writes the caller's own proposal (`PUT /claims/{id}/reviews/me`): a new draft, or
/// the draft they have (its version needed). A proposal sent back starts the next one.
pub async fn save_mine(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    version: Option<i32>,
    body: VerdictRequest,
) -> AppResult<ReviewView> {
    let mut errors = Vec::new();
    let (summary, explanation) = verdict_text(&body, &mut errors);
    if let Some(rating) = body.rating.as_deref()
        && !is_rating_key(rating)
    {
        errors.push(FieldError::new(
            "rating",
            "must be a key of the rating scale, such as mostly_false",
        ));
    }
    // What is wrong with the request is said before who may send it is looked up.
    crate::app::error::all_valid(std::mem::take(&mut errors))?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let mut claim = claim_for_proposal(conn, actor, claim_id).await?;
        if let Some(rating) = &body.rating
            && !db::rating_scale::key_exists(conn, rating).await?
        {
            errors.push(FieldError::new(
                "rating",
                format!("`{rating}` is not on the rating scale"),
            ));
        }
        crate::app::error::all_valid(std::mem::take(&mut errors))?;
        let rating = body.rating.as_deref();
        let saved = match db::reviews::open_of(conn, claim_id, actor.id).await? {
            Some(before) if before.state == "submitted" => {
                let detail = "Your proposal is submitted: withdraw it to change it.".into();
                return Err(refused(conn, actor, &claim, detail).await);
            }
            Some(before) => {
                check_version(
                    conn,
                    version,
                    before.version,
                    Some(("review", before.id)),
                    async |_| Ok(ReviewView::new(before.clone(), String::new())),
                )
                .await?;
                let after =
                    db::reviews::update_draft(conn, before.id, rating, &summary, &explanation)
                        .await?;
                db::audit::record(
                    conn,
                    Event::of_claim(claim_id, "review", after.id, "update")
                        .by(actor.id)
                        .before(&before)
                        .after(&after),
                )
                .await?;
                after
            }
            None => {
                let created = db::reviews::insert_draft(
                    conn,
                    claim_id,
                    actor.id,
                    rating,
                    &summary,
                    &explanation,
                )
                .await?;
                db::audit::record(
                    conn,
                    Event::of_claim(claim_id, "review", created.id, "create")
                        .by(actor.id)
                        .after(&created),
                )
                .await?;
                created
            }
        };
        // Writing a proposal starts the reviewer's work on an assigned claim.
        if claim.status == Status::Assigned {
            let ctx = context(conn, actor, &claim, true).await?;
            let to = transitions::check(&claim, Action::Start, ctx)?;
            claim =
                transitions::set_status(conn, actor.id, &claim, Action::Start, to, None).await?;
        }
        drop(claim);
        let name = db::users::display_name(conn, actor.id).await?;
        Ok(ReviewView::new(saved, name))
    })
    .await
}

/// The shape of a rating key (`^[a-z][a-z0-9_]{0,39}$`, as the OpenAPI document says).
fn is_rating_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && key.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Submits the caller's proposal (`POST /claims/{id}/reviews/me/submit`): the claim's
/// `submit`, which for an independently reviewed claim submits one proposal and the
/// claim with the last.
pub async fn submit_mine(app: &App, actor: &Actor, claim_id: Uuid) -> AppResult<ClaimView> {
    transitions::transition(
        app,
        actor,
        claim_id,
        transitions::TransitionRequest {
            action: transitions::TransitionAction::Submit,
            comment: None,
            review_id: None,
            reviewer_ids: None,
        },
    )
    .await
}

/// A proposal goes in only with a rating and a summary, and with a source the public
/// can open.
pub async fn submit_guards(conn: &mut Conn, claim_id: Uuid, reviewer: Uuid) -> AppResult<()> {
    let open = db::reviews::open_of(conn, claim_id, reviewer).await?;
    let mut errors = Vec::new();
    if open.as_ref().and_then(|r| r.rating.as_ref()).is_none() {
        errors.push(FieldError::new(
            "rating",
            "your proposal needs a rating before it is submitted",
        ));
    }
    if open.as_ref().is_none_or(|r| r.summary.trim().is_empty()) {
        errors.push(FieldError::new(
            "summary",
            "your proposal needs a summary before it is submitted",
        ));
    }
    let urls = db::claims::source_urls(conn, claim_id).await?;
    if !urls.iter().any(|u| is_public_http_url(u)) {
        errors.push(FieldError::new(
            "sources",
            "at least one source with a public http(s) URL is required before submitting",
        ));
    }
    crate::app::error::all_valid(errors)
}

async fn record(conn: &mut Conn, actor: &Actor, r: &Review, action: &str) -> AppResult<()> {
    db::audit::record(
        conn,
        Event::of_claim(r.claim_id, "review", r.id, action)
            .by(actor.id)
            .after(r),
    )
    .await?;
    Ok(())
}

/// What a claim transition does to the proposals of an independently reviewed claim
/// (called by `transitions` after the workflow allowed the action, before the verdicts
/// move): submitting or withdrawing moves the caller's; approving makes the chosen
/// proposal the submitted verdict and passes over the others; sending back returns
/// the named reviewers' (or everyone's).
pub async fn follow(
    conn: &mut Conn,
    actor: &Actor,
    claim: &Claim,
    action: Action,
    choice: &ReviewChoice,
) -> AppResult<()> {
    match action {
        Action::Submit => {
            if let Some(r) = db::reviews::open_of(conn, claim.id, actor.id).await? {
                let r = db::reviews::set_state(conn, r.id, "submitted").await?;
                record(conn, actor, &r, "submit").await?;
            }
        }
        Action::Withdraw => {
            if let Some(r) = db::reviews::open_of(conn, claim.id, actor.id).await?
                && r.state == "submitted"
            {
                let r = db::reviews::set_state(conn, r.id, "draft").await?;
                record(conn, actor, &r, "withdraw").await?;
            }
        }
        Action::Approve => {
            let Some(id) = choice.review_id else {
                return Err(FieldError::new(
                    "review_id",
                    "this claim has independent reviews: name the proposal whose rating you approve",
                )
                .into());
            };
            let chosen = match db::reviews::find(conn, claim.id, id).await? {
                Some(r) if r.state == "submitted" => r,
                _ => {
                    return Err(FieldError::new(
                        "review_id",
                        "is not a submitted proposal of this claim",
                    )
                    .into());
                }
            };
            db::claims::insert_submitted(
                conn,
                claim.id,
                chosen.reviewer_id,
                db::claims::VerdictText {
                    rating: chosen.rating.as_deref(),
                    summary: &chosen.summary,
                    explanation: &chosen.explanation,
                },
            )
            .await?;
            let chosen = db::reviews::set_state(conn, chosen.id, "chosen").await?;
            record(conn, actor, &chosen, "choose").await?;
            for r in db::reviews::move_all(conn, claim.id, "submitted", "passed", None).await? {
                record(conn, actor, &r, "pass").await?;
            }
        }
        Action::RequestChanges => {
            let returned = db::reviews::move_all(
                conn,
                claim.id,
                "submitted",
                "returned",
                choice.reviewer_ids.as_deref(),
            )
            .await?;
            if returned.is_empty() {
                return Err(FieldError::new(
                    "reviewer_ids",
                    "none of these reviewers has a submitted proposal to send back",
                )
                .into());
            }
            for r in &returned {
                record(conn, actor, r, "return").await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Redacts what a history entry says of a proposal the caller may not read yet: the
/// event stays (someone worked on their proposal), its rating and words do not.
pub async fn hide_from_history(
    conn: &mut Conn,
    actor: &Actor,
    claim: &Claim,
    events: &mut [crate::app::claims::HistoryEvent],
) -> AppResult<()> {
    if actor.is_editor() || !events.iter().any(|e| e.entity == "review") {
        return Ok(());
    }
    let (_, _, open) = revealed(conn, claim).await?;
    for e in events.iter_mut().filter(|e| e.entity == "review") {
        let author = e
            .after
            .as_ref()
            .or(e.before.as_ref())
            .and_then(|v| v.get("reviewer_id"))
            .and_then(|v| v.as_str())
            .and_then(|v| v.parse::<Uuid>().ok());
        if !author.is_some_and(|a| may_read(actor, a, open)) {
            e.before = None;
            e.after = None;
        }
    }
    Ok(())
}
