//! A worker: claims jobs, runs them, keeps their leases alive, passes cancel
//! requests and timeouts to them, and turns jobs of vanished workers into
//! interrupted ones. Runs inside `warden serve` and as `warden worker`.

use super::queue::{cancel_requests, claim, finish_many, recover_expired, renew, ClaimedJob, Finished};
use super::runner::{run_job, RunContext};
use crate::error::Result;
use crate::ssh::StopReason;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};
use warden_domain::jobs::JobState;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How long a claimed job stays ours without a heartbeat. A crashed
    /// worker's jobs are recovered this long after its last heartbeat.
    pub lease: Duration,
    /// How often an idle worker looks for jobs queued by other processes.
    pub poll: Duration,
    /// Jobs run at the same time by this worker.
    pub concurrency: usize,
    /// Runs of a job that only reads, after interruptions.
    pub max_attempts: i64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            lease: Duration::from_secs(30),
            poll: Duration::from_millis(500),
            concurrency: 16,
            max_attempts: 3,
        }
    }
}

type Running = Arc<Mutex<HashMap<i64, watch::Sender<Option<StopReason>>>>>;

pub struct Worker {
    id: String,
    ctx: RunContext,
    config: WorkerConfig,
    wake: Arc<Notify>,
    running: Running,
    /// Ends of jobs on their way to the database (see [`Worker::record_ends`]).
    ends: tokio::sync::mpsc::UnboundedSender<(i64, Finished)>,
    ends_rx: Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<(i64, Finished)>>>,
}

