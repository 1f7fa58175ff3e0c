//! jail(8) with jail.conf files, the Handbook's ZFS template layout, zfs/zpool and the /etc file tools.

use super::*;

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
