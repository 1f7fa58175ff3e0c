//! The checks run after an action (SPEC §4.5, §4.6): the host, not the
//! action's exit code, says whether it happened. Each check is one read-only
//! command and a judgement of what it printed, with a message a user who
//! does not read shell output understands.

use super::inside::{service_enabled_list, service_op, Place, ServiceOp};
use crate::command::CommandSpec;
use crate::service::{parse_service_enabled, parse_service_status, ServiceState};
use warden_domain::inventory::JailManager;
use warden_domain::{JailName, PackageName, ServiceName};

/// One thing that must hold after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// `jls -j NAME jid` prints the JID (exit 0).
    JailRunning(JailName),
    /// `jls -j NAME jid` exits 1: no such running jail.
    JailNotRunning(JailName),
    /// The manager's own list (ezjail, Bastille) no longer has the jail
    /// (after a destroy; a jail.conf jail's is [`Check::DatasetGone`]).
    NotListed { manager: JailManager, jail: JailName },
    /// `service [-j JAIL] NAME onestatus` exits 0.
    ServiceRunning { jail: Option<JailName>, service: ServiceName },
    /// `service [-j JAIL] NAME onestatus` says "is not running".
    ServiceNotRunning { jail: Option<JailName>, service: ServiceName },
    /// `service [-j JAIL] -e` lists the service (or no longer does).
    ServiceEnabled { jail: Option<JailName>, service: ServiceName, enabled: bool },
    /// `zfs list -H -o name DATASET` says it does not exist (after a destroy
    /// of a jail Warden made on its own dataset).
    DatasetGone(String),
    /// `pkg -j JAIL info -e PKG…` exits 0.
    PackagesInstalled { jail: JailName, packages: Vec<PackageName> },
}

/// What a check's command did.
#[derive(Debug, Clone, Copy)]
pub struct CheckRun<'a> {
    pub exit_code: Option<i32>,
    pub stdout: &'a str,
    /// stdout and stderr together, in order.
    pub output: &'a str,
    /// The last line the action's own commands printed (quoted in failures).
    pub action_said: Option<&'a str>,
}

fn place(jail: &Option<JailName>) -> Place {
    jail.as_ref().map_or(Place::Host, |j| Place::Jail(j.clone()))
}

fn in_jail(jail: &Option<JailName>) -> String {
    jail.as_ref().map_or("on the host".into(), |j| format!("in jail {j}"))
}

impl Check {
    /// The read-only command that answers the check.
    pub fn command(&self) -> CommandSpec {
        match self {
            Check::JailRunning(j) | Check::JailNotRunning(j) => super::jail_jid(j),
            Check::NotListed { manager: JailManager::Ezjail, .. } => CommandSpec::new("ezjail-admin").arg("list"),
            Check::NotListed { manager: JailManager::Bastille, .. } => CommandSpec::new("bastille").arg("list"),
            // Other managers have no list Warden reads; the kernel is asked.
            Check::NotListed { jail, .. } => super::jail_jid(jail),
            Check::ServiceRunning { jail, service } | Check::ServiceNotRunning { jail, service } => {
                service_op(&place(jail), service, ServiceOp::Status)
            }
            Check::ServiceEnabled { jail, .. } => service_enabled_list(&place(jail)),
            Check::DatasetGone(dataset) => CommandSpec::new("zfs").args(["list", "-H", "-o", "name", dataset.as_str()]),
            Check::PackagesInstalled { jail, packages } => CommandSpec::new("pkg")
                .args(["-j", jail.as_str(), "info", "-e"])
                .args(packages.iter().map(PackageName::as_str)),
        }
    }

