//! `service -e` and `service NAME status` (SPEC 1.3).

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

/// One enabled rc script from `service -e`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnabledService {
    /// Absolute path as printed (`/usr/local/etc/rc.d/nginx`).
    pub path: String,
    /// Basename of the path: the name `service NAME ...` takes.
    pub name: String,
}

/// Parses `service -e`: one absolute path per line, in boot (rcorder) order.
pub fn parse_service_enabled(input: &str) -> Result<Vec<EnabledService>, ParseError> {
    let mut services = Vec::new();
    for (number, line) in numbered_lines(input) {
        let path = line.trim();
        if path.is_empty() {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or("");
        if !path.starts_with('/') || name.is_empty() {
            return Err(ParseError::line("service-e", number, "an absolute rc script path", line));
        }
        services.push(EnabledService { path: path.to_string(), name: name.to_string() });
    }
    Ok(services)
}

/// What `service NAME status` says about a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// Exit 0 (rc.subr: `NAME is running as pid N.`).
    Running,
    /// `NAME is not running.` with a non-zero exit.
    NotRunning,
    /// `service` could not find the script.
    NotFound,
    /// The script has no meaningful `status` (usage text, unknown directive).
    Unsupported,
    /// Anything else with a non-zero exit (or text contradicting the exit code).
    Unknown,
}

/// Result of `service NAME status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStatus {
    pub state: ServiceState,
    /// Pids from `is running as pid N [M ...].` (rc.subr may list several).
    pub pids: Vec<u32>,
    /// The name the script reported (`${name}` in rc.subr; it can differ
    /// from the script file name, e.g. `mysql-server` reports `mysql`).
    pub reported_name: Option<String>,
    /// The trimmed output, for display.
    pub message: String,
}

/// Interprets `service NAME status` from its combined stdout+stderr and exit
/// code. rc.subr's convention is exit 0 = running; the text is used to get
/// pids and to tell "not running" apart from "no such script" (SPEC 1.3).
pub fn parse_service_status(output: &str, exit_code: i32) -> ServiceStatus {
    let message = output.trim().to_string();
    let mut status = ServiceStatus { state: ServiceState::Unknown, pids: Vec::new(), reported_name: None, message };
    let running_line = status.message.lines().find_map(|l| l.split_once(" is running as pid "));
    let not_running_line = status.message.lines().find_map(|l| l.trim().strip_suffix(" is not running."));
    if let Some((name, pids)) = running_line {
        status.reported_name = Some(name.trim().to_string());
        status.pids = pids
            .trim_end_matches('.')
            .split_whitespace()
            .filter_map(|p| p.trim_end_matches(['.', ',']).parse().ok())
            .collect();
    } else if let Some(name) = not_running_line {
        status.reported_name = Some(name.trim().to_string());
    }
    let lower = status.message.to_ascii_lowercase();
    status.state = if exit_code == 0 {
        // rc.subr refusing a verb for a disabled service also exits 0:
        // "Cannot 'status' X. Set X_enable to YES … or use 'onestatus' …".
        if not_running_line.is_some() || status.message.starts_with("Cannot '") {
            ServiceState::Unknown
        } else {
            ServiceState::Running
        }
    } else if lower.contains("does not exist in /etc/rc.d") {
        ServiceState::NotFound
    } else if running_line.is_some() {
        ServiceState::Unknown
    } else if not_running_line.is_some() {
        ServiceState::NotRunning
    } else if lower.contains("usage:") || lower.contains("unknown directive") {
        ServiceState::Unsupported
    } else {
        ServiceState::Unknown
    };
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enabled_paths_to_names() {
        let services = parse_service_enabled("/etc/rc.d/sshd\n\n/usr/local/etc/rc.d/php-fpm\n").unwrap();
        assert_eq!(services.len(), 2);
        assert_eq!(services[1].name, "php-fpm");
        assert!(parse_service_enabled("").unwrap().is_empty());
        let err = parse_service_enabled("/etc/rc.d/sshd\nsshd\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 2, .. }));
        assert!(parse_service_enabled("/etc/rc.d/\n").is_err());
    }

    #[test]
    fn a_refused_status_is_not_running() {
        let said =
            "Cannot 'status' nginx. Set nginx_enable to YES in /etc/rc.conf or use 'onestatus' instead of 'status'.";
        assert_eq!(parse_service_status(said, 0).state, ServiceState::Unknown);
    }

    #[test]
    fn running_with_pids() {
        let s = parse_service_status("nginx is running as pid 812.\n", 0);
        assert_eq!(s.state, ServiceState::Running);
        assert_eq!(s.pids, vec![812]);
        let s = parse_service_status("mysql is running as pid 10 11.\n", 0);
        assert_eq!(s.pids, vec![10, 11]);
        assert_eq!(s.reported_name.as_deref(), Some("mysql"));
    }

    #[test]
    fn not_running_not_found_unsupported() {
        assert_eq!(parse_service_status("sshd is not running.\n", 1).state, ServiceState::NotRunning);
        let missing = "foo does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable\n";
        assert_eq!(parse_service_status(missing, 1).state, ServiceState::NotFound);
        assert_eq!(
            parse_service_status("Usage: /etc/rc.d/x [fast|force|one](start|stop)\n", 1).state,
            ServiceState::Unsupported
        );
        assert_eq!(parse_service_status("", 3).state, ServiceState::Unknown);
    }

    #[test]
    fn exit_code_and_text_disagree() {
        assert_eq!(parse_service_status("x is not running.\n", 0).state, ServiceState::Unknown);
        assert_eq!(parse_service_status("x is running as pid 3.\n", 1).state, ServiceState::Unknown);
        // Exit 0 without rc.subr text (custom status): rc convention says running.
        assert_eq!(parse_service_status("pf enabled\n", 0).state, ServiceState::Running);
    }
}
