//! `GET /api/v1/reports/verdicts`: the export, streamed.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use tokio_stream::wrappers::ReceiverStream;
use utoipa::IntoParams;

use crate::auth::policy::Export;
use crate::auth::session::Permitted;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::reports::writers::Writer;
use crate::reports::{ExportRow, Filters, Format, ORDER, SELECT};
use crate::routes::resource;
use crate::routes::settings;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/reports/verdicts", GET => export_verdicts);
}

/// Rows fetched from the cursor at a time.
const BATCH: i64 = 2000;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv, json, ndjson, claimreview or md.
    #[param(pattern = "^(csv|json|ndjson|claimreview|md)$")]
    pub format: Option<String>,
    /// From this date (`2025-02-20`) or time: the verdict's approval, else the claim's creation.
    #[param(value_type = Option<crate::routes::common::DateOrTime>)]
    pub from: Option<String>,
    /// Up to and including this date, or before this time.
    #[param(value_type = Option<crate::routes::common::DateOrTime>)]
    pub to: Option<String>,
    #[param(format = Uuid)]
    pub article_id: Option<String>,
    /// A reviewer's id: claims assigned to them.
    #[param(format = Uuid)]
    pub reviewer: Option<String>,
    /// A rating key.
    #[param(max_length = 40)]
    pub rating: Option<String>,
    /// Claim statuses, comma-separated.
    #[param(
        pattern = "^(|(draft|assigned|in_review|submitted|approved|published|dropped)(,(draft|assigned|in_review|submitted|approved|published|dropped))*)$"
    )]
    pub status: Option<String>,
}

/// Export verdict reports (editors): one row per claim with its current verdict, as
/// CSV (formula-safe), a JSON array, NDJSON, ClaimReview objects or Markdown grouped
/// by article. Streamed; memory stays flat whatever the size.
#[utoipa::path(get, path = "/api/v1/reports/verdicts", tag = "reports", params(ExportQuery),
    responses((status = 200, description = "The report, as an attachment", content(
                  ("text/csv"), ("application/json"), ("application/x-ndjson"), ("text/markdown"))),
              (status = 403),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn export_verdicts(
    state: web::Data<AppState>,
    Permitted(_user, _): Permitted<Export>,
    Query(q): Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let format = Format::parse(q.format.as_deref().unwrap_or("csv")).ok_or_else(|| {
        AppError::validation("format", "must be csv, json, ndjson, claimreview or md")
    })?;
    let filters = Filters::parse(
        q.from.as_deref(),
        q.to.as_deref(),
        q.article_id.as_deref(),
        q.reviewer.as_deref(),
        q.rating.as_deref(),
        q.status.as_deref(),
    )?;
    let mut conn = state.db().await?;
    let newsroom = settings::load(&mut conn).await?;
    let base = state.settings.public_base();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);

    // The export runs on its own task and connection; a client that goes away closes
    // the channel, which ends the task and rolls its cursor back.
    tokio::spawn(async move {
        let mut writer = Writer::new(format, newsroom.newsroom_name, newsroom.public_url);
        let result = conn
            .transaction::<_, anyhow::Error, _>(async |conn| {
                // An export of a whole archive runs for minutes: the pool's statement
                // limit is for requests, not for this.
                diesel::sql_query("SET LOCAL statement_timeout = 0")
                    .execute(conn)
                    .await?;
                let declare =
                    diesel::sql_query(format!("DECLARE export NO SCROLL CURSOR FOR {SELECT}"))
                        .into_boxed()
                        .bind::<Text, _>(base);
                filters.apply(declare).sql(ORDER).execute(conn).await?;
                if tx.send(Ok(Bytes::from(writer.begin()))).await.is_err() {
                    return Ok(());
                }
                loop {
                    let rows: Vec<ExportRow> =
                        diesel::sql_query(format!("FETCH FORWARD {BATCH} FROM export"))
                            .load(conn)
                            .await?;
                    if rows.is_empty() {
                        break;
                    }
                    let bytes = writer.batch(&rows)?;
                    if tx.send(Ok(Bytes::from(bytes))).await.is_err() {
                        return Ok(());
                    }
                }
                let _ = tx.send(Ok(Bytes::from(writer.end()))).await;
                Ok(())
            })
            .await;
        if let Err(e) = result {
            tracing::error!(error = ?e, "export failed");
            let _ = tx
                .send(Err(std::io::Error::other("the export failed")))
                .await;
        }
    });

    let filename = format!(
        "factdesk-verdicts-{}.{}",
        chrono::Utc::now().format("%Y-%m-%d"),
        format.extension()
    );
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(ReceiverStream::new(rx)))
}
