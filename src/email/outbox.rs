use diesel::QueryResult;
use serde::Serialize;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::outbox::{self, NewEmail};
use crate::email::templates::render;

/// One email to enqueue.
pub struct Email<'a> {
    pub recipient: &'a str,
    pub cc: Vec<String>,
    /// Where replies go, when not to the desk's sending address.
    pub reply_to: Option<String>,
    pub kind: &'a str,
    /// Scheduled emails carry a key so each is enqueued once.
    pub dedupe_key: Option<String>,
}

/// Renders the `kind` templates with `context` and writes the outbox row; call it
/// inside the transaction of the change that causes the email. Returns the row id, or
/// `None` when an email with the same dedupe key exists already.
pub async fn enqueue(
    conn: &mut Conn,
    email: Email<'_>,
    context: impl Serialize,
) -> anyhow::Result<Option<Uuid>> {
    let rendered = render(email.kind, context)?;
    let id: QueryResult<Option<Uuid>> = outbox::insert(
        conn,
        NewEmail {
            recipient: email.recipient,
            cc: &email.cc,
            reply_to: email.reply_to.as_deref(),
            subject: &rendered.subject,
            text_body: &rendered.text,
            html_body: &rendered.html,
            kind: email.kind,
            dedupe_key: email.dedupe_key.as_deref(),
        },
    )
    .await;
    Ok(id?)
}
