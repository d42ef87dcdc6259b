//! Scheduled emails: reminders before a due time, overdue notices (the assigning
//! editor in copy), and the daily digest. Each carries a dedupe key, unique in the
//! outbox, so however many instances run this at once, each is enqueued once; a
//! reminder's key holds the due time, so moving it schedules a new one.

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde_json::json;
use uuid::Uuid;

use crate::app::notifications;
use crate::config::Settings;
use crate::db::schedule::{self, Due};
use crate::db::{self as store, Conn, DbPool};
use crate::domain::notifications::Kind;
use crate::domain::time::format_time;
use crate::email::{self, Email};

/// Emails of one kind a pass enqueues at most (the next pass takes the rest).
const PASS_LIMIT: i64 = 500;

fn key(kind: &str, assignment: Uuid, due: DateTime<Utc>) -> String {
    format!("{kind}:{assignment}:{}", due.timestamp())
}

/// One pass of the scheduler; returns how many emails it enqueued.
pub async fn run_once(pool: &DbPool, settings: &Settings) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    let base = settings.public_base();
    let newsroom = store::settings::newsroom_name(&mut conn).await?;
    let mut enqueued = 0;

    let window = settings.email.reminder_before.as_secs();
    for d in schedule::coming_due(&mut conn, "reminder", window, PASS_LIMIT).await? {
        enqueued += conn
            .transaction::<_, anyhow::Error, _>(async |c| {
                enqueue_due(c, "reminder", &d, &base, &newsroom, None).await
            })
            .await?;
    }
    for d in schedule::past_due(&mut conn, "overdue", PASS_LIMIT).await? {
        let cc = d.editor_email.clone();
        // The notification and the email are told together, or neither (the next pass tries again).
        enqueued += conn
            .transaction::<_, anyhow::Error, _>(async |c| {
                enqueue_due(c, "overdue", &d, &base, &newsroom, cc.clone()).await
            })
            .await?;
    }
    enqueued += digests(&mut conn, settings, &base, &newsroom).await?;
    Ok(enqueued)
}

async fn enqueue_due(
    conn: &mut Conn,
    kind: &str,
    d: &Due,
    base: &str,
    newsroom: &str,
    cc: Option<String>,
) -> anyhow::Result<usize> {
    let notify_kind = if kind == "reminder" {
        Kind::Reminder
    } else {
        Kind::Overdue
    };
    // In the app: the reviewer, and for an overdue claim the editor who assigned it.
    let mut told = vec![d.reviewer_id];
    if notify_kind == Kind::Overdue {
        told.extend(d.editor_id);
    }
    let people = store::notifications::recipients(conn, &told).await?;
    let dedupe = key(kind, d.assignment_id, d.due_at);
    let link = format!("/claims/{}", d.claim_id);
    notifications::tell(
        conn,
        &people,
        &notifications::About {
            kind: notify_kind,
            actor: None,
            claim_id: Some(d.claim_id),
            error_report_id: None,
            subject: &d.statement,
            link: &link,
            dedupe: Some(&dedupe),
        },
    )
    .await?;
    if notify_kind == Kind::Overdue {
        crate::app::webhooks::announce(
            conn,
            base,
            crate::app::webhooks::Happened {
                kind: crate::domain::webhooks::EventKind::ClaimOverdue,
                summary: format!(
                    "“{}” is overdue: {} was to check it by {}",
                    d.statement,
                    d.display_name,
                    d.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
                link: link.clone(),
                data: json!({
                    "claim": {"id": d.claim_id, "statement": d.statement},
                    "article": {"title": d.article},
                    "reviewer": {"id": d.reviewer_id, "name": d.display_name},
                    "due_at": d.due_at,
                }),
                dedupe_key: Some(dedupe.clone()),
            },
        )
        .await?;
    }
    let reviewer_wants_email = people
        .iter()
        .find(|p| p.id == d.reviewer_id)
        .is_some_and(|p| crate::domain::notifications::by_email(&p.notify, notify_kind));
    if !reviewer_wants_email {
        return Ok(0);
    }
    let id = email::enqueue(
        conn,
        Email { reply_to: None, recipient: &d.email, cc: cc.into_iter().collect(), kind, dedupe_key: Some(key(kind, d.assignment_id, d.due_at)) },
        json!({
            "display_name": d.display_name, "newsroom": newsroom, "statement": d.statement, "article": d.article,
            "due": format_time(d.due_at, &d.time_zone), "editor": d.editor_name,
            "link": format!("{base}/claims/{}", d.claim_id),
        }),
    )
    .await?;
    Ok(usize::from(id.is_some()))
}

/// Each reviewer who wants it gets one digest a day of their open claims, at the set
/// hour of their own day.
async fn digests(
    conn: &mut Conn,
    settings: &Settings,
    base: &str,
    newsroom: &str,
) -> anyhow::Result<usize> {
    let mut enqueued = 0;
    for r in schedule::digest_readers(conn).await? {
        let tz: chrono_tz::Tz = r.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let local = Utc::now().with_timezone(&tz);
        if chrono::Timelike::hour(&local) < settings.email.digest_hour {
            continue;
        }
        let dedupe = format!("digest:{}:{}", r.id, local.format("%Y-%m-%d"));
        if store::outbox::dedupe_key_exists(conn, &dedupe).await? {
            continue;
        }
        let claims = schedule::open_claims_of(conn, r.id, 100).await?;
        let items: Vec<_> = claims
            .iter()
            .map(|c| {
                json!({"statement": c.statement, "status": c.status.words(), "due": format_time(c.due_at, &r.time_zone),
                       "overdue": c.overdue, "link": format!("{base}/claims/{}", c.claim_id)})
            })
            .collect();
        let id = email::enqueue(
            conn,
            Email { reply_to: None, recipient: &r.email, cc: vec![], kind: "digest", dedupe_key: Some(dedupe) },
            json!({"display_name": r.display_name, "newsroom": newsroom, "claims": items,
                   "overdue": claims.iter().filter(|c| c.overdue).count(), "date": local.format("%A %-d %B").to_string(),
                   "link": format!("{base}/")}),
        )
        .await?;
        enqueued += usize::from(id.is_some());
    }
    Ok(enqueued)
}
