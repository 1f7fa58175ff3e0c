//! The HTML shell and the route table.

use crate::api::session::provide_page_context;
use crate::components::layout::AppLayout;
use crate::pages::{
    account::AccountPage,
    action::ActionPage,
    audit::AuditPage,
    bulk_delete::BulkDeletePage,
    dashboard::DashboardPage,
    groups::GroupsPage,
    host::HostPage,
    host_form::{EditHostPage, NewHostPage},
    hosts::HostsPage,
    jail::JailPage,
    jail_form::{EditJailPage, NewJailPage},
    jails::JailsPage,
    job::JobPage,
    jobs::JobsPage,
    login::LoginPage,
    service::ServicePage,
    service_form::{EditServicePage, NewServicePage},
    services::ServicesPage,
    setup::SetupPage,
    user::UserPage,
    users::UsersPage,
    NotFoundPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};
use warden_domain::inventory::BulkKind;

/// The whole document. On the server it also sets the Content-Security-Policy
/// with a fresh nonce, which Leptos puts on the scripts it emits.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_csp_header();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                // No favicon request (and no 404 in the console) on every page.
                <link rel="icon" href="data:,"/>
                <link rel="stylesheet" href="/pkg/warden.css"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn set_csp_header() {
    use http::header::{HeaderValue, CONTENT_SECURITY_POLICY};
    leptos::nonce::provide_nonce();
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    if let (Some(options), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&policy))
    {
        options.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Every page renders completely on the server (`SsrMode::Async`), so the
/// HTML is whole without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Warden"/>
        <Router>
            <Pages/>
        </Router>
    }
}

/// The route table. The page context (who is signed in, the pending flash)
/// is loaded once per page and shared with every page through context.
#[component]
fn Pages() -> impl IntoView {
    provide_page_context();
    view! {
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/setup/:token") view=SetupPage ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/hosts") view=HostsPage ssr=SsrMode::Async/>
                    <Route path=path!("/hosts/new") view=NewHostPage ssr=SsrMode::Async/>
                    <Route path=path!("/hosts/delete") view=|| view! { <BulkDeletePage kind=BulkKind::Hosts/> } ssr=SsrMode::Async/>
                    <Route path=path!("/hosts/:id") view=HostPage ssr=SsrMode::Async/>
                    <Route path=path!("/hosts/:id/edit") view=EditHostPage ssr=SsrMode::Async/>
                    <Route path=path!("/jails") view=JailsPage ssr=SsrMode::Async/>
                    <Route path=path!("/jails/new") view=NewJailPage ssr=SsrMode::Async/>
                    <Route path=path!("/jails/delete") view=|| view! { <BulkDeletePage kind=BulkKind::Jails/> } ssr=SsrMode::Async/>
                    <Route path=path!("/jails/:id") view=JailPage ssr=SsrMode::Async/>
                    <Route path=path!("/jails/:id/edit") view=EditJailPage ssr=SsrMode::Async/>
                    <Route path=path!("/services") view=ServicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/new") view=NewServicePage ssr=SsrMode::Async/>
                    <Route path=path!("/services/delete") view=|| view! { <BulkDeletePage kind=BulkKind::Services/> } ssr=SsrMode::Async/>
                    <Route path=path!("/services/:id") view=ServicePage ssr=SsrMode::Async/>
                    <Route path=path!("/services/:id/edit") view=EditServicePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/groups") view=GroupsPage ssr=SsrMode::Async/>
                    <Route path=path!("/actions/new") view=ActionPage ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view=JobsPage ssr=SsrMode::Async/>
                    <Route path=path!("/jobs/:id") view=JobPage ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view=UserPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
    }
}
