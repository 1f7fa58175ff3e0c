//! Jail lifecycle per manager (SPEC §2.1, §2.3, §2.4): start, stop, restart,
//! create, destroy. iocage jails are read-only in Warden; unmanaged ones have
//! no manager to ask.

use super::Unsupported;
use crate::command::CommandSpec;
use std::fmt;
use std::net::IpAddr;
use warden_domain::inventory::JailManager;
use warden_domain::JailName;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JailOp {
    Start,
    Stop,
    Restart,
}

fn refuse(manager: JailManager) -> Result<CommandSpec, Unsupported> {
    Err(Unsupported(match manager {
        JailManager::Iocage => "Warden shows iocage jails but does not change them; use iocage on the host.".into(),
        _ => "This jail has no manager Warden knows (it was started by hand); adopt it under a manager first.".into(),
    }))
}

/// The name of a jail Warden creates: SPEC §4.1's rule, `^[a-z][a-z0-9]{0,14}$`,
/// which every manager keeps as it is (ezjail would turn `web-1` into the
/// kernel name `web_1`, Bastille VNET names refuse `-` and `_`, interface
/// names embed it). Existing jails keep the wider [`JailName`].
pub fn new_jail_name(text: &str) -> Result<JailName, Unsupported> {
    let mut chars = text.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && text.len() <= 15;
    if !ok {
        return Err(Unsupported(
            "Use 1 to 15 lowercase letters and digits, starting with a letter, e.g. web3: every jail manager keeps \
             such a name as it is."
                .into(),
        ));
    }
    text.parse::<JailName>().map_err(|e| Unsupported(e.0))
}

/// Start, stop or restart `name` through its manager.
pub fn jail_op(manager: JailManager, op: JailOp, name: &JailName) -> Result<CommandSpec, Unsupported> {
    let n = name.as_str();
    Ok(match manager {
        // rc.d/jail finds the jail's configuration wherever the admin keeps
        // it (/etc/jail.NAME.conf, /etc/jail.conf.d/NAME.conf, /etc/jail.conf);
        // one* works without jail_enable. It exits 0 even when the jail did
        // not start (SPEC §4.5): the plan's jls check decides.
        JailManager::Jailconf => {
            let verb = match op {
                JailOp::Start => "onestart",
                JailOp::Stop => "onestop",
                JailOp::Restart => "onerestart",
            };
            CommandSpec::new("service").args(["jail", verb, n])
        }
        // one* works whether or not ezjail_enable is set (rc.subr skips plain start otherwise).
        JailManager::Ezjail => {
            let verb = match op {
                JailOp::Start => "onestart",
                JailOp::Stop => "onestop",
                JailOp::Restart => "onerestart",
            };
            CommandSpec::new("ezjail-admin").args([verb, n])
        }
        JailManager::Bastille => {
            let verb = match op {
                JailOp::Start => "start",
                JailOp::Stop => "stop",
                JailOp::Restart => "restart",
            };
            CommandSpec::new("bastille").args([verb, n])
        }
        other => return refuse(other),
    })
}

/// `[interface|]address[/prefix]`, as ezjail and jail.conf write an address.
/// Kept in a job's parameters as that text (parsed again when read).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JailAddress {
    interface: Option<String>,
    ip: IpAddr,
    prefix: Option<u8>,
}

impl JailAddress {
    /// `interface`: a network interface name (`em0`, `vtnet1`, `lo1`).
    pub fn new(interface: Option<&str>, ip: IpAddr, prefix: Option<u8>) -> Result<JailAddress, Unsupported> {
        if let Some(i) = interface {
            let ok = (1..=15).contains(&i.len())
                && i.starts_with(|c: char| c.is_ascii_lowercase())
                && i.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !ok {
                return Err(Unsupported(format!("{i:?} is not a network interface name like em0 or vtnet1.")));
            }
        }
        let max = if ip.is_ipv4() { 32 } else { 128 };
        if prefix.is_some_and(|p| p > max) {
            return Err(Unsupported(format!("A prefix length for {ip} is at most {max}.")));
        }
        Ok(JailAddress { interface: interface.map(str::to_string), ip, prefix })
    }

