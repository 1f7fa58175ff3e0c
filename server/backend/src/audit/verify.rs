//! Walks the whole chain and names the first row that does not match.

use crate::audit::chain::{canonical_content, chain_hash, GENESIS_HASH};
use crate::db::Db;
use crate::error::Result;
use futures::TryStreamExt;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyReport {
    /// Every row matches; `rows` were checked.
    Intact { rows: i64 },
    /// The first bad row and why.
    Broken { id: i64, reason: String },
}

pub async fn verify_chain(db: &Db) -> Result<VerifyReport> {
    let mut rows = sqlx::query(
        "SELECT id, at, actor_id, actor, action, target, outcome, ip, details, prev_hash, hash \
         FROM audit_log ORDER BY id",
    )
    .fetch(db.pool());
    let mut expected_prev = GENESIS_HASH.to_string();
    let mut expected_id = 1i64;
    let mut count = 0i64;
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get("id")?;
        if id != expected_id {
            return Ok(VerifyReport::Broken {
                id,
                reason: format!("row {expected_id} is missing (deleted?); the chain jumps to row {id}"),
            });
        }
        let prev_hash: String = row.try_get("prev_hash")?;
        if prev_hash != expected_prev {
            return Ok(VerifyReport::Broken {
                id,
                reason: "its prev_hash does not match the previous row's hash".into(),
            });
        }
        let canonical = canonical_content(
            id,
            row.try_get("at")?,
            row.try_get("actor_id")?,
            &row.try_get::<String, _>("actor")?,
            &row.try_get::<String, _>("action")?,
            &row.try_get::<String, _>("target")?,
            &row.try_get::<String, _>("outcome")?,
            &row.try_get::<String, _>("ip")?,
            &row.try_get::<String, _>("details")?,
        );
        let hash: String = row.try_get("hash")?;
        if chain_hash(&prev_hash, &canonical) != hash {
            return Ok(VerifyReport::Broken { id, reason: "its content does not match its hash (edited?)".into() });
        }
        expected_prev = hash;
        expected_id += 1;
        count += 1;
    }
    Ok(VerifyReport::Intact { rows: count })
}
