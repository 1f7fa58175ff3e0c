//! What every page needs to know about the request: who is signed in, and
//! the one-shot message left by the form that redirected here.

use crate::{Actor, FieldErrors, Permission, Role, Scope};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The signed-in user as the UI sees them (no ids of sessions, no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
}

impl Viewer {
    /// For hiding what the user cannot do. Enforcement stays on the server.
    pub fn can(&self, permission: Permission) -> bool {
        self.actor().can(permission, &Scope::Global)
    }

    fn actor(&self) -> Actor {
        Actor { user_id: self.user_id, username: self.username.clone(), role: self.role }
    }
}

impl From<&Actor> for Viewer {
    fn from(a: &Actor) -> Self {
        Viewer { user_id: a.user_id, username: a.username.clone(), role: a.role }
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
