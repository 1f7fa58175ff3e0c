//! P7 and P8: the job queue itself, on SQLite (synchronous=FULL) and on
//! PostgreSQL, measured in the same run.
//!
//! - P7 throughput: N no-op jobs queued, then one worker (256 at a time)
//!   runs them all; jobs/s from the first claim to the last end. Every job
//!   is durable: claimed, finished and audited in committed transactions.
//! - P7 latency: jobs queued one at a time (every 10 ms) while the worker
//!   waits; enqueue → start p50 / p99 from the jobs' own timestamps.
//! - P8 crash recovery: a job claimed by a worker that then vanishes (no
//!   heartbeat): time until a live worker marks it interrupted, with the
//!   lease Warden ships (30 s).
//!
//! Ratios are against the targets of PERFORMANCE.md (SQLite ≥ 1 000 jobs/s,
//! PostgreSQL ≥ 5 000 jobs/s, p99 ≤ 50 ms, recovery ≤ 60 s).
//!
//! Options: --jobs 2000  --latency-jobs 200  --lease 30  --pg URL (omit: SQLite only)
use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_backend::access::{add_user_from_cli, load_caller, Caller, PasswordHasher};
use warden_backend::jobs::{claim, start_job, RetryPolicy, RunContext, Worker, WorkerConfig};
use warden_backend::ssh::{load_or_create_identity, ExecutorConfig, MasterKey, SshExecutor, SshRuntime};
use warden_backend::{Db, JobSignals};
use warden_domain::jobs::JobKind;

struct Args {
    jobs: usize,
    latency_jobs: usize,
    lease: u64,
    pg: Option<String>,
}