    /// Reads `[interface|]address[/prefix]` (`em0|192.0.2.10/24`, `10.0.0.5`).
    pub fn parse(text: &str) -> Result<JailAddress, Unsupported> {
        let text = text.trim();
        let (interface, rest) = match text.split_once('|') {
            Some((i, rest)) => (Some(i), rest),
            None => (None, text),
        };
        let (ip, prefix) = match rest.split_once('/') {
            Some((ip, p)) => {
                let p = p.parse::<u8>().map_err(|_| Unsupported(format!("{p:?} is not a prefix length like 24.")))?;
                (ip, Some(p))
            }
            None => (rest, None),
        };
        let ip = ip
            .parse::<IpAddr>()
            .map_err(|_| Unsupported(format!("{ip:?} is not an IPv4 or IPv6 address like 192.0.2.10.")))?;
        JailAddress::new(interface, ip, prefix)
    }

    pub fn ip(&self) -> IpAddr {
        self.ip
    }
}

impl TryFrom<String> for JailAddress {
    type Error = Unsupported;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        JailAddress::parse(&s)
    }
}

impl From<JailAddress> for String {
    fn from(a: JailAddress) -> String {
        a.to_string()
    }
}

impl fmt::Display for JailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = &self.interface {
            write!(f, "{i}|")?;
        }
        write!(f, "{}", self.ip)?;
        if let Some(p) = self.prefix {
            write!(f, "/{p}")?;
        }
        Ok(())
    }
}

/// A FreeBSD release to build a jail from (`14.3-RELEASE`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Release(String);

