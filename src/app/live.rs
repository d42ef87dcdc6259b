//! The live desk: every instance LISTENs for the events committed by any instance
//! (`db::live`), fans each out to its own open event streams, and each stream passes on
//! what the policy lets its user receive (`domain::live::may_receive`). Nothing another
//! instance needs is held here: the events are rows, and a stream that lost its
//! connection resumes from the table with `Last-Event-ID`, on any instance.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::{broadcast, mpsc};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::auth::sessions;
use crate::app::transitions::find_visible;
use crate::app::{App, AppResult};
use crate::db::live::{Listener, LiveEventRow, NewLiveEvent};
use crate::db::{self, DbPool};
use crate::domain::live::{self as rules, Activity, Audience, Field, Reach};
use crate::domain::policy::Actor;

/// Events an instance buffers for its slowest stream before that stream is told to
/// start afresh (`reset`) rather than being dropped.
const FAN_OUT_BUFFER: usize = 4096;
/// Frames waiting for one client's socket.
const STREAM_BUFFER: usize = 256;
/// Ids a stream remembers having sent, so a replay and the live feed never repeat one.
const REMEMBERED: usize = 1024;
/// How long the listener waits for a notification before it checks its connection.
const LISTENER_IDLE: Duration = Duration::from_secs(30);

/// An event as a client receives it: what changed, never its content.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct LiveEventView {
    /// Also the SSE `id:`; send the last one seen as `Last-Event-ID` to resume.
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `claim`, `assignment`, `verdict`, `source`, `comment`, `article`,
    /// `publication`, `error_report`, `message`, `email`, `user`, `settings`,
    /// `rating_scale`, or `presence`.
    pub entity: String,
    pub entity_id: Uuid,
    /// What happened (`create`, `update`, `submit`, `approve`, …; for presence
    /// `viewing`, `editing`, `left`).
    pub action: String,
    /// The claim's version after the change (the article's, for an article's events).
    pub version: Option<i32>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub claim_id: Option<Uuid>,
    pub article_id: Option<Uuid>,
    /// Presence only: `{"field": "verdict", "expires_at": "…"}`.
    pub detail: Option<serde_json::Value>,
}

/// One event as this instance fans it out: who may receive it, and its SSE frame,
/// written once for all streams.
pub struct LiveEvent {
    pub id: i64,
    audience: Audience,
    reviewer_ids: Vec<Uuid>,
    user_id: Option<Uuid>,
    /// The user whose account it is about, when it is about one.
    about_user: Option<Uuid>,
    frame: Bytes,
}

impl LiveEvent {
    fn from_row(row: LiveEventRow) -> Self {
        let audience = Audience::parse(&row.audience).unwrap_or(Audience::Admins);
        let kind = if row.entity == "presence" {
            "presence"
        } else {
            "change"
        };
        let about_user = (row.entity == "user").then_some(row.entity_id);
        let view = LiveEventView {
            id: row.id,
            at: row.at,
            entity: row.entity,
            entity_id: row.entity_id,
            action: row.action,
            version: row.version,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            claim_id: row.claim_id,
            article_id: row.article_id,
            detail: row.detail,
        };
        let data = serde_json::to_string(&view).unwrap_or_else(|_| "{}".into());
        Self {
            id: row.id,
            audience,
            reviewer_ids: row.reviewer_ids,
            user_id: row.user_id,
            about_user,
            frame: Bytes::from(format!("id: {}\nevent: {kind}\ndata: {data}\n\n", row.id)),
        }
    }

    fn for_actor(&self, actor: &Actor) -> bool {
        rules::may_receive(actor, self.audience, &self.reviewer_ids, self.user_id)
    }
}

