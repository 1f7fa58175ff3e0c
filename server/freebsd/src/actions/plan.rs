//! An action as a plan: what the user asked for (the [`Intent`], stored with
//! the job), the exact commands it runs, what it will change in words a
//! non-CLI user understands, and the checks that prove afterwards that it
//! happened (several FreeBSD tools exit 0 on failure, SPEC §4.5).
//!
//! The plan is a pure function of the intent: the form shows it, the audit
//! record keeps it, and the worker rebuilds the same commands from the
//! stored intent.

use super::check::Check;
use super::inside::{pkg_install, service_list, service_op, Place, ServiceOp};
use super::jailconf::{self, Layout, ZfsPool};
use super::lifecycle::{bastille_create, destroy, ezjail_create, jail_op, JailAddress, JailOp, Release};
use super::Unsupported;
use crate::command::CommandSpec;
use serde::{Deserialize, Serialize};
use warden_domain::inventory::JailManager;
use warden_domain::{JailName, PackageName, ServiceName};

/// What can be done to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceAction {
    Start,
    Stop,
    Restart,
    Enable,
    Disable,
}

impl ServiceAction {
    pub const ALL: [ServiceAction; 5] = [
        ServiceAction::Start,
        ServiceAction::Stop,
        ServiceAction::Restart,
        ServiceAction::Enable,
        ServiceAction::Disable,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ServiceAction::Start => "Start",
            ServiceAction::Stop => "Stop",
            ServiceAction::Restart => "Restart",
            ServiceAction::Enable => "Enable",
            ServiceAction::Disable => "Disable",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceAction::Start => "start",
            ServiceAction::Stop => "stop",
            ServiceAction::Restart => "restart",
            ServiceAction::Enable => "enable",
            ServiceAction::Disable => "disable",
        }
    }
}

/// What the user asked for, with everything the commands depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Intent {
    JailStart {
        jail: JailName,
        manager: JailManager,
    },
    JailStop {
        jail: JailName,
        manager: JailManager,
    },
    JailRestart {
        jail: JailName,
        manager: JailManager,
    },
    /// ezjail: from its basejail (optionally a flavour); Bastille: from a
    /// bootstrapped release; jail.conf: a ZFS clone of the release's
    /// template in `pool` (see `jailconf`).
    JailCreate {
        jail: JailName,
        manager: JailManager,
        address: JailAddress,
        release: Option<Release>,
        flavour: Option<JailName>,
        #[serde(default)]
        pool: Option<ZfsPool>,
    },
    /// `stop_first`: the inventory saw it running; managers refuse to destroy
    /// a running jail. `pool`: for a jail.conf jail Warden created, the pool
    /// of its dataset (others are not destroyed by Warden).
    JailDestroy {
        jail: JailName,
        manager: JailManager,
        stop_first: bool,
        #[serde(default)]
        pool: Option<ZfsPool>,
    },
    /// A service on the host (`jail` None) or in a running jail.
    Service {
        jail: Option<JailName>,
        service: ServiceName,
        op: ServiceAction,
    },
    PackageInstall {
        jail: JailName,
        packages: Vec<PackageName>,
    },
}

/// The commands of an intent and how they are judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// "Restart jail web1".
    pub title: String,
    /// Run in order; each must exit 0.
    pub steps: Vec<CommandSpec>,
    /// Run after the steps; each must confirm the result.
    pub checks: Vec<Check>,
    /// What will change, in plain words.
    pub changes: Vec<String>,
}

impl Intent {
    /// The jail the intent acts on or in, if any.
    pub fn jail(&self) -> Option<&JailName> {
        match self {
            Intent::JailStart { jail, .. }
            | Intent::JailStop { jail, .. }
            | Intent::JailRestart { jail, .. }
            | Intent::JailCreate { jail, .. }
            | Intent::JailDestroy { jail, .. }
            | Intent::PackageInstall { jail, .. } => Some(jail),
            Intent::Service { jail, .. } => jail.as_ref(),
        }
    }

