//! `zfs list` and `zpool list` (SPEC 1.7).
//!
//! The machine form is `-H -p`: no header, fields separated by **one tab**,
//! exact byte counts. Without `-o` the columns are the defaults below. The
//! human form (header, aligned columns, `443M`) is also accepted because that
//! is what people paste; there values stay as printed and `bytes` is `None`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::text::numbered_lines;

/// Default `zfs list` columns.
pub const ZFS_DEFAULT_COLUMNS: &[&str] = &["name", "used", "avail", "refer", "mountpoint"];
/// Default `zpool list` columns, OpenZFS 2.x (FreeBSD 13+).
pub const ZPOOL_COLUMNS: &[&str] =
    &["name", "size", "alloc", "free", "ckpoint", "expandsz", "frag", "cap", "dedup", "health", "altroot"];
/// Default `zpool list` columns before checkpoints (FreeBSD ≤ 12 ZFS).
pub const ZPOOL_COLUMNS_OLD: &[&str] =
    &["name", "size", "alloc", "free", "frag", "expandsz", "cap", "dedup", "health", "altroot"];

/// A numeric property: the text as printed and, when it is a plain integer
/// (`-p` output), the exact value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZfsNumber {
    pub raw: String,
    pub exact: Option<u64>,
}

impl ZfsNumber {
    /// `-` (not applicable) becomes `None`.
    fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw == "-" || raw.is_empty() {
            return None;
        }
        Some(ZfsNumber { raw: raw.to_string(), exact: raw.parse().ok() })
    }
}

/// One dataset from `zfs list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZfsDataset {
    pub name: String,
    pub used: Option<ZfsNumber>,
    pub avail: Option<ZfsNumber>,
    pub refer: Option<ZfsNumber>,
    /// A path, `none`, `legacy`, or `None` for `-` (volumes, snapshots).
    pub mountpoint: Option<String>,
    /// Other requested properties (`-o ...`), by lower-case name.
    pub other: BTreeMap<String, String>,
}

/// One pool from `zpool list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZpoolInfo {
    pub name: String,
    pub size: Option<ZfsNumber>,
    pub alloc: Option<ZfsNumber>,
    pub free: Option<ZfsNumber>,
    /// Fragmentation (`2` with -p, `2%` without); `None` for `-`.
    pub frag: Option<ZfsNumber>,
    /// Capacity used (`4` with -p, `4%` without).
    pub cap: Option<ZfsNumber>,
    /// `ONLINE`, `DEGRADED`, ...
    pub health: Option<String>,
    /// Other columns, by lower-case name.
    pub other: BTreeMap<String, String>,
}

/// A row: its line number and the cells by lower-case column name.
type Row = (usize, BTreeMap<String, String>);

/// Splits into rows of `(line, cells)` and the column names: from the
/// header when there is one (human form), else from `defaults` by count.
fn table(format: &'static str, input: &str, defaults: &[&[&str]]) -> Result<Vec<Row>, ParseError> {
    let mut columns: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        if columns.is_none() && rows.is_empty() && line.starts_with("NAME") && !line.contains('\t') {
            columns = Some(line.split_whitespace().map(str::to_ascii_lowercase).collect());
            continue;
        }
        let cells: Vec<&str> = if columns.is_some() && !line.contains('\t') {
            line.split_whitespace().collect()
        } else {
            line.split('\t').collect()
        };
        let names: Vec<String> = match &columns {
            Some(names) => names.clone(),
            None => defaults
                .iter()
                .find(|d| d.len() == cells.len())
                .map(|d| d.iter().map(|c| c.to_string()).collect())
                .ok_or_else(|| ParseError::line(format, number, "tab-separated default columns", line))?,
        };
        if names.len() != cells.len() {
            return Err(ParseError::line(format, number, "one value per header column", line));
        }
        rows.push((number, names.into_iter().zip(cells.into_iter().map(str::to_string)).collect()));
    }
    Ok(rows)
}

/// Parses `zfs list` (human, or `-H -p` with the default columns).
pub fn parse_zfs_list(input: &str) -> Result<Vec<ZfsDataset>, ParseError> {
    parse_zfs_rows(table("zfs-list", input, &[ZFS_DEFAULT_COLUMNS])?)
}

