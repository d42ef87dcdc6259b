//! Assigning reviewers to a claim, with a due time; each newly assigned reviewer gets
//! an email (an outbox row in the same transaction).

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::{self, ClaimView};
use crate::app::notifications;
use crate::app::transitions::{check, context, find_visible, set_status};
use crate::app::webhooks;
use crate::app::{App, AppError, AppResult};
use crate::db::claims::{Assignment, Claim};
use crate::db::users::User;
use crate::db::{self, Conn, audit::Event};
use crate::domain::notifications::Kind;
use crate::domain::policy::{self, Actor};
use crate::domain::role::Role;
use crate::domain::time::{Timestamp, format_time};
use crate::domain::validation::{Lines, check_characters};
use crate::domain::webhooks::EventKind;
use crate::domain::workflow::Action;
use crate::email::{self, Email};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub reviewer_id: Uuid,
    pub due_at: Timestamp,
    /// What the editor wants the reviewer to look at.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub note: Option<String>,
}

/// Assigns a reviewer, or changes an assigned reviewer's due time and note. Returns
/// the claim and whether the reviewer is new to it. Only active reviewers can be
/// assigned.
pub async fn assign(
    app: &App,
    actor: &Actor,
    id: Uuid,
    body: AssignRequest,
) -> AppResult<(ClaimView, bool)> {
    policy::may_assign(actor)?;
    let note = checked_note(body.note.as_deref())?;
    let mut conn = app.db().await?;
    let (claim, created) = conn
        .transaction::<_, AppError, _>(async |conn| {
            assign_in(app, conn, actor, id, &body, &note).await
        })
        .await?;
    Ok((
        claim_view::build_one(&mut conn, actor, claim).await?,
        created,
    ))
}

/// An assignment's note: at most 2000 characters, trimmed.
pub fn checked_note(note: Option<&str>) -> AppResult<String> {
    let raw_note = note.unwrap_or("");
    check_characters("note", raw_note, Lines::Many)?;
    let note = raw_note.trim().to_string();
    if note.chars().count() > 2000 {
        return Err(AppError::validation(
            "note",
            "must be at most 2000 characters",
        ));
    }
    Ok(note)
}

/// [`assign`] inside the caller's transaction (the bulk actions use one per claim).
pub async fn assign_in(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    id: Uuid,
    body: &AssignRequest,
    note: &str,
) -> AppResult<(Claim, bool)> {
    policy::may_assign(actor)?;
    let (claim, assigned) = find_visible(conn, actor, id, true).await?;
    let Some(reviewer) = db::users::find(conn, body.reviewer_id, false)
        .await?
        .filter(|r| r.active && r.role == Role::Reviewer)
    else {
        return Err(AppError::validation(
            "reviewer_id",
            "is not an active reviewer",
        ));
    };
    if body.due_at.get() < Utc::now() - chrono::Duration::minutes(1) {
        return Err(AppError::validation("due_at", "must be in the future"));
    }
    let ctx = context(conn, actor, &claim, assigned).await?;
    let to = check(&claim, Action::Assign, ctx)?;
    if let Some(before) = db::claims::assignment(conn, id, reviewer.id).await? {
        let after = db::claims::update_assignment(conn, before.id, body.due_at.get(), note).await?;
        db::audit::record(
            conn,
            Event::of_claim(id, "assignment", after.id, "update")
                .by(actor.id)
                .before(&before)
                .after(&after),
        )
        .await?;
        return Ok((claim, false));
    }
    let assignment =
        db::claims::insert_assignment(conn, id, reviewer.id, actor.id, body.due_at.get(), note)
            .await?;
    db::audit::record(
        conn,
        Event::of_claim(id, "assignment", assignment.id, "create")
            .by(actor.id)
            .after(&assignment),
    )
    .await?;
    let claim = if to != claim.status {
        set_status(conn, actor.id, &claim, Action::Assign, to, None).await?
    } else {
        claim
    };
    email_reviewer(
        app,
        conn,
        actor,
        &claim,
        &reviewer,
        "assignment",
        Some(&assignment),
    )
    .await?;
    let (article, _) = db::articles::title_and_outlet(conn, claim.article_id).await?;
    let editor_name = db::users::display_name(conn, actor.id).await?;
    webhooks::announce(
        conn,
        &app.settings.public_base(),
        webhooks::Happened {
            kind: EventKind::ClaimAssigned,
            summary: format!(
                "{editor_name} assigned “{}” to {}",
                claim.statement, reviewer.display_name
            ),
            link: format!("/claims/{}", claim.id),
            data: json!({
                "claim": {"id": claim.id, "statement": claim.statement, "claimant": claim.claimant,
                          "priority": claim.priority, "status": claim.status, "version": claim.version},
                "article": {"id": claim.article_id, "title": article},
                "reviewer": {"id": reviewer.id, "name": reviewer.display_name},
                "due_at": assignment.due_at,
                "actor": {"id": actor.id, "name": editor_name},
            }),
            dedupe_key: None,
        },
    )
    .await?;
    Ok((claim, true))
}

