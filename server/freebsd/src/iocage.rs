//! `iocage list` in its table forms (`-l`, `-t`, `-r`, `-P`, short) and the
//! tab-separated `-h` form (SPEC 1.11). Read-only: nothing here drives iocage.
//!
//! The table is Python `texttable` output with `max_width=0` (no wrapping):
//! ```text
//! +------+----------------+------+
//! | JID  |      NAME      | BOOT |
//! +======+================+======+
//! | None | ansible_client | off  |
//! +------+----------------+------+
//! ```
//! Cells may contain `|` (`em0|10.1.0.199/24`), so cells are cut at the `+`
//! positions of the border line, never by splitting on `|`. Positions are in
//! characters (texttable pads by character count).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::addr::{parse_address_list, InterfaceAddress};
use crate::error::ParseError;
use crate::text::numbered_lines;

const FORMAT: &str = "iocage-list";

/// What `iocage list` listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "items", rename_all = "snake_case")]
pub enum IocageList {
    /// Jails, templates (`-t`), basejails (`-B`) or plugins (`-P`).
    Jails(Vec<IocageJail>),
    /// `-r`: fetched releases ("Bases fetched").
    Releases(Vec<String>),
}

/// The IP4 / IP6 cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IocageAddresses {
    /// The cell as printed; `None` for `-`.
    pub raw: Option<String>,
    /// Parsed `iface|addr/prefix` items (empty for DHCP-not-running, `-`).
    pub addresses: Vec<InterfaceAddress>,
    /// The cell starts with `DHCP` (e.g. `DHCP (not running)`).
    pub dhcp: bool,
}

/// One row of a jail-like listing. Columns missing from the variant are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IocageJail {
    /// `None` for `None` (iocage ≥ 1.2.1) and `-` (older, or CORRUPT).
    pub jid: Option<u32>,
    /// iocage name (kernel name is `ioc-<name>` with `.` → `_`).
    pub name: String,
    pub boot: Option<String>,
    /// `up`, `down`, `CORRUPT`, ...
    pub state: Option<String>,
    pub jail_type: Option<String>,
    pub release: Option<String>,
    pub ip4: Option<IocageAddresses>,
    pub ip6: Option<IocageAddresses>,
    pub template: Option<String>,
    /// BASEJAIL column `yes`/`no`.
    pub basejail: Option<bool>,
    pub portal: Option<String>,
    pub doc_url: Option<String>,
    /// Any other column, by header name.
    pub extra: BTreeMap<String, String>,
}

/// Column sets of the header-less `-h` output, by field count.
const SHORT_COLUMNS: &[&str] = &["JID", "NAME", "STATE", "RELEASE", "IP4"];
const LONG_COLUMNS: &[&str] =
    &["JID", "NAME", "BOOT", "STATE", "TYPE", "RELEASE", "IP4", "IP6", "TEMPLATE", "BASEJAIL"];
const PLUGIN_COLUMNS: &[&str] =
    &["JID", "NAME", "BOOT", "STATE", "TYPE", "RELEASE", "IP4", "IP6", "TEMPLATE", "PORTAL", "DOC_URL"];

/// Parses `iocage list` output (table or `-h` tab-separated).
pub fn parse_iocage_list(input: &str) -> Result<IocageList, ParseError> {
    let first = numbered_lines(input).find(|(_, l)| !l.trim().is_empty());
    match first {
        None => Ok(IocageList::Jails(Vec::new())),
        Some((_, line)) if line.trim_start().starts_with('+') => parse_table(input),
        Some(_) => parse_tabbed(input),
    }
}

