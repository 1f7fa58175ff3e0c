//! jail.conf(5) files: `/etc/jail.conf`, `/etc/jail.conf.d/NAME.conf`
//! (SPEC 1.2, example in SPEC 2.1).
//!
//! Grammar handled:
//! * `name = value;`, `name += value;`, `name;` / `noname;` (booleans);
//! * lists: `a, b, c`; strings bare, `"double"` (C escapes) or `'single'`
//!   (literal); `$var` / `${var}` are **not** expanded (kept as written);
//! * blocks `NAME { ... }` (and the `*` wildcard), parameters outside blocks
//!   are globals; `.include "glob";` is recorded, not followed;
//! * comments `# ...`, `// ...`, `/* ... */`.
//!
//! Values are kept verbatim: they are untrusted and validated elsewhere.

use serde::{Deserialize, Serialize};

mod lexer;

use lexer::{tokenize, Token};

use crate::error::ParseError;

const FORMAT: &str = "jail.conf";

/// One parameter statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JailConfParam {
    pub name: String,
    /// `+=` (append to a list) instead of `=`.
    pub append: bool,
    /// Values; empty for a boolean statement (`persist;`).
    pub values: Vec<String>,
    /// Line of the parameter name (1-based).
    pub line: usize,
}

/// A `NAME { ... }` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JailConfBlock {
    /// Jail name as written (`*` for the wildcard block).
    pub name: String,
    pub params: Vec<JailConfParam>,
    pub line: usize,
}

/// A parsed jail.conf file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JailConf {
    /// Parameters outside any block (apply to every jail).
    pub globals: Vec<JailConfParam>,
    pub jails: Vec<JailConfBlock>,
    /// Arguments of `.include` statements, in order (not resolved).
    pub includes: Vec<String>,
}

/// Parses the text of one jail.conf file.
pub fn parse_jail_conf(input: &str) -> Result<JailConf, ParseError> {
    let tokens = tokenize(input)?;
    let mut conf = JailConf::default();
    let mut index = 0;
    let mut block: Option<JailConfBlock> = None;
    while let Some((line, token)) = tokens.get(index) {
        index += 1;
        let name = match token {
            Token::Word(name) => name.clone(),
            Token::Close if block.is_some() => {
                if let Some(done) = block.take() {
                    conf.jails.push(done);
                }
                continue;
            }
            Token::Semicolon => continue,
            _ => return Err(ParseError::line(FORMAT, *line, "a parameter or jail name", &describe(token))),
        };
        let next = tokens.get(index).map(|(_, t)| t);
        if name == ".include" {
            let file = match next {
                Some(Token::Word(file)) => file.clone(),
                _ => return Err(ParseError::line(FORMAT, *line, "a file name after .include", "")),
            };
            conf.includes.push(file);
            index += 1;
            continue;
        }
        match next {
            Some(Token::Open) => {
                if block.is_some() {
                    return Err(ParseError::line(FORMAT, *line, "`}` before another jail block", &name));
                }
                block = Some(JailConfBlock { name, params: Vec::new(), line: *line });
                index += 1;
            }
            _ => {
                let (param, next_index) = parse_param(&tokens, index, name, *line)?;
                index = next_index;
                match block.as_mut() {
                    Some(b) => b.params.push(param),
                    None => conf.globals.push(param),
                }
            }
        }
    }
    if let Some(open) = block {
        return Err(ParseError::line(FORMAT, open.line, "a closing `}` for this block", &open.name));
    }
    Ok(conf)
}

