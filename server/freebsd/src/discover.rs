//! Discovery of one host (SPEC §1.0): what to ask, in three rounds, and the
//! host's report assembled from the answers. Read-only; pure.
//!
//! 1. [`host_probes`]: facts, running jails (`jls --libxo json -v`, never
//!    truncated), each manager's own list (configured but stopped jails),
//!    ZFS, the host's enabled services and listening sockets. A manager
//!    that is not installed answers 127: that is "none", not a failure.
//! 2. [`Scan::jail_probes`]: `service -j NAME -e` in each running jail, and
//!    `jail -f /etc/jail.conf.d/NAME.conf -e` for each jail of `jail_list`
//!    (`jail -e` alone reads only /etc/jail.conf; rc.d/jail, and the
//!    Handbook's layout Warden creates, keep a jail in its own file there).
//! 3. [`Scan::status_probes`]: `service [-j NAME] SVC onestatus` for every
//!    enabled service (and any the inventory already knows).
//!
//! Names reported by the host are kept as text; only names that pass
//! [`JailName`] / [`ServiceName`] are ever put into a later command.

use crate::actions::{facts_commands, service_op, Place, ServiceOp};
use crate::addr::InterfaceAddress;
use crate::command::CommandSpec;
use crate::facts::{parse_freebsd_version_ku, parse_sysctl_named, parse_uname, HostSysctls};
use crate::jail_exhibit::{parse_jail_exhibit, SEPARATOR};
use crate::service::{parse_service_enabled, parse_service_status, ServiceState};
use crate::sockstat::{parse_sockstat, SockstatEntry};
use std::collections::BTreeMap;
use warden_domain::inventory::JailManager;
use warden_domain::{JailName, ServiceName};

/// Most service status checks per host in one discovery.
pub const MAX_STATUS_PROBES: usize = 500;

/// Which question a command asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Uname,
    FreebsdVersion,
    Sysctl,
    Jls,
    JailConf,
    /// `sysrc -n jail_list`: the jails rc.d/jail starts at boot.
    JailList,
    /// `jail -f /etc/jail.conf.d/NAME.conf -e SEP`
    JailConfFile(JailName),
    Ezjail,
    Bastille,
    Iocage,
    Zpool,
    Sockstat4,
    Sockstat6,
    /// `service [-j JAIL] -e`
    Enabled(Option<JailName>),
    /// `service [-j JAIL] NAME onestatus`
    Status(Option<JailName>, ServiceName),
}

/// A command's answer.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub exit_code: Option<i32>,
    pub stdout: String,
    /// stdout and stderr together.
    pub output: String,
}

/// The first round.
pub fn host_probes() -> Vec<(Probe, CommandSpec)> {
    let mut probes: Vec<(Probe, CommandSpec)> =
        [Probe::Uname, Probe::FreebsdVersion, Probe::Sysctl].into_iter().zip(facts_commands()).collect();
    probes.extend([
        (Probe::Jls, CommandSpec::new("jls").args(["--libxo", "json", "-v"])),
        (Probe::JailConf, CommandSpec::new("jail").args(["-e", SEPARATOR])),
        (Probe::JailList, CommandSpec::new("sysrc").args(["-n", "jail_list"])),
        (Probe::Ezjail, CommandSpec::new("ezjail-admin").arg("list")),
        (Probe::Bastille, CommandSpec::new("bastille").arg("list")),
        (Probe::Iocage, CommandSpec::new("iocage").args(["list", "-l"])),
        (Probe::Zpool, CommandSpec::new("zpool").args(["list", "-Hp"])),
        (Probe::Enabled(None), CommandSpec::new("service").arg("-e")),
        (Probe::Sockstat4, CommandSpec::new("sockstat").arg("-4l")),
        (Probe::Sockstat6, CommandSpec::new("sockstat").arg("-6l")),
    ]);
    probes
}

/// The host's facts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HostFacts {
    pub release: String,
    pub machine: String,
    pub cpus: Option<i64>,
    pub memory_bytes: Option<i64>,
}

