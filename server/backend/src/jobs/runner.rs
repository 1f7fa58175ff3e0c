//! Runs one claimed job: every host at once (the executor bounds how many
//! commands really run), each host through connect → commands → result, with
//! retries for transient connect failures only.

use super::action_run::run_action;
use super::discover_run::run_discovery;
use super::kinds;
use super::log::{write_log, LogLine};
use super::queue::{ClaimedJob, Finished};
use super::steps::{Halt, On};
use super::together::run_together;
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use crate::ssh::{
    pinned_key, record_host_key_changed, scan, CommandSpec, HostTarget, SshExecutor, SshFailure, StopReason,
};
use serde_json::json;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use warden_domain::jobs::{JobKind, JobState, OutputStream};
use warden_domain::{HostAddress, SshPort, SshUser};

/// Capped exponential backoff with jitter, for transient connect failures.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Connect attempts per host, the first included.
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 4, base: Duration::from_secs(1), cap: Duration::from_secs(15) }
    }
}

impl RetryPolicy {
    /// The pause before attempt `n + 1` (n ≥ 1): base·2ⁿ⁻¹, capped, then
    /// scaled by a random 50–100 % so that many hosts do not retry in step.
    pub fn pause(&self, n: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32 << (n.saturating_sub(1)).min(16));
        exp.min(self.cap).mul_f64(0.5 + rand::random::<f64>() * 0.5)
    }
}

/// What a worker lends the jobs it runs.
#[derive(Clone)]
pub struct RunContext {
    pub db: Db,
    pub executor: Arc<SshExecutor>,
    pub retry: RetryPolicy,
    pub advanced: broadcast::Sender<i64>,
    pub connect_timeout: Duration,
}

struct Target {
    position: i64,
    host_id: Option<i64>,
    host_name: String,
    address: Option<String>,
    port: i64,
    user: Option<String>,
}

/// How one host ended.
pub(crate) struct TargetEnd {
    pub state: JobState,
    pub message: String,
    pub exit_code: Option<i64>,
    fingerprint: Option<String>,
    attempts: i64,
    pub exit_codes: Vec<Option<i32>>,
}

impl TargetEnd {
    fn failed(message: impl Into<String>) -> Self {
        TargetEnd {
            state: JobState::Failed,
            message: message.into(),
            exit_code: None,
            fingerprint: None,
            attempts: 0,
            exit_codes: Vec::new(),
        }
    }
}

async fn load_targets(db: &Db, job_id: i64) -> Result<Vec<Target>> {
    let rows = sqlx::query(
        "SELECT t.position, t.host_id, t.host_name, h.address, h.ssh_port, h.ssh_user FROM job_targets t \
         LEFT JOIN hosts h ON h.id = t.host_id WHERE t.job_id = $1 AND t.state IN ('pending', 'running') \
         ORDER BY t.position",
    )
    .bind(job_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Target {
                position: r.try_get("position")?,
                host_id: r.try_get("host_id")?,
                host_name: r.try_get("host_name")?,
                address: r.try_get("address")?,
                port: r.try_get::<Option<i64>, _>("ssh_port")?.unwrap_or(22),
                user: r.try_get("ssh_user")?,
            })
        })
        .collect()
}

/// Runs `job` to its end (or until `stop` says so) and says how it ended.
pub async fn run_job(
    ctx: &RunContext,
    job: &ClaimedJob,
    stop: watch::Receiver<Option<StopReason>>,
) -> Result<Finished> {
    let (log_tx, log_rx) = mpsc::unbounded_channel::<LogLine>();
    let writer = tokio::spawn(write_log(ctx.db.clone(), job.id, log_rx, ctx.advanced.clone()));
    let result = run_targets(ctx, job, stop, &log_tx).await;
    drop(log_tx);
    match writer.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(job.id = job.id, error = %e, "writing the job log failed"),
        Err(e) => tracing::error!(job.id = job.id, error = %e, "the job log writer panicked"),
    }
    result
}

