//! `sysctl name...` (`name: value` lines) and `sysctl -n name...` (values
//! only, positional) — SPEC 1.6. Prefer the named form: an unknown OID makes
//! `-n` output shift.

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

/// One `name: value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SysctlEntry {
    pub name: String,
    pub value: String,
}

/// The host facts Warden reads with sysctl, typed. `None` when absent
/// (e.g. `kern.features.vimage` on a kernel without VNET).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HostSysctls {
    pub ncpu: Option<u32>,
    /// Bytes.
    pub physmem: Option<u64>,
    pub osrelease: Option<String>,
    pub osreldate: Option<u32>,
    /// `security.jail.jailed`: are we inside a jail?
    pub jailed: Option<bool>,
    /// `kern.features.vimage`: VNET available.
    pub vimage: Option<bool>,
    /// `kern.racct.enable`: rctl usable.
    pub racct: Option<bool>,
}

impl HostSysctls {
    /// Picks the known OIDs out of parsed entries; unknown ones are ignored.
    pub fn from_entries(entries: &[SysctlEntry]) -> Self {
        let get = |name: &str| entries.iter().find(|e| e.name == name).map(|e| e.value.trim());
        let flag = |name: &str| get(name).and_then(|v| v.parse::<u8>().ok()).map(|v| v != 0);
        HostSysctls {
            ncpu: get("hw.ncpu").and_then(|v| v.parse().ok()),
            physmem: get("hw.physmem").and_then(|v| v.parse().ok()),
            osrelease: get("kern.osrelease").map(str::to_string),
            osreldate: get("kern.osreldate").and_then(|v| v.parse().ok()),
            jailed: flag("security.jail.jailed"),
            vimage: flag("kern.features.vimage"),
            racct: flag("kern.racct.enable"),
        }
    }
}

fn is_oid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' || c == '%')
}

/// Parses `sysctl name...` output: `name: value` per line. A line that is not
/// `oid: value` continues the previous value (multi-line OIDs such as
/// `kern.conftxt`); before any entry it is an error. `sysctl: unknown oid`
/// lines (stderr merged in) are skipped: the OID is then simply absent.
pub fn parse_sysctl_named(input: &str) -> Result<Vec<SysctlEntry>, ParseError> {
    let mut entries: Vec<SysctlEntry> = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.starts_with("sysctl: ") {
            continue;
        }
        let split = line.split_once(": ").or_else(|| line.strip_suffix(':').map(|n| (n, "")));
        match split {
            Some((name, value)) if is_oid_name(name) => {
                entries.push(SysctlEntry { name: name.to_string(), value: value.to_string() });
            }
            _ if line.trim().is_empty() && entries.is_empty() => {}
            _ => match entries.last_mut() {
                Some(previous) => {
                    previous.value.push('\n');
                    previous.value.push_str(line);
                }
                None => return Err(ParseError::line("sysctl", number, "`name: value`", line)),
            },
        }
    }
    if let Some(last) = entries.last_mut() {
        let len = last.value.trim_end_matches('\n').len();
        last.value.truncate(len);
    }
    Ok(entries)
}

/// Parses `sysctl -n a b c` into `(name, value)` pairs by position. Fails
/// when the line count differs from the names (an OID was unknown).
pub fn parse_sysctl_values(input: &str, names: &[&str]) -> Result<Vec<SysctlEntry>, ParseError> {
    let values: Vec<&str> = numbered_lines(input).map(|(_, l)| l).collect();
    if values.len() != names.len() {
        return Err(ParseError::end("sysctl-n", "one value line per requested OID"));
    }
    Ok(names
        .iter()
        .zip(values)
        .map(|(name, value)| SysctlEntry { name: name.to_string(), value: value.to_string() })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_entries_to_facts() {
        let entries = parse_sysctl_named(
            "hw.ncpu: 4\nhw.physmem: 8523055104\nkern.osrelease: 14.3-RELEASE\nkern.osreldate: 1403000\nsecurity.jail.jailed: 0\nsysctl: unknown oid 'kern.features.vimage'\nkern.racct.enable: 1\n",
        )
        .unwrap();
        let facts = HostSysctls::from_entries(&entries);
        assert_eq!(facts.ncpu, Some(4));
        assert_eq!(facts.physmem, Some(8_523_055_104));
        assert_eq!(facts.jailed, Some(false));
        assert_eq!(facts.vimage, None);
        assert_eq!(facts.racct, Some(true));
    }

    #[test]
    fn multi_line_value_and_errors() {
        let entries = parse_sysctl_named("kern.conftxt: options\tA\nmachine amd64\nhw.ncpu: 2\n").unwrap();
        assert_eq!(entries[0].value, "options\tA\nmachine amd64");
        assert!(parse_sysctl_named("garbage here\n").is_err());
        assert!(parse_sysctl_named("").unwrap().is_empty());
    }

    #[test]
    fn positional_values() {
        let entries = parse_sysctl_values("4\n8523055104\n", &["hw.ncpu", "hw.physmem"]).unwrap();
        assert_eq!(entries[1].value, "8523055104");
        assert!(parse_sysctl_values("4\n", &["hw.ncpu", "hw.physmem"]).is_err());
    }
}
