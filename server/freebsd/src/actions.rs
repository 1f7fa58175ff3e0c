//! Command builders: typed intents to the exact commands of SPEC §2, through
//! the manager that owns the jail. Every name is a validated type (names
//! reported by a host never reach a builder unvalidated), every command a
//! [`crate::CommandSpec`] whose arguments the SSH layer quotes one by one.

mod check;
mod discovery;
mod inside;
mod jailconf;
mod lifecycle;
mod plan;

pub use check::{Check, CheckRun};
pub use discovery::{facts_commands, jail_jid};
pub use inside::{pkg_install, service_enabled_list, service_list, service_op, Place, ServiceOp};
pub use jailconf::{conf_d_file, Layout, ZfsPool};
pub use lifecycle::{bastille_create, destroy, ezjail_create, jail_op, new_jail_name, JailAddress, JailOp, Release};
pub use plan::{new_services, Intent, Plan, ServiceAction};

/// An intent the jail's manager cannot carry out through Warden.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unsupported(pub String);

/// Shorthand for the tests of the builders: the command as typed.
#[cfg(test)]
pub(crate) fn typed(c: &crate::command::CommandSpec) -> String {
    c.to_string()
}
