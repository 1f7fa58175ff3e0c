//! `jls` in its four output modes (SPEC 1.1).
//!
//! * default text and `-N` text: [`parse_jls`] (this file)
//! * `-v` text: [`parse_jls_verbose`] (`jls/verbose.rs`)
//! * `-n` / `-nq` / `-s` name=value: [`parse_jls_params`] (`jls/name_value.rs`)
//! * `--libxo json`, any mode: [`parse_jls_json`] (`jls/json.rs`)
//!
//! Text modes truncate fields (SPEC 4.2); prefer the JSON mode when you can
//! choose the command.

mod json;
mod name_value;
mod verbose;

pub use json::{parse_jls_json, JlsJson, JlsJsonJail};
pub use name_value::{parse_jls_params, JlsParam, JlsParams, JlsValue};
pub use verbose::{parse_jls_verbose, JlsVerboseJail};

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::{numbered_lines, tokens_with_offsets};

const FORMAT: &str = "jls";

/// Column widths of default `jls` (SPEC 1.1: `%-15.15s`, `%-29.29s`, `%.74s`).
const IP_WIDTH: usize = 15;
const HOSTNAME_WIDTH: usize = 29;
const PATH_WIDTH: usize = 74;

/// One row of default `jls` or `jls -N` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JlsJail {
    /// Numeric jail id (default mode). `None` in `-N` mode.
    pub jid: Option<u32>,
    /// Jail name (`-N` mode only; an unnamed jail shows its jid there).
    pub name: Option<String>,
    /// First IPv4 address; `None` when blank or `-` (VNET, no IPv4).
    pub ip4: Option<String>,
    /// Hostname, at most 29 characters in this format.
    pub hostname: String,
    /// Root path, at most 74 characters in this format.
    pub path: String,
    /// True when a field is exactly at its column width and so may have been
    /// cut by `jls` (SPEC 4.2); use `jls --libxo json` for the full value.
    pub possibly_truncated: bool,
}

/// Parses default `jls` or `jls -N` output (header optional).
///
/// Default rows are read by column position relative to the end of the JID
/// (so a uniformly shifted paste still works), falling back to whitespace
/// splitting when the columns do not line up. `-N` is recognised from its
/// left-aligned, 15-wide `JID` header, or from a non-numeric first column.
pub fn parse_jls(input: &str) -> Result<Vec<JlsJail>, ParseError> {
    let mut jails = Vec::new();
    let mut named_mode: Option<bool> = None;
    for (number, line) in numbered_lines(input) {
        let tokens = tokens_with_offsets(line);
        let Some(&(first_offset, first)) = tokens.first() else {
            continue;
        };
        if first == "JID" && jails.is_empty() {
            named_mode = Some(header_is_named(line, first_offset));
            continue;
        }
        let named = match named_mode {
            Some(named) => named,
            None => first.parse::<u32>().is_err(),
        };
        let jail =
            if named { parse_named_row(number, line, &tokens)? } else { parse_default_row(number, line, &tokens)? };
        jails.push(jail);
    }
    Ok(jails)
}

/// `-N` prints `JID` left-aligned in a 15-wide column, so it is followed by
/// many spaces; the default header has exactly two before `IP Address`.
fn header_is_named(line: &str, jid_offset: usize) -> bool {
    let after = line.get(jid_offset + 3..).unwrap_or("");
    let spaces = after.len() - after.trim_start().len();
    spaces > 4
}

fn parse_default_row(number: usize, line: &str, tokens: &[(usize, &str)]) -> Result<JlsJail, ParseError> {
    let Some(&(offset, jid_text)) = tokens.first() else {
        return Err(ParseError::line(FORMAT, number, "a jail row", line));
    };
    let jid = jid_text.parse::<u32>().map_err(|_| ParseError::field(FORMAT, number, "jid", "a number", jid_text))?;
    let jid_end = offset + jid_text.len();
    let (ip, hostname, path) = match fixed_columns(line, jid_end) {
        Some(columns) => columns,
        None => whitespace_columns(number, line, tokens.get(1..).unwrap_or(&[]))?,
    };
    Ok(make_jail(Some(jid), None, ip, hostname, path))
}

fn parse_named_row(number: usize, line: &str, tokens: &[(usize, &str)]) -> Result<JlsJail, ParseError> {
    let Some(&(_, name)) = tokens.first() else {
        return Err(ParseError::line(FORMAT, number, "a jail row", line));
    };
    let (ip, hostname, path) = whitespace_columns(number, line, tokens.get(1..).unwrap_or(&[]))?;
    Ok(make_jail(None, Some(name.to_string()), ip, hostname, path))
}

