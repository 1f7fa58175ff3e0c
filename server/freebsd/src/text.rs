//! Small text helpers shared by the parsers: line numbering, ANSI stripping,
//! whitespace tokens with their byte offsets.

use std::borrow::Cow;

/// Iterates over `(line_number, line)` with 1-based numbers, dropping a
/// trailing `\r` (output captured through a pty or pasted from Windows).
pub fn numbered_lines(input: &str) -> impl Iterator<Item = (usize, &str)> {
    input.lines().enumerate().map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
}

/// Removes ANSI CSI escape sequences (`ESC [ params final`), which Bastille
/// prints for colours (SPEC 4.2: strip `\x1b\[[0-9;]*m`). Any other byte is
/// kept: a lone ESC stays in the text so it is visible in errors.
pub fn strip_ansi(input: &str) -> Cow<'_, str> {
    if !input.contains('\u{1b}') {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            // Parameter and intermediate bytes, then one final byte.
            for next in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&next) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whitespace-separated tokens with the byte offset where each starts.
pub fn tokens_with_offsets(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (index, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, line.get(s..index).unwrap_or("")));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.get(s..).unwrap_or("")));
    }
    out
}

/// `None` for the placeholders tools print for "no value" (`-`, empty),
/// otherwise the value as an owned string.
pub fn dash_to_none(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || value == "-" {
        None
    } else {
        Some(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_codes_only() {
        assert_eq!(strip_ansi("\u{1b}[0;32m[web]:\u{1b}[0m"), "[web]:");
        assert_eq!(strip_ansi("plain"), "plain");
        assert_eq!(strip_ansi("a\u{1b}b"), "a\u{1b}b");
        assert_eq!(strip_ansi("unterminated \u{1b}[12"), "unterminated ");
    }

    #[test]
    fn tokens_keep_offsets() {
        assert_eq!(tokens_with_offsets("  ab  c "), vec![(2, "ab"), (6, "c")]);
        assert!(tokens_with_offsets("   ").is_empty());
    }

    #[test]
    fn crlf_lines_are_trimmed() {
        let lines: Vec<_> = numbered_lines("a\r\nb\n").collect();
        assert_eq!(lines, vec![(1, "a"), (2, "b")]);
    }
}
