//! `jail -e SEPARATOR` (SPEC 1.2, FreeBSD 13.0+): every configured,
//! non-wildcard jail of jail.conf (and its `.include`s), one per line, its
//! parameters joined by the separator: `name=value`, or a bare `name` for a
//! boolean (`persist`). Nothing is created.
//!
//! The order of parameters is not documented, so fields are read by name;
//! a line without `name=` is an error. Warden asks with a TAB separator
//! because `|` appears inside values (`ip4.addr = "em0|10.0.0.1"`).

use serde::{Deserialize, Serialize};

use crate::addr::{parse_address_list, InterfaceAddress};
use crate::command::CommandSpec;
use crate::error::ParseError;
use crate::text::numbered_lines;

const FORMAT: &str = "jail-e";
/// The separator Warden passes to `jail -e`.
pub const SEPARATOR: &str = "\t";

/// `jail [-f FILE] -e SEPARATOR`: /etc/jail.conf (and its includes), or
/// only FILE. `file` is a path Warden built from validated names.
pub fn jail_exhibit(file: Option<&str>) -> CommandSpec {
    let jail = CommandSpec::new("jail");
    let jail = match file {
        Some(f) => jail.args(["-f", f]),
        None => jail,
    };
    jail.args(["-e", SEPARATOR])
}

/// One configured jail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfiguredJail {
    pub name: String,
    pub hostname: Option<String>,
    pub path: Option<String>,
    /// `ip4.addr` and `ip6.addr` values (comma lists), `iface|` kept.
    pub ips: Vec<InterfaceAddress>,
    /// Every parameter as printed, in order (`persist` has an empty value).
    pub params: Vec<(String, String)>,
}

/// Parses `jail -e SEPARATOR` output.
pub fn parse_jail_exhibit(input: &str, separator: &str) -> Result<Vec<ConfiguredJail>, ParseError> {
    if separator.is_empty() {
        return Err(ParseError::end(FORMAT, "a non-empty separator"));
    }
    let mut jails = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        let params: Vec<(String, String)> = line
            .split(separator)
            .filter(|f| !f.is_empty())
            .map(|f| match f.split_once('=') {
                Some((k, v)) => (k.trim().to_string(), unquote(v)),
                None => (f.trim().to_string(), String::new()),
            })
            .collect();
        let get = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let Some(name) = get("name").filter(|n| !n.is_empty()) else {
            return Err(ParseError::line(FORMAT, number, "parameters with name=JAIL", line));
        };
        let ips = params
            .iter()
            .filter(|(k, _)| k == "ip4.addr" || k == "ip6.addr")
            .flat_map(|(_, v)| parse_address_list(v))
            .collect();
        jails.push(ConfiguredJail {
            name,
            hostname: get("host.hostname").filter(|h| !h.is_empty()),
            path: get("path").filter(|p| !p.is_empty()),
            ips,
            params,
        });
    }
    Ok(jails)
}

/// jail(8) prints a value with spaces or specials in double quotes with
/// C-style escapes (`exec.start="/bin/sh /etc/rc"`); others bare.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_by_name_in_any_order() {
        let out = "name=web1\thost.hostname=web1.example.org\tpath=/jails/web1\tip4.addr=em0|192.0.2.10/24\tpersist\n\
                   path=/jails/db\tip6.addr=2001:db8::5\tname=db\n";
        let jails = parse_jail_exhibit(out, SEPARATOR).unwrap();
        assert_eq!(jails.len(), 2);
        assert_eq!(jails[0].name, "web1");
        assert_eq!(jails[0].hostname.as_deref(), Some("web1.example.org"));
        assert_eq!(jails[0].ips[0].iface.as_deref(), Some("em0"));
        assert_eq!((jails[0].ips[0].addr.as_str(), jails[0].ips[0].prefix), ("192.0.2.10", Some(24)));
        assert!(jails[0].params.contains(&("persist".into(), String::new())));
        assert_eq!((jails[1].name.as_str(), jails[1].path.as_deref()), ("db", Some("/jails/db")));
        assert!(parse_jail_exhibit("", SEPARATOR).unwrap().is_empty());
        let quoted =
            parse_jail_exhibit("name=a\texec.start=\"/bin/sh /etc/rc\"\thost.hostname=\"say \\\"hi\\\"\"\n", SEPARATOR)
                .unwrap();
        assert_eq!(quoted[0].params[1].1, "/bin/sh /etc/rc");
        assert_eq!(quoted[0].hostname.as_deref(), Some("say \"hi\""));
    }

    #[test]
    fn a_line_without_a_name_is_an_error() {
        let e = parse_jail_exhibit("path=/jails/x\thost.hostname=x\n", SEPARATOR).unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
