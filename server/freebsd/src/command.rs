//! The typed command: the only way to describe what runs on a host. The
//! builders in [`crate::actions`] make them from typed intents; the SSH layer
//! runs them.
//!
//! A command is a fixed program name plus arguments. Arguments are separate
//! strings that the SSH layer single-quotes one by one (`openssh`'s
//! `command().arg()`), so nothing in them is ever read by the remote shell as
//! syntax. Programs are `&'static str`: no input ever chooses what runs.

use std::fmt;

/// One command for a host: `program arg…`, optionally with text on its
/// standard input (how a file's content reaches `tee`: never through argv,
/// never through a shell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    program: &'static str,
    args: Vec<String>,
    input: Option<String>,
}

impl CommandSpec {
    pub fn new(program: &'static str) -> Self {
        debug_assert!(program.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)));
        CommandSpec { program, args: Vec::new(), input: None }
    }

    /// Adds one argument. Pass validated names (`JailName`, …) or constants;
    /// the value reaches the host as one word whatever it contains.
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Text for the command's standard input (otherwise it reads nothing).
    pub fn input(mut self, text: impl Into<String>) -> Self {
        self.input = Some(text.into());
        self
    }

    pub fn stdin(&self) -> Option<&str> {
        self.input.as_deref()
    }

    pub fn program(&self) -> &'static str {
        self.program
    }

    pub fn arguments(&self) -> &[String] {
        &self.args
    }
}

/// The command as a shell would need it typed: for the job log and the
/// audit record ("the exact commands per host").
impl fmt::Display for CommandSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.program)?;
        for a in &self.args {
            write!(f, " {}", shell_quote(a))?;
        }
        // Input shown as the here-document an admin would type.
        if let Some(text) = &self.input {
            write!(f, " <<'EOF'\n{text}")?;
            if !text.ends_with('\n') {
                f.write_str("\n")?;
            }
            f.write_str("EOF")?;
        }
        Ok(())
    }
}

/// POSIX single quoting, only where needed (`'` becomes `'\''`).
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_what_a_shell_would_read() {
        let c = CommandSpec::new("sysctl").arg("hw.ncpu").arg("a b").arg("it's").arg("$(reboot)").arg("");
        assert_eq!(c.to_string(), r#"sysctl hw.ncpu 'a b' 'it'\''s' '$(reboot)' ''"#);
        assert_eq!(c.arguments().len(), 5);
        let tee = CommandSpec::new("tee").arg("/etc/jail.conf.d/a.conf").input("a {\n}\n");
        assert_eq!(tee.to_string(), "tee /etc/jail.conf.d/a.conf <<'EOF'\na {\n}\nEOF");
        assert_eq!(tee.stdin(), Some("a {\n}\n"));
    }
}
