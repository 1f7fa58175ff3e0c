//! Users and their sessions, for the admin pages.

use super::ApiResult;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use warden_domain::inventory::GroupSummary;
use warden_domain::users::{GroupGrant, SessionSummary, UserSummary};

/// A user's page: the account and its open sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: UserSummary,
    pub sessions: Vec<SessionSummary>,
    /// Roles held in single groups.
    pub grants: Vec<GroupGrant>,
    /// Every group, for the form that grants a role in one.
    pub groups: Vec<GroupSummary>,
}

#[server(endpoint = "list_users")]
pub async fn fetch_users() -> ApiResult<Vec<UserSummary>> {
    use super::ssr::{answer, caller, services};
    let caller = match caller()? {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    answer(warden_backend::access::list_users(&services()?.db, &caller).await)
}

#[server(endpoint = "user_detail")]
pub async fn fetch_user_detail(id: i64) -> ApiResult<UserDetail> {
    use super::ssr::{answer, caller, identity, services};
    let caller = match caller()? {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let own_key = identity()?.session.map(|s| s.key_hash);
    let db = services()?.db;
    let result = async {
        let user = warden_backend::access::get_user(&db, &caller, id).await?;
        let sessions = warden_backend::access::list_sessions(&db, &caller, id, own_key.as_deref()).await?;
        let grants = warden_backend::access::list_grants(&db, &caller, id).await?;
        let groups = warden_backend::inventory::list_groups(&db, &caller).await?;
        Ok(UserDetail { user, sessions, grants, groups })
    }
    .await;
    answer(result)
}
