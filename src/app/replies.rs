//! The right of reply: editors and a claim's reviewers log each attempt to reach the
//! claimant for comment, and what came back; the editor chooses which the public page
//! tells of.

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::transitions::find_visible;
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::replies::Reply;
use crate::db::{self, Conn, audit::Event};
use crate::domain::policy::{self, Actor};
use crate::domain::replies::{Attempt, Channel};
use crate::domain::time::Timestamp;
use crate::domain::validation::FieldError;

/// A new attempt to reach the claimant.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RightOfReplyRequest {
    /// When the desk reached out.
    pub contacted_at: Option<Timestamp>,
    pub channel: Option<Channel>,
    /// Who made the attempt: a desk member who may see the claim; the caller when
    /// left out.
    pub contacted_by: Option<Uuid>,
    /// Whom they asked, when not the claim's claimant ("the President's office").
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub contact: Option<String>,
    /// What the claimant was asked.
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub asked: Option<String>,
    /// What they answered; with `replied_at`. An empty string clears it.
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub reply: Option<String>,
    pub replied_at: Option<Timestamp>,
    /// The deadline given: the page says "had not received a reply by" this day.
    pub no_reply_by: Option<Timestamp>,
    /// Whether the public page tells of this attempt (on its next publication).
    pub publish: Option<bool>,
    /// On an edit: the version being changed (or `If-Match`).
    pub version: Option<i32>,
}

/// An attempt, as answers show it.
#[derive(Serialize, ToSchema)]
pub struct RightOfReplyView {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub contacted_at: DateTime<Utc>,
    pub channel: Channel,
    pub contacted_by: Uuid,
    pub contacted_by_name: String,
    pub contact: Option<String>,
    pub asked: String,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub no_reply_by: Option<DateTime<Utc>>,
    pub publish: bool,
    /// The line the public page would print for it if published today.
    pub public_line: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

async fn view(
    conn: &mut Conn,
    claimant: Option<&str>,
    r: Reply,
    name: String,
) -> AppResult<RightOfReplyView> {
    let zone = db::settings::default_time_zone(conn).await?;
    Ok(RightOfReplyView {
        public_line: r.attempt().public_line(claimant, Utc::now(), &zone),
        id: r.id,
        claim_id: r.claim_id,
        contacted_at: r.contacted_at,
        channel: r.channel,
        contacted_by: r.contacted_by,
        contacted_by_name: name,
        contact: r.contact,
        asked: r.asked,
        reply: r.reply,
        replied_at: r.replied_at,
        no_reply_by: r.no_reply_by,
        publish: r.publish,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    })
}

/// The attempts on a claim, oldest first.
pub async fn list(app: &App, actor: &Actor, claim_id: Uuid) -> AppResult<Vec<RightOfReplyView>> {
    let mut conn = app.db().await?;
    let (claim, _) = find_visible(&mut conn, actor, claim_id, false).await?;
    let mut out = Vec::new();
    for (r, name) in db::replies::of_claims(&mut conn, &[claim_id]).await? {
        out.push(view(&mut conn, claim.claimant.as_deref(), r, name).await?);
    }
    Ok(out)
}

/// Who made the attempt: someone who may see the claim.
async fn contacted_by(
    conn: &mut Conn,
    actor: &Actor,
    claim_id: Uuid,
    asked_for: Option<Uuid>,
) -> AppResult<(Uuid, String)> {
    let id = asked_for.unwrap_or(actor.id);
    let user = db::users::find(conn, id, false).await?;
    let may_see = match &user {
        Some(u) if u.active => {
            u.role.is_editor() || db::claims::is_assigned(conn, claim_id, u.id).await?
        }
        _ => false,
    };
    match user {
        Some(u) if may_see => Ok((u.id, u.display_name)),
        _ => Err(FieldError::new(
            "contacted_by",
            "must be an active editor or one of the claim's reviewers",
        )
        .into()),
    }
}

/// Logs an attempt (editors and the claim's reviewers).
pub async fn create(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    body: RightOfReplyRequest,
) -> AppResult<RightOfReplyView> {
    let mut missing = Vec::new();
    if body.contacted_at.is_none() {
        missing.push(FieldError::new("contacted_at", "is required"));
    }
    if body.channel.is_none() {
        missing.push(FieldError::new("channel", "is required"));
    }
    if body.asked.is_none() {
        missing.push(FieldError::new("asked", "is required"));
    }
    crate::app::error::all_valid(missing)?;
    let attempt = Attempt {
        contacted_at: body.contacted_at.map(Timestamp::get).unwrap_or_default(),
        channel: body.channel.unwrap_or(Channel::Other),
        contact: body.contact,
        asked: body.asked.unwrap_or_default(),
        reply: body.reply,
        replied_at: body.replied_at.map(Timestamp::get),
        no_reply_by: body.no_reply_by.map(Timestamp::get),
        publish: body.publish.unwrap_or(false),
    }
    .validated(Utc::now())
    .map_err(AppError::Validation)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let (claim, assigned) = find_visible(conn, actor, claim_id, true).await?;
        policy::may_work_on_claim(actor, assigned)?;
        let (by, name) = contacted_by(conn, actor, claim_id, body.contacted_by).await?;
        let reply = db::replies::insert(conn, claim_id, by, actor.id, &attempt).await?;
        db::audit::record(
            conn,
            Event::of_claim(claim_id, "reply", reply.id, "create")
                .by(actor.id)
                .after(&reply),
        )
        .await?;
        view(conn, claim.claimant.as_deref(), reply, name).await
    })
    .await
}

/// Changes an attempt: a reply that came, a deadline, whether to publish it.
pub async fn update(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    id: Uuid,
    version: Option<i32>,
    body: RightOfReplyRequest,
) -> AppResult<RightOfReplyView> {
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let (claim, assigned) = find_visible(conn, actor, claim_id, true).await?;
        policy::may_work_on_claim(actor, assigned)?;
        let before = db::replies::find(conn, claim_id, id, true)
            .await?
            .ok_or_else(|| AppError::not_found("reply"))?;
        check_version(conn, version, before.version, None, async |_| {
            Ok(before.clone())
        })
        .await?;
        let old = before.attempt();
        // An empty reply clears it and its date.
        let cleared = body.reply.as_deref().is_some_and(|r| r.trim().is_empty());
        let attempt = Attempt {
            contacted_at: body.contacted_at.map_or(old.contacted_at, Timestamp::get),
            channel: body.channel.unwrap_or(old.channel),
            contact: body.contact.or(old.contact),
            asked: body.asked.unwrap_or(old.asked),
            reply: if cleared {
                None
            } else {
                body.reply.or(old.reply)
            },
            replied_at: if cleared {
                None
            } else {
                body.replied_at.map(Timestamp::get).or(old.replied_at)
            },
            no_reply_by: body.no_reply_by.map(Timestamp::get).or(old.no_reply_by),
            publish: body.publish.unwrap_or(old.publish),
        }
        .validated(Utc::now())
        .map_err(AppError::Validation)?;
        let (by, name) = contacted_by(
            conn,
            actor,
            claim_id,
            Some(body.contacted_by.unwrap_or(before.contacted_by)),
        )
        .await?;
        let after = db::replies::update(conn, id, by, &attempt).await?;
        db::audit::record(
            conn,
            Event::of_claim(claim_id, "reply", id, "update")
                .by(actor.id)
                .before(&before)
                .after(&after),
        )
        .await?;
        view(conn, claim.claimant.as_deref(), after, name).await
    })
    .await
}
