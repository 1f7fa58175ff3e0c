//! Resolves the session cookie into a [`RequestIdentity`] for every request,
//! and sends anonymous visitors of private pages to the sign-in page.

use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use tower_sessions::Session;
use warden_backend::access::resolve_session;
use warden_backend::RequestIdentity;

/// Key of Warden's own session key inside the tower-sessions data.
pub const SESSION_KEY: &str = "warden.key";

/// Paths anyone may open without signing in. Everything else is private
/// (deny by default).
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/healthz" | "/favicon.ico" | "/robots.txt")
        || path.starts_with("/setup/")
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
}

pub async fn resolve_identity(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect::<String>();
    let key: Option<String> = session.get(SESSION_KEY).await.unwrap_or(None);
    let view = match key {
        Some(key) => {
            match resolve_session(&state.services.db, &state.services.sessions, &key).await {
                Ok(view) => {
                    if view.is_none() {
                        // Ended, expired or disabled: forget the stale key.
                        let _ = session.remove::<String>(SESSION_KEY).await;
                    }
                    view
                }
                Err(e) => {
                    let app_error = e.into_app_error();
                    return (axum::http::StatusCode::SERVICE_UNAVAILABLE, app_error.to_string()).into_response();
                }
            }
        }
        None => None,
    };
    let path = request.uri().path().to_string();
    if view.is_none() && !is_public(&path) {
        if request.method() == Method::GET || request.method() == Method::HEAD {
            let next = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
            let target = if next == "/" { "/login".to_string() } else { format!("/login?next={}", urlencode(&next)) };
            return Redirect::to(&target).into_response();
        }
        return Redirect::to("/login").into_response();
    }
    request.extensions_mut().insert(RequestIdentity { session: view, ip, user_agent });
    next.run(request).await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A `next` target from the login form: only local paths, never `//host`.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.starts_with("/login") {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/admin/users"), "/admin/users");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "", "/login?next=/x"] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn private_by_default() {
        assert!(is_public("/login") && is_public("/pkg/warden.js") && is_public("/setup/abc"));
        assert!(!is_public("/") && !is_public("/admin/users") && !is_public("/audit/export") && !is_public("/logout"));
    }
}
