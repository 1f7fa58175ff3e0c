//! Admin actions on users (plain HTML form posts). Authorization happens in
//! the back-end use-cases; these handlers only translate.

use crate::state::AppState;
use crate::web::flash;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;
use warden_backend::access::{self, Caller};
use warden_backend::{BackendError, RequestIdentity};
use warden_domain::{AppError, Flash, FlashLevel};

fn caller_of(identity: &RequestIdentity) -> Result<Caller, BackendError> {
    identity.caller().ok_or_else(|| AppError::Unauthenticated.into())
}

#[derive(Deserialize)]
pub struct CreateUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<CreateUserForm>,
) -> Response {
    let s = &state.services;
    let result = match caller_of(&identity) {
        Ok(caller) => access::create_user(&s.db, &s.hasher, &caller, &form.username, &form.role, &form.password).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => {
            flash::success(
                &session,
                format!(
                    "User {} created with the role {}.",
                    user.username,
                    warden_domain::users::role_label(user.role)
                ),
                "/admin/users",
            )
            .await
        }
        Err(e) => {
            let values = flash::keep(&[("username", &form.username), ("role", &form.role)]);
            flash::failure(&session, e, "create_user", values, "/admin/users").await
        }
    }
}

pub async fn disable(
    state: State<AppState>,
    session: Session,
    identity: Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    set_disabled(state, session, identity, id, true).await
}

pub async fn enable(
    state: State<AppState>,
    session: Session,
    identity: Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    set_disabled(state, session, identity, id, false).await
}

async fn set_disabled(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    id: i64,
    disabled: bool,
) -> Response {
    let page = format!("/admin/users/{id}");
    let result = match caller_of(&identity) {
        Ok(caller) => access::set_disabled(&state.services.db, &caller, id, disabled).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) if disabled => {
            flash::success(&session, "The account is disabled and its sessions are ended.", &page).await
        }
        Ok(()) => flash::success(&session, "The account is enabled again.", &page).await,
        Err(e) => flash::failure(&session, e, "account", BTreeMap::new(), &page).await,
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Response {
    let page = format!("/admin/users/{id}");
    let result = match caller_of(&identity) {
        Ok(caller) => access::change_role(&state.services.db, &caller, id, &form.role).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => flash::success(&session, format!("The role is now {}.", form.role), &page).await,
        Err(e) => flash::failure(&session, e, "change_role", BTreeMap::new(), &page).await,
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let page = format!("/admin/users/{id}");
    let s = &state.services;
    let result = match caller_of(&identity) {
        Ok(caller) => access::reset_password(&s.db, &s.hasher, &caller, id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(one_time) => {
            let mut f = Flash::new(FlashLevel::Success, "The password was reset and the user's sessions were ended.");
            f.secret = Some(one_time);
            flash::set(&session, f).await;
            axum::response::IntoResponse::into_response(axum::response::Redirect::to(&page))
        }
        Err(e) => flash::failure(&session, e, "account", BTreeMap::new(), &page).await,
    }
}

#[derive(Deserialize)]
pub struct EndSessionForm {
    #[serde(default)]
    handle: String,
}

pub async fn end_session(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<EndSessionForm>,
) -> Response {
    let page = format!("/admin/users/{id}");
    let result = match caller_of(&identity) {
        Ok(caller) => access::end_session(&state.services.db, &caller, id, &form.handle).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => flash::success(&session, "The session was ended.", &page).await,
        Err(e) => flash::failure(&session, e, "sessions", BTreeMap::new(), &page).await,
    }
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    group_role: String,
}

/// Gives the user a role in one group (replacing the one they had there).
pub async fn grant(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<GrantForm>,
) -> Response {
    let page = format!("/admin/users/{id}");
    let result = match caller_of(&identity) {
        Ok(caller) => access::grant_group_role(&state.services.db, &caller, id, &form.group, &form.group_role).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => flash::success(&session, format!("Role {} granted in {}.", form.group_role, form.group), &page).await,
        Err(e) => {
            let values = flash::keep(&[("group", &form.group), ("group_role", &form.group_role)]);
            flash::failure(&session, e, "grant", values, &page).await
        }
    }
}

/// Takes away the user's role in one group.
pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path((id, group_id)): Path<(i64, i64)>,
) -> Response {
    let page = format!("/admin/users/{id}");
    let result = match caller_of(&identity) {
        Ok(caller) => access::revoke_group_role(&state.services.db, &caller, id, group_id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => flash::success(&session, "The role in that group was removed.", &page).await,
        Err(e) => flash::failure(&session, e, "grants", BTreeMap::new(), &page).await,
    }
}
