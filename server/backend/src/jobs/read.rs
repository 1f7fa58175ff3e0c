//! Reading jobs: the jobs list, the job page and its log. A job is visible
//! to a user who may read jobs in the groups of all its hosts.

use super::log::{read_after, read_window};
use crate::access::{authorize, Caller};
use crate::db::filter::{bind_all, Bind, Filter};
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
use warden_domain::inventory::ListPage;
use warden_domain::jobs::{JobDetail, JobKind, JobListQuery, JobState, JobSummary, JobTarget, OutputLine, OutputPage};
use warden_domain::{AppError, Permission, Reach, Scope};

const PER_PAGE: u32 = 50;

/// Checks `permission` on every group the job's hosts are in. A job the
/// caller may not even read answers `NotFound`, like an absent one.
pub(crate) async fn authorize_job(db: &Db, caller: &Caller, job_id: i64, permission: Permission) -> Result<()> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM jobs WHERE id = $1").bind(job_id).fetch_optional(db.pool()).await?;
    exists.ok_or(AppError::NotFound)?;
    let groups: Vec<Option<i64>> = sqlx::query_scalar("SELECT DISTINCT group_id FROM job_targets WHERE job_id = $1")
        .bind(job_id)
        .fetch_all(db.pool())
        .await?;
    let scopes: Vec<Scope> =
        if groups.is_empty() { vec![Scope::Global] } else { groups.into_iter().map(Scope::of_group).collect() };
    if !scopes.iter().all(|s| caller.actor.can(Permission::JobRead, s)) {
        return Err(AppError::NotFound.into());
    }
    for scope in &scopes {
        authorize(db, caller, permission, scope).await?;
    }
    Ok(())
}

fn summary_from_row(r: &sqlx::any::AnyRow) -> Result<JobSummary> {
    Ok(JobSummary {
        id: r.try_get("id")?,
        kind: r.try_get::<String, _>("kind")?.parse().unwrap_or(JobKind::Noop),
        title: r.try_get("title")?,
        state: r.try_get::<String, _>("state")?.parse().unwrap_or(JobState::Failed),
        summary: r.try_get("summary")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        hosts: r.try_get("hosts")?,
        hosts_failed: r.try_get("hosts_failed")?,
    })
}

const SUMMARY_SELECT: &str =
    "SELECT j.id, j.kind, j.title, j.state, j.summary, j.created_by, j.created_at, j.started_at, \
     j.finished_at, (SELECT COUNT(*) FROM job_targets t WHERE t.job_id = j.id) AS hosts, \
     (SELECT COUNT(*) FROM job_targets t WHERE t.job_id = j.id AND t.state = 'failed') AS hosts_failed FROM jobs j";

/// The jobs list, newest first, filtered by state, kind and host.
pub async fn list_jobs(db: &Db, caller: &Caller, query: &JobListQuery) -> Result<ListPage<JobSummary>> {
    if !caller.actor.can_somewhere(Permission::JobRead) {
        authorize(db, caller, Permission::JobRead, &Scope::Global).await?;
    }
    let mut filter = Filter::new();
    if let Reach::Groups(ids) = caller.actor.reach(Permission::JobRead) {
        // Only jobs with hosts, all of them in the caller's groups.
        let list = if ids.is_empty() {
            "NULL".to_string()
        } else {
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        };
        filter.push_sql("EXISTS (SELECT 1 FROM job_targets t WHERE t.job_id = j.id)".into());
        filter.push_sql(format!(
            "NOT EXISTS (SELECT 1 FROM job_targets t WHERE t.job_id = j.id AND (t.group_id IS NULL OR t.group_id NOT IN ({list})))"
        ));
    }
    if let Ok(state) = query.state.parse::<JobState>() {
        filter.push("j.state = ?", [Bind::Text(state.as_str().into())]);
    }
    if let Ok(kind) = query.kind.parse::<JobKind>() {
        filter.push("j.kind = ?", [Bind::Text(kind.as_str().into())]);
    }
    if let Some(host) = query.host {
        filter.push("EXISTS (SELECT 1 FROM job_targets t WHERE t.job_id = j.id AND t.host_id = ?)", [Bind::Int(host)]);
    }
    let page = query.page.max(1);
    let sql = format!(
        "{SUMMARY_SELECT}{} ORDER BY j.id DESC LIMIT {PER_PAGE} OFFSET {}",
        filter.where_sql(),
        i64::from(page - 1) * i64::from(PER_PAGE)
    );
    let rows = bind_all(sqlx::query(&sql), filter.binds()).fetch_all(db.pool()).await?;
    let items = rows.iter().map(summary_from_row).collect::<Result<Vec<_>>>()?;
    let count_sql = format!("SELECT COUNT(*) AS n FROM jobs j{}", filter.where_sql());
    let total: i64 = bind_all(sqlx::query(&count_sql), filter.binds()).fetch_one(db.pool()).await?.try_get("n")?;
    Ok(ListPage { items, total, page, per_page: PER_PAGE })
}

