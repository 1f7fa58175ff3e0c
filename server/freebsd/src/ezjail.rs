//! `ezjail-admin list` (SPEC 1.9).
//!
//! ```text
//! STA JID  IP              Hostname                       Root Directory
//! --- ---- --------------- ------------------------------ ------------------------
//! ZR  34   127.0.2.2       test_02                        /local/jails/test_02
//!     34   wlan0|10.1.0.52
//! ```
//! Columns overflow silently (long IPs or hostnames), so rows are split on
//! whitespace, not by position (SPEC 4.2). The first IP is printed without its
//! `iface|` prefix, extra IPs come raw on continuation lines indented by 4.

use serde::{Deserialize, Serialize};

use crate::addr::InterfaceAddress;
use crate::error::ParseError;
use crate::text::{numbered_lines, tokens_with_offsets};

const FORMAT: &str = "ezjail-list";

/// First STA letter: how the jail's root is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EzjailKind {
    /// `D`: plain directory.
    Directory,
    /// `I`: simple md image.
    Image,
    /// `E`: geli-encrypted image.
    GeliImage,
    /// `B`: gbde-encrypted image.
    GbdeImage,
    /// `Z`: ZFS dataset.
    Zfs,
    /// A letter this parser does not know (kept in `status`).
    Unknown,
}

/// Second STA letter: run state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EzjailRunState {
    /// `R`
    Running,
    /// `A`: image attached but the jail is not running.
    Attached,
    /// `S`
    Stopped,
    Unknown,
}

/// One jail from `ezjail-admin list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EzjailJail {
    /// The STA column as printed (`ZR`, `DSN`, ...).
    pub status: String,
    pub kind: EzjailKind,
    pub state: EzjailRunState,
    /// Third STA letter `N`: config renamed `.norun`, not started at boot.
    pub norun: bool,
    /// `None` for `N/A` (not running).
    pub jid: Option<u32>,
    /// All addresses: the first from the IP column, then continuation lines.
    pub ips: Vec<InterfaceAddress>,
    /// The Hostname column (ezjail name with `/`, `~` replaced by `_`).
    /// `None` when the config is broken and the field is empty.
    pub hostname: Option<String>,
    /// Root directory; `None` when empty.
    pub root: Option<String>,
}

impl EzjailJail {
    /// The kernel jail name ezjail uses: `tr -c '[:alnum:]' _` of the name
    /// (SPEC 1.9). Derived, for matching against `jls` output only.
    pub fn safename(&self) -> Option<String> {
        self.hostname.as_ref().map(|h| h.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect())
    }
}

/// Parses `ezjail-admin list`. The header is optional; a header alone means
/// no jails.
pub fn parse_ezjail_list(input: &str) -> Result<Vec<EzjailJail>, ParseError> {
    let mut jails: Vec<EzjailJail> = Vec::new();
    for (number, line) in numbered_lines(input) {
        let tokens = tokens_with_offsets(line);
        let Some(&(_, first)) = tokens.first() else {
            continue;
        };
        if first == "STA" || first.starts_with("---") {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let Some(jail) = jails.last_mut() else {
                return Err(ParseError::line(FORMAT, number, "a jail row before continuation lines", line));
            };
            match tokens.as_slice() {
                [_, (_, ip)] => jail.ips.push(InterfaceAddress::parse(ip)),
                _ => {
                    return Err(ParseError::line(FORMAT, number, "`    JID iface|address` continuation", line));
                }
            }
            continue;
        }
        jails.push(parse_row(number, line, &tokens)?);
    }
    Ok(jails)
}

