//! Dispatch for the support command `warden inspect parse --format FORMAT`:
//! run one parser on captured output and show the typed result as JSON.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use serde_json::Value;

use crate::error::ParseError;

/// Every output format the inspect command can parse. The names are the
/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jls,
    JlsV,
    JlsN,
    JlsJson,
    EzjailList,
    BastilleList,
    IocageList,
    /// `jail -e` with a TAB separator (what discovery asks).
    JailE,
    ServiceE,
    SysrcA,
    PkgInfo,
    FreebsdVersion,
    Uname,
    ZfsList,
    ZpoolList,
    Sockstat,
}

impl Format {
    /// All formats, in the order they are listed in help text.
    pub const ALL: [Format; 16] = [
        Format::Jls,
        Format::JlsV,
        Format::JlsN,
        Format::JlsJson,
        Format::EzjailList,
        Format::BastilleList,
        Format::IocageList,
        Format::JailE,
        Format::ServiceE,
        Format::SysrcA,
        Format::PkgInfo,
        Format::FreebsdVersion,
        Format::Uname,
        Format::ZfsList,
        Format::ZpoolList,
        Format::Sockstat,
    ];

    /// The `--format` name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jls => "jls",
            Format::JlsV => "jls-v",
            Format::JlsN => "jls-n",
            Format::JlsJson => "jls-json",
            Format::EzjailList => "ezjail-list",
            Format::BastilleList => "bastille-list",
            Format::IocageList => "iocage-list",
            Format::JailE => "jail-e",
            Format::ServiceE => "service-e",
            Format::SysrcA => "sysrc-a",
            Format::PkgInfo => "pkg-info",
            Format::FreebsdVersion => "freebsd-version",
            Format::Uname => "uname",
            Format::ZfsList => "zfs-list",
            Format::ZpoolList => "zpool-list",
            Format::Sockstat => "sockstat",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ParseError;

    /// Accepts exactly the names returned by [`Format::name`].
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| ParseError::UnknownFormat {
            name: name.to_string(),
            known: Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// Parses `input` as `format` and returns the typed result as JSON.
pub fn parse_to_json(format: Format, input: &str) -> Result<Value, ParseError> {
    match format {
        Format::Jls => to_json(crate::jls::parse_jls(input)?),
        Format::JlsV => to_json(crate::jls::parse_jls_verbose(input)?),
        Format::JlsN => to_json(crate::jls::parse_jls_params(input)?),
        Format::JlsJson => to_json(crate::jls::parse_jls_json(input)?),
        Format::EzjailList => to_json(crate::ezjail::parse_ezjail_list(input)?),
        Format::BastilleList => to_json(crate::bastille::parse_bastille_list(input)?),
        Format::IocageList => to_json(crate::iocage::parse_iocage_list(input)?),
        Format::JailE => to_json(crate::jail_exhibit::parse_jail_exhibit(input, crate::jail_exhibit::SEPARATOR)?),
        Format::ServiceE => to_json(crate::service::parse_service_enabled(input)?),
        Format::SysrcA => to_json(crate::sysrc::parse_sysrc_vars(input)?),
        Format::PkgInfo => to_json(crate::pkg::parse_pkg_info(input)?),
        Format::FreebsdVersion => to_json(crate::facts::parse_freebsd_version_ku(input)?),
        Format::Uname => to_json(crate::facts::parse_uname(input)?),
        Format::ZfsList => to_json(crate::zfs::parse_zfs_list(input)?),
        Format::ZpoolList => to_json(crate::zfs::parse_zpool_list(input)?),
        Format::Sockstat => to_json(crate::sockstat::parse_sockstat(input)?),
    }
}

/// Our result types are plain data; serialising them cannot fail, but the
/// error is still mapped instead of unwrapped.
fn to_json<T: Serialize>(value: T) -> Result<Value, ParseError> {
    serde_json::to_value(value).map_err(|e| ParseError::InvalidJson { format: "inspect", message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>().unwrap(), format);
        }
        assert!("JLS".parse::<Format>().is_err());
        assert!("jls ".parse::<Format>().is_err());
    }

    #[test]
    fn dispatches() {
        let value = parse_to_json(Format::ServiceE, "/etc/rc.d/sshd\n").unwrap();
        assert_eq!(value[0]["name"], "sshd");
        assert!(parse_to_json(Format::Uname, "").is_err());
    }
}