/// The job page: the job, each host's outcome, and whether the caller may cancel.
pub async fn get_job(db: &Db, caller: &Caller, job_id: i64) -> Result<JobDetail> {
    authorize_job(db, caller, job_id, Permission::JobRead).await?;
    let r = sqlx::query(&format!("{SUMMARY_SELECT} WHERE j.id = $1")).bind(job_id).fetch_one(db.pool()).await?;
    let job = summary_from_row(&r)?;
    let extra = sqlx::query("SELECT attempts, timeout_ms, cancelled_by, plan FROM jobs WHERE id = $1")
        .bind(job_id)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query(
        "SELECT position, host_id, host_name, state, message, exit_code, host_key_fingerprint, attempts, started_at, \
         finished_at, group_id FROM job_targets WHERE job_id = $1 ORDER BY position",
    )
    .bind(job_id)
    .fetch_all(db.pool())
    .await?;
    let mut targets = Vec::with_capacity(rows.len());
    let mut may_run = true;
    for t in &rows {
        may_run &= caller.actor.can(Permission::JobRun, &Scope::of_group(t.try_get("group_id")?));
        targets.push(JobTarget {
            position: t.try_get("position")?,
            host_id: t.try_get("host_id")?,
            host_name: t.try_get("host_name")?,
            state: JobState::from_target_str(&t.try_get::<String, _>("state")?).unwrap_or(JobState::Failed),
            message: t.try_get("message")?,
            exit_code: t.try_get("exit_code")?,
            host_key_fingerprint: t.try_get("host_key_fingerprint")?,
            attempts: t.try_get("attempts")?,
            started_at: t.try_get("started_at")?,
            finished_at: t.try_get("finished_at")?,
        });
    }
    if rows.is_empty() {
        may_run = caller.actor.can(Permission::JobRun, &Scope::Global);
    }
    Ok(JobDetail {
        can_cancel: may_run && !job.state.is_finished(),
        job,
        attempts: extra.try_get("attempts")?,
        timeout_ms: extra.try_get("timeout_ms")?,
        cancelled_by: extra.try_get("cancelled_by")?,
        targets,
        plan: extra.try_get::<Option<String>, _>("plan")?.and_then(|p| serde_json::from_str(&p).ok()),
    })
}

/// A window of the log: the last `limit` lines, or those before `before`.
pub async fn job_log(db: &Db, caller: &Caller, job_id: i64, before: Option<i64>, limit: i64) -> Result<OutputPage> {
    authorize_job(db, caller, job_id, Permission::JobRead).await?;
    read_window(db, job_id, before, limit.clamp(1, 5000)).await
}

/// Lines after `after` (for a live stream or the download), and whether the
/// job has finished (then no more lines will come once these are read).
pub async fn job_log_after(
    db: &Db,
    caller: &Caller,
    job_id: i64,
    after: i64,
    limit: i64,
) -> Result<(Vec<OutputLine>, JobState)> {
    authorize_job(db, caller, job_id, Permission::JobRead).await?;
    // Read the state first: lines written before it finished are all in
    // the database by the time it says so.
    let state: String =
        sqlx::query_scalar("SELECT state FROM jobs WHERE id = $1").bind(job_id).fetch_one(db.pool()).await?;
    let lines = read_after(db, job_id, after, limit.clamp(1, 10_000)).await?;
    Ok((lines, state.parse().unwrap_or(JobState::Failed)))
}
