//! rc.subr, sysrc, jexec, pkg and sockstat as the simulator answers them.

use super::*;

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
