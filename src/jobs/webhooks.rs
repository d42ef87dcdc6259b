//! The webhook sender: for each active endpoint whose oldest waiting delivery is due,
//! it locks the endpoint (`FOR UPDATE SKIP LOCKED`, so two instances never send to one
//! endpoint at once), posts that delivery signed as the Standard Webhooks
//! specification says, and records the answer, in one transaction per delivery. An
//! endpoint's deliveries go strictly in order of creation: while the oldest waits for
//! its retry, the newer ones wait behind it, so a receiver that was down gets each
//! exactly once and in order when it is back. Retries back off exponentially with
//! jitter; after the last attempt a delivery is given up, for an admin to retry. A
//! 410 Gone turns the endpoint off (`app::webhooks::receiver_gone`).

use chrono::Utc;
use diesel_async::AsyncConnection;
use futures_util::StreamExt;
use rand::Rng;
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::Settings;
use crate::db::DbPool;
use crate::db::webhooks::{self, Attempt};
use crate::domain::webhooks::{self as rules, Answer, Format};
use crate::outbound::{self, SendError};

/// Endpoints served at once; each gets at most this many deliveries per round.
const CONCURRENT_ENDPOINTS: usize = 4;
const PER_ENDPOINT_PER_ROUND: usize = 50;

enum Step {
    /// Delivered; the next one may go at once.
    Next,
    /// Nothing due, or an attempt failed: this endpoint is done for the round.
    Stop,
}

/// One round: every due endpoint; returns how many deliveries were delivered.
pub async fn deliver_due(
    pool: &DbPool,
    client: &outbound::Client,
    settings: &Settings,
) -> anyhow::Result<usize> {
    let due = {
        let mut conn = pool.get().await?;
        webhooks::due_endpoints(&mut conn, 64).await?
    };
    let results: Vec<anyhow::Result<usize>> = futures_util::stream::iter(due)
        .map(|id| deliver_endpoint(pool, client, settings, id))
        .buffer_unordered(CONCURRENT_ENDPOINTS)
        .collect()
        .await;
    let mut delivered = 0;
    for r in results {
        match r {
            Ok(n) => delivered += n,
            Err(e) => tracing::error!(error = ?e, "webhook sender"),
        }
    }
    Ok(delivered)
}

async fn deliver_endpoint(
    pool: &DbPool,
    client: &outbound::Client,
    settings: &Settings,
    id: Uuid,
) -> anyhow::Result<usize> {
    let mut delivered = 0;
    for _ in 0..PER_ENDPOINT_PER_ROUND {
        let mut conn = pool.get().await?;
        let step = conn
            .transaction::<_, anyhow::Error, _>(async |conn| {
                deliver_head(conn, client, settings, id).await
            })
            .await?;
        match step {
            Step::Next => delivered += 1,
            Step::Stop => break,
        }
    }
    Ok(delivered)
}

async fn deliver_head(
    conn: &mut crate::db::Conn,
    client: &outbound::Client,
    settings: &Settings,
    id: Uuid,
) -> anyhow::Result<Step> {
    let Some(endpoint) = webhooks::lock_active_endpoint(conn, id).await? else {
        return Ok(Step::Stop);
    };
    let Some(delivery) = webhooks::head(conn, id).await? else {
        return Ok(Step::Stop);
    };
    if delivery.next_attempt_at > Utc::now() {
        return Ok(Step::Stop);
    }
    let attempts = delivery.attempts + 1;
    let format = Format::parse(&endpoint.format).unwrap_or(Format::Standard);
    let body = serde_json::to_vec(&rules::body(format, &delivery.payload))?;
    let key = rules::secret_key(&endpoint.secret)
        .map_err(|why| anyhow::anyhow!("webhook {}: the stored secret {why}", endpoint.id))?;
    let message_id = format!("msg_{}", delivery.id.simple());
    let timestamp = Utc::now().timestamp();
    let headers = [
        ("webhook-id", message_id.clone()),
        ("webhook-timestamp", timestamp.to_string()),
        (
            "webhook-signature",
            rules::signature(&key, &message_id, timestamp, &body),
        ),
    ];
    let result = client.post_json(&endpoint.url, &headers, body).await;
    let retry_at = || {
        (attempts < settings.webhooks.max_attempts).then(|| {
            let jitter = rand::rng().random_range(0.75..1.25);
            let wait = rules::backoff_ms(
                settings.webhooks.backoff_base.as_millis() as u64,
                settings.webhooks.backoff_max.as_millis() as u64,
                attempts,
                jitter,
            );
            Utc::now() + chrono::Duration::milliseconds(wait as i64)
        })
    };
    let (status, took, outcome, error) = match &result {
        Ok(answer) => {
            let outcome = rules::answer(answer.status);
            let error = match outcome {
                Answer::Delivered => None,
                _ if (300..400).contains(&answer.status) => Some(format!(
                    "HTTP {}: redirects are not followed (Location: {})",
                    answer.status,
                    answer.location.as_deref().unwrap_or("none")
                )),
                _ => Some(format!("HTTP {}: {}", answer.status, answer.body.trim())),
            };
            (Some(answer.status as i16), answer.took, outcome, error)
        }
        Err(e) => {
            let error = match e {
                SendError::Refused(r) => format!("refused: {r}"),
                other => other.to_string(),
            };
            (None, std::time::Duration::ZERO, Answer::Retry, Some(error))
        }
    };
    let next = match outcome {
        Answer::Delivered => None,
        Answer::Gone => None,
        Answer::Retry => retry_at(),
    };
    if let Some(error) = &error {
        tracing::warn!(webhook = %endpoint.id, delivery = %delivery.id, attempts, error = %error, "webhook delivery failed");
    }
    webhooks::record_attempt(
        conn,
        delivery.id,
        Attempt {
            attempts,
            status,
            duration_ms: took.as_millis().min(i32::MAX as u128) as i32,
            error: error.as_deref(),
            delivered: outcome == Answer::Delivered,
            next,
        },
    )
    .await?;
    match outcome {
        Answer::Delivered => Ok(Step::Next),
        Answer::Gone => {
            crate::app::webhooks::receiver_gone(conn, &settings.public_base(), &endpoint).await?;
            Ok(Step::Stop)
        }
        Answer::Retry => Ok(Step::Stop),
    }
}

/// The sender's loop: a round every poll interval (at once again after a busy one);
/// ends when `stop` turns true.
pub async fn run(pool: DbPool, settings: Settings, mut stop: watch::Receiver<bool>) {
    let client = match outbound::Client::new(&settings.outbound) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = ?e, "the webhook sender could not start");
            return;
        }
    };
    tracing::info!(
        poll_ms = settings.webhooks.poll_interval.as_millis() as u64,
        "webhook sender started"
    );
    loop {
        let delivered = match deliver_due(&pool, &client, &settings).await {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = ?e, "webhook sender");
                0
            }
        };
        if *stop.borrow() {
            break;
        }
        if delivered >= PER_ENDPOINT_PER_ROUND {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(settings.webhooks.poll_interval) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
    tracing::info!("webhook sender stopped");
}
