//! Host keys as `ssh-keyscan` reports them: parsing, choosing one, the SHA256
//! fingerprint and the known_hosts line Warden writes for a pinned key.

use base64::Engine;
use sha2::{Digest, Sha256};
use std::time::Duration;
use tokio::process::Command;
use warden_domain::{HostAddress, SshPort};

use super::failure::SshFailure;

/// A public host key: `ssh-ed25519` + base64 blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    pub key_type: String,
    pub key_base64: String,
}

/// Key types in the order Warden prefers to pin them.
const PREFERRED: [&str; 5] =
    ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512"];

impl HostKey {
    /// `SHA256:…` without padding, exactly as `ssh-keygen -lf` prints it.
    pub fn fingerprint(&self) -> String {
        let blob = base64::engine::general_purpose::STANDARD.decode(&self.key_base64).unwrap_or_default();
        let digest = Sha256::digest(&blob);
        format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest))
    }

    /// The known_hosts line for this key at `address:port` (OpenSSH writes
    /// non-22 ports as `[address]:port`).
    pub fn known_hosts_line(&self, address: &str, port: u16) -> String {
        let host = if port == 22 { address.to_string() } else { format!("[{address}]:{port}") };
        format!("{host} {} {}\n", self.key_type, self.key_base64)
    }
}

/// Parses `ssh-keyscan` output (`host type base64` lines, `#` comments) and
/// returns the keys whose blob really is base64 of the named type.
pub fn parse_keyscan(output: &str) -> Vec<HostKey> {
    output
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (_host, key_type, blob) = (words.next()?, words.next()?, words.next()?);
            let raw = base64::engine::general_purpose::STANDARD.decode(blob).ok()?;
            // The blob starts with its own type name (RFC 4253 string).
            let len = u32::from_be_bytes(raw.get(..4)?.try_into().ok()?) as usize;
            let inner_type = std::str::from_utf8(raw.get(4..4 + len)?).ok()?;
            let consistent = inner_type == key_type || (key_type.starts_with("rsa-") && inner_type == "ssh-rsa");
            consistent.then(|| HostKey { key_type: inner_type.to_string(), key_base64: blob.to_string() })
        })
        .collect()
}

/// The key Warden pins among those offered: ed25519, else ECDSA, else RSA.
pub fn preferred(keys: &[HostKey]) -> Option<HostKey> {
    PREFERRED
        .iter()
        .chain(["ssh-rsa"].iter())
        .find_map(|t| keys.iter().find(|k| k.key_type == *t))
        .or_else(|| keys.first())
        .cloned()
}

/// Asks the host for its keys with `ssh-keyscan` (no login happens; nothing
/// is trusted yet). Arguments are separate argv words; the address is a
/// validated [`HostAddress`], so it never starts with `-`.
pub async fn scan(address: &HostAddress, port: SshPort, timeout: Duration) -> Result<HostKey, SshFailure> {
    let secs = timeout.as_secs().max(1).to_string();
    let run = Command::new("ssh-keyscan")
        .args(["-T", &secs, "-p", &port.get().to_string(), "-t", "ed25519,ecdsa,rsa", address.as_str()])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(timeout + Duration::from_secs(2), run)
        .await
        .map_err(|_| SshFailure::Unreachable)?
        .map_err(|e| SshFailure::Other(format!("running ssh-keyscan failed: {e}")))?;
    let keys = parse_keyscan(&String::from_utf8_lossy(&output.stdout));
    match preferred(&keys) {
        Some(key) => Ok(key),
        None => {
            // ssh-keyscan prints nothing useful for a dead port: ask the
            // socket ourselves to tell "refused" from "no answer".
            let probe =
                tokio::time::timeout(timeout, tokio::net::TcpStream::connect((address.as_str(), port.get()))).await;
            Err(match probe {
                Err(_) => SshFailure::Unreachable,
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => SshFailure::Refused,
                Ok(Err(e)) => SshFailure::Other(format!("connecting failed: {e}")),
                Ok(Ok(_)) => SshFailure::Other("the host answered but offered no SSH host key".into()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real ed25519 host key and its `ssh-keygen -lf` fingerprint.
    const ED: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIFCUCj5qT0qYrxlEXy1/CvT5Td1BJQ80Ft5ojxh1T4oI";

    #[test]
    fn keyscan_lines_parse_and_the_fingerprint_matches_ssh_keygen() {
        let out =
            format!("# 10.0.0.1:22 SSH-2.0-OpenSSH_9.2p1\n10.0.0.1 ssh-ed25519 {ED}\n10.0.0.1 ssh-rsa notbase64!\n");
        let keys = parse_keyscan(&out);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].key_type, "ssh-ed25519");
        assert_eq!(keys[0].fingerprint(), "SHA256:8iCGhZYS5HB9ACfo7aOFtTbRH6+360ecZTAhVJQtwa8");
        assert_eq!(keys[0].known_hosts_line("10.0.0.1", 22), format!("10.0.0.1 ssh-ed25519 {ED}\n"));
        assert_eq!(keys[0].known_hosts_line("10.0.0.1", 2222), format!("[10.0.0.1]:2222 ssh-ed25519 {ED}\n"));
    }

    #[test]
    fn a_blob_of_another_type_than_named_is_refused() {
        assert!(parse_keyscan(&format!("h ecdsa-sha2-nistp256 {ED}\n")).is_empty());
    }
}
