//! The signed-in user's own password change.

use crate::state::AppState;
use crate::web::flash;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;
use warden_backend::access::change_own_password;
use warden_backend::RequestIdentity;
use warden_domain::AppError;

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<PasswordForm>,
) -> Response {
    const PAGE: &str = "/account";
    let (Some(caller), Some(view)) = (identity.caller(), identity.session.as_ref()) else {
        return flash::failure(&session, AppError::Unauthenticated.into(), "change_password", BTreeMap::new(), PAGE)
            .await;
    };
    if form.new_password != form.new_password_confirm {
        let e = AppError::field("new_password_confirm", "The two new passwords are not the same.");
        return flash::failure(&session, e.into(), "change_password", BTreeMap::new(), PAGE).await;
    }
    let s = &state.services;
    match change_own_password(&s.db, &s.hasher, &caller, &view.key_hash, &form.current_password, &form.new_password)
        .await
    {
        Ok(()) => {
            flash::success(&session, "Your password was changed. Your other sessions were signed out.", PAGE).await
        }
        Err(e) => flash::failure(&session, e, "change_password", BTreeMap::new(), PAGE).await,
    }
}
