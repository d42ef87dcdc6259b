//! Who a user is to the desk.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Editor,
    Reviewer,
}

pub const ALL_ROLES: [Role; 3] = [Role::Admin, Role::Editor, Role::Reviewer];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Editor => "editor",
            Self::Reviewer => "reviewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_ROLES.into_iter().find(|r| r.as_str() == s)
    }

    /// Editors and admins: the roles that run the desk.
    pub fn is_editor(self) -> bool {
        matches!(self, Self::Editor | Self::Admin)
    }
}
