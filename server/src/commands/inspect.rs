//! `warden inspect parse --format FORMAT [FILE]`: runs one of Warden's
//! parsers on what a host printed and shows what Warden understood, as JSON.
//! For support: "paste what your host printed". Needs no database.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use warden_freebsd::inspect::{parse_to_json, Format};

/// Reads `file` (or standard input), parses it as `format` and prints the
/// result; a parse error is the error message, naming the line.
pub fn parse(format: &str, file: Option<&Path>) -> Result<ExitCode, String> {
    let format: Format = format.parse().map_err(|_| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format '{format}'; use one of: {}", names.join(", "))
    })?;
    let mut input = String::new();
    match file {
        Some(path) => {
            input = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        }
        None => {
            std::io::stdin().read_to_string(&mut input).map_err(|e| format!("cannot read standard input: {e}"))?;
        }
    }
    let value = parse_to_json(format, &input).map_err(|e| format!("{} output not understood: {e}", format.name()))?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| format!("cannot print the result: {e}"))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}
