//! The job worker: inside `warden serve` (unless `workers = 0`) and as
//! `warden worker` processes sharing the database.

use crate::config::Config;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use warden_backend::jobs::{RetryPolicy, RunContext, Worker, WorkerConfig};
use warden_backend::ssh::{ExecutorConfig, SshExecutor, SshRuntime, WardenIdentity};
use warden_backend::{Db, JobSignals};

/// A started worker. Dropping it stops claiming new jobs and removes the SSH
/// runtime directory (the private key file with it).
pub struct RunningWorker {
    shutdown: watch::Sender<bool>,
    _runtime: Arc<SshRuntime>,
}

impl Drop for RunningWorker {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Starts a worker running up to `concurrency` jobs at once.
pub fn start(
    config: &Config,
    db: &Db,
    identity: &WardenIdentity,
    signals: &JobSignals,
    concurrency: usize,
) -> Result<RunningWorker, String> {
    let runtime =
        Arc::new(SshRuntime::create(identity).map_err(|e| format!("cannot create the SSH runtime directory: {e}"))?);
    let connect_timeout = Duration::from_secs(config.ssh_connect_timeout_seconds as u64);
    let executor = SshExecutor::new(runtime.clone(), ExecutorConfig { connect_timeout, ..Default::default() });
    let ctx = RunContext {
        db: db.clone(),
        executor: Arc::new(executor),
        retry: RetryPolicy::default(),
        advanced: signals.advanced.clone(),
        connect_timeout,
    };
    let worker_config = WorkerConfig {
        lease: Duration::from_secs(config.job_lease_seconds as u64),
        concurrency: concurrency.max(1),
        ..Default::default()
    };
    let worker = Worker::new(ctx, worker_config, signals.wake.clone());
    tracing::info!(worker = worker.id(), concurrency, "job worker started");
    let (shutdown, rx) = watch::channel(false);
    tokio::spawn(worker.run(rx));
    Ok(RunningWorker { shutdown, _runtime: runtime })
}

/// `warden worker`: runs jobs until SIGINT/SIGTERM.
pub async fn run_standalone(config: Config, concurrency: usize) -> Result<ExitCode, String> {
    let db = super::open_db(&config).await?;
    let identity = super::serve::load_identity(&config, &db).await?;
    let signals = JobSignals::default();
    let worker = start(&config, &db, &identity, &signals, concurrency)?;
    super::serve::shutdown_signal().await;
    drop(worker);
    Ok(ExitCode::SUCCESS)
}