async fn run_targets(
    ctx: &RunContext,
    job: &ClaimedJob,
    stop: watch::Receiver<Option<StopReason>>,
    log: &mpsc::UnboundedSender<LogLine>,
) -> Result<Finished> {
    let commands = match kinds::commands(job.kind, &job.params) {
        Ok(c) => c,
        Err(message) => {
            return Ok(Finished {
                state: JobState::Failed,
                summary: message.clone(),
                details: json!({ "error": message }),
            })
        }
    };
    if job.attempts > 1 {
        let _ = log.send((None, OutputStream::Info, format!("attempt {} (the previous worker stopped)", job.attempts)));
    }
    let targets = load_targets(&ctx.db, job.id).await?;
    if !targets.is_empty() {
        mark_running(&ctx.db, job.id).await?;
    }
    let commands = &commands;
    let runs = targets.iter().map(|t| {
        let stop = stop.clone();
        async move {
            let end = run_target(ctx, job, t, commands, stop, log).await?;
            mark_ended(&ctx.db, job.id, t.position, &end).await?;
            Ok::<_, crate::error::BackendError>(end)
        }
    });
    let ends = futures::future::try_join_all(runs).await?;
    let stopped = *stop.borrow();
    let total = ends.len();
    let ok = ends.iter().filter(|e| e.state == JobState::Succeeded).count();
    let state = match stopped {
        Some(StopReason::Cancelled) => JobState::Cancelled,
        _ if ok == total => JobState::Succeeded,
        _ => JobState::Failed,
    };
    let summary = match state {
        JobState::Cancelled => format!("Cancelled; {ok} of {total} hosts had finished"),
        _ if total == 0 => "Done".to_string(),
        _ if ok == total => format!("{total} of {total} hosts succeeded"),
        _ => format!("{} of {total} hosts failed", total - ok),
    };
    let per_host: Vec<_> = targets
        .iter()
        .zip(&ends)
        .map(|(t, e)| {
            json!({
                "host": t.host_name,
                "host_id": t.host_id,
                "state": e.state.as_str(),
                "message": e.message,
                "host_key": e.fingerprint,
                "commands": commands.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "exit_codes": e.exit_codes,
                "attempts": e.attempts,
            })
        })
        .collect();
    let details = json!({ "job_id": job.id, "kind": job.kind.as_str(), "outcome": state.as_str(), "hosts": per_host });
    Ok(Finished { state, summary, details })
}

