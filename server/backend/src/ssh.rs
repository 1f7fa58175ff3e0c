//! Everything Warden needs to talk to hosts over SSH: its own identity (an
//! ed25519 key pair made at first start, the private half sealed under a
//! master key kept outside the database), host-key trust (fetch, approve,
//! pin, block on change), the typed command builder and the executor that
//! runs commands over one multiplexed session per host.

mod executor;
mod failure;
mod host_keys;
mod identity;
mod master_key;
mod runtime;
mod trust;

pub use executor::{CommandOutcome, ExecutorConfig, HostTarget, OutputSender, SshExecutor, StopReason};
pub use failure::SshFailure;
pub use host_keys::{parse_keyscan, preferred, scan, HostKey};
pub use identity::{load_or_create_identity, WardenIdentity};
pub use master_key::{MasterKey, MasterKeyError};
pub use runtime::SshRuntime;
pub use trust::{approve_host_key, fetch_host_key, host_key_status, pinned_key, record_host_key_changed};
pub use warden_freebsd::CommandSpec;