impl HostFacts {
    /// From `uname -a`, `freebsd-version -ku` and named `sysctl` output.
    pub fn read(uname: &str, versions: &str, sysctl: &str) -> Result<HostFacts, String> {
        let uname = parse_uname(uname.trim()).map_err(|e| format!("unexpected output of uname -a: {e}"))?;
        if uname.sysname != "FreeBSD" {
            return Err(format!("not a FreeBSD host: uname says {}", uname.sysname));
        }
        let versions =
            parse_freebsd_version_ku(versions).map_err(|e| format!("unexpected output of freebsd-version: {e}"))?;
        let sysctls = parse_sysctl_named(sysctl)
            .map(|entries| HostSysctls::from_entries(&entries))
            .map_err(|e| format!("unexpected output of sysctl: {e}"))?;
        Ok(HostFacts {
            release: versions.userland.version,
            machine: uname.machine,
            cpus: sysctls.ncpu.map(i64::from),
            memory_bytes: sysctls.physmem.and_then(|m| i64::try_from(m).ok()),
        })
    }

    pub fn summary(&self) -> String {
        let mut s = format!("FreeBSD {} ({})", self.release, self.machine);
        if let Some(c) = self.cpus {
            s.push_str(&format!(", {c} CPUs"));
        }
        if let Some(m) = self.memory_bytes {
            s.push_str(&format!(", {:.1} GiB", m as f64 / (1u64 << 30) as f64));
        }
        s
    }
}

/// A jail as the host reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedJail {
    /// The kernel name (or the manager's name for a stopped jail), verbatim.
    pub name: String,
    pub manager: JailManager,
    pub running: bool,
    pub jid: Option<u32>,
    pub ipv4: Vec<String>,
    pub ipv6: Vec<String>,
    pub hostname: String,
    pub path: String,
}

/// A service as the host reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedService {
    /// `None`: on the host.
    pub jail: Option<String>,
    pub name: String,
    pub enabled: bool,
    /// `None` when not checked.
    pub running: Option<bool>,
    /// `tcp/80`, `udp/514`, sorted.
    pub ports: Vec<String>,
}

/// Everything one discovery learned about a host.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub facts: Option<HostFacts>,
    pub jails: Vec<ObservedJail>,
    pub services: Vec<ObservedService>,
    pub pools: Vec<String>,
    /// Which managers answered (installed).
    pub managers: Vec<JailManager>,
    /// Installed managers whose list could not be read: their jails are
    /// not known to be gone.
    pub unread_managers: Vec<JailManager>,
    /// `jail_list`'s names that can be used in a command.
    jail_list: Vec<JailName>,
    /// Why `jls` could not be read: then nothing is known about the jails
    /// and the discovery fails rather than report them all gone.
    jls_error: Option<String>,
    /// What could not be read, for the job log.
    pub notes: Vec<String>,
    sockets: Vec<SockstatEntry>,
    raw_facts: [String; 3],
    configured: BTreeMap<String, (JailManager, ObservedJail)>,
}

/// Exit 127 / "not found": the tool is not installed.
fn not_installed(a: &Answer) -> bool {
    a.exit_code == Some(127) || a.output.contains("not found") && a.exit_code != Some(0)
}

