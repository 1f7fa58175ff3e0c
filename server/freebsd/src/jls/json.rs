//! `jls --libxo json` in any mode (SPEC 1.1 "JSON").
//!
//! Top level: `{"__version": "2", "jail-information": {"jail": [...]}}`.
//! Differences handled here:
//! * `__version` `"1"` (FreeBSD 11) put IPv6 addresses inside `ipv4_addrs`:
//!   addresses are classified by the presence of `:`, whatever the key;
//! * `jid` (and `cpusetid`) may be a number or a string (parameter mode);
//! * keys are absent when not requested (`{"env": "1 2 3"}` is valid);
//! * `{"jail-information": {}}` means no jails.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ParseError;

const FORMAT: &str = "jls-json";

/// The whole `jls --libxo json` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JlsJson {
    /// `__version` as a string (`"1"`, `"2"`), if present.
    pub version: Option<String>,
    pub jails: Vec<JlsJsonJail>,
}

/// One jail object, with the common fields pulled out and every key kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JlsJsonJail {
    /// `jid` as number or numeric string.
    pub jid: Option<u32>,
    /// `name`.
    pub name: Option<String>,
    /// `hostname` (modes) or `host.hostname` (parameter mode).
    pub hostname: Option<String>,
    /// `path`.
    pub path: Option<String>,
    /// `state` (`ACTIVE` / `DYING`), `-v` mode only.
    pub state: Option<String>,
    /// `cpusetid`, `-v` mode only.
    pub cpusetid: Option<u32>,
    /// IPv4 addresses from `ipv4`, `ipv4_addrs`, `ip4.addr` (and misplaced
    /// ones from the IPv6 keys), in order.
    pub ipv4: Vec<String>,
    /// IPv6 addresses from any address key (v1 put them in `ipv4_addrs`).
    pub ipv6: Vec<String>,
    /// Every key exactly as emitted, for parameters not pulled out above.
    pub params: BTreeMap<String, Value>,
}

/// Parses `jls --libxo json` output (also `json,pretty`).
pub fn parse_jls_json(input: &str) -> Result<JlsJson, ParseError> {
    let document: Value =
        serde_json::from_str(input).map_err(|e| ParseError::InvalidJson { format: FORMAT, message: e.to_string() })?;
    let Value::Object(top) = document else {
        return Err(invalid("the top level is not an object"));
    };
    let version = match top.get("__version") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(invalid("`__version` is not a string or number")),
    };
    let jail_values = match top.get("jail-information") {
        None => return Err(invalid("missing `jail-information`")),
        Some(Value::Object(info)) => match info.get("jail") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => return Err(invalid("`jail-information.jail` is not an array")),
        },
        Some(_) => return Err(invalid("`jail-information` is not an object")),
    };
    let jails = jail_values
        .into_iter()
        .enumerate()
        .map(|(index, value)| jail_from_value(index, value))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(JlsJson { version, jails })
}

fn invalid(message: &str) -> ParseError {
    ParseError::InvalidJson { format: FORMAT, message: message.to_string() }
}

fn jail_from_value(index: usize, value: Value) -> Result<JlsJsonJail, ParseError> {
    let Value::Object(map) = value else {
        return Err(ParseError::InvalidJson { format: FORMAT, message: format!("jail #{index} is not an object") });
    };
    let params: BTreeMap<String, Value> = map.into_iter().collect();
    let number = |key: &str| -> Result<Option<u32>, ParseError> {
        match params.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                n.as_u64().and_then(|n| u32::try_from(n).ok()).map(Some).ok_or_else(|| ParseError::InvalidJson {
                    format: FORMAT,
                    message: format!("jail #{index}: `{key}` is not a jail id: {n}"),
                })
            }
            Some(Value::String(s)) => s.trim().parse::<u32>().map(Some).map_err(|_| ParseError::InvalidJson {
                format: FORMAT,
                message: format!("jail #{index}: `{key}` is not a number: {s:?}"),
            }),
            Some(other) => Err(ParseError::InvalidJson {
                format: FORMAT,
                message: format!("jail #{index}: `{key}` has unexpected type: {other}"),
            }),
        }
    };
    let text = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|key| match params.get(*key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    };
    let jid = number("jid")?;
    let cpusetid = number("cpusetid")?;
    let mut ipv4 = Vec::new();
    let mut ipv6 = Vec::new();
    for key in ["ipv4", "ipv4_addrs", "ip4.addr", "ipv6", "ipv6_addrs", "ip6.addr"] {
        for address in addresses(params.get(key)) {
            if address.contains(':') {
                ipv6.push(address);
            } else {
                ipv4.push(address);
            }
        }
    }
    Ok(JlsJsonJail {
        jid,
        name: text(&["name"]),
        hostname: text(&["hostname", "host.hostname"]),
        path: text(&["path"]),
        state: text(&["state"]),
        cpusetid,
        ipv4,
        ipv6,
        params,
    })
}