/// This instance's end of the live desk.
#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<Arc<LiveEvent>>,
    streams: Arc<AtomicUsize>,
    last_seen: Arc<AtomicI64>,
    /// Set when the process is told to stop: open streams end at once (their browsers
    /// reconnect, to another instance or to this one restarted), so the graceful
    /// shutdown does not wait for them.
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl LiveHub {
    /// Starts listening on `database_url` (a connection of its own, reconnecting with
    /// backoff; after a reconnection it replays from the table what it missed).
    pub fn start(database_url: &str, pool: DbPool) -> Self {
        let (tx, _) = broadcast::channel(FAN_OUT_BUFFER);
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let hub = Self {
            tx,
            streams: Arc::new(AtomicUsize::new(0)),
            last_seen: Arc::new(AtomicI64::new(-1)),
            stopping,
        };
        tokio::spawn(hub.clone().listen(database_url.to_string(), pool));
        tokio::spawn(async move {
            let Ok(mut term) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            else {
                return;
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            let _ = stop.send(true);
        });
        hub
    }

    /// The event streams open on this instance.
    pub fn open_streams(&self) -> usize {
        self.streams.load(Ordering::Relaxed)
    }

    fn publish(&self, row: LiveEventRow) {
        self.last_seen.fetch_max(row.id, Ordering::Relaxed);
        crate::metrics::METRICS.live_events.inc();
        // No receiver is no error: nobody here has a stream open.
        let _ = self.tx.send(Arc::new(LiveEvent::from_row(row)));
    }

    async fn listen(self, database_url: String, pool: DbPool) {
        let mut backoff = Duration::from_millis(200);
        loop {
            match Listener::connect(&database_url).await {
                Ok(mut listener) => {
                    backoff = Duration::from_millis(200);
                    // Whatever was committed while this instance was not listening.
                    let seen = self.last_seen.load(Ordering::Relaxed);
                    if seen >= 0 {
                        self.catch_up(&pool, seen).await;
                    } else if let Ok(mut conn) = pool.get().await
                        && let Ok(latest) = db::live::latest_id(&mut conn).await
                    {
                        self.last_seen.fetch_max(latest, Ordering::Relaxed);
                    }
                    if let Err(e) = self.pump(&mut listener).await {
                        tracing::warn!(error = %e, "live events: listening connection lost; reconnecting");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "live events: cannot LISTEN; retrying");
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(10));
        }
    }

    async fn pump(&self, listener: &mut Listener) -> anyhow::Result<()> {
        loop {
            match listener.next(LISTENER_IDLE).await? {
                Some(row) => self.publish(row),
                None => listener.ping().await?,
            }
        }
    }

    async fn catch_up(&self, pool: &DbPool, after: i64) {
        let Ok(mut conn) = pool.get().await else {
            return;
        };
        if let Ok((rows, _)) = db::live::since(&mut conn, after).await {
            for row in rows {
                self.publish(row);
            }
        }
    }
}

/// The frames of one event stream: a retry hint and `ready`, the events since
/// `last_event_id` (or `reset` when some are gone), then live events as they commit,
/// and a heartbeat comment every 15 s. The session is rechecked at each heartbeat (and
/// at once when the user's account changes): a logout, a deactivation or a role change
/// takes effect on the open stream too. The stream ends when the session does.
pub async fn open_stream(
    app: Arc<App>,
    token: String,
    actor: Actor,
    last_event_id: Option<i64>,
) -> AppResult<mpsc::Receiver<Bytes>> {
    // Subscribe first: nothing committed between the replay and the live feed is lost.
    let mut live = app.live.tx.subscribe();
    let (replay, gap, latest) = {
        let mut conn = app.db().await?;
        match last_event_id {
            Some(after) => {
                let (rows, gap) = db::live::since(&mut conn, after).await?;
                (rows, gap, after)
            }
            None => (Vec::new(), false, db::live::latest_id(&mut conn).await?),
        }
    };
    let (out, rx) = mpsc::channel::<Bytes>(STREAM_BUFFER);
    let streams = app.live.streams.clone();
    let mut stopping = app.live.stopping.clone();
    streams.fetch_add(1, Ordering::Relaxed);
    crate::metrics::METRICS.live_streams.inc();
    tokio::spawn(async move {
        let _open = OpenStream(streams);
        let mut stream = Stream {
            out,
            actor,
            sent: Remembered::default(),
        };
        let ready = json!({ "last_event_id": latest, "user_id": actor.id });
        let hello = format!("retry: 3000\nevent: ready\ndata: {ready}\n\n");
        if !stream.send(Bytes::from(hello)).await {
            return;
        }
        if gap && !stream.reset().await {
            return;
        }
        for row in replay {
            if !gap && !stream.pass(&LiveEvent::from_row(row)).await {
                return;
            }
        }
        let mut beat = tokio::time::interval(rules::HEARTBEAT);
        beat.tick().await;
        loop {
            tokio::select! {
                received = live.recv() => match received {
                    Ok(event) => {
                        if event.about_user == Some(stream.actor.id) && !stream.recheck(&app, &token).await {
                            return;
                        }
                        if !stream.pass(&event).await {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if !stream.reset().await {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = beat.tick() => {
                    if !stream.recheck(&app, &token).await
                        || !stream.send(Bytes::from_static(b": heartbeat\n\n")).await
                    {
                        return;
                    }
                }
                () = stream.out.closed() => return,
                true = async { stopping.wait_for(|stop| *stop).await.is_ok() } => return,
            }
        }
    });
    Ok(rx)
}

/// Counts a stream as open while it lives.
struct OpenStream(Arc<AtomicUsize>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
        crate::metrics::METRICS.live_streams.dec();
    }
}

struct Stream {
    out: mpsc::Sender<Bytes>,
    actor: Actor,
    sent: Remembered,
}

impl Stream {
    /// False once the client has gone.
    async fn send(&self, frame: Bytes) -> bool {
        self.out.send(frame).await.is_ok()
    }

    async fn pass(&mut self, event: &LiveEvent) -> bool {
        if !event.for_actor(&self.actor) || !self.sent.insert(event.id) {
            return true;
        }
        self.send(event.frame.clone()).await
    }

    /// Some events are lost to this stream: the client refetches what it shows.
    async fn reset(&self) -> bool {
        self.send(Bytes::from_static(b"event: reset\ndata: {}\n\n"))
            .await
    }

    /// False (after telling the client) when the session has ended.
    async fn recheck(&mut self, app: &App, token: &str) -> bool {
        match sessions::recheck(app, token).await {
            Ok(session) => {
                self.actor = session.actor();
                true
            }
            Err(crate::app::AppError::Unauthorized(_)) => {
                let _ = self
                    .send(Bytes::from_static(
                        b"event: end\ndata: {\"reason\": \"session\"}\n\n",
                    ))
                    .await;
                false
            }
            // The database is busy: keep the stream and try again at the next beat.
            Err(_) => true,
        }
    }
}

/// The last ids a stream sent, bounded.
#[derive(Default)]
struct Remembered {
    order: VecDeque<i64>,
    set: HashSet<i64>,
}

impl Remembered {
    fn insert(&mut self, id: i64) -> bool {
        if !self.set.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > REMEMBERED
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        true
    }
}

/// What someone says they are doing on a claim's page.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceRequest {
    pub activity: Activity,
    /// With `editing`: which form.
    pub field: Option<Field>,
}

/// Announces the caller's presence on a claim to everyone else who may see it; it
/// expires by itself after `PRESENCE_TTL` unless renewed. Not audited: it changes
/// nothing.
pub async fn announce_presence(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    body: PresenceRequest,
) -> AppResult<()> {
    let mut conn = app.db().await?;
    find_visible(&mut conn, actor, claim_id, false).await?;
    let expires_at = Utc::now()
        + chrono::Duration::from_std(rules::PRESENCE_TTL).unwrap_or(chrono::Duration::zero());
    let field = match body.activity {
        Activity::Editing => body.field,
        Activity::Viewing | Activity::Left => None,
    };
    let action = serde_json::to_value(body.activity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    db::live::emit(
        &mut conn,
        NewLiveEvent {
            entity: "presence",
            entity_id: claim_id,
            action: &action,
            actor_id: Some(actor.id),
            claim_id: Some(claim_id),
            article_id: None,
            reach: Reach::Claim,
            also_reviewers: Vec::new(),
            user_id: None,
            detail: Some(json!({ "field": field, "expires_at": expires_at })),
        },
    )
    .await?;
    Ok(())
}

/// Deletes events past the resume window (the scheduler calls it).
pub async fn prune(pool: &DbPool) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    Ok(db::live::prune(&mut conn, rules::RESUME_WINDOW).await?)
}
