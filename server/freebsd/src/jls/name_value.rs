//! `jls -n` / `jls -nq` / `jls -s` name=value output (SPEC 1.1 "Name/value").
//!
//! Rules from `jls.c` (`quoted_print`):
//! * booleans print as `name` / `noname` (for dotted names the `no` goes
//!   after the last dot: `allow.nochflags`);
//! * an empty value prints as `""` even without `-q`;
//! * with `-q` a value containing a space or quote is wrapped in `"` (or in
//!   `'` when it contains `"`); there is no escaping inside;
//! * without `-q` such values are printed bare, so `exec.start=/bin/sh /etc/rc`
//!   is ambiguous: a following word is taken as part of the value unless it
//!   looks like a parameter name (letters, digits, `_`, `.`). Run `jls -nq`
//!   when you control the command;
//! * one jail per line **unless a value contains a newline**: a line starts a
//!   new jail only when its first parameter is the one every jail starts with
//!   (jls prints parameters in a fixed order); otherwise it continues the
//!   previous value.

use serde::{Deserialize, Serialize};

use crate::error::ParseError;

const FORMAT: &str = "jls-n";

/// Parameters whose values are comma-separated lists (JSON prints arrays).
const LIST_PARAMS: &[&str] = &["ip4.addr", "ip6.addr"];

/// A parameter value as `jls -n` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum JlsValue {
    /// `name` (true) or `noname` (false).
    Bool(bool),
    /// Any other value, unquoted, exactly as printed.
    Text(String),
    /// `ip4.addr` / `ip6.addr`, split on commas.
    List(Vec<String>),
}

/// One `name=value` (or boolean) token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JlsParam {
    pub name: String,
    pub value: JlsValue,
}

/// All parameters printed for one jail, in printed order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JlsParams {
    pub params: Vec<JlsParam>,
}

impl JlsParams {
    /// The value of the first parameter called `name`.
    pub fn get(&self, name: &str) -> Option<&JlsValue> {
        self.params.iter().find(|p| p.name == name).map(|p| &p.value)
    }
}

/// What precedes a word: start of input, a space, or a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    Start,
    Space,
    Newline,
}

#[derive(Debug)]
struct Word {
    gap: Gap,
    line: usize,
    /// Parameter name, when the word is `name=...` with a valid name.
    name: Option<String>,
    /// Text after `=` (unquoted), or the whole word when there is no `=`.
    text: String,
    quoted: bool,
}

/// Parses `jls -n` output into one [`JlsParams`] per jail.
pub fn parse_jls_params(input: &str) -> Result<Vec<JlsParams>, ParseError> {
    let words = split_words(input)?;
    let mut jails: Vec<JlsParams> = Vec::new();
    let mut first_name: Option<String> = None;
    // Whether the last value may still grow (unquoted text).
    let mut open_value = false;
    for word in words {
        let key = word.name.clone().unwrap_or_else(|| bool_name(&word.text).0);
        let starts_jail = match (&first_name, word.gap) {
            (None, _) => true,
            (Some(first), Gap::Newline) => *first == key,
            _ => false,
        };
        if starts_jail && word.gap != Gap::Space {
            if first_name.is_none() {
                first_name = Some(key.clone());
            }
            jails.push(JlsParams::default());
            open_value = false;
        }
        let Some(jail) = jails.last_mut() else {
            return Err(ParseError::line(FORMAT, word.line, "a parameter", &word.text));
        };
        if let Some(name) = word.name {
            open_value = !word.quoted;
            // Without -q an empty address list prints as `ip4.addr=` (jls.c special_print).
            let value = if LIST_PARAMS.contains(&name.as_str()) {
                JlsValue::List(word.text.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect())
            } else {
                JlsValue::Text(word.text)
            };
            jail.params.push(JlsParam { name, value });
            continue;
        }
        // A bare word: a boolean, or the continuation of an unquoted value.
        let continues = open_value && (word.gap == Gap::Newline || !is_param_name(&word.text));
        if continues {
            if let Some(JlsParam { value: JlsValue::Text(text), .. }) = jail.params.last_mut() {
                text.push(if word.gap == Gap::Newline { '\n' } else { ' ' });
                text.push_str(&word.text);
                continue;
            }
        }
        if !is_param_name(&word.text) {
            return Err(ParseError::line(FORMAT, word.line, "name=value or a boolean parameter", &word.text));
        }
        let (name, truth) = bool_name(&word.text);
        open_value = false;
        jail.params.push(JlsParam { name, value: JlsValue::Bool(truth) });
    }
    Ok(jails)
}

