//! `bastille list` / `bastille list all` (SPEC 1.10) and the `[jail]:`
//! sections Bastille prints around per-jail command output (SPEC 2.4).
//!
//! The list format changed in every major release:
//! * ≤ 0.9 / 0.10 plain `list`: the output of `jls -N` / `jls` (parsed with
//!   [`crate::jls::parse_jls`]);
//! * 0.10 `list -a`: `JID State IP Address Published Ports Hostname Release Path`
//!   where the **JID column holds the jail name**;
//! * 0.14 `list -a`: `JID Boot Prio State IP Address Published Ports Hostname Release Path`
//!   (numeric JID or `-`, no name);
//! * 1.x / HEAD: `JID Name Boot Prio State Type IP Address Published Ports Release Tags`
//!   (upper-case headers and `PORTS` in HEAD), `all` swaps Type/Tags for
//!   Hostname/Path.
//!
//! So the header decides which column is which. Columns are padded to the
//! longest value but hand-copied output is often misaligned, so rows are
//! split on whitespace (SPEC 4.2); a line with only one or two words is a
//! continuation carrying extra IPs or ports. ANSI colours are stripped first.

use serde::{Deserialize, Serialize};

use crate::addr::{parse_address_list, InterfaceAddress};
use crate::error::ParseError;
use crate::jls::parse_jls;
use crate::text::{numbered_lines, strip_ansi, tokens_with_offsets};

const FORMAT: &str = "bastille-list";

/// Which layout the output had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BastilleListLayout {
    /// `jls` / `jls -N` output (Bastille ≤ 0.10 plain `list`).
    Jls,
    /// Bastille's own table (`list -a`, `list all`, 1.x `list`).
    Table,
}

/// One jail from `bastille list`; fields absent from a layout are `None`/empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BastilleJail {
    pub jid: Option<u32>,
    /// Jail name (from `Name`, or from the 0.10 `JID` column, or `jls -N`).
    pub name: Option<String>,
    pub boot: Option<String>,
    pub priority: Option<String>,
    /// `Up`, `Down`, `n/a` as printed.
    pub state: Option<String>,
    /// `thin`, `thick`, `clone`, `linux`, ... as printed.
    pub jail_type: Option<String>,
    pub ips: Vec<InterfaceAddress>,
    /// Published ports, e.g. `tcp/80:80`.
    pub ports: Vec<String>,
    pub hostname: Option<String>,
    pub release: Option<String>,
    pub path: Option<String>,
    pub tags: Vec<String>,
}

/// The parsed listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BastilleList {
    pub layout: BastilleListLayout,
    pub jails: Vec<BastilleJail>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Jid,
    Name,
    Boot,
    Prio,
    State,
    Type,
    Ip,
    Ports,
    Hostname,
    Release,
    Path,
    Tags,
}

/// Parses any known `bastille list` layout.
pub fn parse_bastille_list(input: &str) -> Result<BastilleList, ParseError> {
    let clean = strip_ansi(input);
    let mut lines = numbered_lines(&clean).filter(|(_, line)| !line.trim().is_empty());
    let Some((header_number, header)) = lines.next() else {
        return Ok(BastilleList { layout: BastilleListLayout::Table, jails: Vec::new() });
    };
    let trimmed = header.trim();
    if trimmed.starts_with("[ERROR]") {
        return Err(ParseError::line(FORMAT, header_number, "a list header", trimmed));
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let has_state = words.iter().any(|w| w.eq_ignore_ascii_case("state"));
    if !has_state {
        if words.first() != Some(&"JID") {
            return Err(ParseError::line(FORMAT, header_number, "a header starting with JID", header));
        }
        return Ok(BastilleList { layout: BastilleListLayout::Jls, jails: from_jls(&clean)? });
    }
    let columns = parse_header(header_number, &words)?;
    let name_in_jid = !columns.contains(&Column::Name) && !columns.contains(&Column::Boot);
    let mut jails: Vec<BastilleJail> = Vec::new();
    for (number, line) in lines {
        let tokens: Vec<&str> = tokens_with_offsets(line).into_iter().map(|(_, t)| t).collect();
        if tokens.len() <= 2 && tokens.len() < columns.len() {
            let Some(jail) = jails.last_mut() else {
                return Err(ParseError::line(FORMAT, number, "a jail row", line));
            };
            for token in tokens {
                if is_port(token) {
                    jail.ports.push(token.to_string());
                } else {
                    jail.ips.extend(parse_address_list(token));
                }
            }
            continue;
        }
        jails.push(parse_row(number, line, &columns, &tokens, name_in_jid)?);
    }
    Ok(BastilleList { layout: BastilleListLayout::Table, jails })
}

fn parse_header(number: usize, words: &[&str]) -> Result<Vec<Column>, ParseError> {
    let mut columns = Vec::new();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        let next = words.get(index + 1).map(|w| w.to_ascii_lowercase());
        let (column, width) = match (word.to_ascii_lowercase().as_str(), next.as_deref()) {
            ("ip", Some("address")) => (Column::Ip, 2),
            ("published", Some("ports")) => (Column::Ports, 2),
            ("ports", _) => (Column::Ports, 1),
            ("jid", _) => (Column::Jid, 1),
            ("name", _) => (Column::Name, 1),
            ("boot", _) => (Column::Boot, 1),
            ("prio", _) => (Column::Prio, 1),
            ("state", _) => (Column::State, 1),
            ("type", _) => (Column::Type, 1),
            ("hostname", _) => (Column::Hostname, 1),
            ("release", _) => (Column::Release, 1),
            ("path", _) => (Column::Path, 1),
            ("tags", _) => (Column::Tags, 1),
            _ => return Err(ParseError::field(FORMAT, number, "header", "a known Bastille column name", word)),
        };
        columns.push(column);
        index += width;
    }
    Ok(columns)
}

