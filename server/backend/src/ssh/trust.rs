//! Host-key trust: fetch a host's key, let an admin approve (pin) it, and
//! block a host whose key changed until a new key is approved.

use super::failure::SshFailure;
use super::host_keys::{scan, HostKey};
use crate::access::Caller;
use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use crate::inventory::changes::commit_audited;
use crate::inventory::reach::{authorize_id, Object};
use serde_json::json;
use sqlx::Row;
use std::time::Duration;
use warden_domain::audit::Outcome;
use warden_domain::jobs::{HostKeyStatus, HostKeyView};
use warden_domain::{AppError, HostAddress, Permission, SshPort};

fn view(key_type: Option<String>, fingerprint: Option<String>) -> Option<HostKeyView> {
    Some(HostKeyView { key_type: key_type?, fingerprint: fingerprint? })
}

/// The host page's trust card.
pub async fn host_key_status(db: &Db, caller: &Caller, host_id: i64) -> Result<HostKeyStatus> {
    authorize_id(db, caller, Permission::InventoryRead, Object::Host, host_id).await?;
    let row = sqlx::query(
        "SELECT pinned_type, pinned_fingerprint, approved_by, approved_at, offered_type, offered_fingerprint, \
         offered_at, changed_at FROM host_keys WHERE host_id = $1",
    )
    .bind(host_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(HostKeyStatus::default()) };
    Ok(HostKeyStatus {
        pinned: view(r.try_get("pinned_type")?, r.try_get("pinned_fingerprint")?),
        approved_by: r.try_get("approved_by")?,
        approved_at: r.try_get("approved_at")?,
        offered: view(r.try_get("offered_type")?, r.try_get("offered_fingerprint")?),
        offered_at: r.try_get("offered_at")?,
        changed_at: r.try_get("changed_at")?,
    })
}

/// Contacts the host for its key and keeps it as "offered", waiting for an
/// admin. Nothing is trusted by fetching.
pub async fn fetch_host_key(db: &Db, caller: &Caller, host_id: i64, timeout: Duration) -> Result<HostKeyView> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Host, host_id).await?;
    let row = sqlx::query("SELECT name, address, ssh_port FROM hosts WHERE id = $1")
        .bind(host_id)
        .fetch_one(db.pool())
        .await?;
    let name: String = row.try_get("name")?;
    let address: HostAddress = row
        .try_get::<String, _>("address")?
        .parse()
        .map_err(|_| AppError::Conflict("The host's address is not valid; edit the host first.".into()))?;
    let port = SshPort::try_from(row.try_get::<i64, _>("ssh_port")?).unwrap_or(SshPort::DEFAULT);
    let key = scan(&address, port, timeout)
        .await
        .map_err(|e| AppError::Conflict(format!("Could not fetch the host key of {name}: {e}.")))?;
    let fingerprint = key.fingerprint();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO host_keys (host_id, offered_type, offered_key, offered_fingerprint, offered_by, offered_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (host_id) DO UPDATE SET offered_type = $2, offered_key = $3, \
         offered_fingerprint = $4, offered_by = $5, offered_at = $6",
    )
    .bind(host_id)
    .bind(&key.key_type)
    .bind(&key.key_base64)
    .bind(&fingerprint)
    .bind(&caller.actor.username)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let details = json!({ "host_id": host_id, "key_type": key.key_type, "fingerprint": fingerprint });
    commit_audited(tx, db, caller, "host_key.fetched", name, details).await?;
    Ok(HostKeyView { key_type: key.key_type, fingerprint })
}

/// Pins the offered key. `fingerprint` is the one the admin saw: if the
/// offered key changed meanwhile, nothing is approved.
pub async fn approve_host_key(db: &Db, caller: &Caller, host_id: i64, fingerprint: &str) -> Result<()> {
    authorize_id(db, caller, Permission::HostKeyApprove, Object::Host, host_id).await?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT h.name, k.offered_type, k.offered_key, k.offered_fingerprint, k.pinned_fingerprint \
         FROM hosts h LEFT JOIN host_keys k ON k.host_id = h.id WHERE h.id = $1",
    )
    .bind(host_id)
    .fetch_one(&mut *tx)
    .await?;
    let name: String = row.try_get("name")?;
    let offered: Option<String> = row.try_get("offered_fingerprint")?;
    if offered.as_deref() != Some(fingerprint) {
        return Err(AppError::Conflict(
            "The offered key is not the one you approved (it was fetched again meanwhile). Check the fingerprint shown now."
                .into(),
        )
        .into());
    }
    let previous: Option<String> = row.try_get("pinned_fingerprint")?;
    let key_type: String = row.try_get("offered_type")?;
    sqlx::query(
        "UPDATE host_keys SET pinned_type = offered_type, pinned_key = offered_key, \
         pinned_fingerprint = offered_fingerprint, approved_by = $2, approved_at = $3, offered_type = NULL, \
         offered_key = NULL, offered_fingerprint = NULL, offered_by = NULL, offered_at = NULL, changed_at = NULL \
         WHERE host_id = $1",
    )
    .bind(host_id)
    .bind(&caller.actor.username)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let details = json!({ "host_id": host_id, "key_type": key_type, "fingerprint": fingerprint, "replaced": previous });
    commit_audited(tx, db, caller, "host_key.approved", name, details).await
}

/// The pinned key Warden may connect with, or why it may not.
pub async fn pinned_key(db: &Db, host_id: i64) -> Result<Result<HostKey, SshFailure>> {
    let row = sqlx::query("SELECT pinned_type, pinned_key, changed_at FROM host_keys WHERE host_id = $1")
        .bind(host_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(r) = row else { return Ok(Err(SshFailure::HostKeyNotApproved)) };
    if r.try_get::<Option<i64>, _>("changed_at")?.is_some() {
        return Ok(Err(SshFailure::HostKeyChanged));
    }
    let key_type: Option<String> = r.try_get("pinned_type")?;
    let key: Option<String> = r.try_get("pinned_key")?;
    Ok(match (key_type, key) {
        (Some(key_type), Some(key_base64)) => Ok(HostKey { key_type, key_base64 }),
        _ => Err(SshFailure::HostKeyNotApproved),
    })
}

/// A connection met another key than the pinned one: block the host until a
/// new approval, keep the key it now shows (when known) as the offered one,
/// and audit it.
pub async fn record_host_key_changed(db: &Db, host_id: i64, job_id: i64, seen: Option<&HostKey>) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM hosts WHERE id = $1").bind(host_id).fetch_optional(&mut *tx).await?;
    let now = now_ms();
    sqlx::query("UPDATE host_keys SET changed_at = COALESCE(changed_at, $2) WHERE host_id = $1")
        .bind(host_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if let Some(key) = seen {
        sqlx::query(
            "UPDATE host_keys SET offered_type = $2, offered_key = $3, offered_fingerprint = $4, \
             offered_by = 'system', offered_at = $5 WHERE host_id = $1",
        )
        .bind(host_id)
        .bind(&key.key_type)
        .bind(&key.key_base64)
        .bind(key.fingerprint())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let record = AuditRecord::new(
        Who::system(&format!("job {job_id}")),
        "host_key.changed",
        name.unwrap_or_else(|| format!("host {host_id}")),
        Outcome::Failure,
    )
    .details(json!({ "host_id": host_id, "job_id": job_id, "now_offered": seen.map(HostKey::fingerprint) }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}
