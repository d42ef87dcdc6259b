//! Webhook endpoints and their deliveries: a delivery row per event and subscribed
//! endpoint, written in the transaction of the change, taken by the sender one
//! endpoint at a time (the endpoint's row locked, so two instances never send to one
//! endpoint at once) and oldest first (so a receiver gets them in order of creation).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Jsonb, Text};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::domain::page::Cursor;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointRow {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub secret: String,
    pub format: String,
    pub events: Vec<String>,
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub struct NewEndpoint<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub secret: &'a str,
    pub format: &'a str,
    pub events: &'a [String],
    pub active: bool,
    pub created_by: Uuid,
}

pub async fn list_endpoints(conn: &mut Conn) -> QueryResult<Vec<EndpointRow>> {
    webhook_endpoints::table
        .order((
            webhook_endpoints::created_at.asc(),
            webhook_endpoints::id.asc(),
        ))
        .select(EndpointRow::as_select())
        .load(conn)
        .await
}

pub async fn find_endpoint(conn: &mut Conn, id: Uuid) -> QueryResult<Option<EndpointRow>> {
    webhook_endpoints::table
        .find(id)
        .select(EndpointRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_endpoint_for_update(
    conn: &mut Conn,
    id: Uuid,
) -> QueryResult<Option<EndpointRow>> {
    webhook_endpoints::table
        .find(id)
        .select(EndpointRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn insert_endpoint(conn: &mut Conn, new: NewEndpoint<'_>) -> QueryResult<EndpointRow> {
    diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::name.eq(new.name),
            webhook_endpoints::url.eq(new.url),
            webhook_endpoints::secret.eq(new.secret),
            webhook_endpoints::format.eq(new.format),
            webhook_endpoints::events.eq(new.events),
            webhook_endpoints::active.eq(new.active),
            webhook_endpoints::created_by.eq(new.created_by),
        ))
        .returning(EndpointRow::as_returning())
        .get_result(conn)
        .await
}

/// The fields a change sets (`None`: left as it is).
#[derive(Default, AsChangeset)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointChanges {
    pub name: Option<String>,
    pub url: Option<String>,
    pub secret: Option<String>,
    pub format: Option<String>,
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
    pub disabled_reason: Option<Option<String>>,
}

pub async fn update_endpoint(
    conn: &mut Conn,
    id: Uuid,
    changes: EndpointChanges,
) -> QueryResult<EndpointRow> {
    diesel::update(webhook_endpoints::table.find(id))
        .set((
            changes,
            webhook_endpoints::updated_at.eq(diesel::dsl::now),
            webhook_endpoints::version.eq(webhook_endpoints::version + 1),
        ))
        .returning(EndpointRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete_endpoint(conn: &mut Conn, id: Uuid) -> QueryResult<bool> {
    diesel::delete(webhook_endpoints::table.find(id))
        .execute(conn)
        .await
        .map(|n| n > 0)
}

/// A delivery of `event` for every active endpoint that subscribed to it (once per
/// endpoint and `dedupe_key`, when one is given); how many were written.
pub async fn enqueue(
    conn: &mut Conn,
    event: &str,
    payload: &Value,
    dedupe_key: Option<&str>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO webhook_deliveries (endpoint_id, event, payload, dedupe_key) \
         SELECT id, $1, $2, $3 FROM webhook_endpoints WHERE active AND $1 = ANY(events) \
         ON CONFLICT DO NOTHING",
    )
    .bind::<Text, _>(event)
    .bind::<Jsonb, _>(payload)
    .bind::<diesel::sql_types::Nullable<Text>, _>(dedupe_key)
    .execute(conn)
    .await
}

/// One delivery for one endpoint (the test event).
pub async fn enqueue_for(
    conn: &mut Conn,
    endpoint_id: Uuid,
    event: &str,
    payload: &Value,
) -> QueryResult<DeliveryView> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::endpoint_id.eq(endpoint_id),
            webhook_deliveries::event.eq(event),
            webhook_deliveries::payload.eq(payload),
        ))
        .returning(DeliveryView::as_returning())
        .get_result(conn)
        .await
}

/// A delivery as the log shows it.
#[derive(Clone, Debug, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
#[schema(as = WebhookDelivery)]
pub struct DeliveryView {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    pub event: String,
    /// What was (or will be) sent, in the Standard Webhooks form.
    pub payload: Value,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's HTTP status the last time (none: no answer).
    pub last_status: Option<i16>,
    pub last_duration_ms: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
}

