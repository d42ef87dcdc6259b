//! Editors email reviewers: a message goes to the outbox, rate-limited per editor,
//! and shows in the claim's history when it is about a claim.

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{App, AppError, AppResult};
use crate::db::{self, audit::Event};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::{FieldError, required_line, required_text};
use crate::email::{self, Email};

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

/// Emails chosen users (editors; limited per editor per hour).
pub async fn send(app: &App, actor: &Actor, body: MessageRequest) -> AppResult<MessageSent> {
    policy::may_message_reviewers(actor)?;
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
    crate::app::error::all_valid(errors)?;
    let mut conn = app.db().await?;
    let sent = db::audit::messages_sent_since(
        &mut conn,
        actor.id,
        Utc::now() - chrono::Duration::hours(1),
    )
    .await?;
    if sent >= app.settings.email.messages_per_hour {
        return Err(AppError::TooManyRequests {
            retry_after_secs: 3600,
        });
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let recipients = db::users::active_among(conn, &body.user_ids).await?;
        let missing: Vec<FieldError> = body
            .user_ids
            .iter()
            .enumerate()
            .filter(|(_, id)| !recipients.iter().any(|r| r.id == **id))
            .map(|(i, _)| FieldError::new(format!("user_ids[{i}]"), "is not an active user"))
            .collect();
        crate::app::error::all_valid(missing)?;
        let claim = match body.claim_id {
            Some(id) => Some(
                db::claims::find(conn, id, false)
                    .await?
                    .ok_or_else(|| AppError::validation("claim_id", "is not a claim"))?,
            ),
            None => None,
        };
        let sender = db::users::find(conn, actor.id, false)
            .await?
            .ok_or_else(|| AppError::not_found("user"))?;
        let editor = sender.display_name.clone();
        let newsroom = db::settings::newsroom_name(conn).await?;
        let message_id = Uuid::new_v4();
        for r in &recipients {
            email::enqueue(
                conn,
                // A reply goes to the editor who wrote, not to the desk's sending address.
                Email { reply_to: Some(sender.email.clone()), recipient: &r.email, cc: vec![], kind: "message", dedupe_key: None },
                json!({"display_name": r.display_name, "newsroom": newsroom, "editor": editor, "subject": subject, "body": text,
                       "statement": claim.as_ref().map(|c| c.statement.clone()),
                       "link": claim.as_ref().map(|c| app.link(&format!("/claims/{}", c.id)))}),
            )
            .await?;
        }
        let after = json!({"subject": subject, "body": text, "recipients": recipients.iter().map(|r| r.id).collect::<Vec<_>>()});
        let event = match &claim {
            Some(c) => Event::of_claim(c.id, "message", message_id, "send"),
            None => Event::new("message", message_id, "send"),
        };
        db::audit::record(conn, event.by(actor.id).after(after)).await?;
        Ok(MessageSent { id: message_id, recipients: recipients.len() })
    })
    .await
}
