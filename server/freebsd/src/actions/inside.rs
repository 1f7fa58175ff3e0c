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
    /// Exit 0 when running (the check after an action).
    Status,
}

impl ServiceOp {
    fn verb(self) -> &'static str {
        match self {
            ServiceOp::Start => "start",
            ServiceOp::Stop => "stop",
            ServiceOp::Restart => "restart",
            ServiceOp::Status => "status",
        }
    }
}

fn service(place: &Place) -> CommandSpec {
    match place {
        Place::Host => CommandSpec::new("service"),
        Place::Jail(j) => CommandSpec::new("service").args(["-j", j.as_str()]),
    }
}

/// `service [-j JAIL] NAME start|stop|restart|status`
pub fn service_op(place: &Place, name: &ServiceName, op: ServiceOp) -> CommandSpec {
    service(place).args([name.as_str(), op.verb()])
}

/// `service [-j JAIL] -l`: every rc script's name, enabled or not.
pub fn service_list(place: &Place) -> CommandSpec {
    service(place).arg("-l")
}

/// `sysrc [-j JAIL] NAME_enable=YES|NO`. rc variables use `_` where the
/// service name has `-`.
pub fn service_enable(place: &Place, name: &ServiceName, enable: bool) -> CommandSpec {
    let var = format!("{}_enable={}", name.as_str().replace('-', "_"), if enable { "YES" } else { "NO" });
    let c = CommandSpec::new("sysrc");
    match place {
        Place::Host => c.arg(var),
        Place::Jail(j) => c.args(["-j", j.as_str()]).arg(var),
    }
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
        assert_eq!(typed(&service_op(&Place::Host, &nginx, ServiceOp::Status)), "service nginx status");
        let fpm: ServiceName = "php-fpm".parse().unwrap();
        assert_eq!(typed(&service_enable(&jail, &fpm, true)), "sysrc -j web1 php_fpm_enable=YES");
        assert_eq!(typed(&service_enable(&Place::Host, &nginx, false)), "sysrc nginx_enable=NO");
        let pkgs: Vec<PackageName> = ["nginx", "php83-pdo_pgsql", "gtk+3"].iter().map(|p| p.parse().unwrap()).collect();
        let Place::Jail(j) = &jail else { unreachable!() };
        assert_eq!(typed(&pkg_install(j, &pkgs)), "pkg -j web1 install -y nginx php83-pdo_pgsql gtk+3");
        assert!("nginx; reboot".parse::<PackageName>().is_err());
        assert!("-f".parse::<PackageName>().is_err());
    }
}
