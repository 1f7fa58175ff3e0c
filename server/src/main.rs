//! `warden`: see `warden --help`.
#![forbid(unsafe_code)]

use clap::Parser;
use std::process::ExitCode;
use warden::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(warden::commands::run(cli))
}