fn parse_args() -> Args {
    let mut a = Args { jobs: 2000, latency_jobs: 200, lease: 30, pg: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--jobs" => a.jobs = value.parse().expect("--jobs N"),
            "--latency-jobs" => a.latency_jobs = value.parse().expect("--latency-jobs N"),
            "--lease" => a.lease = value.parse().expect("--lease SECONDS"),
            "--pg" => a.pg = Some(value),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

struct Bench {
    db: Db,
    admin: Caller,
    runtime: Arc<SshRuntime>,
}

impl Bench {
    async fn new(url: &str, dir: &std::path::Path) -> Bench {
        let db = Db::connect(url, 16).await.unwrap();
        db.migrate().await.unwrap();
        let (master, _) =
            MasterKey::load_or_create(&dir.join(format!("master-{:x}.key", rand::random::<u32>()))).unwrap();
        let identity = load_or_create_identity(&db, &master).await.unwrap();
        let id =
            add_user_from_cli(&db, &PasswordHasher::new(1), "bench", "admin", "a long bench password").await.unwrap();
        let admin = load_caller(&db, id, "bench").await.unwrap();
        Bench { db, admin, runtime: Arc::new(SshRuntime::create(&identity).unwrap()) }
    }

    fn worker(&self, lease: Duration, concurrency: usize) -> (JobSignals, tokio::sync::watch::Sender<bool>) {
        let signals = JobSignals::default();
        let ctx = RunContext {
            db: self.db.clone(),
            executor: Arc::new(SshExecutor::new(self.runtime.clone(), ExecutorConfig::default())),
            retry: RetryPolicy::default(),
            advanced: signals.advanced.clone(),
            connect_timeout: Duration::from_secs(5),
        };
        let (stop, rx) = tokio::sync::watch::channel(false);
        let config = WorkerConfig { lease, concurrency, ..Default::default() };
        tokio::spawn(Worker::new(ctx, config, signals.wake.clone()).run(rx));
        (signals, stop)
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(self.db.pool()).await.unwrap()
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let dir = std::env::temp_dir().join(format!("warden-bench-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut backends = vec![("SQLite", format!("sqlite://{}?mode=rwc", dir.join("jobs.db").display()), 1000.0)];
    if let Some(pg) = &args.pg {
        backends.push(("PostgreSQL", fresh_pg(pg).await, 5000.0));
    }
    for (name, url, target) in backends {
        let b = Bench::new(&url, &dir).await;
        throughput(&b, name, args.jobs, target).await;
        latency(&b, name, args.latency_jobs).await;
        recovery(&b, name, Duration::from_secs(args.lease)).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

async fn fresh_pg(url: &str) -> String {
    let name = format!("warden_bench_{:x}", rand::random::<u32>());
    let admin = sqlx::PgPool::connect(url).await.expect("connect to --pg");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    let (prefix, _) = url.rsplit_once('/').expect("URL with a database");
    format!("{prefix}/{name}")
}

async fn throughput(b: &Bench, name: &str, jobs: usize, target: f64) {
    let t0 = Instant::now();
    for _ in 0..jobs {
        start_job(&b.db, &b.admin, JobKind::Noop, &[], serde_json::json!({})).await.unwrap();
    }
    let enqueue = jobs as f64 / t0.elapsed().as_secs_f64();
    let before = b.count("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'").await;
    let (_signals, stop) = b.worker(Duration::from_secs(30), 256);
    let t0 = Instant::now();
    while b.count("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'").await < before + jobs as i64 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = jobs as f64 / t0.elapsed().as_secs_f64();
    let _ = stop.send(true);
    println!(
        "P7 {name:<10} throughput {rate:>7.0} jobs/s (target {target:.0}; ratio {:.2})  enqueue {enqueue:.0} jobs/s",
        rate / target
    );
}

async fn latency(b: &Bench, name: &str, jobs: usize) {
    let (signals, stop) = b.worker(Duration::from_secs(30), 16);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut ids = Vec::new();
    for _ in 0..jobs {
        let id = start_job(&b.db, &b.admin, JobKind::Noop, &[], serde_json::json!({})).await.unwrap();
        signals.wake.notify_one();
        ids.push(id);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let last = *ids.last().unwrap();
    while b.count(&format!("SELECT COUNT(*) FROM jobs WHERE id = {last} AND state = 'succeeded'")).await == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let first = ids[0];
    let mut waits: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT started_at - created_at FROM jobs WHERE id BETWEEN {first} AND {last} ORDER BY 1"
    ))
    .fetch_all(b.db.pool())
    .await
    .unwrap();
    waits.sort_unstable();
    let p = |q: f64| waits[((waits.len() as f64 - 1.0) * q).round() as usize];
    let _ = stop.send(true);
    println!(
        "P7 {name:<10} enqueue→start p50 {} ms  p99 {} ms (target 50; ratio {:.2})",
        p(0.5),
        p(0.99),
        p(0.99) as f64 / 50.0
    );
}

async fn recovery(b: &Bench, name: &str, lease: Duration) {
    let form = warden_domain::inventory::HostForm {
        name: format!("h{:x}", rand::random::<u32>()),
        address: "192.0.2.1".into(),
        ..Default::default()
    };
    let host = warden_backend::inventory::create_host(&b.db, &b.admin, &form).await.unwrap();
    let job = start_job(&b.db, &b.admin, JobKind::Wait, &[host], serde_json::json!({ "seconds": 30 })).await.unwrap();
    // A worker claims it and is never heard of again (SIGKILL, power loss).
    let claimed = claim(&b.db, "vanished-worker", lease.as_millis() as i64, 1).await.unwrap();
    assert_eq!(claimed.first().map(|j| j.id), Some(job));
    let crashed = Instant::now();
    let (_signals, stop) = b.worker(lease, 4);
    let state = format!("SELECT COUNT(*) FROM jobs WHERE id = {job} AND state = 'interrupted'");
    while b.count(&state).await == 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = crashed.elapsed().as_secs_f64();
    let _ = stop.send(true);
    println!(
        "P8 {name:<10} crashed worker's job interrupted after {took:.1} s (lease {} s; target 60 s; ratio {:.2}); re-runs: {}",
        lease.as_secs(),
        took / 60.0,
        b.count(&format!("SELECT attempts - 1 FROM jobs WHERE id = {job}")).await
    );
}
