//! What every page needs to know about the request: who is signed in, and
//! the one-shot message left by the form that redirected here.

use crate::{Actor, FieldErrors, GroupRole, Permission, Role, Scope};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The signed-in user as the UI sees them (no ids of sessions, no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub username: String,
    /// The global role; `None` for a user with roles in groups only.
    pub role: Option<Role>,
    pub group_roles: Vec<GroupRole>,
}

impl Viewer {
    /// For hiding what the user cannot do. Enforcement stays on the server.
    /// True when the user's global role holds `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.actor().can(permission, &Scope::Global)
    }

    /// True when the user may do `permission` on objects of `group`.
    pub fn can_in(&self, permission: Permission, group: Option<i64>) -> bool {
        self.actor().can(permission, &Scope::of_group(group))
    }

    /// True when the user may do `permission` globally or in some group.
    pub fn can_somewhere(&self, permission: Permission) -> bool {
        self.actor().can_somewhere(permission)
    }

    /// "admin", or "operator in 2 groups" when there is no global role.
    pub fn role_label(&self) -> String {
        match (self.role, self.group_roles.len()) {
            (Some(r), _) => r.as_str().to_string(),
            (None, 0) => "no role".to_string(),
            (None, 1) => "roles in 1 group".to_string(),
            (None, n) => format!("roles in {n} groups"),
        }
    }

    fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            username: self.username.clone(),
            role: self.role,
            group_roles: self.group_roles.clone(),
        }
    }
}

impl From<&Actor> for Viewer {
    fn from(a: &Actor) -> Self {
        Viewer { user_id: a.user_id, username: a.username.clone(), role: a.role, group_roles: a.group_roles.clone() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashLevel {
    Success,
    Error,
    Info,
}

impl FlashLevel {
    pub fn css_class(self) -> &'static str {
        match self {
            FlashLevel::Success => "flash flash-success",
            FlashLevel::Error => "flash flash-error",
            FlashLevel::Info => "flash flash-info",
        }
    }
}

/// A message shown once on the next page after a form post (post/redirect/get).
/// `values` re-fill the form after a validation error; passwords are never kept.
/// `secret` carries a one-time password to show once (reset password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub level: FlashLevel,
    pub message: String,
    /// Which form the errors and values belong to (e.g. "create_user").
    pub form: String,
    pub fields: FieldErrors,
    pub values: BTreeMap<String, String>,
    pub secret: Option<String>,
}

impl Flash {
    pub fn new(level: FlashLevel, message: impl Into<String>) -> Self {
        Flash {
            level,
            message: message.into(),
            form: String::new(),
            fields: FieldErrors::new(),
            values: BTreeMap::new(),
            secret: None,
        }
    }

    /// Errors and values of `form`, for `FormState`.
    pub fn for_form(&self, form: &str) -> Option<&Flash> {
        (self.form == form).then_some(self)
    }

    pub fn field_error(&self, field: &str) -> Option<String> {
        self.fields.get(field).map(|m| m.join(" "))
    }

    pub fn value(&self, field: &str) -> Option<String> {
        self.values.get(field).cloned()
    }
}

/// The layout's data: who is signed in and the pending flash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PageContext {
    pub viewer: Option<Viewer>,
    pub flash: Option<Flash>,
    /// No user exists yet: the login page explains the setup link.
    pub needs_setup: bool,
}

/// Key of the pending [`Flash`] in the server-side session data.
pub const FLASH_SESSION_KEY: &str = "warden.flash";
