//! Verdict reports, streamed: the export runs on a task and a connection of its own,
//! reading a server-side cursor in batches, so memory stays flat whatever the size. A
//! client that goes away closes the channel, which ends the task and rolls its cursor
//! back.

use bytes::Bytes;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, RunQueryDsl};
use tokio_stream::wrappers::ReceiverStream;

use crate::app::{App, AppError, AppResult};
use crate::db;
use crate::domain::policy::{self, Actor};
use crate::reports::writers::Writer;
use crate::reports::{ExportRow, Filters, Format, ORDER, SELECT};

/// Rows fetched from the cursor at a time.
const BATCH: i64 = 2000;

/// What an export asks for, as the query gives it.
pub struct ExportRequest<'a> {
    pub format: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub article_id: Option<&'a str>,
    pub reviewer: Option<&'a str>,
    pub rating: Option<&'a str>,
    pub status: Option<&'a str>,
    /// A CSV starts with a UTF-8 byte-order mark.
    pub bom: bool,
}

/// A report on its way: its format, a file name, and its bytes as they come.
pub struct Export {
    pub format: Format,
    pub filename: String,
    pub body: ReceiverStream<Result<Bytes, std::io::Error>>,
}

/// One row per claim with its current verdict, in the format asked for.
pub async fn export(app: &App, actor: &Actor, q: ExportRequest<'_>) -> AppResult<Export> {
    policy::may_export(actor)?;
    let format = Format::parse(q.format.unwrap_or("csv")).ok_or_else(|| {
        AppError::validation("format", "must be csv, json, ndjson, claimreview or md")
    })?;
    let filters = Filters::parse(q.from, q.to, q.article_id, q.reviewer, q.rating, q.status)?;
    let mut conn = app.db().await?;
    let newsroom = db::settings::load(&mut conn).await?;
    let base = app.settings.public_base();
    let bom = q.bom;
    // The file is named by the newsroom's day and time, its zone named.
    let time_zone = newsroom.default_time_zone.clone();
    let stamp = {
        let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
        chrono::Utc::now()
            .with_timezone(&tz)
            .format("%Y-%m-%d-%H%M-%Z")
            .to_string()
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let mut writer = Writer::new(format, newsroom.newsroom_name, newsroom.public_url);
        writer.bom = bom;
        writer.time_zone = time_zone;
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
    Ok(Export {
        format,
        filename: format!(
            "factdesk-verdicts-{}.{}",
            stamp.replace(['+', ':'], ""),
            format.extension()
        ),
        body: ReceiverStream::new(rx),
    })
}
