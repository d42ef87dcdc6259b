//! Prometheus metrics (the `prometheus-client` crate, the Prometheus project's own):
//! requests by route template and status with their latency, the connection pool,
//! the email outbox, failed emails and login throttles. Served as text at `GET
//! /metrics` on `FACTDESK_METRICS_LISTEN` only, never on the public listener.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::DbPool;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route's template (`/api/v1/claims/{id}`), never the raw path, so the
    /// number of series stays bounded.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabels {
    pub state: String,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram>,
    pub pool_wait: Histogram,
    pub pool_size: Gauge,
    pub pool_available: Gauge,
    pub pool_waiting: Gauge,
    pub pool_max: Gauge,
    pub outbox_rows: Family<StateLabels, Gauge>,
    pub outbox_oldest_due_seconds: Gauge<f64, std::sync::atomic::AtomicU64>,
    pub email_failures: Counter,
    pub login_throttled: Counter,
    pub live_events: Counter,
    pub live_streams: Gauge,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("factdesk");
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register(
        "http_requests",
        "HTTP requests answered, by route template and status",
        requests.clone(),
    );
    let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
        latency_histogram as fn() -> Histogram,
    );
    registry.register(
        "http_request_duration_seconds",
        "Time to the response head, by route template",
        latency.clone(),
    );
    let pool_wait = latency_histogram();
    registry.register(
        "db_pool_wait_seconds",
        "Time a request waited for a database connection",
        pool_wait.clone(),
    );
    let pool_size = Gauge::default();
    registry.register(
        "db_pool_connections",
        "Connections the pool holds",
        pool_size.clone(),
    );
    let pool_available = Gauge::default();
    registry.register(
        "db_pool_idle_connections",
        "Connections idle in the pool",
        pool_available.clone(),
    );
    let pool_waiting = Gauge::default();
    registry.register(
        "db_pool_waiting",
        "Requests waiting for a connection",
        pool_waiting.clone(),
    );
    let pool_max = Gauge::default();
    registry.register(
        "db_pool_max_connections",
        "The pool's size limit",
        pool_max.clone(),
    );
    let outbox_rows = Family::<StateLabels, Gauge>::default();
    registry.register(
        "email_outbox_rows",
        "Outbox emails by state (pending, sent, failed)",
        outbox_rows.clone(),
    );
    let outbox_oldest_due_seconds = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
    registry.register(
        "email_outbox_oldest_due_seconds",
        "Age of the oldest pending email that is due",
        outbox_oldest_due_seconds.clone(),
    );
    let email_failures = Counter::default();
    registry.register(
        "email_send_failures",
        "Attempts to send an email that failed (by this process)",
        email_failures.clone(),
    );
    let login_throttled = Counter::default();
    registry.register(
        "login_throttled",
        "Logins answered 429 by the throttle (by this process)",
        login_throttled.clone(),
    );
    let live_events = Counter::default();
    registry.register(
        "live_events",
        "Live events this process received from PostgreSQL and fanned out",
        live_events.clone(),
    );
    let live_streams = Gauge::default();
    registry.register(
        "live_streams",
        "Event streams (GET /api/v1/events) open on this process",
        live_streams.clone(),
    );
    Metrics {
        registry,
        requests,
        latency,
        pool_wait,
        pool_size,
        pool_available,
        pool_waiting,
        pool_max,
        outbox_rows,
        outbox_oldest_due_seconds,
        email_failures,
        login_throttled,
        live_events,
        live_streams,
    }
});

/// Records one answered request.
pub fn observe_request(method: &str, route: &str, status: u16, took: Duration) {
    METRICS
        .requests
        .get_or_create(&RequestLabels {
            method: method.to_string(),
            route: route.to_string(),
            status,
        })
        .inc();
    METRICS
        .latency
        .get_or_create(&RouteLabels {
            method: method.to_string(),
            route: route.to_string(),
        })
        .observe(took.as_secs_f64());
}

/// Reads what is measured at scrape time (the pool, the outbox) and renders the text.
pub async fn render(pool: &DbPool) -> anyhow::Result<String> {
    let status = pool.status();
    METRICS.pool_size.set(status.size as i64);
    METRICS.pool_available.set(status.available as i64);
    METRICS.pool_waiting.set(status.waiting as i64);
    METRICS.pool_max.set(status.max_size as i64);
    let counts = {
        let mut conn = pool.get().await?;
        crate::db::outbox::counts(&mut conn).await?
    };
    for (state, n) in [
        ("pending", counts.pending),
        ("sent", counts.sent),
        ("failed", counts.failed),
    ] {
        METRICS
            .outbox_rows
            .get_or_create(&StateLabels {
                state: state.into(),
            })
            .set(n);
    }
    METRICS
        .outbox_oldest_due_seconds
        .set(counts.oldest_due_seconds.unwrap_or(0.0));
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &METRICS.registry)?;
    Ok(text)
}
