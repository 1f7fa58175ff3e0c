//! The router: Leptos pages and server functions, form posts, downloads,
//! health, and the middleware stack around all of them.

use crate::state::AppState;
use crate::web::{
    account_forms, action_forms, auth_forms, export, health, identity, inventory_forms as inv, job_forms, job_stream,
    security, user_forms,
};
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use warden_app::{shell, App};

/// Name of the session cookie; `__Host-` when served over HTTPS, so the
/// browser pins it to this host, Path=/ and Secure.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-warden_session"
    } else {
        "warden_session"
    }
}

/// Builds the whole application around a session store (SQLite or
/// PostgreSQL, chosen by the caller from the database URL).
pub fn build<S: SessionStore + Clone>(state: AppState, store: S, idle: Duration) -> Router {
    let routes = generate_route_list(App);
    let leptos = state.leptos.clone();
    let services = state.services.clone();
    let context = move || provide_context(services.clone());

    let sessions = SessionManagerLayer::new(store)
        .with_name(cookie_name(state.https))
        .with_secure(state.https)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::try_from(idle)
                .unwrap_or(tower_sessions::cookie::time::Duration::minutes(30)),
        ));

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/login", post(auth_forms::login_submit))
        .route("/logout", post(auth_forms::logout_submit))
        .route("/setup/{token}", post(auth_forms::setup_submit))
        .route("/admin/users", post(user_forms::create))
        .route("/admin/users/{id}/disable", post(user_forms::disable))
        .route("/admin/users/{id}/enable", post(user_forms::enable))
        .route("/admin/users/{id}/role", post(user_forms::change_role))
        .route("/admin/users/{id}/reset-password", post(user_forms::reset_password))
        .route("/admin/users/{id}/sessions/end", post(user_forms::end_session))
        .route("/admin/users/{id}/grants", post(user_forms::grant))
        .route("/admin/users/{id}/grants/{group_id}/delete", post(user_forms::revoke))
        .route("/admin/groups", post(inv::create_group))
        .route("/admin/groups/{id}", post(inv::update_group))
        .route("/admin/groups/{id}/delete", post(inv::delete_group))
        .route("/hosts/delete", post(inv::bulk_delete_hosts))
        .route("/hosts", post(inv::create_host))
        .route("/hosts/{id}", post(inv::update_host))
        .route("/hosts/{id}/delete", post(inv::delete_host))
        .route("/hosts/{id}/host-key/fetch", post(job_forms::fetch_host_key))
        .route("/hosts/{id}/host-key/approve", post(job_forms::approve_host_key))
        .route("/actions", post(action_forms::run))
        .route("/jails/{id}/adopt", post(action_forms::adopt))
        .route("/jobs", post(job_forms::start))
        .route("/jobs/{id}/cancel", post(job_forms::cancel))
        .route("/jobs/{id}/events", get(job_stream::events))
        .route("/jobs/{id}/log.txt", get(job_stream::download))
        .route("/jails/delete", post(inv::bulk_delete_jails))
        .route("/jails", post(inv::create_jail))
        .route("/jails/{id}", post(inv::update_jail))
        .route("/jails/{id}/delete", post(inv::delete_jail))
        .route("/services/delete", post(inv::bulk_delete_services))
        .route("/services", post(inv::create_service))
        .route("/services/{id}", post(inv::update_service))
        .route("/services/{id}/delete", post(inv::delete_service))
        .route("/account/password", post(account_forms::change_password))
        .route("/audit/export", get(export::export))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(middleware::from_fn_with_state(state.clone(), security::reject_cross_site))
        .layer(middleware::from_fn_with_state(state.clone(), identity::resolve_identity))
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(sessions)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(256 * 1024))
        .with_state(state)
}
