//! Interface-prefixed addresses as jail managers print them
//! (`em0|192.0.2.10/24`, `re0|2a01:db8::1/64`, `10.0.1.41`).
//!
//! Used by the ezjail, Bastille and iocage parsers (SPEC 1.9–1.11).

use serde::{Deserialize, Serialize};

/// One address from a jail configuration, split into its parts.
///
/// The parts are reported as the host printed them; nothing is validated
/// as an IP address here (a stopped jail may show any configured text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceAddress {
    /// Interface before `|`, if the value had one (`em0|...`).
    pub iface: Option<String>,
    /// The address itself, without interface and prefix length.
    pub addr: String,
    /// The prefix length after `/`, if present and numeric.
    pub prefix: Option<u8>,
}

impl InterfaceAddress {
    /// Splits `iface|addr/prefix`; each part optional except the address.
    ///
    /// A `/suffix` that is not a number (0–128) stays part of `addr`, so no
    /// text is ever dropped.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let (iface, rest) = match raw.split_once('|') {
            Some((iface, rest)) => (Some(iface.to_string()), rest),
            None => (None, raw),
        };
        let (addr, prefix) = match rest.rsplit_once('/') {
            Some((addr, prefix)) => match prefix.parse::<u8>() {
                Ok(p) if p <= 128 => (addr.to_string(), Some(p)),
                _ => (rest.to_string(), None),
            },
            None => (rest.to_string(), None),
        };
        InterfaceAddress { iface, addr, prefix }
    }

    /// True for IPv6 addresses (they contain `:`; SPEC 1.1 "classify by `:`").
    pub fn is_ipv6(&self) -> bool {
        self.addr.contains(':')
    }
}

/// Parses a comma-separated list (`a,b` or `a, b`), skipping empty items and
/// the `-` placeholder.
pub fn parse_address_list(raw: &str) -> Vec<InterfaceAddress> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty() && *item != "-")
        .map(InterfaceAddress::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_all_parts() {
        let a = InterfaceAddress::parse("re0|2a01:4f8::1:41:1/100");
        assert_eq!(a.iface.as_deref(), Some("re0"));
        assert_eq!(a.addr, "2a01:4f8::1:41:1");
        assert_eq!(a.prefix, Some(100));
        assert!(a.is_ipv6());
    }

    #[test]
    fn keeps_odd_suffix() {
        let a = InterfaceAddress::parse("10.0.0.1/abc");
        assert_eq!(a.addr, "10.0.0.1/abc");
        assert_eq!(a.prefix, None);
    }

    #[test]
    fn list_skips_placeholders() {
        assert!(parse_address_list("-").is_empty());
        assert_eq!(parse_address_list("em0|10.0.0.1/24,em0|10.0.0.2/24").len(), 2);
    }
}