/// Addresses from a string (comma list, `""` = none) or an array of strings.
fn addresses(value: Option<&Value>) -> Vec<String> {
    let split = |s: &str| -> Vec<String> {
        s.split(',').map(str::trim).filter(|a| !a.is_empty() && *a != "-").map(str::to_string).collect()
    };
    match value {
        Some(Value::String(s)) => split(s),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).flat_map(split).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_ipv6_inside_ipv4_addrs() {
        let input = r#"{"__version": "1", "jail-information": {"jail": [{"jid":3,"hostname":"h","path":"/j","name":"n","state":"ACTIVE","cpusetid":4,"ipv4_addrs":["10.0.0.1","2001:db8::1"]}]}}"#;
        let doc = parse_jls_json(input).unwrap();
        assert_eq!(doc.version.as_deref(), Some("1"));
        let jail = &doc.jails[0];
        assert_eq!(jail.jid, Some(3));
        assert_eq!(jail.ipv4, vec!["10.0.0.1"]);
        assert_eq!(jail.ipv6, vec!["2001:db8::1"]);
    }

    #[test]
    fn version_2_with_ipv6_addrs_and_string_jid() {
        let input = r#"{"__version": "2", "jail-information": {"jail": [{"jid":"7","host.hostname":"h","ip4.addr":["10.0.0.2"],"ip6.addr":["::1"],"persist":true}]}}"#;
        let doc = parse_jls_json(input).unwrap();
        let jail = &doc.jails[0];
        assert_eq!(jail.jid, Some(7));
        assert_eq!(jail.hostname.as_deref(), Some("h"));
        assert_eq!(jail.ipv4, vec!["10.0.0.2"]);
        assert_eq!(jail.ipv6, vec!["::1"]);
        assert_eq!(jail.params.get("persist"), Some(&Value::Bool(true)));
    }

    #[test]
    fn empty_forms() {
        assert!(parse_jls_json(r#"{"jail-information": {}}"#).unwrap().jails.is_empty());
        assert!(parse_jls_json(r#"{"__version": "2", "jail-information": {"jail": []}}"#).unwrap().jails.is_empty());
    }

    #[test]
    fn default_mode_blank_ipv4() {
        let input =
            r#"{"__version": "2", "jail-information": {"jail": [{"jid":1,"ipv4":"","hostname":"a","path":"/a"}]}}"#;
        let doc = parse_jls_json(input).unwrap();
        assert!(doc.jails[0].ipv4.is_empty());
    }

    #[test]
    fn errors_are_typed() {
        assert!(matches!(parse_jls_json(""), Err(ParseError::InvalidJson { .. })));
        assert!(matches!(parse_jls_json("[]"), Err(ParseError::InvalidJson { .. })));
        assert!(matches!(parse_jls_json(r#"{"x":1}"#), Err(ParseError::InvalidJson { .. })));
        assert!(matches!(
            parse_jls_json(r#"{"jail-information": {"jail": [{"jid": "abc"}]}}"#),
            Err(ParseError::InvalidJson { .. })
        ));
        assert!(matches!(
            parse_jls_json(r#"{"jail-information": {"jail": [{"jid": -1}]}}"#),
            Err(ParseError::InvalidJson { .. })
        ));
    }

    #[test]
    fn hostile_names_kept() {
        let input = r#"{"jail-information": {"jail": [{"name":"a;$(id)<b>","jid":1}]}}"#;
        assert_eq!(parse_jls_json(input).unwrap().jails[0].name.as_deref(), Some("a;$(id)<b>"));
    }
}
