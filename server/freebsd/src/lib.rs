//! Pure drivers for the FreeBSD command surface Warden uses: parsers from a
//! command's text output to typed results, and builders from typed intents
//! to [`CommandSpec`]s (`actions`). No I/O, no database: every function here
//! is tested against recorded output from real hosts or the syntax of the
//! command-surface spec.
//!
//! Every parser takes the command's stdout as `&str` and returns a typed
//! result or a [`ParseError`] naming the format, the line and what was
//! expected. Names reported by hosts (jail names, hostnames, paths, package
//! names) are untrusted and returned verbatim as `String`s: validate them
//! before using them in a command. The format notes refer to the sections of
//! the command-surface spec (`SPEC.md`, "SPEC x.y" in comments).
#![forbid(unsafe_code)]

pub mod actions;
pub mod addr;
pub mod bastille;
pub mod command;
pub mod discover;
pub mod error;
pub mod ezjail;
pub mod facts;
pub mod inspect;
pub mod iocage;
pub mod jail_conf;
pub mod jail_exhibit;
pub mod jls;
pub mod pkg;
pub mod service;
pub mod sockstat;
pub mod sysrc;
mod text;
pub mod zfs;

pub use command::CommandSpec;
pub use error::ParseError;
pub use text::strip_ansi;
