//! What a source is to a claim.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Primary,
    OfficialData,
    Expert,
    Secondary,
    Other,
}

pub const ALL_SOURCE_KINDS: [SourceKind; 5] = [
    SourceKind::Primary,
    SourceKind::OfficialData,
    SourceKind::Expert,
    SourceKind::Secondary,
    SourceKind::Other,
];

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::OfficialData => "official_data",
            Self::Expert => "expert",
            Self::Secondary => "secondary",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_SOURCE_KINDS.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Supports,
    Refutes,
    Context,
}

pub const ALL_STANCES: [Stance; 3] = [Stance::Supports, Stance::Refutes, Stance::Context];

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supports => "supports",
            Self::Refutes => "refutes",
            Self::Context => "context",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_STANCES.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_as_serde_writes_them() {
        for k in ALL_SOURCE_KINDS {
            assert_eq!(SourceKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for s in ALL_STANCES {
            assert_eq!(Stance::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
