//! argon2id hashing on a small pool of dedicated threads: each hash takes
//! 19 MiB, so parallel logins queue rather than exhaust memory. Dedicated
//! threads (not tokio's blocking pool, which grows to hundreds of threads)
//! also keep the allocator from retaining 19 MiB per thread that ever hashed.

use crate::access::common_passwords::is_common;
use crate::access::hash_pool::HashPool;
use crate::error::{BackendError, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use warden_domain::users::password_policy::{MAX_LEN, MIN_LEN};
use warden_domain::AppError;

/// OWASP / ASVS 5.0 floor: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Clone)]
pub struct PasswordHasher {
    pool: Arc<HashPool>,
    /// Verified against when the user does not exist, so timing does not
    /// tell which accounts exist.
    dummy_hash: Arc<String>,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHasher")
    }
}

impl PasswordHasher {
    /// `max_parallel` hashes at once (each holds 19 MiB while it runs).
    pub fn new(max_parallel: usize) -> Self {
        let dummy = hash_blocking("warden dummy password for unknown users").expect("hashing a constant works");
        PasswordHasher { pool: Arc::new(HashPool::new(max_parallel.max(1))), dummy_hash: Arc::new(dummy) }
    }

    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_string();
        self.pool.run(move || hash_blocking(&password)).await?
    }

    /// Verifies against `hash`, or against a dummy hash when there is no user.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool> {
        let password = password.to_string();
        let exists = hash.is_some();
        let hash = hash.map(str::to_string).unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        let ok = self
            .pool
            .run(move || {
                PasswordHash::new(&hash).map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            })
            .await?
            .map_err(|e| BackendError::Hashing(e.to_string()))?;
        Ok(ok && exists)
    }
}

fn hash_blocking(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| BackendError::Hashing(e.to_string()))
}

/// Length 8–128 characters (no truncation, no composition rules), not one of
/// the most common passwords, not the username.
pub fn validate_new_password(field: &str, password: &str, username: &str) -> std::result::Result<(), AppError> {
    let n = password.chars().count();
    let message = if n < MIN_LEN {
        Some(format!("Use at least {MIN_LEN} characters."))
    } else if n > MAX_LEN {
        Some(format!("Use at most {MAX_LEN} characters."))
    } else if is_common(password) {
        Some("This password is one of the most common ones; choose another.".to_string())
    } else if password.eq_ignore_ascii_case(username) {
        Some("The password must not be the username.".to_string())
    } else {
        None
    };
    match message {
        Some(m) => Err(AppError::field(field, m)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert!(validate_new_password("p", "short", "u").is_err());
        assert!(validate_new_password("p", "password123", "u").is_err());
        assert!(validate_new_password("p", "alice-long", "alice-long").is_err());
        assert!(validate_new_password("p", &"x".repeat(129), "u").is_err());
        assert!(validate_new_password("p", "correct horse battery", "u").is_ok());
        assert!(validate_new_password("p", "pässwörd-ünïcode", "u").is_ok());
    }

    #[tokio::test]
    async fn hash_and_verify_round_trip_and_unknown_user_never_verifies() {
        let h = PasswordHasher::new(2);
        let hash = h.hash("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify("correct horse battery", Some(&hash)).await.unwrap());
        assert!(!h.verify("wrong horse battery", Some(&hash)).await.unwrap());
        assert!(!h.verify("warden dummy password for unknown users", None).await.unwrap());
    }
}