/// `noname` → (`name`, false); `allow.nochflags` → (`allow.chflags`, false).
fn bool_name(word: &str) -> (String, bool) {
    let (prefix, last) = match word.rsplit_once('.') {
        Some((prefix, last)) => (Some(prefix), last),
        None => (None, word),
    };
    match last.strip_prefix("no") {
        Some(rest) if !rest.is_empty() => match prefix {
            Some(prefix) => (format!("{prefix}.{rest}"), false),
            None => (rest.to_string(), false),
        },
        _ => (word.to_string(), true),
    }
}

/// Jail parameter names: letters, digits, `_` and `.`, not starting with `.`.
fn is_param_name(word: &str) -> bool {
    !word.is_empty()
        && !word.starts_with('.')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Splits the input into words, honouring quotes that open right after `=`
/// (a quoted value may span lines).
fn split_words(input: &str) -> Result<Vec<Word>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut words = Vec::new();
    let mut index = 0;
    let mut line = 1;
    let mut gap = Gap::Start;
    while let Some(&c) = chars.get(index) {
        if c == '\n' {
            line += 1;
            gap = Gap::Newline;
            index += 1;
            continue;
        }
        if c.is_whitespace() {
            if gap != Gap::Newline {
                gap = if gap == Gap::Start && words.is_empty() { Gap::Start } else { Gap::Space };
            }
            index += 1;
            continue;
        }
        let start_line = line;
        let start = index;
        while chars.get(index).is_some_and(|c| !c.is_whitespace() && *c != '=') {
            index += 1;
        }
        let head: String = chars.get(start..index).unwrap_or(&[]).iter().collect();
        if chars.get(index) == Some(&'=') && is_param_name(&head) {
            index += 1;
            let (text, quoted, consumed_lines) = read_value(&chars, &mut index);
            line += consumed_lines;
            words.push(Word { gap, line: start_line, name: Some(head), text, quoted });
        } else {
            while chars.get(index).is_some_and(|c| !c.is_whitespace()) {
                index += 1;
            }
            let text: String = chars.get(start..index).unwrap_or(&[]).iter().collect();
            words.push(Word { gap, line: start_line, name: None, text, quoted: false });
        }
        gap = Gap::Space;
    }
    Ok(words)
}

