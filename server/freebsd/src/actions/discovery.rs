//! The host facts discovery and "collect facts" ask for (SPEC §1.6), and the
//! check that a jail runs. The rest of discovery is in [`crate::discover`].

use crate::command::CommandSpec;
use warden_domain::JailName;

/// The host's facts, in this order: `uname -a`, `freebsd-version -ku`, and
/// the named form of `sysctl` (an OID missing on this kernel must not shift
/// the others, SPEC 1.6).
pub fn facts_commands() -> Vec<CommandSpec> {
    let oids = ["hw.ncpu", "hw.physmem", "kern.osrelease", "kern.osreldate", "security.jail.jailed"];
    vec![
        CommandSpec::new("uname").arg("-a"),
        CommandSpec::new("freebsd-version").arg("-ku"),
        CommandSpec::new("sysctl").args(oids),
    ]
}

/// `jls -j NAME jid`: prints the JID of a running jail, exits 1 when there is
/// none — the check after a start, because rc.d and some managers exit 0 on
/// failure (SPEC §4.5).
pub fn jail_jid(name: &JailName) -> CommandSpec {
    CommandSpec::new("jls").args(["-j", name.as_str(), "jid"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::typed;

    #[test]
    fn facts_and_checks_as_typed() {
        let all: Vec<String> = facts_commands().iter().map(typed).collect();
        assert_eq!(all[..2], ["uname -a", "freebsd-version -ku"]);
        assert_eq!(typed(&jail_jid(&"web1".parse().unwrap())), "jls -j web1 jid");
    }
}
