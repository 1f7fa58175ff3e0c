//! Several objects of one list at once (the lists' bulk selection): what a
//! selection holds, for the confirmation, and deleting it in one transaction
//! (all or nothing, one audit record per object).

use crate::access::Caller;
use crate::db::Db;
use crate::error::Result;
use crate::inventory::reach::{authorize_id, Object};
use crate::inventory::{hosts, jails, services};
use sqlx::Row;
use warden_domain::inventory::{BulkItem, BulkKind};
use warden_domain::{AppError, Permission};

fn object(kind: BulkKind) -> Object {
    match kind {
        BulkKind::Hosts => Object::Host,
        BulkKind::Jails => Object::Jail,
        BulkKind::Services => Object::Service,
    }
}

/// Checks the selection's size and that the caller may change every object in
/// it; one out of reach answers `NotFound` for the whole selection.
async fn authorize_all(db: &Db, caller: &Caller, kind: BulkKind, ids: &[i64]) -> Result<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::Conflict(format!("Select at least one of the {} first.", kind.noun())).into());
    }
    if ids.len() > BulkKind::MAX {
        return Err(AppError::Conflict(format!("Select at most {} {} at once.", BulkKind::MAX, kind.noun())).into());
    }
    for id in &ids {
        authorize_id(db, caller, Permission::InventoryWrite, object(kind), *id).await?;
    }
    Ok(ids)
}

/// The selected objects by name, for the confirmation page.
pub async fn bulk_preview(db: &Db, caller: &Caller, kind: BulkKind, ids: &[i64]) -> Result<Vec<BulkItem>> {
    let ids = authorize_all(db, caller, kind, ids).await?;
    // ids are numbers from the request, parsed as i64: safe to list inline.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = match kind {
        BulkKind::Hosts => format!("SELECT h.id, h.name AS label FROM hosts h WHERE h.id IN ({list}) ORDER BY h.name"),
        BulkKind::Jails => format!(
            "SELECT j.id, h.name || '/' || j.name AS label FROM jails j JOIN hosts h ON h.id = j.host_id \
             WHERE j.id IN ({list}) ORDER BY label"
        ),
        BulkKind::Services => format!(
            "SELECT s.id, h.name || '/' || COALESCE(j.name || '/', '') || s.name AS label FROM services s \
             JOIN hosts h ON h.id = s.host_id LEFT JOIN jails j ON j.id = s.jail_id WHERE s.id IN ({list}) ORDER BY label"
        ),
    };
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    rows.iter().map(|r| Ok(BulkItem { id: r.try_get("id")?, label: r.try_get("label")? })).collect()
}

/// Deletes the selection from the inventory in one transaction; returns the
/// names of what was deleted.
pub async fn bulk_delete(db: &Db, caller: &Caller, kind: BulkKind, ids: &[i64]) -> Result<Vec<String>> {
    let ids = authorize_all(db, caller, kind, ids).await?;
    let mut tx = db.begin_write().await?;
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        names.push(match kind {
            BulkKind::Hosts => hosts::delete_host_in(&mut tx, db, caller, id).await?,
            BulkKind::Jails => jails::delete_jail_in(&mut tx, db, caller, id).await?,
            BulkKind::Services => services::delete_service_in(&mut tx, db, caller, id).await?,
        });
    }
    tx.commit().await?;
    Ok(names)
}
