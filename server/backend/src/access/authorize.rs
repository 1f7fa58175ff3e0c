//! The single authorization check. Deny by default; every denial is audited.

use crate::audit::{append, AuditRecord, Who};
use crate::db::Db;
use crate::error::Result;
use warden_domain::audit::Outcome;
use warden_domain::{Actor, AppError, Permission, Scope};

/// A signed-in user making a request, and where from.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub ip: String,
}

/// Someone not signed in (the login and setup pages).
#[derive(Debug, Clone)]
pub struct Visitor {
    pub ip: String,
    pub user_agent: String,
}

/// Checks `permission` for `caller` on `scope`. On refusal an audit row
/// `permission.denied` is committed and `Forbidden` returned.
pub async fn authorize(db: &Db, caller: &Caller, permission: Permission, scope: &Scope) -> Result<()> {
    if caller.actor.can(permission, scope) {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let record = AuditRecord::new(Who::actor(&caller.actor, &caller.ip), "permission.denied", format!("{scope:?}"), Outcome::Denied)
        .details(serde_json::json!({ "permission": format!("{permission:?}"), "role": warden_domain::users::role_label(caller.actor.role) }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Err(AppError::Forbidden.into())
}
