//! Warden's SSH identity: one ed25519 key pair per installation, generated
//! at first start (never shipped), its private key sealed with
//! XChaCha20-Poly1305 under the [`MasterKey`] and stored in the database.
//! Hosts trust it through the `authorized_keys` line the host page shows.

use crate::clock::now_ms;
use crate::db::Db;
use crate::error::{BackendError, Result};
use crate::ssh::master_key::MasterKey;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sqlx::Row;
use ssh_key::{Algorithm, LineEnding, PrivateKey};
use std::fmt;
use zeroize::Zeroizing;

/// Binds the sealed key to its purpose and format version.
const AAD: &[u8] = b"warden ssh identity v1";
const NONCE_LEN: usize = 24;

/// The identity as the running server holds it. `Debug` shows only the
/// public half.
#[derive(Clone)]
pub struct WardenIdentity {
    public_key: String,
    fingerprint: String,
    private_openssh: Zeroizing<String>,
}

impl fmt::Debug for WardenIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WardenIdentity").field("public_key", &self.public_key).finish_non_exhaustive()
    }
}

impl WardenIdentity {
    /// `ssh-ed25519 AAAA… warden`.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The line to add to a host's `~/.ssh/authorized_keys`. With `restrict`,
    /// OpenSSH's `restrict` option turns off forwarding, agent and X11 for
    /// this key (Warden needs none of them).
    pub fn authorized_keys_line(&self, restrict: bool) -> String {
        if restrict {
            format!("restrict {}", self.public_key)
        } else {
            self.public_key.clone()
        }
    }

    /// The private key in OpenSSH format, for the SSH layer to write into a
    /// 0600 file of its private runtime directory (never argv, never logs).
    pub fn private_key_openssh(&self) -> &str {
        &self.private_openssh
    }
}

fn seal(master: &MasterKey, plaintext: &[u8]) -> Result<String> {
    let cipher = XChaCha20Poly1305::new(master.bytes().into());
    let nonce: [u8; NONCE_LEN] = rand::random();
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: AAD })
        .map_err(|_| BackendError::Other("sealing the SSH key failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

fn open(master: &MasterKey, sealed: &str) -> Result<Zeroizing<Vec<u8>>> {
    let wrong = || {
        BackendError::Other(format!(
            "the master key in {} does not open Warden's SSH key (wrong or replaced master key file); \
             restore the original file or start with a new database",
            master.path().display()
        ))
    };
    let bytes = base64::engine::general_purpose::STANDARD.decode(sealed).map_err(|_| wrong())?;
    if bytes.len() <= NONCE_LEN {
        return Err(wrong());
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(master.bytes().into());
    let plain =
        cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: AAD }).map_err(|_| wrong())?;
    Ok(Zeroizing::new(plain))
}

/// Loads the identity, or makes it on first start. A master key that does
/// not open the stored key is an error: Warden never runs without it.
pub async fn load_or_create_identity(db: &Db, master: &MasterKey) -> Result<WardenIdentity> {
    let row = sqlx::query("SELECT public_key, fingerprint, private_key_sealed FROM ssh_identity WHERE id = 1")
        .fetch_optional(db.pool())
        .await?;
    if let Some(row) = row {
        let plain = open(master, &row.try_get::<String, _>("private_key_sealed")?)?;
        let private_openssh = Zeroizing::new(
            String::from_utf8(plain.to_vec())
                .map_err(|_| BackendError::Other("the stored SSH key is not text".into()))?,
        );
        return Ok(WardenIdentity {
            public_key: row.try_get("public_key")?,
            fingerprint: row.try_get("fingerprint")?,
            private_openssh,
        });
    }
    let key = PrivateKey::random(&mut rand::rngs::OsRng, Algorithm::Ed25519)
        .map_err(|e| BackendError::Other(format!("generating the SSH key failed: {e}")))?;
    let public = key.public_key();
    let public_key = format!("{} warden", public.to_openssh().map_err(|e| BackendError::Other(e.to_string()))?);
    let fingerprint = public.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    let private_openssh =
        key.to_openssh(LineEnding::LF).map_err(|e| BackendError::Other(format!("encoding the SSH key failed: {e}")))?;
    let sealed = seal(master, private_openssh.as_bytes())?;
    let mut tx = db.begin_write().await?;
    // Another instance may have made one meanwhile: keep the first.
    let inserted = sqlx::query(
        "INSERT INTO ssh_identity (id, public_key, fingerprint, private_key_sealed, created_at) VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&public_key)
    .bind(&fingerprint)
    .bind(&sealed)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        let record = crate::audit::AuditRecord::new(
            crate::audit::Who::system("start"),
            "ssh.identity_created",
            &fingerprint,
            warden_domain::audit::Outcome::Success,
        )
        .details(serde_json::json!({ "public_key": public_key }));
        crate::audit::append(&mut tx, db.kind(), record).await?;
    }
    tx.commit().await?;
    if inserted == 0 {
        return Box::pin(load_or_create_identity(db, master)).await;
    }
    Ok(WardenIdentity { public_key, fingerprint, private_openssh: Zeroizing::new(private_openssh.to_string()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str) -> MasterKey {
        let p =
            std::env::temp_dir().join(format!("warden-id-{}-{:x}-{path}", std::process::id(), rand::random::<u64>()));
        MasterKey::load_or_create(&p).unwrap().0
    }

    #[test]
    fn sealed_keys_open_only_with_their_master_key() {
        let (a, b) = (key("a"), key("b"));
        let sealed = seal(&a, b"secret key text").unwrap();
        assert_eq!(open(&a, &sealed).unwrap().as_slice(), b"secret key text");
        let e = open(&b, &sealed).unwrap_err().to_string();
        assert!(e.contains("does not open Warden's SSH key"), "{e}");
        assert!(!sealed.contains("secret"));
        // a changed byte is detected
        let mut raw = base64::engine::general_purpose::STANDARD.decode(&sealed).unwrap();
        raw[30] ^= 1;
        assert!(open(&a, &base64::engine::general_purpose::STANDARD.encode(raw)).is_err());
    }
}