/// Ports are printed as `proto/host:jail` (`tcp/80:80`), possibly comma-joined.
fn is_port(token: &str) -> bool {
    token.starts_with("tcp/") || token.starts_with("udp/")
}

/// Assigns tokens to columns. A Linux release (`bookworm (Debian 12)`) has
/// spaces, so when there are more tokens than columns the Release column
/// takes the surplus.
fn parse_row(
    number: usize,
    line: &str,
    columns: &[Column],
    tokens: &[&str],
    name_in_jid: bool,
) -> Result<BastilleJail, ParseError> {
    let surplus = tokens
        .len()
        .checked_sub(columns.len())
        .ok_or_else(|| ParseError::line(FORMAT, number, "one value per column", line))?;
    let release_at = columns.iter().position(|c| *c == Column::Release);
    if surplus > 0 && release_at.is_none() {
        return Err(ParseError::line(FORMAT, number, "one value per column", line));
    }
    let mut jail = BastilleJail {
        jid: None,
        name: None,
        boot: None,
        priority: None,
        state: None,
        jail_type: None,
        ips: Vec::new(),
        ports: Vec::new(),
        hostname: None,
        release: None,
        path: None,
        tags: Vec::new(),
    };
    let mut token_index = 0;
    for (column_index, column) in columns.iter().enumerate() {
        let width = if Some(column_index) == release_at { surplus + 1 } else { 1 };
        let value = tokens.get(token_index..token_index + width).unwrap_or(&[]).join(" ");
        token_index += width;
        let optional = crate::text::dash_to_none(&value);
        match column {
            Column::Jid if name_in_jid => jail.name = optional,
            Column::Jid => {
                jail.jid = match optional {
                    None => None,
                    Some(text) => Some(
                        text.parse::<u32>()
                            .map_err(|_| ParseError::field(FORMAT, number, "JID", "a number or -", &text))?,
                    ),
                }
            }
            Column::Name => jail.name = optional,
            Column::Boot => jail.boot = optional,
            Column::Prio => jail.priority = optional,
            Column::State => jail.state = optional,
            Column::Type => jail.jail_type = optional,
            Column::Ip => jail.ips = parse_address_list(&value),
            Column::Ports => jail.ports = split_list(&value),
            Column::Hostname => jail.hostname = optional,
            Column::Release => jail.release = optional,
            Column::Path => jail.path = optional,
            Column::Tags => jail.tags = split_list(&value),
        }
    }
    Ok(jail)
}

fn split_list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty() && *v != "-").map(str::to_string).collect()
}

fn from_jls(input: &str) -> Result<Vec<BastilleJail>, ParseError> {
    Ok(parse_jls(input)?
        .into_iter()
        .map(|j| BastilleJail {
            jid: j.jid,
            name: j.name,
            boot: None,
            priority: None,
            state: None,
            jail_type: None,
            ips: j.ip4.as_deref().map(parse_address_list).unwrap_or_default(),
            ports: Vec::new(),
            hostname: Some(j.hostname),
            release: None,
            path: Some(j.path),
            tags: Vec::new(),
        })
        .collect())
}

