//! Post/redirect/get: a form handler leaves a [`Flash`] in the session and
//! redirects; the next page shows it once.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::collections::BTreeMap;
use tower_sessions::Session;
use warden_backend::BackendError;
use warden_domain::page::FLASH_SESSION_KEY;
use warden_domain::{AppError, Flash, FlashLevel};

pub async fn set(session: &Session, flash: Flash) {
    if let Err(e) = session.insert(FLASH_SESSION_KEY, flash).await {
        tracing::error!(error = %e, "cannot store the flash message");
    }
}

pub async fn success(session: &Session, message: impl Into<String>, to: &str) -> Response {
    set(session, Flash::new(FlashLevel::Success, message)).await;
    Redirect::to(to).into_response()
}

/// Answers a failed form: validation and conflicts go back to the form with
/// the messages and the (non-secret) values; being signed out goes to the
/// sign-in page; forbidden and not-found get their own status, so that no
/// role can mistake a refusal for success.
pub async fn failure(
    session: &Session,
    error: BackendError,
    form: &str,
    values: BTreeMap<String, String>,
    back_to: &str,
) -> Response {
    let error = error.into_app_error();
    match error {
        AppError::Unauthenticated => Redirect::to("/login").into_response(),
        AppError::Forbidden => refusal(StatusCode::FORBIDDEN, "Not allowed", "Your role does not allow this action."),
        AppError::NotFound => {
            refusal(StatusCode::NOT_FOUND, "Not found", "This does not exist, or you are not allowed to see it.")
        }
        other => {
            let mut flash = Flash::new(FlashLevel::Error, other.to_string());
            flash.form = form.to_string();
            if let AppError::Validation(fields) = &other {
                flash.fields = fields.clone();
            }
            flash.values = values;
            set(session, flash).await;
            Redirect::to(back_to).into_response()
        }
    }
}

/// A small page for refusals of plain form posts (no JavaScript involved).
pub fn refusal(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} — Warden</title>\
         <link rel=\"stylesheet\" href=\"/pkg/warden.css\"></head><body><main class=\"content\"><div class=\"card\">\
         <h1 class=\"page-title\">{title}</h1><p>{text}</p><p><a href=\"/\">Back to Warden</a></p></div></main></body></html>"
    );
    (status, Html(body)).into_response()
}

/// Values to re-fill a form with: only the named, non-secret fields.
pub fn keep(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
