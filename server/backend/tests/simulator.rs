//! The FreeBSD simulator of the test hosts (tests/sim/bin) answers in the
//! formats Warden's parsers read from real hosts: each simulated output is
//! parsed by the same parser as the recorded sample of that command, and the
//! quirks Warden must survive (a start that exits 0 and does nothing) are
//! there. Runs the scripts locally with a private state directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use warden_freebsd::service::{parse_service_enabled, parse_service_status, ServiceState};
use warden_freebsd::sysrc::{parse_sysrc_changes, parse_sysrc_vars};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../freebsd/tests/samples")
}

struct Sim {
    state: PathBuf,
}

impl Sim {
    /// A host with four services (sshd, nginx, php-fpm, redis) of which
    /// redis dies at start.
    fn new() -> Sim {
        let sim = Sim::empty();
        sim.write(
            "services",
            "/etc/rc.d/sshd\n/usr/local/etc/rc.d/nginx\n/usr/local/etc/rc.d/php-fpm\n/usr/local/etc/rc.d/redis\n",
        );
        sim.write("broken", "redis\n");
        sim
    }

    /// A host with nothing seeded.
    fn empty() -> Sim {
        let state = std::env::temp_dir().join(format!("warden-sim-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&state).unwrap();
        Sim { state }
    }

    /// A host where these jail managers are installed (`$ROOT/managers`).
    fn with_managers(managers: &str) -> Sim {
        let sim = Sim::empty();
        sim.write("managers", &format!("{managers}\n"));
        sim
    }

    /// Writes a state file (parent directories created).
    fn write(&self, path: &str, content: &str) {
        let path = self.state.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.state.join(path)).unwrap()
    }

    fn exists(&self, path: &str) -> bool {
        self.state.join(path).exists()
    }

    /// (exit code, stdout, stderr); stdin is empty (EOF at once).
    fn run(&self, tool: &str, args: &[&str]) -> (i32, String, String) {
        self.run_with_input(tool, args, "")
    }

    fn run_with_input(&self, tool: &str, args: &[&str], input: &str) -> (i32, String, String) {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/bin").join(tool);
        let mut child = Command::new(bin)
            .args(args)
            .env("WARDEN_SIM_STATE", &self.state)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A tool that exits without reading its input closes the pipe: not an error here.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        let out = child.wait_with_output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }

    /// Exit code 0 and stdout, or a panic showing what the tool said.
    fn ok(&self, tool: &str, args: &[&str]) -> String {
        let (code, out, err) = self.run(tool, args);
        assert_eq!(code, 0, "{tool} {args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    /// The JID `jls -j NAME jid` reports, `None` when the jail does not run.
    fn jid(&self, name: &str) -> Option<u32> {
        let (code, out, _) = self.run("jls", &["-j", name, "jid"]);
        (code == 0).then(|| out.trim().parse().unwrap())
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

#[test]
fn sysrc_knows_the_rc_conf_defaults() {
    let sim = Sim::empty();
    assert_eq!(sim.ok("sysrc", &["cron_enable"]), "cron_enable: YES\n");
    let change = sim.ok("sysrc", &["sshd_enable=YES"]);
    assert_eq!(parse_sysrc_changes(&change).unwrap()[0].old, "NO");
    assert_eq!(sim.ok("sysrc", &["-e", "sshd_enable"]), "sshd_enable=\"YES\"\n");
    // -a lists what rc.conf sets, not the defaults; -c checks without changing.
    assert_eq!(sim.ok("sysrc", &["-a"]), "sshd_enable: YES\n");
    assert_eq!(sim.run("sysrc", &["-c", "sshd_enable=YES"]).0, 0);
    assert_eq!(sim.run("sysrc", &["-c", "sshd_enable=NO"]).0, 1);
    sim.ok("sysrc", &["jail_list+=web1", "jail_list+=db"]);
    assert_eq!(sim.ok("sysrc", &["-n", "jail_list"]), "web1 db\n");
    sim.ok("sysrc", &["jail_list-=web1"]);
    assert_eq!(sim.ok("sysrc", &["-n", "jail_list"]), "db\n");
}

#[test]
fn jail_managers_that_are_not_installed_are_not_found() {
    use warden_freebsd::iocage::{parse_iocage_list, IocageList};
    let sim = Sim::empty();
    for (tool, args) in [("ezjail-admin", ["list"]), ("bastille", ["list"]), ("iocage", ["list"])] {
        let (code, out, err) = sim.run(tool, &args);
        assert_eq!((code, out.as_str(), err.trim()), (127, "", format!("sh: {tool}: not found").as_str()));
    }
    // Installed iocage without jails prints iocage's empty tables.
    let sim = Sim::with_managers("iocage");
    assert_eq!(sim.ok("iocage", &["list"]), sample("iocage-list-empty-01.txt"));
    assert_eq!(parse_iocage_list(&sim.ok("iocage", &["list", "-l"])).unwrap(), IocageList::Jails(Vec::new()));
    assert!(
        matches!(parse_iocage_list(&sample("iocage-list-l-01.txt")).unwrap(), IocageList::Jails(j) if j.len() == 4)
    );
}

#[test]
fn ezjail_admin_creates_lists_starts_and_deletes() {
    use warden_freebsd::ezjail::{parse_ezjail_list, EzjailKind, EzjailRunState};
    let sim = Sim::with_managers("ezjail");
    let list = || parse_ezjail_list(&sim.ok("ezjail-admin", &["list"])).unwrap();
    assert!(list().is_empty(), "header only");
    assert!(parse_ezjail_list(&sample("ezjail-list-01.txt")).is_ok());

    assert_eq!(sim.ok("ezjail-admin", &["create", "web1", "em0|10.0.0.5,em0|2001:db8::5"]), "");
    let out = sim.ok("ezjail-admin", &["create", "-f", "example", "db", "10.0.0.6/24"]);
    assert!(out.contains("Warning: IP 10.0.0.6 not configured on a local interface."), "{out}");
    assert!(sim.read("ezjail/web1").contains("export jail_web1_ip=\"em0|10.0.0.5,em0|2001:db8::5\""));
    let jails = list();
    assert_eq!(jails.len(), 2);
    let web1 = jails.iter().find(|j| j.hostname.as_deref() == Some("web1")).unwrap();
    assert_eq!(
        (web1.kind, web1.state, web1.jid, web1.norun),
        (EzjailKind::Directory, EzjailRunState::Stopped, None, false)
    );
    assert_eq!(web1.root.as_deref(), Some("/usr/jails/web1"));
    assert_eq!(
        web1.ips.iter().map(|a| (a.iface.as_deref(), a.addr.as_str())).collect::<Vec<_>>(),
        [(None, "10.0.0.5"), (Some("em0"), "2001:db8::5")]
    );

    // The same name again, and ezjail's own directory names, are refused.
    let (code, _, err) = sim.run("ezjail-admin", &["create", "web1", "em0|10.0.0.7"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("Error: An ezjail config already exists at /usr/local/etc/ezjail/web1.\n"), "{err}");
    let (code, _, err) = sim.run("ezjail-admin", &["create", "basejail", "10.0.0.8"]);
    assert!(code == 1 && err.starts_with("Error: Cannot name the jail basejail."), "{err}");

    assert_eq!(sim.ok("ezjail-admin", &["onestart", "web1"]), "Starting jails: web1.\n");
    assert_eq!(sim.jid("web1"), Some(1));
    let web1 = list().into_iter().find(|j| j.hostname.as_deref() == Some("web1")).unwrap();
    assert_eq!((web1.state, web1.jid, web1.ips.len()), (EzjailRunState::Running, Some(1), 2));
    assert_eq!(sim.ok("ezjail-admin", &["onerestart", "web1"]), "Stopping jails: web1.\nStarting jails: web1.\n");
    assert_eq!(sim.jid("web1"), Some(1));
    assert_eq!(sim.ok("ezjail-admin", &["onestop", "web1"]), "Stopping jails: web1.\n");
    assert_eq!(sim.jid("web1"), None);

    // Plain start is rc.subr's: nothing without ezjail_enable, and ezjail's JID check fails.
    let (code, out, err) = sim.run("ezjail-admin", &["start", "web1"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("Cannot 'start' ezjail. Set ezjail_enable to YES"), "{out}");
    assert_eq!(err, "Error: Could not start web1.\n  You need to start it by hand.\n");
    sim.ok("sysrc", &["ezjail_enable=YES"]);
    assert_eq!(sim.ok("ezjail-admin", &["start", "web1"]), "Starting jails: web1.\n");

    // norun jails are skipped, and that is a success.
    sim.ok("ezjail-admin", &["config", "-r", "norun", "db"]);
    assert_eq!(sim.ok("ezjail-admin", &["onestart", "db"]), " skipping db");
    assert_eq!(sim.jid("db"), None);
    let db = list().into_iter().find(|j| j.hostname.as_deref() == Some("db")).unwrap();
    assert_eq!((db.status.as_str(), db.norun), ("DSN", true));

    // delete: unknown, running (refused), then stopped and wiped.
    let (code, _, err) = sim.run("ezjail-admin", &["delete", "-w", "nope"]);
    assert_eq!((code, err.as_str()), (1, "Error: Nothing known about jail nope.\n"));
    let (code, _, err) = sim.run("ezjail-admin", &["delete", "-w", "web1"]);
    assert!(code == 1 && err.starts_with("Error: Jail appears to be still running."), "{err}");
    sim.ok("ezjail-admin", &["onestop", "web1"]);
    sim.ok("ezjail-admin", &["delete", "-w", "web1"]);
    assert!(!sim.exists("ezjail/web1") && !sim.exists("jails/web1"));
    assert_eq!(list().len(), 1);
}

#[test]
fn ezjail_start_checks_the_jid_and_fails_loudly() {
    let sim = Sim::with_managers("ezjail");
    sim.ok("ezjail-admin", &["create", "web1", "em0|10.0.0.5"]);
    sim.write("broken-jails", "web1\n");
    let (code, out, err) = sim.run("ezjail-admin", &["onestart", "web1"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("Starting jails: cannot start jail \"web1\": \njail: web1: "), "{out}");
    assert_eq!(err, "Error: Could not onestart web1.\n  You need to onestart it by hand.\n");
    assert_eq!(sim.jid("web1"), None);
}

#[test]
fn bastille_creates_lists_starts_stops_and_destroys() {
    use warden_freebsd::bastille::{parse_bastille_list, parse_jail_sections, BastilleListLayout};
    let sim = Sim::with_managers("bastille");
    let list = || parse_bastille_list(&sim.ok("bastille", &["list"])).unwrap();
    assert_eq!(list().jails.len(), 0);
    assert!(parse_bastille_list(&sample("bastille-list-all-01.txt")).is_ok());
    assert!(parse_bastille_list(&sample("bastille-list-01.txt")).is_ok());

    let out = sim.ok("bastille", &["create", "web1", "14.3-RELEASE", "10.0.0.5/24", "vtnet0"]);
    assert!(out.starts_with("\nAttempting to create jail: web1\n\nValid IP: 10.0.0.5/24\n"), "{out}");
    assert!(out.contains("\n[web1]:\nweb1: created\n") && out.contains("Template applied: default/thin"), "{out}");
    // Bastille's jail.conf is a jail.conf(5) file.
    let conf = warden_freebsd::jail_conf::parse_jail_conf(&sim.read("bastille/jails/web1/jail.conf")).unwrap();
    let ip4 = conf.jails[0].params.iter().find(|p| p.name == "ip4.addr").unwrap();
    assert_eq!(
        (conf.jails[0].name.as_str(), ip4.values.as_slice()),
        ("web1", ["vtnet0|10.0.0.5/24".to_string()].as_slice())
    );
    // The default templates ran in the jail.
    assert_eq!(sim.ok("jexec", &["web1", "sysrc", "-n", "syslogd_flags"]), "-ss\n");

    let listed = list();
    assert_eq!(listed.layout, BastilleListLayout::Table);
    let web1 = &listed.jails[0];
    assert_eq!(web1.name.as_deref(), Some("web1"));
    assert_eq!((web1.jid, web1.state.as_deref(), web1.jail_type.as_deref()), (Some(1), Some("Up"), Some("thin")));
    assert_eq!((web1.boot.as_deref(), web1.priority.as_deref()), (Some("on"), Some("99")));
    assert_eq!((web1.release.as_deref(), web1.ips[0].addr.as_str()), (Some("14.3-RELEASE"), "10.0.0.5"));
    assert!(web1.tags.is_empty() && web1.ports.is_empty());

    // Start of a running / stop of a stopped jail: stderr, exit 0 (SPEC 4.5).
    let (code, out, err) = sim.run("bastille", &["start", "web1"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "\n[web1]:\n", "Jail is already running.\n"));
    let stop = sim.ok("bastille", &["stop", "web1"]);
    let sections = parse_jail_sections(&stop).unwrap();
    assert_eq!((sections[0].jail.as_str(), sections[0].output.as_str()), ("web1", "web1: removed\n"));
    assert_eq!(sim.jid("web1"), None);
    let web1 = list().jails.remove(0);
    assert_eq!((web1.jid, web1.state.as_deref(), web1.ips[0].addr.as_str()), (None, Some("Down"), "10.0.0.5"));
    let (code, _, err) = sim.run("bastille", &["stop", "web1"]);
    assert_eq!((code, err.as_str()), (0, "Jail is already stopped.\n"));
    let restart = sim.ok("bastille", &["restart", "web1"]);
    assert!(restart.ends_with("\n[web1]:\nweb1: created\n"), "{restart}");
    assert_eq!(sim.jid("web1"), Some(1));

    // create: an existing name, a release that is not bootstrapped, a bad name.
    let (code, _, err) = sim.run("bastille", &["create", "web1", "14.3-RELEASE", "10.0.0.6"]);
    assert_eq!((code, err.as_str()), (1, "[ERROR]: Jail already exists: web1\n"));
    let (code, _, err) = sim.run("bastille", &["create", "db", "14.2-RELEASE", "10.0.0.6"]);
    assert_eq!((code, err.as_str()), (1, "[ERROR]: Release must be bootstrapped first.\nSee 'bastille bootstrap'.\n"));
    sim.write("bastille/releases", "14.2-RELEASE\n14.3-RELEASE\n");
    let (code, _, err) = sim.run("bastille", &["create", "-db", "14.2-RELEASE", "10.0.0.6"]);
    assert!(code == 1 && err.contains("Unknown Option"), "{err}");
    let (code, _, err) = sim.run("bastille", &["create", "d.b", "14.2-RELEASE", "10.0.0.6"]);
    assert_eq!((code, err.as_str()), (1, "[ERROR]: Jail names may not contain special characters!\n"));
    // Dual stack: the IPv6 address comes on a continuation line.
    sim.ok("bastille", &["create", "db", "14.2-RELEASE", "10.0.0.6 2001:db8::6"]);
    assert_eq!(sim.jid("db"), Some(2));
    let jails = list().jails;
    assert_eq!(jails.iter().map(|j| j.name.clone().unwrap()).collect::<Vec<_>>(), ["db", "web1"]);
    assert_eq!(jails[0].ips.iter().map(|a| a.addr.as_str()).collect::<Vec<_>>(), ["10.0.0.6", "2001:db8::6"]);
    let all = parse_bastille_list(&sim.ok("bastille", &["list", "all"])).unwrap();
    assert_eq!(all.jails[1].path.as_deref(), Some("/usr/local/bastille/jails/web1/root"));
    let (code, _, err) = sim.run("bastille", &["list", "-a"]);
    assert_eq!((code, err.as_str()), (1, "[ERROR]: \"-a\" is deprecated. Use \"all\" instead.\n"));

    // destroy: a running jail is refused (message, exit 0), no -y reads stdin, -y destroys.
    let (code, _, err) = sim.run("bastille", &["destroy", "-y", "web1"]);
    assert_eq!((code, err.as_str()), (0, "Jail is running.\nUse [-a|--auto] to auto-stop the jail.\n"));
    assert!(sim.exists("bastille/jails/web1"));
    sim.ok("bastille", &["stop", "web1"]);
    let (code, _, err) = sim.run("bastille", &["destroy", "web1"]);
    assert_eq!((code, err.as_str()), (1, "[ERROR]: Invalid input. Please answer 'y' or 'n'.\n"));
    let (code, _, err) = sim.run_with_input("bastille", &["destroy", "web1"], "n\n");
    assert_eq!((code, err.as_str()), (1, "[ERROR]: Cancelled by user.\n"));
    assert!(sim.exists("bastille/jails/web1"));
    let out = sim.ok("bastille", &["destroy", "-y", "web1"]);
    assert!(out.starts_with("\n[web1]:\nDestroying jail...\n"), "{out}");
    assert!(!sim.exists("bastille/jails/web1") && !sim.exists("jails/web1"));
    assert_eq!(list().jails.len(), 1);
    let (code, _, err) = sim.run("bastille", &["start", "web1"]);
    assert_eq!((code, err.as_str()), (1, "Jail not found \"web1\"\n"));
}

#[test]
fn a_jail_that_fails_to_start_is_reported_by_exit_code_only_sometimes() {
    let sim = Sim::with_managers("bastille");
    sim.ok("bastille", &["create", "web1", "14.3-RELEASE", "10.0.0.5"]);
    sim.ok("bastille", &["stop", "web1"]);
    sim.write("etc/jail.conf.d/native.conf", "native {\n  path = \"/jails/native\";\n  ip4.addr = \"10.0.0.9\";\n}\n");
    sim.write("broken-jails", "web1\nnative\nnew1\n");

    // bastille start: the normal lines, exit 0, and no jail (SPEC 4.5).
    let (code, out, err) = sim.run("bastille", &["start", "web1"]);
    assert_eq!((code, out.as_str()), (0, "\n[web1]:\n"));
    assert!(err.starts_with("jail: web1: "), "{err}");
    assert_eq!(sim.jid("web1"), None);

    // rc.d/jail: "cannot start jail" and still exit 0.
    sim.ok("sysrc", &["jail_enable=YES"]);
    let out = sim.ok("service", &["jail", "start", "native"]);
    assert!(out.starts_with("Starting jails: cannot start jail \"native\": \njail: native: "), "{out}");
    assert!(out.ends_with("\n.\n"), "{out}");
    assert_eq!(sim.jid("native"), None);

    // jail(8) itself says so.
    let (code, _, err) = sim.run("jail", &["-f", "/etc/jail.conf.d/native.conf", "-c", "native"]);
    assert_eq!((code, err.as_str()), (1, "jail: native: /bin/sh /etc/rc: failed\n"));

    // bastille create checks that the jail runs, and removes it again.
    let (code, _, err) = sim.run("bastille", &["create", "new1", "14.3-RELEASE", "10.0.0.7"]);
    assert_eq!(code, 1);
    assert!(err.ends_with("[ERROR]: Failed to create jail: new1\n"), "{err}");
    assert!(!sim.exists("bastille/jails/new1"));
}

#[test]
fn jail_8_reads_jail_conf_files() {
    let sim = Sim::empty();
    let web1 = r#"web1 {
    host.hostname = "web1.example.org";
    path = "/usr/local/jails/web1";
    ip4.addr = "em0|192.0.2.10/24";
    ip6.addr = "em0|2001:db8::10/64";
    exec.start = "/bin/sh /etc/rc";
    mount.devfs;
    persist;
}
"#;
    sim.write("etc/jail.conf.d/web1.conf", web1);
    sim.write("etc/jail.conf", "# globals\nexec.clean;\ndb { path = /jails/db; ip4.addr = 10.0.0.3, 10.0.0.4; }\n");
    assert!(warden_freebsd::jail_conf::parse_jail_conf(web1).is_ok());

    // jail -e: one line per configured jail, name first, booleans bare, values quoted as jail(8) does;
    // without -f only /etc/jail.conf (its globals included), as jail(8).
    let out = sim.ok("jail", &["-e", "\t"]);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines, [["name=db", "exec.clean", "path=/jails/db", "ip4.addr=10.0.0.3,10.0.0.4"]]);
    let out = sim.ok("jail", &["-f", "/etc/jail.conf.d/web1.conf", "-e", "\t"]);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        lines[..],
        [[
            "name=web1",
            "host.hostname=web1.example.org",
            "path=/usr/local/jails/web1",
            "ip4.addr=em0|192.0.2.10/24",
            "ip6.addr=em0|2001:db8::10/64",
            "exec.start=\"/bin/sh /etc/rc\"",
            "mount.devfs",
            "persist"
        ]]
    );

    let f = "/etc/jail.conf.d/web1.conf";
    assert_eq!(sim.ok("jail", &["-f", f, "-c", "web1"]), "web1: created\n");
    let j = warden_freebsd::jls::parse_jls_verbose(&sim.ok("jls", &["-v", "-j", "web1"])).unwrap();
    assert_eq!(
        (j[0].hostname.as_str(), j[0].ipv4.as_slice(), j[0].ipv6.as_slice()),
        ("web1.example.org", ["192.0.2.10".to_string()].as_slice(), ["2001:db8::10".to_string()].as_slice())
    );
    let (code, _, err) = sim.run("jail", &["-f", f, "-c", "web1"]);
    assert_eq!((code, err.as_str()), (1, "jail: \"web1\" already exists\n"));
    assert_eq!(sim.ok("jail", &["-f", f, "-rc", "web1"]), "web1: removed\nweb1: created\n");
    assert_eq!(sim.ok("jail", &["-f", f, "-r", "web1"]), "web1: removed\n");
    let (code, _, err) = sim.run("jail", &["-f", f, "-r", "web1"]);
    assert_eq!((code, err.as_str()), (1, "jail: \"web1\" not found\n"));
    let (code, _, err) = sim.run("jail", &["-f", "/etc/jail.conf.d/nope.conf", "-c", "nope"]);
    assert_eq!((code, err.as_str()), (1, "jail: /etc/jail.conf.d/nope.conf: No such file or directory\n"));

    // rc.d/jail: needs jail_enable for start (else rc.subr's exit-0 refusal), onestart does not.
    let out = sim.ok("service", &["jail", "start", "web1"]);
    assert!(out.starts_with("Cannot 'start' jail. Set jail_enable to YES"), "{out}");
    assert_eq!(sim.ok("service", &["jail", "onestart", "web1", "db"]), "Starting jails: web1 db.\n");
    assert_eq!((sim.jid("web1"), sim.jid("db")), (Some(1), Some(2)));
    assert_eq!(sim.ok("service", &["jail", "onestop", "db"]), "Stopping jails: db.\n");
    assert_eq!(sim.jid("db"), None);
}

#[test]
fn jexec_runs_the_simulated_tools_inside_the_jail() {
    let sim = Sim::empty();
    let (code, _, err) = sim.run("jexec", &["web1", "service", "-e"]);
    assert_eq!((code, err.as_str()), (1, "jexec: jail \"web1\" not found\n"));
    sim.write("etc/jail.conf", "web1 { path = /jails/web1; ip4.addr = 10.0.0.5; }\n");
    sim.ok("jail", &["-c", "web1"]);
    // A fresh jail runs cron and syslogd (enabled by /etc/defaults/rc.conf), not sshd.
    let enabled = parse_service_enabled(&sim.ok("jexec", &["-l", "web1", "service", "-e"])).unwrap();
    assert_eq!(enabled.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["cron", "syslogd"]);
    sim.ok("jexec", &["-l", "-U", "root", "web1", "/usr/sbin/sysrc", "sshd_enable=YES"]);
    assert_eq!(sim.ok("service", &["-j", "web1", "sshd", "start"]), "Starting sshd.\n");
    assert_eq!(
        sim.ok("jexec", &["web1", "/bin/sh", "-c", "sysrc -n sshd_enable; service sshd status >/dev/null && echo up"]),
        "YES\nup\n"
    );
    // By JID too, and a command that does not exist.
    assert_eq!(sim.ok("jexec", &["1", "freebsd-version", "-u"]), "14.3-RELEASE-p2\n");
    let (code, _, err) = sim.run("jexec", &["web1", "nosuchcommand"]);
    assert_eq!((code, err.as_str()), (1, "jexec: execvp: nosuchcommand: No such file or directory\n"));
}

#[test]
fn pkg_installs_into_a_running_jail() {
    use warden_freebsd::pkg::{parse_pkg_info, parse_pkg_update};
    let sim = Sim::empty();
    let (code, _, err) = sim.run("pkg", &["-j", "web1", "install", "-y", "nginx"]);
    assert_eq!((code, err.as_str()), (1, "pkg: jail \"web1\" not found\n"));
    sim.write("etc/jail.conf", "web1 { path = /jails/web1; ip4.addr = 10.0.0.5; }\n");
    sim.ok("jail", &["-c", "web1"]);

    let out = sim.ok("pkg", &["-j", "web1", "install", "-y", "nginx"]);
    assert!(out.contains("New packages to be INSTALLED:\n\tnginx: 1.26.2_5,3\n\tpcre2: 10.44\n"), "{out}");
    assert!(out.contains("[web1] [2/2] Installing nginx-1.26.2_5,3...\n"), "{out}");
    let update = parse_pkg_update(&out);
    assert_eq!(
        (update.jail_tag.as_deref(), update.repositories.as_slice()),
        (Some("web1"), ["FreeBSD".to_string()].as_slice())
    );
    assert!(update.packages_processed.is_some());
    assert_eq!(parse_pkg_update(&sample("pkg-j-update-01.txt")).jail_tag.as_deref(), Some("apollo-local"));

    // Installed (with its dependency), and its rc.d script is now a service of the jail.
    assert_eq!(sim.run("pkg", &["-j", "web1", "info", "-e", "nginx", "pcre2"]).0, 0);
    assert_eq!(sim.run("pkg", &["-j", "web1", "info", "-e", "nginx", "redis"]).0, 1);
    let info = parse_pkg_info(&sim.ok("pkg", &["-j", "web1", "info"])).unwrap();
    assert_eq!(
        info.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect::<Vec<_>>(),
        [("nginx", "1.26.2_5,3"), ("pcre2", "10.44")]
    );
    assert_eq!(info[0].comment.as_deref(), Some("Robust and small WWW server"));
    assert!(parse_pkg_info(&sample("pkg-info-01.txt")).is_ok());
    assert_eq!(sim.ok("pkg", &["-j", "web1", "query", "-e", "%a == 0", "%n\\t%v"]), "nginx\t1.26.2_5,3\n");
    assert!(sim.read("jails/web1/services").contains("/usr/local/etc/rc.d/nginx\n"));
    assert_eq!(sim.ok("service", &["-j", "web1", "nginx", "onestart"]), "Starting nginx.\n");

    // Again: nothing to do, exit 0. Unknown: nothing installed, exit 1.
    let out = sim.ok("pkg", &["-j", "web1", "install", "-y", "nginx"]);
    assert!(out.ends_with("The most recent versions of packages are already installed\n"), "{out}");
    let (code, _, err) = sim.run("pkg", &["-j", "web1", "install", "-y", "redis", "nosuch"]);
    assert_eq!(code, 1);
    assert_eq!(err, "pkg: No packages available to install matching 'nosuch' have been found in the repositories\n");
    assert_eq!(sim.run("pkg", &["-j", "web1", "info", "-e", "redis"]).0, 1);
    // Without -y pkg asks, and the empty stdin says no.
    let (code, out, _) = sim.run("pkg", &["-j", "web1", "install", "redis"]);
    assert!(code == 1 && out.contains("Proceed with this action? [y/N]: "), "{out}");
    assert_eq!(sim.run("pkg", &["-j", "web1", "info", "-e", "redis"]).0, 1);
    // The host's own packages: pkg and the installed jail managers.
    let host = parse_pkg_info(&sim.ok("pkg", &["info"])).unwrap();
    assert_eq!(host.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["pkg"]);
}

#[test]
fn zfs_and_zpool_list_parse() {
    use warden_freebsd::zfs::{parse_zfs_list, parse_zpool_list};
    let sim = Sim::empty();
    let args = ["list", "-H", "-p", "-o", "name,used,avail,refer,mountpoint", "-t", "filesystem"];
    let datasets = parse_zfs_list(&sim.ok("zfs", &args)).unwrap();
    let jails = datasets.iter().find(|d| d.name == "zroot/jails").unwrap();
    assert_eq!(jails.mountpoint.as_deref(), Some("/usr/jails"));
    assert_eq!(jails.used.as_ref().unwrap().exact, Some(2147483648));
    assert_eq!(datasets.iter().find(|d| d.name == "zroot/ROOT").unwrap().mountpoint.as_deref(), Some("none"));
    // The human format has a header and the same datasets.
    assert_eq!(parse_zfs_list(&sim.ok("zfs", &["list"])).unwrap().len(), datasets.len());
    assert!(parse_zfs_list(&sample("zfs-list-01.txt")).is_ok());

    sim.ok("zfs", &["create", "zroot/jails/web1"]);
    let web1 = parse_zfs_list(&sim.ok("zfs", &["list", "-Hp", "zroot/jails/web1"])).unwrap();
    assert_eq!((web1.len(), web1[0].mountpoint.as_deref()), (1, Some("/usr/jails/web1")));
    let (code, _, err) = sim.run("zfs", &["destroy", "zroot/jails"]);
    assert!(code == 1 && err.starts_with("cannot destroy 'zroot/jails': filesystem has children"), "{err}");
    sim.ok("zfs", &["destroy", "zroot/jails/web1"]);
    let (code, _, err) = sim.run("zfs", &["list", "zroot/jails/web1"]);
    assert_eq!((code, err.as_str()), (1, "cannot open 'zroot/jails/web1': dataset does not exist\n"));

    let pools = parse_zpool_list(&sim.ok("zpool", &["list", "-Hp"])).unwrap();
    assert_eq!((pools[0].name.as_str(), pools[0].health.as_deref()), ("zroot", Some("ONLINE")));
    assert_eq!(pools[0].size.as_ref().unwrap().exact, Some(107374182400));
    assert_eq!(pools[0].cap.as_ref().unwrap().exact, Some(13));
    assert_eq!(parse_zpool_list(&sim.ok("zpool", &["list"])).unwrap()[0].health.as_deref(), Some("ONLINE"));
    assert!(parse_zpool_list(&sample("zpool-list-01.txt")).is_ok());
}

#[test]
fn sockstat_lists_the_listening_services() {
    use warden_freebsd::sockstat::parse_sockstat;
    let sim = Sim::new();
    for s in ["sshd", "nginx"] {
        sim.ok("service", &[s, "onestart"]);
    }
    sim.write("etc/jail.conf", "web1 { path = /jails/web1; ip4.addr = 10.0.0.5; ip6.addr = 2001:db8::5; }\n");
    sim.ok("jail", &["-c", "web1"]);
    sim.write("jails/web1/ports", "redis 6380 tcp\n");
    sim.write("jails/web1/services", "/etc/rc.d/sshd\n/usr/local/etc/rc.d/redis\n");
    sim.ok("service", &["-j", "web1", "redis", "onestart"]);

    let out = sim.ok("sockstat", &["-4l"]);
    assert!(out.starts_with("USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n"), "{out}");
    let rows = parse_sockstat(&out).unwrap();
    let v4: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r.command.as_str(), r.proto.as_str(), r.local.as_ref().unwrap().raw.as_str())).collect();
    assert_eq!(
        v4,
        [
            ("nginx", "tcp4", "*:80"),
            ("nginx", "tcp4", "*:443"),
            ("sshd", "tcp4", "*:22"),
            ("redis-server", "tcp4", "10.0.0.5:6380")
        ]
    );
    assert_eq!(rows[3].user, "redis");
    assert!(rows.iter().all(|r| r.pid.is_some() && r.foreign.as_ref().unwrap().raw == "*:*"));
    let v6 = parse_sockstat(&sim.ok("sockstat", &["-6l"])).unwrap();
    let jail = v6.iter().find(|r| r.command == "redis-server").unwrap().local.clone().unwrap();
    assert_eq!((jail.host.as_str(), jail.port), ("2001:db8::5", Some(6380)));
    assert_eq!(parse_sockstat(&sim.ok("sockstat", &["-4l", "-j", "web1"])).unwrap().len(), 1);
    assert!(parse_sockstat(&sample("sockstat-4l-01.txt")).is_ok());
}

#[test]
fn jls_prints_parameters_and_names() {
    use warden_freebsd::jls::{parse_jls, parse_jls_json, parse_jls_params, JlsValue};
    let sim = Sim::empty();
    sim.write(
        "etc/jail.conf",
        "web1 { host.hostname = web1.example.org; path = /jails/web1; ip4.addr = 10.0.0.5, 10.0.0.6; persist; }\n",
    );
    sim.ok("jail", &["-c", "web1"]);

    let jails = parse_jls_params(&sim.ok("jls", &["-n"])).unwrap();
    let web1 = &jails[0];
    assert_eq!(web1.get("name"), Some(&JlsValue::Text("web1".into())));
    assert_eq!(web1.get("jid"), Some(&JlsValue::Text("1".into())));
    assert_eq!(web1.get("host.hostname"), Some(&JlsValue::Text("web1.example.org".into())));
    assert_eq!(web1.get("ip4.addr"), Some(&JlsValue::List(vec!["10.0.0.5".into(), "10.0.0.6".into()])));
    assert_eq!(web1.get("ip6.addr"), Some(&JlsValue::List(Vec::new())));
    assert_eq!((web1.get("persist"), web1.get("dying")), (Some(&JlsValue::Bool(true)), Some(&JlsValue::Bool(false))));
    assert_eq!(web1.get("env"), Some(&JlsValue::Text(String::new())));
    assert!(parse_jls_params(&sample("jls-n-01.txt")).is_ok());
    assert_eq!(sim.ok("jls", &["-nj", "web1", "name", "persist"]), "name=web1 persist\n");
    let (code, _, err) = sim.run("jls", &["-n", "nosuchparam"]);
    assert_eq!((code, err.as_str()), (1, "jls: unknown parameter: nosuchparam\n"));

    let json = parse_jls_json(&sim.ok("jls", &["--libxo", "json", "-d", "-n"])).unwrap();
    assert_eq!((json.jails[0].jid, json.jails[0].hostname.as_deref()), (Some(1), Some("web1.example.org")));
    assert_eq!(json.jails[0].ipv4, ["10.0.0.5", "10.0.0.6"]);

    let named = parse_jls(&sim.ok("jls", &["-N"])).unwrap();
    assert_eq!((named[0].name.as_deref(), named[0].ip4.as_deref()), (Some("web1"), Some("10.0.0.5")));
    let one = parse_jls(&sim.ok("jls", &["-j", "1"])).unwrap();
    assert_eq!((one.len(), one[0].jid), (1, Some(1)));
}

#[test]
fn ezjail_zfs_jails_get_their_dataset() {
    use warden_freebsd::ezjail::{parse_ezjail_list, EzjailKind};
    use warden_freebsd::zfs::parse_zfs_list;
    let sim = Sim::with_managers("ezjail");
    sim.write("ezjail.conf", "ezjail_use_zfs_for_jails=\"YES\"\n");
    sim.ok("ezjail-admin", &["create", "web1", "em0|10.0.0.5"]);
    let jails = parse_ezjail_list(&sim.ok("ezjail-admin", &["list"])).unwrap();
    assert_eq!((jails[0].status.as_str(), jails[0].kind), ("ZS", EzjailKind::Zfs));
    let names = || -> Vec<String> {
        parse_zfs_list(&sim.ok("zfs", &["list", "-H", "-p", "-r", "zroot/jails"]))
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    };
    assert_eq!(names(), ["zroot/jails", "zroot/jails/web1"]);
    sim.ok("ezjail-admin", &["delete", "-w", "web1"]);
    assert_eq!(names(), ["zroot/jails"]);
}

/// The jail.conf file Warden writes for a jail (values double-quoted, booleans bare).
fn jailconf_file(name: &str, path: &str, ip_param: &str, address: &str) -> String {
    format!(
        "{name} {{\n    host.hostname = \"{name}\";\n    path = \"{path}\";\n    {ip_param} = \"{address}\";\n    \
         exec.start = \"/bin/sh /etc/rc\";\n    exec.stop = \"/bin/sh /etc/rc.shutdown jail\";\n    exec.clean;\n    \
         mount.devfs;\n}}\n"
    )
}

/// A release template as the Handbook makes one: its dataset, then the `@base` snapshot.
fn seed_template(sim: &Sim) {
    sim.ok("zfs", &["create", "-p", "zroot/jails/containers"]);
    sim.ok("zfs", &["create", "-p", "zroot/jails/templates/14.3-RELEASE"]);
    assert_eq!(sim.ok("zfs", &["snapshot", "zroot/jails/templates/14.3-RELEASE@base"]), "");
    let snaps = sim.ok("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]);
    assert_eq!(snaps, "zroot/jails/templates/14.3-RELEASE@base\n");
}

#[test]
fn jailconf_jail_from_a_template_clone_lives_and_is_destroyed() {
    use warden_freebsd::jls::{parse_jls, parse_jls_verbose};
    use warden_freebsd::zfs::{parse_zfs_list, parse_zfs_list_columns};
    let sim = Sim::empty();
    seed_template(&sim);
    let template = "zroot/jails/templates/14.3-RELEASE@base";
    let (dataset, path, conf) =
        ("zroot/jails/containers/web3", "/usr/local/jails/containers/web3", "/etc/jail.conf.d/web3.conf");

    // zfs clone: silent; the clone is listed with its mountpoint and origin, and is a fresh jail
    // root that does not run.
    assert_eq!(sim.ok("zfs", &["clone", "-o", &format!("mountpoint={path}"), template, dataset]), "");
    let listed = parse_zfs_list(&sim.ok("zfs", &["list", "-H", "-p", dataset])).unwrap();
    assert_eq!((listed[0].name.as_str(), listed[0].mountpoint.as_deref()), (dataset, Some(path)));
    let cols = ["name", "origin", "mountpoint"];
    let human = parse_zfs_list(&sim.ok("zfs", &["list", "-r", "zroot/jails/containers"])).unwrap();
    assert_eq!(human.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["zroot/jails/containers", dataset]);
    let origin =
        parse_zfs_list_columns(&sim.ok("zfs", &["list", "-H", "-o", "name,origin,mountpoint", dataset]), &cols);
    assert_eq!(origin.unwrap()[0].other.get("origin").map(String::as_str), Some(template));
    assert_eq!(sim.read("jails/web3/services"), "/etc/rc.d/cron\n/etc/rc.d/sshd\n/etc/rc.d/syslogd\n");
    assert_eq!(sim.jid("web3"), None);

    // tee writes the file from stdin and copies it to stdout; /etc/jail.conf.d exists.
    let file = jailconf_file("web3", path, "ip4.addr", "lo1|10.1.43.3/24");
    assert!(warden_freebsd::jail_conf::parse_jail_conf(&file).is_ok());
    assert_eq!(sim.run_with_input("tee", &[conf], &file), (0, file.clone(), String::new()));
    assert_eq!(sim.read("etc/jail.conf.d/web3.conf"), file);

    let change = sim.ok("sysrc", &["jail_list+=web3"]);
    assert_eq!(change, "jail_list:  -> web3\n");
    assert_eq!(parse_sysrc_changes(&change).unwrap()[0].new, "web3");

    // jail -c from the file: it runs on the clone's mountpoint with its address.
    assert_eq!(sim.ok("jail", &["-f", conf, "-c", "web3"]), "web3: created\n");
    assert_eq!(sim.run("jls", &["-j", "web3", "jid"]), (0, "1\n".into(), String::new()));
    let row = parse_jls(&sim.ok("jls", &[])).unwrap();
    assert_eq!((row[0].ip4.as_deref(), row[0].path.as_str()), (Some("10.1.43.3"), path));
    let v = parse_jls_verbose(&sim.ok("jls", &["-v", "-j", "web3"])).unwrap();
    assert_eq!(
        (v[0].hostname.as_str(), v[0].path.as_str(), v[0].ipv4.as_slice()),
        ("web3", path, ["10.1.43.3".to_string()].as_slice())
    );
    assert!(sim.exists("jails/web3/run/cron.pid") && sim.exists("jails/web3/run/syslogd.pid"));
    // jail(8) sees the file through -f (discovery asks so for each jail of jail_list).
    assert_eq!(sim.run("jail", &["-e", "\t"]).0, 1, "no /etc/jail.conf: jail -e alone knows no jail");
    assert_eq!(
        sim.ok("jail", &["-f", "/etc/jail.conf.d/web3.conf", "-e", "\t"]),
        format!(
            "name=web3\thost.hostname=web3\tpath={path}\tip4.addr=lo1|10.1.43.3/24\texec.start=\"/bin/sh /etc/rc\"\t\
             exec.stop=\"/bin/sh /etc/rc.shutdown jail\"\texec.clean\tmount.devfs\n"
        )
    );

    // An IPv6 jail on POOL/jails/NAME next to it (the default zroot/jails is its parent).
    let path6 = "/usr/local/jails/web6";
    sim.ok("zfs", &["clone", "-o", &format!("mountpoint={path6}"), template, "zroot/jails/web6"]);
    sim.run_with_input(
        "tee",
        &["/etc/jail.conf.d/web6.conf"],
        &jailconf_file("web6", path6, "ip6.addr", "2001:db8::6"),
    );
    sim.ok("jail", &["-f", "/etc/jail.conf.d/web6.conf", "-c", "web6"]);
    let v = parse_jls_verbose(&sim.ok("jls", &["-v", "-j", "web6"])).unwrap();
    assert_eq!((v[0].path.as_str(), v[0].ipv6.as_slice()), (path6, ["2001:db8::6".to_string()].as_slice()));
    for name in ["web3", "web6"] {
        let out = sim.ok("jail", &["-f", &format!("/etc/jail.conf.d/{name}.conf"), "-e", "\t"]);
        assert!(out.starts_with(&format!("name={name}\t")), "{out}");
    }

    // A running jail's root cannot be destroyed; stopped, it can, and its files go with it.
    let (code, _, err) = sim.run("zfs", &["destroy", "-r", dataset]);
    assert_eq!(
        (code, err.as_str()),
        (1, "cannot unmount '/usr/local/jails/containers/web3': pool or dataset is busy\n")
    );
    assert!(sim.exists("jails/web3/running"));
    assert_eq!(sim.ok("jail", &["-f", conf, "-r", "web3"]), "web3: removed\n");
    assert_eq!(sim.ok("zfs", &["destroy", "-r", dataset]), "");
    let (code, _, err) = sim.run("zfs", &["list", dataset]);
    assert_eq!((code, err.as_str()), (1, "cannot open 'zroot/jails/containers/web3': dataset does not exist\n"));
    assert!(!sim.exists("jails/web3"));
    assert_eq!(sim.ok("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]), format!("{template}\n"));
    assert_eq!(sim.jid("web6"), Some(2), "the other jail is untouched");

    assert_eq!(sim.ok("rm", &["-f", conf]), "");
    assert!(!sim.exists("etc/jail.conf.d/web3.conf"));
    assert_eq!(sim.run("rm", &["-f", conf]), (0, String::new(), String::new()), "-f: gone already is fine");
    let change = sim.ok("sysrc", &["jail_list-=web3"]);
    assert_eq!(change, "jail_list: web3 -> \n");
    assert_eq!(parse_sysrc_changes(&change).unwrap()[0].new, "");
    assert_eq!(sim.ok("sysrc", &["-n", "jail_list"]), "\n");
    let (code, _, err) = sim.run("jail", &["-f", conf, "-e", "\t"]);
    assert_eq!((code, err.as_str()), (1, "jail: /etc/jail.conf.d/web3.conf: No such file or directory\n"));
    assert_eq!(sim.ok("jail", &["-f", "/etc/jail.conf.d/web6.conf", "-e", "\t"]).lines().count(), 1);
}

#[test]
fn jailconf_commands_fail_like_freebsd() {
    let sim = Sim::empty();
    let template = "zroot/jails/templates/14.3-RELEASE@base";
    let clone = |target: &str| sim.run("zfs", &["clone", "-o", "mountpoint=/usr/local/jails/web3", template, target]);

    // A missing template snapshot, a missing parent, a source that is no snapshot.
    let (code, out, err) = clone("zroot/jails/web3");
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (1, "", "cannot open 'zroot/jails/templates/14.3-RELEASE@base': dataset does not exist\n")
    );
    assert!(!sim.exists("jails/web3"));
    seed_template(&sim);
    let (code, _, err) = clone("zroot/jails/nope/web3");
    assert_eq!((code, err.as_str()), (1, "cannot create 'zroot/jails/nope/web3': parent does not exist\n"));
    let (code, _, err) = sim.run("zfs", &["clone", "zroot/jails/templates/14.3-RELEASE", "zroot/jails/web3"]);
    assert_eq!(
        (code, err.as_str()),
        (1, "cannot open 'zroot/jails/templates/14.3-RELEASE': missing '@' delimiter in snapshot name\n")
    );
    // The dataset exists already.
    assert_eq!(clone("zroot/jails/web3").0, 0);
    let (code, _, err) = clone("zroot/jails/web3");
    assert_eq!((code, err.as_str()), (1, "cannot create 'zroot/jails/web3': dataset already exists\n"));
    let (code, _, err) = sim.run("zfs", &["snapshot", template]);
    assert_eq!(
        (code, err.as_str()),
        (1, "cannot create snapshot 'zroot/jails/templates/14.3-RELEASE@base': dataset already exists\n")
    );
    // The template cannot go while a clone depends on it.
    let (code, _, err) = sim.run("zfs", &["destroy", template]);
    assert_eq!(
        (code, err.as_str()),
        (1, "cannot destroy 'zroot/jails/templates/14.3-RELEASE@base': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\nzroot/jails/web3\n")
    );
    let (code, _, err) = sim.run("zfs", &["destroy", "-r", "zroot/jails/templates"]);
    assert!(
        code == 1 && err.starts_with("cannot destroy 'zroot/jails/templates': filesystem has dependent clones\n"),
        "{err}"
    );

    // tee: only /etc; a missing directory is tee's error; the input still reaches stdout.
    let outside = sim.state.join("outside");
    let outside = outside.to_str().unwrap();
    for bad in [outside, "/etc/../tmp/x.conf", "x.conf"] {
        let (code, out, err) = sim.run_with_input("tee", &[bad], "x\n");
        assert_eq!((code, out.as_str(), err), (1, "x\n", format!("tee: {bad}: Permission denied\n")));
    }
    assert!(!sim.exists("outside"));
    let (code, _, err) = sim.run_with_input("tee", &["/etc/nodir/x.conf"], "x\n");
    assert_eq!((code, err.as_str()), (1, "tee: /etc/nodir/x.conf: No such file or directory\n"));
    sim.run_with_input("tee", &["/etc/jail.conf.d/a.conf"], "one\n");
    sim.run_with_input("tee", &["-a", "/etc/jail.conf.d/a.conf"], "two\n");
    assert_eq!(sim.read("etc/jail.conf.d/a.conf"), "one\ntwo\n");

    // rm: a missing file without -f, only /etc, files only.
    let (code, out, err) = sim.run("rm", &["/etc/jail.conf.d/nope.conf"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (1, "", "rm: /etc/jail.conf.d/nope.conf: No such file or directory\n")
    );
    let (code, _, err) = sim.run("rm", &["-f", outside]);
    assert_eq!((code, err), (1, format!("rm: {outside}: Permission denied\n")));
    let (code, _, err) = sim.run("rm", &["/etc/jail.conf.d"]);
    assert_eq!((code, err.as_str()), (1, "rm: /etc/jail.conf.d: is a directory\n"));
    assert_eq!(sim.run("rm", &["-r", "/etc/jail.conf.d"]).0, 1);
    assert_eq!(sim.ok("rm", &["-v", "/etc/jail.conf.d/a.conf"]), "/etc/jail.conf.d/a.conf\n");
}

#[test]
fn zfs_snapshots_list_and_go_like_openzfs() {
    use warden_freebsd::zfs::parse_zfs_list;
    let sim = Sim::empty();
    assert_eq!(sim.run("zfs", &["list", "-H", "-t", "snapshot", "-o", "name"]), (0, String::new(), String::new()));
    assert_eq!(sim.run("zfs", &["list", "-t", "snapshot"]), (0, String::new(), "no datasets available\n".into()));
    sim.ok("zfs", &["create", "zroot/jails/t"]);
    sim.ok("zfs", &["snapshot", "zroot/jails@a", "zroot/jails/t@base"]);
    sim.ok("zfs", &["snapshot", "zroot/jails@b"]);
    // Without -t only filesystems; -t all: a filesystem, its snapshots (oldest first), its children.
    let names = |args: &[&str]| -> Vec<String> {
        parse_zfs_list(&sim.ok("zfs", args)).unwrap().into_iter().map(|d| d.name).collect()
    };
    assert_eq!(names(&["list", "-r", "zroot/jails"]), ["zroot/jails", "zroot/jails/t"]);
    assert_eq!(
        names(&["list", "-t", "all", "-r", "zroot/jails"]),
        ["zroot/jails", "zroot/jails@a", "zroot/jails@b", "zroot/jails/t", "zroot/jails/t@base"]
    );
    assert_eq!(names(&["list", "-t", "snapshot", "zroot/jails"]), ["zroot/jails@a", "zroot/jails@b"]);
    let snap = &parse_zfs_list(&sim.ok("zfs", &["list", "-Hp", "zroot/jails/t@base"])).unwrap()[0];
    assert_eq!(sim.ok("zfs", &["list", "-H", "zroot/jails/t@base"]), "zroot/jails/t@base\t0B\t-\t96K\t-\n");
    assert_eq!(
        (snap.used.as_ref().unwrap().exact, snap.avail.as_ref(), snap.mountpoint.as_deref()),
        (Some(0), None, None)
    );
    // A filesystem with snapshots has children; -r takes them along.
    let (code, _, err) = sim.run("zfs", &["destroy", "zroot/jails/t"]);
    assert_eq!(
        (code, err.as_str()),
        (1, "cannot destroy 'zroot/jails/t': filesystem has children\nuse '-r' to destroy the following datasets:\nzroot/jails/t@base\n")
    );
    sim.ok("zfs", &["destroy", "zroot/jails@a"]);
    let (code, _, err) = sim.run("zfs", &["destroy", "zroot/jails@a"]);
    assert_eq!((code, err.as_str()), (1, "could not find any snapshots to destroy; check snapshot names.\n"));
    sim.ok("zfs", &["destroy", "-r", "zroot/jails/t"]);
    assert_eq!(names(&["list", "-t", "all", "-r", "zroot/jails"]), ["zroot/jails", "zroot/jails@b"]);
    let (code, _, err) = sim.run("zfs", &["snapshot", "zroot/nope@x"]);
    assert!(code == 2 && err.starts_with("cannot open 'zroot/nope': dataset does not exist\nusage:\n"), "{err}");
}

#[test]
fn mkdir_makes_etc_directories_only() {
    let sim = Sim::empty();
    assert_eq!(sim.run("mkdir", &["-p", "/etc/jail.conf.d"]).0, 0);
    assert!(sim.exists("etc/jail.conf.d"));
    assert_eq!(sim.run("mkdir", &["-p", "/etc/jail.conf.d"]).0, 0, "-p: an existing directory is fine");
    let (code, _, err) = sim.run("mkdir", &["/etc/jail.conf.d"]);
    assert_eq!((code, err.as_str()), (1, "mkdir: /etc/jail.conf.d: File exists\n"));
    let (code, _, err) = sim.run("mkdir", &["/etc/a/b"]);
    assert_eq!((code, err.as_str()), (1, "mkdir: /etc/a/b: No such file or directory\n"));
    let (code, _, err) = sim.run("mkdir", &["-p", "/tmp/warden-sim-escape"]);
    assert_eq!((code, err.as_str()), (1, "mkdir: /tmp/warden-sim-escape: Permission denied\n"));
    assert!(!std::path::Path::new("/tmp/warden-sim-escape").exists());
}
