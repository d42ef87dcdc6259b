//! Notifications: told inside the transaction of what they are about, to the people
//! `domain::notifications` says want them, in the app (with a live event carrying the
//! new unread count) and, where they chose it, by email (the caller's email, which
//! asks `domain::notifications::by_email`). The inbox: a page of one's own, and marking read.

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{App, AppError, AppResult};
use crate::db::notifications::{NewNotification, Recipient};
use crate::db::{self, Conn};
use crate::domain::live::{Audience, Reach};
use crate::domain::notifications::{self as rules, Channel, Kind};
use crate::domain::page::{Cursor, Page, PageRequest};
use crate::domain::policy::Actor;
use crate::domain::validation::FieldError;

/// What a notification is about, for [`tell`].
pub struct About<'a> {
    pub kind: Kind,
    pub actor: Option<Uuid>,
    pub claim_id: Option<Uuid>,
    pub error_report_id: Option<Uuid>,
    pub subject: &'a str,
    pub link: &'a str,
    /// Scheduled kinds: the key that makes a second telling a no-op (per recipient).
    pub dedupe: Option<&'a str>,
}

/// Tells each recipient who wants `about.kind` in the app (never the actor themselves),
/// and announces their new unread count on their event stream. Call it inside the
/// transaction of the change.
pub async fn tell(conn: &mut Conn, recipients: &[Recipient], about: &About<'_>) -> AppResult<()> {
    for r in recipients {
        if Some(r.id) == about.actor || !rules::in_app(&r.notify, about.kind) {
            continue;
        }
        let dedupe = about.dedupe.map(|d| format!("{d}:{}", r.id));
        let created = db::notifications::insert(
            conn,
            NewNotification {
                user_id: r.id,
                kind: about.kind,
                actor_id: about.actor,
                claim_id: about.claim_id,
                error_report_id: about.error_report_id,
                subject: about.subject,
                link: about.link,
                dedupe_key: dedupe.as_deref(),
            },
        )
        .await?;
        if let Some(id) = created {
            announce(conn, r.id, id, "create", about.actor).await?;
        }
    }
    Ok(())
}

/// The user's stream learns their unread count changed (and to what).
async fn announce(
    conn: &mut Conn,
    user_id: Uuid,
    id: Uuid,
    action: &str,
    actor: Option<Uuid>,
) -> AppResult<()> {
    let unread = db::notifications::unread_count(conn, user_id).await?;
    db::live::emit(
        conn,
        db::live::NewLiveEvent {
            entity: "notification",
            entity_id: id,
            action,
            actor_id: actor,
            claim_id: None,
            article_id: None,
            reach: Reach::Fixed(Audience::User),
            also_reviewers: Vec::new(),
            user_id: Some(user_id),
            detail: Some(json!({ "unread": unread })),
        },
    )
    .await?;
    Ok(())
}

/// The people a comment names (`@Rita Koval`) among those who may see its claim,
/// told of the mention.
pub async fn tell_mentions(
    conn: &mut Conn,
    author: Uuid,
    claim_id: Uuid,
    body: &str,
    link: &str,
) -> AppResult<()> {
    if !body.contains('@') {
        return Ok(());
    }
    let people = db::notifications::who_may_see(conn, claim_id).await?;
    let named: Vec<Recipient> = {
        let candidates: Vec<(Recipient, String)> = people
            .into_iter()
            .map(|p| {
                let name = p.display_name.clone();
                (p, name)
            })
            .collect();
        rules::mentioned(body, &candidates)
            .into_iter()
            .cloned()
            .collect()
    };
    if named.is_empty() {
        return Ok(());
    }
    let subject = db::notifications::statement(conn, claim_id).await?;
    tell(
        conn,
        &named,
        &About {
            kind: Kind::Mention,
            actor: Some(author),
            claim_id: Some(claim_id),
            error_report_id: None,
            subject: &subject,
            link,
            dedupe: None,
        },
    )
    .await
}

