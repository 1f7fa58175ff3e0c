//! The handles every request needs, bundled once at start-up, and the
//! identity of the request as the server's middleware resolved it.

use crate::access::{Caller, PasswordHasher, SessionPolicy, SessionView, ThrottlePolicy, Visitor};
use crate::db::Db;
use crate::ssh::WardenIdentity;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// How jobs tell each other about progress inside one process: `wake` makes
/// a worker claim at once after an enqueue; `advanced` carries the id of a
/// job whose log or state moved, for live streams. Other processes fall
/// back to polling the database.
#[derive(Clone, Debug)]
pub struct JobSignals {
    pub wake: Arc<Notify>,
    pub advanced: broadcast::Sender<i64>,
    /// How long `Fetch host key` waits for a host.
    pub connect_timeout: Duration,
}

impl Default for JobSignals {
    fn default() -> Self {
        JobSignals {
            wake: Arc::new(Notify::new()),
            advanced: broadcast::channel(1024).0,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// Cheap to clone; shared by the HTTP handlers and the UI's server functions.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: Db,
    pub hasher: PasswordHasher,
    pub throttle: ThrottlePolicy,
    pub sessions: SessionPolicy,
    /// Warden's SSH key pair (the private half only for the SSH layer).
    pub identity: WardenIdentity,
    pub jobs: JobSignals,
}

impl Services {
    pub fn new(db: Db, sessions: SessionPolicy, identity: WardenIdentity) -> Self {
        // Two hashes at a time: 2 × 19 MiB, whatever the number of concurrent logins.
        Services {
            db,
            hasher: PasswordHasher::new(2),
            throttle: ThrottlePolicy::default(),
            sessions,
            identity,
            jobs: JobSignals::default(),
        }
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