impl Scan {
    /// Takes in one answer of any round.
    pub fn take(&mut self, probe: &Probe, answer: &Answer) {
        match probe {
            Probe::Uname => self.raw_facts[0] = answer.stdout.clone(),
            Probe::FreebsdVersion => self.raw_facts[1] = answer.stdout.clone(),
            Probe::Sysctl => self.raw_facts[2] = answer.stdout.clone(),
            Probe::Jls => self.take_jls(answer),
            // No /etc/jail.conf at all: no jails configured there.
            Probe::JailConf if answer.exit_code == Some(1) && answer.output.contains("No such file or directory") => {
                self.add_manager(JailManager::Jailconf)
            }
            Probe::JailConf => self.take_manager(JailManager::Jailconf, answer),
            // Unset (sysrc exits 1): an empty list.
            // /etc/defaults/rc.conf sets jail_list="": any failure is one, and
            // then the jails in their own files are not known to be gone.
            Probe::JailList => {
                if answer.exit_code == Some(0) {
                    self.jail_list = answer.stdout.split_whitespace().filter_map(|n| n.parse().ok()).collect();
                } else {
                    self.notes.push(format!("sysrc -n jail_list failed: {}", answer.output.trim()));
                    self.unread_managers.push(JailManager::Jailconf);
                }
            }
            // A jail of jail_list kept in another of rc.d/jail's places.
            Probe::JailConfFile(_) if answer.output.contains("No such file or directory") => {}
            Probe::JailConfFile(_) => self.take_manager(JailManager::Jailconf, answer),
            Probe::Ezjail => self.take_manager(JailManager::Ezjail, answer),
            Probe::Bastille => self.take_manager(JailManager::Bastille, answer),
            Probe::Iocage => self.take_manager(JailManager::Iocage, answer),
            Probe::Zpool => match crate::zfs::parse_zpool_list(&answer.stdout) {
                Ok(pools) if answer.exit_code == Some(0) => self.pools = pools.into_iter().map(|p| p.name).collect(),
                _ => {}
            },
            Probe::Sockstat4 | Probe::Sockstat6 => match parse_sockstat(&answer.stdout) {
                Ok(entries) if answer.exit_code == Some(0) => self.sockets.extend(entries),
                Ok(_) => {}
                Err(e) => self.notes.push(format!("sockstat: {e}")),
            },
            Probe::Enabled(jail) => match parse_service_enabled(&answer.stdout) {
                Ok(list) if answer.exit_code == Some(0) => {
                    let jail = jail.as_ref().map(|j| j.as_str().to_string());
                    for s in list {
                        self.service_mut(jail.clone(), &s.name).enabled = true;
                    }
                }
                Ok(_) => self.notes.push(format!("service -e failed: {}", answer.output.trim())),
                Err(e) => self.notes.push(e.to_string()),
            },
            Probe::Status(jail, name) => {
                let state = parse_service_status(&answer.output, answer.exit_code.unwrap_or(-1)).state;
                let running = match state {
                    ServiceState::Running => Some(true),
                    ServiceState::NotRunning => Some(false),
                    _ => None,
                };
                if state != ServiceState::NotFound {
                    self.service_mut(jail.as_ref().map(|j| j.as_str().to_string()), name.as_str()).running = running;
                }
            }
        }
    }

    fn service_mut(&mut self, jail: Option<String>, name: &str) -> &mut ObservedService {
        let at = self.services.iter().position(|s| s.jail == jail && s.name == name);
        let at = at.unwrap_or_else(|| {
            self.services.push(ObservedService {
                jail,
                name: name.to_string(),
                enabled: false,
                running: None,
                ports: vec![],
            });
            self.services.len() - 1
        });
        &mut self.services[at]
    }

    fn take_jls(&mut self, answer: &Answer) {
        if answer.exit_code != Some(0) {
            self.jls_error = Some(answer.output.trim().to_string());
            return;
        }
        match crate::jls::parse_jls_json(&answer.stdout) {
            Ok(doc) => {
                for j in doc.jails {
                    let Some(name) = j.name.clone().or_else(|| j.jid.map(|n| n.to_string())) else { continue };
                    if j.state.as_deref() == Some("DYING") {
                        continue;
                    }
                    self.jails.push(ObservedJail {
                        name,
                        manager: JailManager::Unmanaged,
                        running: true,
                        jid: j.jid,
                        ipv4: j.ipv4,
                        ipv6: j.ipv6,
                        hostname: j.hostname.unwrap_or_default(),
                        path: j.path.unwrap_or_default(),
                    });
                }
            }
            Err(e) => self.jls_error = Some(e.to_string()),
        }
    }

