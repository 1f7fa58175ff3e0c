//! The durable queue: claiming jobs under a lease, renewing it, finishing,
//! and turning jobs whose worker vanished into *interrupted* ones.
//!
//! Every state change is one short transaction. A claim is atomic: SQLite
//! serialises it behind `BEGIN IMMEDIATE`; PostgreSQL skips rows another
//! claimer holds (`FOR UPDATE SKIP LOCKED`), so two workers never take the
//! same job.

use crate::audit::{append, append_many, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::{Db, DbKind, Tx};
use crate::error::Result;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;
use warden_domain::audit::Outcome;
use warden_domain::jobs::{JobKind, JobState};

/// A job a worker now owns until its lease expires.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: JobKind,
    pub params: serde_json::Value,
    pub timeout_ms: i64,
    pub attempts: i64,
    pub created_by: String,
}

/// How many due jobs past `limit` one claim looks at.
pub const CLAIM_WINDOW: i64 = 64;

/// Takes up to `limit` due jobs for `owner`. A job that changes its hosts is
/// skipped while another such job holds one of its hosts; the jobs behind it
/// are looked at too (up to [`CLAIM_WINDOW`] more), so a queue headed by
/// jobs waiting for busy hosts does not hold up work on other hosts.
pub async fn claim(db: &Db, owner: &str, lease_ms: i64, limit: i64) -> Result<Vec<ClaimedJob>> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let lock = if db.kind() == DbKind::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let candidates = sqlx::query(&format!(
        "SELECT id, kind, params, timeout_ms, attempts, created_by FROM jobs \
         WHERE state = 'queued' AND run_after <= $1 ORDER BY id LIMIT $2{lock}"
    ))
    .bind(now)
    .bind(limit + CLAIM_WINDOW)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(limit.max(0) as usize);
    for row in candidates {
        if claimed.len() as i64 >= limit {
            break;
        }
        let id: i64 = row.try_get("id")?;
        let kind_text: String = row.try_get("kind")?;
        let Ok(kind) = kind_text.parse::<JobKind>() else {
            // Written by a newer Warden: leave it for a worker that knows it.
            continue;
        };
        if kind.mutates() && !take_locks(&mut tx, id).await? {
            continue;
        }
        let params: String = row.try_get("params")?;
        claimed.push(ClaimedJob {
            id,
            kind,
            params: serde_json::from_str(&params).unwrap_or_default(),
            timeout_ms: row.try_get("timeout_ms")?,
            attempts: row.try_get::<i64, _>("attempts")? + 1,
            created_by: row.try_get("created_by")?,
        });
    }
    if !claimed.is_empty() {
        // Ids are numbers read from the database just now.
        let list = claimed.iter().map(|j| j.id.to_string()).collect::<Vec<_>>().join(",");
        sqlx::query(&format!(
            "UPDATE jobs SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, \
             started_at = COALESCE(started_at, $3) WHERE id IN ({list})"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Takes the per-host locks of a job that changes its hosts; false (and
/// nothing taken) when one of them is held.
async fn take_locks(tx: &mut Tx, job_id: i64) -> Result<bool> {
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT lock_key FROM job_targets WHERE job_id = $1 AND lock_key IS NOT NULL")
            .bind(job_id)
            .fetch_all(&mut **tx)
            .await?;
    for key in &keys {
        let held: Option<i64> = sqlx::query_scalar("SELECT job_id FROM job_locks WHERE lock_key = $1")
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
        if held.is_some_and(|j| j != job_id) {
            return Ok(false);
        }
    }
    for key in &keys {
        sqlx::query("INSERT INTO job_locks (lock_key, job_id) VALUES ($1, $2) ON CONFLICT (lock_key) DO NOTHING")
            .bind(key)
            .bind(job_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(true)
}

/// Extends the leases of the jobs `owner` is running (`ids`; a job it
/// stopped tracking is left to expire). Returns the ids it still owns (one
/// missing from the answer was taken away: stop working on it) and the ids
/// someone asked to cancel.
pub async fn renew(db: &Db, owner: &str, lease_ms: i64, ids: &[i64]) -> Result<(Vec<i64>, Vec<i64>)> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // Ids are numbers Warden holds itself, written into the SQL directly.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(&format!(
        "UPDATE jobs SET lease_expires_at = $2 WHERE lease_owner = $1 AND state = 'running' AND id IN ({list})"
    ))
    .bind(owner)
    .bind(now + lease_ms)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT id, cancel_requested_at FROM jobs WHERE lease_owner = $1 AND state = 'running' AND id IN ({list})"
    ))
    .bind(owner)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut owned = Vec::with_capacity(rows.len());
    let mut cancel = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        owned.push(id);
        if r.try_get::<Option<i64>, _>("cancel_requested_at")?.is_some() {
            cancel.push(id);
        }
    }
    Ok((owned, cancel))
}

/// The jobs of `owner` that someone asked to cancel (checked often; cheap).
pub async fn cancel_requests(db: &Db, owner: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM jobs WHERE state = 'running' AND lease_owner = $1 AND cancel_requested_at IS NOT NULL",
    )
    .bind(owner)
    .fetch_all(db.pool())
    .await?)
}

