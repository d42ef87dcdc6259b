//! What the public sees without signing in: published verdict summaries (from their
//! publication record alone), the methodology, and readers' error reports.

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::notifications;
use crate::app::{App, AppError, AppResult};
use crate::db::rating_scale::Rating;
use crate::db::settings::NewsroomSettings;
use crate::db::{self, audit::Event};
use crate::domain::notifications::Kind;
use crate::domain::validation::{FieldError, Lines, check_characters};
use crate::email::{self, Email};
use crate::publish::{self, Found};

/// The published summary at `slug`, or why there is none.
pub async fn page(app: &App, slug: &str) -> AppResult<Found> {
    let mut conn = app.db().await?;
    Ok(publish::load_public(&mut conn, slug, &app.settings.public_base()).await?)
}

pub async fn newsroom(app: &App) -> AppResult<NewsroomSettings> {
    let mut conn = app.db().await?;
    Ok(db::settings::load(&mut conn).await?)
}

pub async fn rating_scale(app: &App) -> AppResult<Vec<Rating>> {
    let mut conn = app.db().await?;
    Ok(db::rating_scale::load(&mut conn).await?)
}

#[derive(Deserialize, ToSchema)]
pub struct ErrorReportRequest {
    /// What is wrong.
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub message: String,
    /// How to reach the reader, if they want an answer.
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub contact: Option<String>,
    /// The claim the report is about.
    #[schema(format = Uuid)]
    pub claim_id: Option<String>,
    /// Left empty by people; bots fill it in.
    #[schema(max_length = 200)]
    pub website: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorReportReceived {
    pub status: &'static str,
}

/// Reports one address may send in an hour.
pub const REPORTS_PER_HOUR: i64 = 5;

/// What became of a report.
pub enum Reported {
    Stored,
    /// The honeypot field was filled: a bot, thanked and ignored.
    Ignored,
}

/// A reader reports an error: stored and emailed to the editors. Throttled per address.
pub async fn report_error(
    app: &App,
    slug: &str,
    report: ErrorReportRequest,
    client_ip: &str,
) -> AppResult<Reported> {
    let mut conn = app.db().await?;
    let (publication_id, revision, headline) = db::publications::live_by_slug(&mut conn, slug)
        .await?
        .ok_or_else(|| {
            AppError::NotFound("No published verdict summary has that address.".into())
        })?;
    if report
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        return Ok(Reported::Ignored);
    }
    let mut errors = Vec::new();
    let message = report.message.trim().to_string();
    if let Err(e) = check_characters("message", &report.message, Lines::Many) {
        errors.push(e);
    } else if message.is_empty() || report.message.chars().count() > 5000 {
        errors.push(FieldError::new("message", "must be 1 to 5000 characters"));
    }
    let contact = report
        .contact
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from);
    if let Some(Err(e)) = report
        .contact
        .as_deref()
        .map(|c| check_characters("contact", c, Lines::One))
    {
        errors.push(e);
    } else if report
        .contact
        .as_ref()
        .is_some_and(|c| c.chars().count() > 200)
    {
        errors.push(FieldError::new("contact", "must be at most 200 characters"));
    }
    let claim_id = match report
        .claim_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(raw) => {
            let id = raw.parse::<Uuid>().ok();
            let on_page = match id {
                Some(id) => {
                    db::publications::claim_on_page(&mut conn, publication_id, revision, id).await?
                }
                None => false,
            };
            if !on_page {
                errors.push(FieldError::new("claim_id", "is not a claim on this page"));
            }
            id
        }
    };
    crate::app::error::all_valid(errors)?;
    if db::publications::reports_from_since(
        &mut conn,
        client_ip,
        Utc::now() - chrono::Duration::hours(1),
    )
    .await?
        >= REPORTS_PER_HOUR
    {
        return Err(AppError::TooManyRequests {
            retry_after_secs: 3600,
        });
    }
    let page_url = app.link(&format!("/p/{slug}"));
    conn.transaction::<_, AppError, _>(async |conn| {
        let id = db::publications::insert_report(conn, publication_id, claim_id, &message, contact.as_deref(), client_ip).await?;
        db::audit::record(
            conn,
            Event::new("error_report", id, "create").after(json!({"publication_id": publication_id, "claim_id": claim_id})),
        )
        .await?;
        let newsroom = db::settings::newsroom_name(conn).await?;
        // The email names the claim the reader means, and leads to the inbox.
        let statement = match claim_id {
            Some(c) => db::claims::find(conn, c, false).await?.map(|c| c.statement),
            None => None,
        };
        let inbox = app.link("/reports");
        let editors = db::notifications::editors(conn).await?;
        notifications::tell(
            conn,
            &editors,
            &notifications::About {
                kind: Kind::ErrorReport,
                actor: None,
                claim_id,
                error_report_id: Some(id),
                subject: statement.as_deref().unwrap_or(headline.as_str()),
                link: "/reports",
                dedupe: None,
            },
        )
        .await?;
        crate::app::webhooks::announce(
            conn,
            &app.settings.public_base(),
            crate::app::webhooks::Happened {
                kind: crate::domain::webhooks::EventKind::ErrorReported,
                summary: format!("A reader reported an error on “{headline}”: {message}"),
                link: "/reports".into(),
                data: json!({"error_report": {"id": id, "message": message},
                             "publication": {"id": publication_id, "headline": headline, "url": page_url},
                             "claim": claim_id.map(|c| json!({"id": c, "statement": statement}))}),
                dedupe_key: None,
            },
        )
        .await?;
        for editor in editors.iter().filter(|e| crate::domain::notifications::by_email(&e.notify, Kind::ErrorReport)) {
            let (address, name) = (&editor.email, &editor.display_name);
            email::enqueue(
                conn,
                Email { reply_to: None, recipient: address, cc: vec![], kind: "error_report", dedupe_key: None },
                json!({"display_name": name, "newsroom": newsroom, "headline": headline, "message": message,
                       "statement": statement, "inbox": inbox,
                       "contact": contact, "link": match claim_id { Some(c) => format!("{page_url}#claim-{c}"), None => page_url.clone() }}),
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(Reported::Stored)
}