impl Release {
    pub fn parse(s: &str) -> Result<Release, Unsupported> {
        match crate::facts::parse_freebsd_release(s.trim()) {
            Some(r) if r.version == s.trim() && r.patch.is_none() => Ok(Release(r.version)),
            _ => Err(Unsupported(format!("{s:?} is not a release like 14.3-RELEASE."))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Release {
    type Error = Unsupported;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Release::parse(&s)
    }
}

impl From<Release> for String {
    fn from(r: Release) -> String {
        r.0
    }
}

/// `ezjail-admin create [-f flavour] NAME 'em0|192.0.2.10,…'` (SPEC §2.3).
pub fn ezjail_create(name: &JailName, addresses: &[JailAddress], flavour: Option<&JailName>) -> CommandSpec {
    let ips = addresses.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
    let mut c = CommandSpec::new("ezjail-admin").arg("create");
    if let Some(f) = flavour {
        c = c.args(["-f", f.as_str()]);
    }
    c.args([name.as_str(), &ips])
}

/// `bastille create NAME RELEASE IP [INTERFACE]` (SPEC §2.4).
pub fn bastille_create(name: &JailName, release: &Release, address: &JailAddress) -> CommandSpec {
    let ip = match address.prefix {
        Some(p) => format!("{}/{p}", address.ip),
        None => address.ip.to_string(),
    };
    let c = CommandSpec::new("bastille").args(["create", name.as_str(), &release.0, &ip]);
    match &address.interface {
        Some(i) => c.arg(i.clone()),
        None => c,
    }
}

/// Removes a stopped jail and its files. Bastille 1.x asks for confirmation
/// unless `-y`; 0.x has no such flag (SPEC §2.4).
pub fn destroy(manager: JailManager, name: &JailName, bastille_major: u32) -> Result<CommandSpec, Unsupported> {
    let n = name.as_str();
    Ok(match manager {
        JailManager::Ezjail => CommandSpec::new("ezjail-admin").args(["delete", "-w", n]),
        JailManager::Bastille if bastille_major >= 1 => CommandSpec::new("bastille").args(["destroy", "-y", n]),
        JailManager::Bastille => CommandSpec::new("bastille").args(["destroy", n]),
        JailManager::Jailconf => {
            return Err(Unsupported(
                "Warden did not create this jail.conf jail, so it does not know its files: remove the jail's \
                 dataset and file on the host."
                    .into(),
            ))
        }
        other => return refuse(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::typed;

    fn jail(s: &str) -> JailName {
        s.parse().unwrap()
    }

    #[test]
    fn lifecycle_through_each_manager() {
        let n = jail("web1");
        let t = |m, op| typed(&jail_op(m, op, &n).unwrap());
        assert_eq!(t(JailManager::Jailconf, JailOp::Start), "service jail onestart web1");
        assert_eq!(t(JailManager::Jailconf, JailOp::Stop), "service jail onestop web1");
        assert_eq!(t(JailManager::Jailconf, JailOp::Restart), "service jail onerestart web1");
        assert_eq!(t(JailManager::Ezjail, JailOp::Start), "ezjail-admin onestart web1");
        assert_eq!(t(JailManager::Ezjail, JailOp::Restart), "ezjail-admin onerestart web1");
        assert_eq!(t(JailManager::Bastille, JailOp::Stop), "bastille stop web1");
        assert!(jail_op(JailManager::Iocage, JailOp::Start, &n).unwrap_err().0.contains("iocage"));
        assert_eq!(new_jail_name("web3").unwrap().as_str(), "web3");
        for bad in ["", "Web3", "3web", "web-1", "web_1", "web.1", "abcdefghijklmnop", "wéb"] {
            assert!(new_jail_name(bad).is_err(), "{bad:?}");
        }
        assert!(new_jail_name("abcdefghijklmno").is_ok(), "15 characters");
        assert!(jail_op(JailManager::Unmanaged, JailOp::Stop, &n).is_err());
    }

    #[test]
    fn create_and_destroy() {
        let n = jail("web1");
        let v4 = JailAddress::new(Some("em0"), "192.0.2.10".parse().unwrap(), None).unwrap();
        let v6 = JailAddress::new(Some("em0"), "2001:db8::10".parse().unwrap(), None).unwrap();
        assert_eq!(
            typed(&ezjail_create(&n, &[v4.clone(), v6], None)),
            "ezjail-admin create web1 'em0|192.0.2.10,em0|2001:db8::10'"
        );
        let flavour = jail("base");
        assert_eq!(
            typed(&ezjail_create(&n, &[v4], Some(&flavour))),
            "ezjail-admin create -f base web1 'em0|192.0.2.10'"
        );
        let release = Release::parse("14.3-RELEASE").unwrap();
        let a = JailAddress::new(Some("vtnet0"), "10.0.0.5".parse().unwrap(), Some(24)).unwrap();
        assert_eq!(typed(&bastille_create(&n, &release, &a)), "bastille create web1 14.3-RELEASE 10.0.0.5/24 vtnet0");
        assert_eq!(typed(&destroy(JailManager::Bastille, &n, 1).unwrap()), "bastille destroy -y web1");
        assert_eq!(typed(&destroy(JailManager::Bastille, &n, 0).unwrap()), "bastille destroy web1");
        assert_eq!(typed(&destroy(JailManager::Ezjail, &n, 0).unwrap()), "ezjail-admin delete -w web1");
        assert!(destroy(JailManager::Jailconf, &n, 0).is_err());
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert!(Release::parse("14.3-RELEASE; reboot").is_err());
        assert!(Release::parse("14.3-RELEASE-p2").is_err());
        assert!(JailAddress::new(Some("em0;x"), "10.0.0.1".parse().unwrap(), None).is_err());
        assert!(JailAddress::new(None, "10.0.0.1".parse().unwrap(), Some(33)).is_err());
        assert!(JailAddress::new(None, "2001:db8::1".parse().unwrap(), Some(64)).is_ok());
        assert_eq!(JailAddress::parse("em0|192.0.2.10/24").unwrap().to_string(), "em0|192.0.2.10/24");
        assert_eq!(JailAddress::parse(" 2001:db8::5 ").unwrap().to_string(), "2001:db8::5");
        for bad in ["", "em0|", "10.0.0.1/x", "10.0.0.1; reboot", "em 0|10.0.0.1", "10.0.0.256"] {
            assert!(JailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }
}
