//! The editors' inbox of readers' error reports: each linked to its page, article and
//! claim, with a status (new, answered, corrected, dismissed), replies sent to the
//! reader by email from the app, and the correction it led to.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{App, AppError, AppResult, check_version};
use crate::db::error_reports::{CorrectionRow, ReportRow};
use crate::db::{self, Conn, audit::Event};
use crate::domain::page::{Cursor, PageRequest};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::{FieldError, Lines, check_characters, valid_email};
use crate::email::{self, Email};

/// Where a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    New,
    Answered,
    Corrected,
    Dismissed,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Answered => "answered",
            Self::Corrected => "corrected",
            Self::Dismissed => "dismissed",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [Self::New, Self::Answered, Self::Corrected, Self::Dismissed]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportReply {
    pub id: Uuid,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Serialize, ToSchema)]
pub struct ReportCorrection {
    pub id: Uuid,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorReportView {
    pub id: Uuid,
    pub status: ReportStatus,
    pub message: String,
    /// How the reader asked to be reached, as they typed it.
    pub contact: Option<String>,
    /// The contact is an email address: the app can send a reply.
    pub can_reply: bool,
    pub created_at: DateTime<Utc>,
    pub handled_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub article_id: Uuid,
    pub article_title: String,
    pub headline: String,
    /// The public page the report came from.
    pub page_url: String,
    pub claim_id: Option<Uuid>,
    pub claim_statement: Option<String>,
    /// The correction the report led to.
    pub correction: Option<ReportCorrection>,
    /// The page's corrections, newest first, to link one.
    pub corrections: Vec<ReportCorrection>,
    pub replies: Vec<ReportReply>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorReportPage {
    pub items: Vec<ErrorReportView>,
    pub next_cursor: Option<String>,
    /// Reports with status `new`, for the inbox's count.
    pub new_count: i64,
}

fn reply_address(contact: Option<&str>) -> Option<String> {
    contact.and_then(|c| valid_email("contact", c).ok())
}

async fn views(
    app: &App,
    conn: &mut Conn,
    rows: Vec<ReportRow>,
) -> AppResult<Vec<ErrorReportView>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let publications: Vec<Uuid> = rows.iter().map(|r| r.publication_id).collect();
    let mut replies: HashMap<Uuid, Vec<ReportReply>> = HashMap::new();
    for r in db::error_reports::replies(conn, &ids).await? {
        replies.entry(r.report_id).or_default().push(ReportReply {
            id: r.id,
            author_name: r.author_name,
            body: r.body,
            created_at: r.created_at,
        });
    }
    let mut corrections: HashMap<Uuid, Vec<ReportCorrection>> = HashMap::new();
    for CorrectionRow {
        id,
        publication_id,
        note,
        created_at,
    } in db::error_reports::corrections(conn, &publications).await?
    {
        corrections
            .entry(publication_id)
            .or_default()
            .push(ReportCorrection {
                id,
                note,
                created_at,
            });
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let page = corrections
                .get(&r.publication_id)
                .cloned()
                .unwrap_or_default();
            ErrorReportView {
                id: r.id,
                status: ReportStatus::parse(&r.status).unwrap_or(ReportStatus::New),
                can_reply: reply_address(r.contact.as_deref()).is_some(),
                message: r.message,
                contact: r.contact,
                created_at: r.created_at,
                handled_at: r.handled_at,
                version: r.version,
                article_id: r.article_id,
                article_title: r.article_title,
                headline: r.headline,
                page_url: app.link(&format!(
                    "/p/{}{}",
                    r.slug,
                    r.claim_id
                        .map(|c| format!("#claim-{c}"))
                        .unwrap_or_default()
                )),
                claim_id: r.claim_id,
                claim_statement: r.claim_statement,
                correction: r
                    .correction_id
                    .and_then(|id| page.iter().find(|c| c.id == id).cloned()),
                corrections: page,
                replies: replies.remove(&r.id).unwrap_or_default(),
            }
        })
        .collect())
}

