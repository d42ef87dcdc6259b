//! Webhooks: admins register endpoints (a URL, a signing secret, the events, the
//! body's format); the use cases that cause an event call [`announce`] inside their
//! transaction, which writes a delivery row per subscribed endpoint; the sender
//! (`jobs::webhooks`) posts them, signed, and calls [`receiver_gone`] when a receiver
//! answers 410. The delivery log, a manual retry and a test event complete it.

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::notifications::{self, About};
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::webhooks::{DeliveryView, EndpointChanges, EndpointRow, NewEndpoint};
use crate::db::{self, Conn, audit::Event};
use crate::domain::notifications::{Kind, by_email};
use crate::domain::page::{Cursor, Page, PageRequest};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::FieldError;
use crate::domain::webhooks::{self as rules, EventKind, Format};
use crate::email::{self, Email};

/// An endpoint as admins see it: never its secret, only the secret's first characters.
#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub format: Format,
    pub events: Vec<EventKind>,
    pub active: bool,
    /// Why Factdesk turned it off (the receiver answered 410 Gone).
    pub disabled_reason: Option<String>,
    /// `whsec_` and the first characters of the secret, to tell secrets apart.
    pub secret_hint: String,
    /// Deliveries not yet delivered nor given up.
    pub pending: i64,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    pub version: i32,
}

impl WebhookView {
    fn of(row: EndpointRow, pending: i64) -> Self {
        Self {
            id: row.id,
            secret_hint: rules::secret_hint(&row.secret),
            format: Format::parse(&row.format).unwrap_or(Format::Standard),
            events: row
                .events
                .iter()
                .filter_map(|e| EventKind::parse(e))
                .collect(),
            name: row.name,
            url: row.url,
            active: row.active,
            disabled_reason: row.disabled_reason,
            pending,
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
        }
    }

    /// What the audit log keeps of it (no secret).
    fn audit(&self) -> Value {
        json!({"name": self.name, "url": self.url, "format": self.format, "events": self.events,
               "active": self.active, "secret_hint": self.secret_hint})
    }
}

/// A new endpoint, with its secret shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedWebhook {
    pub webhook: WebhookView,
    /// The signing secret. Keep it in the receiver; Factdesk shows it only now.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    #[schema(
        max_length = 100,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub name: String,
    /// Where to POST; a private, loopback or link-local address only if
    /// `FACTDESK_OUTBOUND_ALLOW` names it.
    #[schema(
        max_length = 2000,
        pattern = "^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?$"
    )]
    pub url: String,
    /// A Standard Webhooks secret (`whsec_` and 24 to 64 bytes in base64); left out,
    /// Factdesk makes one.
    #[schema(pattern = "^whsec_[A-Za-z0-9+/]{32,86}={0,2}$")]
    pub secret: Option<String>,
    /// `standard` (default) or `slack`.
    pub format: Option<Format>,
    #[schema(min_items = 1)]
    pub events: Vec<EventKind>,
    /// Default true.
    pub active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookChanges {
    #[schema(
        max_length = 100,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub name: Option<String>,
    #[schema(
        max_length = 2000,
        pattern = "^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?$"
    )]
    pub url: Option<String>,
    /// A new secret (the old one stops signing at once).
    #[schema(pattern = "^whsec_[A-Za-z0-9+/]{32,86}={0,2}$")]
    pub secret: Option<String>,
    pub format: Option<Format>,
    #[schema(min_items = 1)]
    pub events: Option<Vec<EventKind>>,
    /// Turning an endpoint on again clears why it was turned off.
    pub active: Option<bool>,
    /// The version being changed, if not sent as `If-Match`.
    pub version: Option<i32>,
}

fn check_url(app: &App, errors: &mut Vec<FieldError>, raw: &str) -> Option<String> {
    let url = rules::check_url(raw).map_err(|e| errors.push(e)).ok()?;
    let parsed = url::Url::parse(&url).ok()?;
    match app.settings.outbound.allow.check_url(&parsed) {
        Ok(()) => Some(url),
        Err(refusal) => {
            errors.push(FieldError::new("url", refusal.to_string()));
            None
        }
    }
}

fn check_secret(errors: &mut Vec<FieldError>, raw: &str) -> Option<String> {
    let secret = raw.trim();
    match rules::secret_key(secret) {
        Ok(_) => Some(secret.to_string()),
        Err(why) => {
            errors.push(FieldError::new("secret", why));
            None
        }
    }
}

fn event_names(kinds: &[EventKind]) -> Vec<String> {
    kinds.iter().map(|k| k.as_str().to_string()).collect()
}

