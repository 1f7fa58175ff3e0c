//! Tokenizer for jail.conf(5): words (bare or quoted), `=`, `+=`, `;`, `,`,
//! `{`, `}`, with comments removed and line numbers kept for errors.

use crate::error::ParseError;

use super::FORMAT;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Word(String),
    Assign,
    Append,
    Semicolon,
    Comma,
    Open,
    Close,
}

pub(super) fn tokenize(input: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    let mut line = 1;
    while let Some(&c) = chars.get(index) {
        let next = chars.get(index + 1).copied();
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '#' => index = skip_to_newline(&chars, index),
            '/' if next == Some('/') => index = skip_to_newline(&chars, index),
            '/' if next == Some('*') => {
                let start_line = line;
                index += 2;
                loop {
                    match (chars.get(index), chars.get(index + 1)) {
                        (Some('*'), Some('/')) => {
                            index += 1;
                            break;
                        }
                        (Some('\n'), _) => line += 1,
                        (None, _) => {
                            return Err(ParseError::line(FORMAT, start_line, "`*/` closing the comment", "/*"))
                        }
                        _ => {}
                    }
                    index += 1;
                }
            }
            '=' => tokens.push((line, Token::Assign)),
            '+' if next == Some('=') => {
                tokens.push((line, Token::Append));
                index += 1;
            }
            ';' => tokens.push((line, Token::Semicolon)),
            ',' => tokens.push((line, Token::Comma)),
            '{' => tokens.push((line, Token::Open)),
            '}' => tokens.push((line, Token::Close)),
            '"' | '\'' => {
                let start_line = line;
                let mut value = String::new();
                index += 1;
                loop {
                    match chars.get(index) {
                        None => return Err(ParseError::line(FORMAT, start_line, "a closing quote", &value)),
                        Some(&q) if q == c => break,
                        Some('\\') if c == '"' => {
                            index += 1;
                            match chars.get(index) {
                                Some('n') => value.push('\n'),
                                Some('t') => value.push('\t'),
                                Some('\n') => line += 1,
                                Some(&other) => value.push(other),
                                None => {}
                            }
                        }
                        Some(&other) => {
                            if other == '\n' {
                                line += 1;
                            }
                            value.push(other);
                        }
                    }
                    index += 1;
                }
                tokens.push((start_line, Token::Word(value)));
            }
            _ => {
                let mut word = String::new();
                while let Some(&w) = chars.get(index) {
                    let ends = w.is_whitespace()
                        || matches!(w, ';' | ',' | '{' | '}' | '=' | '"' | '\'' | '#')
                        || (w == '+' && chars.get(index + 1) == Some(&'='));
                    if ends {
                        break;
                    }
                    word.push(w);
                    index += 1;
                }
                tokens.push((line, Token::Word(word)));
                continue;
            }
        }
        index += 1;
    }
    Ok(tokens)
}

/// Index of the `\n` ending the current line (or the end of input).
fn skip_to_newline(chars: &[char], mut index: usize) -> usize {
    while chars.get(index).is_some_and(|c| *c != '\n') {
        index += 1;
    }
    // Leave the newline to be counted by the main loop.
    index.saturating_sub(1)
}
