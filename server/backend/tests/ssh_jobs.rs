//! The SSH layer and the job engine against real sshd hosts: 40 network
//! namespaces on one bridge (`.ci/lib/test-hosts.sh`), each with its own
//! sshd, hostname and FreeBSD simulator. Tests run in parallel; each fault
//! test owns its hosts (numbers below) so faults never leak into others.
//!
//! | hosts  | used by                                   |
//! |--------|-------------------------------------------|
//! | 1–20   | happy path (1–3), fan-out, partial outage |
//! | 21     | host key changed                          |
//! | 22     | cancel                                    |
//! | 23     | link down mid-command                     |
//! | 24     | sshd killed: refused, retried, failed     |
//! | 25     | Warden's key not authorized               |
//! | 26     | secrets not in ps / audit                 |
//! | 27     | per-host lock of mutating jobs            |
//! | 28     | job time limit                            |
//! | 29     | many commands at once, no output lost     |
//! | 31–40  | unreachable during the partial outage     |
//! | 41–48  | FreeBSD discovery and actions (freebsd.rs)|

mod common;
#[path = "ssh_jobs/freebsd.rs"]
mod freebsd;
use freebsd::{
    a_start_that_exits_0_but_does_nothing_fails, ezjail_and_bastille_hosts_end_to_end, hostile_names_are_only_text,
};

use common::{add, audit, Backend};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use warden_backend::access::Caller;
use warden_backend::inventory::create_host;
use warden_backend::jobs::{get_job, job_log, start_job, RetryPolicy, RunContext, Worker, WorkerConfig};
use warden_backend::ssh::{
    approve_host_key, fetch_host_key, load_or_create_identity, ExecutorConfig, MasterKey, SshExecutor, SshRuntime,
    WardenIdentity,
};
use warden_backend::{Db, JobSignals};
use warden_domain::inventory::HostForm;
use warden_domain::jobs::{JobDetail, JobKind, JobState};
use warden_domain::Role;

const HOSTS: u32 = 48;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn script(args: &[&str]) -> String {
    let out = Command::new(root().join(".ci/lib/test-hosts.sh")).args(args).output().expect("run test-hosts.sh");
    assert!(out.status.success(), "test-hosts.sh {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The hosts' state directory; the hosts come up once per test binary.
fn hosts_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from("/tmp/warden-test-hosts");
        let keys = std::env::temp_dir().join(format!("warden-empty-keys-{}", std::process::id()));
        std::fs::write(&keys, "").expect("empty authorized_keys");
        script(&["up", &HOSTS.to_string(), dir.to_str().expect("utf-8"), keys.to_str().expect("utf-8")]);
        dir
    })
}

fn addr(n: u32) -> String {
    format!("10.78.{}.{}", n / 200, n % 200 + 2)
}

/// Lets `identity` log in to host `n` (sshd re-reads the file at each login).
fn authorize_key(n: u32, identity: &WardenIdentity) {
    use std::io::Write;
    let path = hosts_dir().join(format!("h{n}/authorized_keys"));
    let mut f = std::fs::OpenOptions::new().append(true).open(path).expect("authorized_keys");
    writeln!(f, "{}", identity.public_key()).expect("append key");
}

/// One test's Warden: database, identity, executor, a worker, an admin.
struct Env {
    db: Db,
    admin: Caller,
    identity: WardenIdentity,
    signals: JobSignals,
    shutdown: tokio::sync::watch::Sender<bool>,
    _runtime: Arc<SshRuntime>,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy { attempts: 3, base: Duration::from_millis(200), cap: Duration::from_secs(1) }
}

async fn env(db: Db) -> Env {
    env_with(db, fast_retry(), true).await
}

