//! `pkg info` and `pkg -j JAIL update` (SPEC 1.5).

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

/// One installed package from `pkg info` / `pkg info -q`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PkgInfo {
    pub name: String,
    pub version: String,
    /// The comment column; `None` with `-q`.
    pub comment: Option<String>,
}

/// Parses `pkg info` (`%n-%v` padded to column 31, then the comment) and
/// `pkg info -q` (`%n-%v` only). Names contain `-`, versions do not, so the
/// split is at the **last** `-` of the first word.
pub fn parse_pkg_info(input: &str) -> Result<Vec<PkgInfo>, ParseError> {
    let mut packages = Vec::new();
    for (number, line) in numbered_lines(input) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let (name_version, comment) = match trimmed.split_once(char::is_whitespace) {
            Some((nv, comment)) => (nv, Some(comment.trim().to_string())),
            None => (trimmed, None),
        };
        let Some((name, version)) = name_version.rsplit_once('-') else {
            return Err(ParseError::field("pkg-info", number, "name-version", "`name-version`", name_version));
        };
        if name.is_empty() || version.is_empty() {
            return Err(ParseError::field("pkg-info", number, "name-version", "`name-version`", name_version));
        }
        packages.push(PkgInfo { name: name.to_string(), version: version.to_string(), comment });
    }
    Ok(packages)
}

/// Summary of `pkg update` / `pkg -j JAIL update`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PkgUpdate {
    /// The `[tag]` prefix `pkg -j` puts on fetch lines: the jail's hostname.
    pub jail_tag: Option<String>,
    /// Repositories named in `Updating X repository catalogue...`.
    pub repositories: Vec<String>,
    /// Sum of `N packages processed.` over all repositories.
    pub packages_processed: Option<u64>,
    /// Repositories reported as `X repository is up to date.`
    pub up_to_date: Vec<String>,
    /// Lines starting with `pkg:` (warnings and errors).
    pub messages: Vec<String>,
}

/// Parses `pkg [-j J] update` output. Progress lines are informational and
/// vary between pkg versions, so lines not recognised are ignored.
pub fn parse_pkg_update(input: &str) -> PkgUpdate {
    let mut update = PkgUpdate::default();
    for (_, line) in numbered_lines(input) {
        let mut line = line.trim();
        if let Some((tag, rest)) = line.strip_prefix('[').and_then(|r| r.split_once("] ")) {
            if update.jail_tag.is_none() {
                update.jail_tag = Some(tag.to_string());
            }
            line = rest.trim();
        }
        if let Some(repo) = line.strip_prefix("Updating ").and_then(|r| r.strip_suffix(" repository catalogue...")) {
            update.repositories.push(repo.to_string());
        } else if let Some(repo) = line.strip_suffix(" repository is up to date.") {
            update.up_to_date.push(repo.to_string());
        } else if let Some((_, count)) = line.split_once(" update completed. ") {
            let processed = count.split_whitespace().next().and_then(|n| n.parse::<u64>().ok());
            if let Some(n) = processed {
                update.packages_processed = Some(update.packages_processed.unwrap_or(0).saturating_add(n));
            }
        } else if line.starts_with("pkg:") {
            update.messages.push(line.to_string());
        }
    }
    update
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_with_and_without_comment() {
        let pkgs = parse_pkg_info("gettext-runtime-0.19.3         GNU gettext runtime\npy39-pip-23.0_1\n").unwrap();
        assert_eq!(pkgs[0].name, "gettext-runtime");
        assert_eq!(pkgs[0].version, "0.19.3");
        assert_eq!(pkgs[0].comment.as_deref(), Some("GNU gettext runtime"));
        assert_eq!(pkgs[1].name, "py39-pip");
        assert_eq!(pkgs[1].comment, None);
    }

    #[test]
    fn overflowing_name_still_splits() {
        let long = "a-very-long-package-name-for-testing-1.0 comment";
        assert_eq!(parse_pkg_info(long).unwrap()[0].version, "1.0");
    }

    #[test]
    fn info_errors_and_empty() {
        assert!(parse_pkg_info("").unwrap().is_empty());
        let err = parse_pkg_info("ok-1\nnoversion comment\n").unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { line: 2, .. }));
        assert!(parse_pkg_info("trailing- x").is_err());
    }

    #[test]
    fn update_up_to_date_and_errors() {
        let u = parse_pkg_update("Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n");
        assert_eq!(u.up_to_date, vec!["FreeBSD"]);
        assert_eq!(u.packages_processed, None);
        let u = parse_pkg_update("pkg: Repository FreeBSD load error: access repo file\n");
        assert_eq!(u.messages.len(), 1);
    }
}
