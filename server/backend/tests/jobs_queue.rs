//! The job queue without SSH: claims under leases, recovery of jobs whose
//! worker vanished, and two workers sharing one queue, on SQLite and on
//! PostgreSQL. (Two `warden worker` processes: server/tests/workers.rs.)

mod common;

use common::{add, audit, count};
use std::sync::Arc;
use std::time::Duration;
use warden_backend::jobs::{claim, recover_expired, start_job, RetryPolicy, RunContext, Worker, WorkerConfig};
use warden_backend::ssh::{load_or_create_identity, ExecutorConfig, MasterKey, SshExecutor, SshRuntime};
use warden_backend::{Db, JobSignals};
use warden_domain::inventory::HostForm;
use warden_domain::jobs::JobKind;
use warden_domain::Role;

on_both!(
    expired_leases_are_interrupted_or_requeued,
    two_workers_never_run_a_job_twice,
    cancel_of_a_queued_job,
    jobs_waiting_for_a_busy_host_do_not_hold_up_other_hosts
);

async fn host(db: &Db, admin: &warden_backend::access::Caller, name: &str) -> i64 {
    let form = HostForm { name: name.into(), address: "10.255.0.1".into(), ..Default::default() };
    warden_backend::inventory::create_host(db, admin, &form).await.unwrap()
}

async fn expired_leases_are_interrupted_or_requeued(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let h = host(&db, &admin, "h1").await;
    let wait = start_job(&db, &admin, JobKind::Wait, &[h], serde_json::json!({ "seconds": 30 })).await.unwrap();
    let check = start_job(&db, &admin, JobKind::CheckConnection, &[h], serde_json::json!({})).await.unwrap();
    // A worker claims both with a short lease, then "crashes" (never renews).
    let claimed = claim(&db, "crashed-worker", 50, 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(claim(&db, "other", 50, 10).await.unwrap().is_empty(), "claimed twice");
    assert_eq!(recover_expired(&db, 3).await.unwrap(), 0, "leases still valid");
    tokio::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(recover_expired(&db, 3).await.unwrap(), 2);
    let state = |id: i64| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT state FROM jobs WHERE id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap()
        }
    };
    // Waiting changes the host: never re-run. Checking only reads: queued again.
    assert_eq!(state(wait).await, "interrupted");
    assert_eq!(state(check).await, "queued");
    assert_eq!(audit(&db, "job.interrupted").await.len(), 1);
    assert_eq!(audit(&db, "job.requeued").await.len(), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM job_locks").await, 0, "locks of the dead worker kept");
    // After max attempts even an idempotent job ends interrupted.
    for _ in 0..2 {
        assert_eq!(claim(&db, "w", 1, 10).await.unwrap().len(), 1);
        tokio::time::sleep(Duration::from_millis(20)).await;
        recover_expired(&db, 3).await.unwrap();
    }
    assert_eq!(state(check).await, "interrupted");
}

async fn runtime(db: &Db) -> Arc<SshRuntime> {
    let key = std::env::temp_dir().join(format!("warden-mk-{:016x}", rand::random::<u64>()));
    let (master, _) = MasterKey::load_or_create(&key).unwrap();
    let identity = load_or_create_identity(db, &master).await.unwrap();
    Arc::new(SshRuntime::create(&identity).unwrap())
}

fn worker_on(db: &Db, runtime: &Arc<SshRuntime>, signals: &JobSignals, rx: tokio::sync::watch::Receiver<bool>) {
    let ctx = RunContext {
        db: db.clone(),
        executor: Arc::new(SshExecutor::new(runtime.clone(), ExecutorConfig::default())),
        retry: RetryPolicy::default(),
        advanced: signals.advanced.clone(),
        connect_timeout: Duration::from_secs(1),
    };
    let config = WorkerConfig { poll: Duration::from_millis(20), concurrency: 4, ..Default::default() };
    tokio::spawn(Worker::new(ctx, config, signals.wake.clone()).run(rx));
}

async fn two_workers_never_run_a_job_twice(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    const JOBS: i64 = 200;
    for _ in 0..JOBS {
        start_job(&db, &admin, JobKind::Noop, &[], serde_json::json!({})).await.unwrap();
    }
    let (tx, rx) = tokio::sync::watch::channel(false);
    let (s1, s2) = (JobSignals::default(), JobSignals::default());
    let runtime = runtime(&db).await;
    worker_on(&db, &runtime, &s1, rx.clone());
    worker_on(&db, &runtime, &s2, rx);
    let t0 = std::time::Instant::now();
    while count(&db, "SELECT COUNT(*) AS n FROM jobs WHERE state = 'succeeded'").await < JOBS {
        assert!(t0.elapsed() < Duration::from_secs(60), "jobs did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = tx.send(true);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM jobs WHERE attempts <> 1").await, 0);
    assert_eq!(audit(&db, "job.finished").await.len() as i64, JOBS);
}

async fn cancel_of_a_queued_job(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let viewer = add(&db, "vera", Role::Viewer).await;
    let h = host(&db, &admin, "h1").await;
    let job = start_job(&db, &admin, JobKind::CheckConnection, &[h], serde_json::json!({})).await.unwrap();
    let e = common::app(warden_backend::jobs::cancel_job(&db, &viewer, job).await);
    assert_eq!(e, warden_domain::AppError::Forbidden);
    let e = common::app(start_job(&db, &viewer, JobKind::CheckConnection, &[h], serde_json::json!({})).await);
    assert_eq!(e, warden_domain::AppError::Forbidden);
    warden_backend::jobs::cancel_job(&db, &admin, job).await.unwrap();
    assert!(claim(&db, "w", 1000, 10).await.unwrap().is_empty(), "a cancelled job was claimed");
    let d = warden_backend::jobs::get_job(&db, &viewer, job).await.unwrap();
    assert_eq!(d.job.state, warden_domain::jobs::JobState::Cancelled);
    assert!(!d.can_cancel);
    let e = common::app(warden_backend::jobs::cancel_job(&db, &admin, job).await);
    assert!(matches!(e, warden_domain::AppError::Conflict(_)));
}

/// A host busy with a long job and a queue headed by jobs waiting for it:
/// a job for another host behind them is still claimed, and the waiting
/// ones are not.
async fn jobs_waiting_for_a_busy_host_do_not_hold_up_other_hosts(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let (busy, free) = (host(&db, &admin, "busy").await, host(&db, &admin, "free").await);
    let wait = |h: i64| {
        let (db, admin) = (db.clone(), admin.clone());
        async move { start_job(&db, &admin, JobKind::Wait, &[h], serde_json::json!({ "seconds": 30 })).await }
    };
    let running = wait(busy).await.unwrap();
    assert_eq!(claim(&db, "w", 60_000, 1).await.unwrap()[0].id, running);
    for _ in 0..20 {
        wait(busy).await.unwrap();
    }
    let discover = start_job(&db, &admin, JobKind::Discover, &[free], serde_json::json!({})).await.unwrap();
    let claimed: Vec<i64> = claim(&db, "w", 60_000, 4).await.unwrap().into_iter().map(|j| j.id).collect();
    assert_eq!(claimed, [discover], "only the job whose host is free");
    // And a discovery of the busy host waits its turn, like any job that changes it.
    start_job(&db, &admin, JobKind::Discover, &[busy], serde_json::json!({})).await.unwrap();
    assert!(claim(&db, "w", 60_000, 4).await.unwrap().is_empty());
}
