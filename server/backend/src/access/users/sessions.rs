//! Listing and ending a user's sign-in sessions (the admin's "sign out
//! that browser"). Sessions are addressed by their public handle; the key
//! hash, which identifies the browser's session, never leaves this module.

use super::load_user;
use crate::access::{authorize, Caller};
use crate::audit::{append, AuditRecord, Who};
use crate::db::Db;
use crate::error::Result;
use serde_json::json;
use sqlx::Row;
use warden_domain::audit::Outcome;
use warden_domain::users::SessionSummary;
use warden_domain::{AppError, Permission, Scope};

/// A user's sessions, newest first. `current_key_hash` (the caller's own
/// session) marks which one is "this browser"; key hashes never leave here.
pub async fn list_sessions(
    db: &Db,
    caller: &Caller,
    user_id: i64,
    current_key_hash: Option<&str>,
) -> Result<Vec<SessionSummary>> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    load_user(db.pool(), user_id).await?;
    let rows = sqlx::query(
        "SELECT key_hash, handle, created_at, last_seen_at, ip, user_agent FROM user_sessions \
         WHERE user_id = $1 ORDER BY created_at DESC, handle",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let key_hash: String = r.try_get("key_hash")?;
            Ok(SessionSummary {
                handle: r.try_get("handle")?,
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                ip: r.try_get("ip")?,
                user_agent: r.try_get("user_agent")?,
                current: current_key_hash == Some(key_hash.as_str()),
            })
        })
        .collect()
}

/// Ends one session of a user by its public handle; `NotFound` when the user
/// or that session of theirs does not exist.
pub async fn end_session(db: &Db, caller: &Caller, user_id: i64, handle: &str) -> Result<()> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    if handle.is_empty() || handle.len() > 64 {
        return Err(AppError::NotFound.into());
    }
    let mut tx = db.begin_write().await?;
    let user = load_user(&mut *tx, user_id).await?;
    let deleted = sqlx::query("DELETE FROM user_sessions WHERE user_id = $1 AND handle = $2")
        .bind(user_id)
        .bind(handle)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    let record =
        AuditRecord::new(Who::actor(&caller.actor, &caller.ip), "session.ended", &user.username, Outcome::Success)
            .details(json!({ "handle": handle }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}
