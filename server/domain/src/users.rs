//! What the UI shows about users and their sessions.

use crate::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    /// Unix milliseconds, UTC.
    pub created_at: i64,
    pub last_login_at: Option<i64>,
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
