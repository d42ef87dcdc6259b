//! The append-only audit log. One builder, passed by value: an event names what
//! changed (entity, id, action), who did it, the states before and after as JSON, and
//! the claim it belongs to (so the claim's history shows it). Hashes and tokens never
//! belong in it; the row types serialised here do not carry any.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{audit_events, users};
use crate::domain::live;

#[derive(Debug, Clone)]
pub struct Event {
    actor_id: Option<Uuid>,
    entity: String,
    entity_id: Uuid,
    action: String,
    before: Option<Value>,
    after: Option<Value>,
    claim_id: Option<Uuid>,
}

impl Event {
    pub fn new(entity: &str, entity_id: Uuid, action: &str) -> Self {
        Self {
            actor_id: None,
            entity: entity.to_string(),
            entity_id,
            action: action.to_string(),
            before: None,
            after: None,
            claim_id: None,
        }
    }

    /// Something of a claim's (the claim itself, a source, the verdict, an
    /// assignment, a comment, a message about it).
    pub fn of_claim(claim_id: Uuid, entity: &str, entity_id: Uuid, action: &str) -> Self {
        Self {
            claim_id: Some(claim_id),
            ..Self::new(entity, entity_id, action)
        }
    }

    pub fn by(mut self, actor: impl Into<Option<Uuid>>) -> Self {
        self.actor_id = actor.into();
        self
    }

    pub fn before(mut self, state: impl Serialize) -> Self {
        self.before = serde_json::to_value(state).ok();
        self
    }

    pub fn after(mut self, state: impl Serialize) -> Self {
        self.after = serde_json::to_value(state).ok();
        self
    }
}

/// Writes one audit event; call it inside the transaction of the change it records.
/// A change someone's screen shows is also a live event (`domain::live::reach_of`),
/// written here in the same transaction, so every use case that audits a change
/// announces it and a rolled-back change announces nothing.
pub async fn record(conn: &mut Conn, event: Event) -> QueryResult<()> {
    if let Some(reach) = live::reach_of(&event.entity, &event.action) {
        let uuid_in = |key: &str| {
            [&event.after, &event.before]
                .into_iter()
                .flatten()
                .find_map(|v| v.get(key)?.as_str()?.parse::<Uuid>().ok())
        };
        let article_id = if event.entity == "article" {
            Some(event.entity_id)
        } else {
            uuid_in("article_id")
        };
        let also_reviewers = match event.entity.as_str() {
            "assignment" => uuid_in("reviewer_id").into_iter().collect(),
            _ => Vec::new(),
        };
        crate::db::live::emit(
            conn,
            crate::db::live::NewLiveEvent {
                entity: &event.entity,
                entity_id: event.entity_id,
                action: &event.action,
                actor_id: event.actor_id,
                claim_id: event.claim_id,
                article_id,
                reach,
                also_reviewers,
                user_id: None,
                detail: None,
            },
        )
        .await?;
    }
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::actor_id.eq(event.actor_id),
            audit_events::entity.eq(event.entity),
            audit_events::entity_id.eq(event.entity_id),
            audit_events::action.eq(event.action),
            audit_events::before.eq(event.before),
            audit_events::after.eq(event.after),
            audit_events::claim_id.eq(event.claim_id),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Who last changed an entity and when, for a 412 answer ("Ana changed this at …").
pub async fn last_change(
    conn: &mut Conn,
    entity: &str,
    entity_id: Uuid,
) -> QueryResult<Option<Value>> {
    let row: Option<(String, Option<String>, chrono::DateTime<chrono::Utc>)> = audit_events::table
        .left_join(users::table.on(users::id.nullable().eq(audit_events::actor_id)))
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::entity_id.eq(entity_id))
        .order(audit_events::seq.desc())
        .select((
            audit_events::action,
            users::display_name.nullable(),
            audit_events::at,
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(|(action, actor_name, at)| {
        serde_json::json!({ "action": action, "actor_name": actor_name, "at": at })
    }))
}

/// Messages `actor` sent in the last hour (they are audit events), for the limit.
pub async fn messages_sent_since(
    conn: &mut Conn,
    actor: Uuid,
    since: chrono::DateTime<chrono::Utc>,
) -> QueryResult<i64> {
    audit_events::table
        .filter(audit_events::actor_id.eq(actor))
        .filter(audit_events::entity.eq("message"))
        .filter(audit_events::at.gt(since))
        .count()
        .get_result(conn)
        .await
}
