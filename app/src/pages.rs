//! One module per page.

pub mod account;
pub mod action;
pub mod audit;
pub mod bulk_delete;
pub mod dashboard;
pub mod group_select;
pub mod groups;
pub mod host;
pub mod host_drift;
pub mod host_form;
pub mod host_trust;
pub mod hosts;
pub mod jail;
pub mod jail_form;
pub mod jails;
pub mod job;
pub mod jobs;
pub mod login;
pub mod params;
pub mod service;
pub mod service_form;
pub mod services;
pub mod setup;
pub mod user;
pub mod users;

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="content">
            <div class="card">
                <h1 class="page-title">"Page not found"</h1>
                <p><a href="/">"Back to the dashboard"</a></p>
            </div>
        </main>
    }
}
