//! Discovery's rounds fed with answers as hosts give them.

use super::*;

fn ok(stdout: &str) -> Answer {
    Answer { exit_code: Some(0), stdout: stdout.into(), output: stdout.into() }
}

fn missing(tool: &str) -> Answer {
    let err = format!("sh: {tool}: not found\n");
    Answer { exit_code: Some(127), stdout: String::new(), output: err }
}

#[test]
fn jails_services_and_ports_from_the_rounds() {
    let mut scan = Scan::default();
    scan.take(&Probe::Uname, &ok("FreeBSD h1 14.3-RELEASE-p2 FreeBSD 14.3-RELEASE-p2 GENERIC amd64\n"));
    scan.take(&Probe::FreebsdVersion, &ok("14.3-RELEASE-p2\n14.3-RELEASE-p2\n"));
    scan.take(&Probe::Sysctl, &ok("hw.ncpu: 4\nhw.physmem: 8589934592\n"));
    let jls = r#"{"__version": "2", "jail-information": {"jail": [
        {"jid":3,"hostname":"web1","path":"/usr/jails/web1","name":"web1","state":"ACTIVE","cpusetid":5,
         "ipv4_addrs":["10.0.0.3"],"ipv6_addrs":[]},
        {"jid":4,"hostname":"x","path":"/j/x","name":"$(reboot)<b>","state":"ACTIVE","cpusetid":6,
         "ipv4_addrs":["10.0.0.4"],"ipv6_addrs":[]}]}}"#;
    scan.take(&Probe::Jls, &ok(jls));
    let ezjail = "STA JID  IP              Hostname                       Root Directory\n\
                  --- ---- --------------- ------------------------------ ------------------------\n\
                  ZR  3    10.0.0.3        web1                           /usr/jails/web1\n\
                  ZS  N/A  10.0.0.5        old                            /usr/jails/old\n";
    scan.take(&Probe::Ezjail, &ok(ezjail));
    scan.take(&Probe::Bastille, &missing("bastille"));
    scan.take(&Probe::Iocage, &missing("iocage"));
    scan.take(&Probe::JailConf, &ok(""));
    scan.take(&Probe::Enabled(None), &ok("/etc/rc.d/sshd\n"));
    let sockets = "USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n\
                   root     sshd       812   4   tcp4   *:22                  *:*\n\
                   www      nginx      901   6   tcp4   10.0.0.3:80           *:*\n";
    scan.take(&Probe::Sockstat4, &ok(sockets));

    let round2 = scan.jail_probes();
    assert_eq!(round2.len(), 1, "only the jail with a usable name is asked");
    assert_eq!(round2[0].1.to_string(), "service -j web1 -e");
    scan.take(&round2[0].0, &ok("/usr/local/etc/rc.d/nginx\n"));

    let round3 = scan.status_probes(&[(None, "ntpd".into()), (Some("old".into()), "cron".into())]);
    let typed: Vec<String> = round3.iter().map(|(_, c)| c.to_string()).collect();
    assert_eq!(typed, ["service ntpd onestatus", "service sshd onestatus", "service -j web1 nginx onestatus"]);
    scan.take(
        &round3[0].0,
        &Answer {
            exit_code: Some(1),
            stdout: "ntpd is not running.\n".into(),
            output: "ntpd is not running.\n".into(),
        },
    );
    scan.take(&round3[1].0, &ok("sshd is running as pid 812.\n"));
    scan.take(&round3[2].0, &ok("nginx is running as pid 901.\n"));
    scan.finish().unwrap();

    assert_eq!(scan.facts.as_ref().unwrap().cpus, Some(4));
    assert_eq!(scan.managers, [JailManager::Ezjail, JailManager::Jailconf]);
    let jails: Vec<(&str, JailManager, bool)> =
        scan.jails.iter().map(|j| (j.name.as_str(), j.manager, j.running)).collect();
    assert_eq!(
        jails,
        [
            ("$(reboot)<b>", JailManager::Unmanaged, true),
            ("old", JailManager::Ezjail, false),
            ("web1", JailManager::Ezjail, true)
        ]
    );
    assert_eq!(scan.jails[1].ipv4, ["10.0.0.5"]);
    type Row<'a> = (Option<&'a str>, &'a str, bool, Option<bool>, Vec<String>);
    let services: Vec<Row> = scan
        .services
        .iter()
        .map(|s| (s.jail.as_deref(), s.name.as_str(), s.enabled, s.running, s.ports.clone()))
        .collect();
    assert_eq!(
        services,
        [
            (None, "ntpd", false, Some(false), vec![]),
            (None, "sshd", true, Some(true), vec!["tcp/22".to_string()]),
            (Some("web1"), "nginx", true, Some(true), vec!["tcp/80".to_string()]),
        ]
    );
}

