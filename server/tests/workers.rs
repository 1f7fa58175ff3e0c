//! The job engine as processes: `warden serve` killed with SIGKILL while a
//! remote command runs (real sshd in a network namespace), and two
//! `warden worker` processes sharing one PostgreSQL queue.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use warden_backend::Db;

const WARDEN: &str = env!("CARGO_BIN_EXE_warden");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A Warden data directory and the environment every command gets.
struct Install {
    dir: PathBuf,
    env: Vec<(&'static str, String)>,
}

impl Install {
    fn new(database_url: Option<String>) -> Install {
        let dir = std::env::temp_dir().join(format!("warden-workers-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut env = vec![
            ("WARDEN_DATA_DIR", dir.display().to_string()),
            ("WARDEN_LISTEN", format!("127.0.0.1:{}", free_port())),
            ("WARDEN_JOB_LEASE_SECONDS", "3".to_string()),
            ("RUST_LOG", "info".to_string()),
        ];
        if let Some(url) = database_url {
            env.push(("WARDEN_DATABASE_URL", url));
        }
        Install { dir, env }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(WARDEN);
        c.args(args).envs(self.env.iter().map(|(k, v)| (*k, v.as_str())));
        c
    }

    fn run(&self, args: &[&str], stdin: &str) -> String {
        use std::io::Write;
        let mut child =
            self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "warden {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Starts a long-running command with its log in `log`.
    fn spawn(&self, args: &[&str], log: &str) -> Child {
        let log = std::fs::File::create(self.dir.join(log)).unwrap();
        self.command(args).stdout(Stdio::null()).stderr(log).spawn().unwrap()
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }

    async fn db(&self) -> Db {
        let url = self
            .env
            .iter()
            .find(|(k, _)| *k == "WARDEN_DATABASE_URL")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.dir.join("warden.db").display()));
        Db::connect(&url, 2).await.unwrap()
    }
}

async fn wait_for<F, Fut>(what: &str, limit: Duration, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let t0 = Instant::now();
    while !f().await {
        assert!(t0.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn scalar_text(db: &Db, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(sql).fetch_one(db.pool()).await.unwrap_or_default()
}

fn processes(needle: &str) -> usize {
    let out = Command::new("pgrep").args(["-f", "-x", needle]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().count()
}

fn hosts_script(args: &[&str]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/lib/test-hosts.sh");
    let out = Command::new(script).args(args).output().unwrap();
    assert!(out.status.success(), "test-hosts.sh {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_job_interrupts_and_never_reruns() {
    let w = Install::new(None);
    w.run(&["user", "add", "--username", "admin", "--role", "admin", "--password-stdin"], "a long admin password\n");
    let mut server = w.spawn(&["serve"], "serve-1.log");
    // The server makes Warden's key at start; the test host trusts it.
    let db = w.db().await;
    wait_for("the SSH identity", Duration::from_secs(20), || async {
        !scalar_text(&db, "SELECT public_key FROM ssh_identity").await.is_empty()
    })
    .await;
    let hosts = PathBuf::from("/tmp/warden-workers-hosts");
    std::fs::create_dir_all(&hosts).unwrap();
    let keys = hosts.join("authorized_keys");
    std::fs::write(&keys, scalar_text(&db, "SELECT public_key FROM ssh_identity").await + "\n").unwrap();
    hosts_script(&["up", "1", hosts.to_str().unwrap(), keys.to_str().unwrap()]);

    let admin = warden_backend::access::load_caller(&db, 1, "test").await.unwrap();
    let form =
        warden_domain::inventory::HostForm { name: "crashy".into(), address: "10.78.0.3".into(), ..Default::default() };
    let host = warden_backend::inventory::create_host(&db, &admin, &form).await.unwrap();
    let key = warden_backend::ssh::fetch_host_key(&db, &admin, host, Duration::from_secs(3)).await.unwrap();
    warden_backend::ssh::approve_host_key(&db, &admin, host, &key.fingerprint).await.unwrap();

    let job: i64 = w
        .run(&["job", "start", "--kind", "wait", "--seconds", "29", "--host", "crashy", "--as", "admin"], "")
        .parse()
        .unwrap();
    wait_for("the remote sleep", Duration::from_secs(20), || async { processes("sleep 29") == 1 }).await;

    // SIGKILL: no cleanup, no goodbye to the database.
    server.kill().unwrap();
    server.wait().unwrap();
    let killed = Instant::now();
    let state = format!("SELECT state FROM jobs WHERE id = {job}");
    assert_eq!(scalar_text(&db, &state).await, "running");

    let mut server = w.spawn(&["serve"], "serve-2.log");
    wait_for("the job to be interrupted", Duration::from_secs(30), || async {
        scalar_text(&db, &state).await == "interrupted"
    })
    .await;
    let recovered = killed.elapsed();
    // The lease is 3 s: recovery comes within it plus a sweep.
    assert!(recovered < Duration::from_secs(15), "recovered after {recovered:?}");
    // It is never run again: still exactly one remote sleep, a while later too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(processes("sleep 29"), 1, "the remote command was started twice");
    assert_eq!(scalar_text(&db, &format!("SELECT CAST(attempts AS TEXT) FROM jobs WHERE id = {job}")).await, "1");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'job.interrupted'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(audited, 1);
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = Command::new("pkill").args(["-f", "-x", "sleep 29"]).output();

    // Secrets: neither the private key nor the master key reached the logs
    // or the audit log.
    let master = std::fs::read(w.dir.join("master.key")).unwrap();
    let master_hex: String = master.iter().map(|b| format!("{b:02x}")).collect();
    let master_text = String::from_utf8_lossy(&master).trim().to_string();
    let audit: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_log").fetch_all(db.pool()).await.unwrap();
    for (name, text) in
        [("serve-1.log", w.log("serve-1.log")), ("serve-2.log", w.log("serve-2.log")), ("audit", audit.join("\n"))]
    {
        assert!(name == "audit" || text.contains("Warden is listening"), "{name}: {text}");
        assert!(!text.contains("PRIVATE KEY"), "{name} shows the private key");
        assert!(!text.contains(&master_hex) && !text.contains(&master_text), "{name} shows the master key");
    }
    eprintln!("SIGKILL → interrupted in {recovered:?} (lease 3 s)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_worker_processes_share_one_postgres_queue() {
    let Some(url) = common::database_url(Path::new("/nonexistent"), true).await else {
        eprintln!("WARDEN_TEST_PG_URL is not set: skipped");
        return;
    };
    let w = Install::new(Some(url));
    w.run(&["user", "add", "--username", "admin", "--role", "admin", "--password-stdin"], "a long admin password\n");
    let db = w.db().await;
    let admin = warden_backend::access::load_caller(&db, 1, "test").await.unwrap();
    const JOBS: i64 = 300;
    for _ in 0..JOBS {
        let noop = warden_domain::jobs::JobKind::Noop;
        warden_backend::jobs::start_job(&db, &admin, noop, &[], serde_json::json!({})).await.unwrap();
    }
    let mut a = w.spawn(&["worker", "--concurrency", "4"], "worker-a.log");
    let mut b = w.spawn(&["worker", "--concurrency", "4"], "worker-b.log");
    let done = "SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'";
    wait_for("all jobs", Duration::from_secs(60), || async {
        sqlx::query_scalar::<_, i64>(done).fetch_one(db.pool()).await.unwrap_or(0) == JOBS
    })
    .await;
    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
    let twice: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE attempts <> 1").fetch_one(db.pool()).await.unwrap();
    assert_eq!(twice, 0, "a job ran twice");
    let records: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'job.finished'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(records, JOBS);
    let workers: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT actor) FROM audit_log WHERE action = 'job.finished'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(workers, 2, "both processes should have run jobs");
}