/// How a job ended, for [`finish`].
#[derive(Debug, Clone)]
pub struct Finished {
    pub state: JobState,
    pub summary: String,
    /// The audit record's details: per-host commands, exit codes, host keys.
    pub details: serde_json::Value,
}

/// Records the end of a job with its audit record, in one transaction, if
/// `owner` still holds it. Returns false when the lease was lost meanwhile.
pub async fn finish(db: &Db, owner: &str, job_id: i64, end: Finished) -> Result<bool> {
    Ok(finish_many(db, owner, vec![(job_id, end)]).await?.first().copied().unwrap_or(false))
}

/// Records the ends of several jobs in one transaction (group commit: one
/// durable write for a burst of short jobs). Each job's end and audit record
/// are written only if `owner` still holds it; the answer says, per job,
/// whether it was.
pub async fn finish_many(db: &Db, owner: &str, ends: Vec<(i64, Finished)>) -> Result<Vec<bool>> {
    if ends.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let list = ends.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(",");
    let lock = if db.kind() == DbKind::Postgres { " FOR UPDATE" } else { "" };
    let ours: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM jobs WHERE id IN ({list}) AND lease_owner = $1 AND state = 'running'{lock}"
    ))
    .bind(owner)
    .fetch_all(&mut *tx)
    .await?;
    let mine: Vec<&(i64, Finished)> = ends.iter().filter(|(id, _)| ours.contains(id)).collect();
    // One UPDATE per distinct outcome (a burst of jobs mostly shares one).
    let mut groups: BTreeMap<(&str, &str), Vec<i64>> = BTreeMap::new();
    for (id, end) in &mine {
        groups.entry((end.state.as_str(), end.summary.as_str())).or_default().push(*id);
    }
    for ((state, summary), ids) in groups {
        let ids = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        sqlx::query(&format!(
            "UPDATE jobs SET state = $1, summary = $2, finished_at = $3, lease_owner = NULL, lease_expires_at = NULL \
             WHERE id IN ({ids})"
        ))
        .bind(state)
        .bind(summary)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    if !mine.is_empty() {
        let ids = mine.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(",");
        sqlx::query(&format!("DELETE FROM job_locks WHERE job_id IN ({ids})")).execute(&mut *tx).await?;
    }
    let records = mine
        .iter()
        .map(|(job_id, end)| {
            let outcome = if end.state == JobState::Succeeded { Outcome::Success } else { Outcome::Failure };
            let action = if end.state == JobState::Cancelled { "job.cancelled" } else { "job.finished" };
            AuditRecord::new(Who::system(&format!("worker {owner}")), action, format!("job {job_id}"), outcome)
                .details(end.details.clone())
        })
        .collect();
    append_many(&mut tx, db.kind(), records).await?;
    tx.commit().await?;
    Ok(ends.iter().map(|(id, _)| ours.contains(id)).collect())
}

/// Jobs whose lease expired (their worker crashed or lost the database):
/// kinds that only read go back to the queue (up to three attempts); all
/// others become *interrupted* (outcome unknown) and are never re-run.
/// Returns how many jobs it handled.
pub async fn recover_expired(db: &Db, max_attempts: i64) -> Result<usize> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "SELECT id, kind, attempts, lease_owner FROM jobs WHERE state = 'running' AND lease_expires_at < $1",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let kind = r.try_get::<String, _>("kind")?.parse::<JobKind>().ok();
        let attempts: i64 = r.try_get("attempts")?;
        let owner: Option<String> = r.try_get("lease_owner")?;
        let requeue = kind.is_some_and(JobKind::idempotent) && attempts < max_attempts;
        let (job_state, target_state, action) = if requeue {
            ("queued", "pending", "job.requeued")
        } else {
            ("interrupted", "interrupted", "job.interrupted")
        };
        sqlx::query(
            "UPDATE jobs SET state = $2, lease_owner = NULL, lease_expires_at = NULL, \
             finished_at = CASE WHEN $2 = 'interrupted' THEN $3 ELSE NULL END, \
             summary = CASE WHEN $2 = 'interrupted' THEN 'Interrupted: the worker stopped while the job ran; \
             the outcome on the hosts is unknown.' ELSE summary END WHERE id = $1",
        )
        .bind(id)
        .bind(job_state)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE job_targets SET state = $2, finished_at = CASE WHEN $2 = 'interrupted' THEN $3 ELSE NULL END, \
             message = CASE WHEN $2 = 'interrupted' THEN 'Interrupted: outcome unknown.' ELSE '' END \
             WHERE job_id = $1 AND state IN ('pending', 'running')",
        )
        .bind(id)
        .bind(target_state)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM job_locks WHERE job_id = $1").bind(id).execute(&mut *tx).await?;
        let record = AuditRecord::new(Who::system("recovery"), action, format!("job {id}"), Outcome::Failure).details(
            json!({ "job_id": id, "kind": kind.map(JobKind::as_str), "attempts": attempts, "lost_worker": owner }),
        );
        append(&mut tx, db.kind(), record).await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}
