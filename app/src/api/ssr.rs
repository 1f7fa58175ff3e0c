//! Server-side plumbing shared by the server functions.

use leptos::prelude::*;
use warden_backend::access::Caller;
use warden_backend::{BackendError, RequestIdentity, Services};
use warden_domain::AppError;

/// The back end's handles, provided by the server for every request.
pub fn services() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("server misconfigured: no services in context"))
}

/// Who sent the request, as the server's middleware resolved it.
pub fn identity() -> Result<RequestIdentity, ServerFnError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestIdentity>().cloned())
        .ok_or_else(|| ServerFnError::new("server misconfigured: no request identity"))
}

/// The signed-in caller, or `Unauthenticated`.
pub fn caller() -> Result<Result<Caller, AppError>, ServerFnError> {
    Ok(identity()?.caller().ok_or(AppError::Unauthenticated))
}

/// The server-side session (for the flash).
pub async fn session() -> Result<tower_sessions::Session, ServerFnError> {
    leptos_axum::extract::<tower_sessions::Session>().await.map_err(|e| ServerFnError::new(e.to_string()))
}

/// A back-end result as a server function answers it.
pub fn answer<T>(result: Result<T, BackendError>) -> Result<Result<T, AppError>, ServerFnError> {
    Ok(result.map_err(BackendError::into_app_error))
}