fn make_jail(jid: Option<u32>, name: Option<String>, ip: &str, hostname: &str, path: &str) -> JlsJail {
    let ip = ip.trim();
    let hostname = hostname.trim_end().to_string();
    let path = path.trim_end().to_string();
    let possibly_truncated = ip.len() == IP_WIDTH || hostname.len() == HOSTNAME_WIDTH || path.len() == PATH_WIDTH;
    JlsJail {
        jid,
        name,
        // Old (pre-libxo) jls printed `-` for "no IPv4"; newer prints blanks.
        ip4: crate::text::dash_to_none(ip),
        hostname,
        path,
        possibly_truncated,
    }
}

/// Reads the fixed columns `{jid}  {ip:15} {hostname:29} {path}` relative to
/// the end of the jid. `None` if the separators are not where they should be.
fn fixed_columns(line: &str, jid_end: usize) -> Option<(&str, &str, &str)> {
    let ip_start = jid_end + 2;
    let host_start = ip_start + IP_WIDTH + 1;
    let path_start = host_start + HOSTNAME_WIDTH + 1;
    let is_space = |at: usize| line.get(at..at + 1) == Some(" ");
    if !(is_space(jid_end) && is_space(jid_end + 1)) {
        return None;
    }
    if !is_space(host_start - 1) || !is_space(path_start - 1) {
        return None;
    }
    let ip = line.get(ip_start..host_start - 1)?;
    let hostname = line.get(host_start..path_start - 1)?;
    let path = line.get(path_start..)?;
    // A hostname column starting with a blank means the row was not laid out
    // by jls (hand-edited), so let the whitespace fallback decide.
    if hostname.starts_with(' ') || path.starts_with(' ') || path.is_empty() {
        return None;
    }
    Some((ip, hostname, path))
}

/// Fallback for misaligned rows: `ip host path...` or `host path...`.
fn whitespace_columns<'a>(
    number: usize,
    line: &'a str,
    rest: &[(usize, &'a str)],
) -> Result<(&'a str, &'a str, &'a str), ParseError> {
    match rest {
        [(_, host), (path_at, _)] => Ok(("", host, line.get(*path_at..).unwrap_or(""))),
        [(_, ip), (_, host), (path_at, _), ..] => Ok((ip, host, line.get(*path_at..).unwrap_or(""))),
        _ => Err(ParseError::line(FORMAT, number, "JID, optional IP address, hostname and path", line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "   JID  IP Address      Hostname                      Path\n";

    #[test]
    fn blank_ip_and_dash_ip_both_mean_none() {
        let input = format!(
            "{HEADER}     1                  web                           /j/web\n    11  -               db                            /j/db\n"
        );
        let jails = parse_jls(&input).unwrap();
        assert_eq!(jails.len(), 2);
        assert_eq!(jails[0].ip4, None);
        assert_eq!(jails[0].hostname, "web");
        assert_eq!(jails[1].ip4, None);
        assert_eq!(jails[1].jid, Some(11));
    }

    #[test]
    fn path_with_spaces_is_kept_by_fixed_columns() {
        let input = format!("{HEADER}     2  10.0.0.2        host                          /j/my jail\n");
        let jails = parse_jls(&input).unwrap();
        assert_eq!(jails[0].path, "/j/my jail");
        assert_eq!(jails[0].ip4.as_deref(), Some("10.0.0.2"));
    }

    #[test]
    fn truncated_columns_are_flagged() {
        let host = "h".repeat(29);
        let input = format!("{HEADER}     3  192.168.100.200 {host} /j/x\n");
        let jails = parse_jls(&input).unwrap();
        assert_eq!(jails[0].ip4.as_deref(), Some("192.168.100.200"));
        assert_eq!(jails[0].hostname, host);
        assert!(jails[0].possibly_truncated);
    }

    #[test]
    fn header_only_and_empty_output_mean_no_jails() {
        assert!(parse_jls(HEADER).unwrap().is_empty());
        assert!(parse_jls("").unwrap().is_empty());
        assert!(parse_jls("\n\n").unwrap().is_empty());
    }

    #[test]
    fn named_mode_from_header() {
        let input = " JID             IP Address      Hostname                      Path\n www             10.0.0.1        www                           /j/www\n 7                               anon                          /j/anon\n";
        let jails = parse_jls(input).unwrap();
        assert_eq!(jails[0].name.as_deref(), Some("www"));
        assert_eq!(jails[0].jid, None);
        assert_eq!(jails[1].name.as_deref(), Some("7"));
        assert_eq!(jails[1].ip4, None);
    }

    #[test]
    fn hostile_names_are_kept_verbatim() {
        let input = format!("{HEADER}     4                  $(reboot);<b>x</b>            /j/`id`\n");
        let jails = parse_jls(&input).unwrap();
        assert_eq!(jails[0].hostname, "$(reboot);<b>x</b>");
        assert_eq!(jails[0].path, "/j/`id`");
    }

    #[test]
    fn garbage_row_is_an_error_with_line_number() {
        let input = format!("{HEADER}     1  onlyone\n");
        let err = parse_jls(&input).unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 2, .. }), "{err:?}");
        let err = parse_jls(&format!("{HEADER}   abc  x y z\n")).unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { field: "jid", .. }), "{err:?}");
    }
}
