//! Sign in, sign out and first-start setup (plain HTML form posts).

use crate::state::AppState;
use crate::web::flash;
use crate::web::identity::{safe_next, SESSION_KEY};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;
use warden_backend::access::{create_first_admin, login, logout};
use warden_backend::RequestIdentity;
use warden_domain::AppError;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<LoginForm>,
) -> Response {
    let s = &state.services;
    match login(&s.db, &s.hasher, &s.throttle, &identity.visitor(), &form.username, &form.password).await {
        Ok(ok) => {
            // A fresh session id at sign-in: a planted cookie is worth nothing.
            if let Err(e) = session.cycle_id().await {
                tracing::error!(error = %e, "cannot renew the session id");
            }
            if let Err(e) = session.insert(SESSION_KEY, ok.session_key).await {
                tracing::error!(error = %e, "cannot store the session");
                return flash::refusal(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "Try again",
                    "The session could not be stored.",
                );
            }
            Redirect::to(safe_next(&form.next)).into_response()
        }
        Err(e) => {
            let back = if form.next.is_empty() { "/login".to_string() } else { format!("/login?next={}", form.next) };
            let back = if safe_next(&form.next) == "/" { "/login".to_string() } else { back };
            flash::failure(&session, e, "login", flash::keep(&[("username", &form.username)]), &back).await
        }
    }
}

pub async fn logout_submit(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
) -> Response {
    let key: Option<String> = session.get(SESSION_KEY).await.unwrap_or(None);
    if let (Some(view), Some(key)) = (identity.session.as_ref(), key) {
        if let Err(e) = logout(&state.services.db, &view.actor, &identity.ip, &key).await {
            let _ = e.into_app_error();
        }
    }
    // Deletes the server-side record and expires the cookie.
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "cannot delete the session");
    }
    Redirect::to("/login").into_response()
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn setup_submit(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Response {
    let back = format!("/setup/{token}");
    let values = flash::keep(&[("username", &form.username)]);
    if form.password != form.password_confirm {
        let e = AppError::field("password_confirm", "The two passwords are not the same.");
        return flash::failure(&session, e.into(), "setup", values, &back).await;
    }
    let s = &state.services;
    match create_first_admin(&s.db, &s.hasher, &identity.visitor(), &token, &form.username, &form.password).await {
        Ok(actor) => {
            flash::success(
                &session,
                format!("The admin account {} is ready. Sign in with it now.", actor.username),
                "/login",
            )
            .await
        }
        Err(e) => flash::failure(&session, e, "setup", values, &back).await,
    }
}
