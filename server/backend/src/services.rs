//! The handles every request needs, bundled once at start-up, and the
//! identity of the request as the server's middleware resolved it.

use crate::access::{Caller, PasswordHasher, SessionPolicy, SessionView, ThrottlePolicy, Visitor};
use crate::db::Db;
use crate::ssh::WardenIdentity;

/// Cheap to clone; shared by the HTTP handlers and the UI's server functions.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: Db,
    pub hasher: PasswordHasher,
    pub throttle: ThrottlePolicy,
    pub sessions: SessionPolicy,
    /// Warden's SSH key pair (the private half only for the SSH layer).
    pub identity: WardenIdentity,
}

impl Services {
    pub fn new(db: Db, sessions: SessionPolicy, identity: WardenIdentity) -> Self {
        // Two hashes at a time: 2 × 19 MiB, whatever the number of concurrent logins.
        Services { db, hasher: PasswordHasher::new(2), throttle: ThrottlePolicy::default(), sessions, identity }
    }
}

/// Who sent this request: the signed-in session (if any) and where from.
/// The server's middleware puts one into every request's extensions.
#[derive(Clone, Debug)]
pub struct RequestIdentity {
    pub session: Option<SessionView>,
    pub ip: String,
    pub user_agent: String,
}

impl RequestIdentity {
    /// The signed-in caller, for use-cases that need one.
    pub fn caller(&self) -> Option<Caller> {
        self.session.as_ref().map(|s| Caller { actor: s.actor.clone(), ip: self.ip.clone() })
    }

    pub fn visitor(&self) -> Visitor {
        Visitor { ip: self.ip.clone(), user_agent: self.user_agent.clone() }
    }
}