/// Parses what follows a parameter name: `;`, `= values;` or `+= values;`.
/// A `}` may end the last statement of a block without `;`.
fn parse_param(
    tokens: &[(usize, Token)],
    mut index: usize,
    name: String,
    line: usize,
) -> Result<(JailConfParam, usize), ParseError> {
    let append = match tokens.get(index).map(|(_, t)| t) {
        Some(Token::Semicolon) => {
            return Ok((JailConfParam { name, append: false, values: Vec::new(), line }, index + 1))
        }
        Some(Token::Close) | None => {
            return Ok((JailConfParam { name, append: false, values: Vec::new(), line }, index))
        }
        Some(Token::Assign) => false,
        Some(Token::Append) => true,
        Some(other) => {
            return Err(ParseError::line(FORMAT, line, "`=`, `+=` or `;` after a parameter name", &describe(other)))
        }
    };
    index += 1;
    let mut values = Vec::new();
    loop {
        match tokens.get(index) {
            Some((_, Token::Word(value))) => values.push(value.clone()),
            Some((_, Token::Semicolon)) => return Ok((JailConfParam { name, append, values, line }, index + 1)),
            Some((_, Token::Close)) | None => return Ok((JailConfParam { name, append, values, line }, index)),
            Some((at, other)) => return Err(ParseError::line(FORMAT, *at, "a value or `;`", &describe(other))),
        }
        index += 1;
        match tokens.get(index) {
            Some((_, Token::Comma)) => index += 1,
            Some((_, Token::Semicolon)) => return Ok((JailConfParam { name, append, values, line }, index + 1)),
            Some((_, Token::Close)) | None => return Ok((JailConfParam { name, append, values, line }, index)),
            Some((at, other)) => {
                return Err(ParseError::line(FORMAT, *at, "`,` or `;` after a value", &describe(other)))
            }
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(w) => w.clone(),
        Token::Assign => "=".into(),
        Token::Append => "+=".into(),
        Token::Semicolon => ";".into(),
        Token::Comma => ",".into(),
        Token::Open => "{".into(),
        Token::Close => "}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
# global defaults
exec.clean;
mount.devfs;
.include "/etc/jail.conf.d/*.conf";

web {
    host.hostname = "web.example.org";   // trailing comment
    path = /usr/local/jails/web;
    ip4.addr = "em0|192.0.2.10/24", "em0|192.0.2.11/24";
    ip6.addr += 'em0|2001:db8::10/64';
    /* multi
       line */
    exec.start = "/bin/sh /etc/rc";
    persist;
    nomount.procfs;
    devfs_ruleset = 4;
    exec.poststart = "echo ${name} \"done\"";
}
"#;

    #[test]
    fn parses_the_spec_example() {
        let conf = parse_jail_conf(EXAMPLE).unwrap();
        assert_eq!(conf.globals.len(), 2);
        assert_eq!(conf.includes, vec!["/etc/jail.conf.d/*.conf"]);
        let web = &conf.jails[0];
        assert_eq!(web.name, "web");
        let get = |n: &str| web.params.iter().find(|p| p.name == n).unwrap();
        assert_eq!(get("host.hostname").values, vec!["web.example.org"]);
        assert_eq!(get("path").values, vec!["/usr/local/jails/web"]);
        assert_eq!(get("ip4.addr").values.len(), 2);
        assert!(get("ip6.addr").append);
        assert!(get("persist").values.is_empty());
        assert_eq!(get("exec.start").values, vec!["/bin/sh /etc/rc"]);
        assert_eq!(get("exec.poststart").values, vec!["echo ${name} \"done\""]);
        assert_eq!(get("devfs_ruleset").line, 17);
    }

    #[test]
    fn several_blocks_and_wildcard() {
        let conf = parse_jail_conf("* { persist; }\na { path = /a; }\nb { path = /b }\n").unwrap();
        let names: Vec<_> = conf.jails.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, vec!["*", "a", "b"]);
    }

    #[test]
    fn errors_have_lines() {
        let err = parse_jail_conf("a {\n path = \"open\n").unwrap_err();
        assert!(matches!(err, ParseError::UnexpectedLine { line: 2, .. }), "{err:?}");
        assert!(matches!(parse_jail_conf("a {\n persist;\n").unwrap_err(), ParseError::UnexpectedLine { line: 1, .. }));
        assert!(parse_jail_conf("a { b { } }").is_err());
        assert!(parse_jail_conf("a = = b;").is_err());
        assert!(parse_jail_conf("/* never closed").is_err());
        assert!(parse_jail_conf("}").is_err());
    }

    #[test]
    fn hostile_values_are_kept_verbatim() {
        let conf = parse_jail_conf("x { exec.start = \"$(reboot); <b>\"; }").unwrap();
        assert_eq!(conf.jails[0].params[0].values, vec!["$(reboot); <b>"]);
        assert!(parse_jail_conf("").unwrap().jails.is_empty());
    }
}
