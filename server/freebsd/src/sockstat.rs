//! `sockstat` text output, e.g. `sockstat -4l`, `-6l`, `-46lw` (SPEC 1.8).
//!
//! Rows are `USER COMMAND PID FD PROTO LOCAL FOREIGN`, split on whitespace
//! because old releases overflow their fixed columns (SPEC 4.2):
//! * a long USER pushes the rest right (still separable);
//! * when USER + COMMAND fill 20 characters, COMMAND (cut to 10) and PID are
//!   glued: `python2.781106`. PIDs have at most 5 digits (`pid_max` 99999),
//!   so the PID is taken as the last ≤ 5 digits — a guess, flagged in
//!   [`SockstatEntry::command_pid_glued`];
//! * sockets without a process show `?` for USER/COMMAND/PID/FD, SCTP
//!   continuation rows `??`;
//! * unix sockets may have no foreign address, or `-> /path`.

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

const FORMAT: &str = "sockstat";
/// PIDs on FreeBSD are at most 99999.
const MAX_PID_DIGITS: usize = 5;

/// An address as sockstat prints it: `addr:port`, `*:*`, `::1:25` (IPv6 is
/// not bracketed, so the port is after the **last** `:`), or a unix path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// As printed.
    pub raw: String,
    /// Address part (`*` for wildcard), or the whole text for unix sockets.
    pub host: String,
    /// `None` for `*` and for unix sockets.
    pub port: Option<u16>,
}

impl Endpoint {
    fn parse(raw: &str) -> Self {
        match raw.rsplit_once(':') {
            Some((host, port)) if !raw.starts_with('/') && !host.is_empty() => {
                Endpoint { raw: raw.to_string(), host: host.to_string(), port: port.parse().ok() }
            }
            _ => Endpoint { raw: raw.to_string(), host: raw.to_string(), port: None },
        }
    }
}

/// One socket row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SockstatEntry {
    pub user: String,
    pub command: String,
    /// `None` for `?` / `??`.
    pub pid: Option<u32>,
    pub fd: Option<u32>,
    /// `tcp4`, `udp6`, `tcp46`, `stream`, `dgram`, ...
    pub proto: String,
    pub local: Option<Endpoint>,
    pub foreign: Option<Endpoint>,
    /// Words after the foreign address (extra columns of newer releases).
    pub extra: Vec<String>,
    /// COMMAND and PID were glued in the output and split by guess.
    pub command_pid_glued: bool,
}

/// Parses `sockstat` text output (header optional: `-q`).
pub fn parse_sockstat(input: &str) -> Result<Vec<SockstatEntry>, ParseError> {
    let mut entries = Vec::new();
    for (number, line) in numbered_lines(input) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first() {
            None => continue,
            Some(&"USER") => continue,
            // An elision mark left in pasted output (`...`).
            Some(&"...") if words.len() == 1 => continue,
            Some(_) => {}
        }
        entries.push(parse_row(number, line, &words)?);
    }
    Ok(entries)
}

fn number_or_unknown(text: &str) -> Option<Option<u32>> {
    if text.chars().all(|c| c == '?') {
        return Some(None);
    }
    text.parse::<u32>().ok().map(Some)
}