async fn env_with(db: Db, retry: RetryPolicy, with_worker: bool) -> Env {
    hosts_dir();
    let key_path = std::env::temp_dir().join(format!("warden-mk-{:016x}", rand::random::<u64>()));
    let (master, _) = MasterKey::load_or_create(&key_path).expect("master key");
    let identity = load_or_create_identity(&db, &master).await.expect("identity");
    let runtime = Arc::new(SshRuntime::create(&identity).expect("runtime"));
    let config = ExecutorConfig {
        connect_timeout: Duration::from_secs(2),
        keepalive: Duration::from_secs(1),
        ..Default::default()
    };
    let executor = Arc::new(SshExecutor::new(runtime.clone(), config));
    let signals = JobSignals::default();
    let ctx = RunContext {
        db: db.clone(),
        executor,
        retry,
        advanced: signals.advanced.clone(),
        connect_timeout: Duration::from_secs(2),
    };
    let (shutdown, rx) = tokio::sync::watch::channel(false);
    if with_worker {
        let worker = Worker::new(ctx, worker_config(), signals.wake.clone());
        tokio::spawn(worker.run(rx));
    }
    let admin = add(&db, "admin", Role::Admin).await;
    Env { db, admin, identity, signals, shutdown, _runtime: runtime }
}

fn worker_config() -> WorkerConfig {
    WorkerConfig { lease: Duration::from_secs(3), poll: Duration::from_millis(100), concurrency: 8, max_attempts: 3 }
}

impl Env {
    /// Adds host `n` to the inventory; with `trusted`, its key is fetched and
    /// approved and Warden's key is authorized on it.
    async fn host(&self, n: u32, trusted: bool) -> i64 {
        let form = HostForm { name: format!("host{n}"), address: addr(n), ..Default::default() };
        let id = create_host(&self.db, &self.admin, &form).await.expect("create host");
        if trusted {
            authorize_key(n, &self.identity);
            self.trust(id).await;
        }
        id
    }

    async fn trust(&self, id: i64) {
        let key = fetch_host_key(&self.db, &self.admin, id, Duration::from_secs(3)).await.expect("fetch host key");
        approve_host_key(&self.db, &self.admin, id, &key.fingerprint).await.expect("approve");
    }

    async fn start(&self, kind: JobKind, hosts: &[i64], params: serde_json::Value) -> i64 {
        let id = start_job(&self.db, &self.admin, kind, hosts, params).await.expect("start job");
        self.signals.wake.notify_one();
        id
    }

    async fn wait(&self, job: i64, limit: Duration) -> JobDetail {
        let t0 = Instant::now();
        loop {
            let d = get_job(&self.db, &self.admin, job).await.expect("get job");
            if d.job.state.is_finished() {
                return d;
            }
            assert!(t0.elapsed() < limit, "job {job} still {:?} after {limit:?}: {d:#?}", d.job.state);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn log(&self, job: i64) -> String {
        let page = job_log(&self.db, &self.admin, job, None, 5000).await.expect("log");
        page.lines.iter().map(|l| format!("{} {}\n", l.host_name.as_deref().unwrap_or("-"), l.line)).collect()
    }
}

/// Is a process whose command line contains `needle` running (any namespace:
/// network namespaces share the process table)?
fn pgrep(needle: &str) -> bool {
    Command::new("pgrep").args(["-f", needle]).output().map(|o| o.status.success()).unwrap_or(false)
}

on_both!(ezjail_and_bastille_hosts_end_to_end);

macro_rules! on_sqlite {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::common::run(stringify!($name), $crate::Backend::Sqlite, super::$name).await
            }
        }
    )+};
}

on_sqlite!(
    happy_path_on_three_hosts,
    fan_out_to_twenty_hosts,
    changed_host_key_fails_closed,
    cancel_stops_the_remote_process,
    link_down_mid_command,
    refused_is_retried_then_fails,
    unauthorized_key_fails_at_once,
    dead_hosts_do_not_hold_up_the_others,
    secrets_stay_out_of_ps_and_audit,
    one_mutating_job_per_host_at_a_time,
    time_limit_stops_the_remote_process,
    a_start_that_exits_0_but_does_nothing_fails,
    hostile_names_are_only_text,
);