/// Output of a Bastille command for one jail (`[name]:` header + text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BastilleSection {
    /// The name between the brackets, verbatim.
    pub jail: String,
    /// The lines after the header, ANSI codes removed.
    pub output: String,
}

/// Splits Bastille's per-jail output (`bastille cmd|sysrc|service|pkg`):
/// each jail's output follows a (coloured) `[name]:` line.
pub fn parse_jail_sections(input: &str) -> Result<Vec<BastilleSection>, ParseError> {
    let clean = strip_ansi(input);
    let mut sections: Vec<BastilleSection> = Vec::new();
    for (number, line) in numbered_lines(&clean) {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix("]:")) {
            if !name.is_empty() && name != "ERROR" && name != "WARNING" {
                sections.push(BastilleSection { jail: name.to_string(), output: String::new() });
                continue;
            }
        }
        match sections.last_mut() {
            Some(section) => {
                section.output.push_str(line);
                section.output.push('\n');
            }
            None if trimmed.is_empty() => {}
            None => return Err(ParseError::line("bastille-sections", number, "a `[jail]:` header", line)),
        }
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_with_continuation_lines_and_ansi() {
        let input = "\u{1b}[0;32m JID  Name  Boot  Prio  State  Type  IP Address    Published Ports  Release          Tags\u{1b}[0m\n 3    web   on    99    Up     thin  10.0.0.3      tcp/80:80        14.3-RELEASE-p1  prod,www\n                                     2001:db8::3   tcp/443:443\n -    db    off   99    Down   thick 10.0.0.4      -                14.3-RELEASE-p1  -\n";
        let list = parse_bastille_list(input).unwrap();
        assert_eq!(list.layout, BastilleListLayout::Table);
        assert_eq!(list.jails.len(), 2);
        let web = &list.jails[0];
        assert_eq!(web.jid, Some(3));
        assert_eq!(web.name.as_deref(), Some("web"));
        assert_eq!(web.ips.len(), 2);
        assert_eq!(web.ports, vec!["tcp/80:80", "tcp/443:443"]);
        assert_eq!(web.tags, vec!["prod", "www"]);
        assert_eq!(list.jails[1].jid, None);
        assert!(list.jails[1].ports.is_empty());
    }

    #[test]
    fn head_uppercase_all_with_linux_release() {
        let input = " JID  NAME  BOOT  PRIO  STATE  IP ADDRESS  PORTS  HOSTNAME  RELEASE  PATH\n 5    deb   on    10    Up     10.0.0.5    -      deb       bookworm (Debian 12)  /usr/local/bastille/jails/deb/root\n";
        let list = parse_bastille_list(input).unwrap();
        assert_eq!(list.jails[0].release.as_deref(), Some("bookworm (Debian 12)"));
        assert_eq!(list.jails[0].path.as_deref(), Some("/usr/local/bastille/jails/deb/root"));
    }

    #[test]
    fn version_0_14_has_numeric_jid_and_no_name() {
        let input = " JID  Boot  Prio  State  IP Address  Published Ports  Hostname  Release  Path\n 2    on    99    Up     10.0.0.2    -                h2        14.1-RELEASE  /j/h2/root\n";
        let list = parse_bastille_list(input).unwrap();
        assert_eq!(list.jails[0].jid, Some(2));
        assert_eq!(list.jails[0].name, None);
    }

    #[test]
    fn empty_output_and_errors() {
        assert!(parse_bastille_list("").unwrap().jails.is_empty());
        let err = parse_bastille_list("[ERROR]: \"-a\" is deprecated. Use \"all\" instead.\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 1, .. }));
        let err = parse_bastille_list(" JID State Colour\n").unwrap_err();
        assert!(matches!(err, ParseError::InvalidField { field: "header", .. }));
        let err = parse_bastille_list(" JID  State  IP Address  Hostname\n a Up b c d e\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 2, .. }));
    }

    #[test]
    fn sections() {
        let input = "\n\u{1b}[0;32m[nginx]:\u{1b}[0m\nnginx_enable: NO -> YES\n\n[db]:\nok\n";
        let sections = parse_jail_sections(input).unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].jail, "nginx");
        assert_eq!(sections[0].output.trim(), "nginx_enable: NO -> YES");
        assert!(parse_jail_sections("stray\n[a]:\n").is_err());
    }
}
