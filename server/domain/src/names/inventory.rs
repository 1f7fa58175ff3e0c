//! Names of inventory objects. Every one of them may end up in a command on a
//! host (or next to one in a log), so each is parsed once, against a strict
//! pattern, and carried typed from then on. The rules follow SECURITY.md and
//! ../freebsd/SPEC.md §4.1: ASCII only, no shell metacharacters, no spaces or
//! control characters, never a leading `-` (it would read as an option).

use super::{name_type, NameError};
use std::net::IpAddr;

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// True when `s` is 1..=`max` characters, starts with a char accepted by
/// `first` and continues with chars accepted by `rest`.
fn shaped(s: &str, max: usize, first: impl Fn(char) -> bool, rest: impl Fn(char) -> bool) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if first(c) => s.len() <= max && chars.all(rest),
        _ => false,
    }
}

name_type! {
    /// A group (environment) of the inventory, e.g. `healthcare-prod`. Roles
    /// are granted per group.
    GroupName, max 63,
    rule "Use 1 to 63 characters: lowercase letters a-z, digits, '-' or '_', starting with a letter or digit.",
    |s: &str| shaped(s, 63, is_lower_alnum, |c| is_lower_alnum(c) || matches!(c, '-' | '_'))
}

name_type! {
    /// A host's name in the inventory: a DNS-style name (`db1`, `fw.example.org`).
    HostName, max 253,
    rule "Use 1 to 253 characters: letters, digits, '-' and '.', starting with a letter or digit, with no empty part between dots.",
    is_dns_name
}

