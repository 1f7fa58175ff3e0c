//! The one error type every parser returns.
//!
//! Errors carry enough context for an operator to find the offending output:
//! the format name (as accepted by `warden inspect parse --format`), the
//! 1-based line number and what the parser expected there. The offending text
//! is kept short and is shown with `{:?}` so control characters and ANSI
//! escapes from a hostile host cannot mess up a terminal or a log line.

use serde::Serialize;

/// Longest excerpt of offending input kept in an error (in characters).
const MAX_FOUND_CHARS: usize = 120;

/// Why a command's output could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParseError {
    /// A line did not have the shape the format requires.
    #[error("{format}: line {line}: expected {expected}, found {found:?}")]
    UnexpectedLine { format: &'static str, line: usize, expected: &'static str, found: String },
    /// A single field in an otherwise well-formed line was not valid.
    #[error("{format}: line {line}: field `{field}`: expected {expected}, found {found:?}")]
    InvalidField { format: &'static str, line: usize, field: &'static str, expected: &'static str, found: String },
    /// The output ended before something required appeared (e.g. no header,
    /// or `freebsd-version -ku` printing a single line).
    #[error("{format}: unexpected end of output: expected {expected}")]
    UnexpectedEnd { format: &'static str, expected: &'static str },
    /// JSON output that is not valid JSON or not the documented shape.
    #[error("{format}: invalid JSON: {message}")]
    InvalidJson { format: &'static str, message: String },
    /// `Format::from_str` got a name it does not know.
    #[error("unknown format {name:?}; known formats: {known}")]
    UnknownFormat { name: String, known: String },
}

impl ParseError {
    /// Builds [`ParseError::UnexpectedLine`], shortening the offending text.
    pub fn line(format: &'static str, line: usize, expected: &'static str, found: &str) -> Self {
        ParseError::UnexpectedLine { format, line, expected, found: excerpt(found) }
    }

    /// Builds [`ParseError::InvalidField`], shortening the offending text.
    pub fn field(format: &'static str, line: usize, field: &'static str, expected: &'static str, found: &str) -> Self {
        ParseError::InvalidField { format, line, field, expected, found: excerpt(found) }
    }

    /// Builds [`ParseError::UnexpectedEnd`].
    pub fn end(format: &'static str, expected: &'static str) -> Self {
        ParseError::UnexpectedEnd { format, expected }
    }
}

/// The first [`MAX_FOUND_CHARS`] characters of `text` (never splits a char).
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(MAX_FOUND_CHARS).collect();
    if text.chars().count() > MAX_FOUND_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_shortened_in_errors() {
        let long = "x".repeat(1000);
        let err = ParseError::line("jls", 3, "a jail row", &long);
        let text = err.to_string();
        assert!(text.len() < 300, "{text}");
        assert!(text.contains("line 3"));
    }

    #[test]
    fn control_characters_are_escaped_in_display() {
        let err = ParseError::line("jls", 1, "a jail row", "\u{1b}[31mred\n");
        let text = err.to_string();
        assert!(!text.contains('\u{1b}'));
        assert!(!text.contains('\n'));
    }
}
