//! The checks run after an action (SPEC §4.5, §4.6): the host, not the
//! action's exit code, says whether it happened. Each check is one read-only
//! command and a judgement of what it printed, with a message a user who
//! does not read shell output understands.

use crate::command::CommandSpec;
use crate::service::{parse_service_status, ServiceState};
use warden_domain::inventory::JailManager;
use warden_domain::{JailName, PackageName, ServiceName};

/// One thing that must hold after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// `jls -j NAME jid` prints the JID (exit 0).
    JailRunning(JailName),
    /// `jls -j NAME jid` exits 1: no such running jail.
    JailNotRunning(JailName),
    /// The manager's own list no longer has the jail (after a destroy).
    NotListed { manager: JailManager, jail: JailName },
    /// `service [-j JAIL] NAME status` exits 0.
    ServiceRunning { jail: Option<JailName>, service: ServiceName },
    /// `service [-j JAIL] NAME status` says "is not running".
    ServiceNotRunning { jail: Option<JailName>, service: ServiceName },
    /// `sysrc [-j JAIL] -n VAR` prints VALUE.
    RcValue { jail: Option<JailName>, var: String, value: &'static str },
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

fn in_jail(jail: &Option<JailName>) -> String {
    jail.as_ref().map_or("on the host".into(), |j| format!("in jail {j}"))
}

impl Check {
    /// The read-only command that answers the check.
    pub fn command(&self) -> CommandSpec {
        let with_jail = |c: CommandSpec, jail: &Option<JailName>| match jail {
            Some(j) => c.args(["-j", j.as_str()]),
            None => c,
        };
        match self {
            Check::JailRunning(j) | Check::JailNotRunning(j) => super::jail_jid(j),
            Check::NotListed { manager: JailManager::Ezjail, .. } => CommandSpec::new("ezjail-admin").arg("list"),
            Check::NotListed { manager: JailManager::Bastille, .. } => CommandSpec::new("bastille").arg("list"),
            Check::NotListed { manager: JailManager::Jailconf, .. } => {
                CommandSpec::new("jail").args(["-e", crate::jail_exhibit::SEPARATOR])
            }
            // Other managers have no list Warden reads; the kernel is asked.
            Check::NotListed { jail, .. } => super::jail_jid(jail),
            Check::ServiceRunning { jail, service } | Check::ServiceNotRunning { jail, service } => {
                with_jail(CommandSpec::new("service"), jail).args([service.as_str(), "status"])
            }
            Check::RcValue { jail, var, .. } => with_jail(CommandSpec::new("sysrc"), jail).args(["-n", var.as_str()]),
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
            Check::JailNotRunning(j) => match run.exit_code {
                Some(0) => Err(format!("Jail {j} is still running on the host (JID {}).{said}", run.stdout.trim())),
                _ => Ok(format!("Jail {j} is not running.")),
            },
            Check::NotListed { manager, jail } => {
                let listed = match manager {
                    // No jail.conf at all: jail(8) says so and exits 1.
                    JailManager::Jailconf if run.output.contains("No such file or directory") => Ok(false),
                    JailManager::Ezjail | JailManager::Bastille | JailManager::Jailconf if run.exit_code != Some(0) => {
                        Err(run.output.trim().to_string())
                    }
                    // An empty list: the manager has no jails left.
                    _ if run.stdout.trim().is_empty() => Ok(false),
                    JailManager::Ezjail => crate::ezjail::parse_ezjail_list(run.stdout)
                        .map(|l| l.iter().any(|e| e.hostname.as_deref() == Some(jail.as_str())))
                        .map_err(|e| e.to_string()),
                    JailManager::Bastille => crate::bastille::parse_bastille_list(run.stdout)
                        .map(|l| l.jails.iter().any(|b| b.name.as_deref() == Some(jail.as_str())))
                        .map_err(|e| e.to_string()),
                    JailManager::Jailconf => {
                        crate::jail_exhibit::parse_jail_exhibit(run.stdout, crate::jail_exhibit::SEPARATOR)
                            .map(|l| l.iter().any(|c| c.name == jail.as_str()))
                            .map_err(|e| e.to_string())
                    }
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
                let status = parse_service_status(run.output, run.exit_code.unwrap_or(-1));
                match status.state {
                    ServiceState::Running => Ok(format!("{service} is running {}.", in_jail(jail))),
                    ServiceState::NotFound => Err(format!("There is no service {service} {}.", in_jail(jail))),
                    _ => {
                        let hint = if run.action_said.is_some_and(|l| l.contains("Cannot '")) {
                            " It is not enabled: enable it first."
                        } else {
                            ""
                        };
                        Err(format!(
                            "{service} is not running {} after the command, although it reported no error.{said}{hint}",
                            in_jail(jail)
                        ))
                    }
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
            Check::RcValue { jail, var, value } => {
                let now = run.stdout.trim();
                if run.exit_code == Some(0) && now == *value {
                    Ok(format!("{var} is {value} {}.", in_jail(jail)))
                } else {
                    Err(format!("{var} is “{now}” {}, not {value}.{said}", in_jail(jail)))
                }
            }
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
        assert!(Check::JailNotRunning("web1".parse().unwrap()).judge(run(0, "7\n", None)).is_err());
    }

    #[test]
    fn a_service_that_was_not_enabled_is_explained() {
        let c = Check::ServiceRunning { jail: Some("web1".parse().unwrap()), service: "php-fpm".parse().unwrap() };
        let said =
            "Cannot 'start' php-fpm. Set php_fpm_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.";
        let e = c.judge(run(1, "php-fpm is not running.\n", Some(said))).unwrap_err();
        assert!(e.contains("not running in jail web1") && e.ends_with("enable it first."), "{e}");
        assert!(c.judge(run(0, "php-fpm is running as pid 812.\n", None)).is_ok());
        let off = Check::ServiceNotRunning { jail: None, service: "nginx".parse().unwrap() };
        assert!(off.judge(run(1, "nginx is not running.\n", None)).is_ok());
        assert!(off.judge(run(0, "nginx is running as pid 9.\n", None)).is_err());
    }

    #[test]
    fn rc_values_packages_and_lists() {
        let rc = Check::RcValue { jail: None, var: "nginx_enable".into(), value: "YES" };
        assert_eq!(rc.command().to_string(), "sysrc -n nginx_enable");
        assert!(rc.judge(run(0, "YES\n", None)).is_ok());
        assert!(rc.judge(run(0, "NO\n", None)).is_err());
        let gone = Check::NotListed { manager: JailManager::Bastille, jail: "web3".parse().unwrap() };
        let list = " JID  Name  Boot  Prio  State  Type  IP Address  Published Ports  Release  Tags\n \
                    1    web1  on    99    Up     thin  10.0.0.1    -                14.3-RELEASE  -\n";
        assert!(gone.judge(run(0, list, None)).is_ok());
        let still = Check::NotListed { manager: JailManager::Bastille, jail: "web1".parse().unwrap() };
        assert!(still.judge(run(0, list, None)).unwrap_err().contains("still lists jail web1"));
        let native = Check::NotListed { manager: JailManager::Jailconf, jail: "web4".parse().unwrap() };
        assert_eq!(native.command().to_string(), "jail -e '\t'");
        assert!(native.judge(run(0, "name=web1\tpath=/j\n", None)).is_ok());
        assert!(native.judge(run(0, "name=web4\tpath=/j\n", None)).is_err());
        let none = "jail: /etc/jail.conf: No such file or directory\n";
        assert!(native.judge(CheckRun { exit_code: Some(1), stdout: "", output: none, action_said: None }).is_ok());
    }
}