fn parse_table(input: &str) -> Result<IocageList, ParseError> {
    let mut boundaries: Vec<usize> = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    // Cells of the logical row being read (a row may span several lines).
    let mut pending: Option<(usize, Vec<String>)> = None;
    for (number, raw_line) in numbered_lines(input) {
        let line = raw_line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('+') {
            if boundaries.is_empty() {
                boundaries = line.char_indices().filter(|(_, c)| *c == '+').map(|(i, _)| i).collect();
            }
            if let Some(row) = pending.take() {
                if line.contains('=') && header.is_none() {
                    header = Some(row.1);
                } else {
                    rows.push(row);
                }
            }
            continue;
        }
        if !line.starts_with('|') || boundaries.len() < 2 {
            return Err(ParseError::line(FORMAT, number, "a texttable row or border", raw_line));
        }
        let cells = cut_cells(line, &boundaries)
            .ok_or_else(|| ParseError::line(FORMAT, number, "cells aligned with the border line", raw_line))?;
        match pending.as_mut() {
            None => pending = Some((number, cells)),
            Some((_, previous)) => {
                for (joined, more) in previous.iter_mut().zip(cells) {
                    if !more.is_empty() {
                        joined.push('\n');
                        joined.push_str(&more);
                    }
                }
            }
        }
    }
    if let Some(row) = pending {
        rows.push(row);
    }
    let header = header.ok_or_else(|| ParseError::end(FORMAT, "a header row followed by a `+===+` line"))?;
    build(&header, rows)
}

/// Cuts one `| a | b |` line at the border's `+` positions (in characters).
fn cut_cells(line: &str, boundaries: &[usize]) -> Option<Vec<String>> {
    let chars: Vec<char> = line.chars().collect();
    // Border positions were byte offsets of an ASCII line: equal to char offsets.
    if boundaries.iter().any(|&b| chars.get(b) != Some(&'|')) {
        return None;
    }
    boundaries
        .windows(2)
        .map(|pair| match pair {
            [start, end] => chars.get(start + 1..*end).map(|c| c.iter().collect::<String>().trim().to_string()),
            _ => None,
        })
        .collect()
}

fn parse_tabbed(input: &str) -> Result<IocageList, ParseError> {
    let mut rows = Vec::new();
    let mut columns: Option<&[&str]> = None;
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
        let set: &[&str] = match cells.len() {
            1 => &["Bases fetched"],
            5 => SHORT_COLUMNS,
            10 => LONG_COLUMNS,
            11 => PLUGIN_COLUMNS,
            _ => return Err(ParseError::line(FORMAT, number, "1, 5, 10 or 11 tab-separated fields", line)),
        };
        if columns.is_some_and(|c| c.len() != set.len()) {
            return Err(ParseError::line(FORMAT, number, "the same number of fields on every line", line));
        }
        columns = Some(set);
        rows.push((number, cells));
    }
    let header: Vec<String> = columns.unwrap_or(SHORT_COLUMNS).iter().map(|c| c.to_string()).collect();
    build(&header, rows)
}

fn build(header: &[String], rows: Vec<(usize, Vec<String>)>) -> Result<IocageList, ParseError> {
    if header.len() == 1 && header.first().is_some_and(|h| h.eq_ignore_ascii_case("Bases fetched")) {
        return Ok(IocageList::Releases(rows.into_iter().filter_map(|(_, cells)| cells.into_iter().next()).collect()));
    }
    if !header.iter().any(|h| h == "NAME") {
        return Err(ParseError::end(FORMAT, "a header with a NAME column"));
    }
    rows.into_iter()
        .map(|(number, cells)| jail_from_cells(number, header, cells))
        .collect::<Result<Vec<_>, _>>()
        .map(IocageList::Jails)
}

