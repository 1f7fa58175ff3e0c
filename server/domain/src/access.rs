//! Roles, permissions and the pure policy that maps one to the other.
//!
//! Roles are data; permissions are a closed enum. The back end calls
//! `authorize()` (which uses [`Actor::can`]) at the start of every use-case;
//! the UI calls [`Actor::can`] only to hide what a user cannot do.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A built-in role. The names are reserved: no user-defined role may shadow them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages users, roles, hosts, keys; can do everything.
    Admin,
    /// Acts on hosts, jails and services; cannot manage users or read the audit log.
    Operator,
    /// Reads the inventory and jobs.
    Viewer,
    /// Reads and exports the audit log; reads the inventory.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Operator, Role::Viewer, Role::Auditor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
            Role::Auditor => "auditor",
        }
    }

    /// A sentence for the user admin page.
    pub fn description(self) -> &'static str {
        match self {
            Role::Admin => "Everything, including users, roles and host keys.",
            Role::Operator => "Start, stop and change hosts, jails and services.",
            Role::Viewer => "Read the inventory and jobs.",
            Role::Auditor => "Read and export the audit log; read the inventory.",
        }
    }

    /// The permissions this role holds. The single source of the policy.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &Permission::ALL,
            Role::Operator => &[InventoryRead, InventoryWrite, JailControl, ServiceControl, JobRead, JobRun],
            Role::Viewer => &[InventoryRead, JobRead],
            Role::Auditor => &[InventoryRead, JobRead, AuditRead],
        }
    }

    pub fn has(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }

    /// "A role can grant only what it holds": true when every permission of
    /// `other` is also held by `self`.
    pub fn covers(self, other: Role) -> bool {
        other.permissions().iter().all(|p| self.has(*p))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            "viewer" => Ok(Role::Viewer),
            "auditor" => Ok(Role::Auditor),
            _ => Err("Choose one of: admin, operator, viewer, auditor.".to_string()),
        }
    }
}

/// Everything a user can be allowed to do. Closed: adding a capability means
/// adding a variant here and deciding which roles hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    InventoryRead,
    InventoryWrite,
    JailControl,
    ServiceControl,
    JobRead,
    JobRun,
    AuditRead,
    UserAdmin,
    HostKeyApprove,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::InventoryRead,
        Permission::InventoryWrite,
        Permission::JailControl,
        Permission::ServiceControl,
        Permission::JobRead,
        Permission::JobRun,
        Permission::AuditRead,
        Permission::UserAdmin,
        Permission::HostKeyApprove,
    ];
}

/// What a permission is checked against. Global for now; the inventory adds groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Global,
}

/// The signed-in user as every use-case sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
}

impl Actor {
    /// Pure policy check; `scope` matters once grants are per group.
    pub fn can(&self, permission: Permission, _scope: &Scope) -> bool {
        self.role.has(permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_holds_everything_and_covers_every_role() {
        for p in Permission::ALL {
            assert!(Role::Admin.has(p));
        }
        for r in Role::ALL {
            assert!(Role::Admin.covers(r));
        }
    }

    #[test]
    fn only_admin_administers_users_and_only_admin_and_auditor_read_audit() {
        for r in Role::ALL {
            assert_eq!(r.has(Permission::UserAdmin), r == Role::Admin);
            assert_eq!(r.has(Permission::AuditRead), matches!(r, Role::Admin | Role::Auditor));
        }
    }

    #[test]
    fn lesser_roles_cannot_cover_admin() {
        for r in [Role::Operator, Role::Viewer, Role::Auditor] {
            assert!(!r.covers(Role::Admin));
        }
        assert!(!Role::Viewer.covers(Role::Auditor));
    }

    #[test]
    fn role_round_trips_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
