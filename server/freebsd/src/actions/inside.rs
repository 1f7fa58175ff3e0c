//! Services, rc.conf and packages, on the host or inside a running jail
//! (SPEC §1.3, §1.4, §2.2).

use crate::command::CommandSpec;
use warden_domain::{JailName, PackageName, ServiceName};

/// Where a service lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Host,
    Jail(JailName),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceOp {
    Start,
    Stop,
    Restart,
    /// `onestatus`: exit 0 when running. The `one` form answers whether or
    /// not the service is enabled (older rc.subr refuse a plain `status`
    /// of a disabled service with "Cannot 'status'" and exit 0).
    Status,
    /// rc.subr's own verbs: they set the rcvar the script declares, which is
    /// not always `NAME_enable` (nfsd uses nfs_server_enable).
    Enable,
    Disable,
}

impl ServiceOp {
    fn verb(self) -> &'static str {
        match self {
            ServiceOp::Start => "start",
            ServiceOp::Stop => "stop",
            ServiceOp::Restart => "restart",
            ServiceOp::Status => "onestatus",
            ServiceOp::Enable => "enable",
            ServiceOp::Disable => "disable",
        }
    }
}

fn service(place: &Place) -> CommandSpec {
    match place {
        Place::Host => CommandSpec::new("service"),
        Place::Jail(j) => CommandSpec::new("service").args(["-j", j.as_str()]),
    }
}

/// `service [-j JAIL] NAME start|stop|restart|onestatus|enable|disable`
pub fn service_op(place: &Place, name: &ServiceName, op: ServiceOp) -> CommandSpec {
    service(place).args([name.as_str(), op.verb()])
}

/// `service [-j JAIL] -l`: every rc script's name, enabled or not.
pub fn service_list(place: &Place) -> CommandSpec {
    service(place).arg("-l")
}

/// `service [-j JAIL] -e`: the enabled rc scripts, as paths.
pub fn service_enabled_list(place: &Place) -> CommandSpec {
    service(place).arg("-e")
}

/// `pkg -j JAIL install -y PKG…` (the host's pkg, into a running jail).
pub fn pkg_install(jail: &JailName, packages: &[PackageName]) -> CommandSpec {
    CommandSpec::new("pkg").args(["-j", jail.as_str(), "install", "-y"]).args(packages.iter().map(|p| p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::typed;

    #[test]
    fn services_packages_and_rc_conf() {
        let jail = Place::Jail("web1".parse().unwrap());
        let nginx: ServiceName = "nginx".parse().unwrap();
        assert_eq!(typed(&service_op(&jail, &nginx, ServiceOp::Restart)), "service -j web1 nginx restart");
        assert_eq!(typed(&service_op(&Place::Host, &nginx, ServiceOp::Status)), "service nginx onestatus");
        let fpm: ServiceName = "php-fpm".parse().unwrap();
        assert_eq!(typed(&service_op(&jail, &fpm, ServiceOp::Enable)), "service -j web1 php-fpm enable");
        assert_eq!(typed(&service_op(&Place::Host, &nginx, ServiceOp::Disable)), "service nginx disable");
        assert_eq!(typed(&service_enabled_list(&jail)), "service -j web1 -e");
        let pkgs: Vec<PackageName> = ["nginx", "php83-pdo_pgsql", "gtk+3"].iter().map(|p| p.parse().unwrap()).collect();
        let Place::Jail(j) = &jail else { unreachable!() };
        assert_eq!(typed(&pkg_install(j, &pkgs)), "pkg -j web1 install -y nginx php83-pdo_pgsql gtk+3");
        assert!("nginx; reboot".parse::<PackageName>().is_err());
        assert!("-f".parse::<PackageName>().is_err());
    }
}