impl Worker {
    /// `wake` is notified by whoever enqueues in this process, so a job
    /// starts at once instead of at the next poll.
    pub fn new(ctx: RunContext, config: WorkerConfig, wake: Arc<Notify>) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "warden".into());
        let id = format!("{host}-{}-{:06x}", std::process::id(), rand::random::<u32>() & 0xff_ffff);
        let (ends, ends_rx) = tokio::sync::mpsc::unbounded_channel();
        Worker {
            id,
            ctx,
            config,
            wake,
            running: Arc::new(Mutex::new(HashMap::new())),
            ends,
            ends_rx: Mutex::new(Some(ends_rx)),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Works until `shutdown` turns true. Jobs still running then are left
    /// to their leases (they become interrupted if nobody finishes them).
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let me = Arc::new(self);
        if let Err(e) = recover_expired(&me.ctx.db, me.config.max_attempts).await {
            tracing::error!(error = %e, "recovering interrupted jobs failed");
        }
        let heartbeat = tokio::spawn(me.clone().heartbeat());
        let ends_rx = me.ends_rx.lock().ok().and_then(|mut r| r.take());
        let recorder = ends_rx.map(|rx| tokio::spawn(me.clone().record_ends(rx)));
        let mut poll = tokio::time::interval(me.config.poll);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let free = me.config.concurrency.saturating_sub(me.running.lock().map(|r| r.len()).unwrap_or(0));
            if free > 0 {
                match claim(&me.ctx.db, &me.id, me.config.lease.as_millis() as i64, free as i64).await {
                    Ok(jobs) => {
                        let claimed_some = !jobs.is_empty();
                        for job in jobs {
                            me.start(job);
                        }
                        if claimed_some {
                            continue;
                        }
                    }
                    Err(e) => tracing::warn!(worker = %me.id, error = %e, "claiming jobs failed; retrying"),
                }
            }
            tokio::select! {
                _ = me.wake.notified() => {}
                _ = poll.tick() => {}
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
        }
        heartbeat.abort();
        if let Some(r) = recorder {
            r.abort();
        }
    }

    fn start(self: &Arc<Self>, job: ClaimedJob) {
        let (stop_tx, stop_rx) = watch::channel(None);
        if let Ok(mut r) = self.running.lock() {
            r.insert(job.id, stop_tx.clone());
        }
        let me = self.clone();
        tokio::spawn(async move {
            tracing::info!(job.id = job.id, job.kind = %job.kind, worker = %me.id, "job started");
            let timeout = Duration::from_millis(job.timeout_ms.max(1000) as u64);
            let run = run_job(&me.ctx, &job, stop_rx);
            tokio::pin!(run);
            let result = tokio::select! {
                r = &mut run => r,
                _ = tokio::time::sleep(timeout) => {
                    let _ = stop_tx.send(Some(StopReason::TimedOut));
                    run.await
                }
            };
            let end = result.unwrap_or_else(|e| {
                tracing::error!(job.id = job.id, error = %e, "job failed inside Warden");
                Finished {
                    state: JobState::Failed,
                    summary: "Failed inside Warden (see the server log)".into(),
                    details: json!({ "job_id": job.id, "error": "internal" }),
                }
            });
            // The job stays in `running` (its lease renewed) until its end
            // is in the database.
            let _ = me.ends.send((job.id, end));
        });
    }

    /// Writes the ends of finished jobs, all that are waiting in one
    /// transaction (group commit), then frees their slots.
    async fn record_ends(self: Arc<Self>, mut rx: tokio::sync::mpsc::UnboundedReceiver<(i64, Finished)>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < 256 {
                match rx.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            let ids: Vec<(i64, JobState)> = batch.iter().map(|(id, end)| (*id, end.state)).collect();
            let mut result = finish_many(&self.ctx.db, &self.id, batch.clone()).await;
            if result.is_err() {
                // One more try after a pause (database busy or restarting).
                tokio::time::sleep(Duration::from_secs(1)).await;
                result = finish_many(&self.ctx.db, &self.id, batch).await;
            }
            match result {
                Ok(recorded) => {
                    for ((id, state), ok) in ids.iter().zip(recorded) {
                        if ok {
                            tracing::info!(job.id = id, outcome = state.as_str(), "job finished");
                        } else {
                            tracing::warn!(job.id = id, "job lease was lost before it finished");
                        }
                    }
                }
                // Left running: the lease expires and recovery marks them.
                Err(e) => tracing::error!(error = %e, jobs = ids.len(), "recording the end of jobs failed"),
            }
            if let Ok(mut r) = self.running.lock() {
                for (id, _) in &ids {
                    r.remove(id);
                }
            }
            for (id, _) in &ids {
                let _ = self.ctx.advanced.send(*id);
            }
            self.wake.notify_one();
        }
    }

    /// Every second: passes cancel requests on; every third of the lease:
    /// renews the leases and recovers other workers' expired jobs.
    async fn heartbeat(self: Arc<Self>) {
        let lease_ms = self.config.lease.as_millis() as i64;
        let renew_every = (self.config.lease / 3).max(Duration::from_millis(200));
        let mut tick = tokio::time::interval(Duration::from_secs(1).min(renew_every));
        let mut last_renew = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            let busy = self.running.lock().map(|r| !r.is_empty()).unwrap_or(false);
            if last_renew.elapsed() >= renew_every {
                last_renew = tokio::time::Instant::now();
                if let Err(e) = self.renew_and_recover(lease_ms).await {
                    tracing::warn!(worker = %self.id, error = %e, "renewing job leases failed");
                }
            } else if busy {
                if let Ok(ids) = cancel_requests(&self.ctx.db, &self.id).await {
                    self.stop(&ids, StopReason::Cancelled);
                }
            }
        }
    }

    async fn renew_and_recover(&self, lease_ms: i64) -> Result<()> {
        let running: Vec<i64> = self.running.lock().map(|r| r.keys().copied().collect()).unwrap_or_default();
        let (owned, cancel) = renew(&self.ctx.db, &self.id, lease_ms, &running).await?;
        self.stop(&cancel, StopReason::Cancelled);
        // A job we run but no longer own was taken away (we stalled past
        // the lease): stop working on it.
        let lost: Vec<i64> = running.into_iter().filter(|id| !owned.contains(id)).collect();
        self.stop(&lost, StopReason::Cancelled);
        recover_expired(&self.ctx.db, self.config.max_attempts).await?;
        Ok(())
    }

    fn stop(&self, ids: &[i64], reason: StopReason) {
        if let Ok(r) = self.running.lock() {
            for id in ids {
                if let Some(tx) = r.get(id) {
                    if tx.borrow().is_none() {
                        let _ = tx.send(Some(reason));
                    }
                }
            }
        }
    }
}
