//! The `warden` binary's subcommands, run as a person would run them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warden-cli-{}-{:016x}", std::process::id(), rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn warden(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .env_remove("WARDEN_DATABASE_URL")
        .env("WARDEN_DATA_DIR", dir)
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run warden");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_bad_names() {
    let dir = data_dir();
    let ok = warden(
        &dir,
        &["user", "add", "--username", "alice", "--role", "admin", "--password-stdin"],
        Some("correct horse battery\n"),
    );
    assert!(ok.status.success(), "{}", text(&ok));
    let bad = warden(
        &dir,
        &["user", "add", "--username", "bob;rm -rf", "--role", "admin", "--password-stdin"],
        Some("correct horse battery\n"),
    );
    assert!(!bad.status.success());
    assert!(text(&bad).contains("username:"), "{}", text(&bad));
    let weak =
        warden(&dir, &["user", "add", "--username", "bob", "--role", "viewer", "--password-stdin"], Some("password\n"));
    assert!(!weak.status.success());
    assert!(text(&weak).contains("password:"), "{}", text(&weak));
}

#[test]
fn audit_verify_names_the_edited_or_deleted_row() {
    let dir = data_dir();
    for (name, role) in [("alice", "admin"), ("bob", "viewer"), ("carol", "auditor")] {
        let o = warden(
            &dir,
            &["user", "add", "--username", name, "--role", role, "--password-stdin"],
            Some("correct horse battery\n"),
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = warden(&dir, &["audit", "verify"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("intact: 3 rows"), "{}", text(&o));

    let db = dir.join("warden.db");
    let sql = |q: &str| {
        let st = Command::new("python3")
            .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()"])
            .arg(&db)
            .arg(q)
            .status()
            .unwrap();
        assert!(st.success());
    };
    sql("UPDATE audit_log SET target = 'mallory' WHERE id = 2");
    let o = warden(&dir, &["audit", "verify"], None);
    assert!(!o.status.success(), "an edited row must fail verification");
    assert!(text(&o).contains("row 2"), "{}", text(&o));

    sql("UPDATE audit_log SET target = 'bob' WHERE id = 2");
    assert!(warden(&dir, &["audit", "verify"], None).status.success(), "restored content verifies again");
    sql("DELETE FROM audit_log WHERE id = 2");
    let o = warden(&dir, &["audit", "verify"], None);
    assert!(!o.status.success(), "a deleted row must fail verification");
    assert!(text(&o).contains("row 2"), "{}", text(&o));
}

#[test]
fn audit_export_and_config_redact_secrets() {
    let dir = data_dir();
    let o = warden(
        &dir,
        &["user", "add", "--username", "alice", "--role", "admin", "--password-stdin"],
        Some("correct horse battery\n"),
    );
    assert!(o.status.success());
    let csv = warden(&dir, &["audit", "export", "--format", "csv"], None);
    assert!(csv.status.success());
    let out = String::from_utf8_lossy(&csv.stdout);
    assert!(out.contains("user.created") && !out.contains("correct horse battery"), "{out}");
    let json = warden(&dir, &["audit", "export", "--format", "json", "--since", "2000-01-01"], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON export");
    assert_eq!(v.as_array().unwrap().len(), 1);

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warden"));
    let cfg = cmd
        .arg("config")
        .env("WARDEN_DATABASE_URL", "postgres://warden:s3cret-pw@db.internal/warden")
        .current_dir(&dir)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&cfg.stdout);
    assert!(cfg.status.success());
    assert!(shown.contains("postgres://warden:***@db.internal/warden") && !shown.contains("s3cret-pw"), "{shown}");
}

#[test]
fn inspect_parse_shows_what_warden_understood_and_names_the_bad_line() {
    let dir = data_dir();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("freebsd/tests/samples");
    let jls = std::fs::read_to_string(samples.join("jls-v-01.txt")).expect("sample");
    let ok = warden(&dir, &["inspect", "parse", "--format", "jls-v"], Some(&jls));
    assert!(ok.status.success(), "{}", text(&ok));
    let json: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(json.pointer("/0/name").and_then(|v| v.as_str()), Some("ioc-log-server-01"), "{json}");
    // from a file too
    let file = samples.join("uname-a-01.txt");
    let ok = warden(&dir, &["inspect", "parse", "--format", "uname", file.to_str().unwrap()], None);
    assert!(ok.status.success(), "{}", text(&ok));
    // output it does not understand: non-zero, with the reason
    let bad = warden(&dir, &["inspect", "parse", "--format", "zpool-list"], Some("this is not zpool output\n"));
    assert!(!bad.status.success());
    assert!(text(&bad).contains("zpool-list output not understood"), "{}", text(&bad));
    let unknown = warden(&dir, &["inspect", "parse", "--format", "nope"], Some(""));
    assert!(!unknown.status.success() && text(&unknown).contains("use one of: jls, jls-v"), "{}", text(&unknown));
}

#[test]
fn a_replaced_master_key_stops_start_up_with_a_clear_message() {
    let dir = data_dir();
    let serve = || {
        Command::new(env!("CARGO_BIN_EXE_warden"))
            .arg("serve")
            .env_remove("WARDEN_DATABASE_URL")
            .env("WARDEN_DATA_DIR", &dir)
            .env("WARDEN_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run warden serve")
    };
    // First start: the master key (0600) and the identity are made.
    let mut first = serve();
    let key = dir.join("master.key");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let identity_made = || {
        let out = warden(&dir, &["audit", "export", "--format", "json"], None);
        String::from_utf8_lossy(&out.stdout).contains("ssh.identity_created")
    };
    while !(key.exists() && identity_made()) {
        assert!(std::time::Instant::now() < deadline, "the first start made no master key and identity");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    first.kill().unwrap();
    let _ = first.wait();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    // Another master key in its place: start-up stops and says why.
    std::fs::write(&key, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n").unwrap();
    let out = serve().wait_with_output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("does not open Warden's SSH key"), "{text}");
}

#[test]
fn a_new_data_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let parent = data_dir();
    let dir = parent.join("fresh");
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("migrate")
        .env_remove("WARDEN_DATABASE_URL")
        .env("WARDEN_DATA_DIR", &dir)
        .current_dir(&parent)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
}
