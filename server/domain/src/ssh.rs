//! What the UI shows about SSH trust.

use serde::{Deserialize, Serialize};

/// Warden's public key, as the host page offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WardenKey {
    /// `ssh-ed25519 AAAA… warden`.
    pub public_key: String,
    /// `SHA256:…`.
    pub fingerprint: String,
    /// The same key with OpenSSH's `restrict` option (no forwarding, agent or X11).
    pub authorized_keys_restricted: String,
}
