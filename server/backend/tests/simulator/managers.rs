//! jls and the jail managers (ezjail, Bastille; iocage absent) as the simulator answers them.

use super::*;

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