/// Removes a reviewer from a claim. The draft verdict and the sources stay; when the
/// last reviewer of an assigned or in-review claim leaves, it is a draft again.
pub async fn unassign(
    app: &App,
    actor: &Actor,
    id: Uuid,
    reviewer_id: Uuid,
) -> AppResult<ClaimView> {
    policy::may_assign(actor)?;
    let mut conn = app.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (claim, assigned) = find_visible(conn, actor, id, true).await?;
            let assignment = db::claims::assignment(conn, id, reviewer_id)
                .await?
                .ok_or_else(|| {
                    AppError::NotFound("That user is not assigned to this claim.".into())
                })?;
            let ctx = context(conn, actor, &claim, assigned).await?;
            let to = check(&claim, Action::Unassign, ctx)?;
            db::claims::delete_assignment(conn, assignment.id).await?;
            db::audit::record(
                conn,
                Event::of_claim(id, "assignment", assignment.id, "delete")
                    .by(actor.id)
                    .before(&assignment),
            )
            .await?;
            let claim = if to != claim.status {
                set_status(conn, actor.id, &claim, Action::Unassign, to, None).await?
            } else {
                claim
            };
            if let Some(reviewer) = db::users::find(conn, reviewer_id, false)
                .await?
                .filter(|r| r.active)
            {
                email_reviewer(app, conn, actor, &claim, &reviewer, "unassignment", None).await?;
            }
            Ok(claim)
        })
        .await?;
    Ok(claim_view::build_one(&mut conn, actor, claim).await?)
}

/// An assignment or unassignment email: the claim, its article, the due time in the
/// reviewer's time zone and the link.
async fn email_reviewer(
    app: &App,
    conn: &mut Conn,
    editor: &Actor,
    claim: &Claim,
    reviewer: &User,
    kind: &str,
    assignment: Option<&Assignment>,
) -> AppResult<()> {
    let notify_kind = if kind == "assignment" {
        Kind::Assignment
    } else {
        Kind::Unassignment
    };
    let link = format!("/claims/{}", claim.id);
    let recipient = db::notifications::recipients(conn, &[reviewer.id]).await?;
    notifications::tell(
        conn,
        &recipient,
        &notifications::About {
            kind: notify_kind,
            actor: Some(editor.id),
            claim_id: Some(claim.id),
            error_report_id: None,
            subject: &claim.statement,
            link: &link,
            dedupe: None,
        },
    )
    .await?;
    if !crate::domain::notifications::by_email(&reviewer.notify, notify_kind) {
        return Ok(());
    }
    let (title, outlet) = db::articles::title_and_outlet(conn, claim.article_id).await?;
    let editor_name = db::users::display_name(conn, editor.id).await?;
    let newsroom = db::settings::newsroom_name(conn).await?;
    email::enqueue(
        conn,
        Email {
            reply_to: None,
            recipient: &reviewer.email,
            cc: vec![],
            kind,
            dedupe_key: None,
        },
        json!({
            "display_name": reviewer.display_name, "newsroom": newsroom, "editor": editor_name,
            "statement": claim.statement, "quote": claim.quote, "claimant": claim.claimant,
            "priority": claim.priority, "article": title, "outlet": outlet,
            "due": assignment.map(|a| format_time(a.due_at, &reviewer.time_zone)),
            "note": assignment.map(|a| a.note.clone()).filter(|n| !n.is_empty()),
            "link": app.link(&link),
        }),
    )
    .await?;
    Ok(())
}
