//! `sysrc` output (SPEC 1.4): `-a` / query (`name: value`), `-v`
//! (`file: name: value`), `-n` (values only) and assignments
//! (`name: old -> new`).

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

/// One rc.conf variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SysrcVar {
    /// File prefix from `sysrc -v` (`/etc/rc.conf`), if present.
    pub file: Option<String>,
    pub name: String,
    /// Raw value, unquoted, exactly as printed (may contain `: ` and spaces).
    pub value: String,
}

/// One change printed by `sysrc name=value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SysrcChange {
    pub name: String,
    /// Previous value (empty when the variable was unset: `name:  -> NEW`).
    pub old: String,
    pub new: String,
}

/// rc.conf variable names are shell variable names.
fn is_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `sysrc -a`, `sysrc -A`, `sysrc name...` and their `-v` forms.
///
/// Split on the **first** `": "` (values may contain it). A line that does
/// not start with a variable name continues the previous value (rc.conf
/// values may contain newlines); such a line before any variable is an error.
pub fn parse_sysrc_vars(input: &str) -> Result<Vec<SysrcVar>, ParseError> {
    let mut vars: Vec<SysrcVar> = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() && vars.is_empty() {
            continue;
        }
        // sysrc's own diagnostics (when stderr is merged) look like a variable.
        if line.starts_with("sysrc: ") {
            return Err(ParseError::line("sysrc-a", number, "`name: value`", line));
        }
        if let Some(var) = split_var(line) {
            vars.push(var);
            continue;
        }
        match vars.last_mut() {
            Some(previous) => {
                previous.value.push('\n');
                previous.value.push_str(line);
            }
            None => return Err(ParseError::line("sysrc-a", number, "`name: value`", line)),
        }
    }
    // Trailing blank lines are output padding, not part of the last value.
    if let Some(last) = vars.last_mut() {
        let trimmed = last.value.trim_end_matches('\n').len();
        last.value.truncate(trimmed);
    }
    Ok(vars)
}

fn split_var(line: &str) -> Option<SysrcVar> {
    let (head, rest) = split_colon(line)?;
    if is_var_name(head) {
        return Some(SysrcVar { file: None, name: head.to_string(), value: rest.to_string() });
    }
    // `sysrc -v`: `/etc/rc.conf: name: value`.
    if head.starts_with('/') {
        let (name, value) = split_colon(rest)?;
        if is_var_name(name) {
            return Some(SysrcVar { file: Some(head.to_string()), name: name.to_string(), value: value.to_string() });
        }
    }
    None
}

/// Splits at the first `": "`, or a trailing `":"` (empty value).
fn split_colon(line: &str) -> Option<(&str, &str)> {
    match line.split_once(": ") {
        Some(pair) => Some(pair),
        None => line.strip_suffix(':').map(|head| (head, "")),
    }
}

/// Parses `sysrc -n name...`: one value per line, in argument order.
pub fn parse_sysrc_values(input: &str) -> Vec<String> {
    numbered_lines(input).map(|(_, line)| line.to_string()).collect()
}

/// Parses the output of assignments `sysrc name=value ...`:
/// `name: old -> new` per variable (old may be empty).
pub fn parse_sysrc_changes(input: &str) -> Result<Vec<SysrcChange>, ParseError> {
    let mut changes = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = split_colon(line).and_then(|(name, rest)| {
            let (old, new) = rest.split_once(" -> ").or_else(|| rest.strip_suffix(" ->").map(|o| (o, "")))?;
            is_var_name(name).then(|| SysrcChange {
                name: name.to_string(),
                old: old.trim_start().to_string(),
                new: new.to_string(),
            })
        });
        match parsed {
            Some(change) => changes.push(change),
            None => return Err(ParseError::line("sysrc-set", number, "`name: old -> new`", line)),
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_colon_only_and_empty_values() {
        let vars = parse_sysrc_vars("ifconfig_em0: inet 10.0.0.1: odd\nempty: \nalso_empty:\n").unwrap();
        assert_eq!(vars[0].value, "inet 10.0.0.1: odd");
        assert_eq!(vars[1].value, "");
        assert_eq!(vars[2].value, "");
    }

    #[test]
    fn verbose_file_prefix() {
        let vars = parse_sysrc_vars("/etc/rc.conf: sshd_enable: YES\n").unwrap();
        assert_eq!(vars[0].file.as_deref(), Some("/etc/rc.conf"));
        assert_eq!(vars[0].name, "sshd_enable");
    }

    #[test]
    fn multi_line_value_and_hostile_text() {
        let vars = parse_sysrc_vars("motd: line one\n$(reboot); `id`\nnext_var: x\n").unwrap();
        assert_eq!(vars.len(), 2);
        assert_eq!(vars[0].value, "line one\n$(reboot); `id`");
    }

    #[test]
    fn errors_and_empty() {
        assert!(parse_sysrc_vars("").unwrap().is_empty());
        let err = parse_sysrc_vars("sysrc: unknown variable 'x'\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 1, .. }), "{err:?}");
    }

    #[test]
    fn values_only() {
        assert_eq!(parse_sysrc_values("YES\n\nNO\n"), vec!["YES", "", "NO"]);
    }

    #[test]
    fn changes() {
        let changes = parse_sysrc_changes("nginx_enable: NO -> YES\nnew_var:  -> 1\ncleared: x -> \n").unwrap();
        assert_eq!(changes[0].old, "NO");
        assert_eq!(changes[1].old, "");
        assert_eq!(changes[1].new, "1");
        assert_eq!(changes[2].new, "");
        assert!(parse_sysrc_changes("garbage\n").is_err());
    }
}
