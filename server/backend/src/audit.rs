//! The audit log: append-only, hash-chained, written inside the transaction
//! of the change it records.

mod append;
mod chain;
mod export;
mod query;
mod verify;

pub use append::{append, append_many, AuditRecord, Who};
pub use chain::{canonical_content, chain_hash, GENESIS_HASH};
pub use export::{csv_header, csv_line, neutralise_csv_cell, ExportBatches};
pub use query::{list_page, list_page_as};
pub use verify::{verify_chain, VerifyReport};

use crate::access::{authorize, Caller};
use crate::db::Db;
use crate::error::Result;
use warden_domain::audit::{AuditFilter, Outcome};
use warden_domain::{Permission, Scope};

/// The export use-case: checks `AuditRead`, then hands out the batches.
pub async fn export_as(db: &Db, caller: &Caller, filter: AuditFilter) -> Result<ExportBatches> {
    authorize(db, caller, Permission::AuditRead, &Scope::Global).await?;
    Ok(ExportBatches::new(db.clone(), filter))
}

/// A request refused before it reached a use-case (cross-site POST): one
/// committed audit row, with the signed-in user when there is one.
pub async fn record_rejected_request(
    db: &Db,
    who: Who,
    action: &'static str,
    target: &str,
    reason: &str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let record =
        AuditRecord::new(who, action, target, Outcome::Denied).details(serde_json::json!({ "reason": reason }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}
