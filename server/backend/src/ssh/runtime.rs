//! The SSH layer's private working directory: Warden's private key as a 0600
//! file (ssh reads it from there, never from argv or the environment), one
//! known_hosts file per host holding only its pinned key, and the control
//! sockets of the multiplexed sessions.
//!
//! The directory is made 0700 under the system's temp dir with a short,
//! random name (a control socket's path must stay under ~104 bytes) and is
//! removed when the runtime is dropped.

use super::host_keys::HostKey;
use crate::ssh::WardenIdentity;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct SshRuntime {
    dir: PathBuf,
}

impl SshRuntime {
    /// Makes the directory and writes the private key into it. Directories
    /// left by Warden processes that died without cleaning up (`kill -9`,
    /// power loss) are removed first: they hold a copy of the private key.
    pub fn create(identity: &WardenIdentity) -> io::Result<SshRuntime> {
        remove_orphans(&std::env::temp_dir());
        let dir = std::env::temp_dir().join(format!("{PREFIX}{}-{:08x}", std::process::id(), rand::random::<u32>()));
        fs::DirBuilder::new().mode(0o700).create(&dir)?;
        let runtime = SshRuntime { dir };
        write_private(&runtime.key_file(), identity.private_key_openssh().as_bytes())?;
        write_private(&runtime.config_file(), SSH_CONFIG.as_bytes())?;
        Ok(runtime)
    }

    /// Warden's own ssh_config (the system's and the user's are never read).
    pub fn config_file(&self) -> PathBuf {
        self.dir.join("ssh_config")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn key_file(&self) -> PathBuf {
        self.dir.join("id_ed25519")
    }

    /// Writes the known_hosts file of one host: its pinned key only.
    pub fn known_hosts_for(&self, host_id: i64, key: &HostKey, address: &str, port: u16) -> io::Result<PathBuf> {
        let path = self.dir.join(format!("known_hosts.{host_id}"));
        let tmp = self.dir.join(format!("known_hosts.{host_id}.tmp"));
        write_private(&tmp, key.known_hosts_line(address, port).as_bytes())?;
        fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

impl Drop for SshRuntime {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

const PREFIX: &str = "warden-ssh-";

/// Client options for every connection: never prompt (a password or
/// passphrase question would hang a job), only Warden's key, nothing
/// forwarded, host keys only from the pinned file (never learnt or updated).
const SSH_CONFIG: &str = "\
Host *
    BatchMode yes
    IdentitiesOnly yes
    PasswordAuthentication no
    KbdInteractiveAuthentication no
    ForwardAgent no
    ForwardX11 no
    ClearAllForwardings yes
    UpdateHostKeys no
    CheckHostIP no
    HashKnownHosts no
    ServerAliveCountMax 3
    LogLevel ERROR
";

/// Removes `warden-ssh-PID-…` directories whose process is gone. Only where
/// `/proc` tells which processes live (Linux); elsewhere they stay.
fn remove_orphans(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(tmp) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Creates (or replaces) a file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let _ = fs::remove_file(path);
    let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
