//! Starting and cancelling jobs: the use-cases behind the buttons.

use super::kinds;
use crate::access::Caller;
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use crate::inventory::changes::{append_audited, commit_audited};
use crate::inventory::reach::authorize_object;
use serde_json::json;
use sqlx::Row;
use std::time::Duration;
use warden_domain::jobs::JobKind;
use warden_domain::{AppError, Permission, Scope};

/// Most hosts one job may target.
pub const MAX_HOSTS: usize = 1000;
/// A job's time limit unless its kind needs more.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Queues `kind` on `host_ids` and returns the job's id. The job and its
/// audit record (with the exact commands) commit together.
pub async fn start_job(
    db: &Db,
    caller: &Caller,
    kind: JobKind,
    host_ids: &[i64],
    params: serde_json::Value,
) -> Result<i64> {
    let mut ids = host_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() && kind != JobKind::Noop {
        return Err(AppError::field("hosts", "Select at least one host.").into());
    }
    if ids.len() > MAX_HOSTS {
        return Err(AppError::field("hosts", format!("Select at most {MAX_HOSTS} hosts.")).into());
    }
    if kind == JobKind::Action {
        return Err(AppError::field("kind", "Actions are started from their own forms, with their plan.").into());
    }
    if kind == JobKind::Noop {
        crate::access::authorize(db, caller, Permission::JobRun, &Scope::Global).await?;
    }
    let commands = kinds::commands(kind, &params).map_err(|m| AppError::field("params", m))?;
    let hosts = load_hosts(db, &ids).await?;
    for (_, _, group) in &hosts {
        authorize_object(db, caller, Permission::JobRun, *group).await?;
    }
    let timeout_ms = timeout_of(&params)?.as_millis() as i64;
    let mut tx = db.begin_write().await?;
    let job = NewJob { kind, params: &params, title: "", plan: None, timeout_ms };
    let job_id = enqueue(&mut tx, caller, &job, &hosts).await?;
    let details = json!({
        "job_id": job_id,
        "kind": kind.as_str(),
        "hosts": hosts.iter().map(|(_, n, _)| n).collect::<Vec<_>>(),
        "commands": commands.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    commit_audited(tx, db, caller, "job.started", format!("job {job_id}"), details).await?;
    Ok(job_id)
}

/// A job about to be queued.
pub(crate) struct NewJob<'a> {
    pub kind: JobKind,
    pub params: &'a serde_json::Value,
    pub title: &'a str,
    /// An action's plan (JSON of `ActionPlan`), kept with the job.
    pub plan: Option<&'a serde_json::Value>,
    pub timeout_ms: i64,
}

/// Inserts the job and its hosts (id, name, group) in `tx`; the caller
/// appends the audit record and commits.
pub(crate) async fn enqueue(
    tx: &mut crate::db::Tx,
    caller: &Caller,
    job: &NewJob<'_>,
    hosts: &[(i64, String, Option<i64>)],
) -> Result<i64> {
    let now = now_ms();
    let job_id: i64 = sqlx::query(
        "INSERT INTO jobs (kind, params, state, created_by_id, created_by, created_at, run_after, timeout_ms, title, plan) \
         VALUES ($1, $2, 'queued', $3, $4, $5, $5, $6, $7, $8) RETURNING id",
    )
    .bind(job.kind.as_str())
    .bind(job.params.to_string())
    .bind(caller.actor.user_id)
    .bind(&caller.actor.username)
    .bind(now)
    .bind(job.timeout_ms)
    .bind(job.title)
    .bind(job.plan.map(ToString::to_string))
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for (position, (id, name, group)) in hosts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO job_targets (job_id, position, host_id, host_name, group_id, lock_key) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(job_id)
        .bind(position as i64)
        .bind(*id)
        .bind(name)
        .bind(*group)
        .bind(job.kind.mutates().then(|| format!("host:{id}")))
        .execute(&mut **tx)
        .await?;
    }
    Ok(job_id)
}

/// The job's time limit: `timeout_seconds` when given (1 s to 1 day), else
/// [`DEFAULT_TIMEOUT`] plus what the kind itself waits.
pub(crate) fn timeout_of(params: &serde_json::Value) -> Result<Duration> {
    if let Some(t) = params.get("timeout_seconds") {
        return match t.as_u64() {
            Some(s @ 1..=86_400) => Ok(Duration::from_secs(s)),
            _ => Err(AppError::field("timeout_seconds", "Give a time limit from 1 second to 1 day.").into()),
        };
    }
    let waits = params.get("seconds").and_then(serde_json::Value::as_u64).unwrap_or(0);
    Ok(DEFAULT_TIMEOUT + Duration::from_secs(waits))
}

pub(crate) async fn load_hosts(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String, Option<i64>)>> {
    let mut hosts: Vec<(i64, String, Option<i64>)> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(&format!("SELECT id, name, group_id FROM hosts WHERE id IN ({list}) ORDER BY name, id"))
            .fetch_all(db.pool())
            .await?;
        for r in rows {
            hosts.push((r.try_get("id")?, r.try_get("name")?, r.try_get("group_id")?));
        }
    }
    if hosts.len() != ids.len() {
        return Err(AppError::NotFound.into());
    }
    hosts.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(hosts)
}

/// Cancels a job: a queued one at once; a running one by asking its worker,
/// which stops the remote commands. Records who asked.
pub async fn cancel_job(db: &Db, caller: &Caller, job_id: i64) -> Result<()> {
    super::read::authorize_job(db, caller, job_id, Permission::JobRun).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let state: String =
        sqlx::query_scalar("SELECT state FROM jobs WHERE id = $1").bind(job_id).fetch_one(&mut *tx).await?;
    let who = &caller.actor.username;
    let action = match state.as_str() {
        "queued" => {
            sqlx::query(
                "UPDATE jobs SET state = 'cancelled', finished_at = $2, cancel_requested_at = $2, cancelled_by = $3, \
                 summary = 'Cancelled before it started' WHERE id = $1",
            )
            .bind(job_id)
            .bind(now)
            .bind(who)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE job_targets SET state = 'cancelled', message = 'Cancelled before it started', finished_at = $2 \
                 WHERE job_id = $1",
            )
            .bind(job_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            "job.cancelled"
        }
        "running" => {
            sqlx::query(
                "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, $2), \
                 cancelled_by = COALESCE(cancelled_by, $3) WHERE id = $1",
            )
            .bind(job_id)
            .bind(now)
            .bind(who)
            .execute(&mut *tx)
            .await?;
            "job.cancel_requested"
        }
        _ => return Err(AppError::Conflict("This job has already finished.".into()).into()),
    };
    let details = json!({ "job_id": job_id, "was": state });
    append_audited(&mut tx, db, caller, action, format!("job {job_id}"), details).await?;
    tx.commit().await?;
    Ok(())
}