pub async fn list_deliveries(
    conn: &mut Conn,
    endpoint_id: Uuid,
    before: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<DeliveryView>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .select(DeliveryView::as_select())
        .into_boxed();
    if let Some(c) = before {
        query = query.filter(
            webhook_deliveries::created_at
                .lt(c.at)
                .or(webhook_deliveries::created_at
                    .eq(c.at)
                    .and(webhook_deliveries::id.lt(c.id))),
        );
    }
    query
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .limit(limit + 1)
        .load(conn)
        .await
}

pub async fn find_delivery(
    conn: &mut Conn,
    endpoint_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<DeliveryView>> {
    webhook_deliveries::table
        .find(id)
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .select(DeliveryView::as_select())
        .first(conn)
        .await
        .optional()
}

/// Starts a failed delivery's attempts over; `None` when it is not failed.
pub async fn retry_delivery(
    conn: &mut Conn,
    endpoint_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<DeliveryView>> {
    diesel::update(
        webhook_deliveries::table
            .find(id)
            .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
            .filter(webhook_deliveries::failed_at.is_not_null()),
    )
    .set((
        webhook_deliveries::failed_at.eq(None::<DateTime<Utc>>),
        webhook_deliveries::attempts.eq(0),
        webhook_deliveries::next_attempt_at.eq(diesel::dsl::now),
    ))
    .returning(DeliveryView::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Deliveries of one endpoint not yet delivered nor given up.
pub async fn pending_count(conn: &mut Conn, endpoint_id: Uuid) -> QueryResult<i64> {
    webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::failed_at.is_null())
        .count()
        .get_result(conn)
        .await
}

/// Pending deliveries per endpoint (the list shows the counts).
pub async fn pending_counts(conn: &mut Conn) -> QueryResult<Vec<(Uuid, i64)>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::failed_at.is_null())
        .group_by(webhook_deliveries::endpoint_id)
        .select((webhook_deliveries::endpoint_id, diesel::dsl::count_star()))
        .load(conn)
        .await
}

#[derive(QueryableByName)]
struct DueEndpoint {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

/// Active endpoints whose oldest pending delivery is due.
pub async fn due_endpoints(conn: &mut Conn, limit: i64) -> QueryResult<Vec<Uuid>> {
    let rows: Vec<DueEndpoint> = diesel::sql_query(
        "SELECT e.id FROM webhook_endpoints e \
         JOIN LATERAL (SELECT d.next_attempt_at FROM webhook_deliveries d \
                       WHERE d.endpoint_id = e.id AND d.delivered_at IS NULL AND d.failed_at IS NULL \
                       ORDER BY d.seq LIMIT 1) head ON true \
         WHERE e.active AND head.next_attempt_at <= now() \
         ORDER BY head.next_attempt_at LIMIT $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The endpoint, locked for sending; `None` when another sender holds it or it is
/// no longer active.
pub async fn lock_active_endpoint(conn: &mut Conn, id: Uuid) -> QueryResult<Option<EndpointRow>> {
    webhook_endpoints::table
        .find(id)
        .filter(webhook_endpoints::active)
        .select(EndpointRow::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()
}

/// The endpoint's oldest pending delivery.
pub async fn head(conn: &mut Conn, endpoint_id: Uuid) -> QueryResult<Option<DeliveryView>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::failed_at.is_null())
        .order(webhook_deliveries::seq.asc())
        .select(DeliveryView::as_select())
        .first(conn)
        .await
        .optional()
}

/// What one attempt came to.
pub struct Attempt<'a> {
    pub attempts: i32,
    pub status: Option<i16>,
    pub duration_ms: i32,
    pub error: Option<&'a str>,
    /// Delivered now, or else the next attempt's time (`None`: given up).
    pub delivered: bool,
    pub next: Option<DateTime<Utc>>,
}

pub async fn record_attempt(conn: &mut Conn, id: Uuid, a: Attempt<'_>) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::attempts.eq(a.attempts),
            webhook_deliveries::last_attempt_at.eq(now),
            webhook_deliveries::last_status.eq(a.status),
            webhook_deliveries::last_duration_ms.eq(a.duration_ms),
            webhook_deliveries::last_error.eq(a.error),
            webhook_deliveries::delivered_at.eq(a.delivered.then_some(now)),
            webhook_deliveries::next_attempt_at.eq(a.next.unwrap_or(now)),
            webhook_deliveries::failed_at.eq((!a.delivered && a.next.is_none()).then_some(now)),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Gives up every pending delivery of an endpoint, saying why.
pub async fn fail_pending(conn: &mut Conn, endpoint_id: Uuid, reason: &str) -> QueryResult<usize> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
            .filter(webhook_deliveries::delivered_at.is_null())
            .filter(webhook_deliveries::failed_at.is_null()),
    )
    .set((
        webhook_deliveries::failed_at.eq(diesel::dsl::now),
        webhook_deliveries::last_error.eq(reason),
    ))
    .execute(conn)
    .await
}
