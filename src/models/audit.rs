//! The append-only audit log. Callers pass the before and after states as JSON; hashes
//! and tokens never belong in them (the row types serialised here do not carry any).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use crate::schema::audit_events;

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent<'a> {
    pub actor_id: Option<Uuid>,
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub claim_id: Option<Uuid>,
}

/// Writes one audit event; call it inside the transaction of the change it records.
pub async fn record(
    conn: &mut AsyncPgConnection,
    actor_id: Option<Uuid>,
    entity: &str,
    entity_id: Uuid,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(NewAuditEvent {
            actor_id,
            entity,
            entity_id,
            action,
            before,
            after,
            claim_id: None,
        })
        .execute(conn)
        .await
        .map(drop)
}

/// An event about a claim or something of its (a source, the verdict, an assignment,
/// a comment), so the claim's history can show it.
#[expect(clippy::too_many_arguments)]
pub async fn record_for_claim(
    conn: &mut AsyncPgConnection,
    actor_id: Option<Uuid>,
    claim_id: Uuid,
    entity: &str,
    entity_id: Uuid,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(NewAuditEvent {
            actor_id,
            entity,
            entity_id,
            action,
            before,
            after,
            claim_id: Some(claim_id),
        })
        .execute(conn)
        .await
        .map(drop)
}

/// Who last changed an entity and when, for a 412 answer ("Ana changed this at …").
pub async fn last_change(
    conn: &mut AsyncPgConnection,
    entity: &str,
    entity_id: Uuid,
) -> QueryResult<Option<Value>> {
    use crate::schema::users;
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