async fn run_target(
    ctx: &RunContext,
    job: &ClaimedJob,
    t: &Target,
    commands: &[CommandSpec],
    mut stop: watch::Receiver<Option<StopReason>>,
    log: &mpsc::UnboundedSender<LogLine>,
) -> Result<TargetEnd> {
    let info = |text: String| {
        let _ = log.send((Some(t.position), OutputStream::Info, text));
    };
    let (Some(host_id), Some(address), Some(user)) = (t.host_id, t.address.as_ref(), t.user.as_ref()) else {
        return Ok(TargetEnd::failed("The host was deleted."));
    };
    if commands.is_empty() {
        return Ok(TargetEnd { state: JobState::Succeeded, ..TargetEnd::failed("Done") });
    }
    let target = match (address.parse::<HostAddress>(), SshPort::try_from(t.port), user.parse::<SshUser>()) {
        (Ok(address), Ok(port), Ok(user)) => HostTarget { host_id, address, port, user },
        _ => return Ok(TargetEnd::failed("The host's address, port or user is not valid; edit the host.")),
    };
    let key = match pinned_key(&ctx.db, host_id).await? {
        Ok(key) => key,
        Err(failure) => {
            info(format!("not connecting: {failure}"));
            return Ok(TargetEnd::failed(capitalise(&failure.to_string())));
        }
    };
    let mut end = TargetEnd::failed("");
    end.fingerprint = Some(key.fingerprint());
    // Connect, retrying transient failures with backoff.
    loop {
        end.attempts += 1;
        info(format!("connecting to {}@{}:{} (attempt {})", target.user, target.address, target.port, end.attempts));
        match ctx.executor.connect(&target, &key).await {
            Ok(_) => break,
            Err(f) if f.is_transient() && end.attempts < i64::from(ctx.retry.attempts) => {
                let pause = ctx.retry.pause(end.attempts as u32);
                info(format!("{f}; retrying in {:.1} s", pause.as_secs_f64()));
                if stopped_during(&mut stop, pause).await {
                    end.state = JobState::Cancelled;
                    end.message = "Cancelled before it connected".into();
                    return Ok(end);
                }
            }
            Err(SshFailure::HostKeyChanged) => {
                block_changed_host(ctx, job, &target, &info).await?;
                end.message = capitalise(&SshFailure::HostKeyChanged.to_string());
                return Ok(end);
            }
            Err(f) => {
                info(f.to_string());
                end.message = if f.is_transient() {
                    format!("{} (gave up after {} attempts)", capitalise(&f.to_string()), end.attempts)
                } else {
                    capitalise(&f.to_string())
                };
                return Ok(end);
            }
        }
    }
    // Actions and discovery judge each command's answer themselves.
    if matches!(job.kind, JobKind::Action | JobKind::Discover) {
        let on = On { ctx, target: &target, key: &key, position: t.position, log };
        let result = if job.kind == JobKind::Action {
            run_action(&on, &job.params, &mut stop, end).await?
        } else {
            run_discovery(&on, host_id, job.id, &stop, end).await?
        };
        return match result {
            Ok(end) => Ok(end),
            Err((end, halt)) => halted(ctx, job, &target, &info, end, halt).await,
        };
    }
    // Independent reads run at once (their output is replayed in order);
    // everything else runs one command after the other, streamed live.
    let mut together = if job.kind.independent_commands() {
        Some(run_together(&ctx.executor, &target, &key, commands, &stop).await.into_iter())
    } else {
        None
    };
    let mut stdouts = Vec::with_capacity(commands.len());
    for command in commands {
        info(format!("$ {command}"));
        let result = match together.as_mut().and_then(Iterator::next) {
            Some(done) => {
                stdouts.push(done.replay(t.position, log));
                done.result
            }
            None => {
                let (tx, rx) = mpsc::unbounded_channel();
                let collector = tokio::spawn(forward(rx, t.position, log.clone()));
                let result = ctx.executor.run(&target, &key, command, &tx, &mut stop).await;
                drop(tx);
                stdouts.push(collector.await.unwrap_or_default());
                result
            }
        };
        match result {
            Ok(outcome) if outcome.stopped.is_some() => {
                let (state, message) = match outcome.stopped {
                    Some(StopReason::Cancelled) => {
                        (JobState::Cancelled, "Cancelled; the remote command was stopped".to_string())
                    }
                    _ => (
                        JobState::Failed,
                        format!("Timed out after {} s; the remote command was stopped", job.timeout_ms / 1000),
                    ),
                };
                end.exit_codes.push(None);
                end.state = state;
                end.message = message;
                return Ok(end);
            }
            Ok(outcome) => {
                end.exit_codes.push(outcome.exit_code);
                end.exit_code = outcome.exit_code.map(i64::from);
                if outcome.exit_code != Some(0) {
                    let code = outcome.exit_code.map_or("a signal".to_string(), |c| c.to_string());
                    end.message = format!("Command failed: `{command}` exited with {code}");
                    return Ok(end);
                }
            }
            Err(SshFailure::HostKeyChanged) => {
                // The session had to be rebuilt and the host now shows another key.
                block_changed_host(ctx, job, &target, &info).await?;
                end.exit_codes.push(None);
                end.message = capitalise(&SshFailure::HostKeyChanged.to_string());
                return Ok(end);
            }
            Err(f) => {
                info(f.to_string());
                end.exit_codes.push(None);
                end.message = capitalise(&f.to_string());
                return Ok(end);
            }
        }
    }
    match kinds::apply(&ctx.db, job.kind, host_id, &stdouts).await? {
        Ok(message) => {
            end.state = JobState::Succeeded;
            end.message = message;
        }
        Err(message) => end.message = message,
    }
    Ok(end)
}