    /// A manager's list: who owns which running jail, and the stopped ones.
    fn take_manager(&mut self, manager: JailManager, answer: &Answer) {
        if not_installed(answer) {
            return;
        }
        if answer.exit_code != Some(0) {
            self.notes.push(format!("{} could not list its jails: {}", manager.label(), answer.output.trim()));
            self.unread_managers.push(manager);
            return;
        }
        let stopped = |name: String, ips: &[InterfaceAddress], hostname: Option<String>, path: Option<String>| {
            let (v6, v4): (Vec<_>, Vec<_>) = ips.iter().partition(|a| a.is_ipv6());
            ObservedJail {
                name,
                manager,
                running: false,
                jid: None,
                ipv4: v4.into_iter().map(|a| a.addr.clone()).collect(),
                ipv6: v6.into_iter().map(|a| a.addr.clone()).collect(),
                hostname: hostname.unwrap_or_default(),
                path: path.unwrap_or_default(),
            }
        };
        let found: Result<Vec<ObservedJail>, String> = match manager {
            JailManager::Ezjail => crate::ezjail::parse_ezjail_list(&answer.stdout)
                .map(|l| {
                    l.into_iter()
                        .filter_map(|e| Some(stopped(e.safename()?, &e.ips, e.hostname.clone(), e.root.clone())))
                        .collect()
                })
                .map_err(|e| e.to_string()),
            JailManager::Bastille => crate::bastille::parse_bastille_list(&answer.stdout)
                .map(|l| {
                    l.jails
                        .into_iter()
                        .filter_map(|b| Some(stopped(b.name.clone()?, &b.ips, b.hostname.clone(), b.path.clone())))
                        .collect()
                })
                .map_err(|e| e.to_string()),
            JailManager::Iocage => crate::iocage::parse_iocage_list(&answer.stdout)
                .map(|l| match l {
                    // iocage's kernel names are `ioc-NAME` with `.` as `_` (SPEC 4.1).
                    crate::iocage::IocageList::Jails(jails) => jails
                        .into_iter()
                        .map(|i| stopped(format!("ioc-{}", i.name.replace('.', "_")), &[], None, None))
                        .collect(),
                    crate::iocage::IocageList::Releases(_) => Vec::new(),
                })
                .map_err(|e| e.to_string()),
            _ => parse_jail_exhibit(&answer.stdout, SEPARATOR)
                .map(|l| {
                    l.into_iter().map(|c| stopped(c.name.clone(), &c.ips, c.hostname.clone(), c.path.clone())).collect()
                })
                .map_err(|e| e.to_string()),
        };
        match found {
            Ok(jails) => {
                self.add_manager(manager);
                for j in jails {
                    self.configured.entry(j.name.clone()).or_insert((manager, j));
                }
            }
            Err(e) => {
                self.notes.push(format!("{}: {e}", manager.label()));
                self.unread_managers.push(manager);
            }
        }
    }

    fn add_manager(&mut self, manager: JailManager) {
        if !self.managers.contains(&manager) {
            self.managers.push(manager);
        }
    }

    /// The second round: enabled services in each running jail whose name
    /// can be used in a command, and the own file of each jail of
    /// `jail_list` that /etc/jail.conf did not configure.
    pub fn jail_probes(&self) -> Vec<(Probe, CommandSpec)> {
        let services =
            self.jails.iter().filter(|j| j.running).filter_map(|j| j.name.parse::<JailName>().ok()).map(|j| {
                let c = CommandSpec::new("service").args(["-j", j.as_str(), "-e"]);
                (Probe::Enabled(Some(j)), c)
            });
        // rc.d/jail's order: /etc/jail.NAME.conf, then /etc/jail.conf.d/NAME.conf
        // (the first file that has the jail is the one kept).
        let files = self.jail_list.iter().filter(|j| !self.configured.contains_key(j.as_str())).flat_map(|j| {
            [format!("/etc/jail.{j}.conf"), format!("/etc/jail.conf.d/{j}.conf")].map(|file| {
                (Probe::JailConfFile(j.clone()), CommandSpec::new("jail").args(["-f", file.as_str(), "-e", SEPARATOR]))
            })
        });
        services.chain(files).collect()
    }