    /// `Ok(what was confirmed)` or `Err(why the action did not happen)`.
    pub fn judge(&self, run: CheckRun<'_>) -> Result<String, String> {
        let said = run
            .action_said
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!(" The host said: “{}”", l.trim()))
            .unwrap_or_default();
        match self {
            Check::JailRunning(j) => match (run.exit_code, run.stdout.trim().parse::<u32>()) {
                (Some(0), Ok(jid)) => Ok(format!("Jail {j} is running (JID {jid}).")),
                _ => Err(format!("Jail {j} is not running on the host, although the command reported no error.{said}")),
            },
            // jls exits 1 for "no such jail"; anything else (127, a signal)
            // says nothing about the jail.
            Check::JailNotRunning(j) => match run.exit_code {
                Some(0) => Err(format!("Jail {j} is still running on the host (JID {}).{said}", run.stdout.trim())),
                Some(1) => Ok(format!("Jail {j} is not running.")),
                _ => Err(format!("Could not tell whether jail {j} stopped: “{}”", run.output.trim())),
            },
            Check::NotListed { manager, jail } => {
                let listed = match manager {
                    JailManager::Ezjail | JailManager::Bastille if run.exit_code != Some(0) => {
                        Err(run.output.trim().to_string())
                    }
                    // An empty list: the manager has no jails left.
                    _ if run.stdout.trim().is_empty() => Ok(false),
                    JailManager::Ezjail => crate::ezjail::parse_ezjail_list(run.stdout)
                        // Warden knows ezjail jails by their kernel name
                        // (the hostname with every non-alphanumeric as `_`).
                        .map(|l| l.iter().any(|e| e.safename().as_deref() == Some(jail.as_str())))
                        .map_err(|e| e.to_string()),
                    JailManager::Bastille => crate::bastille::parse_bastille_list(run.stdout)
                        .map(|l| l.jails.iter().any(|b| b.name.as_deref() == Some(jail.as_str())))
                        .map_err(|e| e.to_string()),
                    // `jls -j NAME jid`: exit 0 while the kernel has it.
                    _ => Ok(run.exit_code == Some(0)),
                };
                match listed {
                    Ok(false) => Ok(format!("{} no longer lists jail {jail}.", manager.label())),
                    Ok(true) => {
                        Err(format!("{} still lists jail {jail}: it was not destroyed.{said}", manager.label()))
                    }
                    Err(e) => Err(format!("Could not read the list of {} jails to confirm: {e}", manager.label())),
                }
            }
            Check::ServiceRunning { jail, service } => {
                // rc.subr refused the start or restart of a service that is
                // not enabled, with exit 0 (SPEC §4.5): even if it is running
                // (started by hand), the action did not happen.
                if run.action_said.is_some_and(|l| l.contains("Cannot '")) {
                    return Err(format!(
                        "{service} {} is not enabled, so FreeBSD did not start or restart it, although the command \
                         reported no error.{said} Enable it first.",
                        in_jail(jail)
                    ));
                }
                let status = parse_service_status(run.output, run.exit_code.unwrap_or(-1));
                match status.state {
                    ServiceState::Running => Ok(format!("{service} is running {}.", in_jail(jail))),
                    ServiceState::NotFound => Err(format!("There is no service {service} {}.", in_jail(jail))),
                    _ => Err(format!(
                        "{service} is not running {} after the command, although it reported no error.{said}",
                        in_jail(jail)
                    )),
                }
            }
            Check::ServiceNotRunning { jail, service } => {
                match parse_service_status(run.output, run.exit_code.unwrap_or(-1)).state {
                    ServiceState::NotRunning => Ok(format!("{service} is stopped {}.", in_jail(jail))),
                    ServiceState::Running => Err(format!("{service} is still running {}.{said}", in_jail(jail))),
                    _ => Err(format!(
                        "Could not tell whether {service} stopped {}: “{}”",
                        in_jail(jail),
                        run.output.trim()
                    )),
                }
            }
            Check::ServiceEnabled { jail, service, enabled } => {
                let listed = match parse_service_enabled(run.stdout) {
                    Ok(list) if run.exit_code == Some(0) => list.iter().any(|s| s.name == service.as_str()),
                    Ok(_) => {
                        return Err(format!(
                            "Could not list the enabled services {}: “{}”",
                            in_jail(jail),
                            run.output.trim()
                        ))
                    }
                    Err(e) => return Err(format!("Could not read the enabled services {}: {e}", in_jail(jail))),
                };
                match (listed, enabled) {
                    (true, true) => Ok(format!("{service} is enabled {}: it starts at boot.", in_jail(jail))),
                    (false, false) => {
                        Ok(format!("{service} is disabled {}: it no longer starts at boot.", in_jail(jail)))
                    }
                    (false, true) => Err(format!("{service} is still not enabled {}.{said}", in_jail(jail))),
                    (true, false) => Err(format!("{service} is still enabled {}.{said}", in_jail(jail))),
                }
            }
            Check::DatasetGone(dataset) => match run.exit_code {
                Some(1) if run.output.contains("dataset does not exist") => {
                    Ok(format!("The jail's files (ZFS dataset {dataset}) are gone."))
                }
                Some(0) => Err(format!("The jail's files (ZFS dataset {dataset}) are still on the host.{said}")),
                _ => Err(format!("Could not tell whether ZFS dataset {dataset} is gone: “{}”", run.output.trim())),
            },
            Check::PackagesInstalled { jail, packages } => {
                let names = packages.iter().map(PackageName::as_str).collect::<Vec<_>>().join(", ");
                if run.exit_code == Some(0) {
                    Ok(format!("{names} installed in jail {jail}."))
                } else {
                    Err(format!("{names} is not installed in jail {jail}.{said}"))
                }
            }
        }
    }

    /// The JID a passed [`Check::JailRunning`] printed.
    pub fn jid(&self, stdout: &str) -> Option<u32> {
        matches!(self, Check::JailRunning(_)).then(|| stdout.trim().parse().ok()).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<'a>(exit_code: i32, stdout: &'a str, said: Option<&'a str>) -> CheckRun<'a> {
        CheckRun { exit_code: Some(exit_code), stdout, output: stdout, action_said: said }
    }

    #[test]
    fn a_start_that_exited_0_but_left_the_jail_stopped_fails() {
        let c = Check::JailRunning("web1".parse().unwrap());
        assert_eq!(c.judge(run(0, "7\n", None)).unwrap(), "Jail web1 is running (JID 7).");
        assert_eq!(c.jid("7\n"), Some(7));
        let e = c.judge(run(1, "", Some("[web1]:"))).unwrap_err();
        assert!(e.starts_with("Jail web1 is not running on the host, although the command reported no error."), "{e}");
        let stopped = Check::JailNotRunning("web1".parse().unwrap());
        assert!(stopped.judge(run(0, "7\n", None)).is_err());
        assert!(stopped.judge(run(1, "", None)).is_ok());
        assert!(stopped.judge(run(127, "", None)).unwrap_err().starts_with("Could not tell"), "no jls is no answer");
    }

    #[test]
    fn a_service_that_was_not_enabled_is_explained() {
        let c = Check::ServiceRunning { jail: Some("web1".parse().unwrap()), service: "php-fpm".parse().unwrap() };
        let said =
            "Cannot 'start' php-fpm. Set php_fpm_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.";
        let e = c.judge(run(1, "php-fpm is not running.\n", Some(said))).unwrap_err();
        assert!(e.contains("in jail web1 is not enabled") && e.ends_with("Enable it first."), "{e}");
        // Running (started by hand) but refused: the restart did not happen.
        let restart = said.replace("'start'", "'restart'");
        assert!(c.judge(run(0, "php-fpm is running as pid 812.\n", Some(&restart))).is_err());
        let e = c.judge(run(1, "php-fpm is not running.\n", Some("Starting php-fpm."))).unwrap_err();
        assert!(e.contains("not running in jail web1 after the command"), "{e}");
        assert!(c.judge(run(0, "php-fpm is running as pid 812.\n", None)).is_ok());
        let off = Check::ServiceNotRunning { jail: None, service: "nginx".parse().unwrap() };
        assert!(off.judge(run(1, "nginx is not running.\n", None)).is_ok());
        assert!(off.judge(run(0, "nginx is running as pid 9.\n", None)).is_err());
    }

    #[test]
    fn rc_values_packages_and_lists() {
        let on = Check::ServiceEnabled { jail: None, service: "nfsd".parse().unwrap(), enabled: true };
        assert_eq!(on.command().to_string(), "service -e");
        assert!(on.judge(run(0, "/etc/rc.d/cron\n/etc/rc.d/nfsd\n", None)).is_ok());
        assert!(on.judge(run(0, "/etc/rc.d/cron\n", None)).unwrap_err().contains("still not enabled"));
        assert!(on.judge(run(1, "", None)).is_err());
        let off = Check::ServiceEnabled { jail: None, service: "nfsd".parse().unwrap(), enabled: false };
        assert!(off.judge(run(0, "/etc/rc.d/cron\n", None)).is_ok());
        assert!(off.judge(run(0, "/etc/rc.d/nfsd\n", None)).unwrap_err().contains("still enabled"));
        let gone = Check::NotListed { manager: JailManager::Bastille, jail: "web3".parse().unwrap() };
        let list = " JID  Name  Boot  Prio  State  Type  IP Address  Published Ports  Release  Tags\n \
                    1    web1  on    99    Up     thin  10.0.0.1    -                14.3-RELEASE  -\n";
        assert!(gone.judge(run(0, list, None)).is_ok());
        let still = Check::NotListed { manager: JailManager::Bastille, jail: "web1".parse().unwrap() };
        assert!(still.judge(run(0, list, None)).unwrap_err().contains("still lists jail web1"));
        let gone = Check::DatasetGone("zroot/jails/containers/web4".into());
        assert_eq!(gone.command().to_string(), "zfs list -H -o name zroot/jails/containers/web4");
        let missing = "cannot open 'zroot/jails/containers/web4': dataset does not exist\n";
        assert!(gone.judge(CheckRun { exit_code: Some(1), stdout: "", output: missing, action_said: None }).is_ok());
        assert!(gone.judge(run(0, "zroot/jails/containers/web4\n", None)).unwrap_err().contains("still on the host"));
        assert!(gone.judge(run(127, "", None)).is_err());
    }
}
