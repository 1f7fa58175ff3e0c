//! What the UI shows and sends about the inventory: groups, hosts, jails and
//! services. Plain data; the back end validates every form and authorizes
//! every read.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

mod forms;
mod listing;
pub use forms::{GroupForm, HostForm, JailForm, ServiceForm};
pub use listing::{encode_query_value, ListPage, ListQuery, SortDir};

/// Which tool owns a jail on its host. Actions go through that tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JailManager {
    Ezjail,
    Bastille,
    /// Plain jail.conf / jail.conf.d with rc.d/jail.
    Jailconf,
    /// Read-only: Warden reports iocage jails but does not act on them.
    Iocage,
    /// Started by hand or by a tool Warden does not know.
    Unmanaged,
}

impl JailManager {
    pub const ALL: [JailManager; 5] = [
        JailManager::Ezjail,
        JailManager::Bastille,
        JailManager::Jailconf,
        JailManager::Iocage,
        JailManager::Unmanaged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JailManager::Ezjail => "ezjail",
            JailManager::Bastille => "bastille",
            JailManager::Jailconf => "jailconf",
            JailManager::Iocage => "iocage",
            JailManager::Unmanaged => "unmanaged",
        }
    }

    /// How the UI names it.
    pub fn label(self) -> &'static str {
        match self {
            JailManager::Ezjail => "ezjail",
            JailManager::Bastille => "Bastille",
            JailManager::Jailconf => "jail.conf",
            JailManager::Iocage => "iocage",
            JailManager::Unmanaged => "unmanaged",
        }
    }
}

impl FromStr for JailManager {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JailManager::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| "Choose one of: ezjail, bastille, jailconf, iocage, unmanaged.".to_string())
    }
}

impl fmt::Display for JailManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a jail or a service runs, as last reported (or entered by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    Running,
    Stopped,
    Unknown,
}

impl RunState {
    pub const ALL: [RunState; 3] = [RunState::Running, RunState::Stopped, RunState::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Stopped => "stopped",
            RunState::Unknown => "unknown",
        }
    }
}

impl FromStr for RunState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RunState::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| "Choose one of: running, stopped, unknown.".to_string())
    }
}

impl fmt::Display for RunState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A group by id and name, as lists and details show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub hosts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostSummary {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub ssh_port: i64,
    pub ssh_user: String,
    pub group: Option<GroupRef>,
    pub tags: Vec<String>,
    pub os_release: Option<String>,
    /// Unix milliseconds, UTC; `None` until discovery reaches the host.
    pub last_seen_at: Option<i64>,
    pub jails: i64,
    pub services: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostDetail {
    pub host: HostSummary,
    pub notes: String,
    pub cpus: Option<i64>,
    pub memory_bytes: Option<i64>,
    pub zfs_pools: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub jails: Vec<JailSummary>,
    /// Services on the host itself (not in a jail).
    pub services: Vec<ServiceSummary>,
    /// When a discovery last read the host.
    pub discovered_at: Option<i64>,
    /// What that discovery found different from the inventory.
    pub drift: Vec<crate::jobs::DriftItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JailSummary {
    pub id: i64,
    pub host_id: i64,
    pub host_name: String,
    pub group: Option<GroupRef>,
    pub name: String,
    pub manager: JailManager,
    /// False: observed on the host only; Warden does not act on it until adopted.
    pub managed: bool,
    pub jid: Option<i64>,
    pub ipv4: Vec<String>,
    pub ipv6: Vec<String>,
    pub state: RunState,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JailDetail {
    pub jail: JailSummary,
    pub path: String,
    pub hostname: String,
    pub template: Option<String>,
    pub notes: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub services: Vec<ServiceSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub id: i64,
    pub host_id: i64,
    pub host_name: String,
    pub group: Option<GroupRef>,
    pub jail_id: Option<i64>,
    pub jail_name: Option<String>,
    pub name: String,
    pub enabled: bool,
    pub state: RunState,
    pub ports: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub service: ServiceSummary,
    /// The jail it runs in: whether Warden may act in it (observed, iocage…).
    pub jail: Option<JailSummary>,
    pub notes: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What deleting an object takes with it, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeleteImpact {
    pub jails: i64,
    pub services: i64,
}

/// The dashboard's figures, for what the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Dashboard {
    pub hosts: i64,
    pub jails_by_state: Vec<(RunState, i64)>,
    pub services_by_state: Vec<(RunState, i64)>,
    /// Hosts never seen, or not seen for a day, oldest first (at most 10).
    pub stale_hosts: Vec<HostSummary>,
    pub stale_total: i64,
}

/// Which list a bulk selection comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BulkKind {
    Hosts,
    Jails,
    Services,
}

impl BulkKind {
    /// At most this many objects in one bulk action.
    pub const MAX: usize = 200;

    /// The list's path (`/jails`); its bulk delete lives at `{path}/delete`.
    pub fn path(self) -> &'static str {
        match self {
            BulkKind::Hosts => "/hosts",
            BulkKind::Jails => "/jails",
            BulkKind::Services => "/services",
        }
    }

    /// The plural as the UI says it.
    pub fn noun(self) -> &'static str {
        match self {
            BulkKind::Hosts => "hosts",
            BulkKind::Jails => "jails",
            BulkKind::Services => "services",
        }
    }
}

/// One selected object, as the bulk confirmation names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkItem {
    pub id: i64,
    /// `host`, `host/jail` or `host/jail/service`.
    pub label: String,
}
