//! Plain jail.conf jails the FreeBSD Handbook's way ("thin jails using
//! OpenZFS snapshots", SPEC §2.1): the jail's root is a ZFS clone of a
//! release template (`POOL/jails/templates/RELEASE@base`) at
//! `POOL/jails/containers/NAME`, mounted at `/usr/local/jails/containers/NAME`;
//! its configuration is its own file `/etc/jail.conf.d/NAME.conf`; it starts
//! at boot through `jail_list`.

use super::lifecycle::{JailAddress, Release};
use super::Unsupported;
use crate::command::CommandSpec;
use std::fmt;
use warden_domain::JailName;

/// A jail's own file, `/etc/jail.conf.d/NAME.conf` (rc.d/jail reads it; jail(8)
/// through `-f`).
pub fn conf_d_file(jail: &JailName) -> String {
    format!("/etc/jail.conf.d/{jail}.conf")
}

/// A ZFS pool name (`zroot`, `tank`): a letter, then letters, digits, `_`,
/// `-`, `.`, `:` (zpool(8)), at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ZfsPool(String);

impl ZfsPool {
    pub fn parse(s: &str) -> Result<ZfsPool, Unsupported> {
        let ok = (1..=64).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
        if ok {
            Ok(ZfsPool(s.to_string()))
        } else {
            Err(Unsupported(format!("{s:?} is not a ZFS pool name like zroot.")))
        }
    }
}

impl TryFrom<String> for ZfsPool {
    type Error = Unsupported;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ZfsPool::parse(&s)
    }
}

impl From<ZfsPool> for String {
    fn from(p: ZfsPool) -> String {
        p.0
    }
}

impl fmt::Display for ZfsPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a jail.conf jail lives.
pub struct Layout<'a> {
    pub pool: &'a ZfsPool,
    pub jail: &'a JailName,
}

impl Layout<'_> {
    pub fn dataset(&self) -> String {
        format!("{}/jails/containers/{}", self.pool, self.jail)
    }

    pub fn path(&self) -> String {
        format!("/usr/local/jails/containers/{}", self.jail)
    }

    pub fn conf_file(&self) -> String {
        conf_d_file(self.jail)
    }

    pub fn template(&self, release: &Release) -> String {
        format!("{}/jails/templates/{}@base", self.pool, release.as_str())
    }
}

/// The jail's own file. Every value is a validated name, address or a
/// fixed text, so nothing in it can close a quote or start a `$` expansion
/// (SPEC §4.1); values are double-quoted as jail.conf(5) reads them.
pub fn render_conf(jail: &JailName, path: &str, address: &JailAddress) -> String {
    let ip_param = if address.ip().is_ipv4() { "ip4.addr" } else { "ip6.addr" };
    format!(
        "{jail} {{\n    host.hostname = \"{jail}\";\n    path = \"{path}\";\n    {ip_param} = \"{address}\";\n    \
         exec.start = \"/bin/sh /etc/rc\";\n    exec.stop = \"/bin/sh /etc/rc.shutdown jail\";\n    exec.clean;\n    \
         mount.devfs;\n}}\n"
    )
}

/// Make sure no file of that name is there (`tee` would overwrite an
/// admin's jail), clone the template, write the file (its directory made
/// first: not every FreeBSD ships /etc/jail.conf.d), add to `jail_list`,
/// start.
pub fn create(layout: &Layout<'_>, release: &Release, address: &JailAddress) -> Vec<CommandSpec> {
    let jail = layout.jail.as_str();
    vec![
        CommandSpec::new("test").args(["!".to_string(), "-e".into(), layout.conf_file()]),
        CommandSpec::new("zfs").args([
            "clone".to_string(),
            // -p: creates POOL/jails/containers on the first jail.
            "-p".into(),
            "-o".into(),
            format!("mountpoint={}", layout.path()),
            layout.template(release),
            layout.dataset(),
        ]),
        CommandSpec::new("mkdir").args(["-p", "/etc/jail.conf.d"]),
        CommandSpec::new("tee").arg(layout.conf_file()).input(render_conf(layout.jail, &layout.path(), address)),
        CommandSpec::new("sysrc").arg(format!("jail_list+={jail}")),
        CommandSpec::new("jail").args(["-f".to_string(), layout.conf_file(), "-c".into(), jail.into()]),
    ]
}

/// Remove a stopped jail.conf jail Warden created: its dataset (with the
/// files in it), its file, its `jail_list` entry.
pub fn destroy(layout: &Layout<'_>) -> Vec<CommandSpec> {
    vec![
        CommandSpec::new("zfs").args(["destroy", "-r", &layout.dataset()]),
        CommandSpec::new("rm").args(["-f", &layout.conf_file()]),
        CommandSpec::new("sysrc").arg(format!("jail_list-={}", layout.jail)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::typed;

    #[test]
    fn the_handbook_layout_as_commands() {
        let pool = ZfsPool::parse("zroot").unwrap();
        let jail: JailName = "web3".parse().unwrap();
        let layout = Layout { pool: &pool, jail: &jail };
        let release = Release::parse("14.3-RELEASE").unwrap();
        let address = JailAddress::parse("lo1|10.1.43.3/24").unwrap();
        let mut c: Vec<String> = create(&layout, &release, &address).iter().map(typed).collect();
        assert_eq!(c.remove(0), "test '!' -e /etc/jail.conf.d/web3.conf");
        assert_eq!(
            c[0],
            "zfs clone -p -o mountpoint=/usr/local/jails/containers/web3 zroot/jails/templates/14.3-RELEASE@base \
             zroot/jails/containers/web3"
        );
        assert_eq!(c[1], "mkdir -p /etc/jail.conf.d");
        assert!(
            c[2].starts_with("tee /etc/jail.conf.d/web3.conf <<'EOF'\nweb3 {\n    host.hostname = \"web3\";"),
            "{}",
            c[2]
        );
        assert!(c[2].contains("    ip4.addr = \"lo1|10.1.43.3/24\";\n") && c[2].ends_with("}\nEOF"), "{}", c[2]);
        assert_eq!(c[3..], ["sysrc jail_list+=web3", "jail -f /etc/jail.conf.d/web3.conf -c web3"]);
        let d: Vec<String> = destroy(&layout).iter().map(typed).collect();
        assert_eq!(
            d,
            ["zfs destroy -r zroot/jails/containers/web3", "rm -f /etc/jail.conf.d/web3.conf", "sysrc jail_list-=web3"]
        );
        let v6 = JailAddress::parse("2001:db8::3").unwrap();
        assert!(render_conf(&jail, "/j", &v6).contains("ip6.addr = \"2001:db8::3\";"));
    }

    #[test]
    fn the_file_parses_back_as_jail_conf() {
        let jail: JailName = "web3".parse().unwrap();
        let text = render_conf(&jail, "/usr/local/jails/containers/web3", &JailAddress::parse("10.0.0.3").unwrap());
        let conf = crate::jail_conf::parse_jail_conf(&text).unwrap();
        assert_eq!(conf.jails[0].name, "web3");
        assert_eq!(conf.jails[0].params.len(), 7);
    }

    #[test]
    fn pool_names() {
        assert!(ZfsPool::parse("tank-1.a:b").is_ok());
        for bad in ["", "1pool", "zroot/jails", "z root", "z;x"] {
            assert!(ZfsPool::parse(bad).is_err(), "{bad:?}");
        }
    }
}