async fn view(conn: &mut Conn, row: EndpointRow) -> AppResult<WebhookView> {
    let pending = db::webhooks::pending_count(conn, row.id).await?;
    Ok(WebhookView::of(row, pending))
}

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<WebhookView>> {
    policy::may_manage_webhooks(actor)?;
    let mut conn = app.db().await?;
    let pending = db::webhooks::pending_counts(&mut conn).await?;
    Ok(db::webhooks::list_endpoints(&mut conn)
        .await?
        .into_iter()
        .map(|row| {
            let n = pending
                .iter()
                .find(|(id, _)| *id == row.id)
                .map_or(0, |(_, n)| *n);
            WebhookView::of(row, n)
        })
        .collect())
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> AppResult<WebhookView> {
    policy::may_manage_webhooks(actor)?;
    let mut conn = app.db().await?;
    let row = db::webhooks::find_endpoint(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("webhook"))?;
    view(&mut conn, row).await
}

pub async fn create(app: &App, actor: &Actor, body: NewWebhook) -> AppResult<CreatedWebhook> {
    policy::may_manage_webhooks(actor)?;
    let mut errors = Vec::new();
    let name = rules::check_name(&body.name)
        .map_err(|e| errors.push(e))
        .ok();
    let url = check_url(app, &mut errors, &body.url);
    let secret = match &body.secret {
        Some(s) => check_secret(&mut errors, s),
        None => Some(rules::generate_secret()),
    };
    let events = rules::check_events(&body.events)
        .map_err(|e| errors.push(e))
        .ok();
    crate::app::error::all_valid(errors)?;
    let (Some(name), Some(url), Some(secret), Some(events)) = (name, url, secret, events) else {
        unreachable!("every field was checked");
    };
    let format = body.format.unwrap_or(Format::Standard);
    let mut conn = app.db().await?;
    let webhook = conn
        .transaction::<_, AppError, _>(async |conn| {
            let row = db::webhooks::insert_endpoint(
                conn,
                NewEndpoint {
                    name: &name,
                    url: &url,
                    secret: &secret,
                    format: format.as_str(),
                    events: &event_names(&events),
                    active: body.active.unwrap_or(true),
                    created_by: actor.id,
                },
            )
            .await?;
            let webhook = WebhookView::of(row, 0);
            db::audit::record(
                conn,
                Event::new("webhook", webhook.id, "create")
                    .by(actor.id)
                    .after(webhook.audit()),
            )
            .await?;
            Ok(webhook)
        })
        .await?;
    Ok(CreatedWebhook { webhook, secret })
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    body: WebhookChanges,
) -> AppResult<WebhookView> {
    policy::may_manage_webhooks(actor)?;
    let mut errors = Vec::new();
    let mut changes = EndpointChanges::default();
    if let Some(name) = &body.name {
        changes.name = rules::check_name(name).map_err(|e| errors.push(e)).ok();
    }
    if let Some(url) = &body.url {
        changes.url = check_url(app, &mut errors, url);
    }
    if let Some(secret) = &body.secret {
        changes.secret = check_secret(&mut errors, secret);
    }
    if let Some(events) = &body.events {
        changes.events = rules::check_events(events)
            .map_err(|e| errors.push(e))
            .ok()
            .map(|k| event_names(&k));
    }
    changes.format = body.format.map(|f| f.as_str().to_string());
    changes.active = body.active;
    if body.active == Some(true) {
        changes.disabled_reason = Some(None);
    }
    crate::app::error::all_valid(errors)?;
    let version = version.ok_or(AppError::PreconditionRequired)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = db::webhooks::find_endpoint_for_update(conn, id)
            .await?
            .ok_or_else(|| AppError::not_found("webhook"))?;
        check_version(
            conn,
            Some(version),
            before.version,
            Some(("webhook", id)),
            async |conn| view(conn, before.clone()).await,
        )
        .await?;
        let rotated = changes.secret.is_some();
        let before_audit = WebhookView::of(before, 0).audit();
        let after = db::webhooks::update_endpoint(conn, id, changes).await?;
        let after = view(conn, after).await?;
        let mut after_audit = after.audit();
        after_audit["secret_rotated"] = json!(rotated);
        db::audit::record(
            conn,
            Event::new("webhook", id, "update")
                .by(actor.id)
                .before(before_audit)
                .after(after_audit),
        )
        .await?;
        Ok(after)
    })
    .await
}

pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> AppResult<()> {
    policy::may_manage_webhooks(actor)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = db::webhooks::find_endpoint_for_update(conn, id)
            .await?
            .ok_or_else(|| AppError::not_found("webhook"))?;
        db::webhooks::delete_endpoint(conn, id).await?;
        db::audit::record(
            conn,
            Event::new("webhook", id, "delete")
                .by(actor.id)
                .before(WebhookView::of(before, 0).audit()),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Queues a `webhook.test` event for one endpoint (subscribed to it or not, active or
/// not: an inactive endpoint keeps it until it is turned on).
pub async fn send_test(app: &App, actor: &Actor, id: Uuid) -> AppResult<DeliveryView> {
    policy::may_manage_webhooks(actor)?;
    let mut conn = app.db().await?;
    let path = "/webhooks";
    conn.transaction::<_, AppError, _>(async |conn| {
        let endpoint = db::webhooks::find_endpoint(conn, id)
            .await?
            .ok_or_else(|| AppError::not_found("webhook"))?;
        let actor_name = db::users::find(conn, actor.id, false)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        let payload = rules::payload(
            EventKind::Test,
            Utc::now(),
            json!({"webhook": {"id": endpoint.id, "name": endpoint.name}, "actor": {"id": actor.id, "name": actor_name}}),
            &format!("A test event from Factdesk for “{}”, sent by {actor_name}", endpoint.name),
            &app.link(path),
        );
        let delivery =
            db::webhooks::enqueue_for(conn, id, EventKind::Test.as_str(), &payload).await?;
        db::audit::record(
            conn,
            Event::new("webhook", id, "test")
                .by(actor.id)
                .after(json!({"delivery_id": delivery.id})),
        )
        .await?;
        Ok(delivery)
    })
    .await
}

/// An endpoint's deliveries, newest first.
pub async fn deliveries(
    app: &App,
    actor: &Actor,
    id: Uuid,
    page: PageRequest<'_>,
) -> AppResult<Page<DeliveryView>> {
    policy::may_manage_webhooks(actor)?;
    let limit = page.limit()?;
    let before = page.cursor()?;
    let mut conn = app.db().await?;
    if db::webhooks::find_endpoint(&mut conn, id).await?.is_none() {
        return Err(AppError::not_found("webhook"));
    }
    let rows = db::webhooks::list_deliveries(&mut conn, id, before, limit).await?;
    Ok(Page::from_rows(
        rows,
        limit,
        |r| Cursor::new(r.created_at, r.id),
        |r| r,
    ))
}

/// Sends a given-up delivery again: its attempts start over.
pub async fn retry(
    app: &App,
    actor: &Actor,
    id: Uuid,
    delivery_id: Uuid,
) -> AppResult<DeliveryView> {
    policy::may_manage_webhooks(actor)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        match db::webhooks::retry_delivery(conn, id, delivery_id).await? {
            Some(delivery) => {
                db::audit::record(
                    conn,
                    Event::new("webhook", id, "retry")
                        .by(actor.id)
                        .after(json!({"delivery_id": delivery_id, "event": delivery.event})),
                )
                .await?;
                Ok(delivery)
            }
            None if db::webhooks::find_delivery(conn, id, delivery_id)
                .await?
                .is_some() =>
            {
                Err(AppError::conflict(
                    "Only a delivery that was given up can be retried.",
                ))
            }
            None => Err(AppError::not_found("delivery")),
        }
    })
    .await
}

/// Something that happened, for the endpoints subscribed to its kind.
pub struct Happened {
    pub kind: EventKind,
    /// One line a person reads ("Rita Koval submitted “…”").
    pub summary: String,
    /// The app path it leads to (`/claims/…`) or a full URL (a public page).
    pub link: String,
    pub data: Value,
    /// Scheduled events: the key that makes a second announcement a no-op.
    pub dedupe_key: Option<String>,
}

/// Writes a delivery of the event for every active endpoint subscribed to it. Call it
/// inside the transaction of the change: a rolled-back change sends nothing.
pub async fn announce(conn: &mut Conn, public_base: &str, happened: Happened) -> AppResult<()> {
    let url = if happened.link.starts_with('/') {
        format!("{public_base}{}", happened.link)
    } else {
        happened.link
    };
    let payload = rules::payload(
        happened.kind,
        Utc::now(),
        happened.data,
        &happened.summary,
        &url,
    );
    db::webhooks::enqueue(
        conn,
        happened.kind.as_str(),
        &payload,
        happened.dedupe_key.as_deref(),
    )
    .await?;
    Ok(())
}

/// The receiver answered 410 Gone: the endpoint is turned off, its waiting
/// deliveries given up, and the admins told (in the app and, if they chose, by email).
pub async fn receiver_gone(
    conn: &mut Conn,
    public_base: &str,
    endpoint: &EndpointRow,
) -> AppResult<()> {
    let reason = format!(
        "The receiver answered 410 Gone at {}.",
        Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    db::webhooks::update_endpoint(
        conn,
        endpoint.id,
        EndpointChanges {
            active: Some(false),
            disabled_reason: Some(Some(reason.clone())),
            ..EndpointChanges::default()
        },
    )
    .await?;
    let failed = db::webhooks::fail_pending(
        conn,
        endpoint.id,
        "The endpoint was turned off: its receiver answered 410 Gone.",
    )
    .await?;
    db::audit::record(
        conn,
        Event::new("webhook", endpoint.id, "disable")
            .after(json!({"reason": reason, "failed_deliveries": failed})),
    )
    .await?;
    let admins = db::notifications::admins(conn).await?;
    notifications::tell(
        conn,
        &admins,
        &About {
            kind: Kind::WebhookDisabled,
            actor: None,
            claim_id: None,
            error_report_id: None,
            subject: &endpoint.name,
            link: "/webhooks",
            dedupe: None,
        },
    )
    .await?;
    let link = format!("{public_base}/webhooks");
    for admin in admins
        .iter()
        .filter(|a| by_email(&a.notify, Kind::WebhookDisabled))
    {
        email::enqueue(
            conn,
            Email {
                recipient: &admin.email,
                cc: vec![],
                reply_to: None,
                kind: "webhook_disabled",
                dedupe_key: None,
            },
            json!({"display_name": admin.display_name, "name": endpoint.name, "url": endpoint.url,
                   "failed": failed, "link": link}),
        )
        .await?;
    }
    Ok(())
}