name_type! {
    /// A jail's kernel name. Letters, digits and `_` (SECURITY.md), plus `-`
    /// inside the name as Bastille and iocage use it; never all digits,
    /// because `jls -j 12` reads a number as a JID (SPEC.md §4.1). Dots are
    /// refused: they separate hierarchical jails.
    JailName, max 64,
    rule "Use 1 to 64 characters: letters, digits, '_' or '-', starting with a letter, digit or '_', and not only digits.",
    |s: &str| shaped(s, 64, |c| c.is_ascii_alphanumeric() || c == '_', |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        && !s.chars().all(|c| c.is_ascii_digit())
}

name_type! {
    /// An rc(8) service name as `service NAME start` takes it (`nginx`, `php_fpm`).
    ServiceName, max 64,
    rule "Use 1 to 64 characters: letters, digits, '_' or '-', starting with a letter, digit or '_'.",
    |s: &str| shaped(s, 64, |c| c.is_ascii_alphanumeric() || c == '_', |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

name_type! {
    /// A package name as `pkg install` takes it (`nginx`, `php83-pdo_pgsql`,
    /// `py311-ansible-core`, `gtk+3`); versions and origins are not names.
    PackageName, max 128,
    rule "Use 1 to 128 characters: letters, digits, '-', '_', '.' or '+', starting with a letter or digit.",
    |s: &str| shaped(s, 128, |c| c.is_ascii_alphanumeric(), |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
}

name_type! {
    /// A free label on any inventory object (`pci`, `tier:1`, `db.primary`).
    TagName, max 32,
    rule "Use 1 to 32 characters: lowercase letters a-z, digits, '-', '_', '.' or ':', starting with a letter or digit.",
    |s: &str| shaped(s, 32, is_lower_alnum, |c| is_lower_alnum(c) || matches!(c, '-' | '_' | '.' | ':'))
}

name_type! {
    /// The account Warden signs in as on a host (`root`, `warden`).
    SshUser, max 32,
    rule "Use 1 to 32 characters: lowercase letters a-z, digits, '_' or '-', starting with a letter or '_'.",
    |s: &str| shaped(s, 32, |c| c.is_ascii_lowercase() || c == '_', |c| is_lower_alnum(c) || matches!(c, '_' | '-'))
}

name_type! {
    /// Where a host is reached: an IPv4 or IPv6 address, or a DNS name.
    HostAddress, max 253,
    rule "Enter an IPv4 address (192.0.2.10), an IPv6 address (2001:db8::10) or a DNS name (db1.example.org).",
    |s: &str| s.parse::<IpAddr>().is_ok() || is_dns_name(s)
}

impl HostAddress {
    /// The address as an IP, when it is one (and not a DNS name).
    pub fn ip(&self) -> Option<IpAddr> {
        self.as_str().parse().ok()
    }
}

/// DNS-style: dot-separated labels of letters, digits and `-`, each 1..=63
/// long, not starting or ending with `-`.
fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// A TCP port for SSH (1..=65535).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct SshPort(u16);

impl SshPort {
    pub const DEFAULT: SshPort = SshPort(22);
    const RULE: &'static str = "Enter a port number from 1 to 65535 (SSH usually listens on 22).";

    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<i64> for SshPort {
    type Error = NameError;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        match u16::try_from(n) {
            Ok(p) if p > 0 => Ok(SshPort(p)),
            _ => Err(NameError(Self::RULE.to_string())),
        }
    }
}

impl From<SshPort> for i64 {
    fn from(p: SshPort) -> i64 {
        i64::from(p.0)
    }
}

impl std::str::FromStr for SshPort {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse::<i64>().map_err(|_| NameError(Self::RULE.to_string())).and_then(SshPort::try_from)
    }
}

impl std::fmt::Display for SshPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hostile inputs every name field must refuse (issue "Inventory").
    fn hostile() -> Vec<String> {
        let mut v: Vec<String> = [
            "", "a;b", "$(id)", "`id`", "a b", "a\nb", "a\tb", "-rf", "--help", "jäil", "a|b", "a&b", "a>b", "<b>",
            "a'b", "a\"b", "a\\b", "*", "a/b", "a\0b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.push("a".repeat(300));
        v
    }

    #[test]
    fn every_name_type_refuses_hostile_input() {
        for bad in hostile() {
            assert!(bad.parse::<GroupName>().is_err(), "group {bad:?}");
            assert!(bad.parse::<HostName>().is_err(), "host {bad:?}");
            assert!(bad.parse::<JailName>().is_err(), "jail {bad:?}");
            assert!(bad.parse::<ServiceName>().is_err(), "service {bad:?}");
            assert!(bad.parse::<TagName>().is_err(), "tag {bad:?}");
            assert!(bad.parse::<SshUser>().is_err(), "user {bad:?}");
            assert!(bad.parse::<HostAddress>().is_err(), "address {bad:?}");
        }
    }

    #[test]
    fn ordinary_names_pass() {
        for ok in ["web-prod", "healthcare_prod", "a", "dc1"] {
            assert!(ok.parse::<GroupName>().is_ok(), "{ok}");
        }
        for ok in ["db1", "fw.example.org", "Host-7", "a"] {
            assert!(ok.parse::<HostName>().is_ok(), "{ok}");
        }
        for ok in ["web01", "db_primary", "ioc-log-server-01", "_svc", "a1"] {
            assert!(ok.parse::<JailName>().is_ok(), "{ok}");
        }
        for ok in ["nginx", "php_fpm", "php-fpm", "postgresql"] {
            assert!(ok.parse::<ServiceName>().is_ok(), "{ok}");
        }
        for ok in ["pci", "tier:1", "db.primary"] {
            assert!(ok.parse::<TagName>().is_ok(), "{ok}");
        }
        for ok in ["root", "warden", "_ssh", "ops-1"] {
            assert!(ok.parse::<SshUser>().is_ok(), "{ok}");
        }
        for ok in ["10.77.0.2", "2001:db8::10", "db1.example.org", "localhost"] {
            assert!(ok.parse::<HostAddress>().is_ok(), "{ok}");
        }
    }

    #[test]
    fn edge_rules() {
        // all digits would be read as a JID by jls -j
        assert!("123".parse::<JailName>().is_err());
        // hierarchical jail separator
        assert!("a.b".parse::<JailName>().is_err());
        assert!("a..b".parse::<HostName>().is_err());
        assert!("a-.b".parse::<HostName>().is_err());
        assert!("Web".parse::<GroupName>().is_err());
        assert!("a".repeat(64).parse::<JailName>().is_ok());
        assert!("a".repeat(65).parse::<JailName>().is_err());
        assert!("a".repeat(63).parse::<GroupName>().is_ok());
        assert!("a".repeat(64).parse::<GroupName>().is_err());
    }

    #[test]
    fn ports() {
        assert_eq!("22".parse::<SshPort>().unwrap().get(), 22);
        assert_eq!(" 2222 ".parse::<SshPort>().unwrap().get(), 2222);
        for bad in ["0", "65536", "-1", "ssh", "", "22;"] {
            assert!(bad.parse::<SshPort>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages_say_what_is_allowed() {
        let e = "a;b".parse::<JailName>().unwrap_err();
        assert!(e.0.contains("letters, digits"), "{e}");
    }
}