/// How a host ends when its commands were stopped or its connection failed.
async fn halted(
    ctx: &RunContext,
    job: &ClaimedJob,
    target: &HostTarget,
    info: &impl Fn(String),
    mut end: TargetEnd,
    halt: Halt,
) -> Result<TargetEnd> {
    end.exit_codes.push(None);
    match halt {
        Halt::Stopped(StopReason::Cancelled) => {
            end.state = JobState::Cancelled;
            end.message = "Cancelled; the remote command was stopped".into();
        }
        Halt::Stopped(_) => {
            end.message = format!("Timed out after {} s; the remote command was stopped", job.timeout_ms / 1000);
        }
        Halt::Lost(SshFailure::HostKeyChanged) => {
            block_changed_host(ctx, job, target, info).await?;
            end.message = capitalise(&SshFailure::HostKeyChanged.to_string());
        }
        Halt::Lost(f) => {
            info(f.to_string());
            end.message = capitalise(&f.to_string());
        }
    }
    Ok(end)
}

/// A host showed another key than the pinned one: nothing was run over that
/// connection. Block the host (audited) and keep the key it now shows for
/// an admin to compare and approve.
async fn block_changed_host(
    ctx: &RunContext,
    job: &ClaimedJob,
    target: &HostTarget,
    info: &impl Fn(String),
) -> Result<()> {
    info("host key changed: no command was run; the host is blocked until a new key is approved".into());
    let seen = scan(&target.address, target.port, ctx.connect_timeout).await.ok();
    record_host_key_changed(&ctx.db, target.host_id, job.id, seen.as_ref()).await
}

/// Sends a command's lines to the job log and keeps its stdout (up to 1 MiB)
/// for the kind's result.
async fn forward(
    mut rx: mpsc::UnboundedReceiver<(OutputStream, String)>,
    position: i64,
    log: mpsc::UnboundedSender<LogLine>,
) -> String {
    let mut stdout = String::new();
    while let Some((stream, line)) = rx.recv().await {
        if stream == OutputStream::Out && stdout.len() < 1 << 20 {
            stdout.push_str(&line);
            stdout.push('\n');
        }
        let _ = log.send((Some(position), stream, line));
    }
    stdout
}

/// Sleeps `pause`; true if a stop came first.
async fn stopped_during(stop: &mut watch::Receiver<Option<StopReason>>, pause: Duration) -> bool {
    if stop.borrow().is_some() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(pause) => false,
        r = stop.changed() => r.is_ok() && stop.borrow().is_some(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// All hosts of a job start together (the executor's limits decide when
/// their commands really run).
async fn mark_running(db: &Db, job_id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE job_targets SET state = 'running', started_at = $2 WHERE job_id = $1 AND state = 'pending'")
        .bind(job_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn mark_ended(db: &Db, job_id: i64, position: i64, end: &TargetEnd) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE job_targets SET state = $3, message = $4, exit_code = $5, host_key_fingerprint = $6, \
         attempts = $7, finished_at = $8 WHERE job_id = $1 AND position = $2",
    )
    .bind(job_id)
    .bind(position)
    .bind(end.state.target_str())
    .bind(&end.message)
    .bind(end.exit_code)
    .bind(&end.fingerprint)
    .bind(end.attempts)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let p = RetryPolicy { attempts: 5, base: Duration::from_secs(1), cap: Duration::from_secs(3) };
        for _ in 0..50 {
            let first = p.pause(1);
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
            let second = p.pause(2);
            assert!(second >= Duration::from_secs(1) && second <= Duration::from_secs(2));
            assert!(p.pause(10) <= Duration::from_secs(3));
        }
    }
}
