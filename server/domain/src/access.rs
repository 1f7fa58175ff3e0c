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
    /// Take a jail found on a host under Warden's management.
    JailAdopt,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::InventoryRead,
        Permission::InventoryWrite,
        Permission::JailControl,
        Permission::ServiceControl,
        Permission::JobRead,
        Permission::JobRun,
        Permission::AuditRead,
        Permission::UserAdmin,
        Permission::HostKeyApprove,
        Permission::JailAdopt,
    ];
}

/// Where the target of a request lives. Global roles reach everything; a role
/// granted in a group reaches only objects of that group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Users, the audit log, groups themselves, and hosts in no group: only a
    /// global role counts.
    Global,
    /// An object of this group (by id): global roles and this group's grants count.
    Group(i64),
}

impl Scope {
    /// The scope of an object that belongs to `group` (or to none).
    pub fn of_group(group: Option<i64>) -> Scope {
        group.map_or(Scope::Global, Scope::Group)
    }
}

/// A role held in one group only ("operator in web-prod").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRole {
    pub group_id: i64,
    pub role: Role,
}

/// Which part of the inventory a user reaches with one permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Everything,
    /// Only objects of these groups (possibly none at all).
    Groups(Vec<i64>),
}

/// The signed-in user as every use-case sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    /// The role held everywhere; `None` for a user with roles in groups only.
    pub role: Option<Role>,
    pub group_roles: Vec<GroupRole>,
}

impl Actor {
    /// Pure policy check: may this user do `permission` on a target in `scope`?
    pub fn can(&self, permission: Permission, scope: &Scope) -> bool {
        if self.role.is_some_and(|r| r.has(permission)) {
            return true;
        }
        match scope {
            Scope::Global => false,
            Scope::Group(g) => self.group_roles.iter().any(|gr| gr.group_id == *g && gr.role.has(permission)),
        }
    }

    /// Where this user may do `permission`: everywhere, or in some groups.
    pub fn reach(&self, permission: Permission) -> Reach {
        if self.role.is_some_and(|r| r.has(permission)) {
            return Reach::Everything;
        }
        let mut groups: Vec<i64> =
            self.group_roles.iter().filter(|gr| gr.role.has(permission)).map(|gr| gr.group_id).collect();
        groups.sort_unstable();
        groups.dedup();
        Reach::Groups(groups)
    }

    /// True when the user may do `permission` somewhere (to show a menu entry).
    pub fn can_somewhere(&self, permission: Permission) -> bool {
        self.reach(permission) != Reach::Groups(Vec::new())
    }

    /// "A role can grant only what it holds", for global roles.
    pub fn covers(&self, other: Role) -> bool {
        self.role.is_some_and(|r| r.covers(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Option<Role>, group_roles: &[(i64, Role)]) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role,
            group_roles: group_roles.iter().map(|&(group_id, role)| GroupRole { group_id, role }).collect(),
        }
    }

    #[test]
    fn group_roles_reach_only_their_group() {
        let op = actor(None, &[(7, Role::Operator)]);
        assert!(op.can(Permission::JailControl, &Scope::Group(7)));
        assert!(!op.can(Permission::JailControl, &Scope::Group(8)));
        assert!(!op.can(Permission::InventoryRead, &Scope::Global));
        assert!(!op.can(Permission::UserAdmin, &Scope::Group(7)));
        assert_eq!(op.reach(Permission::InventoryRead), Reach::Groups(vec![7]));
        assert!(!op.can_somewhere(Permission::AuditRead));
    }

    #[test]
    fn global_and_group_roles_add_up() {
        let a = actor(Some(Role::Viewer), &[(3, Role::Operator)]);
        assert!(a.can(Permission::InventoryRead, &Scope::Group(9)));
        assert!(a.can(Permission::InventoryWrite, &Scope::Group(3)));
        assert!(!a.can(Permission::InventoryWrite, &Scope::Group(9)));
        assert_eq!(a.reach(Permission::InventoryRead), Reach::Everything);
        assert_eq!(a.reach(Permission::InventoryWrite), Reach::Groups(vec![3]));
        assert!(!actor(None, &[]).can_somewhere(Permission::InventoryRead));
    }

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
