//! P1 and P2: Warden's SSH layer against the peers, on the same hosts in the
//! same run (network namespaces with real sshd, `.ci/lib/test-hosts.sh`).
//!
//! - P1, fan-out, cold: `uname -a` on N hosts (20 and 50) with no open
//!   connection: Warden's executor; Warden's whole job path (queue, worker,
//!   database, audit; the "check connection" kind runs `whoami` and
//!   `uname -a`); `ansible all -m raw` with forks = N; `parallel-ssh -p N`.
//! - P2, warm: the cost of one more command on an open session: Warden's
//!   executor vs raw `ssh -o ControlPath=…` over an existing ControlMaster.
//!
//! Every tool checks host keys strictly against the same pinned keys. Each
//! figure is the median of `--runs` runs; ratios are Warden / peer (< 1 is
//! faster). Needs root (namespaces), `parallel-ssh` (Debian pssh) and
//! `ansible` (PyPI ansible-core): `make bench-ssh` installs both.
//!
//! Options: --hosts 20,50  --runs 3  --warm 50  --ansible PATH
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_backend::access::load_caller;
use warden_backend::jobs::{get_job, start_job, RetryPolicy, RunContext, Worker, WorkerConfig};
use warden_backend::ssh::{
    approve_host_key, fetch_host_key, load_or_create_identity, pinned_key, CommandSpec, ExecutorConfig, HostTarget,
    MasterKey, SshExecutor, SshRuntime,
};
use warden_backend::{Db, JobSignals};
use warden_domain::jobs::JobKind;

const STATE: &str = "/tmp/warden-bench-hosts";

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    warm: usize,
    ansible: String,
}

fn parse_args() -> Args {
    let mut a = Args { sizes: vec![20, 50], runs: 3, warm: 50, ansible: "ansible".into() };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--hosts" => a.sizes = value.split(',').map(|n| n.parse().expect("--hosts 20,50")).collect(),
            "--runs" => a.runs = value.parse().expect("--runs N"),
            "--warm" => a.warm = value.parse().expect("--warm N"),
            "--ansible" => a.ansible = value,
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn addr(n: usize) -> String {
    format!("10.78.{}.{}", n / 200, n % 200 + 2)
}

fn sh(program: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let max = *args.sizes.iter().max().expect("sizes");
    let work = std::env::temp_dir().join(format!("warden-bench-ssh-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();

    // Warden: a database, its identity, an admin; the peers: a plain key.
    let db = Db::connect(&format!("sqlite://{}?mode=rwc", work.join("warden.db").display()), 8).await.unwrap();
    db.migrate().await.unwrap();
    let (master, _) = MasterKey::load_or_create(&work.join("master.key")).unwrap();
    let identity = load_or_create_identity(&db, &master).await.unwrap();
    let hasher = warden_backend::access::PasswordHasher::new(1);
    let admin_id = warden_backend::access::add_user_from_cli(&db, &hasher, "bench", "admin", "a long bench password")
        .await
        .unwrap();
    let admin = load_caller(&db, admin_id, "bench").await.unwrap();
    let peer_key = work.join("peer_key");
    sh("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-f", peer_key.to_str().unwrap()]);
    let keys = work.join("authorized_keys");
    let peer_pub = std::fs::read_to_string(work.join("peer_key.pub")).unwrap();
    std::fs::write(&keys, format!("{}\n{peer_pub}", identity.public_key())).unwrap();
    let script = root().join(".ci/lib/test-hosts.sh");
    sh(script.to_str().unwrap(), &["up", &max.to_string(), STATE, keys.to_str().unwrap()]);

    // Pin every host's key in Warden; the same keys in the peers' known_hosts.
    let mut host_ids = Vec::new();
    let mut known = String::new();
    for n in 1..=max {
        let form =
            warden_domain::inventory::HostForm { name: format!("host{n}"), address: addr(n), ..Default::default() };
        let id = warden_backend::inventory::create_host(&db, &admin, &form).await.unwrap();
        let key = fetch_host_key(&db, &admin, id, Duration::from_secs(5)).await.unwrap();
        approve_host_key(&db, &admin, id, &key.fingerprint).await.unwrap();
        let pinned = pinned_key(&db, id).await.unwrap().unwrap();
        known.push_str(&pinned.known_hosts_line(&addr(n), 22));
        host_ids.push(id);
    }
    let known_hosts = work.join("known_hosts");
    std::fs::write(&known_hosts, known).unwrap();
    println!("# {max} hosts up; each figure is the median of {} runs", args.runs);

    for &n in &args.sizes {
        let ids = &host_ids[..n];
        let mut executor = Vec::new();
        let mut job = Vec::new();
        let mut ansible = Vec::new();
        let mut pssh = Vec::new();
        for _ in 0..args.runs {
            executor.push(warden_executor_cold(&db, &identity, ids).await);
            job.push(warden_job_cold(&db, &admin, &identity, ids).await);
            ansible.push(ansible_cold(&args.ansible, &work, &peer_key, &known_hosts, n));
            pssh.push(pssh_cold(&work, &peer_key, &known_hosts, n));
        }
        let (e, j, a, p) = (median(executor), median(job), median(ansible), median(pssh));
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "P1 N={n:>2}  warden executor {:>6.0} ms  warden job {:>6.0} ms  ansible raw {:>6.0} ms  parallel-ssh {:>6.0} ms",
            ms(e), ms(j), ms(a), ms(p)
        );
        println!(
            "P1 N={n:>2}  ratios: executor/ansible {:.2}  executor/pssh {:.2}  job/ansible {:.2}  job/pssh {:.2}",
            ms(e) / ms(a),
            ms(e) / ms(p),
            ms(j) / ms(a),
            ms(j) / ms(p)
        );
    }

    let (warden_ms, raw_ms) =
        warm_per_command(&db, &identity, host_ids[0], &peer_key, &known_hosts, args.warm, &work).await;
    println!(
        "P2 warm per command over {} commands: warden {warden_ms:.1} ms  raw ssh over ControlMaster {raw_ms:.1} ms  ratio {:.2}",
        args.warm,
        warden_ms / raw_ms
    );
    let _ = std::fs::remove_dir_all(&work);
}

async fn targets(db: &Db, ids: &[i64]) -> Vec<(HostTarget, warden_backend::ssh::HostKey)> {
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let key = pinned_key(db, *id).await.unwrap().unwrap();
        let target = HostTarget {
            host_id: *id,
            address: addr(i + 1).parse().unwrap(),
            port: warden_domain::SshPort::DEFAULT,
            user: "root".parse().unwrap(),
        };
        out.push((target, key));
    }
    out
}