fn jail_from_cells(number: usize, header: &[String], cells: Vec<String>) -> Result<IocageJail, ParseError> {
    let mut jail = IocageJail {
        jid: None,
        name: String::new(),
        boot: None,
        state: None,
        jail_type: None,
        release: None,
        ip4: None,
        ip6: None,
        template: None,
        basejail: None,
        portal: None,
        doc_url: None,
        extra: BTreeMap::new(),
    };
    for (column, cell) in header.iter().zip(cells) {
        let optional = crate::text::dash_to_none(&cell);
        match column.as_str() {
            "JID" => {
                jail.jid = match cell.as_str() {
                    "None" | "-" | "" => None,
                    text => Some(
                        text.parse::<u32>()
                            .map_err(|_| ParseError::field(FORMAT, number, "JID", "a number, None or -", text))?,
                    ),
                }
            }
            "NAME" => jail.name = cell,
            "BOOT" => jail.boot = optional,
            "STATE" => jail.state = optional,
            "TYPE" => jail.jail_type = optional,
            "RELEASE" => jail.release = optional,
            "IP4" => jail.ip4 = Some(addresses(&cell)),
            "IP6" => jail.ip6 = Some(addresses(&cell)),
            "TEMPLATE" => jail.template = optional,
            "BASEJAIL" => {
                jail.basejail = match cell.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                }
            }
            "PORTAL" => jail.portal = optional,
            "DOC_URL" => jail.doc_url = optional,
            other => {
                jail.extra.insert(other.to_string(), cell);
            }
        }
    }
    Ok(jail)
}

fn addresses(cell: &str) -> IocageAddresses {
    let raw = crate::text::dash_to_none(cell);
    let dhcp = cell.trim_start().to_ascii_uppercase().starts_with("DHCP");
    let addresses = if dhcp || cell == "N/A" || cell == "none" { Vec::new() } else { parse_address_list(cell) };
    IocageAddresses { raw, addresses, dhcp }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "+-----+------+\n| JID | NAME |\n+=====+======+\n";

    #[test]
    fn tabbed_long_output() {
        let input = "None\tweb\toff\tdown\tjail\t14.3-RELEASE-p8\tem0|10.0.0.1/24,em0|10.0.0.2/24\t-\t-\tno\n";
        let IocageList::Jails(jails) = parse_iocage_list(input).unwrap() else { panic!() };
        assert_eq!(jails[0].name, "web");
        assert_eq!(jails[0].ip4.as_ref().unwrap().addresses.len(), 2);
        assert_eq!(jails[0].basejail, Some(false));
    }

    #[test]
    fn multi_line_cell_is_joined() {
        let input = format!("{LONG}| 3   | a    |\n|     | b    |\n+-----+------+\n");
        let IocageList::Jails(jails) = parse_iocage_list(&input).unwrap() else { panic!() };
        assert_eq!(jails[0].name, "a\nb");
        assert_eq!(jails[0].jid, Some(3));
    }

    #[test]
    fn non_ascii_names_follow_character_columns() {
        let input = "+-----+-------+\n| JID | NAME  |\n+=====+=======+\n| 1   | jäil  |\n+-----+-------+\n";
        let IocageList::Jails(jails) = parse_iocage_list(input).unwrap() else { panic!() };
        assert_eq!(jails[0].name, "jäil");
    }

    #[test]
    fn corrupt_and_dhcp() {
        let input = "+-----+-----+---------+--------------------+\n| JID | NAME| STATE   | IP4                |\n+=====+=====+=========+====================+\n| -   | x   | CORRUPT | N/A                |\n+-----+-----+---------+--------------------+\n| None| d   | down    | DHCP (not running) |\n+-----+-----+---------+--------------------+\n";
        let IocageList::Jails(jails) = parse_iocage_list(input).unwrap() else { panic!() };
        assert_eq!(jails[0].state.as_deref(), Some("CORRUPT"));
        assert!(jails[0].ip4.as_ref().unwrap().addresses.is_empty());
        assert!(jails[1].ip4.as_ref().unwrap().dhcp);
    }

    #[test]
    fn errors_and_empty() {
        assert_eq!(parse_iocage_list("").unwrap(), IocageList::Jails(Vec::new()));
        let err = parse_iocage_list(&format!("{LONG}| abc | x    |\n+-----+------+\n")).unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { field: "JID", line: 4, .. }));
        let err = parse_iocage_list(&format!("{LONG}| 1 | misaligned |\n")).unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 4, .. }));
        assert!(parse_iocage_list("a\tb\tc\n").is_err());
        assert!(parse_iocage_list("+--+\n| x |\n").is_err());
    }
}