/// Reads a value starting at `index` (just after `=`). Returns the text,
/// whether it was quoted, and how many newlines it contained.
fn read_value(chars: &[char], index: &mut usize) -> (String, bool, usize) {
    let quote = match chars.get(*index) {
        Some(&q @ ('"' | '\'')) => q,
        _ => {
            let start = *index;
            while chars.get(*index).is_some_and(|c| !c.is_whitespace()) {
                *index += 1;
            }
            let text: String = chars.get(start..*index).unwrap_or(&[]).iter().collect();
            return (text, false, 0);
        }
    };
    *index += 1;
    let start = *index;
    // The closing quote is the next one followed by whitespace or the end.
    loop {
        match chars.get(*index) {
            None => break,
            Some(&c) if c == quote => {
                let next = chars.get(*index + 1);
                if next.is_none_or(|n| n.is_whitespace()) {
                    break;
                }
            }
            Some(_) => {}
        }
        *index += 1;
    }
    let text: String = chars.get(start..*index).unwrap_or(&[]).iter().collect();
    // Skip the closing quote, if any.
    if chars.get(*index).is_some() {
        *index += 1;
    }
    let newlines = text.matches('\n').count();
    (text, true, newlines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: &str) -> JlsValue {
        JlsValue::Text(v.to_string())
    }

    #[test]
    fn booleans_empty_strings_and_lists() {
        let jails =
            parse_jls_params("devfs_ruleset=5 nodying env=\"\" persist allow.nochflags ip4.addr=10.0.0.1,10.0.0.2\n")
                .unwrap();
        assert_eq!(jails.len(), 1);
        let j = &jails[0];
        assert_eq!(j.get("devfs_ruleset"), Some(&text("5")));
        assert_eq!(j.get("dying"), Some(&JlsValue::Bool(false)));
        assert_eq!(j.get("env"), Some(&text("")));
        assert_eq!(j.get("persist"), Some(&JlsValue::Bool(true)));
        assert_eq!(j.get("allow.chflags"), Some(&JlsValue::Bool(false)));
        assert_eq!(j.get("ip4.addr"), Some(&JlsValue::List(vec!["10.0.0.1".into(), "10.0.0.2".into()])));
    }

    #[test]
    fn empty_address_list() {
        let jails = parse_jls_params("jid=1 ip4.addr= ip6.addr=\"\"\n").unwrap();
        assert_eq!(jails[0].get("ip4.addr"), Some(&JlsValue::List(Vec::new())));
        assert_eq!(jails[0].get("ip6.addr"), Some(&JlsValue::List(Vec::new())));
    }

    #[test]
    fn one_jail_per_line() {
        let jails = parse_jls_params("jid=1 name=a\njid=2 name=b\n").unwrap();
        assert_eq!(jails.len(), 2);
        assert_eq!(jails[1].get("name"), Some(&text("b")));
    }

    #[test]
    fn quoted_values_with_spaces_and_quotes() {
        let jails = parse_jls_params("jid=1 exec.start=\"/bin/sh /etc/rc\" meta='say \"hi\"' name=x\n").unwrap();
        let j = &jails[0];
        assert_eq!(j.get("exec.start"), Some(&text("/bin/sh /etc/rc")));
        assert_eq!(j.get("meta"), Some(&text("say \"hi\"")));
        assert_eq!(j.get("name"), Some(&text("x")));
    }

    #[test]
    fn quoted_value_with_newline_stays_in_one_jail() {
        let jails = parse_jls_params("jid=1 env=\"A=1\nB=2\" name=a\njid=2 env=\"\" name=b\n").unwrap();
        assert_eq!(jails.len(), 2);
        assert_eq!(jails[0].get("env"), Some(&text("A=1\nB=2")));
        assert_eq!(jails[0].get("name"), Some(&text("a")));
    }

    #[test]
    fn unquoted_value_with_newline_continues_the_value() {
        let jails = parse_jls_params("jid=1 meta=first\nsecond name=a\njid=2 meta=x name=b\n").unwrap();
        assert_eq!(jails.len(), 2);
        assert_eq!(jails[0].get("meta"), Some(&text("first\nsecond")));
        assert_eq!(jails[0].get("name"), Some(&text("a")));
    }

    #[test]
    fn unquoted_value_with_spaces_without_q() {
        let jails = parse_jls_params("jid=1 exec.start=/bin/sh /etc/rc persist\n").unwrap();
        assert_eq!(jails[0].get("exec.start"), Some(&text("/bin/sh /etc/rc")));
        assert_eq!(jails[0].get("persist"), Some(&JlsValue::Bool(true)));
    }

    #[test]
    fn hostile_values_are_kept() {
        let jails = parse_jls_params("name=\"a; rm -rf /\" host.hostname=$(reboot) path=<script>\n").unwrap();
        let j = &jails[0];
        assert_eq!(j.get("name"), Some(&text("a; rm -rf /")));
        assert_eq!(j.get("host.hostname"), Some(&text("$(reboot)")));
        assert_eq!(j.get("path"), Some(&text("<script>")));
    }

    #[test]
    fn empty_output_and_garbage() {
        assert!(parse_jls_params("").unwrap().is_empty());
        assert!(parse_jls_params(" \n\n").unwrap().is_empty());
        let err = parse_jls_params("$(x) jid=1\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 1, .. }), "{err:?}");
    }

    #[test]
    fn unterminated_quote_takes_rest() {
        let jails = parse_jls_params("name=\"open value").unwrap();
        assert_eq!(jails[0].get("name"), Some(&text("open value")));
    }
}