/// A new executor (no session open) runs `uname -a` on every host at once.
async fn warden_executor_cold(db: &Db, identity: &warden_backend::ssh::WardenIdentity, ids: &[i64]) -> Duration {
    let runtime = Arc::new(SshRuntime::create(identity).unwrap());
    let executor = Arc::new(SshExecutor::new(runtime, ExecutorConfig::default()));
    let targets = targets(db, ids).await;
    let t0 = Instant::now();
    let runs = targets.iter().map(|(t, k)| {
        let executor = executor.clone();
        async move {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let (_stop_tx, mut stop) = tokio::sync::watch::channel(None);
            let out = executor.run(t, k, &CommandSpec::new("uname").arg("-a"), &tx, &mut stop).await;
            drop(tx);
            let mut lines = 0;
            while rx.recv().await.is_some() {
                lines += 1;
            }
            assert!(out.is_ok_and(|o| o.exit_code == Some(0)) && lines == 1, "uname failed on {}", t.address);
        }
    });
    futures::future::join_all(runs).await;
    let took = t0.elapsed();
    for (t, _) in &targets {
        executor.forget(t.host_id).await;
    }
    took
}

/// The product path: a "check connection" job through the queue and a worker
/// with a new executor, from enqueue to the job's end.
async fn warden_job_cold(
    db: &Db,
    admin: &warden_backend::access::Caller,
    identity: &warden_backend::ssh::WardenIdentity,
    ids: &[i64],
) -> Duration {
    let runtime = Arc::new(SshRuntime::create(identity).unwrap());
    let signals = JobSignals::default();
    let ctx = RunContext {
        db: db.clone(),
        executor: Arc::new(SshExecutor::new(runtime, ExecutorConfig::default())),
        retry: RetryPolicy::default(),
        advanced: signals.advanced.clone(),
        connect_timeout: Duration::from_secs(5),
    };
    let (stop, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(Worker::new(ctx, WorkerConfig::default(), signals.wake.clone()).run(rx));
    let t0 = Instant::now();
    let job = start_job(db, admin, JobKind::CheckConnection, ids, serde_json::json!({})).await.unwrap();
    signals.wake.notify_one();
    loop {
        let d = get_job(db, admin, job).await.unwrap();
        if d.job.state.is_finished() {
            assert_eq!(d.job.state, warden_domain::jobs::JobState::Succeeded, "{d:?}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let took = t0.elapsed();
    let _ = stop.send(true);
    took
}

fn ssh_opts(key: &Path, known_hosts: &Path) -> String {
    format!(
        "-i {} -o IdentitiesOnly=yes -o UserKnownHostsFile={} -o StrictHostKeyChecking=yes -o BatchMode=yes -F /dev/null",
        key.display(),
        known_hosts.display()
    )
}

fn ansible_cold(ansible: &str, work: &Path, key: &Path, known_hosts: &Path, n: usize) -> Duration {
    let inventory = work.join(format!("inventory-{n}"));
    let lines: String = (1..=n).map(|i| format!("host{i} ansible_host={}\n", addr(i))).collect();
    std::fs::write(&inventory, format!("[all]\n{lines}")).unwrap();
    // A fresh control-path directory: no master from an earlier run is reused.
    let cp = work.join(format!("acp-{:x}", rand::random::<u32>()));
    let t0 = Instant::now();
    let out = Command::new(ansible)
        .args([
            "all",
            "-i",
            inventory.to_str().unwrap(),
            "-m",
            "raw",
            "-a",
            "uname -a",
            "-f",
            &n.to_string(),
            "-u",
            "root",
        ])
        .env("ANSIBLE_HOST_KEY_CHECKING", "True")
        .env("ANSIBLE_SSH_ARGS", format!("{} -o ControlMaster=auto -o ControlPersist=60s", ssh_opts(key, known_hosts)))
        .env("ANSIBLE_SSH_CONTROL_PATH_DIR", &cp)
        .env("ANSIBLE_PRIVATE_KEY_FILE", key)
        .env("ANSIBLE_LOCAL_TEMP", work.join("ansible-tmp"))
        .env("ANSIBLE_PYTHON_INTERPRETER", "auto_silent")
        .output()
        .expect("run ansible");
    let took = t0.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.matches("CHANGED").count() == n, "ansible failed: {text}");
    took
}

fn pssh_cold(work: &Path, key: &Path, known_hosts: &Path, n: usize) -> Duration {
    let hosts = work.join(format!("pssh-hosts-{n}"));
    std::fs::write(&hosts, (1..=n).map(|i| format!("root@{}\n", addr(i))).collect::<String>()).unwrap();
    let t0 = Instant::now();
    let out = Command::new("parallel-ssh")
        .args([
            "-h",
            hosts.to_str().unwrap(),
            "-p",
            &n.to_string(),
            "-x",
            &ssh_opts(key, known_hosts),
            "-i",
            "uname -a",
        ])
        .output()
        .expect("run parallel-ssh");
    let took = t0.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.matches("[SUCCESS]").count() == n, "parallel-ssh failed: {text}");
    took
}

/// Mean time of one `uname -a` on an open session: Warden's executor vs
/// `ssh -o ControlPath=…` over a ControlMaster started beforehand.
async fn warm_per_command(
    db: &Db,
    identity: &warden_backend::ssh::WardenIdentity,
    host_id: i64,
    key: &Path,
    known_hosts: &Path,
    count: usize,
    work: &Path,
) -> (f64, f64) {
    let runtime = Arc::new(SshRuntime::create(identity).unwrap());
    let executor = SshExecutor::new(runtime, ExecutorConfig::default());
    let (target, pinned) = targets(db, &[host_id]).await.remove(0);
    let command = CommandSpec::new("uname").arg("-a");
    let run = || async {
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let (_s, mut stop) = tokio::sync::watch::channel(None);
        executor.run(&target, &pinned, &command, &tx, &mut stop).await.unwrap();
    };
    run().await; // opens the session
    let t0 = Instant::now();
    for _ in 0..count {
        run().await;
    }
    let warden = t0.elapsed().as_secs_f64() * 1000.0 / count as f64;

    let control = work.join("cm");
    let opts = ssh_opts(key, known_hosts);
    let mut master: Vec<String> = opts.split(' ').map(String::from).collect();
    master.extend(["-o", "ControlMaster=yes", "-o", "ControlPersist=60", "-o"].map(String::from));
    master.push(format!("ControlPath={}", control.display()));
    master.extend(["-f", "-N", &format!("root@{}", addr(1))].map(String::from));
    let status = Command::new("ssh").args(&master).status().unwrap();
    assert!(status.success());
    let t0 = Instant::now();
    for _ in 0..count {
        let out = Command::new("ssh")
            .args([
                "-o",
                &format!("ControlPath={}", control.display()),
                "-F",
                "/dev/null",
                &format!("root@{}", addr(1)),
                "uname -a",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let raw = t0.elapsed().as_secs_f64() * 1000.0 / count as f64;
    let _ = Command::new("ssh")
        .args(["-o", &format!("ControlPath={}", control.display()), "-O", "exit", &format!("root@{}", addr(1))])
        .output();
    (warden, raw)
}