/// Parses `zfs list -H -p -o COLUMNS` where the caller passes the same
/// property names it gave to `-o`.
pub fn parse_zfs_list_columns(input: &str, columns: &[&str]) -> Result<Vec<ZfsDataset>, ParseError> {
    let owned: Vec<String> = columns.iter().map(|c| c.to_ascii_lowercase()).collect();
    let borrowed: Vec<&str> = owned.iter().map(String::as_str).collect();
    parse_zfs_rows(table("zfs-list", input, &[&borrowed])?)
}

fn parse_zfs_rows(rows: Vec<Row>) -> Result<Vec<ZfsDataset>, ParseError> {
    rows.into_iter()
        .map(|(number, mut cells)| {
            let name = cells
                .remove("name")
                .filter(|n| !n.is_empty())
                .ok_or_else(|| ParseError::field("zfs-list", number, "name", "a dataset name", ""))?;
            let mut number_of = |key: &str| cells.remove(key).and_then(|v| ZfsNumber::parse(&v));
            let used = number_of("used");
            let avail = number_of("avail").or_else(|| number_of("available"));
            let refer = number_of("refer").or_else(|| number_of("referenced"));
            let mountpoint = cells.remove("mountpoint").and_then(|m| crate::text::dash_to_none(&m));
            Ok(ZfsDataset { name, used, avail, refer, mountpoint, other: cells })
        })
        .collect()
}

/// Parses `zpool list` (human, or `-H -p` with the default columns of old
/// or new ZFS, told apart by the field count).
pub fn parse_zpool_list(input: &str) -> Result<Vec<ZpoolInfo>, ParseError> {
    table("zpool-list", input, &[ZPOOL_COLUMNS, ZPOOL_COLUMNS_OLD])?
        .into_iter()
        .map(|(number, mut cells)| {
            let name = cells
                .remove("name")
                .filter(|n| !n.is_empty())
                .ok_or_else(|| ParseError::field("zpool-list", number, "name", "a pool name", ""))?;
            let mut number_of = |key: &str| cells.remove(key).and_then(|v| ZfsNumber::parse(&v));
            let size = number_of("size");
            let alloc = number_of("alloc");
            let free = number_of("free");
            let frag = number_of("frag");
            let cap = number_of("cap");
            let health = cells.remove("health").and_then(|h| crate::text::dash_to_none(&h));
            Ok(ZpoolInfo { name, size, alloc, free, frag, cap, health, other: cells })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zfs_hp_default_columns() {
        let input = "zroot/jails\t1073741824\t5368709120\t98304\t/usr/local/jails\nzroot/vol\t100\t200\t300\t-\n";
        let ds = parse_zfs_list(input).unwrap();
        assert_eq!(ds[0].used.as_ref().unwrap().exact, Some(1_073_741_824));
        assert_eq!(ds[0].mountpoint.as_deref(), Some("/usr/local/jails"));
        assert_eq!(ds[1].mountpoint, None);
    }

    #[test]
    fn zfs_mountpoint_with_spaces_in_tab_form() {
        let ds = parse_zfs_list("p/x\t1\t2\t3\t/mnt/my jail\n").unwrap();
        assert_eq!(ds[0].mountpoint.as_deref(), Some("/mnt/my jail"));
    }

    #[test]
    fn zfs_custom_columns_and_errors() {
        let ds = parse_zfs_list_columns("p/a\ton\t/a\n", &["name", "jailed", "mountpoint"]).unwrap();
        assert_eq!(ds[0].other.get("jailed").map(String::as_str), Some("on"));
        assert!(parse_zfs_list("p/a\t1\t2\n").is_err());
        assert!(parse_zfs_list("").unwrap().is_empty());
        assert!(parse_zfs_list("NAME USED\na 1 2\n").is_err());
    }

    #[test]
    fn zpool_hp_new_and_old() {
        let new = "zroot\t100\t40\t60\t-\t-\t3\t40\t1.00\tONLINE\t-\n";
        let pools = parse_zpool_list(new).unwrap();
        assert_eq!(pools[0].frag.as_ref().unwrap().exact, Some(3));
        assert_eq!(pools[0].health.as_deref(), Some("ONLINE"));
        let old = "tank\t100\t40\t60\t-\t-\t40\t1.00\tONLINE\t-\n";
        let pools = parse_zpool_list(old).unwrap();
        assert_eq!(pools[0].frag, None);
        assert_eq!(pools[0].cap.as_ref().unwrap().exact, Some(40));
        assert!(parse_zpool_list("x\ty\n").is_err());
    }
}
