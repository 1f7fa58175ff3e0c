//! What the UI shows about users and their sessions.

use crate::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    /// The global role; `None` for a user with roles in groups only.
    pub role: Option<Role>,
    pub disabled: bool,
    /// Unix milliseconds, UTC.
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// A role held in one group, as the user page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupGrant {
    pub group_id: i64,
    pub group: String,
    pub role: Role,
}

/// How the UI names a global role, including none.
pub fn role_label(role: Option<Role>) -> &'static str {
    role.map_or("none", Role::as_str)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// A short public handle of the session (not its secret id).
    pub handle: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
    pub current: bool,
}

/// Password rules from SECURITY.md, shared so the form can say them up front.
pub mod password_policy {
    pub const MIN_LEN: usize = 8;
    pub const RECOMMENDED_LEN: usize = 15;
    pub const MAX_LEN: usize = 128;
    pub const HINT: &str = "At least 8 characters (15 or more recommended); spaces and any characters are fine.";
}
