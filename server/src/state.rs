//! What the router's handlers share.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use warden_backend::Services;

#[derive(Clone, Debug)]
pub struct AppState {
    pub services: Services,
    pub leptos: LeptosOptions,
    /// The public URL's origin (`scheme://host[:port]`), for the Origin check.
    pub public_origin: String,
    pub https: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// `https://warden.example.org/path` → `https://warden.example.org`.
pub fn origin_of(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    match url[scheme_end + 3..].find('/') {
        Some(slash) => url[..scheme_end + 3 + slash].to_string(),
        None => url.to_string(),
    }
}
