//! P5: the inventory over HTTP at a real organisation's size.
//!
//! Seeds 1 000 hosts / 20 000 jails / 100 000 services (`warden dev seed`)
//! into a fresh SQLite database, starts the real server binary, signs in,
//! and measures with N concurrent keep-alive clients for a fixed time each:
//! - baseline: GET /healthz (no session, one trivial query)
//! - the authenticated jails list, first page of 50 rows (server function)
//! - a filtered search (text + state, sorted by host) (server function)
//! - a services filter (state, sorted by host) over 100 000 rows
//! - the whole server-rendered /jails page
//!
//! It prints requests/s, p50/p95/p99 per figure and each figure's throughput
//! as a ratio of the baseline measured in the same run.
//!
//! Run: `make bench-inventory` (builds the release binary first). Options:
//!   --bin PATH  --clients N (8)  --seconds S (10)  --hosts/--jails/--services
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    bin: PathBuf,
    clients: usize,
    seconds: u64,
    hosts: usize,
    jails: usize,
    services: usize,
}

fn parse_args() -> Args {
    let mut a = Args {
        bin: "target/release/warden".into(),
        clients: 8,
        seconds: 10,
        hosts: 1000,
        jails: 20000,
        services: 100000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        let number = || value.parse::<usize>().unwrap_or_else(|_| panic!("{flag}: not a number: {value}"));
        match flag.as_str() {
            "--bin" => a.bin = value.clone().into(),
            "--clients" => a.clients = number(),
            "--seconds" => a.seconds = number() as u64,
            "--hosts" => a.hosts = number(),
            "--jails" => a.jails = number(),
            "--services" => a.services = number(),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// The server process; killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn warden(args: &Args, dir: &std::path::Path, listen: &str) -> Command {
    let mut c = Command::new(&args.bin);
    c.env("WARDEN_DATA_DIR", dir)
        .env("WARDEN_LISTEN", listen)
        .env("RUST_LOG", "warn")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_OUTPUT_NAME", "warden");
    c
}

/// One figure: what to request, and how.
enum Probe {
    Get(&'static str),
    ServerFn(&'static str, serde_json::Value),
}

struct Figure {
    name: &'static str,
    requests: usize,
    per_second: f64,
    p50: Duration,
    p95: Duration,
    p99: Duration,
}

async fn measure(name: &'static str, base: &str, client: &reqwest::Client, probe: Probe, args: &Args) -> Figure {
    let probe = Arc::new(probe);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (client, probe, base) = (client.clone(), probe.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let res = match &*probe {
                    Probe::Get(path) => client.get(format!("{base}{path}")).send().await,
                    Probe::ServerFn(endpoint, body) => {
                        client
                            .post(format!("{base}/api/{endpoint}"))
                            .header("content-type", "application/json")
                            .body(body.to_string())
                            .send()
                            .await
                    }
                };
                let res = res.expect("request");
                assert!(res.status().is_success(), "{} answered {}", name, res.status());
                let text = res.text().await.expect("body");
                assert!(!text.contains("\"Err\""), "{name}: {text}");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("client task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Figure {
        name,
        requests: all.len(),
        per_second: all.len() as f64 / elapsed,
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    assert!(args.bin.exists(), "no server binary at {} (make bench-inventory builds it)", args.bin.display());
    let dir = std::env::temp_dir().join(format!("warden-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("data dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let listen = format!("127.0.0.1:{port}");
    let base = format!("http://{listen}");

    let t = Instant::now();
    let out = warden(&args, &dir, &listen)
        .args(["dev", "seed", "--hosts", &args.hosts.to_string(), "--jails", &args.jails.to_string()])
        .args(["--services", &args.services.to_string()])
        .output()
        .expect("run warden dev seed");
    assert!(out.status.success(), "seed failed: {}", String::from_utf8_lossy(&out.stderr));
    eprintln!("seeded in {:.1} s: {}", t.elapsed().as_secs_f64(), String::from_utf8_lossy(&out.stdout).trim());
    let mut add = warden(&args, &dir, &listen)
        .args(["user", "add", "--username", "bench", "--role", "admin", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("user add");
    use std::io::Write;
    add.stdin.take().expect("stdin").write_all(b"bench password 123\n").expect("password");
    assert!(add.wait().expect("user add").success());

    let _server = Server(warden(&args, &dir, &listen).arg("serve").stderr(Stdio::null()).spawn().expect("serve"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let up = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(up.elapsed() < Duration::from_secs(30), "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let res = client
        .post(format!("{base}/login"))
        .form(&[("username", "bench"), ("password", "bench password 123"), ("next", "")])
        .send()
        .await
        .expect("login");
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/"), "sign-in failed");

    let search = serde_json::json!({ "query": { "q": "x0012", "state": "running", "group": "", "sort": "host" } });
    let figures = vec![
        measure("baseline GET /healthz", &base, &client, Probe::Get("/healthz"), &args).await,
        measure(
            "jails list, 50 rows",
            &base,
            &client,
            Probe::ServerFn("jails", serde_json::json!({ "query": {} })),
            &args,
        )
        .await,
        measure("jails search + filter", &base, &client, Probe::ServerFn("jails", search), &args).await,
        measure(
            "services filter (state)",
            &base,
            &client,
            Probe::ServerFn("services", serde_json::json!({ "query": { "state": "stopped", "sort": "host" } })),
            &args,
        )
        .await,
        measure("GET /jails page (SSR)", &base, &client, Probe::Get("/jails?state=running"), &args).await,
    ];
    let baseline = figures[0].per_second;
    println!(
        "P5 inventory at {} hosts / {} jails / {} services, SQLite, {} clients × {} s each",
        args.hosts, args.jails, args.services, args.clients, args.seconds
    );
    for f in &figures {
        println!(
            "{:<26} {:>8.0} req/s  p50 {:>6.1} ms  p95 {:>6.1} ms  p99 {:>6.1} ms  ({} requests; {:.2}× baseline throughput)",
            f.name, f.per_second, ms(f.p50), ms(f.p95), ms(f.p99), f.requests, f.per_second / baseline
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
