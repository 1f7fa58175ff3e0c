//! 50 concurrent sign-ins against the real `warden serve` process: its
//! memory stays bounded (argon2 runs on a fixed pool of threads) and
//! /healthz keeps answering.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_logins_keep_server_memory_bounded_and_health_responsive() {
    let dir = std::env::temp_dir().join(format!("warden-load-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let warden = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_warden"));
        c.args(args)
            .env_remove("WARDEN_DATABASE_URL")
            .env("WARDEN_DATA_DIR", &dir)
            .env("WARDEN_LISTEN", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .current_dir(&dir);
        c
    };
    for user in ["admin", "viewer", "operator", "auditor"] {
        let mut add = warden(&["user", "add", "--username", user, "--role", user, "--password-stdin"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        add.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
        assert!(add.wait().unwrap().success());
    }
    let server = Server(warden(&["serve"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap());
    let pid = server.0.id();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/healthz")).send().await.map(|r| r.status() != 200).unwrap_or(true) {
        assert!(Instant::now() < deadline, "server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Warm-up: one sign-in, so the baseline includes the hashing threads' own memory.
    client.post(format!("{base}/login")).form(&[("username", "admin"), ("password", PASSWORD)]).send().await.unwrap();
    let before = status_kib(pid, "VmRSS:");

    // Two waves of 50: the first may open the database pools' connections;
    // the second must not grow memory further.
    let mut worst = Duration::ZERO;
    let mut peaks = Vec::new();
    for _wave in 0..2 {
        let mut logins = Vec::new();
        for i in 0..50 {
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            let url = format!("{base}/login");
            let user = ["admin", "viewer", "operator", "auditor", "nobody"][i % 5];
            logins.push(tokio::spawn(async move {
                client.post(url).form(&[("username", user), ("password", PASSWORD), ("next", "")]).send().await
            }));
        }
        while logins.iter().any(|h| !h.is_finished()) {
            let t = Instant::now();
            let res = client.get(format!("{base}/healthz")).send().await.expect("healthz");
            assert_eq!(res.status(), 200);
            worst = worst.max(t.elapsed());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for h in logins {
            assert_eq!(h.await.unwrap().expect("login request").status(), 303);
        }
        peaks.push(status_kib(pid, "VmHWM:") / 1024);
    }
    eprintln!(
        "50 logins ×2: server RSS {} MiB before, peak after each wave {peaks:?} MiB; slowest /healthz {worst:?}",
        before / 1024
    );
    // Unbounded, 50 parallel argon2 hashes alone would need 50 × 19 MiB ≈ 950 MiB.
    assert!(peaks[0] < 400, "server peak RSS {} MiB after 50 logins", peaks[0]);
    assert!(peaks[1] <= peaks[0] + 30, "memory kept growing: {peaks:?} MiB");
    assert!(worst < Duration::from_secs(1), "slowest /healthz took {worst:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
