//! Response headers for every answer, and the cross-site request check on
//! every state-changing request (Leptos server functions do no CSRF checks
//! of their own; neither do plain form posts).

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use warden_backend::audit::{record_rejected_request, Who};
use warden_backend::RequestIdentity;

/// The policy for answers that did not set their own (HTML pages set one
/// with a per-response script nonce).
const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; \
                           base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.https {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    // Pages and API answers carry personal data: never keep them in a cache.
    if !is_asset {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

/// Why a state-changing request was refused, or `None` when it is same-origin.
/// Browsers send `Sec-Fetch-Site` and `Origin` on every POST; a client that
/// sends neither is not a browser and cannot carry a victim's cookie.
pub fn cross_site_reason(
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
    public_origin: &str,
) -> Option<String> {
    if let Some(site) = sec_fetch_site {
        if site != "same-origin" {
            return Some(format!("Sec-Fetch-Site: {site}"));
        }
    }
    if let Some(origin) = origin {
        let same_as_host = host.is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}"));
        if origin != public_origin && !same_as_host {
            return Some(format!("Origin: {}", origin.chars().take(200).collect::<String>()));
        }
    }
    None
}

pub async fn reject_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let h = request.headers();
    let text = |name: &str| h.get(name).and_then(|v| v.to_str().ok());
    let Some(reason) = cross_site_reason(text("sec-fetch-site"), text("origin"), text("host"), &state.public_origin)
    else {
        return next.run(request).await;
    };
    let identity = request.extensions().get::<RequestIdentity>();
    let ip = identity.map(|i| i.ip.clone()).unwrap_or_default();
    let who = match identity.and_then(|i| i.session.as_ref()) {
        Some(s) => Who::actor(&s.actor, &ip),
        None => Who::anonymous(&ip),
    };
    let path = request.uri().path().to_string();
    if let Err(e) = record_rejected_request(&state.services.db, who, "csrf.rejected", &path, &reason).await {
        // Still refuse the request; the failure is logged with a reference.
        let _ = e.into_app_error();
    }
    tracing::warn!(http.path = %path, reason = %reason, "cross-site request refused");
    (StatusCode::FORBIDDEN, "Cross-site request refused: this form must be sent from Warden's own pages.")
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::cross_site_reason as r;

    const ORIGIN: &str = "http://127.0.0.1:3000";

    #[test]
    fn same_origin_and_non_browser_requests_pass() {
        assert_eq!(r(Some("same-origin"), Some(ORIGIN), Some("127.0.0.1:3000"), ORIGIN), None);
        assert_eq!(r(None, Some("http://localhost:3000"), Some("localhost:3000"), ORIGIN), None);
        assert_eq!(r(None, None, Some("127.0.0.1:3000"), ORIGIN), None);
    }

    #[test]
    fn cross_site_requests_are_refused() {
        assert!(r(Some("cross-site"), Some(ORIGIN), Some("127.0.0.1:3000"), ORIGIN).is_some());
        assert!(r(Some("same-site"), None, None, ORIGIN).is_some());
        assert!(r(None, Some("https://evil.example"), Some("127.0.0.1:3000"), ORIGIN).is_some());
        assert!(r(None, Some("null"), Some("127.0.0.1:3000"), ORIGIN).is_some());
    }
}
