//! Scheduled emails: reminders before a due time, overdue notices (the assigning
//! editor in copy), and the daily digest. Each carries a dedupe key, unique in the
//! outbox, so however many instances run this at once, each is enqueued once; a
//! reminder's key holds the due time, so moving it schedules a new one.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use crate::config::Settings;
use crate::db::DbPool;
use crate::email::{self, Email};
use crate::routes::auth::format_time;

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = SqlUuid)]
    assignment_id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    due_at: DateTime<Utc>,
    #[diesel(sql_type = SqlUuid)]
    claim_id: Uuid,
    #[diesel(sql_type = Text)]
    statement: String,
    #[diesel(sql_type = Text)]
    article: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    display_name: String,
    #[diesel(sql_type = Text)]
    time_zone: String,
    #[diesel(sql_type = Nullable<Text>)]
    editor_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    editor_name: Option<String>,
}

const DUE_SELECT: &str = "SELECT a.id AS assignment_id, a.due_at, c.id AS claim_id, c.statement, ar.title AS article, \
    u.email, u.display_name, u.time_zone, \
    CASE WHEN e.active THEN e.email END AS editor_email, e.display_name AS editor_name \
    FROM assignments a JOIN claims c ON c.id = a.claim_id JOIN articles ar ON ar.id = c.article_id \
    JOIN users u ON u.id = a.reviewer_id JOIN users e ON e.id = a.assigned_by \
    WHERE c.status IN ('assigned', 'in_review') AND u.active";

fn key(kind: &str, assignment: Uuid, due: DateTime<Utc>) -> String {
    format!("{kind}:{assignment}:{}", due.timestamp())
}

/// One pass of the scheduler; returns how many emails it enqueued.
pub async fn run_once(pool: &DbPool, settings: &Settings) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    let base = settings.public_base();
    let newsroom = crate::routes::users::newsroom_name(&mut conn).await?;
    let mut enqueued = 0;

    let window = format!("{} seconds", settings.email.reminder_before.as_secs());
    let reminders: Vec<Due> = diesel::sql_query(format!(
        "{DUE_SELECT} AND coalesce((u.notify->>'reminders')::boolean, true) \
         AND a.due_at > now() AND a.due_at <= now() + $1::interval \
         AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.dedupe_key = 'reminder:' || a.id || ':' || extract(epoch FROM a.due_at)::bigint) \
         LIMIT 500"
    ))
    .bind::<Text, _>(window)
    .load(&mut conn)
    .await?;
    for d in reminders {
        enqueued += enqueue_due(&mut conn, "reminder", &d, &base, &newsroom, None).await?;
    }

    let overdue: Vec<Due> = diesel::sql_query(format!(
        "{DUE_SELECT} AND a.due_at <= now() \
         AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.dedupe_key = 'overdue:' || a.id || ':' || extract(epoch FROM a.due_at)::bigint) \
         LIMIT 500"
    ))
    .load(&mut conn)
    .await?;
    for d in overdue {
        let cc = d.editor_email.clone();
        enqueued += enqueue_due(&mut conn, "overdue", &d, &base, &newsroom, cc).await?;
    }

    enqueued += digests(&mut conn, settings, &base, &newsroom).await?;
    Ok(enqueued)
}

async fn enqueue_due(
    conn: &mut AsyncPgConnection,
    kind: &str,
    d: &Due,
    base: &str,
    newsroom: &str,
    cc: Option<String>,
) -> anyhow::Result<usize> {
    let id = email::enqueue(
        conn,
        Email { recipient: &d.email, cc: cc.into_iter().collect(), kind, dedupe_key: Some(key(kind, d.assignment_id, d.due_at)) },
        json!({
            "display_name": d.display_name, "newsroom": newsroom, "statement": d.statement, "article": d.article,
            "due": format_time(d.due_at, &d.time_zone), "editor": d.editor_name,
            "link": format!("{base}/claims/{}", d.claim_id),
        }),
    )
    .await?;
    Ok(usize::from(id.is_some()))
}

#[derive(QueryableByName)]
struct Reader {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    display_name: String,
    #[diesel(sql_type = Text)]
    time_zone: String,
}

#[derive(QueryableByName)]
struct OpenClaim {
    #[diesel(sql_type = SqlUuid)]
    claim_id: Uuid,
    #[diesel(sql_type = Text)]
    statement: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Timestamptz)]
    due_at: DateTime<Utc>,
    #[diesel(sql_type = Bool)]
    overdue: bool,
}

/// Each reviewer who wants it gets one digest a day of their open claims, at the set
/// hour of their own day.
async fn digests(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    base: &str,
    newsroom: &str,
) -> anyhow::Result<usize> {
    let readers: Vec<Reader> = diesel::sql_query(
        "SELECT u.id, u.email, u.display_name, u.time_zone FROM users u \
         WHERE u.role = 'reviewer' AND u.active AND coalesce((u.notify->>'digest')::boolean, true) \
         AND EXISTS (SELECT 1 FROM assignments a JOIN claims c ON c.id = a.claim_id \
                     WHERE a.reviewer_id = u.id AND c.status IN ('assigned', 'in_review', 'submitted'))",
    )
    .load(conn)
    .await?;
    let mut enqueued = 0;
    for r in readers {
        let tz: chrono_tz::Tz = r.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let local = Utc::now().with_timezone(&tz);
        if chrono::Timelike::hour(&local) < settings.email.digest_hour {
            continue;
        }
        let dedupe = format!("digest:{}:{}", r.id, local.format("%Y-%m-%d"));
        let exists: i64 =
            diesel::sql_query("SELECT count(*) AS n FROM email_outbox WHERE dedupe_key = $1")
                .bind::<Text, _>(&dedupe)
                .get_result::<Count>(conn)
                .await?
                .n;
        if exists > 0 {
            continue;
        }
        let claims: Vec<OpenClaim> = diesel::sql_query(
            "SELECT c.id AS claim_id, c.statement, c.status, a.due_at, a.due_at < now() AS overdue \
             FROM assignments a JOIN claims c ON c.id = a.claim_id \
             WHERE a.reviewer_id = $1 AND c.status IN ('assigned', 'in_review', 'submitted') ORDER BY a.due_at LIMIT 100",
        )
        .bind::<SqlUuid, _>(r.id)
        .load(conn)
        .await?;
        let items: Vec<_> = claims
            .iter()
            .map(|c| json!({"statement": c.statement, "status": c.status.replace('_', " "), "due": format_time(c.due_at, &r.time_zone),
                            "overdue": c.overdue, "link": format!("{base}/claims/{}", c.claim_id)}))
            .collect();
        let id = email::enqueue(
            conn,
            Email { recipient: &r.email, cc: vec![], kind: "digest", dedupe_key: Some(dedupe) },
            json!({"display_name": r.display_name, "newsroom": newsroom, "claims": items,
                   "overdue": claims.iter().filter(|c| c.overdue).count(), "date": local.format("%A %-d %B").to_string(),
                   "link": format!("{base}/")}),
        )
        .await?;
        enqueued += usize::from(id.is_some());
    }
    Ok(enqueued)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
