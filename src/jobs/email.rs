//! The sender: claims due outbox rows with `FOR UPDATE SKIP LOCKED` (so several workers
//! never take the same row), sends them, and marks each sent, or records the error
//! and schedules a retry with exponential backoff and jitter; after the last attempt
//! the row is `failed`, for an admin to retry. A worker that dies mid-batch rolls its
//! transaction back and its rows go out with the next worker.

use std::time::Duration;

use chrono::Utc;
use diesel_async::AsyncConnection;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use rand::Rng;
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::EmailSettings;
use crate::db::DbPool;
use crate::db::outbox::{self, OutboxRow};
use crate::email::transport::Transport;
use crate::jobs::scheduler;

/// The Message-ID names the outbox row, so a duplicate is traceable to it.
pub fn message_id(id: Uuid) -> String {
    format!("<{id}@factdesk>")
}

pub fn build_message(row: &OutboxRow, from: &str) -> anyhow::Result<Message> {
    let mut builder = Message::builder()
        .from(from.parse::<Mailbox>()?)
        .to(row.recipient.parse::<Mailbox>()?)
        .subject(&row.subject)
        .message_id(Some(message_id(row.id)))
        .date(row.created_at.into());
    for cc in &row.cc {
        builder = builder.cc(cc.parse::<Mailbox>()?);
    }
    if let Some(reply_to) = &row.reply_to {
        builder = builder.reply_to(reply_to.parse::<Mailbox>()?);
    }
    Ok(builder.multipart(MultiPart::alternative_plain_html(
        row.text_body.clone(),
        row.html_body.clone(),
    ))?)
}

/// The wait before attempt `attempts + 1`: base × 2^(attempts − 1), capped, ± 25 %.
pub fn backoff(settings: &EmailSettings, attempts: i32) -> Duration {
    let exp = settings.backoff_base.as_millis() as f64 * 2f64.powi((attempts - 1).clamp(0, 30));
    let capped = exp.min(settings.backoff_max.as_millis() as f64);
    let jitter = rand::rng().random_range(0.75..1.25);
    Duration::from_millis((capped * jitter).max(1.0) as u64)
}

/// Sends one batch of due rows; returns how many were attempted.
pub async fn deliver_due(
    pool: &DbPool,
    transport: &Transport,
    settings: &EmailSettings,
) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let rows = outbox::take_due(conn, settings.batch_size).await?;
        let count = rows.len();
        for row in rows {
            let result = match build_message(&row, &settings.from) {
                Ok(message) => transport.send(message).await,
                Err(e) => Err(e),
            };
            let attempts = row.attempts + 1;
            match result {
                Ok(()) => outbox::mark_sent(conn, row.id, attempts).await?,
                Err(e) => {
                    let error: String = e.to_string().chars().take(1000).collect();
                    tracing::warn!(email = %row.id, attempts, error = %error, "sending failed");
                    crate::metrics::METRICS.email_failures.inc();
                    let failed = attempts >= settings.max_attempts;
                    let next = Utc::now()
                        + chrono::Duration::from_std(backoff(settings, attempts))
                            .unwrap_or_default();
                    outbox::mark_attempt_failed(conn, row.id, attempts, &error, next, failed)
                        .await?;
                }
            }
        }
        Ok(count)
    })
    .await
}

/// The worker loop: sends due emails every poll interval (at once again after a full
/// batch) and runs the scheduler; ends when `stop` turns true.
pub async fn run(
    pool: DbPool,
    transport: Transport,
    settings: crate::config::Settings,
    mut stop: watch::Receiver<bool>,
) {
    let email = settings.email.clone();
    tracing::info!(transport = %transport.describe(), poll_ms = email.poll_interval.as_millis() as u64, "email worker started");
    let mut last_schedule: Option<std::time::Instant> = None;
    loop {
        if last_schedule.is_none_or(|t| t.elapsed() >= email.scheduler_interval) {
            if let Err(e) = scheduler::run_once(&pool, &settings).await {
                tracing::error!(error = ?e, "email scheduler");
            }
            if let Err(e) = crate::app::live::prune(&pool).await {
                tracing::error!(error = ?e, "pruning live events");
            }
            last_schedule = Some(std::time::Instant::now());
        }
        if let Err(e) =
            crate::app::auth::reset::answer_pending(&pool, &settings, email.batch_size).await
        {
            tracing::error!(error = ?e, "password-reset requests");
        }
        let sent = match deliver_due(&pool, &transport, &email).await {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = ?e, "email sender");
                0
            }
        };
        if sent as i64 >= email.batch_size {
            if *stop.borrow() {
                break;
            }
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(email.poll_interval) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
    tracing::info!("email worker stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(reply_to: Option<&str>) -> OutboxRow {
        OutboxRow {
            id: Uuid::nil(),
            recipient: "rosa@desk.example.org".into(),
            cc: vec!["ed@desk.example.org".into()],
            reply_to: reply_to.map(str::to_string),
            subject: "A question about the claim".into(),
            text_body: "Can you look again?".into(),
            html_body: "<p>Can you look again?</p>".into(),
            attempts: 0,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn replies_go_where_the_row_says() {
        let from = "Factdesk <desk@desk.example.org>";
        let message = build_message(&row(Some("ed@desk.example.org")), from).unwrap();
        let headers = String::from_utf8(message.formatted()).unwrap();
        assert!(
            headers.contains("Reply-To: ed@desk.example.org"),
            "{headers}"
        );
        assert!(headers.contains("Cc: ed@desk.example.org"), "{headers}");
        let plain = build_message(&row(None), from).unwrap();
        assert!(
            !String::from_utf8(plain.formatted())
                .unwrap()
                .contains("Reply-To")
        );
    }
}