    /// The plan, or why this manager cannot do it through Warden.
    pub fn plan(&self) -> Result<Plan, Unsupported> {
        Ok(match self {
            Intent::JailStart { jail, manager } => Plan {
                title: format!("Start jail {jail}"),
                steps: vec![jail_op(*manager, JailOp::Start, jail)?],
                checks: vec![Check::JailRunning(jail.clone())],
                changes: vec![format!("Jail {jail} starts: its services start and its addresses come up.")],
            },
            Intent::JailStop { jail, manager } => Plan {
                title: format!("Stop jail {jail}"),
                steps: vec![jail_op(*manager, JailOp::Stop, jail)?],
                checks: vec![Check::JailNotRunning(jail.clone())],
                changes: vec![format!("Jail {jail} stops: every service in it stops and its addresses go down.")],
            },
            Intent::JailRestart { jail, manager } => Plan {
                title: format!("Restart jail {jail}"),
                steps: vec![jail_op(*manager, JailOp::Restart, jail)?],
                checks: vec![Check::JailRunning(jail.clone())],
                changes: vec![format!("Jail {jail} stops and starts again: its services are down for a moment.")],
            },
            Intent::JailCreate { jail, manager, address, release, flavour, pool } => {
                create(jail, *manager, address, release, flavour, pool.as_ref())?
            }
            Intent::JailDestroy { jail, manager, stop_first, pool } => {
                let mut steps = Vec::new();
                if *stop_first {
                    steps.push(jail_op(*manager, JailOp::Stop, jail)?);
                }
                match (manager, pool) {
                    (JailManager::Jailconf, Some(pool)) => steps.extend(jailconf::destroy(&Layout { pool, jail })),
                    _ => steps.push(destroy(*manager, jail, 1)?),
                }
                let mut changes = Vec::new();
                if *stop_first {
                    changes.push(format!("Jail {jail} stops: every service in it stops."));
                }
                changes
                    .push(format!("Jail {jail} and all its files are deleted from the host. This cannot be undone."));
                Plan {
                    title: format!("Destroy jail {jail}"),
                    steps,
                    checks: vec![
                        Check::JailNotRunning(jail.clone()),
                        match (manager, pool) {
                            // Its own file is gone by then (rm -f); its files are what matter.
                            (JailManager::Jailconf, Some(pool)) => Check::DatasetGone(Layout { pool, jail }.dataset()),
                            _ => Check::NotListed { manager: *manager, jail: jail.clone() },
                        },
                    ],
                    changes,
                }
            }
            Intent::Service { jail, service, op } => service_plan(jail.as_ref(), service, *op),
            Intent::PackageInstall { jail, packages } => {
                if packages.is_empty() {
                    return Err(Unsupported("Name at least one package to install.".into()));
                }
                let names = packages.iter().map(PackageName::as_str).collect::<Vec<_>>().join(", ");
                // The rc scripts before and after: the new ones are the
                // packages' services (see `new_services`).
                let list = service_list(&Place::Jail(jail.clone()));
                Plan {
                    title: format!("Install {names} in jail {jail}"),
                    steps: vec![list.clone(), pkg_install(jail, packages), list],
                    checks: vec![Check::PackagesInstalled { jail: jail.clone(), packages: packages.clone() }],
                    changes: vec![
                        format!(
                            "The package(s) {names} and what they depend on are installed in jail {jail} \
                             from the host's package repository."
                        ),
                        "Services the packages bring are added to the inventory, not enabled and not started.".into(),
                    ],
                }
            }
        })
    }
}

fn create(
    jail: &JailName,
    manager: JailManager,
    address: &JailAddress,
    release: &Option<Release>,
    flavour: &Option<JailName>,
    pool: Option<&ZfsPool>,
) -> Result<Plan, Unsupported> {
    let (steps, from) = match manager {
        // ezjail creates the jail stopped; start it so the result can be checked.
        JailManager::Ezjail => {
            if release.is_some() {
                return Err(Unsupported(
                    "ezjail builds jails from its basejail; leave the release empty (a flavour may be given).".into(),
                ));
            }
            let from = flavour.as_ref().map_or("ezjail's basejail".to_string(), |f| format!("flavour {f}"));
            (
                vec![
                    ezjail_create(jail, std::slice::from_ref(address), flavour.as_ref()),
                    jail_op(manager, JailOp::Start, jail)?,
                ],
                from,
            )
        }
        // Bastille starts a jail it has just created.
        JailManager::Bastille => {
            let Some(release) = release else {
                return Err(Unsupported(
                    "Bastille needs a release that is bootstrapped on the host, like 14.3-RELEASE.".into(),
                ));
            };
            if flavour.is_some() {
                return Err(Unsupported("Bastille has no flavours; leave the flavour empty.".into()));
            }
            (vec![bastille_create(jail, release, address)], format!("release {}", release.as_str()))
        }
        JailManager::Jailconf => {
            let (Some(release), Some(pool)) = (release, pool) else {
                return Err(Unsupported(
                    "A jail.conf jail is cloned from a release template: give the release, like 14.3-RELEASE.".into(),
                ));
            };
            if flavour.is_some() {
                return Err(Unsupported("jail.conf jails have no flavours; leave the flavour empty.".into()));
            }
            let layout = Layout { pool, jail };
            let from = format!(
                "a ZFS clone of {} (at {}), configured in {} and added to jail_list so that it starts at boot,",
                layout.template(release),
                layout.path(),
                layout.conf_file()
            );
            (jailconf::create(&layout, release, address), from)
        }
        JailManager::Iocage => {
            return Err(Unsupported(
                "Warden shows iocage jails but does not change them; use iocage on the host.".into(),
            ))
        }
        JailManager::Unmanaged => return Err(Unsupported("Choose ezjail or Bastille to create a jail.".into())),
    };
    Ok(Plan {
        title: format!("Create jail {jail}"),
        steps,
        checks: vec![Check::JailRunning(jail.clone())],
        changes: vec![format!(
            "A new {} jail {jail} is created from {from} with address {address} and started.",
            manager.label()
        )],
    })
}

