//! The `warden` binary's library half: configuration, the router and its
//! middleware, and the command-line subcommands. `main.rs` only dispatches.
#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod router;
pub mod state;
pub mod web;
