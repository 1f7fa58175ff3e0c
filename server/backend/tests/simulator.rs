//! The FreeBSD simulator of the test hosts (tests/sim/bin) answers in the
//! formats Warden's parsers read from real hosts: each simulated output is
//! parsed by the same parser as the recorded sample of that command, and the
//! quirks Warden must survive (a start that exits 0 and does nothing) are
//! there. Runs the scripts locally with a private state directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use warden_freebsd::service::{parse_service_enabled, parse_service_status, ServiceState};
use warden_freebsd::sysrc::{parse_sysrc_changes, parse_sysrc_vars};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../freebsd/tests/samples")
}

struct Sim {
    state: PathBuf,
}

impl Sim {
    fn new() -> Sim {
        let state = std::env::temp_dir().join(format!("warden-sim-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&state).unwrap();
        std::fs::write(
            state.join("services"),
            "/etc/rc.d/sshd\n/usr/local/etc/rc.d/nginx\n/usr/local/etc/rc.d/php-fpm\n/usr/local/etc/rc.d/redis\n",
        )
        .unwrap();
        std::fs::write(state.join("broken"), "redis\n").unwrap();
        Sim { state }
    }

    /// (exit code, stdout, stderr)
    fn run(&self, tool: &str, args: &[&str]) -> (i32, String, String) {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/bin").join(tool);
        let out = Command::new(bin).args(args).env("WARDEN_SIM_STATE", &self.state).output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.state);
    }
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(samples().join(name)).unwrap()
}

#[test]
fn sysrc_answers_like_the_real_one() {
    let sim = Sim::new();
    let (code, out, _) = sim.run("sysrc", &["nginx_enable=YES"]);
    assert_eq!(code, 0);
    let change = &parse_sysrc_changes(&out).unwrap()[0];
    assert_eq!((change.name.as_str(), change.old.as_str(), change.new.as_str()), ("nginx_enable", "", "YES"));
    // The recorded sample came through Bastille (`[jail]:` sections); inside, the same format.
    let sections = warden_freebsd::bastille::parse_jail_sections(&sample("sysrc-set-01.txt")).unwrap();
    assert!(parse_sysrc_changes(&sections[0].output).is_ok(), "the sample parses with the same parser");
    sim.run("sysrc", &["nginx_flags=-c /usr/local/etc/nginx/nginx.conf"]);
    let (_, out, _) = sim.run("sysrc", &["-a"]);
    let vars = parse_sysrc_vars(&out).unwrap();
    assert_eq!(vars.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["nginx_enable", "nginx_flags"]);
    assert_eq!(vars[1].value, "-c /usr/local/etc/nginx/nginx.conf");
    assert!(parse_sysrc_vars(&sample("sysrc-a-01.txt")).is_ok());
    assert_eq!(sim.run("sysrc", &["-n", "nginx_enable"]).1, "YES\n");
    let (code, _, err) = sim.run("sysrc", &["nope_enable"]);
    assert_eq!((code, err.trim()), (1, "sysrc: unknown variable 'nope_enable'"));
}

#[test]
fn service_answers_like_rc_subr() {
    let sim = Sim::new();
    for s in ["sshd", "nginx"] {
        assert_eq!(sim.run("service", &[s, "enable"]).0, 0);
    }
    let (_, out, _) = sim.run("service", &["-e"]);
    let names: Vec<String> = parse_service_enabled(&out).unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["sshd", "nginx"]);
    assert!(parse_service_enabled(&sample("service-e-01.txt")).is_ok());

    let status = |sim: &Sim, name: &str| {
        let (code, out, err) = sim.run("service", &[name, "status"]);
        parse_service_status(&format!("{out}{err}"), code).state
    };
    assert_eq!(status(&sim, "nginx"), ServiceState::NotRunning);
    assert_eq!(sim.run("service", &["nginx", "start"]).1, "Starting nginx.\n");
    assert_eq!(status(&sim, "nginx"), ServiceState::Running);
    let (code, _, err) = sim.run("service", &["nginx", "start"]);
    assert!(code == 1 && err.starts_with("nginx already running? (pid="), "{err}");
    assert_eq!(sim.run("service", &["nginx", "restart"]).0, 0);
    assert_eq!(status(&sim, "nginx"), ServiceState::Running);

    // rc.subr's quirk: a service not enabled is not started, and yet exit 0.
    let (code, out, _) = sim.run("service", &["php-fpm", "start"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Cannot 'start' php-fpm. Set php_fpm_enable to YES"), "{out}");
    assert_eq!(status(&sim, "php-fpm"), ServiceState::NotRunning);
    // A daemon that dies at once: "Starting" and exit 0, but not running.
    sim.run("service", &["redis", "enable"]);
    assert_eq!(sim.run("service", &["redis", "start"]).0, 0);
    assert_eq!(status(&sim, "redis"), ServiceState::NotRunning);

    let (code, _, err) = sim.run("service", &["nosuch", "status"]);
    assert_eq!(code, 1);
    let (code2, out2, err2) = sim.run("service", &["nosuch", "status"]);
    assert_eq!(parse_service_status(&format!("{out2}{err2}"), code2).state, ServiceState::NotFound, "{err}");
    // A jail must run for -j.
    let (code, _, err) = sim.run("service", &["-j", "web1", "-e"]);
    assert!(code == 1 && err.contains("jail \"web1\" not found"));
}

#[test]
fn jls_answers_in_all_three_formats() {
    use warden_freebsd::jls::{parse_jls, parse_jls_json, parse_jls_verbose};
    let sim = Sim::new();
    for (name, jid, v4, v6) in [("web1", "7", "10.0.0.7", "2001:db8::7"), ("db", "3", "10.0.0.3 10.0.1.3", "")] {
        let dir = sim.state.join("jails").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("running"), jid).unwrap();
        let conf = format!("hostname={name}.example.org\npath=/usr/jails/{name}\nipv4={v4}\nipv6={v6}\n");
        std::fs::write(dir.join("conf"), conf).unwrap();
    }
    std::fs::create_dir_all(sim.state.join("jails/stopped")).unwrap();

    let table = parse_jls(&sim.run("jls", &[]).1).unwrap();
    assert_eq!(
        table.iter().map(|j| (j.jid, j.ip4.as_deref())).collect::<Vec<_>>(),
        [(Some(7), Some("10.0.0.7")), (Some(3), Some("10.0.0.3"))]
    );
    assert!(parse_jls(&sample("jls-default-01.txt")).is_ok());

    let verbose = parse_jls_verbose(&sim.run("jls", &["-v"]).1).unwrap();
    assert_eq!((verbose[1].name.as_str(), verbose[1].ipv4.len()), ("db", 2));
    assert_eq!(verbose[0].ipv6, ["2001:db8::7"]);
    assert!(parse_jls_verbose(&sample("jls-v-01.txt")).is_ok());

    let json = parse_jls_json(&sim.run("jls", &["--libxo", "json", "-v"]).1).unwrap();
    assert_eq!(json.version.as_deref(), Some("2"));
    assert_eq!(json.jails[0].name.as_deref(), Some("web1"));
    assert_eq!(json.jails[1].ipv4, ["10.0.0.3", "10.0.1.3"]);
    assert!(parse_jls_json(&sample("jls-libxo-json-01.json")).is_ok());

    assert_eq!(sim.run("jls", &["-j", "web1", "jid"]), (0, "7\n".into(), String::new()));
    let (code, _, err) = sim.run("jls", &["-j", "stopped", "jid"]);
    assert_eq!((code, err.trim()), (1, "jls: jail \"stopped\" not found"));
}