fn service_plan(jail: Option<&JailName>, service: &ServiceName, op: ServiceAction) -> Plan {
    let place = jail.map_or(Place::Host, |j| Place::Jail(j.clone()));
    let where_ = jail.map_or("on the host".to_string(), |j| format!("in jail {j}"));
    let title = format!("{} service {service} {where_}", op.label());
    let running = Check::ServiceRunning { jail: jail.cloned(), service: service.clone() };
    let (steps, checks, change) = match op {
        ServiceAction::Start => (
            vec![service_op(&place, service, ServiceOp::Start)],
            vec![running],
            format!("The service {service} starts {where_}."),
        ),
        ServiceAction::Stop => (
            vec![service_op(&place, service, ServiceOp::Stop)],
            vec![Check::ServiceNotRunning { jail: jail.cloned(), service: service.clone() }],
            format!("The service {service} stops {where_}; whatever uses it stops working until it starts again."),
        ),
        ServiceAction::Restart => (
            vec![service_op(&place, service, ServiceOp::Restart)],
            vec![running],
            format!("The service {service} stops and starts again {where_}; it is down for a moment."),
        ),
        ServiceAction::Enable | ServiceAction::Disable => {
            let on = op == ServiceAction::Enable;
            (
                vec![service_op(&place, service, if on { ServiceOp::Enable } else { ServiceOp::Disable })],
                vec![Check::ServiceEnabled { jail: jail.cloned(), service: service.clone(), enabled: on }],
                format!(
                    "rc.conf {where_} is changed so that the service {service} {} at boot. Nothing starts or stops now.",
                    if on { "starts" } else { "no longer starts" }
                ),
            )
        }
    };
    Plan { title, steps, checks, changes: vec![change] }
}

