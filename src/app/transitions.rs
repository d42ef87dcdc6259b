//! Moving a claim through the workflow: the one place that asks `domain::workflow`
//! whether an action may happen, sets the claim's status, moves its verdicts, and
//! records it. Every use case that changes a claim's status comes through here
//! (transitions, assignments, publishing, corrections, evidence edits that start a
//! review).

use diesel_async::AsyncConnection;
use serde::Deserialize;
use serde_json::{Map, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::{self, ClaimView};
use crate::app::notifications;
use crate::app::webhooks;
use crate::app::{App, AppError, AppResult};
use crate::db::claims::Claim;
use crate::db::{self, Conn, audit::Event};
use crate::domain::notifications::Kind;
use crate::domain::policy::{self, Actor};
use crate::domain::role::Role;
use crate::domain::validation::{FieldError, Lines, check_characters, is_public_http_url};
use crate::domain::webhooks::EventKind;
use crate::domain::workflow::{self, Action, Context, Refusal, Status, VerdictState};
use crate::email::{self, Email};

/// The claim if the caller may see it (404 otherwise, also for a reviewer asking for
/// a claim that exists but is not theirs), and whether it is assigned to them. With
/// `lock`, the row is locked for update.
pub async fn find_visible(
    conn: &mut Conn,
    actor: &Actor,
    id: Uuid,
    lock: bool,
) -> AppResult<(Claim, bool)> {
    let claim = db::claims::find(conn, id, lock)
        .await?
        .ok_or_else(|| AppError::not_found("claim"))?;
    let assigned = db::claims::is_assigned(conn, id, actor.id).await?;
    policy::may_see_claim(actor, assigned)?;
    Ok((claim, assigned))
}

/// The workflow context of `claim` for `actor`.
pub async fn context(
    conn: &mut Conn,
    actor: &Actor,
    claim: &Claim,
    assigned: bool,
) -> AppResult<Context> {
    let review = if claim.independent_review {
        let submitted = db::reviews::submitted_by(conn, claim.id).await?;
        Some(workflow::Independent {
            others_submitted: submitted.iter().filter(|r| **r != actor.id).count(),
            mine_submitted: submitted.contains(&actor.id),
        })
    } else {
        None
    };
    Ok(Context {
        role: actor.role,
        is_assigned: assigned,
        reviewers: db::claims::reviewer_count(conn, claim.id).await?,
        ever_published: claim.ever_published,
        review,
    })
}

/// 409 for an action the claim's state does not allow, saying what is allowed.
pub fn illegal(claim: &Claim, detail: String, allowed: &[Action]) -> AppError {
    let mut extensions = Map::new();
    extensions.insert("current_status".into(), json!(claim.status));
    extensions.insert("allowed_actions".into(), json!(allowed));
    AppError::Conflict { detail, extensions }
}

/// Asks the workflow whether `action` may happen now: 403 if the caller's role may
/// never do it, 409 with the allowed actions if the state does not allow it.
pub fn check(claim: &Claim, action: Action, ctx: Context) -> AppResult<Status> {
    workflow::next(claim.status, action, ctx).map_err(|refusal| match refusal {
        Refusal::NotPermitted => AppError::Forbidden(format!(
            "Your role may not {} this claim.",
            action.as_str().replace('_', " ")
        )),
        Refusal::WrongState => illegal(
            claim,
            format!(
                "A claim that is {} cannot be {}.",
                claim.status.words(),
                workflow::past(action)
            ),
            &workflow::allowed_actions(claim.status, ctx),
        ),
    })
}

/// Sets the claim's status (bumping its version) and records the transition.
pub async fn set_status(
    conn: &mut Conn,
    actor: Uuid,
    claim: &Claim,
    action: Action,
    to: Status,
    comment: Option<&str>,
) -> AppResult<Claim> {
    let after = db::claims::set_status(conn, claim, to).await?;
    db::audit::record(
        conn,
        Event::of_claim(claim.id, "claim", claim.id, action.as_str())
            .by(actor)
            .before(json!({"status": claim.status}))
            .after(json!({"status": to, "comment": comment})),
    )
    .await?;
    Ok(after)
}

/// Locks the claim for an evidence edit (a source or the draft verdict): 404 unless the
/// caller may see it, 409 while evidence is locked; a reviewer's first edit of an
/// assigned claim starts it.
pub async fn lock_for_evidence(conn: &mut Conn, actor: &Actor, id: Uuid) -> AppResult<Claim> {
    let (claim, assigned) = find_visible(conn, actor, id, true).await?;
    policy::may_work_on_claim(actor, assigned)?;
    if claim.status.evidence_locked() {
        let ctx = context(conn, actor, &claim, assigned).await?;
        return Err(illegal(
            &claim,
            format!(
                "Sources and verdict are locked while the claim is {}.",
                claim.status.words()
            ),
            &workflow::allowed_actions(claim.status, ctx),
        ));
    }
    if claim.status == Status::Assigned && actor.role == Role::Reviewer && assigned {
        let ctx = context(conn, actor, &claim, assigned).await?;
        let to = check(&claim, Action::Start, ctx)?;
        return set_status(conn, actor.id, &claim, Action::Start, to, None).await;
    }
    Ok(claim)
}

/// A comment on a claim, recorded.
pub async fn add_comment(
    conn: &mut Conn,
    author: Uuid,
    claim_id: Uuid,
    body: &str,
) -> AppResult<Uuid> {
    let id = db::claims::insert_comment(conn, author, claim_id, body).await?;
    db::audit::record(
        conn,
        Event::of_claim(claim_id, "comment", id, "create")
            .by(author)
            .after(json!({"body": body})),
    )
    .await?;
    Ok(id)
}

/// Moves the claim's verdicts as the workflow says `action` does; an approval is
/// recorded with the verdict it approved.
async fn move_verdicts(
    conn: &mut Conn,
    actor: Uuid,
    claim_id: Uuid,
    action: Action,
) -> AppResult<()> {
    for (from, to) in workflow::verdict_moves(action) {
        let moved = db::claims::move_verdicts(conn, claim_id, *from, *to, actor).await?;
        if *to == VerdictState::Approved {
            for v in &moved {
                db::audit::record(
                    conn,
                    Event::of_claim(claim_id, "verdict", v.id, "approve")
                        .by(actor)
                        .after(v),
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// Reopening starts the reviewers from the approved verdict: a new draft with its
/// rating, summary and explanation (the approved one stays on record).
pub async fn draft_from_approved(conn: &mut Conn, claim_id: Uuid, author: Uuid) -> AppResult<()> {
    if db::claims::verdict_in(conn, claim_id, VerdictState::Draft, true)
        .await?
        .is_some()
    {
        return Ok(());
    }
    if let Some(approved) =
        db::claims::verdict_in(conn, claim_id, VerdictState::Approved, false).await?
    {
        db::claims::insert_draft(
            conn,
            claim_id,
            author,
            db::claims::VerdictText {
                rating: approved.rating.as_deref(),
                summary: &approved.summary,
                explanation: &approved.explanation,
            },
        )
        .await?;
    }
    Ok(())
}

/// The actions `POST /claims/{id}/transitions` takes (assigning goes through
/// `/assignments`, publishing through the article).
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionAction {
    Start,
    Submit,
    Withdraw,
    RequestChanges,
    Approve,
    Reopen,
    Drop,
    Restore,
}

impl From<TransitionAction> for Action {
    fn from(a: TransitionAction) -> Self {
        match a {
            TransitionAction::Start => Action::Start,
            TransitionAction::Submit => Action::Submit,
            TransitionAction::Withdraw => Action::Withdraw,
            TransitionAction::RequestChanges => Action::RequestChanges,
            TransitionAction::Approve => Action::Approve,
            TransitionAction::Reopen => Action::Reopen,
            TransitionAction::Drop => Action::Drop,
            TransitionAction::Restore => Action::Restore,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: TransitionAction,
    /// Required for request_changes, reopen and drop.
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub comment: Option<String>,
    /// Approving a claim with independent reviews: the proposal whose rating becomes
    /// the verdict (credited to its reviewer).
    pub review_id: Option<Uuid>,
    /// Sending back a claim with independent reviews: whose proposals go back (all
    /// when left out).
    pub reviewer_ids: Option<Vec<Uuid>>,
}

/// What an action on a claim with independent reviews needs besides the action.
#[derive(Clone, Debug, Default)]
pub struct ReviewChoice {
    pub review_id: Option<Uuid>,
    pub reviewer_ids: Option<Vec<Uuid>>,
}

/// Moves a claim through the workflow: 409 with `current_status` and
/// `allowed_actions` when the state does not allow the action.
pub async fn transition(
    app: &App,
    actor: &Actor,
    id: Uuid,
    body: TransitionRequest,
) -> AppResult<ClaimView> {
    let action = Action::from(body.action);
    let comment = body
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = body.comment.as_deref() {
        check_characters("comment", c, Lines::Many)?;
        if c.chars().count() > 10_000 {
            return Err(AppError::validation(
                "comment",
                "must be at most 10000 characters",
            ));
        }
    }
    let choice = ReviewChoice {
        review_id: body.review_id,
        reviewer_ids: body.reviewer_ids,
    };
    let mut conn = app.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            transition_with(app, conn, actor, id, action, comment, &choice).await
        })
        .await?;
    Ok(claim_view::build_one(&mut conn, actor, claim).await?)
}

/// [`transition`] inside the caller's transaction, with the comment already checked.
pub async fn transition_in(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    id: Uuid,
    action: Action,
    comment: Option<&str>,
) -> AppResult<Claim> {
    transition_with(
        app,
        conn,
        actor,
        id,
        action,
        comment,
        &ReviewChoice::default(),
    )
    .await
}

/// [`transition_in`], with what an independently reviewed claim's approval or return
/// names.
pub async fn transition_with(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    id: Uuid,
    action: Action,
    comment: Option<&str>,
    choice: &ReviewChoice,
) -> AppResult<Claim> {
    let (claim, assigned) = find_visible(conn, actor, id, true).await?;
    let ctx = context(conn, actor, &claim, assigned).await?;
    let to = check(&claim, action, ctx)?;
    if action.needs_comment() && comment.is_none() {
        return Err(AppError::validation(
            "comment",
            format!("is required to {}", action.as_str().replace('_', " ")),
        ));
    }
    let independent = claim.independent_review;
    if action == Action::Submit {
        if independent {
            crate::app::reviews::submit_guards(conn, id, actor.id).await?;
        } else {
            submit_guards(conn, id).await?;
        }
    }
    if action == Action::Approve {
        let required = db::settings::load(conn).await?.require_reply_attempt;
        let attempts = if required {
            db::replies::count(conn, id).await?
        } else {
            0
        };
        crate::domain::replies::may_approve(required, attempts, &claim.statement).map_err(
            |detail| {
                illegal(
                    &claim,
                    detail,
                    &workflow::allowed_actions(claim.status, ctx),
                )
            },
        )?;
    }
    if independent {
        crate::app::reviews::follow(conn, actor, &claim, action, choice).await?;
        // A proposal submitted or taken back before the last one is in leaves the
        // claim where it is: nothing to record for the claim, nobody to tell.
        if to == claim.status && matches!(action, Action::Submit | Action::Withdraw) {
            return Ok(claim);
        }
    }
    move_verdicts(conn, actor.id, id, action).await?;
    // Independent reviewers start again from their own proposals, not a shared draft.
    if action == Action::Reopen && !independent {
        draft_from_approved(conn, id, actor.id).await?;
    }
    if let Some(text) = comment.filter(|_| action.needs_comment()) {
        add_comment(
            conn,
            actor.id,
            id,
            &format!("{}: {text}", workflow::comment_label(action)),
        )
        .await?;
    }
    let after = set_status(conn, actor.id, &claim, action, to, comment).await?;
    // Sending back some of an independent claim's proposals tells only their reviewers.
    let only = choice.reviewer_ids.as_deref().filter(|_| independent);
    tell_of_transition(conn, actor, &after, action, only).await?;
    hook_transition(app, conn, actor, &after, action).await?;
    if action == Action::RequestChanges {
        email_changes_requested(app, conn, actor, &after, comment.unwrap_or_default(), only)
            .await?;
    }
    Ok(after)
}

/// A claim goes to the editors only with a rating, a summary, and a source the public
/// can open.
async fn submit_guards(conn: &mut Conn, claim_id: Uuid) -> AppResult<()> {
    let draft = db::claims::verdict_in(conn, claim_id, VerdictState::Draft, true).await?;
    let mut errors = Vec::new();
    if draft.as_ref().and_then(|d| d.rating.as_ref()).is_none() {
        errors.push(FieldError::new(
            "verdict.rating",
            "a rating is required before submitting",
        ));
    }
    if draft.as_ref().is_none_or(|d| d.summary.trim().is_empty()) {
        errors.push(FieldError::new(
            "verdict.summary",
            "a summary is required before submitting",
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

/// Who a transition concerns hears of it in the app: the assigning editors of a
/// submission, the reviewers of an approval or of changes requested.
async fn tell_of_transition(
    conn: &mut Conn,
    actor: &Actor,
    claim: &Claim,
    action: Action,
    only: Option<&[Uuid]>,
) -> AppResult<()> {
    let (kind, people) = match action {
        Action::Submit => (
            Kind::Submitted,
            db::notifications::assigning_editors(conn, claim.id).await?,
        ),
        Action::Approve => (
            Kind::Approved,
            db::notifications::claim_reviewers(conn, claim.id).await?,
        ),
        Action::RequestChanges => (
            Kind::ChangesRequested,
            db::notifications::claim_reviewers(conn, claim.id)
                .await?
                .into_iter()
                .filter(|r| only.is_none_or(|ids| ids.contains(&r.id)))
                .collect(),
        ),
        _ => return Ok(()),
    };
    let link = format!("/claims/{}", claim.id);
    notifications::tell(
        conn,
        &people,
        &notifications::About {
            kind,
            actor: Some(actor.id),
            claim_id: Some(claim.id),
            error_report_id: None,
            subject: &claim.statement,
            link: &link,
            dedupe: None,
        },
    )
    .await
}

/// Other tools hear of a submitted and of an approved claim (`claim.submitted`,
/// `claim.approved`).
async fn hook_transition(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    claim: &Claim,
    action: Action,
) -> AppResult<()> {
    let kind = match action {
        Action::Submit => EventKind::ClaimSubmitted,
        Action::Approve => EventKind::ClaimApproved,
        _ => return Ok(()),
    };
    let actor_name = db::users::display_name(conn, actor.id).await?;
    let (article, _) = db::articles::title_and_outlet(conn, claim.article_id).await?;
    let rating = match action {
        Action::Approve => db::claims::verdict_in(conn, claim.id, VerdictState::Approved, false)
            .await?
            .and_then(|v| v.rating),
        _ => db::claims::verdict_in(conn, claim.id, VerdictState::Submitted, false)
            .await?
            .and_then(|v| v.rating),
    };
    let summary = match action {
        Action::Submit => format!("{actor_name} submitted a verdict on “{}”", claim.statement),
        _ => format!(
            "{actor_name} approved the verdict{} on “{}”",
            rating
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default(),
            claim.statement
        ),
    };
    webhooks::announce(
        conn,
        &app.settings.public_base(),
        webhooks::Happened {
            kind,
            summary,
            link: format!("/claims/{}", claim.id),
            data: json!({
                "claim": {"id": claim.id, "statement": claim.statement, "claimant": claim.claimant,
                          "status": claim.status, "version": claim.version, "rating": rating},
                "article": {"id": claim.article_id, "title": article},
                "actor": {"id": actor.id, "name": actor_name},
            }),
            dedupe_key: None,
        },
    )
    .await
}

async fn email_changes_requested(
    app: &App,
    conn: &mut Conn,
    editor: &Actor,
    claim: &Claim,
    comment: &str,
    only: Option<&[Uuid]>,
) -> AppResult<()> {
    let reviewers: Vec<_> = db::notifications::claim_reviewers(conn, claim.id)
        .await?
        .into_iter()
        .filter(|r| only.is_none_or(|ids| ids.contains(&r.id)))
        .collect();
    let editor_name = db::users::display_name(conn, editor.id).await?;
    let (article, _) = db::articles::title_and_outlet(conn, claim.article_id).await?;
    let newsroom = db::settings::newsroom_name(conn).await?;
    for reviewer in reviewers
        .iter()
        .filter(|r| crate::domain::notifications::by_email(&r.notify, Kind::ChangesRequested))
    {
        let (address, name) = (&reviewer.email, &reviewer.display_name);
        email::enqueue(
            conn,
            Email { reply_to: None, recipient: address, cc: vec![], kind: "changes_requested", dedupe_key: None },
            json!({"display_name": name, "newsroom": newsroom, "editor": editor_name, "statement": claim.statement,
                   "article": article, "comment": comment,
                   "link": app.link(&format!("/claims/{}", claim.id))}),
        )
        .await?;
    }
    Ok(())
}