/// One notification as its user sees it.
#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: Kind,
    /// Who caused it (absent for the scheduler's reminders and for readers).
    pub actor_name: Option<String>,
    pub claim_id: Option<Uuid>,
    pub error_report_id: Option<Uuid>,
    /// What it is about, as it read then.
    pub subject: String,
    /// The app path that opens it.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of the inbox, with the unread count.
#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// The caller's unread notifications, for the bell.
    pub unread: i64,
}

pub async fn list(
    app: &App,
    actor: &Actor,
    unread_only: bool,
    page: PageRequest<'_>,
) -> AppResult<NotificationPage> {
    let limit = page.limit().map_err(|e| AppError::Validation(vec![e]))?;
    let after = page.cursor().map_err(|e| AppError::Validation(vec![e]))?;
    let mut conn = app.db().await?;
    let rows = db::notifications::page(&mut conn, actor.id, unread_only, after, limit).await?;
    let unread = db::notifications::unread_count(&mut conn, actor.id).await?;
    let page = Page::from_rows(
        rows,
        limit,
        |r| Cursor::new(r.created_at, r.id),
        |r| NotificationView {
            id: r.id,
            kind: r.kind,
            actor_name: r.actor_name,
            claim_id: r.claim_id,
            error_report_id: r.error_report_id,
            subject: r.subject,
            link: r.link,
            created_at: r.created_at,
            read_at: r.read_at,
        },
    );
    Ok(NotificationPage {
        items: page.items,
        next_cursor: page.next_cursor,
        unread,
    })
}

/// Which notifications to mark read: `ids`, or `all`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    /// These (at most 500); ids not the caller's are ignored.
    pub ids: Option<Vec<Uuid>>,
    /// Every one of the caller's.
    pub all: Option<bool>,
}

/// The unread count after marking.
#[derive(Serialize, ToSchema)]
pub struct ReadAnswer {
    pub marked: i64,
    pub unread: i64,
}

pub async fn mark_read(app: &App, actor: &Actor, body: ReadRequest) -> AppResult<ReadAnswer> {
    let ids = match (&body.ids, body.all) {
        (Some(ids), None | Some(false)) if !ids.is_empty() && ids.len() <= 500 => {
            Some(ids.as_slice())
        }
        (Some(ids), None | Some(false)) if ids.len() > 500 => {
            return Err(AppError::Validation(vec![FieldError::new(
                "ids",
                "must name at most 500 notifications",
            )]));
        }
        (None, Some(true)) => None,
        _ => {
            return Err(AppError::Validation(vec![FieldError::new(
                "ids",
                "name the notifications to mark read, or send `all: true` (not both)",
            )]));
        }
    };
    let mut conn = app.db().await?;
    let (marked, unread) = conn
        .transaction::<_, AppError, _>(async |conn| {
            let marked = db::notifications::mark_read(conn, actor.id, ids).await?;
            if marked > 0 {
                announce(conn, actor.id, actor.id, "read", Some(actor.id)).await?;
            }
            let unread = db::notifications::unread_count(conn, actor.id).await?;
            Ok((marked as i64, unread))
        })
        .await?;
    Ok(ReadAnswer { marked, unread })
}

/// One kind as the account page offers it: what the user chose and what may be chosen.
#[derive(Serialize, ToSchema)]
pub struct ChannelChoice {
    pub kind: Kind,
    pub channel: Channel,
    /// The channels this kind allows (email only where Factdesk sends one; off not
    /// for what is asked of you).
    pub allowed: Vec<Channel>,
}

/// Every kind the user's role receives, with their channel for it.
pub fn choices(notify: &serde_json::Value, role: crate::domain::role::Role) -> Vec<ChannelChoice> {
    rules::kinds_for(role)
        .into_iter()
        .map(|kind| ChannelChoice {
            kind,
            channel: rules::channel(notify, kind),
            allowed: [Channel::InApp, Channel::Email, Channel::Off]
                .into_iter()
                .filter(|c| kind.allows(*c))
                .collect(),
        })
        .collect()
}
