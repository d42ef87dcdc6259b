use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::schema::users;

/// A user row. Deliberately not `Serialize`: it carries the password hash.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub time_zone: String,
    pub notify: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: Option<&'a str>,
    pub active: bool,
    pub time_zone: &'a str,
}

/// What the audit log keeps of a user: never the hash.
#[derive(Serialize)]
pub struct AuditUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub active: bool,
}

impl User {
    pub fn audit(&self) -> serde_json::Value {
        serde_json::to_value(AuditUser {
            email: &self.email,
            display_name: &self.display_name,
            role: &self.role,
            active: self.active,
        })
        .unwrap_or_default()
    }
}
