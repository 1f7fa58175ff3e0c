//! Discovery of one host (SPEC §1.0): what to ask, in three rounds, and the
//! host's report assembled from the answers. Read-only; pure.
//!
//! 1. [`host_probes`]: facts, running jails (`jls --libxo json -v`, never
//!    truncated), each manager's own list (configured but stopped jails),
//!    ZFS, the host's enabled services and listening sockets. A manager
//!    that is not installed answers 127: that is "none", not a failure.
//! 2. [`Scan::jail_probes`]: `service -j NAME -e` in each running jail, and
//!    `jail -f FILE -e` for each jail of `jail_list` with FILE each of
//!    rc.d/jail's own places, `/etc/jail.NAME.conf` and
//!    `/etc/jail.conf.d/NAME.conf` (`jail -e` alone reads only
//!    /etc/jail.conf; the Handbook's layout Warden creates uses jail.conf.d).
//! 3. [`Scan::status_probes`]: `service [-j NAME] SVC onestatus` for every
//!    enabled service (and any the inventory already knows).
//!
//! Names reported by the host are kept as text; only names that pass
//! [`JailName`] / [`ServiceName`] are ever put into a later command.

use crate::actions::conf_d_file;
use crate::actions::{facts_commands, service_op, Place, ServiceOp};
use crate::addr::InterfaceAddress;
use crate::command::CommandSpec;
use crate::facts::{parse_freebsd_version_ku, parse_sysctl_named, parse_uname, HostSysctls};
use crate::jail_exhibit::{jail_exhibit, parse_jail_exhibit, SEPARATOR};
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
    /// `jail -f FILE -e SEP`, FILE one of rc.d/jail's places for the jail.
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
        (Probe::JailConf, jail_exhibit(None)),
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
            [format!("/etc/jail.{j}.conf"), conf_d_file(j)]
                .map(|file| (Probe::JailConfFile(j.clone()), jail_exhibit(Some(&file))))
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
        let facts = HostFacts::read(&self.raw_facts[0], &self.raw_facts[1], &self.raw_facts[2])?;
        if let Some(e) = &self.jls_error {
            return Err(format!(
                "Could not read the running jails (jls --libxo json): {e}. The inventory was left as it was."
            ));
        }
        self.facts = Some(facts);
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
mod tests;
