//! `jls -v` text (SPEC 1.1 "Verbose -v").
//!
//! Each jail is a block of lines:
//! ```text
//!      1  hostname                      /path
//!         name                          ACTIVE
//!         3
//!         192.0.2.1            (zero or more address lines)
//! ```
//! A block starts on a line indented less than the continuation lines (the
//! jid is right-aligned in 6 columns, continuation lines have 8 spaces).

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::{numbered_lines, tokens_with_offsets};

const FORMAT: &str = "jls-v";
/// `%-29.29s` for hostname and name.
const NAME_WIDTH: usize = 29;
/// Continuation indent when there is no header to measure it from.
const DEFAULT_INDENT: usize = 8;

/// One jail from `jls -v`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JlsVerboseJail {
    pub jid: u32,
    /// Hostname, truncated to 29 characters by `jls`.
    pub hostname: String,
    /// Root path, truncated to 74 characters by `jls`.
    pub path: String,
    /// Kernel jail name, truncated to 29 characters by `jls`.
    pub name: String,
    /// `ACTIVE` or `DYING` (kept as printed).
    pub state: String,
    /// CPU set id; `None` if the line was missing.
    pub cpusetid: Option<u32>,
    /// Addresses without `:` (IPv4), in printed order.
    pub ipv4: Vec<String>,
    /// Addresses with `:` (IPv6), in printed order.
    pub ipv6: Vec<String>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Parses `jls -v` output. Header lines are optional.
pub fn parse_jls_verbose(input: &str) -> Result<Vec<JlsVerboseJail>, ParseError> {
    let mut jails: Vec<JlsVerboseJail> = Vec::new();
    let mut indent = DEFAULT_INDENT;
    // Which continuation line of the current block comes next: 0 = name/state,
    // 1 = cpusetid, 2+ = addresses.
    let mut position = 0;
    for (number, line) in numbered_lines(input) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if jails.is_empty() && is_header(trimmed) {
            if trimmed.starts_with("Name") {
                indent = indent_of(line);
            }
            continue;
        }
        if indent_of(line) < indent {
            jails.push(parse_first_line(number, line)?);
            position = 0;
            continue;
        }
        let Some(jail) = jails.last_mut() else {
            return Err(ParseError::line(FORMAT, number, "a line starting with a JID", line));
        };
        match position {
            0 => {
                let (name, state) = split_name_state(number, line, indent)?;
                jail.name = name;
                jail.state = state;
            }
            1 => {
                let id = trimmed
                    .parse::<u32>()
                    .map_err(|_| ParseError::field(FORMAT, number, "cpusetid", "a number", trimmed))?;
                jail.cpusetid = Some(id);
            }
            _ => {
                if trimmed.contains(':') {
                    jail.ipv6.push(trimmed.to_string());
                } else {
                    jail.ipv4.push(trimmed.to_string());
                }
            }
        }
        position += 1;
    }
    Ok(jails)
}

fn is_header(trimmed: &str) -> bool {
    trimmed.starts_with("JID")
        || trimmed.starts_with("Name")
        || trimmed == "CPUSetID"
        || trimmed.starts_with("IP Address")
}

/// `{jid:6}  {hostname:29} {path}`.
fn parse_first_line(number: usize, line: &str) -> Result<JlsVerboseJail, ParseError> {
    let tokens = tokens_with_offsets(line);
    let Some(&(offset, jid_text)) = tokens.first() else {
        return Err(ParseError::line(FORMAT, number, "a jail line", line));
    };
    let jid = jid_text.parse::<u32>().map_err(|_| ParseError::field(FORMAT, number, "jid", "a number", jid_text))?;
    let host_start = offset + jid_text.len() + 2;
    let path_start = host_start + NAME_WIDTH + 1;
    let fixed = match (line.get(host_start..path_start - 1), line.get(path_start..)) {
        (Some(host), Some(path)) if !host.starts_with(' ') && !path.is_empty() && !path.starts_with(' ') => {
            Some((host.trim_end().to_string(), path.trim_end().to_string()))
        }
        _ => None,
    };
    let (hostname, path) = match fixed {
        Some(pair) => pair,
        None => match tokens.as_slice() {
            [_, (_, host), (path_at, _), ..] => {
                (host.to_string(), line.get(*path_at..).unwrap_or("").trim_end().to_string())
            }
            _ => {
                return Err(ParseError::line(FORMAT, number, "JID, hostname and path", line));
            }
        },
    };
    Ok(JlsVerboseJail {
        jid,
        hostname,
        path,
        name: String::new(),
        state: String::new(),
        cpusetid: None,
        ipv4: Vec::new(),
        ipv6: Vec::new(),
    })
}

/// `        {name:29} {state}`; falls back to "last token is the state".
fn split_name_state(number: usize, line: &str, indent: usize) -> Result<(String, String), ParseError> {
    let state_start = indent + NAME_WIDTH + 1;
    if let (Some(name), Some(state)) = (line.get(indent..state_start - 1), line.get(state_start..)) {
        let state = state.trim();
        if !state.is_empty() && !state.contains(' ') && line.get(state_start - 1..state_start) == Some(" ") {
            return Ok((name.trim().to_string(), state.to_string()));
        }
    }
    let trimmed = line.trim();
    match trimmed.rsplit_once(char::is_whitespace) {
        Some((name, state)) => Ok((name.trim().to_string(), state.to_string())),
        None => Err(ParseError::line(FORMAT, number, "jail name and state", line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "   JID  Hostname                      Path\n        Name                          State\n        CPUSetID\n        IP Address(es)\n";

    #[test]
    fn addresses_are_split_by_family() {
        let input = format!(
            "{HEADER}     5  web                           /j/web\n        web                           ACTIVE\n        2\n        10.0.0.5\n        10.0.0.6\n        2001:db8::5\n     6  db                            /j/db\n        db                            DYING\n        3\n"
        );
        let jails = parse_jls_verbose(&input).unwrap();
        assert_eq!(jails.len(), 2);
        assert_eq!(jails[0].ipv4, vec!["10.0.0.5", "10.0.0.6"]);
        assert_eq!(jails[0].ipv6, vec!["2001:db8::5"]);
        assert_eq!(jails[1].state, "DYING");
        assert_eq!(jails[1].cpusetid, Some(3));
    }

    #[test]
    fn truncated_name_is_read_from_its_column() {
        let name = "n".repeat(29);
        let input = format!("{HEADER}     1  {name} /j/long\n        {name} ACTIVE\n        4\n");
        let jails = parse_jls_verbose(&input).unwrap();
        assert_eq!(jails[0].name, name);
        assert_eq!(jails[0].hostname, name);
        assert_eq!(jails[0].path, "/j/long");
    }

    #[test]
    fn empty_and_header_only() {
        assert!(parse_jls_verbose("").unwrap().is_empty());
        assert!(parse_jls_verbose(HEADER).unwrap().is_empty());
    }

    #[test]
    fn continuation_before_any_jail_is_an_error() {
        let err = parse_jls_verbose("        orphan  ACTIVE\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 1, .. }));
    }

    #[test]
    fn bad_cpusetid_is_an_error() {
        let input =
            "     1  h                             /p\n        n                             ACTIVE\n        x\n";
        let err = parse_jls_verbose(input).unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { field: "cpusetid", line: 3, .. }));
    }
}