    /// The third round: the status of every service found so far, plus
    /// `known` ones (jail name or None, service name) from the inventory.
    pub fn status_probes(&self, known: &[(Option<String>, String)]) -> Vec<(Probe, CommandSpec)> {
        let running: Vec<&str> = self.jails.iter().filter(|j| j.running).map(|j| j.name.as_str()).collect();
        let mut wanted: Vec<(Option<String>, String)> =
            self.services.iter().map(|s| (s.jail.clone(), s.name.clone())).collect();
        wanted.extend(known.iter().cloned());
        wanted.sort();
        wanted.dedup();
        wanted
            .into_iter()
            .filter(|(jail, _)| jail.as_deref().is_none_or(|j| running.contains(&j)))
            .filter_map(|(jail, name)| {
                let service = name.parse::<ServiceName>().ok()?;
                let jail = match jail {
                    Some(j) => Some(j.parse::<JailName>().ok()?),
                    None => None,
                };
                let place = jail.as_ref().map_or(Place::Host, |j| Place::Jail(j.clone()));
                let c = service_op(&place, &service, ServiceOp::Status);
                Some((Probe::Status(jail, service), c))
            })
            .take(MAX_STATUS_PROBES)
            .collect()
    }

    /// Merges the managers' lists into the running jails and attaches ports
    /// to services. Call once, after every round.
    pub fn finish(&mut self) -> Result<(), String> {
        // First: on a host that is not FreeBSD, jls is not there either.
        self.facts = Some(HostFacts::read(&self.raw_facts[0], &self.raw_facts[1], &self.raw_facts[2])?);
        if let Some(e) = &self.jls_error {
            self.facts = None;
            return Err(format!(
                "Could not read the running jails (jls --libxo json): {e}. The inventory was left as it was."
            ));
        }
        let configured = std::mem::take(&mut self.configured);
        for (name, (manager, listed)) in configured {
            match self.jails.iter_mut().find(|j| j.name == name) {
                Some(running) => running.manager = manager,
                None => self.jails.push(listed),
            }
        }
        self.jails.sort_by(|a, b| a.name.cmp(&b.name));
        self.attach_ports();
        self.services.sort_by(|a, b| (&a.jail, &a.name).cmp(&(&b.jail, &b.name)));
        Ok(())
    }

    /// A listening socket belongs to the service whose name its command
    /// starts with (sockstat cuts commands to 10 characters), in the jail
    /// that owns its address (a wildcard or a host address: the host).
    fn attach_ports(&mut self) {
        let mut owner_of_ip: BTreeMap<String, String> = BTreeMap::new();
        for j in self.jails.iter().filter(|j| j.running) {
            for ip in j.ipv4.iter().chain(&j.ipv6) {
                owner_of_ip.insert(ip.clone(), j.name.clone());
            }
        }
        let sockets = std::mem::take(&mut self.sockets);
        for s in &sockets {
            let (Some(local), Some(port)) = (&s.local, s.local.as_ref().and_then(|l| l.port)) else { continue };
            let jail = owner_of_ip.get(&local.host).cloned();
            let proto = if s.proto.starts_with("udp") { "udp" } else { "tcp" };
            let command = s.command.replace('_', "-");
            let matches = |name: &str| {
                let name = name.replace('_', "-");
                !command.is_empty() && (name.starts_with(&command) || command.starts_with(&name))
            };
            if let Some(service) = self.services.iter_mut().find(|svc| svc.jail == jail && matches(&svc.name)) {
                let port = format!("{proto}/{port}");
                if !service.ports.contains(&port) {
                    service.ports.push(port);
                }
            }
        }
        for s in &mut self.services {
            s.ports.sort_by_key(|p| (p.split('/').nth(1).and_then(|n| n.parse::<u32>().ok()), p.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
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
        let refused =
            Answer { exit_code: Some(1), stdout: String::new(), output: "jls: Operation not permitted\n".into() };
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
}
