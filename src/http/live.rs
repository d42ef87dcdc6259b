//! The live desk over HTTP: the signed-in user's event stream (Server-Sent Events) and
//! presence on a claim's page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

use crate::app::live::{self, PresenceRequest};
use crate::app::{App, AppError, AppResult};
use crate::http::extract::Json;
use crate::http::resource;
use crate::http::session::{CurrentUser, bearer_or_cookie};

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/events", GET => events);
    resource!(cfg, "/claims/{id}/presence", POST => presence);
}

/// The signed-in user's live events, as Server-Sent Events (`text/event-stream`).
///
/// Frames: `ready` first (`{"last_event_id": …}`); then `change` and `presence`
/// events, each a `LiveEventView` with its `id:`; `reset` when some events could not
/// be delivered (refetch everything shown); `end` when the session ended; and a
/// `: heartbeat` comment every 15 s. A reviewer receives only events of the claims
/// assigned to them and of those claims' articles. Send `Last-Event-ID` (browsers do
/// on reconnecting) to resume: events of the last ten minutes are replayed.
#[utoipa::path(get, path = "/api/v1/events", tag = "live",
    params(("Last-Event-ID" = Option<i64>, Header, description = "The last event id received, to resume after it")),
    responses((status = 200, content_type = "text/event-stream", body = live::LiveEventView,
        description = "A stream of events; each `data:` is one LiveEventView")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn events(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let last_event_id = match req.headers().get("last-event-id") {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|id| *id >= 0)
                .ok_or_else(|| {
                    AppError::bad_request("Last-Event-ID", "must be the id of an event received")
                })?,
        ),
    };
    let (token, _) = bearer_or_cookie(&req).ok_or_else(crate::app::auth::sessions::unauthorized)?;
    let frames = live::open_stream(app.into_inner(), token, user.actor(), last_event_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache, no-store"))
        // Proxies such as nginx must pass each frame on at once.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(ReceiverStream::new(frames).map(Ok::<_, actix_web::Error>)))
}

/// Say what you are doing on a claim's page (`viewing`, `editing` a form, or `left`):
/// the others who may see the claim receive it as a `presence` event, which lapses by
/// itself after 45 s unless renewed.
#[utoipa::path(post, path = "/api/v1/claims/{id}/presence", tag = "live", request_body = PresenceRequest,
    params(("id" = Uuid, Path)),
    responses((status = 204)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn presence(
    app: web::Data<App>,
    user: CurrentUser,
    path: web::Path<Uuid>,
    Json(body): Json<PresenceRequest>,
) -> AppResult<HttpResponse> {
    live::announce_presence(&app, &user.actor(), path.into_inner(), body).await?;
    Ok(HttpResponse::NoContent().finish())
}
