//! Accounts, passwords, sign-in sessions, first-start setup and the one
//! authorization check every use-case starts with.

mod authorize;
mod common_passwords;
mod grants;
mod hash_pool;
mod login;
mod passwords;
mod setup;
mod throttle;
mod users;

pub use authorize::{authorize, Caller, Visitor};
pub use grants::{grant_group_role, list_grants, load_caller, revoke_group_role, GROUP_ROLES};
pub use login::{login, logout, resolve_session, LoginOk, SessionPolicy, SessionView};
pub use passwords::{validate_new_password, PasswordHasher};
pub use setup::{create_first_admin, ensure_setup_token, setup_token_is_valid, user_count};
pub use throttle::ThrottlePolicy;
pub use users::{
    add_user_from_cli, change_own_password, change_role, create_user, end_session, get_user, list_sessions, list_users,
    reset_password, set_disabled,
};

/// SHA-256 in hex, for tokens whose clear value must never be stored.
pub(crate) fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A random token of `bytes` bytes, hex encoded.
pub(crate) fn random_token(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}
