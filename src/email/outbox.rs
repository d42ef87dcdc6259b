use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::email::templates::render;
use crate::schema::email_outbox;

/// One email to enqueue.
pub struct Email<'a> {
    pub recipient: &'a str,
    pub cc: Vec<String>,
    pub kind: &'a str,
    /// Scheduled emails carry a key so each is enqueued once.
    pub dedupe_key: Option<String>,
}

/// Renders the `kind` templates with `context` and writes the outbox row; call it
/// inside the transaction of the change that causes the email. Returns the row id, or
/// `None` when an email with the same dedupe key exists already.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    email: Email<'_>,
    context: impl Serialize,
) -> anyhow::Result<Option<Uuid>> {
    let rendered = render(email.kind, context)?;
    let id = diesel::insert_into(email_outbox::table)
        .values((
            email_outbox::recipient.eq(email.recipient),
            email_outbox::cc.eq(&email.cc),
            email_outbox::subject.eq(&rendered.subject),
            email_outbox::text_body.eq(&rendered.text),
            email_outbox::html_body.eq(&rendered.html),
            email_outbox::kind.eq(email.kind),
            email_outbox::dedupe_key.eq(&email.dedupe_key),
        ))
        .on_conflict(email_outbox::dedupe_key)
        .do_nothing()
        .returning(email_outbox::id)
        .get_result(conn)
        .await
        .optional()?;
    Ok(id)
}
