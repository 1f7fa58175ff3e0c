//! Server functions: the UI's read path. Each one extracts the caller, calls
//! one back-end use-case (which authorizes) and returns its result.
//!
//! They answer `Result<Result<T, AppError>, ServerFnError>`: the outer error is
//! transport trouble, the inner one is the application's answer (not signed
//! in, forbidden, not found, …) for the page to show. State changes go through
//! plain HTML forms handled by the server crate, so they work without JavaScript.

/// Calls `$body` with `caller` and `db` bound, answering "sign in" when
/// there is no caller. Keeps each server function to its one use-case call.
#[cfg(feature = "ssr")]
macro_rules! with_caller {
    (|$caller:ident, $db:ident| $body:expr) => {{
        use $crate::api::ssr::{answer, caller, services};
        let $caller = match caller()? {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        let $db = services()?.db;
        answer($body.await)
    }};
}

pub mod actions;
pub mod audit;
pub mod inventory;
pub mod jobs;
pub mod session;
pub mod users;

#[cfg(feature = "ssr")]
pub(crate) mod ssr;

use warden_domain::AppError;

/// What every server function returns.
pub type ApiResult<T> = Result<Result<T, AppError>, leptos::prelude::ServerFnError>;