fn parse_row(number: usize, line: &str, tokens: &[(usize, &str)]) -> Result<EzjailJail, ParseError> {
    let (status, jid_text) = match tokens {
        [(_, status), (_, jid), ..] => (*status, *jid),
        _ => return Err(ParseError::line(FORMAT, number, "STA JID IP Hostname Root", line)),
    };
    let (kind, state, norun) = parse_status(status)
        .ok_or_else(|| ParseError::field(FORMAT, number, "STA", "state letters like ZR, DS or DSN", status))?;
    let jid = match jid_text {
        "N/A" | "-" => None,
        text => {
            Some(text.parse::<u32>().map_err(|_| ParseError::field(FORMAT, number, "JID", "a number or N/A", text))?)
        }
    };
    let field = |index: usize| tokens.get(index).map(|&(_, t)| t);
    let ips = match field(2) {
        None | Some("-") => Vec::new(),
        Some(ip) => vec![InterfaceAddress::parse(ip)],
    };
    let root = tokens.get(4).and_then(|&(offset, _)| line.get(offset..)).map(|r| r.trim_end().to_string());
    Ok(EzjailJail {
        status: status.to_string(),
        kind,
        state,
        norun,
        jid,
        ips,
        hostname: field(3).map(str::to_string),
        root,
    })
}

fn parse_status(status: &str) -> Option<(EzjailKind, EzjailRunState, bool)> {
    let mut letters = status.chars();
    let kind = match letters.next()? {
        'D' => EzjailKind::Directory,
        'I' => EzjailKind::Image,
        'E' => EzjailKind::GeliImage,
        'B' => EzjailKind::GbdeImage,
        'Z' => EzjailKind::Zfs,
        c if c.is_ascii_uppercase() => EzjailKind::Unknown,
        _ => return None,
    };
    let state = match letters.next()? {
        'R' => EzjailRunState::Running,
        'A' => EzjailRunState::Attached,
        'S' => EzjailRunState::Stopped,
        c if c.is_ascii_uppercase() => EzjailRunState::Unknown,
        _ => return None,
    };
    let norun = match letters.next() {
        None => false,
        Some('N') => true,
        Some(_) => return None,
    };
    if letters.next().is_some() {
        return None;
    }
    Some((kind, state, norun))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "STA JID  IP              Hostname                       Root Directory\n--- ---- --------------- ------------------------------ ------------------------\n";

    #[test]
    fn broken_config_with_empty_fields() {
        let jails = parse_ezjail_list(&format!("{HEADER}DSN N/A  -\n")).unwrap();
        assert_eq!(jails[0].kind, EzjailKind::Directory);
        assert_eq!(jails[0].state, EzjailRunState::Stopped);
        assert!(jails[0].norun);
        assert_eq!(jails[0].jid, None);
        assert!(jails[0].ips.is_empty());
        assert_eq!(jails[0].hostname, None);
    }

    #[test]
    fn overflowed_columns_and_ipv6_continuation() {
        let input = format!(
            "{HEADER}ZR  1    2001:db8:1:2:3:4:5:6/64 a-very-long-hostname.example.com /usr/jails/a-very-long-hostname.example.com\n    1    re0|10.0.0.1/24\n"
        );
        let jails = parse_ezjail_list(&input).unwrap();
        assert_eq!(jails[0].ips.len(), 2);
        assert_eq!(jails[0].ips[0].prefix, Some(64));
        assert_eq!(jails[0].ips[1].iface.as_deref(), Some("re0"));
        assert_eq!(jails[0].hostname.as_deref(), Some("a-very-long-hostname.example.com"));
        assert_eq!(jails[0].safename().as_deref(), Some("a_very_long_hostname_example_com"));
    }

    #[test]
    fn empty_and_header_only() {
        assert!(parse_ezjail_list("").unwrap().is_empty());
        assert!(parse_ezjail_list(HEADER).unwrap().is_empty());
    }

    #[test]
    fn errors() {
        let err = parse_ezjail_list(&format!("{HEADER}    3    em0|1.2.3.4\n")).unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 3, .. }));
        let err = parse_ezjail_list(&format!("{HEADER}zz  1 1.2.3.4 a /a\n")).unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { field: "STA", .. }));
        let err = parse_ezjail_list(&format!("{HEADER}ZR  x 1.2.3.4 a /a\n")).unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { field: "JID", .. }));
    }

    #[test]
    fn hostile_hostname_kept() {
        let jails = parse_ezjail_list(&format!("{HEADER}ZS  N/A  10.0.0.1 ;$(id)<i> /j/x\n")).unwrap();
        assert_eq!(jails[0].hostname.as_deref(), Some(";$(id)<i>"));
    }
}
