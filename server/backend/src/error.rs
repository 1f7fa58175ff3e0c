//! The back end's error: either an answer for the user ([`AppError`]) or an
//! internal failure that is logged once with a reference.

use warden_domain::AppError;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error("{0}")]
    Other(String),
}

impl BackendError {
    /// What the browser may see. Internal causes are logged here, once, under
    /// a random reference that the user can quote to an admin.
    pub fn into_app_error(self) -> AppError {
        match self {
            BackendError::App(e) => e,
            other => {
                let reference = format!("{:08x}", rand::random::<u32>());
                tracing::error!(error.reference = %reference, error = %other, "internal error");
                AppError::Internal { reference }
            }
        }
    }
}

pub type Result<T, E = BackendError> = std::result::Result<T, E>;
