//! Host facts (SPEC 1.6): `freebsd-version -ku`, `uname -a`, `sysctl`.

mod sysctl;

pub use sysctl::{parse_sysctl_named, parse_sysctl_values, HostSysctls, SysctlEntry};

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

/// A FreeBSD release string such as `14.3-RELEASE-p2`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreebsdRelease {
    /// The whole line as printed (it may carry junk before the version).
    pub raw: String,
    /// The release itself, e.g. `14.3-RELEASE-p2`.
    pub version: String,
    pub major: u32,
    pub minor: u32,
    /// `RELEASE`, `STABLE`, `CURRENT`, `BETA2`, `RC1`, `PRERELEASE`, ...
    pub branch: String,
    /// Patch level from `-pN`.
    pub patch: Option<u32>,
}

/// `freebsd-version -ku`: installed kernel, then userland.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreebsdVersions {
    pub kernel: FreebsdRelease,
    pub userland: FreebsdRelease,
}

/// Finds `MAJOR.MINOR-BRANCH[-pN]` in `line`, which must run to the end of
/// the line (leading junk is tolerated and kept in `raw`).
pub fn parse_freebsd_release(line: &str) -> Option<FreebsdRelease> {
    let trimmed = line.trim();
    trimmed
        .char_indices()
        .filter(|(i, c)| {
            c.is_ascii_digit() && !trimmed.get(..*i).unwrap_or("").ends_with(|p: char| p.is_ascii_digit() || p == '.')
        })
        .find_map(|(i, _)| release_from(trimmed.get(i..)?, trimmed))
}

fn release_from(candidate: &str, raw: &str) -> Option<FreebsdRelease> {
    let (numbers, rest) = candidate.split_once('-')?;
    let (major, minor) = numbers.split_once('.')?;
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(major) || !all_digits(minor) {
        return None;
    }
    let (branch, patch) = match rest.split_once("-p") {
        Some((branch, patch)) if all_digits(patch) => (branch, Some(patch.parse().ok()?)),
        Some(_) => return None,
        None => (rest, None),
    };
    let letters = branch.trim_end_matches(|c: char| c.is_ascii_digit());
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(FreebsdRelease {
        raw: raw.to_string(),
        version: candidate.to_string(),
        major: major.parse().ok()?,
        minor: minor.parse().ok()?,
        branch: branch.to_string(),
        patch,
    })
}

/// Parses `freebsd-version -ku` (exactly two release lines).
pub fn parse_freebsd_version_ku(input: &str) -> Result<FreebsdVersions, ParseError> {
    let mut releases = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        let release = parse_freebsd_release(line)
            .ok_or_else(|| ParseError::line("freebsd-version", number, "a release like 14.3-RELEASE-p2", line))?;
        if releases.len() == 2 {
            return Err(ParseError::line("freebsd-version", number, "only two lines (kernel, userland)", line));
        }
        releases.push(release);
    }
    let mut releases = releases.into_iter();
    match (releases.next(), releases.next()) {
        (Some(kernel), Some(userland)) => Ok(FreebsdVersions { kernel, userland }),
        _ => Err(ParseError::end("freebsd-version", "two lines: kernel and userland")),
    }
}

/// `uname -a`: `sysname nodename release version... machine`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uname {
    pub sysname: String,
    pub nodename: String,
    pub release: String,
    /// Kernel version: everything between release and machine; it contains
    /// spaces and its shape differs by era (SPEC 1.6), so it is kept whole.
    pub version: String,
    pub machine: String,
}

/// Parses `uname -a`. The first three words and the last are fixed fields.
pub fn parse_uname(input: &str) -> Result<Uname, ParseError> {
    let mut lines = numbered_lines(input).filter(|(_, l)| !l.trim().is_empty());
    let Some((number, line)) = lines.next() else {
        return Err(ParseError::end("uname", "one line of `uname -a` output"));
    };
    if let Some((extra, text)) = lines.next() {
        return Err(ParseError::line("uname", extra, "a single line", text));
    }
    let line = line.trim();
    let words = crate::text::tokens_with_offsets(line);
    let (Some(&(_, sysname)), Some(&(_, nodename)), Some(&(release_at, release)), Some(&(machine_at, machine))) =
        (words.first(), words.get(1), words.get(2), words.last())
    else {
        return Err(ParseError::line("uname", number, "sysname nodename release version machine", line));
    };
    if words.len() < 5 {
        return Err(ParseError::line("uname", number, "sysname nodename release version machine", line));
    }
    let version = line.get(release_at + release.len()..machine_at).unwrap_or("").trim();
    Ok(Uname {
        sysname: sysname.to_string(),
        nodename: nodename.to_string(),
        release: release.to_string(),
        version: version.to_string(),
        machine: machine.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_variants() {
        let r = parse_freebsd_release("14.3-RELEASE-p2").unwrap();
        assert_eq!((r.major, r.minor, r.branch.as_str(), r.patch), (14, 3, "RELEASE", Some(2)));
        assert_eq!(parse_freebsd_release("15.0-CURRENT").unwrap().branch, "CURRENT");
        assert_eq!(parse_freebsd_release("14.0-BETA2").unwrap().branch, "BETA2");
        let junk = parse_freebsd_release("u10.2-RELEASE").unwrap();
        assert_eq!(junk.version, "10.2-RELEASE");
        assert_eq!(junk.raw, "u10.2-RELEASE");
        assert!(parse_freebsd_release("not a version").is_none());
        assert!(parse_freebsd_release("14.3-release").is_none());
        assert!(parse_freebsd_release("14.3-RELEASE-px").is_none());
    }

    #[test]
    fn ku_needs_two_lines() {
        assert!(parse_freebsd_version_ku("14.3-RELEASE\n").is_err());
        assert!(parse_freebsd_version_ku("").is_err());
        assert!(parse_freebsd_version_ku("a\nb\n").is_err());
        assert!(parse_freebsd_version_ku("14.3-RELEASE\n14.3-RELEASE\n14.3-RELEASE\n").is_err());
        let v = parse_freebsd_version_ku("14.3-RELEASE-p1\n14.3-RELEASE-p2\n").unwrap();
        assert_eq!(v.userland.patch, Some(2));
    }

    #[test]
    fn uname_new_style() {
        let u = parse_uname(
            "FreeBSD host 15.1-RELEASE FreeBSD 15.1-RELEASE releng/15.1-n283562-96841ea08dcf GENERIC arm64\n",
        )
        .unwrap();
        assert_eq!(u.machine, "arm64");
        assert_eq!(u.version, "FreeBSD 15.1-RELEASE releng/15.1-n283562-96841ea08dcf GENERIC");
        assert!(parse_uname("FreeBSD host 15.1-RELEASE arm64").is_err());
        assert!(parse_uname("").is_err());
        assert!(parse_uname("a b c d e\nf g h i j\n").is_err());
    }
}
