//! Editors email reviewers: a message goes to the outbox, rate-limited per editor, and
//! shows in the claim's history when it is about a claim.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::policy::MessageReviewers;
use crate::auth::session::Permitted;
use crate::email::{self, Email};
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::Json;
use crate::models::audit;
use crate::models::user::User;
use crate::routes::common::{required_line, required_text};
use crate::routes::resource;
use crate::routes::users::newsroom_name;
use crate::schema::{audit_events, claims, users};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/messages", POST => send_message);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    /// Active users to write to.
    #[schema(min_items = 1, max_items = 200)]
    pub user_ids: Vec<Uuid>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub subject: String,
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub body: String,
    /// The claim the message is about, if any: it then shows in the claim's history.
    pub claim_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageSent {
    pub id: Uuid,
    pub recipients: usize,
}

/// Email chosen reviewers (editors; limited per editor per hour).
#[utoipa::path(post, path = "/api/v1/messages", tag = "messages", request_body = MessageRequest,
    responses((status = 202, body = MessageSent), (status = 403),
              (status = 422),
              (status = 429, description = "FACTDESK_MESSAGE_LIMIT_PER_HOUR (default 20) reached")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn send_message(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<MessageReviewers>,
    Json(body): Json<MessageRequest>,
) -> AppResult<HttpResponse> {
    let mut errors = Vec::new();
    let subject = required_line("subject", &body.subject, 200)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let text = required_text("body", &body.body, 10_000)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if body.user_ids.is_empty() || body.user_ids.len() > 200 {
        errors.push(FieldError::new("user_ids", "name 1 to 200 recipients"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut conn = state.db().await?;
    let sent: i64 = audit_events::table
        .filter(audit_events::actor_id.eq(user.id))
        .filter(audit_events::entity.eq("message"))
        .filter(audit_events::at.gt(Utc::now() - chrono::Duration::hours(1)))
        .count()
        .get_result(&mut conn)
        .await?;
    if sent >= state.settings.email.messages_per_hour {
        return Err(AppError::TooManyRequests {
            retry_after_secs: 3600,
        });
    }
    let result = conn
        .transaction::<_, AppError, _>(async |conn| {
            let recipients: Vec<User> = users::table
                .filter(users::id.eq_any(&body.user_ids))
                .filter(users::active.eq(true))
                .select(User::as_select())
                .load(conn)
                .await?;
            let missing: Vec<FieldError> = body
                .user_ids
                .iter()
                .enumerate()
                .filter(|(_, id)| !recipients.iter().any(|r| r.id == **id))
                .map(|(i, _)| FieldError::new(format!("user_ids[{i}]"), "is not an active user"))
                .collect();
            if !missing.is_empty() {
                return Err(AppError::Validation(missing));
            }
            let claim = match body.claim_id {
                Some(id) => Some(
                    claims::table.find(id).select((claims::id, claims::statement)).first::<(Uuid, String)>(conn).await.optional()?
                        .ok_or_else(|| AppError::validation("claim_id", "is not a claim"))?,
                ),
                None => None,
            };
            let editor: String = users::table.find(user.id).select(users::display_name).first(conn).await?;
            let newsroom = newsroom_name(conn).await?;
            let message_id = Uuid::new_v4();
            for r in &recipients {
                email::enqueue(
                    conn,
                    Email { recipient: &r.email, cc: vec![], kind: "message", dedupe_key: None },
                    json!({"display_name": r.display_name, "newsroom": newsroom, "editor": editor, "subject": subject, "body": text,
                           "statement": claim.as_ref().map(|c| c.1.clone()),
                           "link": claim.as_ref().map(|c| format!("{}/claims/{}", state.settings.public_base(), c.0))}),
                )
                .await?;
            }
            let after = json!({"subject": subject, "body": text, "recipients": recipients.iter().map(|r| r.id).collect::<Vec<_>>()});
            match &claim {
                Some((claim_id, _)) => audit::record_for_claim(conn, Some(user.id), *claim_id, "message", message_id, "send", None, Some(after)).await?,
                None => audit::record(conn, Some(user.id), "message", message_id, "send", None, Some(after)).await?,
            }
            Ok(MessageSent { id: message_id, recipients: recipients.len() })
        })
        .await?;
    Ok(HttpResponse::Accepted().json(result))
}