fn parse_row(number: usize, line: &str, words: &[&str]) -> Result<SockstatEntry, ParseError> {
    let bad = || ParseError::line(FORMAT, number, "USER COMMAND PID FD PROTO LOCAL [FOREIGN]", line);
    let user = words.first().ok_or_else(bad)?;
    let command_word = words.get(1).ok_or_else(bad)?;
    // Normal layout: PID and FD are separate words after COMMAND.
    let normal = match (words.get(2), words.get(3)) {
        (Some(pid), Some(fd)) => number_or_unknown(pid).zip(number_or_unknown(fd)),
        _ => None,
    };
    let (command, pid, fd, rest_at, glued) = match normal {
        Some((pid, fd)) if words.len() >= 5 => (command_word.to_string(), pid, fd, 4, false),
        _ => {
            let (command, pid) = split_glued(command_word).ok_or_else(bad)?;
            let fd = words.get(2).and_then(|fd| number_or_unknown(fd)).ok_or_else(bad)?;
            (command, Some(pid), fd, 3, true)
        }
    };
    let rest = words.get(rest_at..).unwrap_or(&[]);
    let (proto, addresses) = rest.split_first().ok_or_else(bad)?;
    let (local, foreign, extra) = match addresses {
        [] => (None, None, Vec::new()),
        [arrow, path, extra @ ..] if *arrow == "->" => {
            (None, Some(Endpoint::parse(&format!("-> {path}"))), to_strings(extra))
        }
        [local, arrow, path, extra @ ..] if *arrow == "->" => {
            (Some(Endpoint::parse(local)), Some(Endpoint::parse(&format!("-> {path}"))), to_strings(extra))
        }
        [local] => (Some(Endpoint::parse(local)), None, Vec::new()),
        [local, foreign, extra @ ..] => {
            (Some(Endpoint::parse(local)), Some(Endpoint::parse(foreign)), to_strings(extra))
        }
    };
    Ok(SockstatEntry {
        user: user.to_string(),
        command,
        pid,
        fd,
        proto: proto.to_string(),
        local,
        foreign,
        extra,
        command_pid_glued: glued,
    })
}

fn to_strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// `python2.781106` → (`python2.7`, 81106): the last ≤ 5 digits are the pid.
fn split_glued(word: &str) -> Option<(String, u32)> {
    let digits = word.chars().rev().take_while(char::is_ascii_digit).count().min(MAX_PID_DIGITS);
    if digits == 0 || digits == word.len() {
        return None;
    }
    let (command, pid) = word.split_at_checked(word.len() - digits)?;
    Some((command.to_string(), pid.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_command_and_pid() {
        let rows = parse_sockstat("salt-master python2.781106 35 tcp4 *:4505 *:*\n").unwrap();
        assert_eq!(rows[0].command, "python2.7");
        assert_eq!(rows[0].pid, Some(81106));
        assert_eq!(rows[0].fd, Some(35));
        assert!(rows[0].command_pid_glued);
    }

    #[test]
    fn ipv6_and_wildcards() {
        let rows = parse_sockstat("USER COMMAND PID FD PROTO LOCAL ADDRESS FOREIGN ADDRESS\nroot sendmail 729 4 tcp6 ::1:25 *:*\nroot ntpd 1 21 udp6 fe80::1%lo0:123 *:*\n").unwrap();
        let local = rows[0].local.as_ref().unwrap();
        assert_eq!(local.host, "::1");
        assert_eq!(local.port, Some(25));
        assert_eq!(rows[0].foreign.as_ref().unwrap().port, None);
        assert_eq!(rows[1].local.as_ref().unwrap().host, "fe80::1%lo0");
    }

    #[test]
    fn unknown_owner_and_unix_sockets() {
        let rows = parse_sockstat("? ? ? ? tcp4 10.0.0.1:22 10.0.0.2:5000\nroot syslogd 1130 4 dgram /var/run/log\nroot cron 99 5 dgram -> /var/run/logpriv\n").unwrap();
        assert_eq!(rows[0].pid, None);
        assert_eq!(rows[1].local.as_ref().unwrap().host, "/var/run/log");
        assert_eq!(rows[1].foreign, None);
        assert_eq!(rows[2].foreign.as_ref().unwrap().raw, "-> /var/run/logpriv");
    }

    #[test]
    fn header_only_empty_and_errors() {
        assert!(parse_sockstat("USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      \n")
            .unwrap()
            .is_empty());
        assert!(parse_sockstat("").unwrap().is_empty());
        let err = parse_sockstat("root sshd\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 1, .. }));
        assert!(parse_sockstat("root sshd x y tcp4 *:22 *:*\n").is_err());
    }
}