#[test]
fn jails_in_their_own_files_are_read_through_jail_list() {
    let mut scan = Scan::default();
    let no_conf = "jail: /etc/jail.conf: No such file or directory\n";
    scan.take(&Probe::JailConf, &Answer { exit_code: Some(1), stdout: String::new(), output: no_conf.into() });
    assert!(scan.unread_managers.is_empty(), "no /etc/jail.conf is no jails there, not a failure");
    scan.take(&Probe::JailList, &ok("web3 $(reboot) web4\n"));
    let probes = scan.jail_probes();
    let typed: Vec<String> = probes.iter().map(|(_, c)| c.to_string()).collect();
    assert_eq!(
        typed,
        [
            "jail -f /etc/jail.web3.conf -e '\t'",
            "jail -f /etc/jail.conf.d/web3.conf -e '\t'",
            "jail -f /etc/jail.web4.conf -e '\t'",
            "jail -f /etc/jail.conf.d/web4.conf -e '\t'"
        ],
        "only names that can be used in a command"
    );
    let missing_file = |f: &str| Answer {
        exit_code: Some(1),
        stdout: String::new(),
        output: format!("jail: {f}: No such file or directory\n"),
    };
    scan.take(&probes[0].0, &missing_file("/etc/jail.web3.conf"));
    scan.take(&probes[1].0, &ok("name=web3\tpath=/usr/local/jails/containers/web3\tip4.addr=em0|10.0.0.3/24\n"));
    scan.take(&probes[2].0, &missing_file("/etc/jail.web4.conf"));
    scan.take(&probes[3].0, &missing_file("/etc/jail.conf.d/web4.conf"));
    assert_eq!(scan.managers, [JailManager::Jailconf]);
    assert!(scan.unread_managers.is_empty() && scan.notes.is_empty(), "{:?}", scan.notes);
    let (manager, web3) = &scan.configured["web3"];
    assert_eq!(
        (*manager, web3.ipv4.as_slice(), web3.running),
        (JailManager::Jailconf, &["10.0.0.3".to_string()][..], false)
    );
}

#[test]
fn a_failed_jls_fails_the_scan_and_a_failed_manager_is_unread() {
    let mut scan = Scan::default();
    let refused = Answer { exit_code: Some(1), stdout: String::new(), output: "jls: Operation not permitted\n".into() };
    scan.take(&Probe::Jls, &refused);
    let broken = Answer { exit_code: Some(2), stdout: String::new(), output: "bastille: config missing\n".into() };
    scan.take(&Probe::Bastille, &broken);
    scan.take(&Probe::Ezjail, &missing("ezjail-admin"));
    assert_eq!(scan.unread_managers, [JailManager::Bastille], "not installed is not unread");
    scan.take(&Probe::JailList, &Answer { exit_code: Some(2), stdout: String::new(), output: "sysrc: x\n".into() });
    assert_eq!(scan.unread_managers, [JailManager::Bastille, JailManager::Jailconf]);
    for (probe, out) in [
        (Probe::Uname, "FreeBSD h1 14.3-RELEASE-p2 FreeBSD 14.3-RELEASE-p2 GENERIC amd64\n"),
        (Probe::FreebsdVersion, "14.3-RELEASE-p2\n14.3-RELEASE-p2\n"),
    ] {
        scan.take(&probe, &ok(out));
    }
    scan.take(&Probe::Sysctl, &ok("hw.ncpu: 2\n"));
    let e = scan.finish().unwrap_err();
    assert!(e.contains("Operation not permitted") && e.contains("left as it was"), "{e}");
}

#[test]
fn a_host_that_is_not_freebsd_is_refused() {
    let mut scan = Scan::default();
    scan.take(&Probe::Uname, &ok("Linux h 6.1.0 #1 SMP x86_64\n"));
    scan.take(&Probe::Jls, &missing("jls"));
    assert!(scan.finish().unwrap_err().contains("not a FreeBSD host"));
}
