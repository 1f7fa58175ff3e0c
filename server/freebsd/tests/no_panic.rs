//! Property tests: no parser may panic, whatever the host prints.
//! Errors are fine; panics are not.

use proptest::prelude::*;
use warden_freebsd::inspect::{parse_to_json, Format};
use warden_freebsd::{bastille, facts, jail_conf, pkg, service, sysrc, zfs};

/// Runs every parser entry point on `input`, discarding the results.
fn run_all(input: &str) {
    for format in Format::ALL {
        let _ = parse_to_json(format, input);
    }
    let _ = bastille::parse_jail_sections(input);
    let _ = facts::parse_sysctl_named(input);
    let _ = facts::parse_sysctl_values(input, &["hw.ncpu", "hw.physmem"]);
    let _ = facts::parse_freebsd_release(input);
    let _ = jail_conf::parse_jail_conf(input);
    let _ = service::parse_service_status(input, 0);
    let _ = service::parse_service_status(input, 1);
    let _ = sysrc::parse_sysrc_changes(input);
    let _ = sysrc::parse_sysrc_values(input);
    let _ = pkg::parse_pkg_update(input);
    let _ = zfs::parse_zfs_list_columns(input, &["name", "jailed"]);
    let _ = warden_freebsd::strip_ansi(input);
}

/// Pieces of real-looking output, so generated inputs reach deep code paths.
const FRAGMENTS: &[&str] = &[
    "   JID  IP Address      Hostname                      Path",
    "     1  10.0.0.1        web                           /j/web",
    "    11  -               db                            /j/db",
    " JID             IP Address      Hostname                      Path",
    "        Name                          State",
    "        ioc-web                       ACTIVE",
    "        3",
    "        2001:db8::1",
    "jid=1 name=\"a b\" nodying env=\"\" ip4.addr=1.2.3.4,5.6.7.8 persist",
    "meta='x\"y",
    "{\"__version\": \"1\", \"jail-information\": {\"jail\": [{\"jid\":\"x\"}]}}",
    "{\"jail-information\": {}}",
    "STA JID  IP              Hostname                       Root Directory",
    "--- ---- --------------- ------------------------------ ------------------------",
    "ZR  34   127.0.2.2       test_02                        /local/jails/test_02",
    "    34   wlan0|10.1.0.52",
    "DSN N/A  -",
    "\u{1b}[0;32m JID  Name  Boot  Prio  State  Type  IP Address  Published Ports  Release  Tags\u{1b}[0m",
    " 3  web  on  99  Up  thin  10.0.0.3  tcp/80:80  14.3-RELEASE  -",
    "                                     2001:db8::3",
    "[web]:",
    "+------+--------+",
    "| JID  |  NAME  |",
    "+======+========+",
    "| None | jäil   |",
    "| 1 | x |",
    "None\tweb\toff\tdown\tjail\t14.3-RELEASE\tem0|10.0.0.1/24\t-\t-\tno",
    "name=web\thost.hostname=web.example\tip4.addr=em0|10.0.0.1/24,lo1|::1\tpersist",
    "/etc/rc.d/sshd",
    "sshd is running as pid 12 13.",
    "memcached_flags: -l 1.2.3.4: x",
    "nginx_enable: NO -> YES",
    "gettext-runtime-0.19.3         GNU gettext",
    "[tag] Fetching meta.txz: 100%",
    "FreeBSD repository update completed. 23912 packages processed.",
    "u10.2-RELEASE",
    "14.3-RELEASE-p99999999999",
    "FreeBSD h 15.1-RELEASE FreeBSD 15.1-RELEASE GENERIC arm64",
    "NAME  SIZE  ALLOC  FREE  FRAG  EXPANDSZ  CAP  DEDUP  HEALTH  ALTROOT",
    "zroot\t100\t40\t60\t-\t-\t3\t40\t1.00\tONLINE\t-",
    "USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS",
    "salt-master python2.781106 35 tcp4 *:4505 *:*",
    "? ? ? ? tcp4 :: ->",
    "a { path = \"/x\"; /* c",
    ".include",
    "x += 'y', ;",
    "é\u{0}\u{7f}\r",
    "$(reboot); `id` <script>",
    "",
    "    ",
    "\t",
];

fn line_mix() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(FRAGMENTS);
    let line = prop_oneof![
        3 => fragment.prop_map(str::to_string),
        1 => ".{0,40}",
        1 => (prop::sample::select(FRAGMENTS), 0usize..60).prop_map(|(f, cut)| {
            // A fragment cut at an arbitrary character (truncated output).
            f.chars().take(cut).collect::<String>()
        }),
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        run_all(&input);
    }

    #[test]
    fn arbitrary_line_mixes_never_panic(input in line_mix()) {
        run_all(&input);
    }

    #[test]
    fn ascii_soup_never_panics(input in "[ -~\t\n|+=\"';{}]{0,300}") {
        run_all(&input);
    }
}
