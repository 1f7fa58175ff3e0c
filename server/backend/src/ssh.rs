//! Everything Warden needs to talk to hosts over SSH. So far: Warden's own
//! identity (an ed25519 key pair made at first start, the private half
//! sealed under a master key kept outside the database).

mod identity;
mod master_key;

pub use identity::{load_or_create_identity, WardenIdentity};
pub use master_key::{MasterKey, MasterKeyError};
