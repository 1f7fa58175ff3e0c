//! Validated names. Parsed once at the boundary, then carried typed.

mod inventory;
pub use inventory::{GroupName, HostAddress, HostName, JailName, PackageName, ServiceName, SshPort, SshUser, TagName};

/// Why a name was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NameError(pub String);

/// Declares a validated name: a `String` newtype that can only be built
/// through `FromStr` / `TryFrom<String>` (serde goes through them too), so
/// holding one proves the text passed `check`. `rule` is the message shown
/// next to the field when it does not.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, max $max:expr, rule $rule:expr, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_LEN: usize = $max;
            pub const RULE: &'static str = $rule;

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::names::NameError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let check: fn(&str) -> bool = $check;
                if s.len() <= Self::MAX_LEN && check(s) {
                    Ok($name(s.to_string()))
                } else {
                    Err($crate::names::NameError(Self::RULE.to_string()))
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::names::NameError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> String {
                n.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use name_type;

name_type! {
    /// A login name: 1–32 of lowercase ASCII letters, digits, `.`, `_`, `-`,
    /// starting with a letter or digit.
    Username, max 32,
    rule "Use 1 to 32 characters: lowercase letters a-z, digits, '.', '_' or '-', starting with a letter or digit.",
    |s: &str| {
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
        s.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) && s.chars().all(ok_char)
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

    #[test]
    fn serde_goes_through_validation() {
        assert!(serde_json::from_str::<Username>("\"ok\"").is_ok());
        assert!(serde_json::from_str::<Username>("\"$(id)\"").is_err());
    }
}