/// The rc scripts a package install added: names in the `after` listing of
/// `service -l` that the `before` listing did not have, in order.
pub fn new_services(before: &str, after: &str) -> Vec<String> {
    let old: Vec<&str> = before.lines().map(str::trim).collect();
    let mut new: Vec<String> = Vec::new();
    for name in after.lines().map(str::trim).filter(|n| !n.is_empty() && !old.contains(n)) {
        if !new.iter().any(|n| n == name) {
            new.push(name.to_string());
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::typed;

    fn jail(s: &str) -> JailName {
        s.parse().unwrap()
    }

    fn commands(plan: &Plan) -> Vec<String> {
        plan.steps.iter().map(typed).chain(plan.checks.iter().map(|c| typed(&c.command()))).collect()
    }

    #[test]
    fn plans_name_every_command_and_the_check() {
        let restart = Intent::JailRestart { jail: jail("web1"), manager: JailManager::Bastille }.plan().unwrap();
        assert_eq!(restart.title, "Restart jail web1");
        assert_eq!(commands(&restart), ["bastille restart web1", "jls -j web1 jid"]);

        let create = Intent::JailCreate {
            jail: jail("web2"),
            manager: JailManager::Ezjail,
            address: JailAddress::parse("lo1|10.1.0.2").unwrap(),
            release: None,
            flavour: None,
            pool: None,
        }
        .plan()
        .unwrap();
        assert_eq!(
            commands(&create),
            ["ezjail-admin create web2 'lo1|10.1.0.2'", "ezjail-admin onestart web2", "jls -j web2 jid"]
        );
        assert!(create.changes[0].contains("lo1|10.1.0.2"));

        let bastille = Intent::JailCreate {
            jail: jail("web3"),
            manager: JailManager::Bastille,
            address: JailAddress::parse("10.1.0.3/24").unwrap(),
            release: Some(Release::parse("14.3-RELEASE").unwrap()),
            flavour: None,
            pool: None,
        }
        .plan()
        .unwrap();
        assert_eq!(commands(&bastille), ["bastille create web3 14.3-RELEASE 10.1.0.3/24", "jls -j web3 jid"]);

        let destroy =
            Intent::JailDestroy { jail: jail("web3"), manager: JailManager::Bastille, stop_first: true, pool: None }
                .plan()
                .unwrap();
        assert_eq!(
            commands(&destroy),
            ["bastille stop web3", "bastille destroy -y web3", "jls -j web3 jid", "bastille list"]
        );
        assert!(destroy.changes.last().unwrap().contains("cannot be undone"));

        // jail.conf: cloned from the release's template, removed with its dataset.
        let zroot = Some(ZfsPool::parse("zroot").unwrap());
        let native = Intent::JailCreate {
            jail: jail("web4"),
            manager: JailManager::Jailconf,
            address: JailAddress::parse("10.1.0.4").unwrap(),
            release: Some(Release::parse("14.3-RELEASE").unwrap()),
            flavour: None,
            pool: zroot.clone(),
        }
        .plan()
        .unwrap();
        let c = commands(&native);
        assert_eq!(c[0], "test '!' -e /etc/jail.conf.d/web4.conf");
        assert!(c[1].starts_with("zfs clone -p -o mountpoint=/usr/local/jails/containers/web4 "), "{c:?}");
        assert_eq!(c[6..], ["jls -j web4 jid"]);
        let gone =
            Intent::JailDestroy { jail: jail("web4"), manager: JailManager::Jailconf, stop_first: true, pool: zroot }
                .plan()
                .unwrap();
        assert_eq!(
            commands(&gone),
            [
                "service jail onestop web4",
                "zfs destroy -r zroot/jails/containers/web4",
                "rm -f /etc/jail.conf.d/web4.conf",
                "sysrc jail_list-=web4",
                "jls -j web4 jid",
                "zfs list -H -o name zroot/jails/containers/web4",
            ]
        );
        let unknown =
            Intent::JailDestroy { jail: jail("old"), manager: JailManager::Jailconf, stop_first: false, pool: None };
        assert!(unknown.plan().unwrap_err().0.contains("remove the jail's dataset"));

        let enable = Intent::Service {
            jail: Some(jail("web1")),
            service: "php-fpm".parse().unwrap(),
            op: ServiceAction::Enable,
        }
        .plan()
        .unwrap();
        assert_eq!(enable.title, "Enable service php-fpm in jail web1");
        assert_eq!(commands(&enable), ["service -j web1 php-fpm enable", "service -j web1 -e"]);

        let pkgs = vec!["nginx".parse().unwrap()];
        let install = Intent::PackageInstall { jail: jail("web1"), packages: pkgs }.plan().unwrap();
        assert_eq!(
            commands(&install),
            ["service -j web1 -l", "pkg -j web1 install -y nginx", "service -j web1 -l", "pkg -j web1 info -e nginx"]
        );
        assert_eq!(new_services("cron\nsshd\n", "cron\nnginx\nsshd\nnginx\n"), ["nginx"]);
    }

    #[test]
    fn what_a_manager_cannot_do_is_refused_with_a_reason() {
        let iocage = Intent::JailStart { jail: jail("a"), manager: JailManager::Iocage }.plan().unwrap_err();
        assert!(iocage.0.contains("iocage"));
        let address = JailAddress::parse("10.0.0.9").unwrap();
        let no_release = Intent::JailCreate {
            jail: jail("a"),
            manager: JailManager::Bastille,
            address,
            release: None,
            flavour: None,
            pool: None,
        };
        assert!(no_release.plan().unwrap_err().0.contains("release"));
        assert!(Intent::PackageInstall { jail: jail("a"), packages: vec![] }.plan().is_err());
    }

    #[test]
    fn an_intent_survives_its_trip_through_the_job_parameters() {
        let intent = Intent::JailCreate {
            jail: jail("web2"),
            manager: JailManager::Bastille,
            address: JailAddress::parse("vtnet0|10.1.0.2/24").unwrap(),
            release: Some(Release::parse("14.3-RELEASE").unwrap()),
            flavour: None,
            pool: None,
        };
        let json = serde_json::to_value(&intent).unwrap();
        assert_eq!(json["action"], "jail_create");
        assert_eq!(json["address"], "vtnet0|10.1.0.2/24");
        assert_eq!(serde_json::from_value::<Intent>(json).unwrap(), intent);
        // A tampered name is refused when read back, not run.
        let bad = serde_json::json!({ "action": "jail_start", "jail": "x; reboot", "manager": "bastille" });
        assert!(serde_json::from_value::<Intent>(bad).is_err());
    }
}