async fn happy_path_on_three_hosts(db: Db) {
    let e = env(db).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(e.host(n, true).await);
    }
    let job = e.start(JobKind::CheckConnection, &ids, serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert_eq!(d.job.state, JobState::Succeeded, "{d:#?}");
    assert_eq!(d.job.summary, "3 of 3 hosts succeeded");
    for t in &d.targets {
        assert_eq!(t.state, JobState::Succeeded);
        assert_eq!(t.exit_code, Some(0));
        assert!(t.message.starts_with("Logged in as root; FreeBSD 14.3-RELEASE-p2 amd64"), "{}", t.message);
        assert!(t.host_key_fingerprint.as_deref().is_some_and(|f| f.starts_with("SHA256:")));
    }
    let log = e.log(job).await;
    for n in 1..=3 {
        assert!(log.contains(&format!("host{n} FreeBSD host{n} 14.3-RELEASE-p2")), "{log}");
        assert!(log.contains(&format!("host{n} $ uname -a")), "{log}");
    }
    // Collect facts fills the inventory.
    let job = e.start(JobKind::CollectFacts, &ids, serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert_eq!(d.job.state, JobState::Succeeded, "{d:#?}");
    let row: (Option<String>, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT os_release, cpus, memory_bytes FROM hosts WHERE id = $1")
            .bind(ids[0])
            .fetch_one(e.db.pool())
            .await
            .unwrap();
    assert_eq!(row, (Some("14.3-RELEASE-p2".into()), Some(4), Some(8_589_934_592)));
    // The audit names who started it, the exact commands, the host key and exit codes.
    let started = audit(&e.db, "job.started").await;
    assert_eq!(started[0].actor, "admin");
    assert!(started[0].details.contains("freebsd-version -ku"), "{}", started[0].details);
    let finished = audit(&e.db, "job.finished").await;
    assert!(
        finished[0].details.contains("SHA256:") && finished[0].details.contains("\"exit_codes\":[0,0,0]"),
        "{}",
        finished[0].details
    );
}

async fn fan_out_to_twenty_hosts(db: Db) {
    let e = env(db).await;
    let mut ids = Vec::new();
    for n in 1..=20 {
        ids.push(e.host(n, true).await);
    }
    let t0 = Instant::now();
    let job = e.start(JobKind::CheckConnection, &ids, serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(60)).await;
    assert_eq!(d.job.state, JobState::Succeeded, "{d:#?}");
    assert_eq!(d.targets.len(), 20);
    eprintln!("fan-out to 20 hosts: {:?}", t0.elapsed());
}

async fn changed_host_key_fails_closed(db: Db) {
    let e = env(db).await;
    let h = e.host(21, true).await;
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    assert_eq!(e.wait(job, Duration::from_secs(30)).await.job.state, JobState::Succeeded);
    let dir = hosts_dir().to_str().unwrap().to_string();
    script(&["rekey", "21", &dir]);
    let marker = format!("{}/h21/sshd.log", dir);
    let before = std::fs::read_to_string(&marker).unwrap_or_default().matches("Accepted publickey").count();
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert_eq!(d.job.state, JobState::Failed);
    assert!(d.targets[0].message.starts_with("Host key changed"), "{}", d.targets[0].message);
    // No login happened, so no command ran.
    let after = std::fs::read_to_string(&marker).unwrap_or_default().matches("Accepted publickey").count();
    assert_eq!(before, after, "a login happened after the key changed");
    let changed = audit(&e.db, "host_key.changed").await;
    assert_eq!(changed.len(), 1);
    // Blocked: the next job does not even try, until a new approval.
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert!(d.targets[0].message.starts_with("Host key changed"), "{}", d.targets[0].message);
    assert!(e.log(job).await.contains("not connecting"));
    e.trust(h).await;
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    assert_eq!(e.wait(job, Duration::from_secs(30)).await.job.state, JobState::Succeeded);
}

async fn cancel_stops_the_remote_process(db: Db) {
    let e = env(db).await;
    let h = e.host(22, true).await;
    let job = e.start(JobKind::Wait, &[h], serde_json::json!({ "seconds": 301 })).await;
    let t0 = Instant::now();
    while !pgrep("sleep 301") {
        assert!(t0.elapsed() < Duration::from_secs(20), "the remote sleep never started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    warden_backend::jobs::cancel_job(&e.db, &e.admin, job).await.expect("cancel");
    let d = e.wait(job, Duration::from_secs(20)).await;
    assert_eq!(d.job.state, JobState::Cancelled, "{d:#?}");
    assert_eq!(d.cancelled_by.as_deref(), Some("admin"));
    assert!(!pgrep("sleep 301"), "the remote sleep survived the cancel");
    assert_eq!(audit(&e.db, "job.cancel_requested").await.len(), 1);
    assert_eq!(audit(&e.db, "job.cancelled").await.len(), 1);
}

async fn link_down_mid_command(db: Db) {
    let e = env(db).await;
    let h = e.host(23, true).await;
    let job = e.start(JobKind::Wait, &[h], serde_json::json!({ "seconds": 302 })).await;
    let t0 = Instant::now();
    while !pgrep("sleep 302") {
        assert!(t0.elapsed() < Duration::from_secs(20), "the remote sleep never started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    script(&["linkdown", "23"]);
    let d = e.wait(job, Duration::from_secs(30)).await;
    script(&["linkup", "23"]);
    assert_eq!(d.job.state, JobState::Failed);
    assert_eq!(d.targets[0].message, "Connection lost", "{d:#?}");
    // The session is rebuilt: the next job works.
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert_eq!(d.job.state, JobState::Succeeded, "{d:#?}");
    let _ = Command::new("pkill").args(["-f", "sleep 302"]).output();
}

async fn refused_is_retried_then_fails(db: Db) {
    let e = env(db).await;
    let h = e.host(24, true).await;
    let dir = hosts_dir().to_str().unwrap().to_string();
    script(&["kill", "24", &dir]);
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    script(&["start", "24", &dir]);
    assert_eq!(d.job.state, JobState::Failed);
    assert_eq!(d.targets[0].attempts, 3);
    assert_eq!(d.targets[0].message, "Connection refused (gave up after 3 attempts)");
    let log = e.log(job).await;
    assert_eq!(log.matches("retrying in").count(), 2, "{log}");
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    assert_eq!(e.wait(job, Duration::from_secs(30)).await.job.state, JobState::Succeeded);
}

async fn unauthorized_key_fails_at_once(db: Db) {
    let e = env(db).await;
    let h = e.host(25, false).await;
    e.trust(h).await;
    let job = e.start(JobKind::CheckConnection, &[h], serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert_eq!(d.job.state, JobState::Failed);
    assert_eq!(d.targets[0].attempts, 1, "a permanent failure must not be retried");
    assert!(d.targets[0].message.starts_with("Authentication denied"), "{}", d.targets[0].message);
    // No approved key: no connection at all.
    let form = HostForm { name: "untrusted".into(), address: addr(25), ..Default::default() };
    let u = create_host(&e.db, &e.admin, &form).await.unwrap();
    let job = e.start(JobKind::CheckConnection, &[u], serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(30)).await;
    assert!(d.targets[0].message.starts_with("Host key not approved"), "{}", d.targets[0].message);
}

async fn dead_hosts_do_not_hold_up_the_others(db: Db) {
    let retry = RetryPolicy { attempts: 2, base: Duration::from_millis(500), cap: Duration::from_secs(1) };
    let e = env_with(db, retry, true).await;
    let mut live = Vec::new();
    for n in 1..=20 {
        live.push(e.host(n, true).await);
    }
    let mut dead = Vec::new();
    for n in 31..=40 {
        dead.push(e.host(n, true).await);
        script(&["linkdown", &n.to_string()]);
    }
    let all: Vec<i64> = live.iter().chain(&dead).copied().collect();
    let job = e.start(JobKind::CheckConnection, &all, serde_json::json!({})).await;
    let d = e.wait(job, Duration::from_secs(60)).await;
    for n in 31..=40 {
        script(&["linkup", &n.to_string()]);
    }
    assert_eq!(d.job.state, JobState::Failed);
    assert_eq!(d.job.hosts_failed, 10, "{d:#?}");
    let started = d.job.started_at.unwrap();
    let first_dead_end =
        d.targets.iter().filter(|t| dead.contains(&t.host_id.unwrap())).map(|t| t.finished_at.unwrap()).min().unwrap();
    for t in &d.targets {
        if dead.contains(&t.host_id.unwrap()) {
            assert!(t.message.starts_with("Connect timeout"), "{}", t.message);
            continue;
        }
        assert_eq!(t.state, JobState::Succeeded, "{t:?}");
        // Live hosts never wait for the dead ones: each is done before the
        // first dead host gives up (two 2 s connect timeouts and a pause),
        // within one connect timeout of the start plus a margin for a busy
        // machine.
        let took = t.finished_at.unwrap() - started;
        assert!(t.finished_at.unwrap() < first_dead_end, "{} finished after a dead host gave up", t.host_name);
        assert!(took < 3000, "{} took {took} ms", t.host_name);
    }
}

async fn secrets_stay_out_of_ps_and_audit(db: Db) {
    let e = env(db).await;
    let h = e.host(26, true).await;
    let job = e.start(JobKind::Wait, &[h], serde_json::json!({ "seconds": 2 })).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let ps = String::from_utf8(Command::new("ps").args(["-eo", "args"]).output().unwrap().stdout).unwrap();
    let private = e.identity.private_key_openssh();
    let secret_line = private.lines().nth(1).unwrap();
    assert!(!ps.contains(secret_line), "private key material in ps");
    assert!(!ps.contains("PRIVATE KEY"));
    assert!(ps.contains("ssh"), "expected the ssh master in ps:\n{ps}");
    e.wait(job, Duration::from_secs(30)).await;
    let rows: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_log").fetch_all(e.db.pool()).await.unwrap();
    for r in rows {
        assert!(!r.contains(secret_line) && !r.contains("PRIVATE KEY"), "{r}");
    }
}

async fn one_mutating_job_per_host_at_a_time(db: Db) {
    let e = env(db).await;
    let h = e.host(27, true).await;
    let first = e.start(JobKind::Wait, &[h], serde_json::json!({ "seconds": 2 })).await;
    let second = e.start(JobKind::Wait, &[h], serde_json::json!({ "seconds": 1 })).await;
    let a = e.wait(first, Duration::from_secs(30)).await;
    let b = e.wait(second, Duration::from_secs(30)).await;
    assert_eq!((a.job.state, b.job.state), (JobState::Succeeded, JobState::Succeeded));
    // The second started only after the first had finished.
    assert!(b.job.started_at.unwrap() >= a.job.finished_at.unwrap(), "{a:#?}\n{b:#?}");
}

async fn time_limit_stops_the_remote_process(db: Db) {
    let e = env(db).await;
    let h = e.host(28, true).await;
    let job = e.start(JobKind::Wait, &[h], serde_json::json!({ "seconds": 303, "timeout_seconds": 2 })).await;
    let d = e.wait(job, Duration::from_secs(20)).await;
    assert_eq!(d.job.state, JobState::Failed, "{d:#?}");
    assert_eq!(d.targets[0].message, "Timed out after 2 s; the remote command was stopped");
    assert!(!pgrep("sleep 303"), "the remote sleep outlived the time limit");
    let e2 = common::app(
        start_job(&e.db, &e.admin, JobKind::Wait, &[h], serde_json::json!({ "seconds": 1, "timeout_seconds": 0 }))
            .await,
    );
    assert_eq!(common::fields(&e2), ["timeout_seconds"]);
}

on_sqlite!(many_commands_at_once_lose_no_output);

/// Twelve commands at once on one session, twenty times: every line of
/// every output arrives (OpenSSH's master used to drop output it had not
/// yet written when the exit status came first; see the executor's WRAPPER),
/// including an empty line and a last line without a newline.
async fn many_commands_at_once_lose_no_output(db: Db) {
    use warden_backend::ssh::{pinned_key, CommandSpec, HostTarget};
    let e = env_with(db, fast_retry(), false).await;
    let id = e.host(29, true).await;
    let key = pinned_key(&e.db, id).await.unwrap().unwrap();
    let config = ExecutorConfig {
        connect_timeout: Duration::from_secs(2),
        keepalive: Duration::from_secs(1),
        ..Default::default()
    };
    let executor = SshExecutor::new(e._runtime.clone(), config);
    let target = HostTarget {
        host_id: id,
        address: addr(29).parse().unwrap(),
        port: warden_domain::SshPort::try_from(22i64).unwrap(),
        user: "root".parse().unwrap(),
    };
    let command = CommandSpec::new("printf").arg("a\\n\\nc");
    for round in 0..20 {
        let runs = (0..12).map(|_| async {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let (_keep, mut stop) = tokio::sync::watch::channel(None);
            let outcome = executor.run(&target, &key, &command, &tx, &mut stop).await.expect("run");
            drop(tx);
            let mut lines = Vec::new();
            while let Some((_, line)) = rx.recv().await {
                lines.push(line);
            }
            (outcome.exit_code, lines)
        });
        for (code, lines) in futures::future::join_all(runs).await {
            assert_eq!(
                (code, lines),
                (Some(0), vec!["a".to_string(), String::new(), "c".to_string()]),
                "round {round}"
            );
        }
    }
}
