//! The one error type that crosses the wire between back end and browser.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Field name → messages, in a stable order for rendering.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// What a use-case can answer instead of a result. Internal causes are logged
/// once on the server with `reference`; the browser only sees the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    Unauthenticated,
    Forbidden,
    NotFound,
    Validation(FieldErrors),
    Conflict(String),
    /// Too many attempts or the service is busy; try again later.
    Unavailable(String),
    Internal {
        reference: String,
    },
}

impl AppError {
    /// One message on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_string(), vec![message.into()]);
        AppError::Validation(errors)
    }

    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::Unavailable(_) => 429,
            AppError::Internal { .. } => 500,
        }
    }

    /// Messages for one field, for rendering next to the input.
    pub fn field_messages(&self, field: &str) -> Vec<String> {
        match self {
            AppError::Validation(map) => map.get(field).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Unauthenticated => f.write_str("Please sign in."),
            AppError::Forbidden => f.write_str("You are not allowed to do that."),
            AppError::NotFound => f.write_str("Not found."),
            AppError::Validation(map) => {
                let n = map.values().map(Vec::len).sum::<usize>();
                if n == 1 {
                    f.write_str("Please correct the highlighted field.")
                } else {
                    write!(f, "Please correct the {n} highlighted problems.")
                }
            }
            AppError::Conflict(m) | AppError::Unavailable(m) => f.write_str(m),
            AppError::Internal { reference } => {
                write!(f, "Something went wrong on the server (reference {reference}).")
            }
        }
    }
}

impl std::error::Error for AppError {}