/// The inbox: newest first, of one status or all.
pub async fn list(
    app: &App,
    actor: &Actor,
    status: Option<&str>,
    page: PageRequest<'_>,
) -> AppResult<ErrorReportPage> {
    policy::may_handle_error_reports(actor)?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(ReportStatus::parse(raw).ok_or_else(|| {
            FieldError::new("status", "must be new, answered, corrected or dismissed")
        })?),
    };
    let limit = page.limit()?;
    let cursor = page.cursor()?;
    let mut conn = app.db().await?;
    let rows = db::error_reports::list(
        &mut conn,
        status.map(ReportStatus::as_str),
        cursor.map(|c| (c.at, c.id)),
        limit + 1,
    )
    .await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<ReportRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = more
        .then(|| {
            rows.last()
                .map(|r| Cursor::new(r.created_at, r.id).encode())
        })
        .flatten();
    let items = views(app, &mut conn, rows).await?;
    let new_count = db::error_reports::count_new(&mut conn).await?;
    Ok(ErrorReportPage {
        items,
        next_cursor,
        new_count,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateErrorReportRequest {
    pub status: Option<ReportStatus>,
    /// The correction the report led to (one of its page's); null unlinks it.
    #[serde(default, deserialize_with = "crate::app::error_reports::some")]
    #[schema(value_type = Option<Uuid>)]
    pub correction_id: Option<Option<Uuid>>,
    pub version: Option<i32>,
}

/// `Some(None)` for an explicit null, `None` when the field is absent.
pub fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Uuid>>, D::Error> {
    Option::<Uuid>::deserialize(d).map(Some)
}

async fn one(app: &App, conn: &mut Conn, id: Uuid) -> AppResult<ErrorReportView> {
    let row = db::error_reports::find(conn, id, false)
        .await?
        .ok_or_else(|| AppError::not_found("error report"))?;
    Ok(views(app, conn, vec![row]).await?.remove(0))
}

/// Sets a report's status and the correction it led to (If-Match). Linking a
/// correction makes the report `corrected` unless a status is given.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    body: UpdateErrorReportRequest,
) -> AppResult<ErrorReportView> {
    policy::may_handle_error_reports(actor)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = db::error_reports::find(conn, id, true)
            .await?
            .ok_or_else(|| AppError::not_found("error report"))?;
        check_version(
            conn,
            version,
            before.version,
            Some(("error_report", id)),
            async |conn| one(app, conn, id).await,
        )
        .await?;
        let correction = match body.correction_id {
            None => before.correction_id,
            Some(None) => None,
            Some(Some(c)) => {
                let ok = db::error_reports::corrections(conn, &[before.publication_id])
                    .await?
                    .iter()
                    .any(|x| x.id == c);
                if !ok {
                    return Err(AppError::validation(
                        "correction_id",
                        "is not a correction of this report's page",
                    ));
                }
                Some(c)
            }
        };
        let status = match (body.status, body.correction_id) {
            (Some(s), _) => s,
            (None, Some(Some(_))) => ReportStatus::Corrected,
            (None, _) => ReportStatus::parse(&before.status).unwrap_or(ReportStatus::New),
        };
        if status == ReportStatus::Corrected && correction.is_none() {
            return Err(AppError::validation(
                "correction_id",
                "is required to mark the report corrected: link the correction it led to",
            ));
        }
        db::error_reports::update(conn, id, status.as_str(), correction).await?;
        db::audit::record(
            conn,
            Event::new("error_report", id, "update")
                .by(actor.id)
                .before(json!({"status": before.status, "correction_id": before.correction_id}))
                .after(json!({"status": status, "correction_id": correction})),
        )
        .await?;
        one(app, conn, id).await
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// The answer to the reader, sent by email from the desk with Reply-To the editor.
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub body: String,
}

/// Emails the reader an answer (their contact must be an email address), keeps it with
/// the report, and marks a new report answered.
pub async fn reply(
    app: &App,
    actor: &Actor,
    id: Uuid,
    body: ReplyRequest,
) -> AppResult<ErrorReportView> {
    policy::may_handle_error_reports(actor)?;
    check_characters("body", &body.body, Lines::Many)?;
    let text = body.body.trim().to_string();
    if text.is_empty() || text.chars().count() > 10_000 {
        return Err(AppError::validation(
            "body",
            "must be 1 to 10000 characters",
        ));
    }
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let report = db::error_reports::find(conn, id, true)
            .await?
            .ok_or_else(|| AppError::not_found("error report"))?;
        let Some(address) = reply_address(report.contact.as_deref()) else {
            return Err(AppError::conflict(
                "The reader left no email address to answer; this report cannot be replied to from the app.",
            ));
        };
        let editor = db::users::find(conn, actor.id, false)
            .await?
            .ok_or_else(|| AppError::not_found("user"))?;
        let reply_id = db::error_reports::insert_reply(conn, id, actor.id, &text).await?;
        let newsroom = db::settings::newsroom_name(conn).await?;
        email::enqueue(
            conn,
            Email { reply_to: Some(editor.email.clone()), recipient: &address, cc: vec![], kind: "reader_reply", dedupe_key: None },
            json!({"newsroom": newsroom, "editor": editor.display_name, "headline": report.headline,
                   "their_message": report.message, "body": text,
                   "link": app.link(&format!("/p/{}", report.slug))}),
        )
        .await?;
        if report.status == "new" {
            db::error_reports::update(conn, id, ReportStatus::Answered.as_str(), report.correction_id).await?;
        }
        db::audit::record(
            conn,
            Event::new("error_report", id, "reply")
                .by(actor.id)
                .after(json!({"reply_id": reply_id, "body": text})),
        )
        .await?;
        one(app, conn, id).await
    })
    .await
}
