//! The master key: 32 random bytes in a file outside the database
//! (`WARDEN_MASTER_KEY_FILE`, by default `<data_dir>/master.key`), created
//! with mode 0600 at first start. Whoever copies the database alone gets no
//! usable private key; a wrong or replaced file stops Warden at start-up.

use base64::Engine;
use std::fmt;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const KEY_LEN: usize = 32;

/// The key itself. `Debug` never prints it.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; KEY_LEN],
    path: PathBuf,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({}, redacted)", self.path.display())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error("cannot read the master key file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot create the master key file {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("the master key file {path} is readable by other users (mode {mode:o}); run: chmod 600 {path}")]
    Permissions { path: PathBuf, mode: u32 },
    #[error("the master key file {path} does not hold a master key (expected 32 bytes in base64 on one line)")]
    Malformed { path: PathBuf },
}

impl MasterKey {
    /// Reads the key at `path`, or creates it (mode 0600) when there is none.
    /// Returns the key and whether it was just created.
    pub fn load_or_create(path: &Path) -> Result<(MasterKey, bool), MasterKeyError> {
        match std::fs::metadata(path) {
            Ok(meta) => {
                let mode = meta.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    return Err(MasterKeyError::Permissions { path: path.into(), mode });
                }
                let text = std::fs::read_to_string(path)
                    .map_err(|source| MasterKeyError::Read { path: path.into(), source })?;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .ok()
                    .and_then(|b| <[u8; KEY_LEN]>::try_from(b).ok())
                    .ok_or_else(|| MasterKeyError::Malformed { path: path.into() })?;
                Ok((MasterKey { bytes, path: path.into() }, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Self::create(path)?, true)),
            Err(source) => Err(MasterKeyError::Read { path: path.into(), source }),
        }
    }

    fn create(path: &Path) -> Result<MasterKey, MasterKeyError> {
        let fail = |source| MasterKeyError::Create { path: path.into(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let bytes: [u8; KEY_LEN] = rand::random();
        // create_new: never overwrite a key another process just wrote.
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(fail)?;
        let text = base64::engine::general_purpose::STANDARD.encode(bytes);
        file.write_all(format!("{text}\n").as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        Ok(MasterKey { bytes, path: path.into() })
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("warden-mk-{}-{:x}-{name}", std::process::id(), rand::random::<u64>()))
    }

    #[test]
    fn created_once_with_mode_600_then_read_back() {
        let path = temp("a/master.key");
        let (first, created) = MasterKey::load_or_create(&path).unwrap();
        assert!(created);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let (again, created) = MasterKey::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(first.bytes(), again.bytes());
        assert!(!format!("{first:?}").contains(&base64::engine::general_purpose::STANDARD.encode(first.bytes())));
    }

    #[test]
    fn loose_permissions_and_garbage_are_refused() {
        let path = temp("loose.key");
        MasterKey::load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(MasterKey::load_or_create(&path), Err(MasterKeyError::Permissions { mode: 0o644, .. })));
        let bad = temp("bad.key");
        std::fs::write(&bad, "not a key\n").unwrap();
        std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = MasterKey::load_or_create(&bad).unwrap_err();
        assert!(e.to_string().contains("does not hold a master key"), "{e}");
    }
}
