//! Validated names. Parsed once at the boundary, then carried typed.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a name was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NameError(pub String);

/// A login name: 1–32 of lowercase ASCII letters, digits, `.`, `_`, `-`,
/// starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub const MAX_LEN: usize = 32;
    const RULE: &'static str =
        "Use 1 to 32 characters: lowercase letters a-z, digits, '.', '_' or '-', starting with a letter or digit.";

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Username {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
        let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if s.is_empty() || s.len() > Self::MAX_LEN || !first_ok || !s.chars().all(ok_char) {
            return Err(NameError(Self::RULE.to_string()));
        }
        Ok(Username(s.to_string()))
    }
}

impl TryFrom<String> for Username {
    type Error = NameError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for ok in ["admin", "j.doe", "ops_2", "a", "0day"] {
            assert!(ok.parse::<Username>().is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_hostile_or_odd_names() {
        let long = "a".repeat(33);
        for bad in ["", "-rf", "a b", "a;b", "$(id)", "`x`", "Admin", "é", "a\nb", long.as_str(), ".x"] {
            assert!(bad.parse::<Username>().is_err(), "{bad:?}");
        }
    }
}
